"""Finding the passage most like a quote: the one place the tool matches by likeness.

Used only on error paths and by the curator's commands (a missing quote's closest passage,
re-anchoring a drifted source, ``locate`` when the words are not found), so rapidfuzz is imported
on first use and ``check`` of a sound briefing never loads it.
"""

from __future__ import annotations

from typing import NamedTuple

from factsheet.text import whole_words
from factsheet.verification.anchor import Index, normalise_quote


def align(needle: str, hay: str) -> tuple[int, int, float] | None:
    """Where in ``hay`` the passage most like ``needle`` is: (start, end, score 0–100)."""
    from rapidfuzz import fuzz

    if not needle or not hay:
        return None
    hit = fuzz.partial_ratio_alignment(needle, hay)
    if hit is None or hit.dest_end <= hit.dest_start:
        return None
    return hit.dest_start, hit.dest_end, hit.score


def closest(index: Index, quote: str) -> tuple[int, int, float] | None:
    """The passage of a source most like ``quote``, in whole words: (start, end, score), in source
    offsets. The same search as re-anchoring's (``candidates``)."""
    found = candidates(quote, index, count=1)
    return (found[0].start, found[0].end, found[0].score) if found else None


def closest_in(quote: str, texts: list[str]) -> tuple[int, str, float] | None:
    """Which of several short texts holds the passage most like ``quote``, in whole words:
    (which, the passage in normalised form, score)."""
    needle = normalise_quote(quote)
    best = None
    for i, text in enumerate(texts):
        norm = normalise_quote(text)
        hit = _passage(needle, norm)
        if hit is not None and (best is None or hit[2] > best[2]):
            best = (i, norm[hit[0]:hit[1]], hit[2])
    return best


def _passage(needle: str, hay: str) -> tuple[int, int, float] | None:
    """The whole-word passage of ``hay`` most like ``needle``: aligned, widened to word edges,
    then its edges moved a word or two where that makes it more alike."""
    hit = align(needle, hay)
    if hit is None or hit[2] == 0:
        return None
    return _refine(needle, hay, *_widen(hay, hit[0], hit[1]))


class Candidate(NamedTuple):
    start: int
    end: int
    score: float


def candidates(quote: str, index: Index, count: int = 2) -> list[Candidate]:
    """The best-scoring passages for ``quote``, best first, none overlapping another."""
    needle = normalise_quote(quote)
    hay = index.norm.text
    found: list[Candidate] = []
    for _ in range(count):
        if not needle or not hay.strip("\x00"):
            break
        hit = _passage(needle, hay)
        if hit is None:
            break
        a, b, score = hit
        found.append(Candidate(index.norm.original(a), index.norm.original(b - 1) + 1, score))
        hay = hay[:a] + "\x00" * (b - a) + hay[b:]  # same length: positions stay valid
    return sorted(found, key=lambda c: -c.score)


def _widen(hay: str, a: int, b: int) -> tuple[int, int]:
    """An alignment stretched to whole words (it may start or stop inside one)."""
    a, b = whole_words(hay, a, b)
    while a < b and hay[a] == " ":
        a += 1
    while b > a and hay[b - 1] == " ":
        b -= 1
    return a, b


def _refine(needle: str, hay: str, a: int, b: int, reach: int = 3) -> tuple[int, int, float]:
    """The word-aligned passage near [a, b) most like the needle: the alignment keeps the needle's
    length, so a passage that grew or shrank needs its edges moved by a word or two.

    Scored by Levenshtein similarity (0–100), where a replaced word costs what it differs by;
    an Indel ratio would prefer dropping a changed word to showing it.
    """
    starts = _edges(hay, a, reach, lambda i: i == 0 or (i < len(hay) and hay[i - 1] == " " and hay[i] != " "))
    ends = _edges(hay, b, reach, lambda i: i == len(hay) or (hay[i] == " " and hay[i - 1] != " "))
    best = (a, b, likeness(needle, hay[a:b]))
    for x in starts:
        for y in ends:
            if y > x:
                score = likeness(needle, hay[x:y])
                if score > best[2]:
                    best = (x, y, score)
    return best


def likeness(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return 100.0 * Levenshtein.normalized_similarity(a, b)


def _edges(hay: str, at: int, reach: int, is_edge) -> list[int]:
    """Up to ``reach`` word edges on each side of ``at`` (and ``at`` itself)."""
    found = [at]
    for step in (-1, 1):
        i, n = at + step, 0
        while 0 <= i <= len(hay) and n < reach and abs(i - at) < 200:
            if is_edge(i):
                found.append(i)
                n += 1
            i += step
    return found


def word_likeness(a: str, b: str) -> float:
    """How alike two words are (0–100, by insertions and deletions): a re-spelt word scores high."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)
