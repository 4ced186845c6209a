"""What readers are told about a briefing's versions: its version and release date, and the
"Corrections and updates" section every output shows (each entry dated and classed, what changed
and why, the earlier wording for corrections and retractions), the mark on each corrected fact,
and each retracted fact, kept visible and struck through where it stood."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model import Briefing, Correction, Fact, ReleasedFact
from factsheet.verification.corrections import follows

SHOWS_EARLIER = ("correction", "retraction")
KIND_LABELS = {"typo": "Typo fixed", "clarification": "Clarified", "correction": "Corrected",
               "update": "Updated", "retraction": "Retracted"}


@dataclass(frozen=True)
class Entry:
    number: int
    correction: Correction
    earlier: ReleasedFact | None  # the fact as the release before this entry published it
    retracted: bool  # a retraction of a fact no longer in the briefing

    @property
    def anchor(self) -> str:
        return f"correction-{self.number}"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.correction.kind]

    @property
    def earlier_wording(self) -> str | None:
        if self.earlier is None or (self.correction.kind not in SHOWS_EARLIER and not self.retracted):
            return None
        return self.earlier.statement


@dataclass(frozen=True)
class Versions:
    """Everything the templates say about releases and corrections, computed once per render."""

    entries: list[Entry]
    version: str | None
    released: str | None
    changed_since: bool  # the content differs from the latest release

    def of(self, fact: Fact) -> list[Entry]:
        return [e for e in self.entries if e.correction.fact == fact.id]

    def retracted_in(self, section_id: str) -> list[Entry]:
        return [e for e in self.entries if e.retracted and e.earlier and e.earlier.section == section_id]


def versions(briefing: Briefing) -> Versions:
    current = {f.id for f in briefing.facts}
    entries = []
    for n, c in enumerate(briefing.corrections, 1):
        before = follows(briefing, c)
        earlier = next((f for f in before.facts if f.id == c.fact), None) if before else None
        # Only a retraction is shown struck through where the fact stood; a fact removed because
        # another now carries its point is explained in its entry, not kept as if withdrawn.
        entries.append(Entry(n, c, earlier, c.kind == "retraction" and c.fact not in current))
    latest = briefing.latest
    return Versions(entries, latest.version if latest else None, latest.date if latest else None,
                    bool(latest and latest.digest != briefing.content_digest))


def version_line(v: Versions) -> str | None:
    """``Version 2 · released 2026-11-30`` (``…, changed since`` when the content has moved on)."""
    if v.version is None:
        return None
    return f"Version {v.version} · released {v.released}" + (" · changed since" if v.changed_since else "")


def schema_org(v: Versions) -> list[dict]:
    """The corrections as schema.org ``CorrectionComment``s (text and date), for the front matter
    and the annotation export."""
    return [{"@type": "CorrectionComment", "text": f"{e.label}: {e.correction.note}",
             "datePublished": e.correction.date, "about": e.correction.fact} for e in v.entries]
