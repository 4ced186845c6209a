"""Golden files: the Markdown and the JSON of tests/fixtures/small, byte for byte.

The expected files are tests/golden/small/briefing.md and briefing.json, from a build with
SOURCE_DATE_EPOCH fixed (tests/conftest.py, ``small_build``). A change to what the outputs say
shows here as a unified diff; when it is intended, rewrite the files and review the change:

    pytest --update-golden tests/test_golden.py
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "small"
NAMES = ("briefing.md", "briefing.json")


def _diff(expected: bytes, actual: bytes, name: str) -> str:
    lines = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(keepends=True),
                                 actual.decode("utf-8", "replace").splitlines(keepends=True),
                                 fromfile=f"tests/golden/small/{name}", tofile=f"built {name}")
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    return text or "(the same text, other bytes: line ends or encoding)\n"


@pytest.mark.parametrize("name", NAMES)
def test_output_is_the_golden_file(small_build: Path, name: str, request) -> None:
    actual = (small_build / "out" / name).read_bytes()
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        if not golden.exists() or golden.read_bytes() != actual:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(actual)
        return
    assert golden.exists(), f"{golden} is missing; write it with: pytest --update-golden tests/test_golden.py"
    expected = golden.read_bytes()
    if actual != expected:
        pytest.fail(f"{name} differs from its golden file:\n{_diff(expected, actual, name)}"
                    "If the change is intended: pytest --update-golden tests/test_golden.py, then review "
                    "the diff of tests/golden/", pytrace=False)
