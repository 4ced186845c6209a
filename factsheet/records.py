"""What people recorded about a briefing, beside its content: review stamps and the state they
put a fact in, releases with the facts each published, and corrections. Frozen data, no I/O; a
release's snapshot, read when the content is loaded, parses its facts the first time they are asked
for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    snapshot: Snapshot | None = field(default=None, compare=False)  # None: missing or changed

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))

    @property
    def facts(self) -> tuple[ReleasedFact, ...]:
        """The facts it published, read from its snapshot when first asked for."""
        return self.snapshot.facts if self.snapshot is not None else ()


class Snapshot:
    """A release's snapshot (``releases/VERSION.json``): its bytes, read and checked against the
    recorded sha256 whenever the content is loaded, and its facts, parsed the first time they are
    asked for. A briefing released every day keeps hundreds of snapshots, and a check reads the
    latest and the few its corrections follow: parsing all 365 of a year made a 0.16 s check of
    ``content/`` take 0.75 s. ``error``: why the bytes are not a briefing's JSON, once parsed."""

    __slots__ = ("_data", "_facts", "_parse", "error", "location")

    def __init__(self, data: bytes, parse: Callable[[bytes], tuple[ReleasedFact, ...]], location: Location):
        self._data = data
        self._parse = parse  # raises ValueError, KeyError or TypeError for what is no briefing's JSON
        self._facts: tuple[ReleasedFact, ...] | None = None
        self.error: str | None = None
        self.location = location  # of its sha256 in releases.yaml, where a problem with it is shown

    @property
    def parsed(self) -> bool:
        return self._facts is not None

    @property
    def facts(self) -> tuple[ReleasedFact, ...]:
        return self.read()

    def read(self) -> tuple[ReleasedFact, ...]:
        """Its facts, parsed now if they were not yet (none when it is no briefing's JSON)."""
        if self._facts is None:
            try:
                self._facts = self._parse(self._data)
            except (ValueError, KeyError, TypeError) as e:
                self._facts, self.error = (), type(e).__name__
            self._data = b""
        return self._facts


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated, classed change to a released fact, shown to readers."""

    fact: str
    date: str
    kind: str  # "typo" | "clarification" | "correction" | "update" | "retraction"
    note: str
    location: Location
    index: int = 0  # its place in corrections.yaml
