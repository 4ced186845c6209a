"""The standalone web page (``briefing.html``), rendered from the model with an autoescaping
Jinja2 template: every citation is a link that shows the cited words on hover or focus and leads
to the evidence section, where each passage stands in its paragraph, highlighted, with a link
that opens the original page scrolled to it (a text fragment). CSS and the few lines of script
are inlined: the page makes no request of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factsheet.model import Briefing, Citation
from factsheet.outputs.corrections import versions
from factsheet.outputs.environment import environment
from factsheet.outputs.notes import Note, notes
from factsheet.outputs.passages import Passage, heading_anchor, paragraph_context


@dataclass(frozen=True)
class Evidence:
    """One note as the page's evidence section shows it: the passage in its paragraph."""

    note: Note
    passage: Passage


def render_html(briefing: Briefing, templates: Path) -> str:
    evidence = [Evidence(n, paragraph_context(n.source, n.span)) for n in notes(briefing)]
    by_label = {e.note.label: e for e in evidence}

    def cites(citations: tuple[Citation, ...]) -> list[Evidence]:
        return [by_label[c.label] for c in citations]

    css = (templates / "briefing.css").read_text(encoding="utf-8")
    return environment(templates).get_template("briefing.html.j2").render(
        briefing=briefing, description=briefing.summary, versions=versions(briefing), css=css,
        evidence=evidence, cites=cites,
        sections=[(s, heading_anchor(s.title), briefing.facts_in(s.id)) for s in briefing.sections],
    )
