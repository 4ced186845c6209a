"""Earlier released versions stay reachable on a site.

When ``publish`` replaces a page that an earlier release published, it first copies that page and
its PDF to the version's own place, and the new page links every kept version. The copy is the
page as readers saw it, byte for byte, but for one line: its front matter's title says which
version it is, so that a navigation the site makes from its pages does not list two pages of the
same title. Each kept page goes where its own links still work: its PDF where its link finds it,
its layout where its front matter names it.

==========  =========================================  ============================================
generator   kept page (version 1 of ``<slug>``)         its PDF
==========  =========================================  ============================================
MkDocs      ``docs/<slug>-v1/index.md``                ``docs/<slug>-v1/<slug>/<slug>.pdf``
Hugo        ``content/<slug>-v1/index.md``             beside it
Jekyll      ``<slug>-v1/index.md``                     beside it
Docusaurus  ``docs/<slug>-v1/index.mdx``               ``docs/<slug>-v1/<slug>/<slug>.pdf``
Astro       ``src/pages/<slug>-v1.mdx``                ``public/<slug>-v1/<slug>.pdf``
==========  =========================================  ============================================

A kept version is a sibling of the page, never inside its folder: Hugo reads every file inside a
page bundle as a resource of that page, never as a page. Astro's copy stays a file in
``src/pages`` because its front matter names the layout by a path relative to the page.
Quarto pages are replaced: without the Quarto CLI the kept page's build could not be tested.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from factsheet.sites.config import Site
from factsheet.sites.layout import Bundle

KEEPS = ("mkdocs", "hugo", "jekyll", "docusaurus", "astro")
_VERSION = re.compile(r'^  version: "([0-9.]+)"$', re.M)
_TITLE = re.compile(rb'^title: ("(?:[^"\\\n]|\\.)*")$', re.M)  # as yaml_front_matter writes it: a JSON string


@dataclass(frozen=True)
class Kept:
    version: str
    href: str  # how the current page links it


def place(site: Site, slug: str, version: str) -> tuple[Path, str]:
    """Where a version's kept page goes, and how the current page links it."""
    folder = f"{slug}-v{version}"
    if site.generator == "astro":
        return site.content / f"{folder}.mdx", f"../{folder}/"
    if site.generator == "docusaurus":
        # A file link: Docusaurus turns it into the page's address, wherever the site is served.
        return site.content / folder / "index.mdx", f"./{folder}/index.mdx"
    return site.content / folder / "index.md", f"../{folder}/"


def _pdf_place(site: Site, slug: str, version: str, href: str) -> Path:
    """Where the kept page's own link to its PDF (``href``) finds it."""
    if site.generator == "astro" and site.static is not None:
        return site.static / f"{slug}-v{version}" / href
    return place(site, slug, version)[0].parent / href.removeprefix("./")


def published_version(page: Path) -> str | None:
    """The release a page we wrote was built from (its front matter's ``factsheet.version``)."""
    if not page.is_file():
        return None
    text = page.read_text(encoding="utf-8", errors="replace")
    front = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    m = _VERSION.search(front)
    return m.group(1) if m else None


def to_keep(site: Site, slug: str, current: str | None, files: Bundle) -> tuple[Kept, dict[Path, bytes]] | None:
    """The page now on the site and its PDF, if an earlier release published them: the files to
    write first, by path, so that the copy still links its own PDF."""
    old = published_version(files.page)
    if old is None or old == current:
        return None
    page, href = place(site, slug, old)
    copies = {page: labelled(files.page.read_bytes(), old)}
    if files.pdf.is_file():
        copies[_pdf_place(site, slug, old, files.href)] = files.pdf.read_bytes()
    return Kept(old, href), copies


def labelled(page: bytes, version: str) -> bytes:
    """The page with its front matter's title followed by "(version N)"; the rest unchanged."""
    end = page.find(b"\n---\n", 4)
    m = _TITLE.search(page, 0, end) if page.startswith(b"---\n") and end > 0 else None
    if m is None:
        return page
    title = json.loads(m.group(1)) + f" (version {version})"
    return page[:m.start(1)] + json.dumps(title, ensure_ascii=False).encode("utf-8") + page[m.end(1):]


def kept(site: Site, slug: str) -> list[Kept]:
    """Every earlier version kept beside the page, newest first."""
    pattern = f"{slug}-v*.mdx" if site.generator == "astro" else f"{slug}-v*/index.md*"
    found = []
    for candidate in site.content.glob(pattern):
        version = published_version(candidate)
        if version is not None and place(site, slug, version)[0] == candidate:
            found.append(Kept(version, place(site, slug, version)[1]))
    return newest_first(found)


def newest_first(versions: list[Kept]) -> list[Kept]:
    return sorted(versions, key=lambda k: tuple(int(p) for p in k.version.split(".")), reverse=True)
