"""Numbers in prose: every figure a sentence states, reduced to a value that can be compared.

News text writes one figure many ways — "$50billion", "$50 billion", "50 billion dollars";
"three months" and "3 months"; "8 percent", "8 per cent" and "8%"; "300,000" and "300 thousand".
Each becomes a :class:`Figure` whose ``key`` (value, and whether it is a percentage) is the same
for all the ways of writing it. Currency signs and words are not part of the key: "£12 million"
and "12 million" state the same figure. One regular-expression pass: linear in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from factsheet.verification import patterns

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUE = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}

_NUMERAL = r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = (rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES[1:10])}))?"
          rf"|(?:{'|'.join(sorted(_ONES, key=len, reverse=True))})")
_FIGURE = re.compile(
    rf"""(?<![\w.,])(?:(?:US|A|C|NZ|HK)?[$£€¥]\s?)?
         (?:(?P<num>{_NUMERAL})|(?P<word>\b(?:{_WORDS})\b))
         (?:(?:\s|-)?(?P<short>bn|mn|tn|[km])\b|(?:\s|-)?(?P<scale>hundred|thousand|million|billion|trillion)\b)?
         (?P<pct>\s?%|(?:\s|-)per\s?cent\b)?""",
    re.IGNORECASE | re.VERBOSE)


# "two reports said", "three other outlets": how many sources say something is attribution, not a
# figure the sources state; `attributions` returns these instead.
_ATTRIBUTION = re.compile(r"\s+(?:of\s+(?:the|these|those|its)\s+)?"
                          r"(?:other\s+|more\s+|separate\s+|different\s+|further\s+|independent\s+)?"
                          r"(?:reports?|outlets?|sources?|publications?|articles?|newspapers?|accounts?"
                          r"|stories|story|media|texts?|documents?|papers?|websites?|sites?)\b", re.IGNORECASE)


class Figure(NamedTuple):
    """One figure as written (``text``, at ``start``–``end``) and the value it stands for."""

    text: str
    value: float
    percent: bool
    start: int
    end: int

    @property
    def key(self) -> tuple[float, bool]:
        return (self.value, self.percent)


def figures(text: str, *, bare_one: bool = True, names: tuple[str, ...] = ()) -> list[Figure]:
    """Every figure in ``text``, in order, attribution counts ("two reports") left out.

    ``bare_one=False`` skips the word "one" (and "zero") with no scale after it: in a statement
    "one" is mostly a pronoun ("one of the founders"), not a figure to support. A number inside
    one of ``names`` (the briefing's entities: "Apache 2.0", "Proposition 8") is part of a name.
    """
    found = [f for f, attribution in _all(text, bare_one) if not attribution]
    if not found or not names:
        return found
    named = _spans_of(names, text)
    return [f for f in found if not any(a <= f.start and f.end <= b for a, b in named)]


def _spans_of(names: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """Where the names occur in the text as whole words (any case, any white space): at each place
    a name starts, the longest one there, which holds any shorter name starting at that place."""
    pattern = _names_pattern(names)
    return [m.span(1) for m in pattern.finditer(text)] if pattern is not None else []


@lru_cache(maxsize=16)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    # One pattern for all the names, compiled once per briefing: a pattern per name, each run
    # over every statement and span, was most of the figures rule's time. The lookahead finds a
    # name at every place one starts, overlapping ones included; the longest name is tried first.
    spaced = {" ".join(name.split()) for name in names} - {""}
    if not spaced:
        return None
    return re.compile(rf"(?<!\w)(?=((?:{patterns.alternation(spaced, fold=True)}))(?!\w))", re.IGNORECASE)


def name_around(text: str, figure: Figure) -> str | None:
    """"MPL 2.0" when the figure follows a capitalised word ("Windows 11"): maybe a name."""
    m = re.search(r"(?<!\w)[A-Z][\w.-]*\s+$", text[:figure.start])
    return f"{m.group().strip()} {figure.text}" if m else None


def attributions(text: str) -> list[Figure]:
    """The counts of sources a text claims ("two reports said", "three other outlets")."""
    return [f for f, attribution in _all(text, True) if attribution]


@lru_cache(maxsize=4096)
def _all(text: str, bare_one: bool) -> tuple[tuple[Figure, bool], ...]:
    # Cached: the rules read the figures of the same statements and spans many times over.
    found = []
    for m in _FIGURE.finditer(text):
        value = _value(m)
        if value is None:
            continue
        word = (m.group("word") or "").lower()
        if not bare_one and word in ("one", "zero") and not (m.group("scale") or m.group("short") or m.group("pct")):
            continue
        tail = _ATTRIBUTION.match(text, m.end())
        end = tail.end() if tail else m.end()
        found.append((Figure(text[m.start():end].strip(), value, bool(m.group("pct")), m.start(), end),
                      tail is not None))
    return tuple(found)


def _value(m: re.Match) -> float | None:
    if m.group("num"):
        base = float(m.group("num").replace(",", ""))
    else:
        parts = re.split(r"[- ]", m.group("word").lower())
        base = float(sum(_WORD_VALUE[p] for p in parts))
    scale = (m.group("scale") or m.group("short") or "").lower()
    # A bare "m" or "k" after a number that is not money may be a unit (5 m = five metres): only
    # the spelled-out scales and "bn"/"mn"/"tn" count without a currency sign.
    if scale in ("m", "k") and not re.match(r"(?:US|A|C|NZ|HK)?[$£€¥]", m.group(0), re.IGNORECASE):
        scale = ""
    return round(base * _SCALES.get(scale, 1.0), 6)


def keys(text: str) -> set[tuple[float, bool]]:
    """The set of figure keys a passage supports."""
    return {f.key for f in figures(text)}
