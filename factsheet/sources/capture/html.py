"""A web page's article text and metadata, with trafilatura (and htmldate for the date).

trafilatura finds the main text and leaves out navigation, cookie banners, related links, share
prompts and (asked not to include them) comments. The page is parsed by lxml and never run: no
script executes and nothing the page links to is fetched. Paragraphs are written one per line
with a blank line between them, so a passage's paragraph is its context in the outputs.
"""

from __future__ import annotations

from factsheet.errors import CaptureError
from factsheet.sources.capture import clean
from factsheet.sources.capture.extracted import Extraction


def extractor_name() -> str:
    import htmldate
    import trafilatura

    return f"trafilatura {trafilatura.__version__}, htmldate {htmldate.__version__}"


def extract_html(data: bytes, url: str | None = None) -> Extraction:
    import trafilatura
    from trafilatura.settings import Document

    found = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False)
    # Without as_dict a result is a Document; anything else (None) holds no text.
    doc = found if isinstance(found, Document) else None
    raw = doc.text if doc is not None else None
    paragraphs = [line.strip() for line in clean.text_controls(raw or "").split("\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    if doc is None or not text:
        raise CaptureError("no article text found in the page (an empty page, a page that builds its "
                           "text with scripts, or not an article); nothing to cite")
    return Extraction(
        text + "\n", extractor_name(), title=clean.one_line(doc.title),
        publisher=clean.one_line(doc.sitename), author=clean.one_line(doc.author),
        published=clean.date(doc.date), url=clean.url(doc.url))
