"""Running the stages in order. Everything is gathered and verified before anything is written;
outputs then go to temporary files in the output folder, renamed into place only when all are
ready, so a failed build leaves the previous outputs exactly as they were."""

from __future__ import annotations

import errno
import gc
import glob
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


def verify(content: Path, *, strict: bool = False, options: check.Options | None = None,
           progress: Progress = _quiet) -> tuple[Briefing | None, Report]:
    """Load, anchor and check: the briefing (None if it has errors) and every diagnostic."""
    with _paused_gc():
        return _verify(content, strict, options, progress)


def _verify(content: Path, strict: bool, options: check.Options | None,
            progress: Progress) -> tuple[Briefing | None, Report]:
    progress(f"load: {content}")
    briefing, report = load(content)
    if briefing is not None:
        progress(f"anchor: {sum(len(f.citations) for f in briefing.facts)} citations "
                 f"in {len(briefing.sources)} sources")
        briefing = resolve.resolve(briefing, report)
        progress("check: rules")
        check.run_rules(briefing, report, options=options)
    failed = report.errors or (strict and report.warnings)
    return (None if failed else briefing), report


@dataclass(frozen=True)
class Outputs:
    """Every output file's name and bytes, rendered in memory."""

    files: dict[str, bytes]


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds): the build time to use instead of now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def render_all(briefing: Briefing, templates: Path, progress: Progress = _quiet) -> Outputs:
    from factsheet.exports import render_annotations, render_sources_csl
    from factsheet.html import render_html
    from factsheet.pdf import preload, render_briefing_pdf
    from factsheet.render import render_json, render_markdown

    preload()
    progress("render: Markdown")
    md = render_markdown(briefing, templates)
    progress("render: HTML")
    html = render_html(briefing, templates)
    progress("render: JSON")
    data = render_json(briefing)
    progress("render: PDF")
    pdf = render_briefing_pdf(briefing, templates, epoch=source_date_epoch())
    return Outputs({
        "briefing.md": md.encode("utf-8"),
        "briefing.html": html.encode("utf-8"),
        "briefing.json": data.encode("utf-8"),
        "briefing.pdf": pdf,
        "briefing.annotations.jsonld": render_annotations(briefing).encode("utf-8"),
        "briefing.sources.csl.json": render_sources_csl(briefing).encode("utf-8"),
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
    """Write every file's bytes first, then name them, then rename all into place.

    The bytes go to unnamed files (``O_TMPFILE``) where the file system has them, so a build
    killed while writing leaves no trace at all. Only when every file is written does each get a
    hidden temporary name, at once renamed over its output; a failed build leaves the previous
    outputs exactly as they were.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create output folder {out}: {e.strerror}") from None
    _sweep(out, outputs.files)
    for name in outputs.files:
        if (out / name).is_dir() and not (out / name).is_symlink():
            raise OutputError(f"cannot write {out / name}: a folder of that name is in the way; "
                              "previous outputs are unchanged")
    staged: list[_Staged] = []
    try:
        for name, data in outputs.files.items():
            staged.append(_Staged(out, name))
            staged[-1].write(data)
        for item in staged:
            item.name()
    except OSError as e:
        for item in staged:
            item.discard()
        raise OutputError(f"cannot write to {out}: {e.strerror}; previous outputs are unchanged") from None
    for item in staged:
        os.replace(item.tmp, out / item.final)
    return [out / item.final for item in staged]


class _Staged:
    """One output's bytes on disk, unnamed (or under a hidden name) until it is committed."""

    def __init__(self, out: Path, final: str):
        self.out, self.final, self.tmp = out, final, ""
        self.fd = _unnamed_file(out)
        if self.fd is None:
            self.fd, self.tmp = tempfile.mkstemp(prefix=f".{final}.", suffix=".tmp", dir=out)
            os.fchmod(self.fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from a web server

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        os.fsync(self.fd)

    def name(self) -> None:
        if not self.tmp:
            tmp = f".{self.final}.{os.getpid()}.{self.fd}.tmp"
            # A folder fd makes os.link call linkat(), which follows /proc's link to the open file.
            folder = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(f"/proc/self/fd/{self.fd}", tmp, dst_dir_fd=folder, follow_symlinks=True)
            finally:
                os.close(folder)
            self.tmp = str(self.out / tmp)
        os.close(self.fd)
        self.fd = -1

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.tmp:
            _remove(self.tmp)


def _unnamed_file(out: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(out, flag | os.O_WRONLY, 0o666)
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system without unnamed files: fall back to named ones
        raise


def _sweep(out: Path, names) -> None:
    # Hidden names live only between naming and renaming; one left over is from a build killed
    # in that instant, and nothing else writes names of this shape.
    for name in names:
        for leftover in out.glob(f".{glob.escape(name)}.*.tmp"):
            _remove(str(leftover))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def build(content: Path, out: Path, templates: Path, *, strict: bool = False,
          progress: Progress = _quiet, options: check.Options | None = None) -> tuple[list[Path], Report]:
    """Verify, render everything in memory, then write. Raises ContentError on any error."""
    check_output_folder(out, content)
    briefing, report = verify(content, strict=strict, options=options, progress=progress)
    if briefing is None:
        raise ContentError(report)
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
