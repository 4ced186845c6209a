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
from pathlib import Path

from factsheet import archive
from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_files
from factsheet.model import Briefing
from factsheet.pipeline import Progress, check_output_folder, render, verify
from factsheet.sites.config import GENERATORS, Site, find_site
from factsheet.sites.layout import MARKER, Bundle, bundle, is_ours, page_front, refuse_foreign_page

__all__ = ["GENERATORS", "MARKER", "Site", "check_slug", "default_slug", "find_site", "page_front", "publish",
           "refuse_foreign_page"]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_KEEPS = ("mkdocs", "hugo", "jekyll")  # earlier releases kept beside the page


def default_slug(briefing: Briefing) -> str:
    """The title in ASCII lower case, words joined by hyphens: a URL path every host accepts."""
    ascii_title = unicodedata.normalize("NFKD", briefing.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")
    return slug or "briefing"


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise UsageError(f"slug {slug!r} must be 1-80 lower-case letters, digits and hyphens, "
                         "starting with a letter or digit")
    return slug


def publish(content: Path, generator: str, site_dir: Path, templates: Path, *, slug: str | None = None,
            strict: bool = False, configure: bool = False, progress: Progress = lambda line: None,
            notice: Progress = lambda line: None) -> tuple[list[Path], Report]:
    """Verify, render the page and the PDF in memory, check the site shows them, then write both
    (and, with ``configure``, what the site's configuration lacks). ``notice`` gets what the user
    should know: each change made to the configuration, advice on its navigation."""
    from factsheet.outputs.markdown import Download, render_markdown
    from factsheet.sites import needs

    site = find_site(generator, site_dir)
    progress("verify: load, anchor, check")
    briefing, report = verify(content, strict=strict)
    if briefing is None:
        raise ContentError(report)
    slug = check_slug(slug) if slug is not None else default_slug(briefing)
    files = bundle(site, slug)
    check_output_folder(files.page.parent, content)
    check_output_folder(files.pdf.parent, content)
    refuse_foreign_page(files.page)
    _refuse_former_layout(site, slug, files)
    keep, earlier = _earlier(site, slug, briefing, files) if generator in _KEEPS else (None, [])

    def page_for(pdf_size: str) -> str:
        download = Download(files.href, f"Download this briefing as a PDF ({pdf_size})")
        return render_markdown(briefing, templates, front=page_front(site, briefing, files.pdf.name),
                               download=download, title_heading=files.title_heading, earlier=earlier,
                               dialect=files.dialect)

    # What the site lacks is known before the PDF is laid out: a refusal comes at once.
    found = needs.needs(site, page_for("0 kB"), files.page.relative_to(site.content).as_posix())
    config: dict[str, bytes] = {}
    if found and configure:
        config[site.config_path.name] = needs.configure(site.config_path, found)
    elif any(n.required for n in found):
        raise UsageError(needs.refusal(site, found))
    else:
        for need in found:
            notice(needs.advice(site, need))
    pdf = render(briefing, templates, ("pdf",), progress)["briefing.pdf"]
    page = page_for(_size(len(pdf)))
    written = []
    if keep:
        # The earlier release's page first, exactly as it was published.
        progress(f"keep: version {keep[0].version} in {site.content / keep[0].folder}")
        for name, data in keep[1].items():
            written += write_files((site.content / keep[0].folder / name).parent, {Path(name).name: data})
    progress(f"write: {files.page.parent}")
    written += _write(files, page, pdf)
    if config:
        written += write_files(site.config_path.parent, config)
        for need in found:
            notice(f"configured {site.config_path}: {need.change}")
    return written, report


def _refuse_former_layout(site: Site, slug: str, files: Bundle) -> None:
    # Earlier versions of factsheet wrote an MkDocs page as <slug>/index.md; beside <slug>.md it
    # would be a second page at the same address.
    former = site.content / slug / "index.md"
    if site.generator == "mkdocs" and former != files.page and former.is_file() and is_ours(former):
        raise UsageError(f"{former} is this briefing's page as an earlier factsheet published it; pages are now "
                         f"{files.page.name}, listed under their title: delete {former} and publish again")


def _earlier(site: Site, slug: str, briefing: Briefing,
             files: Bundle) -> tuple[tuple[archive.Kept, dict] | None, list]:
    current = briefing.latest.version if briefing.latest else None
    keep = archive.to_keep(slug, current, files.page, files.pdf, files.href)
    earlier = archive.kept(site.content, slug)
    if keep and keep[0].folder not in {k.folder for k in earlier}:
        earlier = sorted([*earlier, keep[0]], key=lambda k: tuple(int(p) for p in k.version.split(".")),
                         reverse=True)
    return keep, earlier


def _write(files: Bundle, page: str, pdf: bytes) -> list[Path]:
    if files.page.parent == files.pdf.parent:
        return write_files(files.page.parent, {files.page.name: page.encode("utf-8"), files.pdf.name: pdf})
    # The PDF first: a page is never left linking a PDF that is not there.
    return write_files(files.pdf.parent, {files.pdf.name: pdf}) + \
        write_files(files.page.parent, {files.page.name: page.encode("utf-8")})


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"
