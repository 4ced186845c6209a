"""Large briefings: ``build`` refuses a PDF over its memory budget before writing anything and says
what to do; ``build --no-pdf``; ``factsheet split`` makes a project of smaller briefings that
checks as the original did (docs/projects.md, docs/performance.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from factsheet.curate.split import split_briefing
from factsheet.sources.load import load
from tests.conftest import FIXTURES, ROOT, run, tree_hashes

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("split") / "project"
    split_briefing(CONTENT, out, 30)
    return out


def _facts(folder: Path) -> dict[str, str]:
    """fact id -> section, from every facts file of a content folder."""
    found = {}
    for path in sorted((folder / "facts").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            assert item["id"] not in found
            found[item["id"]] = item["section"]
    return found


def test_split_cuts_between_sections_and_every_fact_lands_once(project: Path):
    spec = yaml.safe_load((project / "factsheet.yaml").read_text(encoding="utf-8"))
    assert spec["library"] == "sources" and len(spec["briefings"]) == 3
    original = _facts(CONTENT)
    sections = [s["id"] for s in yaml.safe_load((CONTENT / "briefing.yaml").read_text(encoding="utf-8"))["sections"]]
    seen: dict[str, str] = {}
    order = []
    for slug in spec["briefings"]:
        part = _facts(project / slug)
        assert 0 < len(part) <= 30
        assert not part.keys() & seen.keys()
        seen.update(part)
        brief = yaml.safe_load((project / slug / "briefing.yaml").read_text(encoding="utf-8"))
        own = [s["id"] for s in brief["sections"]]
        assert set(part.values()) <= set(own)
        order += own
        assert brief["title"].startswith(yaml.safe_load((CONTENT / "briefing.yaml").read_text())["title"] + " (part ")
    assert seen == original
    assert order == sections  # consecutive, in reading order, none lost or repeated


def test_facts_and_stamps_are_copied_as_written(project: Path):
    originals = {p.name: p.read_text(encoding="utf-8") for p in (CONTENT / "facts").glob("*.yaml")}
    stamps = (CONTENT / "reviews.yaml").read_text(encoding="utf-8")
    for path in project.glob("part-*/facts/*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text == originals[path.name]  # the real briefing keeps a section per file
    kept = sum(len(yaml.safe_load(p.read_text(encoding="utf-8")) or []) for p in project.glob("part-*/reviews.yaml"))
    assert kept == len(yaml.safe_load(stamps))
    assert (project / "part-01" / "disagreements.yaml").read_bytes() == (CONTENT / "disagreements.yaml").read_bytes()
    assert not list(project.glob("part-0[23]/disagreements.yaml"))
    assert tree_hashes(project / "sources") == tree_hashes(CONTENT / "sources")


def test_the_project_checks_clean_with_its_review_stamps_current(project: Path, capsys):
    code, out, err = run(capsys, "check", "--project", str(project), "--strict", "--jobs", "1")
    assert code == 0, err
    assert err.count("0 errors, 0 warnings; ok") == 3
    for slug in ("part-01", "part-02", "part-03"):
        briefing, report = load(project / slug, library=project / "sources")
        assert briefing is not None and not report.errors


def test_items_of_one_file_are_cut_between_them(tmp_path: Path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    before = tree_hashes(content)
    code, out, err = run(capsys, "split", "--content", str(content), "--out", str(tmp_path / "p"), "--max-facts", "1")
    assert code == 0, err
    assert tree_hashes(content) == before  # the content is only read
    facts = _facts(content)
    sections = [s["id"] for s in yaml.safe_load((content / "briefing.yaml").read_text(encoding="utf-8"))["sections"]]
    parts = sorted(p.name for p in (tmp_path / "p").glob("part-*"))
    assert len(parts) == len(sections)  # one section a part: none has a single fact
    for section in sections:
        if list(facts.values()).count(section) > 1:
            assert f"note: section '{section}' has more than 1 facts: it is a part on its own" in err
    code, _, err = run(capsys, "check", "--project", str(tmp_path / "p"), "--jobs", "1")
    assert code == 0, err


def test_split_never_writes_into_an_existing_folder(tmp_path: Path, capsys):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "split", "--content", str(FIXTURES / "small"), "--out", str(tmp_path / "p"),
                       "--max-facts", "3")
    assert code == 2 and "exists" in err
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["keep.txt"]


def test_a_facts_file_in_flow_style_is_refused_with_its_place(tmp_path: Path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    facts = sorted((content / "facts").glob("*.yaml"))[0]
    items = yaml.safe_load(facts.read_text(encoding="utf-8"))
    facts.write_text("# flow\n" + yaml.safe_dump(items, default_flow_style=True, allow_unicode=True, width=10**6),
                     encoding="utf-8")
    code, _, err = run(capsys, "split", "--content", str(content), "--out", str(tmp_path / "p"), "--max-facts", "2")
    assert code == 2
    assert f"{facts}:2: split cuts a file between its items" in err
    assert not (tmp_path / "p").exists() and not list(tmp_path.glob(".p.*"))


def test_a_pdf_over_the_memory_budget_is_refused_before_anything_is_written(tmp_path: Path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.md").write_text("the previous build", encoding="utf-8")
    code, _, err = run(capsys, "build", "--content", str(content), "--out", str(out), "--max-pdf-memory", "0.001")
    assert code == 1
    assert "the PDF of this briefing would need about" in err and "pages" in err
    assert "nothing was laid out or written" in err
    assert f"factsheet split --content {content} --out PROJECT --max-facts " in err
    assert "--no-pdf" in err and "--max-pdf-memory 1" in err
    assert tree_hashes(out) == {"briefing.md": tree_hashes(out)["briefing.md"]}
    assert (out / "briefing.md").read_text(encoding="utf-8") == "the previous build"


def test_no_pdf_writes_the_rest_and_removes_a_stale_pdf(tmp_path: Path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"%PDF- from earlier content")
    code, stdout, err = run(capsys, "build", "--content", str(content), "--out", str(out), "--no-pdf")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        ".factsheet-cache.json", "briefing.annotations.jsonld", "briefing.html", "briefing.json", "briefing.md",
        "briefing.sources.csl.json"]
    assert f"removed {out / 'briefing.pdf'}" in stdout
    # A build without the PDF is up to date for another --no-pdf build, not for a full one.
    code, stdout, _ = run(capsys, "build", "--content", str(content), "--out", str(out), "--no-pdf")
    assert code == 0 and "up to date" in stdout
    from factsheet import cache
    from factsheet.outputs.environment import DEFAULT_TEMPLATES
    from factsheet.pipeline import output_names, source_date_epoch, verify

    briefing, _ = verify(content)
    full = cache.inputs_key(briefing, DEFAULT_TEMPLATES, source_date_epoch(), output_names())
    assert cache.reusable(out, full) is None
    assert cache.reusable(out, cache.inputs_key(briefing, DEFAULT_TEMPLATES, source_date_epoch(), output_names(pdf=False)))


def test_a_split_project_builds_without_pdfs_and_refuses_one_over_budget(project: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", "--project", str(project), "--out", str(out), "--no-pdf", "--jobs", "1")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "index.md", "part-01", "part-02", "part-03"]
    assert not list(out.glob("*/briefing.pdf")) and len(list(out.glob("*/briefing.html"))) == 3
    code, _, err = run(capsys, "build", "--project", str(project), "--out", str(tmp_path / "o2"),
                       "--max-pdf-memory", "0.001", "--jobs", "1")
    assert code == 1
    assert err.count("the PDF of this briefing would need about") == 3
    assert not list((tmp_path / "o2").glob("*/briefing.*"))



def test_the_estimated_cost_of_a_pdf_is_the_briefings_not_the_processes():
    # A project build lays briefings out one after another in one process (a worker, or this one
    # with --jobs 1). Memory an earlier layout left held is reused by the next, so it must not count
    # against it: counting the process's peak refused every part of a split after the first.
    from factsheet.outputs import pdfcost

    html = "<p>A statement of fact, with its note.</p>" * 5000
    before = pdfcost.estimate(html)
    held = bytearray(300 * 2**20)
    held[:: 4096] = b"\1" * len(range(0, len(held), 4096))  # every page touched: resident, as a layout's are
    del held
    assert pdfcost.estimate(html) == before
