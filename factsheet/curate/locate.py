"""``factsheet locate``: find words in a source and get a citation for them that resolves to
exactly that place (with the shortest prefix or suffix that singles it out)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from factsheet.diagnostics import Report
from factsheet.errors import UsageError
from factsheet.model import Location, Selector, Source
from factsheet.verification.anchor import Index, Match, normalise_quote, unwrapped, word_diff
from factsheet.verification.fuzzy import candidates
from factsheet.verification.resolve import locate

MAX_CONTEXT_WORDS = 12
MAX_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int
    end: int
    exact: bool
    prefix: str | None = None  # the shortest context that makes it unique (None: not needed)
    suffix: str | None = None


def find_source(sources: tuple[Source, ...], name: str) -> Source:
    """A source by id, or by its file name."""
    for s in sources:
        if name in (s.id, s.file):
            return s
    known = ", ".join(s.id for s in sources) or "none"
    raise UsageError(f"no source '{name}' in sources.yaml (sources: {known})")


def occurrences(index: Index, words: str) -> list[Occurrence]:
    """Every place ``words`` occur, each with the shortest prefix/suffix that singles it out."""
    matches = index.find_all(words)
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
        sel = _selector("x", index.text[m.start:m.end], prefix, suffix)
        if _resolves_to(sel, index, m):
            return Occurrence(m.start, m.end, m.exact, prefix, suffix)
    return Occurrence(m.start, m.end, m.exact)  # no context works: the citation gets offsets


def _join(words: tuple[str, ...], reverse: bool) -> str:
    return " ".join(reversed(words) if reverse else words)


def _selector(source: str, quote: str, prefix: str | None, suffix: str | None,
              start: int | None = None, end: int | None = None) -> Selector:
    return Selector(source, quote, prefix, suffix, start, end, Location("<locate>", 1, 1))


def _resolves_to(sel: Selector, index: Index, m: Match) -> bool:
    span = locate(sel, index, Report())
    return span is not None and (span.start, span.end) == (m.start, m.end)


def occurrence_at(index: Index, start: int, end: int) -> Occurrence:
    """The occurrence of the words at ``text[start:end]`` that is exactly there, with the context
    that singles it out (none found: offsets will pin it)."""
    words = index.text[start:end]
    found = [o for o in occurrences(index, words) if (o.start, o.end) == (start, end)]
    return found[0] if found else Occurrence(start, end, True)


def citation_fields(source_id: str, index: Index, occ: Occurrence) -> dict[str, str | int]:
    """A citation's fields, in the order they are written; it resolves to exactly this place."""
    quote = " ".join(unwrapped(index.text[occ.start:occ.end]).split())
    fields: dict[str, str | int] = {"source": source_id, "quote": quote}
    if occ.prefix:
        fields["prefix"] = occ.prefix
    if occ.suffix:
        fields["suffix"] = occ.suffix
    sel = _selector(source_id, quote, occ.prefix, occ.suffix)
    if not _resolves_to(sel, index, Match(occ.start, occ.end, occ.exact)):
        # Repeated so often that no nearby words single it out: pin it by offsets.
        fields.update(start=occ.start, end=occ.end)
    return fields


def citation_yaml(source_id: str, index: Index, occ: Occurrence) -> str:
    """A citation to paste under a fact's ``citations:``; it resolves to exactly this place."""
    lines = []
    for key, value in citation_fields(source_id, index, occ).items():
        text = value if key == "source" or isinstance(value, int) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{'- ' if key == 'source' else '  '}{key}: {text}")
    return "\n".join(lines)


def locate_report(source: Source, words: str) -> tuple[str, bool]:
    """What ``factsheet locate`` prints, and whether the words were found."""
    index = Index(source.text)
    if not normalise_quote(words):
        raise UsageError("give the words to look for")
    found = occurrences(index, words)
    if not found:
        return _fuzzy_report(source, index, words), False
    lines = [f"{len(found)} occurrence{'s' * (len(found) != 1)} in source '{source.id}' ({source.file}):"]
    for n, occ in enumerate(found[:MAX_SHOWN], 1):
        how = "exact" if occ.exact else "typographic differences ignored"
        lines += ["", f"{n}. {occ.start}–{occ.end} ({how}): {index.context(occ.start, occ.end)}", "",
                  _indent(citation_yaml(source.id, index, occ))]
    if len(found) > MAX_SHOWN:
        lines.append(f"… and {len(found) - MAX_SHOWN} more; quote more words to narrow it down")
    return "\n".join(lines) + "\n", True


def _fuzzy_report(source: Source, index: Index, words: str) -> str:
    lines = [f"not found in source '{source.id}' ({source.file}), even ignoring typography."]
    found = [c for c in candidates(words, index, count=3) if c.score >= 50]
    if found:
        lines.append("Closest passages:")
    for c in found:
        lines += ["", f"{c.start}–{c.end} ({c.score:.0f}% alike): {index.context(c.start, c.end)}",
                  f"   what differs: {word_diff(words, index.text[c.start:c.end])}"]
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
