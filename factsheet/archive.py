"""Earlier released versions stay reachable on a site: when ``publish`` replaces a page that an
earlier release published, it first copies that page and its PDF, unchanged, into a sibling
folder ``<slug>-v<version>/`` (a sibling, not a sub-folder: Hugo reads every file inside a page
bundle as a resource of that page, never as a page), and the new page links every kept version.
MkDocs, Hugo and Jekyll keep earlier versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_VERSION = re.compile(r'^  version: "([0-9.]+)"$', re.M)


@dataclass(frozen=True)
class Kept:
    version: str
    folder: str  # the sibling folder's name

    @property
    def href(self) -> str:
        return f"../{self.folder}/"


def published_version(page: Path) -> str | None:
    """The release a page we wrote was built from (its front matter's ``factsheet.version``)."""
    if not page.is_file():
        return None
    text = page.read_text(encoding="utf-8", errors="replace")
    front = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    m = _VERSION.search(front)
    return m.group(1) if m else None


def to_keep(slug: str, current: str | None, page: Path, pdf: Path,
            href: str) -> tuple[Kept, dict[str, bytes]] | None:
    """The page now on the site and its PDF, if an earlier release published them: the files of
    the kept folder, by their paths in it. The page becomes the folder's ``index.md`` and its PDF
    stays where the page links it (``href``), so the copy, byte for byte, still links its own."""
    old = published_version(page)
    if old is None or old == current:
        return None
    files = {"index.md": page.read_bytes()}
    if pdf.is_file():
        files[href.removeprefix("./")] = pdf.read_bytes()
    return Kept(old, f"{slug}-v{old}"), files


def kept(content: Path, slug: str) -> list[Kept]:
    """Every earlier version kept beside the page, newest first."""
    found = []
    for folder in content.glob(f"{slug}-v*"):
        version = published_version(folder / "index.md")
        if version is not None and folder.name == f"{slug}-v{version}":
            found.append(Kept(version, folder.name))
    return sorted(found, key=lambda k: tuple(int(p) for p in k.version.split(".")), reverse=True)
