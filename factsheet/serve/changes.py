"""Saving an edit, and undoing it, without ever leaving the content worse than it was.

A save goes in three steps:

1. check   the new bytes are examined in memory (``examine`` with an overlay), exactly as
           ``factsheet check`` will read them; an edit that would make a file unreadable, or
           whose citation would not resolve to the words chosen, is refused before anything is written;
2. write   each file atomically (``files.write_file``);
3. confirm the content is loaded again from disk and the same expectation checked; if it fails
           (the disk holds something else), the previous bytes are put back.

Undo writes a change's previous bytes back, only if the files still hold what the app wrote.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import PurePosixPath

from factsheet.diagnostics import Report
from factsheet.files import write_file
from factsheet.model import Briefing
from factsheet.pipeline import examine
from factsheet.serve.workspace import Change, FileChange, Workspace
from factsheet.sources.sourcefiles import inside

# Problems an edit must never add: the file would not load, or a citation would not resolve.
STRUCTURAL = {"yaml", "format", "duplicate-id", "reference", "control-character", "anchor"}

Expectation = Callable[[Briefing, Report], str | None]  # what is wrong, or None


class Refused(Exception):
    """The edit was not saved; the message says why (and the content is as it was)."""

    def __init__(self, message: str, report: Report | None = None, status: int = 409):
        super().__init__(message)
        self.report, self.status = report, status


def _structural(report: Report) -> Counter:
    return Counter((d.rule, d.message) for d in report.sorted()
                   if d.severity == "error" and d.rule in STRUCTURAL)


def _first_new(before: Report, after: Report) -> str | None:
    added = _structural(after) - _structural(before)
    for d in after.sorted():
        if (d.rule, d.message) in added:
            return f"{d.location}: {d.message} [{d.rule}]"
    return None


def diff(name: str, before: bytes | None, after: bytes | None) -> str:
    old = (before or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = (after or b"").decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{name}" if before is not None else "/dev/null",
                                 f"b/{name}" if after is not None else "/dev/null", n=2)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _inside(ws: Workspace, name: str) -> bool:
    """A relative name with no way out, that stays in the content folder with links followed."""
    parts = PurePosixPath(name).parts
    return (bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts
            and inside(ws.content, ws.content / name))


def save(ws: Workspace, what: str, files: dict[str, bytes], expect: Expectation | None = None) -> Change:
    """Check, write and confirm ``files`` (content file name -> new bytes); the change for undo."""
    outside = [name for name in files if not _inside(ws, name)]
    if outside:
        raise Refused(f"not saved: {outside[0]} is not inside the content folder", status=400)
    with ws.lock:
        ws.refresh()
        _, now, _ = ws.current()
        briefing, report = examine(ws.content, overlay=files)
        problem = _first_new(now, report) or ("the content would not load" if briefing is None else None)
        if not problem and expect and briefing is not None:
            problem = expect(briefing, report)
        if problem:
            raise Refused(f"not saved: {problem}", report)
        before = {name: ws.read(name) for name in files}
        for name, data in files.items():
            write_file(ws.content / name, data)
        ws.reload()
        briefing, report, _ = ws.current()
        problem = next((f"{name} does not hold what was written" for name, data in files.items()
                        if ws.read(name) != data), None)
        if not problem and briefing is not None and expect:
            problem = expect(briefing, report)
        if problem or briefing is None:
            _put_back(ws, before)
            raise Refused(f"not saved: loaded again, {problem or 'the content would not load'}; "
                          "the previous bytes were put back", report)
        changed = [FileChange(name, before[name], data) for name, data in files.items()]
        return ws.record(what, changed, "".join(diff(c.name, c.before, c.after) for c in changed))


def _put_back(ws: Workspace, before: dict[str, bytes | None]) -> None:
    for name, data in before.items():
        if data is None:
            _remove(ws.content / name)
        else:
            write_file(ws.content / name, data)
    ws.reload()


def _remove(path: os.PathLike) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def undo(ws: Workspace, change_id: int | None = None) -> Change:
    """Put back the bytes a change replaced (the latest change not yet undone, by default)."""
    with ws.lock:
        open_changes = [c for c in ws.changes if not c.undone]
        change: Change | None
        if change_id is None:
            if not open_changes:
                raise Refused("nothing to undo", status=404)
            change = open_changes[-1]
        else:
            change = next((c for c in ws.changes if c.id == change_id), None)
            if change is None or change.undone:
                raise Refused(f"no change {change_id} to undo", status=404)
        for f in change.files:
            if ws.read(f.name) != f.after:
                raise Refused(f"{f.name} has changed since this save (in an editor?); undo would lose "
                              "that change, so nothing was undone")
        _put_back(ws, {f.name: f.before for f in change.files})
        change.undone = True
        return change
