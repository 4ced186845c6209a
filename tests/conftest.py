"""Shared fixtures: a copy of the small fixture briefing, one shared build of it, running the CLI
in-process, and the ``--update-golden`` option (tests/test_golden.py)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from factsheet.cli import main
from factsheet.outputs import pdfprocess

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
EPOCH = 1741910400  # SOURCE_DATE_EPOCH of the shared build: 2025-03-14T00:00:00Z


# The test files that take longest (seconds of one file on one worker, `--durations=0` summed per
# file on a 2-core machine), started first: with `--dist loadfile` each file runs whole on one
# worker, and a long file handed out last kept one worker busy while the other sat idle (7 s of
# a 79 s run). The rest follow in the order they are collected.
SLOWEST_FILES = ("test_hostile.py", "test_serve_browser.py", "test_publish.py", "test_releases.py",
                 "test_pdfprocess.py", "test_mutations.py", "test_web.py", "test_pdflibs.py", "test_cache.py",
                 "test_properties.py", "test_markup.py", "test_pdf.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    first = {name: i for i, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: first.get(item.path.name, len(first)))  # stable: each file's order kept


def pytest_addoption(parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="write tests/golden/ from the current outputs instead of comparing with it")


def shared(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` once per test run, however many pytest-xdist workers ask: the first one
    makes it (under a lock, in the run's temporary folder that the workers share), the others
    wait for it and read the same folder. Tests must not change what is in it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's own folder, above each worker's popen-gwN
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(autouse=True)
def _pdf_in_process(monkeypatch) -> None:
    """``factsheet build`` lays its PDF out in a second process unless WeasyPrint is imported
    already; in-process tests lay it out here, as a long-lived process does, rather than import
    WeasyPrint again in a new process for each build (a second of processor time each).
    test_pdfprocess tests the second process, and the command run as users run it."""
    monkeypatch.setattr(pdfprocess, "start", lambda: None)


def _build_small(folder: Path) -> None:
    shutil.copytree(FIXTURES / "small", folder / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        assert main(["build", "--content", str(folder / "content"), "--out", str(folder / "out")]) == 0


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> Path:
    """tests/fixtures/small built once by ``factsheet build`` (in-process, SOURCE_DATE_EPOCH fixed):
    the folder holding ``content/`` and ``out/``, for the tests that only read the outputs."""
    return shared(tmp_path_factory, "small-build", _build_small)


@pytest.fixture
def small(tmp_path: Path, monkeypatch) -> Path:
    """A writable copy of tests/fixtures/small; the working folder is its parent."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", dest)
    monkeypatch.chdir(tmp_path)
    return dest


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def repin(content: Path, source_file: str) -> None:
    """Update sources.yaml's sha256 for a source file the test has edited on purpose."""
    sources = content / "sources" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    data = (content / "sources" / source_file).read_bytes()
    lines = text.splitlines(keepends=True)
    out, current = [], None
    for line in lines:
        if line.strip().startswith("file:"):
            current = line.split(":", 1)[1].strip()
        if line.strip().startswith("sha256:") and current == source_file:
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{indent}sha256: {hashlib.sha256(data).hexdigest()}\n"
        out.append(line)
    sources.write_text("".join(out), encoding="utf-8")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
