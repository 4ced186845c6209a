"""The PDF laid out in a second process (``factsheet.outputs.pdfprocess``), as ``factsheet build``
does: the same bytes as in-process, errors raised in the caller, and no process left behind."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factsheet.errors import ContentError
from factsheet.outputs import pdf, pdfcost, pdfprocess
from factsheet.pipeline import build, verify

from conftest import FIXTURES, ROOT

TEMPLATES = ROOT / "templates"
EPOCH = 1741910400
START = pdfprocess.start  # conftest stands it down for every other in-process test


@pytest.fixture(scope="module")
def pdfcase(tmp_path_factory) -> tuple[Path, bytes]:
    """tests/fixtures/pdfcase, and its PDF laid out in this process (SOURCE_DATE_EPOCH fixed)."""
    folder = tmp_path_factory.mktemp("pdfprocess")
    content = folder / "content"
    shutil.copytree(FIXTURES / "pdfcase", content)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        briefing, _ = verify(content)
        laid_out = pdf.lay_out(pdf.prepare(briefing, TEMPLATES, epoch=EPOCH))
    return content, laid_out


def _as_a_user_runs_it(argv: list[str], cwd: Path) -> str:
    """``factsheet ARGV`` in a fresh interpreter, saying on stderr whether the pipeline was
    imported when the second process started and whether WeasyPrint was imported by the
    command's own process once it had the PDF; the command's stderr."""
    command = (
        "import runpy, sys\n"
        "from factsheet.outputs import pdfprocess\n"
        "made = pdfprocess.PdfProcess.result\n"
        "def result(self):\n"
        "    pdf = made(self)\n"
        "    print('weasyprint imported here:', 'weasyprint' in sys.modules, file=sys.stderr)\n"
        "    return pdf\n"
        "pdfprocess.PdfProcess.result = result\n"
        "started = pdfprocess.PdfProcess.__init__\n"
        "def start(self):\n"
        "    print('pipeline imported at start:', 'factsheet.pipeline' in sys.modules, file=sys.stderr)\n"
        "    started(self)\n"
        "pdfprocess.PdfProcess.__init__ = start\n"
        f"sys.argv = ['factsheet', *{argv!r}]\n"
        "runpy.run_module('factsheet', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(EPOCH), "HOME": str(cwd)},
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_factsheet_build_lays_the_pdf_out_in_a_second_process(pdfcase, tmp_path):
    """The command as a user runs it: the second process is started before the pipeline is
    imported, WeasyPrint is never imported by the command's own process, and the PDF is the one
    laid out in-process."""
    content, in_process = pdfcase
    out = tmp_path / "out"
    stderr = _as_a_user_runs_it(["build", "--content", str(content), "--out", str(out)], tmp_path)
    assert "weasyprint imported here: False" in stderr
    assert "pipeline imported at start: False" in stderr
    assert (out / "briefing.pdf").read_bytes() == in_process


def test_factsheet_publish_lays_the_pdf_out_in_a_second_process(pdfcase, tmp_path):
    """``publish`` as ``build``: its PDF laid out in a process started before the pipeline is
    imported; publishing the same content again reuses the site's PDF and lays nothing out."""
    content, in_process = pdfcase
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    argv = ["publish", "--content", str(content), "--to", "mkdocs", "--configure", "--slug", "case", str(site)]
    stderr = _as_a_user_runs_it(argv, tmp_path)
    assert "weasyprint imported here: False" in stderr
    assert "pipeline imported at start: False" in stderr
    [published] = (site / "docs").rglob("*.pdf")
    assert published.read_bytes() == in_process
    written = published.stat().st_mtime_ns
    again = _as_a_user_runs_it(argv, tmp_path)
    assert "weasyprint imported here" not in again  # no PDF was asked of the process
    assert published.stat().st_mtime_ns == written


def test_an_error_in_the_second_process_is_raised_in_the_caller():
    job = pdf.PdfJob('<link rel="stylesheet" href="file:///etc/passwd"><p>x</p>', TEMPLATES, [],
                     datetime(2025, 3, 14, tzinfo=UTC), b"0" * 32)
    process = pdfprocess.PdfProcess()
    process.submit(job)
    with pytest.raises(pdf.FetchRefused, match="only the templates' assets"):
        process.result()


def test_a_child_still_importing_is_sent_the_html_parsed(pdfcase, monkeypatch):
    """A job sent at once carries its HTML parsed by the caller; one sent once the child has
    imported WeasyPrint, the text alone. The PDF is the same either way."""
    content, in_process = pdfcase
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    briefing, _ = verify(content)
    job = pdf.prepare(briefing, TEMPLATES, epoch=EPOCH)
    early = pdfprocess.PdfProcess()
    late = pdfprocess.PdfProcess()
    try:
        early.submit(job)
        deadline = time.monotonic() + 120
        while not late.ready():
            assert time.monotonic() < deadline, "the child never said it was ready"
            time.sleep(0.02)
        late.submit(job)
        assert early._job is not None and early._job.tree is not None
        assert late._job is not None and late._job.tree is None
        assert early.result() == in_process
        assert late.result() == in_process
    finally:
        early.cancel()  # (ended already, unless an assertion failed first)
        late.cancel()


