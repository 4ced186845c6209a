"""Where each generator's page and PDF go, how the page links the PDF, and its front matter.

Every page is served at ``/<slug>/`` with the PDF at ``/<slug>/<slug>.pdf``; the files that give
that differ:

==========  ====================================  ==========================================
generator   page                                  PDF
==========  ====================================  ==========================================
MkDocs      ``docs/<slug>.md``                    ``docs/<slug>/<slug>.pdf``
Hugo        ``content/<slug>/index.md``           beside it (a page bundle's resource)
Jekyll      ``<slug>/index.md``                   beside it
Quarto      ``<slug>/index.qmd``                  beside it, listed in ``resources``
Docusaurus  ``docs/<slug>.mdx``                   ``docs/<slug>/<slug>.pdf`` (the build copies it)
Astro       ``src/pages/<slug>.mdx``              ``public/<slug>/<slug>.pdf``
==========  ====================================  ==========================================

MkDocs and Docusaurus name a folder's pages after the folder (a slug) in their navigation, so
their page is a file of its own, which they list under its title.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from factsheet.model import Briefing
from factsheet.sites.config import Site

MARKER = "factsheet:"  # the namespaced front matter key every page we write carries


@dataclass(frozen=True)
class Bundle:
    page: Path  # the page file
    pdf: Path  # the PDF file
    href: str  # the PDF as the page links it
    dialect: str  # "markdown", "quarto" or "mdx"
    title_heading: bool  # the page starts with the title (the theme does not print it)


def bundle(site: Site, slug: str) -> Bundle:
    g, c = site.generator, site.content
    if g == "mkdocs":
        return Bundle(c / f"{slug}.md", c / slug / f"{slug}.pdf", f"{slug}/{slug}.pdf", "markdown", True)
    if g == "quarto":
        return Bundle(c / slug / "index.qmd", c / slug / f"{slug}.pdf", f"{slug}.pdf", "quarto", False)
    if g == "docusaurus":
        return Bundle(c / f"{slug}.mdx", c / slug / f"{slug}.pdf", f"./{slug}/{slug}.pdf", "mdx", False)
    if g == "astro":
        assert site.static is not None
        return Bundle(c / f"{slug}.mdx", site.static / slug / f"{slug}.pdf", f"{slug}.pdf", "mdx", False)
    return Bundle(c / slug / "index.md", c / slug / f"{slug}.pdf", f"{slug}.pdf", "markdown", False)


def page_front(site: Site, briefing: Briefing, pdf_name: str) -> dict:
    """The generator's front matter: the conventional keys it reads, the briefing's own under
    ``factsheet`` (with the PDF's name)."""
    from factsheet.outputs.markdown import front_fields  # Jinja: not on every command's start

    generator = site.generator
    fields = front_fields(briefing, lastmod_key="last_modified_at" if generator == "jekyll" else "lastmod")
    fields["factsheet"]["pdf"] = pdf_name
    own = fields.pop("factsheet")
    if generator == "mkdocs":
        # MkDocs treats a page title as HTML (its themes print it unescaped, as it does the title
        # it takes from a page's first heading), so it is given as HTML.
        for key in ("title", "description"):
            if fields[key] is not None:
                fields[key] = html.escape(fields[key])
    elif generator == "hugo":
        fields["menus"] = "main"  # the menu themes show as the site's navigation
    elif generator == "jekyll" and not _jekyll_default_layout(site.config):
        fields = {"layout": "default", **fields}
    elif generator == "quarto":
        fields = _quarto(fields, briefing, pdf_name)
    elif generator == "docusaurus":
        fields = {"title": fields["title"], "description": fields["description"], "keywords": fields["tags"]}
    elif generator == "astro" and (site.root / "src" / "layouts" / "Layout.astro").is_file():
        fields = {"layout": "../layouts/Layout.astro", **fields}
    return {**fields, "factsheet": own}


def _quarto(fields: dict, briefing: Briefing, pdf_name: str) -> dict:
    # Pandoc reads metadata strings as Markdown: curated text in them is escaped as in the page.
    from factsheet.outputs.markup import escape

    def md(value: str | None) -> str | None:
        return None if value is None else str(escape(value))

    return {"title": md(fields["title"]), "description": md(fields["description"]),
            "author": [md(a) for a in briefing.authors] or None, "date": fields["date"],
            "date-modified": fields["lastmod"], "categories": [md(t) for t in fields["tags"]] or None,
            "resources": [pdf_name]}


def _jekyll_default_layout(config: dict) -> bool:
    """Whether the site's ``defaults`` give every page a layout (then the site's choice stands)."""
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict):
            continue
        scope, values = entry.get("scope") or {}, entry.get("values") or {}
        if isinstance(scope, dict) and isinstance(values, dict) and values.get("layout") \
                and scope.get("path") in ("", None, ".") and scope.get("type") in (None, "pages"):
            return True
    return False


def is_ours(page: Path) -> bool:
    """Whether ``publish`` wrote this page (its front matter has our key)."""
    head = page.read_text(encoding="utf-8", errors="replace")[:4000]
    front = head.split("\n---\n", 1)[0] if head.startswith("---\n") else ""
    return any(line.startswith(MARKER) for line in front.splitlines())


def refuse_foreign_page(page: Path) -> None:
    """Overwrite only a page an earlier ``publish`` wrote (its front matter has our key)."""
    from factsheet.errors import UsageError

    if page.exists() and not is_ours(page):
        raise UsageError(f"{page} exists and was not written by factsheet; "
                         "choose another --slug or move that page")
