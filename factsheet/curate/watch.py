"""``factsheet build --watch``: build now and after every change of the content or templates.

Polling, not file-system events: it works the same on every file system and in containers, and a
briefing's few hundred files cost nothing to stat twice a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, FactsheetError
from factsheet.model import Diagnostic
from factsheet.outputs.pdfcost import DEFAULT_BUDGET_MB
from factsheet.pipeline import Progress, build
from factsheet.verification.rules import Options

Snapshot = dict[str, tuple[int, int]]


class Repeats:
    """What the last build reported, so that each build prints only what changed."""

    def __init__(self) -> None:
        self.last: set[str] = set()

    def news(self, report: Report) -> tuple[list[Diagnostic], str]:
        """The findings the last build did not have, and a line for those it did (or "")."""
        found = report.sorted()
        new = [d for d in found if d.format() not in self.last]
        same = [d for d in found if d.format() in self.last]
        self.last = {d.format() for d in found}
        counts = [(sum(d.severity == kind for d in same), kind) for kind in ("error", "warning")]
        said = " and ".join(f"{n} {kind}{'s' * (n != 1)}" for n, kind in counts if n)
        return new, f"same {said} as the last build, not repeated" if said else ""


def snapshot(folders: list[Path]) -> Snapshot:
    """Every file's (mtime_ns, size) under the folders: a change in any means rebuild."""
    state = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                st = path.stat()
                state[str(path)] = (st.st_mtime_ns, st.st_size)
    return state


def watch(folders: list[Path], rebuild: Callable[[], None], *, interval: float = 0.5,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Build once, then again after every change to the folders, until interrupted."""
    for _ in changes(folders, interval, sleep):
        rebuild()


def changes(folders: list[Path], interval: float, sleep: Callable[[float], None]) -> Iterator[Snapshot]:
    """Yields at once, then each time the files under the folders change (polling)."""
    state = snapshot(folders)
    yield state
    while True:
        sleep(interval)
        now = snapshot(folders)
        if now != state:
            state = now
            yield state


def watch_build(content: Path, out: Path, templates: Path, on_result: Callable[..., None], *,
                strict: bool = False, options: Options | None = None, interval: float = 0.5,
                sleep: Callable[[float], None] = time.sleep, progress: Progress = lambda line: None,
                on_preview: Callable[[list[Path], float], None] = lambda written, seconds: None,
                pdf: bool = True, pdf_budget_mb: float | None = DEFAULT_BUDGET_MB) -> None:
    """Build, then rebuild after every change, until interrupted. After each build ``on_result``
    gets (paths written, report) on success, (None, report) when the content has errors, or
    (None, None, error) when something else stopped the build; the loop goes on either way.
    Every output but the PDF is written first: ``on_preview`` gets their paths and the seconds
    since the change was seen, so a page open in a browser can be reloaded before the PDF is laid
    out."""

    def rebuild() -> None:
        seen = time.perf_counter()
        try:
            written, report = build(content, out, templates, strict=strict, progress=progress,
                                    options=options, pdf=pdf, pdf_budget_mb=pdf_budget_mb,
                                    preview=lambda paths: on_preview(paths, time.perf_counter() - seen))
        except ContentError as e:
            on_result(None, e.report)
            return
        except FactsheetError as e:
            on_result(None, None, e)
            return
        on_result(written, report)

    watch([content, templates], rebuild, interval=interval, sleep=sleep)
