"""``factsheet add``: capture a source as it comes (a text file, a web page, a PDF, a WARC file, a
URL) into content/sources/: the extracted text citations anchor to, the original kept beside it,
both pinned, and the entry appended to sources.yaml. Everything is checked before anything is
written; then the files are written together, atomically."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import CaptureError, ContentError, UsageError
from factsheet.files import write_files
from factsheet.sources import schema
from factsheet.sources.capture import Capture, capture_file, capture_url, clean
from factsheet.sources.capture.entry import (
    ID,
    appended,
    derive_id,
    entry_text,
    item_indent,
)
from factsheet.sources.sourcefiles import inside
from factsheet.sources.yamlread import Document, read_yaml

SOURCES = "sources.yaml"


@dataclass(frozen=True)
class Added:
    id: str
    written: list[Path]
    entry: str


@dataclass(frozen=True)
class Metadata:
    """What the command line says about the source; the capture's metadata fills the rest."""

    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    label: str | None = None


def sources_folder(content: Path) -> Path:
    if not content.is_dir():
        raise UsageError(f"content folder not found: {content}")
    folder = content / "sources"
    if os.path.lexists(folder) and not (folder.is_dir() and inside(content, folder)):
        raise UsageError(f"{folder} is not a folder inside the content folder (a link?)")
    return folder


def read_sources(folder: Path) -> tuple[str, Document | None]:
    """sources.yaml's text and, when it exists, the parsed and validated file."""
    path = folder / SOURCES
    if not path.exists():
        return "", None
    if not (path.is_file() and inside(folder, path)):
        raise UsageError(f"{path} is not a regular file inside the content folder")
    data = path.read_bytes()
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return text, None  # comments only: no source yet
    doc = read_yaml(f"sources/{SOURCES}", str(path), data)
    problems = doc.errors or schema.validate(doc, "sourcesFile")[0]
    if problems:
        report = Report()
        report.add_file(doc.file)
        report.items.extend(problems)
        raise ContentError(report)
    return doc.text, doc


def add_source(content: Path, source: str, meta: Metadata, *, timeout: float = 30.0) -> Added:
    folder = sources_folder(content)
    _check_options(meta)
    text, doc = read_sources(folder)
    entries = doc.value if doc is not None else []
    capture = _capture(source, timeout)
    ex = capture.extraction
    title = meta.title or ex.title or clean.one_line(capture.name) or "Untitled"
    taken = {e["id"] for e in entries}
    # A file is named by its curator; a URL's last part often is not a name at all.
    source_id = meta.id or derive_id(title if capture.fetched_now else capture.name, taken)
    files = {f"{source_id}.txt": capture.text.encode("utf-8")}
    original: dict[str, str | int] | None = None  # status is a number, the rest strings
    if capture.original is not None:
        files[f"{source_id}{capture.suffix}"] = capture.original
        original = {"file": f"{source_id}{capture.suffix}", "sha256": _sha(capture.original),
                    "media_type": capture.media_type, "extractor": ex.extractor}
        if capture.fetch is not None:
            original.update(url=capture.fetch.url, status=capture.fetch.status, fetched=capture.fetch.fetched)
    _check_unique(folder, entries, source_id, files)
    fields: dict[str, str | None] = {"id": source_id, "file": f"{source_id}.txt", "title": title}
    if meta.label:
        fields["label"] = meta.label
    fields.update(publisher=meta.publisher or ex.publisher, url=meta.url or ex.url or
                  (capture.fetch.url if capture.fetch else None), published=meta.published or ex.published,
                  sha256=_sha(files[f"{source_id}.txt"]),
                  notes=f"Author: {ex.author} (from the page's metadata)." if ex.author else None)
    entry = entry_text(fields, original, ex.pages, item_indent(text))
    try:
        new_text = appended(text, entry)
    except ValueError as e:
        raise UsageError(f"{e}; add this entry by hand:\n{entry}") from None
    _check_result(new_text, len(entries))
    files[SOURCES] = new_text.encode("utf-8")
    if doc is not None and doc.file.data.startswith(b"\xef\xbb\xbf"):
        files[SOURCES] = b"\xef\xbb\xbf" + files[SOURCES]
    return Added(source_id, write_files(folder, files), entry)


def _capture(source: str, timeout: float) -> Capture:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source):
        if not re.match(r"^https?://", source, re.IGNORECASE):
            raise CaptureError(f"only http:// and https:// URLs can be fetched, not {source!r}")
        return capture_url(source, timeout=timeout)
    return capture_file(Path(source))


def _check_options(meta: Metadata) -> None:
    if meta.id is not None and (not ID.match(meta.id) or len(meta.id) > 80):
        raise UsageError(f"--id {meta.id!r}: an id is ASCII letters, digits, '-', '_' and '.', starting with a "
                         "letter or digit (it names the files written in content/sources/)")
    if meta.published is not None and clean.date(meta.published) is None:
        raise UsageError(f"--published {meta.published!r}: a date is YYYY, YYYY-MM or YYYY-MM-DD")
    if meta.url is not None and clean.url(meta.url) is None:
        raise UsageError(f"--url {meta.url!r}: an http:// or https:// URL without spaces")
    for name in ("title", "publisher", "label"):
        value = getattr(meta, name)
        if value is not None and clean.one_line(value, 60 if name == "label" else 400) != value:
            raise UsageError(f"--{name} must be one line of text without control characters"
                             f"{' (at most 60 characters)' if name == 'label' else ''}")


def _check_unique(folder: Path, entries: list[dict], source_id: str, files: dict[str, bytes]) -> None:
    for e in entries:
        if e["id"] == source_id:
            raise CaptureError(f"a source with the id '{source_id}' is already in sources.yaml; "
                               "choose another with --id")
    listed = {e["file"] for e in entries} | {e["original"]["file"] for e in entries if "original" in e}
    for name in files:
        if name in listed or os.path.lexists(folder / name):
            raise CaptureError(f"content/sources/{name} already exists; choose another id with --id")
    hashes = {_sha(data) for data in files.values()}
    for e in entries:
        if e["sha256"] in hashes or e.get("original", {}).get("sha256") in hashes:
            raise CaptureError(f"this source is already in sources.yaml, as '{e['id']}'")


def _check_result(text: str, count: int) -> None:
    """The new sources.yaml must read back as the old entries plus one, valid."""
    doc = read_yaml(f"sources/{SOURCES}", SOURCES, text.encode("utf-8"))
    problems = doc.errors or schema.validate(doc, "sourcesFile")[0]
    if problems or not isinstance(doc.value, list) or len(doc.value) != count + 1:
        detail = "; ".join(d.message for d in problems) or "the entry did not become one more item"
        raise CaptureError(f"the new entry would not read back as written ({detail}); nothing was written")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
