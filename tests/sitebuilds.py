"""New sites of every generator `publish` writes to, each started the way its own documentation
starts one, and built by the real generator; and readers for what the built pages show.

MkDocs (`mkdocs new`, and the same with the Material theme), Hugo (`hugo new site` and `hugo new
theme`, the theme given a head, a menu and a page), Jekyll (`jekyll new --blank`, its layout given
the page list themes show), Quarto (`quarto create project website`), Docusaurus and Astro (the
sites scripts/setup-sites created from the npm registry: their sources are copied, their
node_modules linked, so nothing is installed during the tests).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.clients import require
from tests.conftest import ROOT

CACHE = ROOT / ".cache" / "sites"
TIMEOUT = 600


def run(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                          env=None if env is None else {**os.environ, **env})
    if done.returncode != 0:
        pytest.fail(f"{' '.join(argv[:3])} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


# ---- new sites ---------------------------------------------------------------------------------

def new_mkdocs(root: Path) -> Path:
    run([sys.executable, "-m", "mkdocs", "new", str(root)])
    return root


def new_material(root: Path) -> Path:
    """`mkdocs new`, then the theme as Material's "Creating your site" sets it, with its footnote
    tooltips (the Material convention for notes)."""
    new_mkdocs(root)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("theme:\n  name: material\n  features:\n    - content.footnote.tooltips\n")
    return root


_HUGO_THEME = {
    "partials/head.html": "<head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n",
    "partials/header.html": "<nav>{{ range .Site.Menus.main }}<a href=\"{{ .URL }}\">{{ .Name }}</a> {{ end }}</nav>\n",
    "_default/single.html": "{{ define \"main\" }}<main>{{ .Content }}</main>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<main>{{ .Content }}</main>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<main>{{ .Content }}</main>{{ end }}\n",
}


def new_hugo(root: Path) -> Path:
    """`hugo new site`, and `hugo new theme minimal` with the few layouts a page needs."""
    hugo = require("hugo")
    run([hugo, "new", "site", str(root)])
    run([hugo, "new", "theme", "minimal"], cwd=root)
    for name, text in _HUGO_THEME.items():
        (root / "themes" / "minimal" / "layouts" / name).write_text(text, encoding="utf-8")
    config = next(root / name for name in ("hugo.toml", "config.toml") if (root / name).is_file())
    with config.open("a", encoding="utf-8") as f:
        f.write("theme = 'minimal'\n")
    return root


def new_jekyll(root: Path) -> Path:
    """`jekyll new --blank`, its layout given the list of titled pages that themes (minima) show."""
    run([require("jekyll"), "new", "--blank", str(root)])
    layout = root / "_layouts" / "default.html"
    nav = ('<nav>{% for p in site.pages %}{% if p.title %}<a href="{{ p.url | relative_url }}">'
           "{{ p.title | escape }}</a> {% endif %}{% endfor %}</nav>\n    ")
    layout.write_text(layout.read_text(encoding="utf-8").replace("{{ content }}", nav + "{{ content }}"),
                      encoding="utf-8")
    return root


def quarto() -> str:
    path = shutil.which("quarto")
    if path is None:
        pytest.skip("the Quarto CLI is not installed: PyPI's quarto-cli package downloads it from GitHub "
                    "while installing, which this machine cannot reach")
    return path


def new_quarto(root: Path) -> Path:
    run([quarto(), "create", "project", "website", root.name, "Test site", "--no-prompt", "--no-open"],
        cwd=root.parent)
    return root


def write_quarto_website(root: Path) -> Path:
    """The files `quarto create project website` writes (Quarto 1.5-1.8), for the tests that
    only publish into the site and read the page with Pandoc, where Quarto itself is missing."""
    root.mkdir(parents=True)
    (root / "_quarto.yml").write_text(
        "project:\n  type: website\n\nwebsite:\n  title: \"Test site\"\n  navbar:\n    left:\n"
        "      - href: index.qmd\n        text: Home\n      - about.qmd\n\nformat:\n  html:\n    theme:\n"
        "      - cosmo\n      - brand\n    css: styles.css\n    toc: true\n\n\n\n", encoding="utf-8")
    (root / "index.qmd").write_text("---\ntitle: \"Test site\"\n---\n\nThis is a Quarto website.\n", encoding="utf-8")
    (root / "about.qmd").write_text("---\ntitle: \"About\"\n---\n\nAbout this site\n", encoding="utf-8")
    (root / "styles.css").write_text("/* css styles */\n", encoding="utf-8")
    return root


def _from_cache(name: str, root: Path) -> Path:
    source = CACHE / name
    if not any(source.glob(".done-*")):
        pytest.skip(f"no {name} site in {source}: scripts/setup-sites creates it from the npm registry "
                    "(it could not, or has not run)")
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("node_modules", ".done-*", "build", "dist",
                                                                ".docusaurus", ".astro"))
    (root / "node_modules").symlink_to(source / "node_modules")
    return root


def new_docusaurus(root: Path) -> Path:
    """The classic site from the setup, without its sample blog posts and tutorial pages (as a
    site's owner removes them), which halves the build."""
    _from_cache("docusaurus", root)
    shutil.rmtree(root / "blog")
    for tutorial in (root / "docs").glob("tutorial-*"):
        shutil.rmtree(tutorial)
    return root


ASTRO_LAYOUT = """---
// The site's page layout: the pages it lists by title, then the page.
const { frontmatter } = Astro.props;
const pages = Object.entries(import.meta.glob('../pages/*.mdx', { eager: true }))
  .map(([file, page]) => ({ href: '/' + file.split('/').pop().replace(/\\.mdx$/, '') + '/',
                            title: page.frontmatter.title }));
---
<html lang="en">
  <head><meta charset="utf-8" /><title>{frontmatter.title}</title></head>
  <body>
    <nav>{pages.map((p) => <a href={p.href}>{p.title}</a>)}</nav>
    <main><h1>{frontmatter.title}</h1><slot /></main>
  </body>
</html>
"""


def new_astro(root: Path) -> Path:
    """The Astro site from the setup, with a layout (``src/layouts/Layout.astro``, the starters'
    name) that lists the site's MDX pages by title, and typographic quotes off (which publish
    asks for)."""
    _from_cache("astro", root)
    config = root / "astro.config.mjs"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  integrations: [mdx()],\n", "  integrations: [mdx()],\n  markdown: { smartypants: false },\n"),
        encoding="utf-8")
    (root / "src" / "layouts").mkdir(parents=True, exist_ok=True)
    (root / "src" / "layouts" / "Layout.astro").write_text(ASTRO_LAYOUT, encoding="utf-8")
    return root


