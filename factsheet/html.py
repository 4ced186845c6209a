"""Markdown -> the standalone HTML page: python-markdown with a fixed extension list, in a Jinja2
page template whose CSS is inlined (the page makes no request of its own)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

from factsheet.model import Briefing

EXTENSIONS = ["footnotes", "toc"]
EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TITLE": "Back to the statement"}, "toc": {"toc_depth": "2-3"}}


def strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        return md[end + 5 :]
    return md


@lru_cache(maxsize=2)  # the page and its print version convert the same Markdown
def markdown_to_html(md: str) -> str:
    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                  output_format="html")
    return converter.convert(strip_front_matter(md))


def html_environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                              undefined=jinja2.StrictUndefined, autoescape=True)


def render_html(briefing: Briefing, md: str, templates: Path, *, for_print: bool = False) -> str:
    env = html_environment(templates)
    css = (templates / "briefing.css").read_text(encoding="utf-8")
    return env.get_template("briefing.html.j2").render(
        briefing=briefing, body=Markup(markdown_to_html(md)), css=Markup(css), for_print=for_print,
    )
