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
    print(terminal_safe(text), file=stream or sys.stderr, end=end, flush=True)


def print_report(report: Report) -> None:
    for diagnostic in report.sorted():
        emit(diagnostic.format())


def progress_printer() -> Callable[[str], None]:
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean. Each line shows
    # the seconds since the command started, so a slow stage shows itself.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        import time

        start = time.perf_counter()
        return lambda line: emit(f"factsheet: {time.perf_counter() - start:6.2f}s {line}")
    return lambda line: None


