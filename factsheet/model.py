"""The briefing as frozen, typed data: what was written, where, and what it resolved to. No I/O.

Every node carries its place in the content (``Location``: file, line, column and the YAML node
path), and the briefing carries the content files themselves (``ContentFile``), so no stage after
loading reads YAML or a file again. Resolving fills in each citation's span and the reading order
(``Briefing.notes``) once; every output numbers and labels notes from it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

NodePath = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a content file: 1-based line, 1-based column counted in code points, and the
    YAML node written there (not part of equality: two routes to one place are one place)."""

    path: str
    line: int
    col: int
    node: NodePath = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the content, printed compiler-style."""

    location: Location
    severity: str  # "error" | "warning"
    message: str
    rule: str = "format"
    notes: tuple[str, ...] = ()
    source_line: str | None = None

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity}: {self.message} [{self.rule}]"]
        if self.source_line is not None:
            lines.append(f"    {self.source_line}")
            # Tabs in the echoed line are printed as they are, so the caret stays aligned.
            lines.append("    " + " " * (self.location.col - 1) + "^")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True, eq=False)
class ContentFile:
    """One content file as read: its bytes, its text, and where each YAML node is written.

    ``name`` is relative to the content folder (``facts/interview.yaml``); ``path`` is how
    locations show it. ``value_at`` maps a node path to the character offset where its value
    starts, ``key_at`` to where its key starts, ``scalar_end`` to where a scalar's text ends.
    Lines and columns are counted as editors count them (LF, CRLF and CR break a line).
    """

    name: str
    path: str
    data: bytes
    text: str = ""
    value_at: dict[NodePath, int] = field(default_factory=dict)
    key_at: dict[NodePath, int] = field(default_factory=dict)
    scalar_end: dict[NodePath, int] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def location(self, index: int, node: NodePath = ()) -> Location:
        starts = self._line_starts()
        line = bisect.bisect_right(starts, index) - 1
        return Location(self.path, line + 1, index - starts[line] + 1, node)

    def at(self, node: NodePath, key: bool = False) -> Location:
        """Where the node was written (its key, if ``key`` and it has one); a path below a scalar
        (as a schema error may give) falls back to the nearest written ancestor."""
        table = self.key_at if key else self.value_at
        path = node
        while path:
            if path in table:
                return self.location(table[path], node)
            if key and path in self.value_at:
                return self.location(self.value_at[path], node)
            path = path[:-1]
        return self.location(self.value_at.get((), 0), node)

    def scalar(self, node: NodePath) -> tuple[int, int] | None:
        """Where a scalar's text is written, quotes included: (start, end) character offsets."""
        if node not in self.scalar_end:
            return None
        return self.value_at[node], self.scalar_end[node]

    def line_text(self, line: int) -> str:
        starts = self._line_starts()
        begin = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[begin:end].rstrip("\r\n")

    def _line_starts(self) -> list[int]:
        if not self._starts:
            self._starts.extend([0] + [m.end() for m in _LINE_BREAK.finditer(self.text)])
        return self._starts


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

    @property
    def drifted(self) -> bool:
        return self.actual_sha256 != self.sha256

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
    # Every citation in reading order (sections in order, then disagreements), numbered 1..n:
    # filled when the briefing is resolved.
    notes: tuple[Citation, ...] = ()

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

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
