"""The print edition -> PDF with WeasyPrint. The only module that imports WeasyPrint (a slow
import, paid only when a PDF is made). WeasyPrint may fetch nothing but the templates' own assets.

The PDF is PDF/A-3b and tagged (see docs/pdf.md): archival, carrying the content files it was
built from as attachments, with a structure tree for assistive technology. With a fixed build
time (``SOURCE_DATE_EPOCH``) the bytes depend on the content and templates only: the dates, the
file identifier and the attachments' dates are all derived from them.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import os
import warnings
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from factsheet.digests import NamedBytes, content_files
from factsheet.errors import FactsheetError
from factsheet.model import Briefing
from factsheet.outputs import pdflibs

PDF_VARIANT = "pdf/a-3b"
MIME_TYPES = {".yaml": "application/yaml", ".yml": "application/yaml", ".txt": "text/plain"}


class FetchRefused(FactsheetError):
    """The document asked for a resource outside the templates' assets."""


def _fetcher_class():
    pdflibs.import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class AssetsOnlyFetcher(URLFetcher):
        """Serves ``file:`` URLs that resolve (links followed) inside one folder; refuses the rest."""

        def __init__(self, assets: Path):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
            self.assets = os.path.realpath(assets)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = os.path.realpath(unquote(parts.path)) if parts.scheme == "file" and not parts.netloc else None
            if path is None or os.path.commonpath([self.assets, path]) != self.assets or not os.path.isfile(path):
                self.refused.append(url)
                raise FatalURLFetchingError(f"refused to fetch {url!r}: only the templates' assets may be used")
            return super().fetch(url, headers)

    return AssetsOnlyFetcher, FatalURLFetchingError


def preload() -> None:
    """Start importing WeasyPrint on a second thread while the caller renders Markdown and HTML.

    The import takes about half a second; the part spent loading Pango, HarfBuzz and fontconfig
    releases the GIL, so on two cores some of it overlaps the rendering before the PDF.
    Call it after the caller's own imports (fewer modules imported concurrently). A failure here is
    ignored: ``render_pdf`` imports WeasyPrint again and reports it.
    """
    import threading

    def load() -> None:
        try:
            pdflibs.import_weasyprint()
        except Exception:
            pass

    threading.Thread(target=load, name="weasyprint-import", daemon=True).start()


def render_pdf(html: str, templates: Path, *, attachments: list | None = None,
               identifier: bytes | None = None, tree=None) -> bytes:
    """Lay out ``html`` (assets from ``templates`` only) and write a tagged PDF/A-3b. ``tree``:
    ``html`` parsed already (``pdflibs.parse_html``), by a process that had the time."""
    weasyprint = pdflibs.import_weasyprint()
    pdflibs.apply()
    fetcher_class, fatal = _fetcher_class()
    fetcher = fetcher_class(templates)
    # Layout allocates millions of small objects that live until the PDF is written; the cyclic
    # collector would re-scan that growing heap again and again (10% of a 17-page briefing, 20%
    # at 75 pages). Reference counting still frees everything acyclic; cycles wait until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with pdflibs.parsed_already(html, tree) if tree is not None else nullcontext():
            document = weasyprint.HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=fetcher)
        with warnings.catch_warnings():
            # WeasyPrint opens its sRGB profile (the PDF/A output intent) and never closes it.
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
            return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, attachments=attachments or [],
                                      pdf_identifier=identifier or False, finisher=pdflibs.serialise_once)
    except fatal as e:
        raise FetchRefused(str(e)) from None
    finally:
        if collecting:
            gc.enable()


def build_time(epoch: int | None) -> datetime:
    """The document's date: ``SOURCE_DATE_EPOCH`` when given (reproducible builds), else now."""
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    return datetime.fromtimestamp(epoch, UTC)


@dataclass(frozen=True)
class PdfJob:
    """Everything WeasyPrint needs to make a briefing's PDF, and nothing of the briefing itself:
    what a second process is sent (``pdfprocess``)."""

    html: str
    templates: Path
    files: list[NamedBytes]  # attached to the PDF
    when: datetime
    identifier: bytes
    tree: object = None  # ``html`` parsed already (``pdflibs.parse_html``), or None


def prepare(briefing: Briefing, templates: Path, *, epoch: int | None = None,
            budget_mb: float | None = None) -> PdfJob:
    """The print HTML and attachments of the briefing's PDF. With ``budget_mb``, a document whose
    layout would pass that much memory is refused here, before any layout (``pdfcost``)."""
    from factsheet.outputs import pdfcost, printed

    when = build_time(epoch)
    files = content_files(briefing)
    doc = printed.print_document(briefing, files, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    html = printed.render_print_html(doc, templates)
    pdfcost.within_budget(html, budget_mb, len(briefing.facts), briefing.content_dir or "DIR")
    identifier = hashlib.sha256(f"{doc.digest} {when.isoformat()}".encode()).hexdigest()[:32].encode()
    return PdfJob(html, templates, files, when, identifier)


def lay_out(job: PdfJob) -> bytes:
    """The PDF of a prepared job."""
    return render_pdf(job.html, job.templates, attachments=_attachments(job.files, job.when),
                      identifier=job.identifier, tree=job.tree)


def render_briefing_pdf(briefing: Briefing, templates: Path, *, epoch: int | None = None,
                        budget_mb: float | None = None) -> bytes:
    """The briefing's print edition, with its content files attached. With ``budget_mb``, a
    document whose layout would pass that much memory is refused first (``pdfcost``)."""
    return lay_out(prepare(briefing, templates, epoch=epoch, budget_mb=budget_mb))


def _attachments(files: list[NamedBytes], when: datetime) -> list:
    pdflibs.import_weasyprint()
    from weasyprint import Attachment
    from weasyprint.urls import URLFetcher

    # A data: URL carries the media type, so the PDF does not depend on the machine's mime.types;
    # this fetcher can open nothing else.
    data_only = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    naive = when.replace(tzinfo=None)  # WeasyPrint writes these dates as UTC ("...Z")
    result = []
    for f in files:
        mime = MIME_TYPES.get(Path(f.name).suffix, "application/octet-stream")
        url = f"data:{mime};base64,{base64.b64encode(f.data).decode('ascii')}"
        result.append(Attachment(url=url, url_fetcher=data_only, name=f.name, created=naive,
                                 modified=naive, relationship="Source",
                                 description=f"briefing content: {f.name}"))
    return result
