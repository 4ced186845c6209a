"""Edits of a facts file as text: a citation appended to a fact, a fact appended to a file, one
scalar replaced.

Every position comes from the ``ContentFile`` the loader recorded (where each node's value starts,
where each scalar ends). New text is inserted there, in the indentation and line endings the file
already uses; everything else (comments, quoting, blank lines, a BOM) stays byte for byte. Nothing
is re-serialised. The edits are ``(start, end, text)`` replacements, applied by the same
``verification.reanchor.edited`` that ``factsheet reanchor --write`` uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from factsheet.model import ContentFile, NodePath
from factsheet.sources.yamlread import plain_scalar

Edit = tuple[int, int, str]
Fields = Mapping[str, str | int]

_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_ITEM_LEAD = re.compile(r"( *)- +")


class EditError(ValueError):
    """The file is written in a way these edits do not handle; the change must be made by hand."""


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: a JSON string, with every character that does not
    print written as an escape (YAML reads ``\\uXXXX`` and ``\\UXXXXXXXX`` as JSON does)."""
    out = []
    for c in json.dumps(text, ensure_ascii=False):
        code = ord(c)
        out.append(c if c.isprintable() else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


def scalar(value: str | int) -> str:
    """A value as written after ``key: ``: booleans, numbers and plain ids bare, every other string
    quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN_ID.fullmatch(value) and plain_scalar(value) == value:
        return value
    return yaml_string(value)


def newline(file: ContentFile) -> str:
    return "\r\n" if "\r\n" in file.text else "\n"


def replace_scalar(file: ContentFile, node: NodePath, value: str, *, bare: bool = False) -> Edit:
    """Replace one scalar's text by ``value``, quoted (an id may stay ``bare``); a block scalar's
    trailing line breaks stay."""
    where = file.scalar(node)
    if where is None:
        raise EditError(f"{file.path}: no value written at {'/'.join(map(str, node))}")
    start, end = where
    old = file.text[start:end]
    return (start, start + len(old.rstrip(" \t\r\n")), scalar(value) if bare else yaml_string(value))


def _items(file: ContentFile, node: NodePath) -> int:
    n = 0
    while node + (n,) in file.value_at:
        n += 1
    return n


def _end_of_node(file: ContentFile, node: NodePath) -> int:
    """Where the line holding a node's last scalar ends (after its line break, comment and all)."""
    ends = [end for path, end in file.scalar_end.items() if path[:len(node)] == node]
    last = max(ends) if ends else file.value_at[node]
    if last > 0 and file.text[last - 1] == "\n":
        return last  # a block scalar ends after its line breaks
    eol = file.text.find("\n", last)
    return len(file.text) if eol == -1 else eol + 1


def _lead(file: ContentFile, node: NodePath) -> str:
    """The ``    - `` that starts a block sequence item's line."""
    start = file.value_at[node]
    lead = file.text[file.text.rfind("\n", 0, start) + 1:start]
    if not _ITEM_LEAD.fullmatch(lead):
        raise EditError(f"{file.location(start)}: the list is not written one '- ' item per line; "
                        "add the text by hand")
    return lead


def _lines(lead: str, fields: Fields, nl: str) -> str:
    indent = " " * len(lead)
    out = []
    for n, (key, value) in enumerate(fields.items()):
        out.append(f"{lead if n == 0 else indent}{key}: {scalar(value)}{nl}")
    return "".join(out)


def _at(file: ContentFile, index: int, text: str) -> Edit:
    # Text appended after a last line that has no line break needs one first.
    if index == len(file.text) and file.text and not file.text.endswith("\n"):
        text = newline(file) + text
    return (index, index, text)


def append_citation(file: ContentFile, fact: NodePath, fields: Fields) -> Edit:
    """Insert a citation after the last one of the fact at ``fact`` (its node path)."""
    citations = fact + ("citations",)
    count = _items(file, citations)
    if count == 0:
        raise EditError(f"{file.path}: the fact has no citations list to add to")
    if file.text[file.value_at[citations]:file.value_at[citations] + 1] == "[":
        raise EditError(f"{file.at(citations)}: the citations are written as a [flow] list; "
                        "add the citation by hand")
    last = citations + (count - 1,)
    return _at(file, _end_of_node(file, last), _lines(_lead(file, last), fields, newline(file)))


def fact_text(lead: str, fact: Fields, citation: Fields, nl: str) -> str:
    """A new fact's lines: its fields, then ``citations:`` with one citation under it."""
    indent = " " * len(lead)
    return _lines(lead, fact, nl) + f"{indent}citations:{nl}" + _lines(indent + "  - ", citation, nl)


def append_fact(file: ContentFile, fact: Fields, citation: Fields) -> Edit:
    """Insert a fact at the end of a facts file (after its last item, comments after it kept)."""
    count = _items(file, ())
    if count == 0 or file.text[file.value_at[()]:file.value_at[()] + 1] == "[":
        raise EditError(f"{file.path}: not a list of facts written one '- ' item per line")
    lead = _lead(file, (0,))
    return _at(file, _end_of_node(file, (count - 1,)), fact_text(lead, fact, citation, newline(file)))


def new_file(fact: Fields, citation: Fields) -> bytes:
    """A new facts file holding one fact."""
    return fact_text("- ", fact, citation, "\n").encode("utf-8")
