"""The print edition's HTML: the briefing laid out for paged media (WeasyPrint) from the model.

What this module owns, none of it needing WeasyPrint:

- the notes, set as endnotes closing each section (see docs/pdf.md for why not page footnotes);
- the evidence appendix (``evidence.py`` groups it): every cited span, per source, in its
  surrounding sentence(s), spans of one paragraph sharing one passage, the cited words marked and
  links back to every note that cites them;
- the provenance line: counts and a short hash of the content files the document was built from.

The page is rendered from the model with HTML autoescaping, so curated text is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factsheet.digests import NamedBytes, content_digest
from factsheet.model import Briefing, Citation, Source
from factsheet.outputs.corrections import versions
from factsheet.outputs.environment import environment
from factsheet.outputs.evidence import Evidence, appendix
from factsheet.outputs.notes import Note, notes

__all__ = ["PrintDocument", "appendix", "notes", "print_document", "render_print_html"]


@dataclass(frozen=True)
class PrintDocument:
    """Everything the print template needs, computed once."""

    briefing: Briefing
    notes: dict[str, Note]  # by label
    evidence: list[tuple[Source, list[Evidence]]]
    entry_of: dict[str, Evidence]  # each note's appendix entry, by label
    digest: str
    created: str | None  # W3C date-time for the dcterms meta tags

    def note(self, citation: Citation) -> Note:
        return self.notes[citation.label]

    def entry(self, note: Note) -> Evidence:
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
