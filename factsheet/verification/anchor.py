"""Locating a curator's quote in a source text, and nothing else.

Matching ignores what stands between a reader and the words, and nothing more:

- one for one: quote and apostrophe styles, dash variants, non-breaking and other spaces;
- runs of white space (line breaks included) count as one space;
- soft hyphens, zero-width spaces, word joiners and zero-width no-break spaces count as nothing;
- the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ count as the letters they join (a match may not start or end
  inside one: half a ligature is no place in the text);
- a word hyphenated across a line end (a letter, a hyphen or soft hyphen, a line break, a letter)
  counts as the word without hyphen or break: ``hyphen-\\nated`` is ``hyphenated``. A quote that
  keeps such a hyphen (``well-known`` for ``well-\\nknown``) is found by a second look.

Each source is normalised once, in linear time; an offset map leads every position of the
normalised copy back to the original text, so a resolved span is always the source's own code
points, ``text[start:end]``.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterator
from typing import NamedTuple

from factsheet.text import cuts_word

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u02bc"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACES = ("\t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
           "\u2028\u2029\u202f\u205f\u3000")
# One code point for one code point: these need no offset map.
_TABLE = str.maketrans({**dict.fromkeys(_SINGLE, "'"), **dict.fromkeys(_DOUBLE, '"'),
                        **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SPACES, " ")})
# str.translate looks every code point up in a dict (slow on non-ASCII text); a regex finds the
# few characters that change and leaves the rest to C: six times faster on source texts.
_MAPPED = {chr(k): v for k, v in _TABLE.items()}
_TYPOGRAPHIC = re.compile("[" + re.escape("".join(_MAPPED)) + "]")

# What changes the length, found in the original text: the one-for-one table above keeps every
# position, so a match in the original is a match in the mapped copy too.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"  # soft hyphen, zero-width space, word joiner, ZWNBSP
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
_S, _Z = re.escape(" " + _SPACES), re.escape(_INVISIBLE)
_LETTER = r"[^\W\d_]"
_LINE_END = r"(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])"
# A word may also be cut at the foot of a page: a blank line (the page break) may follow.
_HYPHEN_BREAK = (rf"(?<={_LETTER})[-\u2010\u2011\u00ad][ \t\xa0]*{_LINE_END}(?:[ \t\xa0]*{_LINE_END})?"
                 rf"[ \t\xa0]*(?={_LETTER})")
_FOLDS = re.compile(
    rf"(?P<hyphen>{_HYPHEN_BREAK})"
    rf"|(?P<blank>[{_S}{_Z}]*[{_Z}][{_S}{_Z}]*|[{_S}]{{2,}}[{_S}{_Z}]*)"
    rf"|(?P<ligature>[{''.join(LIGATURES)}])")
# Where a fold can start: a hyphen, an invisible character or a ligature, or a space followed by
# another space or an invisible character. Each pattern starts with one set of characters, which the
# regular expression engine skips to in C; ``_FOLDS`` itself, an alternation opening with a
# look-behind, was tried at every position of a source (85% of the time of normalising one).
_MAY_FOLD = (re.compile(rf"[-\u2010\u2011{_Z}{''.join(LIGATURES)}]"), re.compile(rf"[{_S}](?=[{_S}{_Z}])"))
_WRAPPED = re.compile(_HYPHEN_BREAK)  # for the second look: the hyphen kept, the break dropped
_WRAP_START = re.compile(rf"[-\u2010\u2011\u00ad][ \t\xa0]*{_LINE_END}")  # where _WRAPPED may match
_INNER_HYPHEN = re.compile(rf"(?<={_LETTER})-(?={_LETTER})")
_SPACE_CHARS = frozenset(" " + _SPACES)


# The characters without which no fold can match (a run of two spaces aside): most quotes and
# sentences have none, and a set is checked in C where the patterns above, which start with a
# look-behind, are tried at every position.
_LINE_ENDS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
FOLD_CHARS = _LINE_ENDS | frozenset(_INVISIBLE) | frozenset(LIGATURES)


def unwrapped(text: str) -> str:
    """The text with every word hyphenated across a line end joined again, as a reader writes it."""
    return text if _LINE_ENDS.isdisjoint(text) else _WRAPPED.sub("", text)


def plain(text: str) -> str:
    """The text mapped through ``_TABLE``, code point for code point."""
    if text.isascii() and text.isprintable():
        return text  # what the table maps is beyond ASCII or a control (tab, line end): most quotes
    return _TYPOGRAPHIC.sub(lambda m: _MAPPED[m.group()], text)


class Normalised(NamedTuple):
    """A normalised copy of a text and the map from its positions back to the original.

    ``breaks[k]`` is a normalised position from which the original position is the normalised one
    plus ``shifts[k]``; positions between breaks share the same shift. ``inside`` holds the
    positions that fall inside a ligature's letters: no match starts or ends there.
    """

    text: str
    breaks: tuple[int, ...]
    shifts: tuple[int, ...]
    inside: frozenset[int] = frozenset()

    def original(self, index: int) -> int:
        k = bisect.bisect_right(self.breaks, index) - 1
        return index + (self.shifts[k] if k >= 0 else 0)


def normalise(text: str) -> Normalised:
    """Normalise a whole source text, keeping the way back to its offsets (linear time)."""
    mapped = plain(text)
    if "  " not in mapped and FOLD_CHARS.isdisjoint(text):
        return Normalised(mapped, (), ())  # nothing folds: every position is its own
    pieces: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    inside: set[int] = set()
    last = size = 0  # size: length of the normalised text so far

    def mark(at: int, original: int) -> None:
        breaks.append(at)
        shifts.append(original - at)

    for m in fold_matches(text):
        pieces.append(mapped[last:m.start()])
        size += m.start() - last
        if m.lastgroup == "ligature":
            letters = LIGATURES[m.group()]
            mark(size, m.start())
            for k in range(1, len(letters)):  # every letter stands for the ligature's one code point
                inside.add(size + k)
                mark(size + k, m.start())
            pieces.append(letters)
            size += len(letters)
        elif m.lastgroup == "blank" and not _SPACE_CHARS.isdisjoint(m.group()):
            pieces.append(" ")  # the run's first space stands for the run
            mark(size, m.start())
            size += 1
        # else: a wrapped word's hyphen and break, or invisible characters: nothing is kept
        last = m.end()
        mark(size, last)
    pieces.append(mapped[last:])
    return Normalised("".join(pieces), tuple(breaks), tuple(shifts), frozenset(inside))


def fold_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_FOLDS.finditer(text)`` gives, trying ``_FOLDS`` only where a fold can start."""
    end = 0
    for at in heapq.merge(*((m.start() for m in p.finditer(text)) for p in _MAY_FOLD)):
        if at >= end and (m := _FOLDS.match(text, at)):
            end = m.end()
            yield m


