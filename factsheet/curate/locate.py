"""``factsheet locate``: find words in a source and get a citation for them that resolves to
exactly that place (with the shortest prefix or suffix that singles it out)."""

from __future__ import annotations

import difflib
import json

from factsheet.diagnostics import Report
from factsheet.errors import UsageError
from factsheet.model import Source
from factsheet.verification.anchor import Index, Match, normalise_quote, unwrapped, word_diff
from factsheet.verification.fuzzy import candidates
from factsheet.verification.occurrences import Occurrence, occurrences, resolves_to

MAX_SHOWN = 20


def find_source(sources: tuple[Source, ...], name: str, report: Report | None = None) -> Source:
    """A source by id, or by its file name; if sources.yaml has an entry for it that cannot be used
    yet, the error says what is wrong with the entry."""
    for s in sources:
        if name in (s.id, s.file):
            return s
    where = report.rejected_sources.get(name) if report else None
    if report is not None and where is not None:
        problems = ["; ".join((f"{d.location}: {d.message}", *d.notes)) for d in report.sorted()
                    if d.location.path == where.path and d.location.node[:1] == where.node[:1]]
        raise UsageError(f"source '{name}' in sources.yaml cannot be used until its entry is complete: "
                         + "; ".join(problems))
    ids = [s.id for s in sources]
    close = difflib.get_close_matches(name, ids, n=1, cutoff=0.7)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise UsageError(f"no source '{name}' in sources.yaml ({hint}sources: {', '.join(ids) or 'none'})")


def occurrence_at(index: Index, start: int, end: int) -> Occurrence:
    """The occurrence of the words at ``text[start:end]`` that is exactly there, with the context
    that singles it out (none found: offsets will pin it)."""
    words = index.text[start:end]
    found = [o for o in occurrences(index, words) if (o.start, o.end) == (start, end)]
    return found[0] if found else Occurrence(start, end, True)


def citation_fields(source_id: str, index: Index, occ: Occurrence) -> dict[str, str | int]:
    """A citation's fields, in the order they are written; it resolves to exactly this place. A
    place that starts or ends inside a word (a selection in the app may) is cited as what it is:
    ``partial: true``, pinned by its offsets."""
    quote = " ".join(unwrapped(index.text[occ.start:occ.end]).split())
    fields: dict[str, str | int] = {"source": source_id, "quote": quote}
    if occ.prefix:
        fields["prefix"] = occ.prefix
    if occ.suffix:
        fields["suffix"] = occ.suffix
    if index.cuts(occ.start) or index.cuts(occ.end):
        fields["partial"] = True
    if not resolves_to(index, quote, occ.prefix, occ.suffix, Match(occ.start, occ.end, occ.exact)):
        # Repeated so often that no nearby words single it out (or part of a word): pin it by offsets.
        fields.update(start=occ.start, end=occ.end)
    return fields


def citation_yaml(source_id: str, index: Index, occ: Occurrence) -> str:
    """A citation to paste under a fact's ``citations:``; it resolves to exactly this place."""
    lines = []
    for key, value in citation_fields(source_id, index, occ).items():
        text = (json.dumps(value) if isinstance(value, bool) else value if key == "source" or isinstance(value, int)
                else json.dumps(value, ensure_ascii=False))
        lines.append(f"{'- ' if key == 'source' else '  '}{key}: {text}")
    return "\n".join(lines)


def locate_report(source: Source, words: str) -> tuple[str, bool]:
    """What ``factsheet locate`` prints, and whether the words were found."""
    index = Index(source.text)
    if not normalise_quote(words):
        raise UsageError("give the words to look for")
    found = occurrences(index, words)
    if not found:
        inside = index.find_all(words)
        if inside:
            return _inside_words_report(source, index, words, inside), False
        return _fuzzy_report(source, index, words), False
    lines = [f"{len(found)} occurrence{'s' * (len(found) != 1)} in source '{source.id}' ({source.file}):"]
    for n, occ in enumerate(found[:MAX_SHOWN], 1):
        how = "exact" if occ.exact else "typographic differences ignored"
        lines += ["", f"{n}. {occ.start}–{occ.end} ({how}): {index.context(occ.start, occ.end)}", "",
                  _indent(citation_yaml(source.id, index, occ))]
    if len(found) > MAX_SHOWN:
        lines.append(f"… and {len(found) - MAX_SHOWN} more; quote more words to narrow it down")
    return "\n".join(lines) + "\n", True


def _inside_words_report(source: Source, index: Index, words: str, inside: list[Match]) -> str:
    """The words occur only inside longer words: each place as whole words, with its citation."""
    lines = [f"“{' '.join(words.split())}” occurs in source '{source.id}' ({source.file}) only inside "
             "longer words; a citation quotes whole words:"]
    places = list(dict.fromkeys(index.widened(m.start, m.end) for m in inside))
    for n, (start, end) in enumerate(places[:MAX_SHOWN], 1):
        occ = occurrence_at(index, start, end)
        lines += ["", f"{n}. {start}–{end}: {index.context(start, end)}", "",
                  _indent(citation_yaml(source.id, index, occ))]
    if len(places) > MAX_SHOWN:
        lines.append(f"… and {len(places) - MAX_SHOWN} more")
    return "\n".join(lines) + "\n"


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
