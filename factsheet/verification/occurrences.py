"""Where a quote occurs in a source, and the shortest context that singles out each place.

One computation for every command that needs it: ``check`` gives a repeated quote's places with
the ``prefix:`` or ``suffix:`` that chooses each, and ``locate`` prints citations built from them.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from factsheet.verification.anchor import Index, Match

MAX_CONTEXT_WORDS = 12


class Occurrence(NamedTuple):
    start: int
    end: int
    exact: bool
    prefix: str | None = None  # the shortest context that makes it unique (None: not needed)
    suffix: str | None = None


def narrowed(index: Index, matches: list[Match], prefix: str | None, suffix: str | None) -> list[Match]:
    """The matches preceded by ``prefix`` and followed by ``suffix`` (each when given)."""
    if prefix:
        matches = [m for m in matches if index.preceded_by(m, prefix)]
    if suffix:
        matches = [m for m in matches if index.followed_by(m, suffix)]
    return matches


def designated(index: Index, quote: str, prefix: str | None = None, suffix: str | None = None,
               partial: bool = False) -> list[Match]:
    """Every place a selector without offsets designates: the quote's occurrences that start and
    end on word boundaries (any occurrence, with ``partial``), narrowed by prefix and suffix."""
    matches = index.find_all(quote)
    if not partial:
        matches = [m for m in matches if index.whole_words(m)]
    return narrowed(index, matches, prefix, suffix)


def resolves_to(index: Index, quote: str, prefix: str | None, suffix: str | None, m: Match) -> bool:
    """True if the quote with this context designates exactly the place ``m``."""
    return [(x.start, x.end) for x in designated(index, quote, prefix, suffix)] == [(m.start, m.end)]


def occurrences(index: Index, words: str) -> list[Occurrence]:
    """Every place ``words`` occur as whole words, each with the shortest prefix/suffix that
    singles it out."""
    matches = designated(index, words)
    if len(matches) == 1:
        return [Occurrence(matches[0].start, matches[0].end, matches[0].exact)]
    before = [_context_words(index.text[max(0, m.start - 400):m.start], reverse=True) for m in matches]
    after = [_context_words(index.text[m.end:m.end + 400]) for m in matches]
    # Group the occurrences by their k nearest words on each side: a context is unique when its
    # group has one member. Counting by key keeps this linear in the number of occurrences.
    counts = [(Counter(tuple(w[:k]) for w in before), Counter(tuple(w[:k]) for w in after))
              for k in range(MAX_CONTEXT_WORDS + 1)]
    return [_shortest(index, m, before[i], after[i], counts) for i, m in enumerate(matches)]


def _context_words(text: str, reverse: bool = False) -> list[str]:
    words = text.split()
    return (words[::-1] if reverse else words)[:MAX_CONTEXT_WORDS]


def _shortest(index: Index, m: Match, before: list[str], after: list[str],
              counts: list[tuple[Counter, Counter]]) -> Occurrence:
    options: list[tuple[str | None, str | None]] = []
    for k in range(1, MAX_CONTEXT_WORDS + 1):
        prefix_counts, suffix_counts = counts[k]
        pre, suf = tuple(before[:k]), tuple(after[:k])
        if len(pre) == k and prefix_counts[pre] == 1:
            options.append((_join(pre, True), None))
        if len(suf) == k and suffix_counts[suf] == 1:
            options.append((None, _join(suf, False)))
        if options:
            break
    for prefix, suffix in sorted(options, key=lambda o: len(o[0] or o[1] or "")):
        if resolves_to(index, index.text[m.start:m.end], prefix, suffix, m):
            return Occurrence(m.start, m.end, m.exact, prefix, suffix)
    return Occurrence(m.start, m.end, m.exact)  # no context works: the citation gets offsets


def _join(words: tuple[str, ...], reverse: bool) -> str:
    return " ".join(reversed(words) if reverse else words)
