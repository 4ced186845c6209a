"""The briefing as frozen, typed data: what was written, where, and what it resolved to. No I/O.

Every node carries its place in the content (``Location``: file, line, column and the YAML node
path), and the briefing carries the content files themselves (``ContentFile``), so no stage after
loading reads YAML or a file again. Resolving fills in each citation's span and the reading order
(``Briefing.notes``) once; every output numbers and labels notes from it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# Where things are written, and what people recorded about the briefing (reviews, releases,
# corrections), re-exported: every stage names them with the model.
from factsheet.places import ContentFile, Diagnostic, Location, NodePath  # noqa: F401
from factsheet.records import Correction, Release, ReleasedFact, Review, ReviewState, Snapshot  # noqa: F401


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range [start, end) of code points in a source text, and the text it covers."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Selector:
    """How a curator pointed at words in a source: the quote and optional disambiguators.
    ``location`` is the quote's (its node path ends in ``"quote"``)."""

    source: str
    quote: str
    prefix: str | None
    suffix: str | None
    start: int | None
    end: int | None
    location: Location
    offsets_location: Location | None = None  # of `start` (or `end`), when written
    partial: bool = False  # the curator cites part of a word on purpose (`partial: true`)
    source_location: Location | None = None  # of the citation's `source:` value


@dataclass(frozen=True, slots=True)
class Citation:
    """A selector, its note label (stable, from the ids), and once resolved the exact span it
    designates and its note number in reading order."""

    selector: Selector
    label: str = ""
    span: Span | None = None
    number: int = 0

    @property
    def source(self) -> str:
        return self.selector.source


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page of a PDF source begins in its text, and the page's label as printed."""

    label: str
    start: int


@dataclass(frozen=True, slots=True)
class Original:
    """What a source's text was extracted from, kept beside it and pinned too: a page, a PDF, or a
    WARC file of a fetch (then with the URL it ended at, the answer's status and its time)."""

    file: str
    sha256: str
    media_type: str
    extractor: str  # name and version: extractors change their output between releases
    url: str | None = None
    status: int | None = None
    fetched: str | None = None
    actual_sha256: str = ""  # filled by the loader: the hash of the bytes actually read

    @property
    def drifted(self) -> bool:
        return bool(self.actual_sha256) and self.actual_sha256 != self.sha256


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    file: str
    title: str
    publisher: str | None
    url: str | None
    published: str | None
    sha256: str
    notes: str | None
    location: Location
    furniture: tuple[Selector, ...] = ()
    label: str | None = None
    # Filled by the loader: the decoded text and the hash of the bytes actually read.
    text: str = field(default="", repr=False)
    actual_sha256: str = ""
    furniture_spans: tuple[Span, ...] = ()
    original: Original | None = None
    pages: tuple[Page, ...] = ()  # a PDF's page map, in text order; empty for other sources

    @property
    def drifted(self) -> bool:
        return self.actual_sha256 != self.sha256

    def page_numbers(self, start: int, end: int) -> tuple[int, int] | None:
        """The first and last page (1-based, as a PDF viewer counts) that the span [start, end)
        touches; None for a source without a page map."""
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        first = bisect.bisect_right(starts, start)
        last = bisect.bisect_right(starts, max(start, end - 1))
        return max(first, 1), max(last, 1)

    def page_labels(self, start: int, end: int) -> tuple[str, ...]:
        """The printed labels of every page the span touches, first to last."""
        numbers = self.page_numbers(start, end)
        if numbers is None:
            return ()
        return tuple(self.pages[n - 1].label for n in range(numbers[0], numbers[1] + 1))

    @property
    def name(self) -> str:
        """How notes and statements name the source: its short label, else publisher, else title."""
        return self.label or self.publisher or self.title


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Accept:
    """A support finding the curator acknowledges, with the reason it stands."""

    rule: str
    words: tuple[str, ...]  # empty: every finding of the rule on this fact
    reason: str
    location: Location


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    section: str
    statement: str
    citations: tuple[Citation, ...]
    location: Location  # of the id
    statement_location: Location
    when: str | None = None
    kind: str | None = None
    notes: str | None = None
    accepts: tuple[Accept, ...] = ()
    review: ReviewState | None = None  # filled when verified, if the briefing uses reviews

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The distinct sources this fact cites, in citation order."""
        return tuple(dict.fromkeys(c.source for c in self.citations))

    @property
    def single_source(self) -> bool:
        return len(self.source_ids) == 1


@dataclass(frozen=True, slots=True)
class Variant:
    """One side of a disagreement: what a source (or several) says, with its citations."""

    statement: str
    citations: tuple[Citation, ...]
    location: Location  # of the statement


@dataclass(frozen=True, slots=True)
class Disagreement:
    id: str
    topic: str
    note: str
    variants: tuple[Variant, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, organisation or thing and the other names the briefing and sources use for it."""

    name: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    subtitle: str | None
    date: str | None
    language: str
    authors: tuple[str, ...]
    summary: str | None
    keywords: tuple[str, ...]
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...] = ()
    content_dir: str = ""
    files: tuple[ContentFile, ...] = ()  # the YAML files, in the order they were read
    entities: tuple[Entity, ...] = ()
    reviews: tuple[Review, ...] = ()
    review_required: int = 0  # current 'supported' stamps by distinct reviewers every fact needs
    uses_reviews: bool = False  # reviews.yaml exists or a number is required: outputs show review
    releases: tuple[Release, ...] = ()  # in releases.yaml's order (increasing versions)
    corrections: tuple[Correction, ...] = ()
    content_digest: str = ""  # of the content as it is now, comparable with Release.digest

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None
    # Every citation in reading order (sections in order, then disagreements), numbered 1..n:
    # filled when the briefing is resolved.
    notes: tuple[Citation, ...] = ()
    # Each source by its id (the first, should two share one), made with the briefing: the outputs
    # and the review digest look a source up for every citation, and a search of the sources each
    # time grew with sources × citations.
    _by_id: dict[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in reversed(self.sources)})

    def source(self, source_id: str) -> Source:
        return self._by_id[source_id]

    def file(self, path: str) -> ContentFile:
        for f in self.files:
            if f.path == path:
                return f
        raise KeyError(path)

    def facts_in(self, section_id: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.section == section_id)

    def all_citations(self) -> list[Citation]:
        cites = [c for f in self.facts for c in f.citations]
        cites += [c for d in self.disagreements for v in d.variants for c in v.citations]
        return cites

    def statements(self) -> list[tuple[str, Citation]]:
        """Every citation with the statement it supports (a fact's or a variant's)."""
        pairs = [(f.statement, c) for f in self.facts for c in f.citations]
        pairs += [(v.statement, c) for d in self.disagreements for v in d.variants for c in v.citations]
        return pairs
