"""A project of many briefings: factsheet.yaml, a shared sources library, ``build --project`` and
``check --project`` (docs/projects.md). Real builds of a project made here from tests/fixtures/small:

- alpha: the small fixture's briefing, citing the shared gazette and herald (no sources of its own);
- beta: one fact citing the shared herald only;
- gamma: one fact citing a source of its own, nothing shared.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from factsheet.cli import main
from factsheet.sources.projectfile import read_project
from tests.conftest import EPOCH, FIXTURES, repin, run, shared, tree_hashes

SMALL = FIXTURES / "small"
SLUGS = ("alpha", "beta", "gamma")
OUTPUTS = ("briefing.md", "briefing.html", "briefing.json", "briefing.pdf", "briefing.annotations.jsonld",
           "briefing.sources.csl.json")

ONE_SECTION = """title: "{title}"
date: "2024-05-0{day}"
sections:
  - id: vote
    title: The vote
"""
BETA_FACTS = """- id: herald-vote
  section: vote
  statement: "The vote was 7–2, the Herald reported."
  citations:
    - source: herald
      quote: "The vote was 7-2."
"""
GAMMA_FACTS = """- id: own-vote
  section: vote
  statement: "The council voted 7–2."
  citations:
    - source: notes
      quote: "The council voted 7-2 on Tuesday to fund the bridge."
"""


def make_project(root: Path) -> Path:
    (root / "alpha").mkdir(parents=True)
    shutil.copytree(SMALL / "sources", root / "sources")
    shutil.copy(SMALL / "briefing.yaml", root / "alpha" / "briefing.yaml")
    shutil.copytree(SMALL / "facts", root / "alpha" / "facts")
    for slug, day, facts in (("beta", 8, BETA_FACTS), ("gamma", 9, GAMMA_FACTS)):
        (root / slug / "facts").mkdir(parents=True)
        (root / slug / "briefing.yaml").write_text(ONE_SECTION.format(title=slug.title(), day=day), encoding="utf-8")
        (root / slug / "facts" / "facts.yaml").write_text(facts, encoding="utf-8")
    own = root / "gamma" / "sources"
    own.mkdir()
    shutil.copy(SMALL / "sources" / "gazette.txt", own / "notes.txt")
    (own / "sources.yaml").write_text('- id: notes\n  file: notes.txt\n  title: "Notes"\n  sha256: x\n',
                                      encoding="utf-8")
    repin(root / "gamma", "notes.txt")
    (root / "factsheet.yaml").write_text("title: The desk\nbriefings: [alpha, beta, gamma]\n", encoding="utf-8")
    return root


def _build_project(folder: Path) -> None:
    make_project(folder / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        mp.chdir(folder)
        assert main(["build", "--project", "project", "--out", "out", "--jobs", "2"]) == 0


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The project built once with ``--jobs 2``: ``project/`` and ``out/``; tests only read it."""
    return shared(tmp_path_factory, "project-build", _build_project)


@pytest.fixture
def copy(built_project: Path, tmp_path: Path, monkeypatch) -> Path:
    """A writable copy of the built project, the working folder, SOURCE_DATE_EPOCH as built."""
    shutil.copytree(built_project, tmp_path / "w", symlinks=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def _inodes(out: Path) -> dict[str, int]:
    # Every write renames a new file into place: a rewritten output has a new inode.
    return {str(p.relative_to(out)): p.stat().st_ino for p in sorted(out.rglob("*")) if p.is_file()}


def _rewritten(before: dict[str, int], out: Path) -> set[str]:
    after = _inodes(out)
    return {name.split("/")[0] for name in after if before.get(name) != after[name]}


def test_each_briefing_is_built_into_its_folder_with_an_index(built_project: Path):
    out = built_project / "out"
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "beta", "gamma", "index.html", "index.md"]
    for slug in SLUGS:
        assert {p.name for p in (out / slug).iterdir()} == {*OUTPUTS, ".factsheet-cache.json"}
    beta = (out / "beta" / "briefing.md").read_text(encoding="utf-8")
    assert "The vote was 7–2" in beta and "Bridge approved" in beta  # the shared herald, cited
    assert "City council votes" not in beta  # the shared gazette, not cited: no part of beta


