"""Rules over the resolved briefing. Each rule is a small named function adding diagnostics.

A rule has a name (shown in brackets after each message) and a severity; ``--strict`` turns
warnings into failures.
"""

from __future__ import annotations

from typing import Callable

from factsheet.diagnostics import Report
from factsheet.model import Briefing

Rule = Callable[[Briefing, Report], None]


def pinned(briefing: Briefing, report: Report) -> None:
    """A source whose bytes no longer match its pinned sha256 has drifted: an error."""
    for s in briefing.sources:
        if s.actual_sha256 and s.drifted:
            report.error(s.location, f"source '{s.id}' has changed since it was pinned: its sha256 is "
                         f"{s.actual_sha256}, pinned {s.sha256}", rule="pinned",
                         notes=_drift_notes(briefing, s.id))


def _drift_notes(briefing: Briefing, source_id: str) -> tuple[str, ...]:
    cites = [c for c in briefing.all_citations() if c.source == source_id]
    moved = [c for c in cites if c.span and c.selector.start is not None and c.selector.start != c.span.start]
    still = sum(1 for c in cites if c.span)
    notes = [f"{still} of {len(cites)} citation(s) of it still resolve; "
             "`factsheet reanchor` proposes new spans"]
    notes += [f"{c.selector.location}: moved from {c.selector.start} to {c.span.start}" for c in moved if c.span]
    return tuple(notes)


def furniture(briefing: Briefing, report: Report) -> None:
    """Page furniture (navigation, captions, prompts) declared in sources.yaml is never citable."""
    ranges = {s.id: s.furniture_spans for s in briefing.sources}
    for c in briefing.all_citations():
        if c.span is None:
            continue
        for f in ranges.get(c.source, ()):
            if c.span.start < f.end and f.start < c.span.end:
                report.error(c.selector.location, f"quote overlaps page furniture of source '{c.source}' "
                             f"({f.start}–{f.end}: “{f.text.strip()}”)", rule="furniture")
                break


def unused_sources(briefing: Briefing, report: Report) -> None:
    """A registered source that no fact cites is probably an oversight."""
    cited = {c.source for c in briefing.all_citations()}
    for s in briefing.sources:
        if s.id not in cited:
            report.warning(s.location, f"source '{s.id}' is never cited", rule="unused-source")


def empty_sections(briefing: Briefing, report: Report) -> None:
    """A declared section with no facts renders as an empty heading."""
    used = {f.section for f in briefing.facts}
    for s in briefing.sections:
        if s.id not in used:
            report.warning(s.location, f"section '{s.id}' has no facts", rule="empty-section")


# Bidi embeddings, overrides and isolates reorder how text displays ("Trojan Source"); controls
# and line/paragraph separators act on terminals and renderers. Bidi *marks* (U+200E, U+200F,
# U+061C) are left alone: right-to-left text needs them and they reorder nothing by themselves.
_REORDERING = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
               0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
               0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
               0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
               0x2069: "POP DIRECTIONAL ISOLATE", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}
_SOURCE_WORDS = {"quote", "prefix", "suffix"}  # these copy the source, whatever it holds


def _hidden_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that controls display rather than shows: (index, name)."""
    for i, c in enumerate(text):
        code = ord(c)
        if code in _REORDERING:
            return i, f"U+{code:04X} ({_REORDERING[code]})"
        if (code < 0x20 and c not in "\t\n\r") or 0x7F <= code < 0xA0:
            return i, f"control character U+{code:04X}"
    return None


def _curated_strings(value, path: tuple = ()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _SOURCE_WORDS:
                yield from _curated_strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _curated_strings(item, path + (i,))


def control_characters(briefing: Briefing, report: Report) -> None:
    """Curated text never holds bidi overrides or control characters (an error); a cited passage
    that holds them, as captured from the source, is shown as it is, with a warning."""
    for doc in list(report.docs.values()):
        for path, text in _curated_strings(doc.value):
            found = _hidden_character(text)
            if found:
                name = next((p for p in reversed(path) if isinstance(p, str)), "value")
                report.error(doc.at(path), f"'{name}' holds {found[1]} at character {found[0] + 1}: "
                             "it changes how the text displays without being seen; delete it",
                             rule="control-character")
    for c in briefing.all_citations():
        found = c.span and _hidden_character(c.span.text)
        if found:
            report.warning(c.selector.location, f"the cited passage holds {found[1]} at character "
                           f"{found[0] + 1}; it is rendered as the source has it", rule="control-character")


RULES: tuple[Rule, ...] = (pinned, furniture, unused_sources, empty_sections, control_characters)


def run_rules(briefing: Briefing, report: Report, rules: tuple[Rule, ...] = RULES) -> None:
    for rule in rules:
        rule(briefing, report)
