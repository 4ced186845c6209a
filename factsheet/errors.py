"""The tool's few exceptions. The CLI turns them into messages and exit codes; nothing else does."""

from __future__ import annotations

from factsheet.model import Diagnostic


class FactsheetError(Exception):
    """Base class: anything the user can fix, reported without a traceback."""


class ContentError(FactsheetError):
    """The content has errors; carries every diagnostic found, so all are reported at once."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"{sum(d.severity == 'error' for d in diagnostics)} error(s) in the content")


class UsageError(FactsheetError):
    """The command line or the folders given make no sense (exit code 2)."""


class OutputError(FactsheetError):
    """An output could not be written; previous outputs are left as they were."""
