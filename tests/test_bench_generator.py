"""The benchmark's generator writes content that `factsheet check` accepts (and, drifted, rejects);
the benchmark times the test suite with `make test`'s own command."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from factsheet.pipeline import load_resolved
from factsheet.verification.figures import figures
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


_QUOTATION = re.compile(r'[“”"‘]|(?:^|\s)\'|’(?:\s|$)')
_DATE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                   r"May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b")


def _shares(content) -> dict[str, float]:
    """Of the cited spans: the share holding a figure, quotation marks, an apostrophe, a date."""
    briefing, _ = load_resolved(content)
    spans = [c.span.text for f in briefing.facts for c in f.citations if c.span]
    tests = {"figure": lambda s: bool(figures(s)), "quotation": lambda s: bool(_QUOTATION.search(s)),
             "apostrophe": lambda s: "’" in s or "'" in s, "date": lambda s: bool(_DATE.search(s))}
    return {name: sum(map(test, spans)) / len(spans) for name, test in tests.items()}


def test_generated_quotes_have_the_features_of_the_real_briefings_in_its_shares(tmp_path):
    _generate(tmp_path / "c")
    real, generated = _shares(ROOT / "content"), _shares(tmp_path / "c")
    assert all(abs(generated[k] - real[k]) <= 0.1 for k in real), (real, generated)


def test_drifted_sources_are_reported(tmp_path, capsys):
    _generate(tmp_path / "c", "--drift", "2")
    code, _, err = run(capsys, "check", "--content", str(tmp_path / "c"))
    assert code == 1
    assert err.count("[pinned]") == 2



def test_bench_times_the_suite_with_make_tests_own_command(monkeypatch):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", bench)  # its dataclasses look their module up
    monkeypatch.setattr(sys, "path", list(sys.path))  # it puts bench/ on the path
    spec.loader.exec_module(bench)
    command = bench.suite_command()
    assert command[:3] == [str(Path(sys.executable).parent / "python"), "-m", "pytest"]
    target = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "\t$(BIN)/python " + " ".join(command[1:]) in target.splitlines()


def test_the_generated_project_passes_check_with_shared_sources_only(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from project import generate_project
    finally:
        sys.path.remove(str(ROOT / "bench"))
    counts = generate_project(tmp_path / "p", briefings=3, facts=6, sources=20, per_briefing=4)
    assert counts == {"briefings": 3, "facts": 18, "citations": 54, "sources": 20}
    code, _, err = run(capsys, "check", "--strict", "--project", str(tmp_path / "p"), "--jobs", "1")
    assert code == 0, err
    assert err.splitlines()[-1] == "project: 3 briefings, 3 passed"
    assert not (tmp_path / "p" / "b-0000" / "sources").exists()