# ---- builds: each returns the folder of the built site ---------------------------------------

def build(generator: str, root: Path) -> Path:
    if generator in ("mkdocs", "material"):
        run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=root)
        return root / "site"
    if generator == "hugo":
        run([require("hugo"), "--quiet", "--source", str(root), "--destination", str(root / "public")])
        return root / "public"
    if generator == "jekyll":
        run([require("jekyll"), "build", "--quiet", "--source", str(root), "--destination", str(root / "_site")],
            cwd=root)
        return root / "_site"
    if generator == "quarto":
        run([quarto(), "render", "--quiet"], cwd=root)
        return root / "_site"
    if generator == "docusaurus":
        # Every test site is new, so rspack's persistent cache never hits; it would only grow inside the
        # shared node_modules (about 9 MB a run).
        run([require("node"), "node_modules/@docusaurus/core/bin/docusaurus.mjs", "build", "--no-minify"], cwd=root,
            env={"DOCUSAURUS_NO_PERSISTENT_CACHE": "1"})
        return root / "build"
    run([require("node"), "node_modules/astro/astro.js", "build", "--silent"], cwd=root)
    return root / "dist"


# ---- reading the built page -------------------------------------------------------------------

class Page(HTMLParser):
    """Links (href, text, inside a nav), footnote calls, element ids, and each id's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, bool]] = []
        self.calls: list[str] = []
        self.ids: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of open elements
        self._texts: dict[str, list[str]] = {}
        self._link: list | None = None
        self._sup = 0
        self._nav = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("nav", "aside"):
            self._nav += 1
        if tag == "sup":
            self._sup += 1
        if tag == "a" and a.get("href") is not None:
            href = a["href"] or ""
            self._link = [href, [], bool(self._nav)]
            if href.startswith("#") and (self._sup or a.get("role") == "doc-noteref"
                                         or "footnote-ref" in (a.get("class") or "")):
                self.calls.append(href[1:])
        if a.get("id"):
            self._texts[a["id"]] = []
        if tag not in VOID:
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("nav", "aside"):
            self._nav -= 1
        if tag == "sup":
            self._sup -= 1
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split()), self._link[2]))
            self._link = None
        while self._open:
            open_tag, open_id = self._open.pop()
            if open_id is not None:
                self.ids[open_id] = " ".join("".join(self._texts.pop(open_id, [])).split())
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._skip:
            return
        if self._link is not None:
            self._link[1].append(data)
        for tag_id in self._texts:
            self._texts[tag_id].append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    for tag_id, parts in page._texts.items():  # elements never closed
        page.ids.setdefault(tag_id, " ".join("".join(parts).split()))
    return page


def title(html: str) -> str:
    import html as htmllib

    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    return htmllib.unescape(m.group(1)).strip() if m else ""
