"""The benchmark's generator writes content that `factsheet check` accepts (and, drifted, rejects)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, run


def _generate(out, *extra: str) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "small",
                           "--out", str(out), *extra], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_small_scale_passes_check_with_every_kind_of_citation(tmp_path, capsys):
    counts = _generate(tmp_path / "c")
    assert counts["sources"] == 10 and counts["facts"] == 100 and counts["citations"] == 300
    code, _, err = run(capsys, "check", "--strict", "--content", str(tmp_path / "c"))
    assert code == 0, err
    assert err.strip().endswith("100 facts, 300 citations, 10 sources: 0 errors, 0 warnings")
    facts = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "c" / "facts").glob("*.yaml"))
    sources = "".join(p.read_bytes().decode("utf-8") for p in (tmp_path / "c" / "sources").glob("*.txt"))
    # The features the benchmark claims to exercise are really there.
    assert "prefix:" in facts and "start:" in facts and '\\"' in facts
    assert all(c in sources for c in "\u00a0\u201c\u2019\u2013\u2014") and "\r\n" in sources


def test_drifted_sources_are_reported(tmp_path, capsys):
    _generate(tmp_path / "c", "--drift", "2")
    code, _, err = run(capsys, "check", "--content", str(tmp_path / "c"))
    assert code == 1
    assert err.count("[pinned]") == 2
