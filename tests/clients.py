"""The real Markdown readers the briefing is published to, driven the way their sites drive them.

python-markdown with MkDocs' default extensions plus footnotes; Pandoc (its own Markdown, GFM and
CommonMark); kramdown with the options Jekyll passes it; and whole MkDocs, Hugo and Jekyll sites
built from scratch in a temporary folder. Also a small HTML-to-text reader for assertions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code", "footnotes"]  # MkDocs' defaults + footnotes


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed; run scripts/setup-system")
    return path


def python_markdown(md: str) -> str:
    import markdown

    return markdown.markdown(md, extensions=MKDOCS_EXTENSIONS)


def pandoc(md: str, reader: str) -> str:
    return _run([require("pandoc"), "-f", reader, "-t", "html5"], md)


# Jekyll 4.3's kramdown defaults (jekyll/configuration.rb), GFM input included.
_KRAMDOWN = r"""
require "kramdown"
require "kramdown-parser-gfm"
opts = {input: "GFM", auto_ids: true, entity_output: "as_char", hard_wrap: false,
        smart_quotes: ["lsquo", "rsquo", "ldquo", "rdquo"], footnote_nr: 1}
print Kramdown::Document.new(STDIN.read, opts).to_html
"""


def kramdown(md: str) -> str:
    return _run([require("ruby"), "-e", _KRAMDOWN], md)


def _run(argv: list[str], stdin: str, cwd: Path | None = None) -> str:
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"{argv[0]} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


# MDX as Docusaurus and Astro compile it (@mdx-js/mdx with remark-gfm), evaluated and rendered to
# HTML by React, from the Docusaurus site scripts/setup-sites installed.
_MDX = r"""
import { evaluate } from "@mdx-js/mdx";
import remarkGfm from "remark-gfm";
import * as runtime from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
let source = "";
for await (const chunk of process.stdin) source += chunk;
const { default: Content } = await evaluate(source, { ...runtime, remarkPlugins: [remarkGfm] });
process.stdout.write(renderToStaticMarkup(createElement(Content)));
"""


def mdx(md: str) -> str:
    from tests.sitebuilds import CACHE

    site = CACHE / "docusaurus"
    if not (site / "node_modules" / "@mdx-js" / "mdx").is_dir():
        pytest.skip(f"no MDX compiler in {site}: scripts/setup-sites installs it from the npm registry")
    script = site / ".factsheet-mdx.mjs"  # inside the site, so node resolves its node_modules
    script.write_text(_MDX, encoding="utf-8")
    return _run([require("node"), str(script)], md)


# ---- whole sites -------------------------------------------------------------------------------

PAGE_LAYOUT = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
               "<body><main id=\"content\">{content}</main></body></html>\n")


def new_mkdocs_site(root: Path) -> Path:
    """A fresh MkDocs site, as `mkdocs new` makes it, with the footnotes extension turned on."""
    subprocess.run([sys.executable, "-m", "mkdocs", "new", str(root)], check=True, capture_output=True)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("markdown_extensions:\n  - toc\n  - tables\n  - fenced_code\n  - footnotes\n")
    return root


def build_mkdocs(root: Path) -> Path:
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], "", cwd=root)
    return root / "site"


def new_hugo_site(root: Path) -> Path:
    """A fresh Hugo site (`hugo new site`) with the smallest layout that shows a page."""
    _run([require("hugo"), "new", "site", str(root)], "")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    page = PAGE_LAYOUT.format(title="{{ .Title }}", content="{{ .Content }}")
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(page, encoding="utf-8")
    return root


def build_hugo(root: Path) -> Path:
    _run([require("hugo"), "--quiet", "--source", str(root), "--destination", str(root / "public")], "")
    return root / "public"


def new_jekyll_site(root: Path) -> Path:
    """A Jekyll site with no theme: one default layout, applied to every page."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(
        "title: Test site\ndefaults:\n  - scope: {path: \"\"}\n    values: {layout: default}\n",
        encoding="utf-8")
    (root / "_layouts").mkdir()
    page = PAGE_LAYOUT.format(title="{{ page.title | escape }}", content="{{ content }}")
    (root / "_layouts" / "default.html").write_text(page, encoding="utf-8")
    return root


def build_jekyll(root: Path) -> Path:
    _run([require("jekyll"), "build", "--quiet", "--source", str(root),
          "--destination", str(root / "_site")], "", cwd=root)
    return root / "_site"


# ---- reading HTML back -----------------------------------------------------------------------

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


class Blocks(HTMLParser):
    """The text of each outermost block (p, li, h1-h6) inside an element, in document order.

    Footnote calls (``sup``) are skipped, so a statement's text is just its words.
    """

    def __init__(self, inside: str | None = None):
        super().__init__(convert_charrefs=True)
        self.inside, self.depth, self.open = inside, 0 if inside else 1, None
        self._tag = None
        self.skip = 0
        self.blocks: list[tuple[str, str]] = []  # (tag, text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0 and self.inside in (tag, attrs.get("id"), attrs.get("role"),
                                               *(attrs.get("class") or "").split()):
            self.depth = 1
            self._tag = tag
            return
        if not self.depth:
            return
        if tag == self._tag:
            self.depth += 1
        if tag == "sup":
            self.skip += 1
        if tag in BLOCKS and self.open is None:
            self.open = [tag, [], 0]
        elif self.open is not None and tag == self.open[0]:
            self.open[2] += 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == self._tag:
            self.depth -= 1
        if tag == "sup":
            self.skip -= 1
        if self.open is not None and tag == self.open[0]:
            if self.open[2]:
                self.open[2] -= 1
            else:
                self.blocks.append((tag, " ".join("".join(self.open[1]).split())))
                self.open = None

    def handle_data(self, data):
        if self.depth and self.open is not None and not self.skip:
            self.open[1].append(data)


def blocks(html: str, inside: str | None = None) -> list[tuple[str, str]]:
    parser = Blocks(inside)
    parser.feed(html)
    parser.close()
    return parser.blocks


def footnote_links(html: str) -> tuple[list[str], set[str]]:
    """Every in-page footnote call target (href="#x" inside a sup) and every element id."""
    calls = re.findall(r'<sup[^>]*>\s*<a[^>]*href="#([^"]+)"', html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return calls, ids


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
