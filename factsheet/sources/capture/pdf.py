"""A PDF's text layer, page by page, with pypdfium2 (PDFium), and its page map.

Each page's text ends with a line feed, and a blank line separates one page from the next (no
form feed: a cited passage holds no control character), so a quote across a page break matches
as white space. The page map
records where each page starts in the text and its label as printed (the PDF's page labels, else
its number). PDFium writes ligatures as their letters; what remains (a hyphen at a line end, soft
hyphens) anchoring folds. A PDF with no text layer is refused: factsheet does no OCR.
"""

from __future__ import annotations

from factsheet.errors import CaptureError
from factsheet.model import Page
from factsheet.sources.capture import clean
from factsheet.sources.capture.extracted import Extraction


def extractor_name() -> str:
    import pypdfium2

    return f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO} (PDFium {pypdfium2.version.PDFIUM_INFO.build})"


def extract_pdf(data: bytes) -> Extraction:
    import pypdfium2 as pdfium

    if b"%PDF-" not in data[:1024]:
        raise CaptureError("not a PDF (no %PDF- header); nothing to cite")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise CaptureError("the PDF is encrypted and needs a password to open; "
                               "save an unencrypted copy and add that") from None
        raise CaptureError(f"the PDF cannot be read ({e}); it may be broken or truncated") from None
    try:
        texts, labels = [], []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(_page_text(textpage.get_text_range()))
            textpage.close()
            page.close()
            labels.append(clean.one_line(pdf.get_page_label(i), 40) or str(i + 1))
        title = clean.one_line(pdf.get_metadata_dict().get("Title"))
    except pdfium.PdfiumError as e:
        raise CaptureError(f"the PDF cannot be read ({e}); it may be broken") from None
    finally:
        pdf.close()
    if not any(t.strip() for t in texts):
        raise CaptureError(f"the PDF has no text layer ({len(texts)} page(s) of images, a scan?); "
                           "factsheet extracts text, it does no OCR: add a PDF with text, or the text itself")
    pages, start = [], 0
    for text, label in zip(texts, labels, strict=True):
        pages.append(Page(label, start))
        start += len(text) + 1  # the blank line
    return Extraction("\n".join(texts), extractor_name(), title=title, pages=tuple(pages))


def _page_text(raw: str) -> str:
    # PDFium marks a hyphen it thinks ends a line inside a word with U+0002: a soft hyphen.
    text = clean.text_controls(raw.replace("\x02", "\u00ad").replace("\ufffe", "\u00ad"))
    return text.replace("\f", "\n").rstrip("\n") + "\n"