def test_the_index_lists_every_briefing_with_date_version_and_review(built_project: Path):
    md = (built_project / "out" / "index.md").read_text(encoding="utf-8")
    assert md.splitlines() == [
        "# The desk", "", "| Briefing | Date | Version | Review |", "|---|---|---|---|",
        "| [The bridge vote](alpha/briefing.html) | 2024-05-07 | unreleased | not reviewed |",
        "| [Beta](beta/briefing.html) | 2024-05-08 | unreleased | not reviewed |",
        "| [Gamma](gamma/briefing.html) | 2024-05-09 | unreleased | not reviewed |"]
    html = (built_project / "out" / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<a href="beta/briefing.html">Beta</a></td><td>2024-05-08</td>' in html


def test_a_briefing_citing_a_shared_source_needs_no_sources_of_its_own(built_project: Path, capsys, monkeypatch):
    monkeypatch.chdir(built_project)
    code, _, err = run(capsys, "check", "--project", "project", "--jobs", "1")
    assert code == 0
    # The shared gazette, unused by beta, is not a warning in beta.
    assert err.splitlines() == [
        "alpha: 5 facts, 8 citations, 2 sources: 0 errors, 0 warnings; ok",
        "beta: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; ok",
        "gamma: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; ok",
        "project: 3 briefings, 3 passed"]


def test_an_unchanged_rebuild_renders_and_rewrites_nothing(copy: Path, capsys):
    before, hashes = _inodes(copy / "out"), tree_hashes(copy / "out")
    code, out, err = run(capsys, "build", "--project", "project", "--out", "out")
    assert code == 0 and out == ""
    assert [line.rsplit("; ", 1)[1] for line in err.splitlines()[:3]] == ["up to date"] * 3
    assert _rewritten(before, copy / "out") == set() and tree_hashes(copy / "out") == hashes


def test_editing_a_shared_source_rebuilds_exactly_the_briefings_citing_it(copy: Path, capsys):
    herald = copy / "project" / "sources" / "herald.txt"
    herald.write_text(herald.read_text(encoding="utf-8") + "\nA later paragraph.\n", encoding="utf-8")
    repin(copy / "project", "herald.txt")
    before = _inodes(copy / "out")
    code, _, err = run(capsys, "build", "--project", "project", "--out", "out")
    assert code == 0
    assert _rewritten(before, copy / "out") == {"alpha", "beta"}  # gamma cites no shared source
    assert "gamma: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; up to date" in err.splitlines()


def test_a_broken_briefing_is_reported_and_the_others_still_build(copy: Path, capsys):
    facts = copy / "project" / "beta" / "facts" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("The vote was 7-2.", "The vote was 9-0."),
                     encoding="utf-8")
    gamma = copy / "project" / "gamma" / "facts" / "facts.yaml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("voted 7–2.", "voted 7–2 on Tuesday."),
                     encoding="utf-8")
    before = _inodes(copy / "out")
    code, _, err = run(capsys, "build", "--project", "project", "--out", "out", "--jobs", "2")
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("project/beta/facts/facts.yaml:6:14: error: ") for line in lines)
    assert "beta: 1 facts, 1 citations, 1 sources: 1 error, 0 warnings; failed; nothing was written" in lines
    assert lines[-1] == "project: 3 briefings, 2 passed, 1 failed: beta"
    assert _rewritten(before, copy / "out") == {"gamma", "index.md", "index.html"}
    assert "voted 7–2 on Tuesday" in (copy / "out" / "gamma" / "briefing.md").read_text(encoding="utf-8")
    assert "| beta (not built: it has errors) |" in (copy / "out" / "index.md").read_text(encoding="utf-8")


def test_a_source_id_in_a_briefing_and_in_the_library_is_an_error_at_both_places(tmp_path: Path, capsys,
                                                                                  monkeypatch):
    make_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "project" / "gamma" / "sources" / "sources.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("id: notes", "id: herald"), encoding="utf-8")
    gamma = tmp_path / "project" / "gamma" / "facts" / "facts.yaml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("source: notes", "source: herald"), encoding="utf-8")
    code, _, err = run(capsys, "check", "--project", "project")
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors == [
        "project/gamma/sources/sources.yaml:1:7: error: source id 'herald' is also defined in the shared "
        "library at project/sources/sources.yaml:12:7; rename one of them [duplicate-id]",
        "project/sources/sources.yaml:12:7: error: source id 'herald' is also defined in the briefing at "
        "project/gamma/sources/sources.yaml:1:7; rename one of them [duplicate-id]"]
    assert err.splitlines()[-1] == "project: 3 briefings, 2 passed, 1 failed: gamma"


