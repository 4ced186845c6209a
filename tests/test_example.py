"""The second example briefing (examples/bridge), built from a captured web page and a PDF: it
checks strictly, builds, and its PDF shows the PDF source's page numbers."""

from __future__ import annotations

import subprocess

from conftest import ROOT, run

EXAMPLE = ROOT / "examples" / "bridge"


def test_the_example_builds_with_page_numbers_in_its_pdf(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715126400")
    code, _, err = run(capsys, "check", "--content", str(EXAMPLE), "--strict")
    assert code == 0, err
    code, _, err = run(capsys, "build", "--content", str(EXAMPLE), "--out", str(tmp_path))
    assert code == 0, err
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "briefing.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Council appraisal, p. 12: “The council’s own capital budget" in text
    assert "Council appraisal, pp. 12–13: “the apprais‐ al therefore recommends a sinking fund." in text
    # The three spans cited in one paragraph of the report share one evidence passage, across pages
    assert "E4 pp. 12–13 · characters 96–1037 · cited in note 4 (96–209), note 5 (443–524), note 6 (920–1037)" in text
    md = (tmp_path / "briefing.md").read_text(encoding="utf-8")
    assert "[^ferry-1]: Council appraisal, pp. 12–13: " in md
