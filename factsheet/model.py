"""The briefing as frozen, typed data: what was written, where, and what it resolved to. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a content file: 1-based line, 1-based column counted in code points."""

    path: str
    line: int
    col: int

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
            lines.append("    " + " " * _display_offset(self.source_line, self.location.col) + "^")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _display_offset(line: str, col: int) -> int:
    # Tabs in the echoed line are printed as-is, so the caret keeps them to stay aligned.
    return col - 1


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range [start, end) of code points in a source text, and the text it covers."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Selector:
    """How a curator pointed at words in a source: the quote and optional disambiguators."""

    source: str
    quote: str
    prefix: str | None
    suffix: str | None
    start: int | None
    end: int | None
    location: Location  # of the quote
    note: str | None = None
    offsets_location: Location | None = None  # of `start`, when written


@dataclass(frozen=True, slots=True)
class Citation:
    """A selector and, once anchored, the exact span it resolved to."""

    selector: Selector
    span: Span | None = None

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
    location: Location
    when: str | None = None
    kind: str | None = None
    notes: str | None = None

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The distinct sources this fact cites, in citation order."""
        return tuple(dict.fromkeys(c.source for c in self.citations))


@dataclass(frozen=True, slots=True)
class Variant:
    """One side of a disagreement: what a source (or several) says, with its citations."""

    statement: str
    citations: tuple[Citation, ...]
    location: Location
    id: str = ""


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

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def facts_in(self, section_id: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.section == section_id)

    def all_citations(self) -> list[Citation]:
        cites = [c for f in self.facts for c in f.citations]
        cites += [c for d in self.disagreements for v in d.variants for c in v.citations]
        return cites