def normalise_quote(quote: str) -> str:
    """A quote, prefix or suffix in the normalised form, without outer white space."""
    return normalise(quote).text.strip(" ")


class Match(NamedTuple):
    start: int
    end: int
    exact: bool


class Index:
    """One source prepared for many look-ups: normalised once, searched many times."""

    def __init__(self, text: str):
        self.text = text
        self.norm = normalise(text)
        self._wraps: list[tuple[int, int]] | None = None  # words hyphenated across a line end

    def find_all(self, quote: str, needle: str | None = None) -> list[Match]:
        """Every occurrence of ``quote`` (normalised), overlapping ones included. ``needle``: the
        quote already normalised, when the caller has it."""
        if needle is None:
            needle = normalise_quote(quote)
        if not needle:
            return []
        found = self._find(needle, quote)
        unhyphened = _INNER_HYPHEN.sub("", needle)
        if not found and unhyphened != needle:
            # Second look: a hyphen the quote keeps may be one that ends a line in the source
            # (``well-known`` printed as ``well-\nknown``); only such places are taken.
            found = [m for m in self._find(unhyphened, quote)
                     if normalise_quote(_WRAPPED.sub("-", self.text[m.start:m.end])) == needle]
        return found

    def _find(self, needle: str, quote: str) -> list[Match]:
        hay, norm = self.norm.text, self.norm
        found = []
        i = hay.find(needle)
        while i != -1:
            if i not in norm.inside and i + len(needle) not in norm.inside:
                start = norm.original(i)
                end = norm.original(i + len(needle) - 1) + 1
                found.append(Match(start, end, self.text[start:end] == quote))
            i = hay.find(needle, i + 1)
        return found

    def cuts(self, index: int) -> bool:
        """True if a span boundary at ``index`` falls inside a word: a word as Unicode counts words,
        or one hyphenated across a line end (``hyphen-\\nated`` is one word, as a reader reads it)."""
        if cuts_word(self.text, index):
            return True
        if self._wraps is None:  # found once, on first use
            self._wraps = [m.span() for m in (_WRAPPED.match(self.text, w.start())
                                              for w in _WRAP_START.finditer(self.text)) if m]
        k = bisect.bisect_right(self._wraps, (index, len(self.text))) - 1
        return k >= 0 and index <= self._wraps[k][1]

    def whole_words(self, match: Match) -> bool:
        """True if the match starts and ends on word boundaries (it cuts no word in two)."""
        return not (self.cuts(match.start) or self.cuts(match.end))

    def widened(self, start: int, end: int) -> tuple[int, int]:
        """The span ``[start, end)`` widened to the edges of the words it starts and ends in."""
        while start > 0 and self.cuts(start):
            start -= 1
        while end < len(self.text) and self.cuts(end):
            end += 1
        return start, end

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
