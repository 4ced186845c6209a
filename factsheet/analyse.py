"""Corroboration, disagreements and coverage: pure functions of the resolved briefing.

Everything here is linear in the size of the briefing and its sources (plus a sort of the cited
spans per source): facts are grouped by key, never compared in pairs.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

from factsheet import figures
from factsheet.model import Briefing, Disagreement, Fact, Source

# --- corroboration -------------------------------------------------------------------------------


def source_count(fact: Fact) -> int:
    """How many distinct sources a fact cites."""
    return len(fact.source_ids)


def corroboration(briefing: Briefing) -> dict[str, int]:
    """Each fact's count of distinct sources, by fact id."""
    return {f.id: source_count(f) for f in briefing.facts}


# --- disagreements -------------------------------------------------------------------------------

FigureKey = tuple[float, bool]


@dataclass(frozen=True, slots=True)
class Recorded:
    """A passage a disagreement's variant cites, and the figures that variant states."""

    disagreement: Disagreement
    variant: int  # index in the disagreement's variants
    start: int
    end: int
    stated: frozenset[FigureKey]  # the variant's figures
    disputed: frozenset[FigureKey]  # figures some variants of the disagreement state and others not


def recorded_passages(briefing: Briefing) -> dict[str, list[Recorded]]:
    """Every passage cited by a disagreement's variants, grouped by source, sorted by start."""
    table: dict[str, list[Recorded]] = defaultdict(list)
    for d in briefing.disagreements:
        stated = [frozenset(f.key for f in figures.figures(v.statement, bare_one=False)) for v in d.variants]
        common = frozenset.intersection(*stated) if stated else frozenset()
        disputed = frozenset().union(*stated) - common
        for i, v in enumerate(d.variants):
            for c in v.citations:
                if c.span is not None:
                    table[c.source].append(Recorded(d, i, c.span.start, c.span.end, stated[i], disputed))
    for passages in table.values():
        passages.sort(key=lambda r: r.start)
    return table


def overlapping_pairs(left: list[tuple[int, int, object]],
                      right: list[tuple[int, int, object]]) -> list[tuple[object, object]]:
    """Every (left item, right item) whose [start, end) ranges overlap.

    One sweep in start order with the ranges still open on each side (a heap by end): time is
    O((n + m) log(n + m) + pairs found), never every left range against every right one.
    """
    events = sorted([(a, b, 0, i) for i, (a, b, _) in enumerate(left)] +
                    [(a, b, 1, i) for i, (a, b, _) in enumerate(right)])
    open_: tuple[list, list] = ([], [])
    pairs = []
    for a, b, side, i in events:
        other = open_[1 - side]
        while other and other[0][0] <= a:
            heapq.heappop(other)
        for _, j in other:
            pairs.append((left[i][2], right[j][2]) if side == 0 else (left[j][2], right[i][2]))
        if b > a:
            heapq.heappush(open_[side], (b, i))
    return pairs


# --- coverage ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n\s*\n|\n(?=\S)")


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a source the briefing cites, and what it leaves out."""

    source: Source
    cited: int  # code points inside at least one cited span (furniture excluded)
    citable: int  # code points of the text outside furniture, white space excluded
    uncited: tuple[tuple[int, int, str], ...]  # sentences with no cited code point

    @property
    def share(self) -> float:
        return self.cited / self.citable if self.citable else 0.0


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence-like pieces of a text, as (start, end), trimmed of white space."""
    pieces, last = [], 0
    for m in _SENTENCE_END.finditer(text):
        pieces.append((last, m.start()))
        last = m.end()
    pieces.append((last, len(text)))
    return [_trim(text, a, b) for a, b in pieces if text[a:b].strip()]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    piece = text[a:b]
    return a + (len(piece) - len(piece.lstrip())), b - (len(piece) - len(piece.rstrip()))


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges merged, in order."""
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _covered(ranges: list[tuple[int, int]], a: int, b: int, text: str) -> int:
    """Non-white code points of text[a:b] inside ``ranges``."""
    return sum(len("".join(text[max(a, x):min(b, y)].split())) for x, y in ranges if x < b and a < y)


def coverage(briefing: Briefing) -> list[Coverage]:
    """Coverage of every source, in the order sources.yaml lists them."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in briefing.all_citations():
        if c.span:
            spans[c.source].append((c.span.start, c.span.end))
    return [source_coverage(s, spans.get(s.id, [])) for s in briefing.sources]


def source_coverage(source: Source, cited_spans: list[tuple[int, int]]) -> Coverage:
    text = source.text
    furniture = merge([(f.start, f.end) for f in source.furniture_spans])
    cited = _subtract(merge(cited_spans), furniture)
    citable = len("".join(text.split())) - _covered(furniture, 0, len(text), text)
    uncited = []
    ci = fi = 0
    # One sweep: sentences, cited ranges and furniture ranges are all in text order.
    for a, b in sentences(text):
        while ci < len(cited) and cited[ci][1] <= a:
            ci += 1
        while fi < len(furniture) and furniture[fi][1] <= a:
            fi += 1
        in_cited = ci < len(cited) and cited[ci][0] < b
        in_furniture = fi < len(furniture) and furniture[fi][0] < b
        if not in_cited and not in_furniture:
            uncited.append((a, b, text[a:b]))
    return Coverage(source, _covered(cited, 0, len(text), text), citable, tuple(uncited))


def _subtract(ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in ranges:
        for x, y in holes:
            if x < b and a < y:
                if a < x:
                    out.append((a, x))
                a = max(a, y)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out
