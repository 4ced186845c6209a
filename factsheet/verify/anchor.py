"""Locating a curator's quote in a source text, and nothing else.

Matching ignores typographic differences only: quote and apostrophe styles, dash variants,
non-breaking and other spaces, and runs of white space. Each source is normalised once; an offset
map leads every position of the normalised copy back to the original text, so a resolved span is
always the source's own code points, ``text[start:end]``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u02bc"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACES = ("\t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
           "\u2028\u2029\u202f\u205f\u3000")
# One code point for one code point: the offset map only has to follow collapsed white space.
_TABLE = str.maketrans({**dict.fromkeys(_SINGLE, "'"), **dict.fromkeys(_DOUBLE, '"'),
                        **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SPACES, " ")})
_RUNS = re.compile(" {2,}")
# str.translate looks every code point up in a dict (slow on non-ASCII text); a regex finds the
# few characters that change and leaves the rest to C: six times faster on source texts.
_MAPPED = {chr(k): v for k, v in _TABLE.items()}
_TYPOGRAPHIC = re.compile("[" + re.escape("".join(_MAPPED)) + "]")


def _plain(text: str) -> str:
    """The text mapped through ``_TABLE``, code point for code point."""
    return _TYPOGRAPHIC.sub(lambda m: _MAPPED[m.group()], text)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised copy of a text and the map from its positions back to the original.

    ``breaks[k]`` is a normalised position from which ``shifts[k]`` code points have been
    removed before it; positions between breaks share the same shift.
    """

    text: str
    breaks: tuple[int, ...]
    shifts: tuple[int, ...]

    def original(self, index: int) -> int:
        k = bisect.bisect_right(self.breaks, index) - 1
        return index + (self.shifts[k] if k >= 0 else 0)


def normalise(text: str) -> Normalised:
    """Normalise a whole source text, keeping the way back to its offsets (linear time)."""
    mapped = _plain(text)
    pieces: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    last = removed = 0
    for run in _RUNS.finditer(mapped):
        # Keep the run's first space; positions after it move left by what the run drops.
        pieces.append(mapped[last : run.start() + 1])
        breaks.append(run.start() + 1 - removed)
        removed += run.end() - run.start() - 1
        shifts.append(removed)
        last = run.end()
    pieces.append(mapped[last:])
    return Normalised("".join(pieces), tuple(breaks), tuple(shifts))


def normalise_quote(quote: str) -> str:
    """A quote, prefix or suffix in the normalised form, without outer white space."""
    return _RUNS.sub(" ", _plain(quote)).strip(" ")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    exact: bool


class Index:
    """One source prepared for many look-ups: normalised once, searched many times."""

    def __init__(self, text: str):
        self.text = text
        self.norm = normalise(text)

    def find_all(self, quote: str) -> list[Match]:
        """Every occurrence of ``quote`` (normalised), overlapping ones included."""
        needle = normalise_quote(quote)
        if not needle:
            return []
        hay = self.norm.text
        found = []
        i = hay.find(needle)
        while i != -1:
            start = self.norm.original(i)
            end = self.norm.original(i + len(needle) - 1) + 1
            found.append(Match(start, end, self.text[start:end] == quote))
            i = hay.find(needle, i + 1)
        return found

    def preceded_by(self, match: Match, prefix: str) -> bool:
        want = normalise_quote(prefix)
        before = normalise_quote(self.text[max(0, match.start - 2 * len(prefix) - 8) : match.start])
        return before.endswith(want)

    def followed_by(self, match: Match, suffix: str) -> bool:
        want = normalise_quote(suffix)
        after = normalise_quote(self.text[match.end : match.end + 2 * len(suffix) + 8])
        return after.startswith(want)

    def context(self, start: int, end: int, width: int = 30) -> str:
        """``…before [quote] after…`` on one line, for messages."""
        before = self.text[max(0, start - width) : start]
        after = self.text[end : end + width]
        one_line = lambda s: " ".join(s.split())  # noqa: E731
        return f"…{one_line(before)} [{one_line(self.text[start:end])}] {one_line(after)}…"


def word_diff(expected: str, found: str) -> str:
    """What differs between two passages, word by word: ``[-removed-] {+added+}``."""
    import difflib

    a, b = normalise_quote(expected).split(), normalise_quote(found).split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)
