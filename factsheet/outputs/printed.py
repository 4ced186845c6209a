"""The print edition's HTML: the briefing laid out for paged media (WeasyPrint) from the model.

What this module owns, none of it needing WeasyPrint:

- the notes, set as endnotes closing each section (see docs/pdf.md for why not page footnotes);
- the evidence appendix: every distinct cited span, per source, in its surrounding sentence(s),
  with the cited words marked and links back to every note that cites it;
- the provenance line: counts and a short hash of the content files the document was built from.

The page is rendered from the model with HTML autoescaping, so curated text is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsheet.digests import NamedBytes, content_digest
from factsheet.model import Briefing, Citation, Source
from factsheet.outputs.corrections import versions
from factsheet.outputs.environment import environment
from factsheet.outputs.notes import Note, notes, page_reference
from factsheet.outputs.passages import Passage, sentence_context


@dataclass
class Cited:
    """One distinct cited span of a source, as the appendix shows it (``E1``, ``E2``…)."""

    number: int
    source: Source
    start: int
    end: int
    context: Passage
    notes: list[Note] = field(default_factory=list)

    @property
    def pages(self) -> str | None:
        return page_reference(self.source, self.start, self.end)

    @property
    def anchor(self) -> str:
        return f"ev-{self.source.id}-{self.start}-{self.end}"


def appendix(briefing: Briefing, all_notes: list[Note]) -> tuple[list[tuple[Source, list[Cited]]], dict[str, Cited]]:
    """Distinct cited spans per source, in text order, each knowing the notes that cite it; and
    each note's entry, by note label."""
    by_span: dict[tuple[str, int, int], list[Note]] = {}
    for note in all_notes:
        by_span.setdefault((note.span.source, note.span.start, note.span.end), []).append(note)
    result: list[tuple[Source, list[Cited]]] = []
    entry_of: dict[str, Cited] = {}
    number = 0
    for source in briefing.sources:
        entries = []
        for key in sorted(k for k in by_span if k[0] == source.id):
            number += 1
            cited_by = by_span[key]
            entry = Cited(number, source, key[1], key[2], sentence_context(source, cited_by[0].span), cited_by)
            entry_of.update((n.label, entry) for n in cited_by)
            entries.append(entry)
        result.append((source, entries))
    return result, entry_of


@dataclass(frozen=True)
class PrintDocument:
    """Everything the print template needs, computed once."""

    briefing: Briefing
    notes: dict[str, Note]  # by label
    evidence: list[tuple[Source, list[Cited]]]
    entry_of: dict[str, Cited]  # each note's appendix entry, by label
    digest: str
    created: str | None  # W3C date-time for the dcterms meta tags

    def note(self, citation: Citation) -> Note:
        return self.notes[citation.label]

    def entry(self, note: Note) -> Cited:
        return self.entry_of[note.label]

    @property
    def short_digest(self) -> str:
        return self.digest[:12]


def print_document(briefing: Briefing, files: list[NamedBytes], created: str | None) -> PrintDocument:
    all_notes = notes(briefing)
    evidence, entry_of = appendix(briefing, all_notes)
    return PrintDocument(briefing, {n.label: n for n in all_notes}, evidence, entry_of,
                         content_digest(files), created)


def render_print_html(doc: PrintDocument, templates: Path) -> str:
    b = doc.briefing
    return environment(templates).get_template("pdf.html.j2").render(
        doc=doc, briefing=b, description=_description(b), versions=versions(b),
        sections=[(s, b.facts_in(s.id)) for s in b.sections],
        citation_count=len(doc.notes), passage_count=sum(len(p) for _, p in doc.evidence),
        single_source=sum(1 for f in b.facts if f.single_source),
    )


def _description(b: Briefing) -> str | None:
    """The PDF's subject: the summary (or subtitle), with the version when the briefing is released."""
    text = b.summary or b.subtitle
    latest = b.latest
    if latest is None:
        return text
    stamp = f"Version {latest.version}, released {latest.date}"
    return f"{text} ({stamp})" if text else stamp
