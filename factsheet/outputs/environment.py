"""The one Jinja2 environment factory every output renders with.

Flavours over the same templates folder: HTML (autoescaping; the web page and the print
edition) and Markdown (every printed value escaped by ``markup.finalize``, templates mark their own
Markdown with the ``md`` filter), and MDX, Markdown whose escaping also keeps MDX's ESM lines
out. Curated text is only ever a value, never a template.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from factsheet.outputs import corrections, marks, markup
from factsheet.outputs.passages import heading_anchor

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@lru_cache(maxsize=8)
def environment(templates: Path, flavour: str = "html") -> jinja2.Environment:
    """The environment for ``templates``: ``flavour`` is "html", "markdown" or "mdx"."""
    markdown = flavour in ("markdown", "mdx")
    mdx = flavour == "mdx"
    finalize = (markup.finalize_mdx if mdx else markup.finalize) if markdown else None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
        autoescape=not markdown, finalize=finalize,
        keep_trailing_newline=markdown, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["anchor"] = heading_anchor
    env.filters["long_date"] = long_date
    env.globals.update(review_mark=marks.review_mark, review_line=marks.review_line,
                       SINGLE_SOURCE=marks.SINGLE_SOURCE, version_line=corrections.version_line)
    if markdown:
        env.filters["md"] = markup.Markdown  # a template's own Markdown, not curated text
        env.filters["esc"] = (lambda text: markup.escape(text, mdx=True)) if mdx else markup.escape
        env.filters["url"] = markup.link_destination
    else:
        env.filters["t"] = markup.html_text
    return env


def long_date(value: str | None, language: str = "en") -> str | None:
    """``2025-03-14`` -> ``14 March 2025`` for English; other languages keep the ISO form."""
    if not value or not language.startswith("en"):
        return value
    parts = [int(p) for p in value.split("-")]
    words = [str(parts[2])] if len(parts) == 3 else []
    words += [_MONTHS[parts[1] - 1]] if len(parts) >= 2 else []
    return " ".join(words + [str(parts[0])])
