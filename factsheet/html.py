"""Markdown -> the standalone HTML page: python-markdown with a fixed extension list, in a Jinja2
page template whose CSS is inlined (the page makes no request of its own)."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

import jinja2
import markdown
from markdown.extensions.footnotes import FootnoteExtension, FootnoteInlineProcessor
from markupsafe import Markup

from factsheet.model import Briefing

EXTENSIONS = ["footnotes", "toc"]
EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TITLE": "Back to the statement"}, "toc": {"toc_depth": "2-3"}}


def strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        return md[end + 5 :]
    return md


class _FootnoteOrder(list):
    """The footnote ids in order of first reference, with constant-time ``in`` and ``index``."""

    def __init__(self) -> None:
        super().__init__()
        self._position: dict[str, int] = {}

    def append(self, item: str) -> None:
        self._position.setdefault(item, len(self))
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._position

    def index(self, item, *args) -> int:  # type: ignore[override]
        if args or item not in self._position:
            return super().index(item, *args)
        return self._position[item]


class _Footnotes(FootnoteExtension):
    """python-markdown's footnotes, rendering the same HTML in linear time. The stock extension
    numbers each reference by searching lists of every footnote (``list(keys).index``), so
    30,000 footnotes took 35 s; here both orders are looked up in tables."""

    def reset(self) -> None:
        super().reset()
        self.footnote_order = _FootnoteOrder()
        self._numbers: dict[str, int] = {}

    def extendMarkdown(self, md) -> None:
        super().extendMarkdown(md)
        md.inlinePatterns.register(_FootnoteReference(r"\[\^([^\]]*)\]", self), "footnote", 175)

    def definition_number(self, id: str) -> int:
        # Every definition is collected by the block parser before inline patterns run.
        if len(self._numbers) != len(self.footnotes):
            self._numbers = {key: n for n, key in enumerate(self.footnotes, 1)}
        return self._numbers[id]


class _FootnoteReference(FootnoteInlineProcessor):
    """``FootnoteInlineProcessor.handleMatch`` with the footnote's number looked up, not searched."""

    def handleMatch(self, m, data):  # noqa: N802 (python-markdown's name)
        id = m.group(1)
        ext = self.footnotes
        if id not in ext.footnotes:
            return None, None, None
        ext.addFootnoteRef(id)
        if ext.getConfig("USE_DEFINITION_ORDER"):
            number = ext.definition_number(id)
        else:
            number = ext.footnote_order.index(id) + 1
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", ext.makeFootnoteRefId(id, found=True))
        a.set("href", "#" + ext.makeFootnoteId(id))
        a.set("class", "footnote-ref")
        a.text = ext.getConfig("SUPERSCRIPT_TEXT").format(number)
        return sup, m.start(0), m.end(0)


def _extensions() -> tuple[list, dict]:
    extensions = [_Footnotes(**EXTENSION_CONFIGS["footnotes"]) if e == "footnotes" else e for e in EXTENSIONS]
    return extensions, {k: v for k, v in EXTENSION_CONFIGS.items() if k != "footnotes"}


@lru_cache(maxsize=2)  # the page and its print version convert the same Markdown
def markdown_to_html(md: str) -> str:
    extensions, configs = _extensions()
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs, output_format="html")
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
