"""Making what a page or PDF says about itself fit to be curated text: metadata on one line,
without control or bidi characters, within the schema's limits; and a text free of controls."""

from __future__ import annotations

import re

from factsheet.text import REORDERING, is_control

_INVISIBLE = "\ufeff\u200b\u2060\u00ad"  # a BOM, zero-width spaces, soft hyphens: not in a title
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_URL = re.compile(r"^https?://[^\s<>\"'`{}|\\^]+$")


def one_line(value: object, limit: int = 400) -> str | None:
    """Metadata as a title or name: one line, no hidden characters, at most ``limit`` characters."""
    if not isinstance(value, str):
        return None
    kept = "".join(" " if c.isspace() else c for c in value
                   if not (is_control(ord(c)) and not c.isspace()) and ord(c) not in REORDERING
                   and c not in _INVISIBLE)
    text = " ".join(kept.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text or None


def size(n: float) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{int(n):,} bytes"


def date(value: object) -> str | None:
    return value if isinstance(value, str) and _DATE.match(value) else None


def url(value: object) -> str | None:
    return value if isinstance(value, str) and len(value) <= 2000 and _URL.match(value) else None


def text_controls(text: str) -> str:
    """Control characters other than tab, line feed and form feed dropped; CR LF and CR as LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if not is_control(ord(c)) or c in "\t\n\f")
