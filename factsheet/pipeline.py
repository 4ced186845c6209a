"""The stages in order, as the library's API and the commands run them::

    load      the content folder -> one model, every node with its place       (factsheet.sources)
    verify    anchor every citation, number the notes, run every rule         (factsheet.verification)
    render    the outputs asked for, in memory                                (factsheet.outputs)
    write     all at once, atomically                                         (factsheet.files)

Everything is gathered and verified before anything is written: a failed build leaves the
previous outputs exactly as they were. Nothing after ``load`` reads a content file again.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_files
from factsheet.model import Briefing
from factsheet.outputs.pdfcost import DEFAULT_BUDGET_MB
from factsheet.sources.load import Overlay, load
from factsheet.verification import review
from factsheet.verification.resolve import resolve
from factsheet.verification.rules import Options, run_rules

if TYPE_CHECKING:
    from factsheet.outputs.pdfprocess import PdfProcess

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@contextmanager
def _paused_gc() -> Iterator[None]:
    # Loading builds a large, long-lived, almost acyclic heap (every node, fact and span): the
    # cyclic collector re-scanning it took a fifth of `check` at 10,000 facts.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def verify(content: str | Path, *, strict: bool = False, options: Options | None = None,
           progress: Progress = _quiet, library: Path | None = None) -> tuple[Briefing | None, Report]:
    """Load, anchor and check: the resolved briefing (None if it has errors, or warnings with
    ``strict``) and every diagnostic. ``library``: a project's shared sources folder."""
    briefing, report = examine(content, options=options, progress=progress, library=library)
    failed = report.errors or (strict and report.warnings)
    return (None if failed else briefing), report


def examine(content: str | Path, *, options: Options | None = None, overlay: Overlay | None = None,
            progress: Progress = _quiet, library: Path | None = None) -> tuple[Briefing | None, Report]:
    """What ``verify`` does, but the resolved briefing comes back even when it has errors (None
    only when it could not be loaded at all), for a curator's tools to show it with its problems.
    ``overlay`` (content file name -> bytes) checks edits before they are written."""
    with _paused_gc():
        progress(f"load: {content}")
        briefing, report = load(content, overlay, library)
        if briefing is not None:
            progress(f"anchor: {_citations(briefing)} in {len(briefing.sources)} sources")
            briefing = review.with_states(resolve(briefing, report))
            progress("check: rules")
            run_rules(briefing, report, options=options)
    return briefing, report


def _citations(briefing: Briefing) -> str:
    """``251 citations (213 of facts, 38 of disagreements)``: the summary line's count, split."""
    facts = sum(len(f.citations) for f in briefing.facts)
    total = len(briefing.all_citations())
    return f"{total} citations" + (f" ({facts} of facts, {total - facts} of disagreements)" if total > facts else "")


def load_resolved(content: str | Path, library: Path | None = None) -> tuple[Briefing | None, Report]:
    """Load and anchor, without the rules: what the curator's commands (report) work on.
    ``library``: a project's shared sources folder."""
    briefing, report = load(content, library=library)
    if briefing is not None:
        briefing = review.with_states(resolve(briefing, report))
    return briefing, report


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds): the build time to use instead of now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def render(briefing: Briefing, templates: Path, names: tuple[str, ...] | None = None,
           progress: Progress = _quiet, pdf_budget_mb: float | None = DEFAULT_BUDGET_MB,
           pdf_process: PdfProcess | None = None) -> dict[str, bytes]:
    """The outputs asked for (default: all), by file name, rendered in memory. A PDF whose
    layout would need more than ``pdf_budget_mb`` of memory is refused (None: no limit).
    ``pdf_process``: a second process to lay the PDF out in (``outputs.pdfprocess``)."""
    from factsheet import outputs

    # The collector paused here too: rendering walks the same large heap, and re-scanning it took a
    # fifth of rendering at 10,000 facts (6.8 s → 5.5 s, the same peak memory).
    with _paused_gc():
        return outputs.render(briefing, templates, names if names is not None else tuple(outputs.OUTPUTS),
                              epoch=source_date_epoch(), progress=progress, pdf_budget_mb=pdf_budget_mb,
                              pdf_process=pdf_process)


def output_names(pdf: bool = True) -> tuple[str, ...]:
    """What a build writes: every output, or every one but the PDF (``build --no-pdf``)."""
    from factsheet.outputs import OUTPUTS

    return tuple(name for name in OUTPUTS if pdf or name != "pdf")


