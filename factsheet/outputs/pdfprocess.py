"""A briefing's PDF laid out in a second process, started as a build begins.

WeasyPrint's import (about half a second once ``pdflibs`` skips its library search, most of it
Python: C declarations and stylesheets parsed, so a thread cannot overlap it) and its layout are a
build's critical path; verifying the content and rendering every other output need neither.
``factsheet build`` starts this process as soon as it has read its arguments: the process imports
WeasyPrint meanwhile, lays the print HTML out as soon as it is sent, and the build renders
Markdown, HTML and JSON while it waits. The process is fresh (not forked),
so nothing of the parent's state or threads is inherited.

The protocol is one pickle each way over the process's own pipes: a ``pdf.PdfJob`` in, and
``("pdf", bytes)`` or ``("error", exception or None, traceback)`` out, after one byte that says
WeasyPrint is imported. A job ready before that byte comes carries its HTML parsed (the first
step of the layout, done by the build while it would otherwise wait). Anything a library prints
goes to stderr, as it would in-process. The process never collects garbage and ends with
``os._exit``: the layout's millions of objects are neither walked by the collector nor freed one
by one.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import select
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.errors import FactsheetError

if TYPE_CHECKING:
    from factsheet.outputs.pdf import PdfJob


READY = b"R"  # the child's first byte: it has imported WeasyPrint


class PdfProcessFailed(FactsheetError):
    """The second process ended without a PDF or an error it could send."""


class PdfProcess:
    """One PDF, laid out in a child process: ``submit`` a job, then ``result``; or ``cancel``."""

    def __init__(self) -> None:
        import factsheet

        # The child imports this same package, wherever the parent found it.
        root = str(Path(factsheet.__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # A process group of its own: Ctrl-C at a terminal interrupts the build, which stops this
        # process; delivered here too, it would print a traceback of wherever the import was.
        self._proc = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                      process_group=0)
        self._writer: threading.Thread | None = None
        self._job: PdfJob | None = None

    def ready(self) -> bool:
        """Whether the child has imported WeasyPrint (it says so with one byte), or has ended."""
        stdout = self._proc.stdout
        assert stdout is not None
        return bool(select.select([stdout], [], [], 0)[0])

    def submit(self, job: PdfJob) -> None:
        """Send the job without waiting: the child reads it only once WeasyPrint is imported, and a
        job larger than the pipe's buffer would otherwise block the caller until then. A child
        still importing is sent the HTML parsed here: parsing is the first step of its layout, and
        what this process does next (the other outputs) is not what the build waits for."""
        from factsheet.outputs import pdflibs

        if job.tree is None and not self.ready():
            job = dataclasses.replace(job, tree=pdflibs.parse_html(job.html))
        self._job = job
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        stdin = self._proc.stdin
        assert stdin is not None

        def write() -> None:
            try:
                stdin.write(data)
            except (BrokenPipeError, ValueError):
                pass  # the child is gone; result() says how it ended
            try:
                stdin.close()
            except BrokenPipeError:
                pass  # what was left unwritten of the job: the child is gone

        self._writer = threading.Thread(target=write, name="pdf-job", daemon=True)
        self._writer.start()

    def result(self) -> bytes:
        """The PDF's bytes; an error raised in the child is raised here. A child that could not
        start (exit status 1 and no answer: Python could not import this module) is not an error
        in the PDF: it is laid out here instead."""
        assert self._proc.stdout is not None and self._writer is not None
        payload = self._proc.stdout.read().removeprefix(READY)
        self._proc.stdout.close()
        status = self._proc.wait()
        self._writer.join()
        if not payload and status == 1:
            from factsheet.outputs import pdf

            assert self._job is not None
            return pdf.lay_out(self._job)
        if not payload:
            raise PdfProcessFailed(f"the process laying out the PDF ended without a PDF (exit status {status})")
        kind, value, trace = pickle.loads(payload)
        if kind == "pdf":
            return value
        if isinstance(value, BaseException):
            raise value
        raise PdfProcessFailed(f"laying out the PDF failed:\n{trace}")

    def cancel(self) -> None:
        """Stop the child (nothing to lay out: the content failed, or the outputs are up to date)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except BrokenPipeError:
                    pass


def _command() -> list[str]:
    return [sys.executable, "-m", __name__]


def start() -> PdfProcess | None:
    """A second process for the PDF, or None where one cannot be started, or where WeasyPrint is
    imported already (a long-lived process: laying out here costs no import). The PDF is then made
    in-process, as before."""
    if "weasyprint" in sys.modules:
        return None
    try:
        return PdfProcess()
    except OSError:
        return None


@contextmanager
def started() -> Iterator[PdfProcess | None]:
    """``start``, for a command that lays out one PDF: called as the command has read its
    arguments, before it imports the pipeline and the templates (0.16 s), so that WeasyPrint's
    import overlaps those imports too. The process is stopped when the command ends without
    taking its PDF: a usage error, an interrupt, or outputs (or a site's PDF) up to date."""
    process = start()
    try:
        yield process
    finally:
        if process is not None:
            process.cancel()


def _serve() -> None:
    # One job, then os._exit: nothing this process makes needs collecting. With the collector on,
    # its first pass after the layout walked every object the layout had made (0.3 s for the
    # real briefing) before the PDF could be sent.
    gc.disable()
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the answer alone goes to the parent; a library's prints go to stderr
    try:
        from factsheet.outputs import pdflibs

        pdflibs.import_weasyprint()  # the slow import, while the parent verifies
    except Exception:  # noqa: BLE001 - lay_out imports it again and reports why it failed
        pass
    result.write(READY)  # a job sent from now on is read at once: the parent leaves it unparsed
    result.flush()
    data = sys.stdin.buffer.read()
    if not data:
        os._exit(0)  # cancelled
    answer: tuple
    try:
        from factsheet.outputs import pdf

        answer = ("pdf", pdf.lay_out(pickle.loads(data)), "")
    except Exception as e:  # noqa: BLE001 - every failure goes back to the parent, raised there
        answer = ("error", e, traceback.format_exc())
    try:
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled is sent as its traceback
        payload = pickle.dumps(("error", None, answer[2]))
    try:
        result.write(payload)
        result.flush()
    except BrokenPipeError:
        os._exit(1)  # the build is gone (killed): nobody to answer
    os._exit(0)


if __name__ == "__main__":
    _serve()
