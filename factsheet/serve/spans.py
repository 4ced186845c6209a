"""A selection in a source, as a browser or an editor reports it, made into a citable span.

Browsers (and most editors) count UTF-16 code units; offsets in factsheet count code points. A
selection is converted, trimmed of white space at its ends and widened to whole user-perceived
characters (``text.splits_character``), then described: the quote and the shortest context that
singles it out (``curate.locate``), with warnings for what a curator should look at twice.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from factsheet.curate.locate import citation_fields, occurrence_at
from factsheet.model import Source
from factsheet.text import splits_character
from factsheet.verification.anchor import Index

SHORT_QUOTE = 12  # characters: a quote shorter than this may well occur again after an edit
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class SelectionError(ValueError):
    pass


@lru_cache(maxsize=32)
def _astral(text: str) -> tuple[int, ...]:
    """The UTF-16 position of each character outside the BMP (two code units each)."""
    return tuple(m.start() + n for n, m in enumerate(_ASTRAL.finditer(text)))


def from_utf16(text: str, unit: int, *, end: bool = False) -> int:
    """A UTF-16 offset as a code point offset; one inside a surrogate pair moves to the pair's
    start (or, for an ``end``, past it)."""
    pairs = _astral(text)
    before = bisect.bisect_left(pairs, unit)  # pairs starting before this offset
    inside = before > 0 and pairs[before - 1] + 1 == unit
    if inside:
        return unit - before + (1 if end else 0)
    return unit - before


def to_utf16(text: str, index: int) -> int:
    """A code point offset as a UTF-16 offset."""
    pairs = _astral(text)
    # The k-th pair starts at code point pairs[k] - k.
    lo, hi = 0, len(pairs)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[mid] - mid < index:
            lo = mid + 1
        else:
            hi = mid
    return index + lo


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """The selection trimmed of outer white space and widened to whole characters."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and splits_character(text, start):
        start -= 1
    while end < len(text) and splits_character(text, end):
        end += 1
    return start, end


@dataclass
class Selection:
    """A span of a source and the citation that points at exactly it."""

    source: str
    start: int
    end: int
    text: str
    fields: dict[str, str | int]
    occurrences: int
    warnings: list[str] = field(default_factory=list)

    def as_json(self, source_text: str) -> dict:
        return {"source": self.source, "start": self.start, "end": self.end, "text": self.text,
                "utf16": [to_utf16(source_text, self.start), to_utf16(source_text, self.end)],
                "quote": self.fields["quote"], "prefix": self.fields.get("prefix"),
                "suffix": self.fields.get("suffix"), "offsets": "start" in self.fields,
                "occurrences": self.occurrences, "warnings": self.warnings, "citation": self.fields}


@lru_cache(maxsize=8)
def _index(text: str) -> Index:
    return Index(text)


def select(source: Source, start: int, end: int, *, utf16: bool = False) -> Selection:
    """The citation for the words of ``source`` between two offsets (code points, or UTF-16)."""
    text = source.text
    if utf16:
        start, end = from_utf16(text, start), from_utf16(text, end, end=True)
    start, end = snap(text, start, end)
    if start >= end:
        raise SelectionError("select some words of the source (white space alone cannot be cited)")
    index = _index(text)
    occ = occurrence_at(index, start, end)
    fields = citation_fields(source.id, index, occ)
    quote = str(fields["quote"])
    count = len(index.find_all(quote))
    return Selection(source.id, start, end, text[start:end], fields, count,
                     _warnings(source, start, end, fields, count))


def _warnings(source: Source, start: int, end: int, fields: dict, count: int) -> list[str]:
    quote, found = str(fields["quote"]), []
    if fields.get("partial"):
        found.append("the selection starts or ends inside a word, so the citation says `partial: true`; "
                     "select whole words to cite them")
    if len(quote) < SHORT_QUOTE:
        found.append(f"short quote ({len(quote)} characters): a quote under {SHORT_QUOTE} characters "
                     "may say little out of context and is hard to find again if the source changes")
    for f in source.furniture_spans:
        if start < f.end and f.start < end:
            found.append(f"the selection runs into page furniture ({f.start}–{f.end}: "
                         f"“{' '.join(f.text.split())}”), which cannot be cited")
    if count > 1:
        how = "offsets" if "start" in fields else "the context shown"
        found.append(f"these words occur {count} times in the source; {how} single this place out")
    return found
