"""A captured source's entry in sources.yaml, as text to append: the file is never re-serialised,
so its comments and layout stay as the curator wrote them. Also: ids derived from a title or a
file name, and the ``original`` and ``pages`` blocks that ``add --refresh`` writes again."""

from __future__ import annotations

import json
import re
import unicodedata

from factsheet.model import Page

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_ID = 60
_FETCHED = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")


def derive_id(name: str, taken: set[str]) -> str:
    """A short, unique id from a title or file name: ASCII letters, digits, '-' and '.'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_name)
    slug = re.sub(r"\.{2,}", ".", slug).strip("-.")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0] if "-" in slug[:MAX_ID] else slug[:MAX_ID]
        slug = slug.strip("-.")
    slug = slug or "source"
    chosen, n = slug, 2
    while chosen in taken:
        chosen, n = f"{slug}-{n}", n + 1
    return chosen


def scalar(value: object) -> str:
    """A YAML scalar that reads back as exactly this value (a JSON string is YAML)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def entry_text(fields: dict, original: dict | None, pages: tuple[Page, ...], indent: str = "") -> str:
    """``- id: …`` and the fields, in the order sources.yaml documents them."""
    lines = []
    for key, value in fields.items():
        lines.append(f"{key}: {value if key in ('id', 'file', 'sha256') else scalar(value)}")
    if original is not None:
        lines.append("original:")
        lines += ["  " + line for line in original_lines(original)]
    if pages:
        lines.append("pages:")
        lines += ["  " + line for line in page_lines(pages)]
    first, *rest = lines
    return "".join([f"{indent}- {first}\n"] + [f"{indent}  {line}\n" for line in rest])


def original_lines(original: dict) -> list[str]:
    if original.get("fetched") and not _FETCHED.match(original["fetched"]):
        original = {k: v for k, v in original.items() if k != "fetched"}
    return [f"{key}: {value if key in ('file', 'sha256', 'media_type') else scalar(value)}"
            for key, value in original.items() if value is not None]


def page_lines(pages: tuple[Page, ...]) -> list[str]:
    return [f"- {{label: {scalar(p.label)}, start: {p.start}}}" for p in pages]


def appended(text: str, entry: str) -> str:
    """sources.yaml with the entry added at its end, at the indentation its items use."""
    written = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if [line.strip() for line in written] in ([], ["[]"]):
        # No source yet: the comments stay, the empty list gives way to the first item.
        body = "".join(line + "\n" for line in text.splitlines() if line.lstrip().startswith("#"))
        return body + entry
    if not _has_items(text):
        raise ValueError("sources.yaml is not written as a block list (one '- id: …' item after another)")
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.endswith(("\n", "\r")):
        text += newline
    return text + entry.replace("\n", newline)


def item_indent(text: str) -> str:
    m = re.search(r"^([ ]*)- ", text, re.MULTILINE)
    return m.group(1) if m else ""


def _has_items(text: str) -> bool:
    return any(line.lstrip().startswith("- ") or line.strip() == "-" for line in text.splitlines()
               if not line.lstrip().startswith("#"))
