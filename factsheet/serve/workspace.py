"""The content folder as the app sees it: the briefing examined (with every problem), the web page
rendered from it, the PDF built in the background, and the changes the app made (for undo).

Everything is re-read after every save and whenever a file under the content folder changes (an
editor's save, a ``git checkout``): a poll of the files' sizes and times, as ``build --watch``
does. One lock serialises reloading and writing; requests read the briefing last loaded, which is
immutable.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.curate.watch import Snapshot, snapshot
from factsheet.diagnostics import Report
from factsheet.model import Briefing
from factsheet.pipeline import examine, render

PDF_QUIET = 1.0  # seconds without a change before the PDF is built: not on every keystroke's save


@dataclass
class FileChange:
    name: str  # in the content folder: "facts/vote.yaml"
    before: bytes | None  # None: the file did not exist
    after: bytes


@dataclass
class Change:
    """One save the app made: what it was, every file's bytes before and after, and the diff."""

    id: int
    what: str
    files: list[FileChange]
    diff: str
    undone: bool = False


@dataclass
class Preview:
    page: bytes | None = None  # the web page of the last content without errors
    version: int = 0  # the content version it shows
    seconds: float = 0.0  # how long loading, checking and rendering took


@dataclass
class Pdf:
    data: bytes | None = None
    version: int = 0
    state: str = "waiting"  # "waiting" | "building" | "ready" | "failed" | "off"
    error: str = ""
    wanted: tuple[Briefing, int] | None = field(default=None, repr=False)
    since: float = 0.0


class Workspace:
    def __init__(self, content: Path, templates: Path, *, pdf: bool = True):
        self.content, self.templates = Path(content), Path(templates)
        self.lock = threading.RLock()
        self.briefing: Briefing | None = None
        self.report = Report()
        self.version = 0
        self.files: Snapshot = {}
        self.preview = Preview()
        self.pdf = Pdf(state="waiting" if pdf else "off")
        self.changes: list[Change] = []
        self.accepted: set[tuple] = set()  # drift proposals accepted but with nothing to write yet
        self._pdf_wake = threading.Event()
        self._stop = threading.Event()
        self.reload()

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Examine the content again, re-render the page, and ask for a new PDF."""
        with self.lock:
            began = time.perf_counter()
            self.files = snapshot([self.content])
            self.briefing, self.report = examine(self.content)
            self.version += 1
            if self.briefing is not None and not self.report.errors:
                page = render(self.briefing, self.templates, names=("web",))["briefing.html"]
                self.preview = Preview(page, self.version, time.perf_counter() - began)
                self._want_pdf(self.briefing)

    def refresh(self) -> bool:
        """Reload if any file under the content folder changed; True if it did."""
        with self.lock:
            if snapshot([self.content]) == self.files:
                return False
            self.reload()
            return True

    def watch(self, interval: float = 0.25) -> None:
        """Poll for changes made outside the app until ``stop``."""
        while not self._stop.wait(interval):
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - a half-written file is read again on the next poll
                pass

    def stop(self) -> None:
        self._stop.set()
        self._pdf_wake.set()

    def current(self) -> tuple[Briefing | None, Report, int]:
        with self.lock:
            return self.briefing, self.report, self.version

    # --- the PDF, in the background -------------------------------------------------------------

    def _want_pdf(self, briefing: Briefing) -> None:
        if self.pdf.state == "off":
            return
        self.pdf.wanted, self.pdf.since = (briefing, self.version), time.monotonic()
        if self.pdf.state != "building":
            self.pdf.state = "waiting"
        self._pdf_wake.set()

    def build_pdfs(self) -> None:
        """Build the PDF of the latest error-free content, once changes have settled; until ``stop``."""
        while not self._stop.is_set():
            self._pdf_wake.wait()
            with self.lock:
                wanted, since = self.pdf.wanted, self.pdf.since
                if wanted is None:
                    self._pdf_wake.clear()
                    continue
            quiet = PDF_QUIET - (time.monotonic() - since)
            if quiet > 0:
                self._stop.wait(quiet)
                continue
            with self.lock:
                if self.pdf.wanted is not wanted:
                    continue
                self.pdf.wanted, self.pdf.state = None, "building"
            self._build_pdf(*wanted)

    def _build_pdf(self, briefing: Briefing, version: int) -> None:
        try:
            data = render(briefing, self.templates, names=("pdf",))["briefing.pdf"]
        except Exception as e:  # noqa: BLE001 - shown in the app; the next save tries again
            with self.lock:
                self.pdf.state, self.pdf.error = "failed", f"{type(e).__name__}: {e}"
            return
        with self.lock:
            self.pdf.data, self.pdf.version, self.pdf.error = data, version, ""
            self.pdf.state = "waiting" if self.pdf.wanted else "ready"

    # --- the app's own changes --------------------------------------------------------------------

    def read(self, name: str) -> bytes | None:
        path = self.content / name
        return path.read_bytes() if path.is_file() else None

    def record(self, what: str, files: list[FileChange], diff: str) -> Change:
        with self.lock:
            change = Change(len(self.changes) + 1, what, files, diff)
            self.changes.append(change)
            return change
