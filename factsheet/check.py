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


RULES: tuple[Rule, ...] = (pinned, furniture, unused_sources, empty_sections)


def run_rules(briefing: Briefing, report: Report, rules: tuple[Rule, ...] = RULES) -> None:
    for rule in rules:
        rule(briefing, report)
