"""What capturing finds out: an extraction (text, extractor, metadata, page map) and a fetch."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model import Page


@dataclass(frozen=True)
class Extraction:
    """What an extractor made of an original: the text and what it found out."""

    text: str
    extractor: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None  # the page's own (canonical) URL
    pages: tuple[Page, ...] = ()


@dataclass(frozen=True)
class Fetch:
    """Where a fetch ended, after redirects, with the answer's status and when (UTC)."""

    url: str
    status: int
    fetched: str