def check_output_folder(out: Path, content: Path) -> None:
    """Outputs must never land on or inside the content they are built from."""
    real_out, real_content = os.path.realpath(out), os.path.realpath(content)
    if os.path.commonpath([real_out, real_content]) in (real_content, real_out):
        raise UsageError(f"output folder {out} overlaps the content folder {content}; "
                         "choose a folder outside it (default: build/)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path {out} exists and is not a folder")


def build(content: str | Path, out: str | Path, templates: str | Path | None = None, *,
          strict: bool = False, progress: Progress = _quiet, options: Options | None = None,
          preview: Callable[[list[Path]], None] | None = None, library: Path | None = None,
          pdf: bool = True, pdf_budget_mb: float | None = DEFAULT_BUDGET_MB,
          pdf_process: bool | PdfProcess = False) -> tuple[list[Path], Report]:
    """Verify, render every output in memory, then write them all. Raises ContentError (with
    the report) if the content has errors; returns the paths written and the report.

    With ``preview`` (``build --watch``), every output but the PDF is written first and
    ``preview`` gets their paths; the PDF, which costs most of a build, follows. ``library``: a
    project's shared sources folder (the briefing's outputs then depend on the ones it cites).
    ``pdf=False`` writes every output but the PDF; ``pdf_budget_mb``: see ``render``.
    ``pdf_process`` (the command line's build): the PDF is laid out in a second process, started
    before verification so that WeasyPrint's import overlaps it (``outputs.pdfprocess``); the
    command line passes one it started before its own imports. Either way, ``build`` stops it
    once it is not needed."""
    from factsheet.outputs.environment import DEFAULT_TEMPLATES

    content, out = Path(content), Path(out)
    templates = Path(templates) if templates is not None else DEFAULT_TEMPLATES
    check_output_folder(out, content)
    process = _pdf_process(pdf_process) if pdf and preview is None else None
    try:
        briefing, report = verify(content, strict=strict, options=options, progress=progress, library=library)
        if briefing is None:
            raise ContentError(report)
        return write_outputs(briefing, out, templates, progress=progress, preview=preview, pdf=pdf,
                             pdf_budget_mb=pdf_budget_mb, pdf_process=process), report
    finally:
        if process is not None:
            process.cancel()  # ended already if it made the PDF; stopped if it was not needed


def _pdf_process(wanted: bool | PdfProcess) -> PdfProcess | None:
    if not isinstance(wanted, bool):
        return wanted
    if not wanted:
        return None
    from factsheet.outputs import pdfprocess

    return pdfprocess.start()


def write_outputs(briefing: Briefing, out: Path, templates: Path, *, progress: Progress = _quiet,
                  preview: Callable[[list[Path]], None] | None = None, pdf: bool = True,
                  pdf_budget_mb: float | None = DEFAULT_BUDGET_MB, pdf_process: PdfProcess | None = None) -> list[Path]:
    """The rendering half of ``build``, for a briefing just verified: render and write every
    output, unless the cache record in ``out`` says they are up to date (``cache.Reused``)."""
    from factsheet import cache  # `check` needs neither the cache nor its hashing of the package

    # Verified on every build; only rendering is skipped when nothing it reads has changed.
    names = output_names(pdf)
    key = cache.inputs_key(briefing, templates, source_date_epoch(), names)
    reused = cache.reusable(out, key)
    if reused is not None:
        progress(f"render: skipped, {out} is up to date with this content, templates and tool")
        return reused
    if preview is None or not pdf:
        files = render(briefing, templates, names, progress=progress, pdf_budget_mb=pdf_budget_mb,
                       pdf_process=pdf_process)
        progress(f"write: {out}")
        written = write_files(out, files)
        _remove_stale_pdf(out, names)
        if preview is not None:
            preview(written)
    else:
        files, written = _preview_first(briefing, templates, out, preview, progress, pdf_budget_mb)
    cache.record(out, key, files)
    return written


def _remove_stale_pdf(out: Path, names: tuple[str, ...]) -> None:
    # A build without the PDF must not leave one from earlier content beside its new outputs.
    from factsheet.outputs import OUTPUTS

    if "pdf" not in names:
        (out / OUTPUTS["pdf"].filename).unlink(missing_ok=True)


def _preview_first(briefing: Briefing, templates: Path, out: Path, preview: Callable[[list[Path]], None],
                   progress: Progress, pdf_budget_mb: float | None) -> tuple[dict[str, bytes], list[Path]]:
    files = render(briefing, templates, output_names(pdf=False), progress=progress)
    progress(f"write: {out} (all but the PDF)")
    written = write_files(out, files)
    preview(written)
    laid_out = render(briefing, templates, ("pdf",), progress=progress, pdf_budget_mb=pdf_budget_mb)
    progress(f"write: {out} (the PDF)")
    written += write_files(out, laid_out)
    return {**files, **laid_out}, written
