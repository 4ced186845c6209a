"""HTML -> PDF with WeasyPrint. The only module that imports WeasyPrint (a slow import, paid only
when a PDF is made). WeasyPrint may fetch nothing but the templates' own assets."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from factsheet.errors import FactsheetError


class FetchRefused(FactsheetError):
    """The document asked for a resource outside the templates' assets."""


def _fetcher_class():
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

    The import takes about a third of a second, much of it in C (loading Pango, HarfBuzz and
    fontconfig) with the GIL released, so on two cores it overlaps the rendering before the PDF.
    Call it after the caller's own imports (fewer modules imported concurrently). A failure here is
    ignored: ``render_pdf`` imports WeasyPrint again and reports it.
    """
    import threading

    def load() -> None:
        try:
            import weasyprint  # noqa: F401
        except Exception:
            pass

    threading.Thread(target=load, name="weasyprint-import", daemon=True).start()


def render_pdf(html: str, templates: Path, *, metadata: dict | None = None) -> bytes:
    import weasyprint

    fetcher_class, fatal = _fetcher_class()
    fetcher = fetcher_class(templates)
    # Layout allocates millions of small objects that live until the PDF is written; the cyclic
    # collector would re-scan that growing heap again and again (10% of a 17-page briefing, 20%
    # at 75 pages). Reference counting still frees everything acyclic; cycles wait until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = weasyprint.HTML(string=html, base_url=str(templates) + os.sep, url_fetcher=fetcher)
        return document.write_pdf(**(metadata or {}))
    except fatal as e:
        raise FetchRefused(str(e)) from None
    finally:
        if collecting:
            gc.enable()
