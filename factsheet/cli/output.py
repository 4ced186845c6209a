"""What the command prints: every line made terminal-safe, diagnostics once each, progress lines
on an interactive terminal only."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from factsheet.diagnostics import Report
from factsheet.text import terminal_safe

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def emit(text: str, *, stream=None, end: str = "\n") -> None:
    for stage in _OPEN:
        stage.finish()
    print(terminal_safe(text), file=stream or sys.stderr, end=end, flush=True)


def print_report(report: Report) -> None:
    for diagnostic in report.sorted():
        emit(diagnostic.format())


class _Stages:
    """One line per stage: its name as it starts, its own seconds when it ends (the next stage or
    any other output ends it), so a slow stage shows itself where it is."""

    def __init__(self) -> None:
        import time

        self.clock = time.perf_counter
        self.began: float | None = None

    def __call__(self, line: str) -> None:
        emit(f"factsheet: {line} …", end="")  # ends the stage before, if any
        self.began = self.clock()
        _OPEN.append(self)

    def finish(self) -> None:
        if self.began is not None:
            print(f" {self.clock() - self.began:.2f}s", file=sys.stderr, flush=True)
            self.began = None
            _OPEN.remove(self)


_OPEN: list[_Stages] = []  # the stage line still open, ended by the next thing printed


def progress_printer() -> Callable[[str], None]:
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return _Stages()
    return lambda line: None


