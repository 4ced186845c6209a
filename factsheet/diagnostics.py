"""Collecting diagnostics from every stage, each echoing the content line it points at."""

from __future__ import annotations

import os

from factsheet.model import Diagnostic, Location
from factsheet.yamlsrc import Document


def display_path(path: str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


class Report:
    """Every problem found so far; stages add to it and keep going, the CLI prints it once."""

    def __init__(self) -> None:
        self.docs: dict[str, Document] = {}
        self.items: list[Diagnostic] = []
        # What the content holds as written (valid or not), for the summary line.
        self.facts = self.citations = self.sources = 0

    def add_document(self, doc: Document) -> None:
        self.docs[doc.path] = doc
        self.items.extend(doc.errors)

    def add(self, location: Location, message: str, *, severity: str = "error", rule: str,
            notes: tuple[str, ...] = ()) -> None:
        doc = self.docs.get(location.path)
        if doc is not None:
            self.items.append(doc.diagnostic_at(location, message, severity=severity, rule=rule, notes=notes))
        else:
            self.items.append(Diagnostic(location, severity, message, rule, notes))

    def error(self, location: Location, message: str, *, rule: str, notes: tuple[str, ...] = ()) -> None:
        self.add(location, message, rule=rule, notes=notes)

    def warning(self, location: Location, message: str, *, rule: str, notes: tuple[str, ...] = ()) -> None:
        self.add(location, message, severity="warning", rule=rule, notes=notes)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def summary(self) -> str:
        """``N facts, M citations, K sources: E errors, W warnings``."""
        unique = self.sorted()
        errors = sum(d.severity == "error" for d in unique)
        warnings = len(unique) - errors
        return (f"{self.facts} facts, {self.citations} citations, {self.sources} sources: "
                f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")

    def sorted(self) -> list[Diagnostic]:
        """In file order, each problem once."""
        seen = set()
        unique = []
        for d in self.items:
            key = (d.location, d.severity, d.message)
            if key not in seen:
                seen.add(key)
                unique.append(d)
        return sorted(unique, key=lambda d: (d.location.path, d.location.line, d.location.col))