@pytest.mark.parametrize(("text", "expected"), [
    ("briefings: [alpha, ../x]\n",
     "project/factsheet.yaml:1:20: error: 'briefings' must be the name of a briefing's folder directly inside "
     "the project (no '/', no '..'), not \"../x\""),
    ("briefings: [alpha, delta]\n",
     "project/factsheet.yaml:1:20: error: briefing folder not found: project/delta"),
    ("briefings: [alpha]\nlibary: sources\n",
     "project/factsheet.yaml:2:1: error: unknown field 'libary' (did you mean 'library'?)"),
    ("briefings: [alpha, alpha]\n",
     "project/factsheet.yaml:1:20: error: briefing 'alpha' is listed twice (first at project/factsheet.yaml:1:13)"),
    ("briefings: [alpha, index.md]\n",
     "project/factsheet.yaml:1:20: error: a briefing cannot be named 'index.md': the index page takes that name "
     "in the output folder"),
])
def test_errors_in_factsheet_yaml_have_their_place(tmp_path: Path, capsys, monkeypatch, text: str, expected: str):
    make_project(tmp_path / "project")
    (tmp_path / "project" / "factsheet.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "--project", "project", "--out", "out")
    assert code == 1
    assert expected in [line.rsplit(" [", 1)[0] for line in err.splitlines()]
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_nothing_of_the_project_leads_outside_it(tmp_path: Path):
    outside = make_project(tmp_path / "elsewhere")
    root = make_project(tmp_path / "project")
    shutil.rmtree(root / "beta")
    (root / "beta").symlink_to(outside / "beta")
    shutil.rmtree(root / "sources")
    (root / "sources").symlink_to(outside / "sources")
    project, report = read_project(root)
    assert project is None
    assert sorted(d.message for d in report.errors) == [
        f"briefing folder {root / 'beta'} leads outside the project folder (a link?)",
        f"library folder {root / 'sources'} leads outside the project folder (a link?)"]


def test_one_job_and_two_give_the_same_outputs(built_project: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert main(["build", "--project", str(built_project / "project"), "--out", str(tmp_path / "one"),
                 "--jobs", "1"]) == 0
    two, one = tree_hashes(built_project / "out"), tree_hashes(tmp_path / "one")
    assert one.keys() == two.keys()
    # The PDF's font subsets may carry a timestamp (fontTools): those compare by their text.
    differ = {name for name in one if one[name] != two[name]}
    assert {Path(name).name for name in differ} <= {"briefing.pdf", ".factsheet-cache.json"}
    for name in (n for n in differ if n.endswith(".pdf")):
        texts = [subprocess.run(["pdftotext", str(folder / name), "-"], capture_output=True, text=True,
                                check=True).stdout for folder in (built_project / "out", tmp_path / "one")]
        assert texts[0] == texts[1]


def test_the_output_folder_may_not_be_inside_the_project(tmp_path: Path, capsys, monkeypatch):
    make_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "--project", "project", "--out", "project/site")
    assert code == 2 and "overlaps" in err and not (tmp_path / "project" / "site").exists()
    code, _, err = run(capsys, "check", "--project", "project", "--content", "project/alpha")
    assert (code, err) == (2, "factsheet: error: give --content (one briefing) or --project (all of a "
                               "project's), not both\n")


def test_an_error_in_the_library_is_reported_with_each_briefing(tmp_path: Path, capsys, monkeypatch):
    make_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    library = tmp_path / "project" / "sources" / "sources.yaml"
    library.write_text(library.read_text(encoding="utf-8").replace("title: \"Bridge approved\"", "title: 7"),
                       encoding="utf-8")
    # One process reads the library for every briefing (parsed once): each still gets its errors.
    code, _, err = run(capsys, "check", "--project", "project", "--jobs", "1")
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors == ["project/sources/sources.yaml:14:10: error: 'title' must be a string, not an integer (7); "
                      "put it in quotes to keep it as text: '7' [format]"] * 3
    assert err.splitlines()[-1] == "project: 3 briefings, 0 passed, 3 failed: alpha, beta, gamma"
    library.write_text(library.read_text(encoding="utf-8").replace("title: 7", "title: \"Bridge approved\""),
                       encoding="utf-8")
    assert run(capsys, "check", "--project", "project", "--jobs", "1")[0] == 0


def test_a_drifted_shared_source_fails_only_the_briefings_citing_it(tmp_path: Path, capsys, monkeypatch):
    make_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    gazette = tmp_path / "project" / "sources" / "gazette.txt"
    gazette.write_text(gazette.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "--project", "project", "--jobs", "2")
    assert code == 1
    assert err.splitlines()[-1] == "project: 3 briefings, 2 passed, 1 failed: alpha"
    drift = [line for line in err.splitlines() if ": error: " in line and "gazette" in line]
    assert drift and all(line.startswith("project/sources/sources.yaml:") for line in drift)
