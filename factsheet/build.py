"""Running the stages in order. Everything is gathered and verified before anything is written;
outputs then go to temporary files in the output folder, renamed into place only when all are
ready, so a failed build leaves the previous outputs exactly as they were."""

from __future__ import annotations

import gc
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from factsheet import cache, check, resolve
from factsheet.diagnostics import Report
from factsheet.errors import ContentError, OutputError, UsageError
from factsheet.load import load
from factsheet.model import Briefing

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@contextmanager
def _paused_gc():
    # Loading builds a large, long-lived, almost acyclic heap (every node, fact and span): the
    # cyclic collector re-scanning it took a fifth of `check` at 10,000 facts.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def verify(content: Path, *, strict: bool = False,
           progress: Progress = _quiet) -> tuple[Briefing | None, Report]:
    """Load, anchor and check: the briefing (None if it has errors) and every diagnostic."""
    with _paused_gc():
        return _verify(content, strict, progress)


def _verify(content: Path, strict: bool, progress: Progress) -> tuple[Briefing | None, Report]:
    progress(f"load: {content}")
    briefing, report = load(content)
    if briefing is not None:
        progress(f"anchor: {sum(len(f.citations) for f in briefing.facts)} citations "
                 f"in {len(briefing.sources)} sources")
        briefing = resolve.resolve(briefing, report)
        progress("check: rules")
        check.run_rules(briefing, report)
    failed = report.errors or (strict and report.warnings)
    return (None if failed else briefing), report


@dataclass(frozen=True)
class Outputs:
    """Every output file's name and bytes, rendered in memory."""

    files: dict[str, bytes]


def render_all(briefing: Briefing, templates: Path, progress: Progress = _quiet) -> Outputs:
    from factsheet.html import render_html
    from factsheet.pdf import preload, render_pdf
    from factsheet.render import render_json, render_markdown

    preload()
    progress("render: Markdown")
    md = render_markdown(briefing, templates)
    progress("render: HTML")
    html = render_html(briefing, md, templates)
    progress("render: JSON")
    data = render_json(briefing)
    progress("render: PDF")
    pdf = render_pdf(render_html(briefing, md, templates, for_print=True), templates)
    return Outputs({
        "briefing.md": md.encode("utf-8"),
        "briefing.html": html.encode("utf-8"),
        "briefing.json": data.encode("utf-8"),
        "briefing.pdf": pdf,
    })


def check_output_folder(out: Path, content: Path) -> None:
    """Outputs must never land on or inside the content they are built from."""
    real_out, real_content = os.path.realpath(out), os.path.realpath(content)
    if os.path.commonpath([real_out, real_content]) in (real_content, real_out):
        raise UsageError(f"output folder {out} overlaps the content folder {content}; "
                         "choose a folder outside it (default: build/)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path {out} exists and is not a folder")


def write_outputs(outputs: Outputs, out: Path) -> list[Path]:
    """Write every file to a temporary name, then rename all into place."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create output folder {out}: {e.strerror}") from None
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in outputs.files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            staged.append((tmp, out / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as e:
        for tmp, _ in staged:
            _remove(tmp)
        raise OutputError(f"cannot write to {out}: {e.strerror}; previous outputs are unchanged") from None
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def build(content: Path, out: Path, templates: Path, *, strict: bool = False,
          progress: Progress = _quiet) -> tuple[list[Path], Report]:
    """Verify, render everything in memory, then write. Raises ContentError on any error."""
    check_output_folder(out, content)
    briefing, report = verify(content, strict=strict, progress=progress)
    if briefing is None:
        raise ContentError(report.sorted())
    # Verified above on every build; only rendering is skipped when nothing it reads has changed.
    key = cache.inputs_key(briefing, report, templates)
    reused = cache.reusable(out, key)
    if reused is not None:
        progress(f"render: skipped, {out} is up to date with this content, templates and tool")
        return reused, report
    outputs = render_all(briefing, templates, progress)
    progress(f"write: {out}")
    written = write_outputs(outputs, out)
    cache.record(out, key, outputs.files)
    return written, report
