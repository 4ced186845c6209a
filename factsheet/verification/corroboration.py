"""Which passages the disagreements record, and which citations overlap them: pure functions of
the resolved briefing, for the rule that catches a fact stating a disputed figure.

Linear in the size of the briefing (plus a sort of the cited spans per source): facts are
grouped by key, never compared in pairs.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import NamedTuple, TypeVar

from factsheet.model import Briefing, Disagreement
from factsheet.verification import figures

# --- disagreements -------------------------------------------------------------------------------

FigureKey = tuple[float, bool]
L = TypeVar("L")
R = TypeVar("R")


class Recorded(NamedTuple):
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


def overlapping_pairs(left: list[tuple[int, int, L]],
                      right: list[tuple[int, int, R]]) -> list[tuple[L, R]]:
    """Every (left item, right item) whose [start, end) ranges overlap.

    One sweep in start order with the ranges still open on each side (a heap by end): time is
    O((n + m) log(n + m) + pairs found), never every left range against every right one.
    """
    events = sorted([(a, b, 0, i) for i, (a, b, _) in enumerate(left)] +
                    [(a, b, 1, i) for i, (a, b, _) in enumerate(right)])
    open_: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    pairs: list[tuple[L, R]] = []
    for a, b, side, i in events:
        other = open_[1 - side]
        while other and other[0][0] <= a:
            heapq.heappop(other)
        for _, j in other:
            pairs.append((left[i][2], right[j][2]) if side == 0 else (left[j][2], right[i][2]))
        if b > a:
            heapq.heappush(open_[side], (b, i))
    return pairs
