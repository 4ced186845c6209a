"""The briefing -> Markdown for static sites (``briefing.md``, and the page ``publish`` writes).

The Markdown environment escapes every value a template prints (``markup.finalize``), so curated
text can never act as Markdown, HTML or template syntax; templates mark their own Markdown with
the ``md`` filter. Curated text is never used as a template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.model import Briefing, Citation
from factsheet.outputs.corrections import schema_org, versions
from factsheet.outputs.environment import DEFAULT_TEMPLATES, environment
from factsheet.outputs.markup import Markdown
from factsheet.outputs.notes import notes


@dataclass(frozen=True)
class Download:
    """A file published next to the page (the PDF), linked from it."""

    href: str
    label: str


def render_markdown(briefing: Briefing, templates: Path = DEFAULT_TEMPLATES, *,
                    front: dict | None = None, download: Download | None = None,
                    title_heading: bool = False, earlier: Sequence[Any] = (), dialect: str = "markdown") -> str:
    """The briefing as Markdown. ``front`` replaces the default front matter fields (publishing
    writes each generator's own); ``download`` adds a link to a file published beside the page;
    ``title_heading`` starts the page with the title as a level-1 heading, for sites whose
    themes do not print the front matter title (MkDocs); ``earlier`` lists earlier released versions
    kept beside the page (each with ``version`` and ``href``); ``dialect`` is "markdown", "mdx"
    (Docusaurus, Astro: no autolinks, MDX's escaping) or "quarto" (the download in a callout)."""

    def refs(citations: tuple[Citation, ...]) -> Markdown:
        # A no-break space between calls, or two notes would read as one number: "12".
        return Markdown("&nbsp;".join(f"[^{c.label}]" for c in citations))

    template = environment(templates, "mdx" if dialect == "mdx" else "markdown").get_template("briefing.md.j2")
    return template.render(
        briefing=briefing, sections=[(s, briefing.facts_in(s.id)) for s in briefing.sections],
        refs=refs, notes=notes(briefing), one_line=_one_line, versions=versions(briefing),
        front_matter=Markdown(yaml_front_matter(front if front is not None else front_fields(briefing))),
        download=download, title_heading=title_heading, earlier=earlier, dialect=dialect,
    )


# A note is one line: white space runs, and what some reader takes for a line break (U+0085,
# U+2028, U+2029 and the separators Python's str.splitlines honours), become one space. Every other
# character is the source's own and is kept: a no-break space in a cited passage stays one.
_LINE_BREAKING = re.compile(r"[ \t\r\n\f\v\x1c-\x1e\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    return _LINE_BREAKING.sub(" ", text).strip(" ")


def front_fields(briefing: Briefing, *, lastmod_key: str = "lastmod") -> dict[str, Any]:
    """The conventional front matter keys, then the briefing's own under ``factsheet``.

    ``lastmod`` is the briefing's date: the content records no other, and a rebuild of unchanged
    content must give the same bytes. Jekyll's plugins read ``last_modified_at`` instead.
    """
    own: dict[str, Any] = {
        "subtitle": briefing.subtitle,
        "authors": list(briefing.authors),
        "language": briefing.language,
        "facts": len(briefing.facts),
        "citations": len(briefing.all_citations()),
        "sources": len(briefing.sources),
        "generator": f"factsheet {__version__}",
    }
    fields: dict[str, Any] = {
        "title": briefing.title,
        "date": briefing.date,
        lastmod_key: briefing.date,
        "description": briefing.summary or briefing.subtitle,
        "tags": list(briefing.keywords),
        "factsheet": own,
    }
    v = versions(briefing)
    if v.version is not None:
        own["version"] = v.version
        own["released"] = v.released
    if v.entries:
        own["correction"] = schema_org(v)  # schema.org CorrectionComment
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


