"""The notes every output shares: one per citation, in the reading order the resolved briefing
carries (sections in order, then "Where the sources differ"), each with its number, its label
(from the ids) and the source it points into."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model import Briefing, Citation, Source, Span
from factsheet.outputs.passages import text_fragment_url


@dataclass(frozen=True)
class Note:
    citation: Citation
    source: Source

    @property
    def number(self) -> int:
        return self.citation.number

    @property
    def label(self) -> str:
        return self.citation.label

    @property
    def span(self) -> Span:
        assert self.citation.span is not None, "rendering needs a resolved briefing"
        return self.citation.span

    @property
    def call_id(self) -> str:
        return f"call-{self.label}"

    @property
    def note_id(self) -> str:
        return f"note-{self.label}"

    @property
    def pages(self) -> str | None:
        """``p. 12`` or ``pp. 12–13``: where a PDF source's reader finds the passage."""
        return page_reference(self.source, self.span.start, self.span.end)

    @property
    def link(self) -> str | None:
        """The original page, scrolled to the passage (a text fragment), when the source has a URL."""
        if self.source.url is None:
            return None
        return text_fragment_url(self.source.url, self.source, self.span)


def page_reference(source: Source, start: int, end: int) -> str | None:
    """The printed page label(s) of a span of a source with a page map (else None)."""
    labels = source.page_labels(start, end)
    if not labels:
        return None
    return f"p. {labels[0]}" if len(labels) == 1 else f"pp. {labels[0]}–{labels[-1]}"


def notes(briefing: Briefing) -> list[Note]:
    """Every citation as a note, in reading order."""
    sources = {s.id: s for s in briefing.sources}
    return [Note(c, sources[c.source]) for c in briefing.notes]
