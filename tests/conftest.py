"""Shared fixtures: a copy of the small fixture briefing, and running the CLI in-process."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from factsheet.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


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
