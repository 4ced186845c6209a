"""The print edition's HTML: the briefing laid out for paged media (WeasyPrint) from the model.

What this module owns, none of it needing WeasyPrint:

- the notes: one per citation, numbered in reading order (sections, then "Where the sources
  differ"), set as endnotes closing each section (see docs/pdf.md for why not page footnotes);
- the evidence appendix: every distinct cited span, per source, in its surrounding sentence(s),
  with the cited words marked and links back to every note that cites it;
- the provenance line: counts and a short hash of the content files the document was built from.

The page is rendered from the model with HTML autoescaping, so curated text is never markup.
Anchors use the same labels as the Markdown footnotes (``render.footnote_labels``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.load import content_files
from factsheet.model import Briefing, Citation, Source
from factsheet.render import footnote_labels, source_label

# How much of the surrounding text the appendix shows around a cited span.
MIN_CONTEXT = 60  # shorter than this on both sides together: take one more sentence each way
MAX_SIDE = 320  # never more than this many characters on one side

# Runs of this many non-space characters are set without automatic hyphenation: WeasyPrint tries
# every hyphenation point of a word, which for a 3,000-character token takes tens of seconds.
LONG_TOKEN = re.compile(r"\S{30,}")

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)|\n")


@dataclass
class Passage:
    """One distinct cited span of a source, shown in context in the appendix."""

    number: int
    source: Source
    start: int
    end: int
    before: str
    cited: str
    after: str
    notes: list[Note] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"ev-{self.source.id}-{self.start}-{self.end}"


@dataclass
class Note:
    """One citation as a numbered note: where its call is and which passage it shows."""

    number: int
    label: str
    citation: Citation
    source: Source
    passage: Passage | None = None

    @property
    def call_id(self) -> str:
        return f"call-{self.label}"

    @property
    def note_id(self) -> str:
        return f"note-{self.label}"


@dataclass(frozen=True)
class ContentFile:
    """A file the briefing was built from, by its path relative to the content folder."""

    name: str
    data: bytes


def read_content(briefing: Briefing) -> list[ContentFile]:
    """The YAML files and source texts, in a stable order, as the bytes on disk."""
    root = Path(briefing.content_dir)
    paths = content_files(root) + [root / "sources" / s.file for s in briefing.sources]
    return [ContentFile(p.relative_to(root).as_posix(), p.read_bytes()) for p in paths]


def content_digest(files: list[ContentFile]) -> str:
    """sha256 over every content file's name and bytes, independent of where the folder is."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        name = f.name.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()


def number_notes(briefing: Briefing) -> dict[int, Note]:
    """Every citation's note, keyed by ``id(citation)``, numbered in reading order."""
    labels = footnote_labels(briefing)
    ordered = [c for s in briefing.sections for f in briefing.facts_in(s.id) for c in f.citations]
    ordered += [c for d in briefing.disagreements for v in d.variants for c in v.citations]
    return {id(c): Note(n, labels[id(c)], c, briefing.source(c.source))
            for n, c in enumerate(ordered, 1)}


def collect_passages(briefing: Briefing, notes: dict[int, Note]) -> list[tuple[Source, list[Passage]]]:
    """Distinct cited spans per source, in text order, each knowing the notes that cite it."""
    by_span: dict[tuple[str, int, int], list[Note]] = {}
    for note in sorted(notes.values(), key=lambda n: n.number):
        span = note.citation.span
        assert span is not None, "rendering needs a resolved briefing"
        by_span.setdefault((span.source, span.start, span.end), []).append(note)
    result, number = [], 0
    for source in briefing.sources:
        keys = sorted(k for k in by_span if k[0] == source.id)
        passages = []
        for _, start, end in keys:
            number += 1
            before, after = surrounding(source.text, start, end)
            passage = Passage(number, source, start, end, before, source.text[start:end], after,
                              by_span[(source.id, start, end)])
            for note in passage.notes:
                note.passage = passage
            passages.append(passage)
        result.append((source, passages))
    return result


def surrounding(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the sentence(s) around ``text[start:end]``: (text before, text after)."""
    left, right = _sentence_start(text, start), _sentence_end(text, end)
    if (start - left) + (right - end) < MIN_CONTEXT:
        left, right = _sentence_start(text, max(left - 1, 0)), _sentence_end(text, min(right + 1, len(text)))
    before, after = text[left:start], text[end:right]
    if len(before) > MAX_SIDE:
        before = "… " + before[-MAX_SIDE:].split(" ", 1)[-1]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE].rsplit(" ", 1)[0] + " …"
    return before.lstrip(), after.rstrip()


def _sentence_start(text: str, pos: int) -> int:
    # The last sentence end strictly before pos, skipping the white space after it.
    last = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 4 * MAX_SIDE), pos):
        if m.end() <= pos:
            last = m.end()
    while last < pos and text[last].isspace():
        last += 1
    return last


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos, min(len(text), pos + 4 * MAX_SIDE))
    if m is None:
        return min(len(text), pos + 4 * MAX_SIDE)
    return m.end() if m.group() != "\n" else m.start()


@dataclass(frozen=True)
class PrintDocument:
    """Everything the print template needs, computed once."""

    briefing: Briefing
    notes: dict[int, Note]
    evidence: list[tuple[Source, list[Passage]]]
    digest: str
    created: str | None  # W3C date-time for the dcterms meta tags

    def note(self, citation: Citation) -> Note:
        return self.notes[id(citation)]

    @property
    def short_digest(self) -> str:
        return self.digest[:12]


def print_document(briefing: Briefing, files: list[ContentFile], created: str | None) -> PrintDocument:
    notes = number_notes(briefing)
    evidence = collect_passages(briefing, notes)
    return PrintDocument(briefing, notes, evidence, content_digest(files), created)


def text(value: str):
    """Curated text as HTML: escaped, with long unbroken runs marked to wrap without hyphenation."""
    from markupsafe import Markup, escape

    out, last = [], 0
    for m in LONG_TOKEN.finditer(value):
        out += [escape(value[last:m.start()]), Markup('<span class="unbroken">'), escape(m.group()),
                Markup("</span>")]
        last = m.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def long_date(value: str | None, language: str) -> str | None:
    """``2025-03-14`` -> ``14 March 2025`` for English; other languages keep the ISO form."""
    if not value or not language.startswith("en"):
        return value
    parts = [int(p) for p in value.split("-")]
    words = [str(parts[2])] if len(parts) == 3 else []
    words += [_MONTHS[parts[1] - 1]] if len(parts) >= 2 else []
    return " ".join(words + [str(parts[0])])


def render_print_html(doc: PrintDocument, templates: Path) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             undefined=jinja2.StrictUndefined, autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["t"] = text
    env.filters["long_date"] = lambda value: long_date(value, doc.briefing.language)
    b = doc.briefing
    return env.get_template("pdf.html.j2").render(
        doc=doc, briefing=b, sections=[(s, b.facts_in(s.id)) for s in b.sections],
        source_label=source_label, citation_count=len(doc.notes),
        passage_count=sum(len(p) for _, p in doc.evidence),
        single_source=sum(1 for f in b.facts if len(f.source_ids) == 1),
    )
