"""The content as bytes, and its digest: what the PDF attaches and names in its provenance line,
and what a release pins. Pure functions of the model (the loader keeps every file's bytes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from factsheet.model import Briefing

# What a release's digest leaves out: the record of releases itself, and review stamps (a review
# changes no word the readers see).
NOT_RELEASED = ("releases.yaml", "reviews.yaml")


@dataclass(frozen=True)
class NamedBytes:
    """A file the briefing was built from, by its path relative to the content folder."""

    name: str
    data: bytes


def content_files(briefing: Briefing) -> list[NamedBytes]:
    """The YAML files and source texts, as read and verified."""
    files = [NamedBytes(f.name, f.data) for f in briefing.files]
    # A source's text was decoded strictly from UTF-8 with nothing dropped: encoding it again
    # gives back the very bytes that were pinned and anchored against.
    files += [NamedBytes(f"sources/{s.file}", s.text.encode("utf-8")) for s in briefing.sources]
    return files


def content_digest(files: list[NamedBytes]) -> str:
    """sha256 over every file's name and bytes, independent of where the folder is and of order."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        name = f.name.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()


def release_digest(briefing: Briefing) -> str:
    """The digest a release records, and that the content is compared with to say whether it has
    changed since."""
    return content_digest([f for f in content_files(briefing) if f.name not in NOT_RELEASED])
