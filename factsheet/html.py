"""The standalone web page (``briefing.html``), rendered from the model with an autoescaping
Jinja2 template: every citation is a link that shows the cited words on hover or focus and leads
to the evidence section, where each passage stands in its context, highlighted, with a link that
opens the original page scrolled to it (a text fragment). CSS and the few lines of script are
inlined: the page makes no request of its own.

``markdown_to_html`` (python-markdown with a fixed extension list) stays for readers of the
Markdown output that want the same HTML a python-markdown site would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from factsheet.model import Briefing, Citation
from factsheet.passages import Passage, heading_anchor, passage
from factsheet.render import Note, notes_in_reading_order, source_label

EXTENSIONS = ["footnotes", "toc"]
EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TITLE": "Back to the statement"}, "toc": {"toc_depth": "2-3"}}


def strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        return md[end + 5 :]
    return md


def markdown_to_html(md: str) -> str:
    import markdown

    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                  output_format="html")
    return converter.convert(strip_front_matter(md))


@dataclass(frozen=True)
class Evidence:
    """One citation as the page shows it: its number, label, passage in context and links."""

    number: int
    note: Note
    passage: Passage

    @property
    def label(self) -> str:
        return self.note.label

    @property
    def source_name(self) -> str:
        return source_label(self.note.source)


def evidence_list(briefing: Briefing) -> list[Evidence]:
    return [Evidence(n, note, passage(note.source, note.citation.span))
            for n, note in enumerate(notes_in_reading_order(briefing), 1)]


def html_environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                              undefined=jinja2.StrictUndefined, autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


def render_html(briefing: Briefing, templates: Path, *, for_print: bool = False) -> str:
    evidence = evidence_list(briefing)
    by_citation = {id(e.note.citation): e for e in evidence}

    def cites(citations: tuple[Citation, ...]) -> list[Evidence]:
        return [by_citation[id(c)] for c in citations]

    env = html_environment(templates)
    css = (templates / "briefing.css").read_text(encoding="utf-8")
    return env.get_template("briefing.html.j2").render(
        briefing=briefing, css=css, for_print=for_print, evidence=evidence, cites=cites,
        sections=[(s, heading_anchor(s.title), briefing.facts_in(s.id)) for s in briefing.sections],
        anchor=heading_anchor,
    )
