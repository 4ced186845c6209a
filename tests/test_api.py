"""docs/api.md's example runs as written and prints what the page says it prints; the API names
what the page lists."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def _blocks(kind: str) -> list[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, re.S)


def test_the_example_prints_what_the_page_shows():
    code, printed = _blocks("python")[0], _blocks("text")[0]
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == printed


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, factsheet; {statement}; print(' '.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_import_factsheet_loads_no_stage_and_verify_no_renderer():
    assert {m for m in _modules_after("pass") if m.startswith("factsheet")} == {"factsheet"}
    after_verify = _modules_after("factsheet.verify")
    assert "factsheet.pipeline" in after_verify
    assert not {"weasyprint", "jinja2", "markdown", "rapidfuzz"} & after_verify


def test_the_api_names_stay_functions_whatever_else_is_imported():
    code = ("import factsheet, factsheet.verification.rules, factsheet.sites, factsheet.pipeline; "
            "print(callable(factsheet.verify), callable(factsheet.publish), callable(factsheet.build))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "True True True\n"
