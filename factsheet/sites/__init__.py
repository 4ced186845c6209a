"""Publishing the briefing into an existing MkDocs, Hugo, Jekyll, Quarto, Docusaurus or Astro site.

``publish`` verifies the content exactly as ``build`` does, finds the site's content folder from
its own configuration, renders the page in the site's Markdown dialect with that generator's
front matter and the PDF beside it (``layout``), checks that the site would show the page as
written (``needs``: footnotes, the page in a hand-written navigation), and only then writes the
page and the PDF, and, with ``configure``, the configuration's missing lines. A page that
factsheet did not write is never overwritten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_files
from factsheet.model import Briefing
from factsheet.pipeline import Progress, check_output_folder, render, source_date_epoch, verify
from factsheet.sites import earlier as releases
from factsheet.sites import needs
from factsheet.sites.config import GENERATORS, Site, find_site
from factsheet.sites.layout import MARKER, Bundle, bundle, is_ours, page_front, refuse_foreign_page
from factsheet.sites.needs import Need

if TYPE_CHECKING:
    from factsheet.outputs.pdfprocess import PdfProcess

__all__ = ["GENERATORS", "MARKER", "SLUG", "Draft", "Rendered", "Site", "check_slug", "compose", "default_slug",
           "find_site", "page_front", "place", "publish", "refuse_foreign_page", "settle", "site_needs"]
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def default_slug(briefing: Briefing) -> str:
    """The title in ASCII lower case, words joined by hyphens: a URL path every host accepts."""
    ascii_title = unicodedata.normalize("NFKD", briefing.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")
    return slug or "briefing"


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise UsageError(f"slug {slug!r} must be 1-80 lower-case letters, digits and hyphens, "
                         "starting with a letter or digit")
    return slug


def publish(content: Path, generator: str, site_dir: Path, templates: Path, *, slug: str | None = None,
            strict: bool = False, configure: bool = False, progress: Progress = lambda line: None,
            notice: Progress = lambda line: None, library: Path | None = None,
            pdf_process: PdfProcess | None = None) -> tuple[list[Path], Report]:
    """Verify, render the page and the PDF in memory, check the site shows them, then write both
    (and, with ``configure``, what the site's configuration lacks). ``notice`` gets what the user
    should know: each change made to the configuration, advice on its navigation. ``library``: a
    project's shared sources folder. ``pdf_process``: a second process to lay the PDF out in
    (``outputs.pdfprocess``), unused when the site's PDF is up to date."""
    site = find_site(generator, site_dir)
    progress("verify: load, anchor, check")
    briefing, report = verify(content, strict=strict, library=library)
    if briefing is None:
        raise ContentError(report)
    draft = compose(site, briefing, content, templates, slug, library)
    # What the site lacks is known before the PDF is laid out: a refusal comes at once.
    found = site_needs(site, draft.page("0 kB"), draft.files)
    config = settle(site, found, configure, notice)
    return place(site, draft.render(progress, pdf_process), config, found, progress, notice), report


@dataclass(frozen=True)
class Rendered:
    """A briefing's page and PDF as rendered for a site, not yet written; plain values, so that a
    worker process can render it and the command's own process write it."""

    files: Bundle
    text: str
    pdf: bytes
    keep: tuple[releases.Kept, dict[Path, bytes]] | None  # an earlier release's page, to keep first
    key: str = ""  # what the PDF was rendered from (cache.inputs_key), recorded in the site once written
    reused: bool = False  # the PDF is the one the site has: only the page is written


@dataclass(frozen=True)
class Draft:
    """A verified briefing laid out for a site: where its files go, the earlier releases it links."""

    site: Site
    briefing: Briefing
    templates: Path
    files: Bundle
    keep: tuple[releases.Kept, dict[Path, bytes]] | None
    earlier: list[releases.Kept]

    def page(self, pdf_size: str) -> str:
        from factsheet.outputs.markdown import Download, render_markdown

        download = Download(self.files.href, f"Download this briefing as a PDF ({pdf_size})")
        return render_markdown(self.briefing, self.templates,
                               front=page_front(self.site, self.briefing, self.files.pdf.name),
                               download=download, title_heading=self.files.title_heading, earlier=self.earlier,
                               dialect=self.files.dialect)

    def render(self, progress: Progress = lambda line: None, pdf_process: PdfProcess | None = None) -> Rendered:
        """The page and the PDF; the PDF the site already has when it was published from the same
        content, templates and tool (``cache.published_pdf``), else laid out anew (in
        ``pdf_process`` when given)."""
        from factsheet import cache

        key = cache.inputs_key(self.briefing, self.templates, source_date_epoch(), ("pdf",))
        # A page of an earlier release is about to be kept with the PDF now there: that PDF is its.
        pdf = cache.published_pdf(self.site.root, self.files.pdf, key) if self.keep is None else None
        if pdf is not None:
            progress(f"render: PDF skipped, {self.files.pdf} is up to date with this content, templates and tool")
            return Rendered(self.files, self.page(_size(len(pdf))), pdf, self.keep, key, reused=True)
        pdf = render(self.briefing, self.templates, ("pdf",), progress, pdf_process=pdf_process)["briefing.pdf"]
        return Rendered(self.files, self.page(_size(len(pdf))), pdf, self.keep, key)


def compose(site: Site, briefing: Briefing, content: Path, templates: Path, slug: str | None,
            library: Path | None = None) -> Draft:
    """Where the page goes (``slug``, default: from the title), after the checks that keep a site's
    own pages and the content safe; raises UsageError."""
    slug = check_slug(slug) if slug is not None else default_slug(briefing)
    files = bundle(site, slug)
    for folder in (files.page.parent, files.pdf.parent):
        for source in (content, *((library,) if library is not None else ())):
            check_output_folder(folder, source)
    refuse_foreign_page(files.page)
    _refuse_former_layout(site, slug, files)
    keep, earlier = _earlier(site, slug, briefing, files) if site.generator in releases.KEEPS else (None, [])
    for path in (keep[1] if keep else ()):
        for source in (content, *((library,) if library is not None else ())):
            check_output_folder(path.parent, source)
    if keep:
        refuse_foreign_page(next(iter(keep[1])))
    return Draft(site, briefing, templates, files, keep, earlier)


def site_needs(site: Site, page: str, files: Bundle) -> list[Need]:
    """What the site's configuration lacks to show ``page`` as written."""
    return needs.needs(site, page, files.page.relative_to(site.content).as_posix())


def settle(site: Site, found: list[Need], configure: bool, notice: Progress) -> dict[str, bytes]:
    """The configuration file's new bytes, by name, when ``configure`` adds what it lacks;
    otherwise a UsageError for what it must have, and advice (to ``notice``) for the rest."""
    if found and configure:
        return {site.config_path.name: needs.configure(site.config_path, found)}
    if any(n.required for n in found):
        raise UsageError(needs.refusal(site, found))
    for need in found:
        notice(needs.advice(site, need))
    return {}


def place(site: Site, page: Rendered, config: dict[str, bytes], found: list[Need],
          progress: Progress = lambda line: None, notice: Progress = lambda line: None) -> list[Path]:
    """Write the page, its PDF and the configuration's changes (``settle``); the paths written."""
    written = []
    if page.keep:
        # The earlier release's page first, as it was published (its title says its version).
        kept, files = page.keep
        progress(f"keep: version {kept.version} as {next(iter(files))}")
        for path, data in files.items():
            written += write_files(path.parent, {path.name: data})
    progress(f"write: {page.files.page.parent}")
    if page.reused:
        written += write_files(page.files.page.parent, {page.files.page.name: page.text.encode("utf-8")})
    else:
        written += _write(page.files, page.text, page.pdf)
        if page.key:
            from factsheet import cache

            cache.record_published(site.root, page.files.pdf, page.key, page.pdf)
    if config:
        written += write_files(site.config_path.parent, config)
        for need in found:
            notice(f"configured {site.config_path}: {need.change}")
    return written


def _refuse_former_layout(site: Site, slug: str, files: Bundle) -> None:
    # Earlier versions of factsheet wrote an MkDocs page as <slug>/index.md; beside <slug>.md it
    # would be a second page at the same address.
    former = site.content / slug / "index.md"
    if site.generator == "mkdocs" and former != files.page and former.is_file() and is_ours(former):
        raise UsageError(f"{former} is this briefing's page as an earlier factsheet published it; pages are now "
                         f"{files.page.name}, listed under their title: delete {former} and publish again")


def _earlier(site: Site, slug: str, briefing: Briefing,
             files: Bundle) -> tuple[tuple[releases.Kept, dict[Path, bytes]] | None, list[releases.Kept]]:
    current = briefing.latest.version if briefing.latest else None
    keep = releases.to_keep(site, slug, current, files)
    earlier = releases.kept(site, slug)
    if keep and keep[0] not in earlier:
        earlier = releases.newest_first([*earlier, keep[0]])
    return keep, earlier


def _write(files: Bundle, page: str, pdf: bytes) -> list[Path]:
    if files.page.parent == files.pdf.parent:
        return write_files(files.page.parent, {files.page.name: page.encode("utf-8"), files.pdf.name: pdf})
    # The PDF first: a page is never left linking a PDF that is not there.
    return write_files(files.pdf.parent, {files.pdf.name: pdf}) + \
        write_files(files.page.parent, {files.page.name: page.encode("utf-8")})


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"
