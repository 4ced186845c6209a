"""Plain text: the text is its own original, kept byte for byte (the offset rule: no newline
translation, no normalisation), so it must be UTF-8 already."""

from __future__ import annotations

from factsheet import __version__
from factsheet.errors import CaptureError
from factsheet.sources.capture.clean import one_line
from factsheet.sources.capture.extracted import Extraction


def extract_text(data: bytes, charset: str = "utf-8") -> Extraction:
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError) as e:
        where = f" (byte 0x{data[e.start]:02x} at byte offset {e.start})" if isinstance(e, UnicodeDecodeError) else ""
        raise CaptureError(f"the text is not valid {charset}{where}; a plain-text source must be UTF-8") from None
    if not text.strip():
        raise CaptureError("the text is empty; there is nothing to cite")
    first = next((line for line in text.splitlines() if line.strip()), "")
    return Extraction(text, f"factsheet {__version__} (plain text, copied as is)", title=one_line(first))
