"""The print edition's evidence appendix: every cited span of each source, grouped into passages.

The spans a briefing cites in one paragraph of a source share one passage: the sentence(s) from
the first of them to the last, each cited span highlighted, with the notes of every one of them.
A paragraph cited five times is printed once, not five times. A source without blank lines is
not one passage: spans more than ``2 × MAX_SIDE`` characters apart start a new one, so a passage
never shows more of the source than separate passages of its spans would.

Passages are numbered ``E1``, ``E2``… in source order, then text order, so a printed copy finds
E12 between E11 and E13. Pure functions of the model; no rendering library is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model import Briefing, Source, Span
from factsheet.outputs.notes import Note, page_reference
from factsheet.outputs.passages import MAX_SIDE, PARAGRAPH_BREAK, Passage, sentence_context

MAX_GAP = 2 * MAX_SIDE  # spans further apart than this in one paragraph get passages of their own


@dataclass(frozen=True)
class CitedSpan:
    """One distinct cited span and the notes that cite it, in reading order."""

    source: Source
    start: int
    end: int
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Evidence:
    """One passage of the appendix (``E12``): its context and the cited spans inside it."""

    number: int
    source: Source
    spans: tuple[CitedSpan, ...]  # in text order
    context: Passage  # ``context.text`` runs from the first span's start to the last span's end

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)

    @property
    def pages(self) -> str | None:
        return page_reference(self.source, self.start, self.end)

    @property
    def anchor(self) -> str:
        return f"ev-{self.source.id}-{self.start}-{self.end}"

    @property
    def notes(self) -> list[Note]:
        """Every note citing a span of the passage, in reading order."""
        return sorted((n for s in self.spans for n in s.notes), key=lambda n: n.number)

    @property
    def pieces(self) -> list[tuple[str, bool]]:
        """``context.text`` cut into runs, each cited (highlighted) or not; overlapping spans are
        highlighted as one run."""
        return highlighted(self.source.text, self.start, self.end, [(s.start, s.end) for s in self.spans])


def highlighted(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text[lo:hi]`` as (run, cited) pairs, the union of ``spans`` cited, the rest not."""
    pieces: list[tuple[str, bool]] = []
    at = lo
    for start, end in sorted(spans):
        if end <= at:
            continue
        if start > at:
            pieces.append((text[at:start], False))
            at = start
        if pieces and pieces[-1][1]:
            pieces[-1] = (pieces[-1][0] + text[at:end], True)
        else:
            pieces.append((text[at:end], True))
        at = end
    if at < hi:
        pieces.append((text[at:hi], False))
    return pieces


def group_spans(source: Source, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Distinct spans of one source, in text order, grouped: one group per paragraph, split where
    more than ``MAX_GAP`` characters separate a span from the end of the ones before it."""
    groups: list[list[tuple[int, int]]] = []
    reach = 0  # the furthest end in the current group
    for start, end in sorted(spans):
        if groups and start - reach <= MAX_GAP and not PARAGRAPH_BREAK.search(source.text, reach, max(start, reach)):
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
            reach = 0
        reach = max(reach, end)
    return groups


def appendix(briefing: Briefing, all_notes: list[Note]) -> tuple[list[tuple[Source, list[Evidence]]],
                                                                  dict[str, Evidence]]:
    """The passages per source, in text order; and each note's passage, by note label."""
    # Each source's distinct spans, with the notes citing each: gathered by source in one pass
    # (a scan of every span for each source took 3 s at 10,000 facts over 1,000 sources).
    by_source: dict[str, dict[tuple[int, int], list[Note]]] = {}
    for note in all_notes:
        by_source.setdefault(note.span.source, {}).setdefault((note.span.start, note.span.end), []).append(note)
    result: list[tuple[Source, list[Evidence]]] = []
    entry_of: dict[str, Evidence] = {}
    number = 0
    for source in briefing.sources:
        cited = by_source.get(source.id, {})
        passages = []
        for group in group_spans(source, list(cited)):
            number += 1
            spans = tuple(CitedSpan(source, s, e, tuple(cited[s, e])) for s, e in group)
            lo, hi = group[0][0], max(e for _, e in group)
            context = sentence_context(source, Span(source.id, lo, hi, source.text[lo:hi]))
            entry = Evidence(number, source, spans, context)
            entry_of.update((n.label, entry) for n in entry.notes)
            passages.append(entry)
        result.append((source, passages))
    return result, entry_of
