"""Collecting diagnostics from every stage, each echoing the content line it points at."""

from __future__ import annotations

import os
from dataclasses import replace

from factsheet.model import ContentFile, Diagnostic, Location
from factsheet.text import printable

_MAX_ECHO = 200  # the longest content line echoed under a message


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
        self.files: dict[str, ContentFile] = {}  # for echoing the line a message points at
        self.items: list[Diagnostic] = []
        # What the content holds as written (valid or not), for the summary line.
        self.facts = self.citations = self.sources = 0
        # Content files that could not be read, the rules whose findings would then only follow
        # from their absence (an empty section, an unused source), and how many were left out.
        self.unread: list[str] = []
        self.dependent: set[str] = set()
        self.hidden = 0
        # Source entries left out for a schema error, by id: a command naming one can say why.
        self.rejected_sources: dict[str, Location] = {}

    def add_file(self, file: ContentFile) -> None:
        self.files[file.path] = file

    def add(self, location: Location, message: str, *, severity: str = "error", rule: str,
            notes: tuple[str, ...] = ()) -> None:
        if rule in self.dependent:
            self.hidden += 1
            return
        self.items.append(echoed(self.files.get(location.path), Diagnostic(location, severity, message,
                                                                           rule, notes)))

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
                f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
                f"{self._unread_note()}")

    def _unread_note(self) -> str:
        if not self.unread:
            return ""
        files = " and ".join(self.unread) if len(self.unread) < 3 else f"{len(self.unread)} files"
        it = "it is" if len(self.unread) == 1 else "they are"
        shown = "" if not self.hidden else (
            f" and {self.hidden} finding{'s' * (self.hidden != 1)} that only follow{'s' * (self.hidden == 1)} "
            f"from that {'is' if self.hidden == 1 else 'are'} not shown")
        return f"; {files} could not be read, so {it} not counted{shown}"

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


def echoed(file: ContentFile | None, d: Diagnostic) -> Diagnostic:
    """The diagnostic with the content line it points at, made safe to print."""
    loc = d.location
    if file is None or not file.text or loc.col > _MAX_ECHO:
        return d
    line = file.line_text(loc.line)
    if len(line) > _MAX_ECHO:
        line = line[:_MAX_ECHO] + " …"  # a 10 MB line is not echoed whole
    return replace(d, source_line=printable(line))
