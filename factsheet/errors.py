"""The tool's few exceptions. The CLI turns them into messages and exit codes; nothing else does."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet.diagnostics import Report


class FactsheetError(Exception):
    """Base class: anything the user can fix, reported without a traceback."""


class ContentError(FactsheetError):
    """The content has errors; carries the whole report, so every problem is shown at once."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(report.summary())


class UsageError(FactsheetError):
    """The command line or the folders given make no sense (exit code 2)."""


class OutputError(FactsheetError):
    """An output could not be written; previous outputs are left as they were."""


class CaptureError(FactsheetError):
    """A source could not be captured (fetched, read or extracted); nothing was written."""
