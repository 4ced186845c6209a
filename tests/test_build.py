"""End to end: the fixture briefing built into a temporary folder, read back in every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, run, tree_hashes


@pytest.fixture(scope="module")
def built(small_build: Path) -> Path:
    """The outputs of ``factsheet build`` on the small fixture (tests/conftest.py, shared)."""
    return small_build / "out"


def test_every_output_is_written_and_nothing_else(built):
    # .factsheet-cache.json records what the outputs were built from (see factsheet/cache.py).
    assert sorted(p.name for p in built.iterdir()) == [
        ".factsheet-cache.json", "briefing.annotations.jsonld", "briefing.html", "briefing.json", "briefing.md",
        "briefing.pdf", "briefing.sources.csl.json"]


def test_markdown_has_front_matter_sections_and_footnotes_with_the_exact_words(built):
    md = (built / "briefing.md").read_text(encoding="utf-8")
    assert md.startswith('---\ntitle: "The bridge vote"\ndate: "2024-05-07"\n')
    assert "\n## The vote\n" in md and "\n## Reactions\n" in md and "\n## Sources\n" in md
    assert md.index("## The vote") < md.index("## Reactions") < md.index("## Sources")
    assert ("The council voted 7–2 to fund the bridge, according to both outlets."
            "[^vote-result-1]&nbsp;[^vote-result-2]") in md
    # The note shows the source's own words (curly quotes, en dash), not the curator's quote.
    assert ("[^vote-result-1]: [The Gazette](https://gazette.example/bridge#:~:text=The%20council%20voted"
            "%207%E2%80%932,to%20fund%20the%20bridge.): “The council voted 7–2 on Tuesday to fund the bridge.”") in md
    assert "230667c015bb2c4687f5a86971026b56a89f8525bf65e8e3b42b0194f649c941" in md


def test_json_spans_are_exactly_the_source_text(built):
    data = json.loads((built / "briefing.json").read_text(encoding="utf-8"))
    texts = {s["id"]: (FIXTURES / "small" / "sources" / s["file"]).read_bytes().decode("utf-8")
             for s in data["sources"]}
    citations = [c for f in data["facts"] for c in f["citations"]]
    assert len(data["facts"]) == 5 and len(citations) == 8
    for c in citations:
        assert c["text"] == texts[c["source"]][c["start"]:c["end"]]
    residents = next(f for f in data["facts"] if f["id"] == "residents-overdue")
    # "the bridge" occurs three times in the Gazette; the prefix chose the one after “Residents said”.
    first = residents["citations"][0]
    assert texts["gazette"][first["start"] - 16:first["start"]] == "Residents said \u201c"


def test_pdf_text_carries_statements_and_cited_words(built):
    text = subprocess.run(["pdftotext", "-layout", str(built / "briefing.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "The bridge vote" in flat
    assert "The council voted 7–2 to fund the bridge" in flat
    assert "Café owners cheered" in flat
    assert "The bridge will cost £12 million." in flat


def test_html_is_a_page_with_the_footnotes_linked(built):
    html = (built / "briefing.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    call = re.search(r'<a [^>]*href="#([^"]+)"[^>]*>[^<]*</a>', html.split("<main", 1)[1])
    assert call and f'id="{call.group(1)}"' in html


def test_a_failing_build_leaves_previous_outputs_byte_identical(small, built, capsys, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)  # what a build of this content wrote
    before, content_before = tree_hashes(out), tree_hashes(small)
    path = small / "facts" / "vote.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("7-2 on Tuesday", "9-0 on Monday"),
                    encoding="utf-8")
    content_before = tree_hashes(small)
    code, stdout, err = run(capsys, "build", "--content", "content", "--out", str(out))
    assert code == 1
    assert "content/facts/vote.yaml:7:14: error: quote not found in source 'gazette' [anchor]" in err
    assert "nothing was written" in err and stdout == ""
    assert tree_hashes(out) == before
    assert tree_hashes(small) == content_before


def test_output_folder_inside_content_is_refused(small, capsys):
    code, _, err = run(capsys, "build", "--content", "content", "--out", "content/out")
    assert code == 2
    assert "overlaps the content folder" in err
    assert not (small / "out").exists()
