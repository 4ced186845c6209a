"""Capturing a source as it comes: a text file, a web page, a PDF, a WARC file or a URL, into the
text citations anchor to, with the original kept beside it.

``capture_file`` and ``capture_url`` return a ``Capture``: the extracted text, the original's
bytes (a WARC file of the fetch for a URL; none for plain text, which is its own original), which
extractor made the text (name and version: extractors change their output between releases), the
metadata found, and a PDF's page map. Nothing here writes a file; ``curate/add.py`` does, through
the one atomic writer. Content is data: a page is parsed, never run, and nothing it names is
fetched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from factsheet.errors import CaptureError
from factsheet.sources.capture import clean
from factsheet.sources.capture.clean import one_line
from factsheet.sources.capture.extracted import Extraction, Fetch

MAX_SIZE = 50 * 1024 * 1024  # the loader's limit for a file in content/sources/
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPE, TEXT_TYPE, WARC_TYPE = "application/pdf", "text/plain", "application/warc"
EXTENSIONS = {".txt": TEXT_TYPE, ".html": "text/html", ".htm": "text/html", ".pdf": PDF_TYPE,
              ".warc": WARC_TYPE, ".warc.gz": WARC_TYPE}


@dataclass(frozen=True)
class Capture:
    extraction: Extraction
    original: bytes | None  # None: plain text, its own original
    suffix: str  # the original's file name ending: ".html", ".pdf", ".warc.gz"
    media_type: str  # of the original
    name: str  # what the source was called: a file name or the URL's last part, for ids
    fetch: Fetch | None = None
    fetched_now: bool = False  # captured from a URL just now (not from a file)

    @property
    def text(self) -> str:
        return self.extraction.text


def suffix_of(name: str) -> str:
    lower = name.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else os.path.splitext(lower)[1]


def read_limited(path: Path, limit: int = MAX_SIZE) -> bytes:
    """A file's bytes, refused beyond ``limit``."""
    try:
        if not path.is_file():
            raise CaptureError(f"{path}: {'not a regular file' if path.exists() else 'file not found'}")
        size = path.stat().st_size
        if size > limit:
            raise CaptureError(f"{path} is {clean.size(size)}; the limit is {clean.size(limit)}")
        return path.read_bytes()
    except OSError as e:
        raise CaptureError(f"cannot read {path}: {e.strerror}") from None


def extract(data: bytes, media_type: str, url: str | None = None) -> Extraction:
    """The text and metadata of an original of a given media type (not a WARC)."""
    if media_type in HTML_TYPES:
        from factsheet.sources.capture.html import extract_html

        return extract_html(data, url)
    if media_type == PDF_TYPE:
        from factsheet.sources.capture.pdf import extract_pdf

        return extract_pdf(data)
    if media_type == TEXT_TYPE:
        from factsheet.sources.capture.plain import extract_text

        return extract_text(data)
    raise CaptureError(f"unsupported media type {media_type}: factsheet captures web pages (text/html), "
                       "PDFs and plain text")


def extract_original(data: bytes, media_type: str) -> tuple[Extraction, Fetch | None]:
    """Extract from a kept original; a WARC file gives the page or PDF of its last answer."""
    if media_type != WARC_TYPE:
        return extract(data, media_type), None
    from factsheet.sources.capture.warc import read_warc

    answer = read_warc(data)
    extraction = extract(answer.body, answer.media_type, answer.url)
    return extraction, Fetch(answer.url, answer.status, answer.fetched)


def capture_file(path: Path) -> Capture:
    """A file anywhere on disk, by its name's ending: .txt, .html/.htm, .pdf, .warc/.warc.gz."""
    suffix = suffix_of(path.name)
    media_type = EXTENSIONS.get(suffix)
    if media_type is None:
        raise CaptureError(f"{path}: unsupported file type '{suffix or path.name}'; factsheet adds .txt, "
                           ".html, .htm, .pdf, .warc and .warc.gz files, and http(s) URLs")
    data = read_limited(path)
    name = path.name[: len(path.name) - len(suffix)]
    if media_type == TEXT_TYPE:
        return Capture(extract(data, TEXT_TYPE), None, suffix, TEXT_TYPE, name)
    extraction, fetch = extract_original(data, media_type)
    return Capture(extraction, data, ".warc.gz" if suffix == ".warc.gz" else suffix, media_type, name, fetch)


def capture_url(url: str, *, timeout: float = 30.0, limit: int = MAX_SIZE) -> Capture:
    """Fetch one URL (http or https only) into a WARC file, and extract its page or PDF."""
    from factsheet.sources.capture.fetch import fetch
    from factsheet.sources.capture.warc import write_warc

    fetched = fetch(url, timeout=timeout, limit=limit)
    final = fetched.hops[-1]
    if final.media_type == TEXT_TYPE:
        from factsheet.sources.capture.plain import extract_text

        extraction = extract_text(final.body, final.charset or "utf-8")
    else:
        extraction = extract(final.body, final.media_type, final.url)
    if final.media_type == TEXT_TYPE and extraction.title is None:
        extraction = replace(extraction, title=one_line(final.url.rsplit("/", 1)[-1]) or None)
    name = final.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    name = name if "." not in name else name.rsplit(".", 1)[0]
    return Capture(extraction, write_warc(fetched), ".warc.gz", WARC_TYPE, name,
                   Fetch(final.url, final.status, fetched.time), fetched_now=True)
