"""Validating content files against the published JSON Schema, with messages a curator can act on."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from factsheet.model import Diagnostic
from factsheet.sources.yamlread import Document

SCHEMA_PATH = Path(__file__).parent / "schema" / "content.schema.json"

_KIND_NOUN = {
    "briefing": "briefing.yaml holds a mapping of briefing fields",
    "sourcesFile": "sources.yaml holds a list of sources",
    "factsFile": "a facts file holds a list of facts",
    "disagreementsFile": "disagreements.yaml holds a list of disagreements",
    "reviewsFile": "reviews.yaml holds a list of review stamps",
    "releasesFile": "releases.yaml holds a list of releases",
    "correctionsFile": "corrections.yaml holds a list of corrections",
    "projectFile": "factsheet.yaml holds a mapping of project fields",
}

_PATTERN_HINTS = {
    "id": "must be an id: ASCII letters, digits, '-', '_' or '.', starting with a letter or digit",
    "section": "must be a section id: ASCII letters, digits, '-', '_' or '.'",
    "source": "must be a source id: ASCII letters, digits, '-', '_' or '.'",
    "sha256": "must be 64 lowercase hexadecimal digits",
    "file": "must be a plain file name inside content/sources/ (no folders, no '..', no '%')",
    "url": "must be an http:// or https:// URL without spaces",
    "date": "must be a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "language": "must be a language tag such as 'en' or 'en-GB'",
    "briefings": "must be the name of a briefing's folder directly inside the project (no '/', no '..')",
    "library": "must be the name of a folder directly inside the project (no '/', no '..')",
}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator(definition: str):
    """Every schema error of a value, for one definition, compiled once (``sources/validator.py``).
    The shipped schema keeps to the keywords the compiled validator implements; a test holds it to
    jsonschema's errors."""
    from factsheet.sources.validator import compile_schema

    return compile_schema(schema(), definition)


def validate(doc: Document, definition: str) -> tuple[list[Diagnostic], set[int]]:
    """Every schema problem in ``doc``, each at the node it concerns, and the indexes of the
    top-level list items that have one (those items are not built into the model)."""
    found: list[Diagnostic] = []
    bad_items: set[int] = set()
    for error in _validator(definition)(doc.value):
        found.extend(_diagnostics(doc, definition, error))
        path = tuple(error.absolute_path)
        if path and isinstance(path[0], int):
            bad_items.add(path[0])
        elif not path:
            bad_items.add(-1)  # the whole file is unusable
    return found, bad_items


def _field(path: tuple) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else ""


def _diagnostics(doc: Document, definition: str, error) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            yield doc.diagnostic(path + (key,), _unknown(key, allowed), key=True)
        return
    if kind == "required":
        missing = error.message.split("'")[1]
        yield doc.diagnostic(path, f"missing field '{missing}'")
        return
    yield doc.diagnostic(path, _message(doc, definition, path, error))


def _unknown(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
    return f"unknown field '{key}'{hint}"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _expected(types: Any) -> str:
    names = {"string": "a string", "integer": "an integer", "array": "a list", "object": "a mapping",
             "null": "null", "number": "a number", "boolean": "a boolean"}
    types = [types] if isinstance(types, str) else types
    return " or ".join(names.get(t, t) for t in types)


def _message(doc: Document, definition: str, path: tuple, error) -> str:
    name = _field(path)
    what = f"'{name}'" if name else "this value"
    kind, value = error.validator, error.instance
    if kind == "type":
        if not path:
            return f"{_KIND_NOUN[definition]}, not {_type_name(value)}"
        message = f"{what} must be {_expected(error.validator_value)}, not {_type_name(value)}"
        raw = doc.raw.get(path)
        if raw is not None and "string" in error.validator_value:
            message += f" ({raw}); put it in quotes to keep it as text: '{raw}'"
        elif isinstance(value, str):
            message += f" (\"{_short(value)}\")"
        elif raw is not None:
            message += f" ({raw})"
        return message
    if kind == "minimum":
        return f"{what} must be {error.validator_value} or more, not {value}"
    if kind == "maxLength":
        return f"{what} is {len(value)} characters long; the limit is {error.validator_value}"
    if kind == "minLength":
        return f"{what} must not be empty"
    if kind == "pattern":
        hint = _PATTERN_HINTS.get(name, f"must match {error.validator_value}")
        return f"{what} {hint}, not \"{_short(value)}\""
    if kind == "anyOf" and name == "published":
        return f"{what} {_PATTERN_HINTS['date']}, or null"
    if kind == "enum":
        return f"{what} must be one of {', '.join(map(str, error.validator_value))}, not \"{_short(str(value))}\""
    if kind == "minItems":
        noun = "citation" if name == "citations" else "item"
        return f"{what} needs at least {error.validator_value} {noun}{'s' if error.validator_value > 1 else ''}"
    if kind == "maxItems":
        return f"{what} has {len(value)} items; the limit is {error.validator_value}"
    return f"{what}: {error.message}"


def _short(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"
