"""The print edition's HTML: the briefing laid out for paged media (WeasyPrint) from the model.

What this module owns, none of it needing WeasyPrint:

- the notes, set as endnotes closing each section (see docs/pdf.md for why not page footnotes);
- the evidence appendix: every distinct cited span, per source, in its surrounding sentence(s),
  with the cited words marked and links back to every note that cites it;
- the provenance line: counts and a short hash of the content files the document was built from.

The page is rendered from the model with HTML autoescaping, so curated text is never markup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.model import Briefing, Citation, Source
from factsheet.outputs.environment import environment
from factsheet.outputs.notes import Note, notes
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
    def anchor(self) -> str:
        return f"ev-{self.source.id}-{self.start}-{self.end}"


@dataclass(frozen=True)
class ContentFile:
    """A file the briefing was built from, by its path relative to the content folder."""

    name: str
    data: bytes


def content_files(briefing: Briefing) -> list[ContentFile]:
    """The YAML files and source texts, as read and verified, in a stable order."""
    files = [ContentFile(f.name, f.data) for f in briefing.files]
    # A source's text was decoded strictly from UTF-8 with nothing dropped: encoding it again
    # gives back the very bytes that were pinned and anchored against.
    files += [ContentFile(f"sources/{s.file}", s.text.encode("utf-8")) for s in briefing.sources]
    return files


def content_digest(files: list[ContentFile]) -> str:
    """sha256 over every content file's name and bytes, independent of where the folder is."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        name = f.name.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()


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


def print_document(briefing: Briefing, files: list[ContentFile], created: str | None) -> PrintDocument:
    all_notes = notes(briefing)
    evidence, entry_of = appendix(briefing, all_notes)
    return PrintDocument(briefing, {n.label: n for n in all_notes}, evidence, entry_of,
                         content_digest(files), created)


def render_print_html(doc: PrintDocument, templates: Path) -> str:
    b = doc.briefing
    return environment(templates).get_template("pdf.html.j2").render(
        doc=doc, briefing=b, sections=[(s, b.facts_in(s.id)) for s in b.sections],
        citation_count=len(doc.notes), passage_count=sum(len(p) for _, p in doc.evidence),
        single_source=sum(1 for f in b.facts if f.single_source),
    )
