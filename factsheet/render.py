"""The briefing -> Markdown (through Jinja2 templates) and JSON. Pure functions of the model.

The Markdown environment escapes every value a template prints (``markup.finalize``), so curated
text can never act as Markdown, HTML or template syntax; templates mark their own Markdown with
the ``md`` filter. Curated text is never used as a template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from factsheet import __version__
from factsheet.markup import Markdown, escape, finalize, link_destination
from factsheet.model import Briefing, Citation, Fact, Source
from factsheet.passages import text_fragment_url

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def markdown_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
        autoescape=False, finalize=finalize, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["md"] = Markdown  # a template's own Markdown, not curated text
    env.filters["esc"] = escape
    env.filters["url"] = link_destination
    return env


@dataclass(frozen=True)
class Note:
    """One footnote: its label, the citation, and the source it points into."""

    label: str
    citation: Citation
    source: Source

    @property
    def link(self) -> str | None:
        """The original page, scrolled to the passage (a text fragment), when the source has a URL."""
        if self.source.url is None:
            return None
        return text_fragment_url(self.source.url, self.source, self.citation.span)


def footnote_labels(briefing: Briefing) -> dict[int, str]:
    """Stable labels (``fact-id-N``, ``disagreement-id-vI-N``) keyed by ``id(citation)``.

    Only ``[A-Za-z0-9_-]`` is used: kramdown accepts nothing else in a footnote label.
    """
    labels = {}
    for fact in briefing.facts:
        for n, c in enumerate(fact.citations, 1):
            labels[id(c)] = f"{fact.id}-{n}"
    for d in briefing.disagreements:
        for i, v in enumerate(d.variants, 1):
            for n, c in enumerate(v.citations, 1):
                labels[id(c)] = f"{d.id}-v{i}-{n}"
    return labels


def source_label(source: Source) -> str:
    """How a note names its source: the curator's short label, else the publisher, else the title."""
    return source.label or source.publisher or source.title


@dataclass(frozen=True)
class Download:
    """A file published next to the page (the PDF), linked from it."""

    href: str
    label: str


def notes_in_reading_order(briefing: Briefing) -> list[Note]:
    """Every citation as a note, in the order the renderers number them: sections, then
    disagreements."""
    labels = footnote_labels(briefing)
    sources = {s.id: s for s in briefing.sources}
    ordered = [c for s in briefing.sections for f in briefing.facts_in(s.id) for c in f.citations]
    ordered += [c for d in briefing.disagreements for v in d.variants for c in v.citations]
    return [Note(labels[id(c)], c, sources[c.source]) for c in ordered]


def render_markdown(briefing: Briefing, templates: Path = DEFAULT_TEMPLATES, *,
                    front: dict | None = None, download: Download | None = None,
                    title_heading: bool = False) -> str:
    """The briefing as Markdown. ``front`` replaces the default front matter fields (publishing
    writes each generator's own); ``download`` adds a link to a file published beside the page;
    ``title_heading`` starts the page with the title as a level-1 heading, for sites whose
    themes do not print the front matter title (MkDocs)."""
    labels = footnote_labels(briefing)

    def refs(citations: tuple[Citation, ...]) -> Markdown:
        # A no-break space between calls, or two notes would read as one number: "12".
        return Markdown("&nbsp;".join(f"[^{labels[id(c)]}]" for c in citations))

    template = markdown_environment(templates).get_template("briefing.md.j2")
    return template.render(
        briefing=briefing, sections=[(s, briefing.facts_in(s.id)) for s in briefing.sections],
        refs=refs, notes=notes_in_reading_order(briefing), source_label=source_label, one_line=_one_line,
        front_matter=Markdown(yaml_front_matter(front if front is not None else front_fields(briefing))),
        download=download, title_heading=title_heading,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def front_fields(briefing: Briefing, *, lastmod_key: str = "lastmod") -> dict:
    """The conventional front matter keys, then the briefing's own under ``factsheet``.

    ``lastmod`` is the briefing's date: the content records no other, and a rebuild of unchanged
    content must give the same bytes. Jekyll's plugins read ``last_modified_at`` instead.
    """
    fields = {
        "title": briefing.title,
        "date": briefing.date,
        lastmod_key: briefing.date,
        "description": briefing.summary or briefing.subtitle,
        "tags": list(briefing.keywords),
        "factsheet": {
            "subtitle": briefing.subtitle,
            "authors": list(briefing.authors),
            "language": briefing.language,
            "facts": len(briefing.facts),
            "citations": len(briefing.all_citations()),
            "sources": len(briefing.sources),
            "generator": f"factsheet {__version__}",
        },
    }
    return fields


def yaml_front_matter(fields: dict) -> str:
    """YAML front matter; every string written as a JSON string (valid YAML, nothing coerced:
    no date, number or boolean guessing). None values are left out."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_yaml_scalar(v)}" for k, v in value.items() if v is not None]
        elif value is not None:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def front_matter(briefing: Briefing) -> str:
    return yaml_front_matter(front_fields(briefing))


def briefing_json(briefing: Briefing) -> dict:
    """The briefing as data: every citation with its exact span, ``text == source[start:end]``."""
    return {
        "generator": f"factsheet {__version__}",
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "date": briefing.date,
        "language": briefing.language,
        "authors": list(briefing.authors),
        "sections": [{"id": s.id, "title": s.title, "intro": s.intro} for s in briefing.sections],
        "sources": [_source_json(s) for s in briefing.sources],
        "facts": [_fact_json(f) for f in briefing.facts],
        "disagreements": [
            {"id": d.id, "topic": d.topic, "note": d.note,
             "variants": [{"statement": v.statement, "citations": [_citation_json(c) for c in v.citations]}
                          for v in d.variants]}
            for d in briefing.disagreements],
    }


def _source_json(s: Source) -> dict:
    return {"id": s.id, "file": s.file, "title": s.title, "label": source_label(s), "publisher": s.publisher, "url": s.url,
            "published": s.published, "sha256": s.sha256, "notes": s.notes, "length": len(s.text),
            "furniture": [{"start": f.start, "end": f.end, "text": f.text} for f in s.furniture_spans]}


def _fact_json(f: Fact) -> dict:
    data = {"id": f.id, "section": f.section, "statement": f.statement,
            "citations": [_citation_json(c) for c in f.citations],
            "sources": list(f.source_ids),
            # Corroboration: a reader (and every renderer) sees which facts rest on one outlet.
            "source_count": len(f.source_ids), "single_source": len(f.source_ids) == 1}
    for key in ("when", "kind", "notes"):
        if getattr(f, key) is not None:
            data[key] = getattr(f, key)
    return data


def _citation_json(c: Citation) -> dict:
    assert c.span is not None, "rendering needs a resolved briefing"
    return {"source": c.source, "start": c.span.start, "end": c.span.end, "text": c.span.text,
            "quote": c.selector.quote}


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_json(briefing), ensure_ascii=False, indent=2) + "\n"
