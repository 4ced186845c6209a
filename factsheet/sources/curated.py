"""Curated text is shown as written: it may not hold characters that change how text displays
without being seen. (Words copied from a source — quote, prefix, suffix — are the source's own,
whatever they hold; the verify stage warns about those when they are cited.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from factsheet.diagnostics import Report
from factsheet.sources.yamlread import Document
from factsheet.text import hidden_character

SOURCE_WORDS = {"quote", "prefix", "suffix"}


def check(report: Report, docs: list[Document]) -> None:
    for doc in docs:
        for path, text in _curated_strings(doc.value):
            found = hidden_character(text)
            if found:
                name = next((p for p in reversed(path) if isinstance(p, str)), "value")
                report.error(doc.at(path), f"'{name}' holds {found[1]} at character {found[0] + 1}: "
                             "it changes how the text displays without being seen; delete it",
                             rule="control-character")


def _curated_strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in SOURCE_WORDS:
                yield from _curated_strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _curated_strings(item, path + (i,))