def test_the_second_process_never_walks_its_objects_for_garbage():
    """The process ends with os._exit after one job: a collection, once the layout has made its
    objects, would only delay the PDF."""
    job = pdf.PdfJob("<p>x</p>", TEMPLATES, [], datetime(2025, 3, 14, tzinfo=UTC), b"0" * 32)
    serve = ("import gc, sys\n"
             "from factsheet.outputs import pdfprocess\n"
             "gc.callbacks.append(lambda phase, info: phase == 'start' and sys.stderr.write('collected\\n'))\n"
             "pdfprocess._serve()\n")
    done = subprocess.run([sys.executable, "-c", serve], input=pickle.dumps(job), capture_output=True, timeout=120)
    kind, value, _ = pickle.loads(done.stdout.removeprefix(pdfprocess.READY))
    assert kind == "pdf" and value.startswith(b"%PDF-")
    assert b"collected" not in done.stderr


def test_a_second_process_that_dies_is_reported():
    process = pdfprocess.PdfProcess()
    process._proc.kill()
    process.submit(pdf.PdfJob("<p>x</p>", TEMPLATES, [], datetime(2025, 3, 14, tzinfo=UTC), b"0" * 32))
    with pytest.raises(pdfprocess.PdfProcessFailed, match="ended without a PDF"):
        process.result()


def test_a_second_process_that_cannot_start_leaves_the_pdf_to_the_caller(pdfcase, monkeypatch):
    """Python could not import the module (exit status 1, no answer): not an error in the PDF."""
    content, in_process = pdfcase
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.setattr(pdfprocess, "_command", lambda: [sys.executable, "-c", "raise SystemExit(1)"])
    briefing, _ = verify(content)
    process = pdfprocess.PdfProcess()
    process.submit(pdf.prepare(briefing, TEMPLATES, epoch=EPOCH))
    assert process.result() == in_process


class _Spy:
    """Records the second processes a build starts."""

    def __init__(self, monkeypatch):
        self.started: list[pdfprocess.PdfProcess] = []
        self.submitted = 0
        monkeypatch.setattr(pdfprocess, "start", self._start)

    def _start(self):
        process = pdfprocess.PdfProcess()
        submit = process.submit

        def counted(job):
            self.submitted += 1
            submit(job)

        process.submit = counted  # type: ignore[method-assign]
        self.started.append(process)
        return process


def test_a_process_not_needed_is_stopped(pdfcase, tmp_path, monkeypatch):
    content, _ = pdfcase
    spy = _Spy(monkeypatch)
    broken = tmp_path / "broken"
    shutil.copytree(content, broken)
    facts = next((broken / "facts").glob("*.yaml"))
    facts.write_text(facts.read_text(encoding="utf-8").replace('quote: "', 'quote: "Not in the source: ', 1),
                     encoding="utf-8")
    with pytest.raises(ContentError):
        build(broken, tmp_path / "out-broken", TEMPLATES, pdf_process=True)
    with pytest.raises(pdfcost.PdfTooLarge):  # refused before any layout
        build(content, tmp_path / "out-too-large", TEMPLATES, pdf_process=True, pdf_budget_mb=1)
    assert not (tmp_path / "out-too-large").exists()
    out = tmp_path / "out"
    build(content, out, TEMPLATES, pdf_process=True)
    build(content, out, TEMPLATES, pdf_process=True)  # up to date: nothing to lay out
    assert len(spy.started) == 4 and spy.submitted == 1
    assert all(process._proc.poll() is not None for process in spy.started)  # none left running
    assert (out / "briefing.pdf").read_bytes().startswith(b"%PDF-")


def test_no_second_process_once_weasyprint_is_imported(monkeypatch):
    import weasyprint  # noqa: F401 - a long-lived process that has laid a PDF out already

    monkeypatch.setattr(pdfprocess, "PdfProcess", lambda: pytest.fail("a second process was started"))
    assert START() is None


def test_ctrl_c_stops_the_build_and_its_second_process_without_a_traceback(tmp_path):
    """Ctrl-C at a terminal signals the foreground process group: the build is interrupted and
    stops the second process, which is in a group of its own and never sees it."""
    import os
    import signal
    import time

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "pdfcase", content)
    # As at a terminal: a test runner's worker may ignore SIGINT, and a child inherits that.
    build = subprocess.Popen([sys.executable, "-m", "factsheet", "build", "--content", str(content),
                              "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        second = _second_process(build.pid)
        group = int(Path(f"/proc/{second}/stat").read_text().rsplit(")", 1)[1].split()[2])
        assert group == second != build.pid  # its own group: the signal below is not delivered to it
        time.sleep(0.3)  # into WeasyPrint's import
        os.killpg(build.pid, signal.SIGINT)
        _, err = build.communicate(timeout=60)
    except BaseException:
        build.kill()  # and close its pipes: a failure here must not leak into the next test
        build.communicate()
        raise
    assert build.returncode == 130 and "Traceback" not in err, err
    assert err.strip().splitlines() == ["factsheet: interrupted; nothing was written"]
    assert not Path(f"/proc/{second}").exists() or "zombie" in Path(f"/proc/{second}/status").read_text()
    assert not (tmp_path / "out").exists()


def _second_process(pid: int) -> int:
    """The build's second process, once it runs pdfprocess (its group is set between fork and exec)."""
    import time

    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for child in children.read_text().split():
            try:
                if b"factsheet.outputs.pdfprocess" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return int(child)
            except FileNotFoundError:
                pass
        time.sleep(0.01)
    raise AssertionError("the build started no second process")
