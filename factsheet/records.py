"""What people recorded about a briefing, beside its content: review stamps and the state they
put a fact in, releases with the facts each published, and corrections. Frozen data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.places import Location


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer's stamp on one fact, as recorded in reviews.yaml."""

    fact: str
    reviewer: str
    date: str
    verdict: str  # "supported" | "partly" | "unsupported"
    note: str | None
    digest: str  # of what the reviewer saw: the statement and its cited spans
    location: Location


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where a fact stands with its reviewers, worked out when the briefing is verified."""

    state: str  # "unreviewed" | "reviewed" | "stale" | "disputed"
    current: tuple[Review, ...] = ()  # stamps made on exactly what the fact now says and cites
    stale: tuple[Review, ...] = ()  # stamps made before the statement or a span changed

    @property
    def reviewers(self) -> tuple[str, ...]:
        """Distinct reviewers whose current stamp says 'supported'."""
        return tuple(dict.fromkeys(r.reviewer for r in self.current if r.verdict == "supported"))


@dataclass(frozen=True, slots=True)
class ReleasedFact:
    """A fact as a release published it: what it said and the exact spans it rested on."""

    id: str
    section: str
    statement: str
    spans: tuple[tuple[str, int, int, str], ...]  # (source, start, end, text) of each citation


@dataclass(frozen=True, slots=True)
class Release:
    """One published version: releases.yaml's entry and the facts of its snapshot."""

    version: str
    date: str
    note: str | None
    digest: str  # of the content files released
    corrections: int  # corrections.yaml entries it includes; later ones are changes since
    location: Location
    facts: tuple[ReleasedFact, ...] = ()

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated, classed change to a released fact, shown to readers."""

    fact: str
    date: str
    kind: str  # "typo" | "clarification" | "correction" | "update" | "retraction"
    note: str
    location: Location
    index: int = 0  # its place in corrections.yaml
