"""Publishing the briefing into an existing MkDocs, Hugo or Jekyll site.

``publish`` verifies the content exactly as ``build`` does, finds the site's content folder from
its own configuration, and writes a page bundle there::

    <content folder>/<slug>/index.md      the Markdown, with that generator's front matter
    <content folder>/<slug>/<slug>.pdf    the PDF, linked from the page as a download

The same layout works in all three: the page is served at ``/<slug>/`` and the PDF beside it, so
the page links it with a plain relative link. A page that factsheet did not write is never
overwritten.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from factsheet import archive
from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_files
from factsheet.model import Briefing
from factsheet.pipeline import Progress, check_output_folder, render, verify

GENERATORS = ("mkdocs", "hugo", "jekyll")
MARKER = "factsheet:"  # the namespaced front matter key every page we write carries
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class Site:
    generator: str
    root: Path
    content: Path  # the folder the site reads pages from
    config_path: Path
    config: dict


def find_site(generator: str, root: Path) -> Site:
    """The site's content folder, read from its configuration; a UsageError if it is not there."""
    if generator not in GENERATORS:
        raise UsageError(f"unknown site generator {generator!r}; choose one of {', '.join(GENERATORS)}")
    if not root.is_dir():
        raise UsageError(f"site folder {root} does not exist")
    finder = {"mkdocs": _mkdocs_content, "hugo": _hugo_content, "jekyll": _jekyll_content}[generator]
    config_path, config, content = finder(root)
    if not content.is_dir():
        raise UsageError(f"the {generator} site's content folder {content} does not exist")
    return Site(generator, root, content, config_path, config)


def _config(root: Path, names: tuple[str, ...], generator: str) -> tuple[Path, dict]:
    for name in names:
        path = root / name
        if path.is_file():
            return path, _read_config(path)
    raise UsageError(f"{root} is not a {generator} site: none of {', '.join(names)} found")


def _read_config(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    data: object
    try:
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _yaml(text)
    except Exception as e:  # any parse error: the user's config, reported, never a traceback
        raise UsageError(f"cannot read {path}: {e}") from None
    return data if isinstance(data, dict) else {}


def _yaml(text: str) -> object:
    import yaml

    class Loader(yaml.SafeLoader):
        """Safe loading that reads custom tags (MkDocs' !ENV, !relative, python names) as None."""

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)  # noqa: S506 (a SafeLoader subclass)


def _mkdocs_content(root: Path) -> tuple[Path, dict, Path]:
    path, config = _config(root, ("mkdocs.yml", "mkdocs.yaml"), "MkDocs")
    return path, config, root / str(config.get("docs_dir") or "docs")


def _hugo_content(root: Path) -> tuple[Path, dict, Path]:
    names = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
    path, config = _config(root, names, "Hugo")
    return path, config, root / str(config.get("contentDir") or config.get("contentdir") or "content")


def _jekyll_content(root: Path) -> tuple[Path, dict, Path]:
    path, config = _config(root, ("_config.yml", "_config.yaml", "_config.toml"), "Jekyll")
    return path, config, root / str(config.get("source") or ".")


def check_renders(site: Site, page: str) -> None:
    """Refuse a page the site would show broken: for MkDocs, the page is rendered with the
    site's own Markdown extensions (Python-Markdown, as MkDocs does), and a note call left as
    text means the site has no footnotes."""
    if site.generator != "mkdocs":
        return
    from factsheet.outputs.sitemarkdown import UnknownExtension, raw_note_calls, rendered, site_extensions

    names, configs = site_extensions(site.config)
    try:
        raw = raw_note_calls(rendered(page, names, configs))
    except UnknownExtension:
        # An extension installed for the site but not here: judge by the list alone.
        raw = [] if any(n in ("footnotes", "extra", "markdown.extensions.footnotes",
                              "markdown.extensions.extra") for n in names) else ["[^"]
    if raw:
        lines = "  - footnotes" if names else "markdown_extensions:\n  - footnotes"
        where = "under its markdown_extensions" if names else "to it"
        raise UsageError(
            f"{site.config_path} does not enable footnotes, so every note call would show as raw "
            f"text (such as {raw[0]}); add {'this line' if names else 'these lines'} {where} and "
            f"publish again:\n{lines}")


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


def page_front(generator: str, briefing: Briefing, pdf_name: str) -> dict:
    """The generator's front matter: the conventional keys it reads, the briefing's own under
    ``factsheet`` (with the PDF's name)."""
    from factsheet.outputs.markdown import front_fields  # Jinja: not on every command's start

    fields = front_fields(briefing, lastmod_key="last_modified_at" if generator == "jekyll" else "lastmod")
    fields["factsheet"]["pdf"] = pdf_name
    if generator == "mkdocs":
        # MkDocs treats a page title as HTML (its themes print it unescaped, as it does the title
        # it takes from a page's first heading), so it is given as HTML.
        for key in ("title", "description"):
            if fields[key] is not None:
                fields[key] = html.escape(fields[key])
    return fields


def refuse_foreign_page(page: Path) -> None:
    """Overwrite only a page an earlier ``publish`` wrote (its front matter has our key)."""
    if not page.exists():
        return
    head = page.read_text(encoding="utf-8", errors="replace")[:4000]
    front = head.split("\n---\n", 1)[0] if head.startswith("---\n") else ""
    if not any(line.startswith(MARKER) for line in front.splitlines()):
        raise UsageError(f"{page} exists and was not written by factsheet; "
                         "choose another --slug or move that page")


def publish(content: Path, generator: str, site_dir: Path, templates: Path, *, slug: str | None = None,
            strict: bool = False, progress: Progress = lambda line: None) -> tuple[list[Path], Report]:
    """Verify, render the page and the PDF in memory, then write both into the site."""
    from factsheet.outputs.markdown import Download, render_markdown

    site = find_site(generator, site_dir)
    progress("verify: load, anchor, check")
    briefing, report = verify(content, strict=strict)
    if briefing is None:
        raise ContentError(report)
    slug = check_slug(slug) if slug is not None else default_slug(briefing)
    folder = site.content / slug
    check_output_folder(folder, content)
    refuse_foreign_page(folder / "index.md")
    pdf = render(briefing, templates, ("pdf",), progress)["briefing.pdf"]
    pdf_name = f"{slug}.pdf"
    download = Download(pdf_name, f"Download this briefing as a PDF ({_size(len(pdf))})")
    current = briefing.latest.version if briefing.latest else None
    keep = archive.to_keep(site.content, slug, current)
    earlier = archive.kept(site.content, slug)
    if keep and keep[0].folder not in {k.folder for k in earlier}:
        earlier = sorted([*earlier, keep[0]], key=lambda k: tuple(int(p) for p in k.version.split(".")),
                         reverse=True)
    page = render_markdown(briefing, templates, front=page_front(generator, briefing, pdf_name),
                           download=download, title_heading=generator == "mkdocs", earlier=earlier)
    check_renders(site, page)
    written = []
    if keep:
        # The earlier release's page first, exactly as it was published.
        progress(f"keep: version {keep[0].version} in {site.content / keep[0].folder}")
        written += write_files(site.content / keep[0].folder, keep[1])
    progress(f"write: {folder}")
    return written + write_files(folder, {"index.md": page.encode("utf-8"), pdf_name: pdf}), report


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"
