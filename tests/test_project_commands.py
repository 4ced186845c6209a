"""``report --project`` and ``publish --project`` (docs/projects.md), run for real on the small
project of tests/test_project.py (alpha, beta, gamma): each briefing reported on or published in
the project's order, one failing briefing not stopping the others, and a real MkDocs site built
from what publish wrote."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import sitebuilds
from tests.conftest import FIXTURES, run
from tests.test_project import make_project

COVERED = "(cited: the share of the source's characters inside a cited span, white space and page furniture not counted)"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A new copy of the small project in ``tmp_path/project``, the working folder ``tmp_path``."""
    make_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "project"


def _break_beta(project: Path) -> None:
    # A quote its source does not hold: an error at facts.yaml:6:14 (the quote's value).
    facts = project / "beta" / "facts" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("The vote was 7-2.", "The vote was 9-0."),
                     encoding="utf-8")


def _add_library_source(project: Path, sid: str) -> None:
    data = (FIXTURES / "small" / "sources" / "herald.txt").read_bytes()
    (project / "sources" / f"{sid}.txt").write_bytes(data)
    with open(project / "sources" / "sources.yaml", "a", encoding="utf-8") as f:
        f.write(f'- id: {sid}\n  file: {sid}.txt\n  title: "Unused"\n  sha256: {hashlib.sha256(data).hexdigest()}\n')


def test_report_project_prints_each_briefing_under_its_slug_then_the_totals(project: Path, capsys):
    _add_library_source(project, "unused")
    code, out, err = run(capsys, "report", "--project", "project", "--jobs", "1")
    assert code == 0
    blocks = out.split("\n\n== ")
    assert [b.split(" ==\n", 1)[0].removeprefix("== ") for b in blocks] == ["alpha", "beta", "gamma",
                                                                             "project: 3 briefings"]
    assert blocks[1].splitlines() == [
        "beta ==", "source  cited  facts citing it  facts resting on it alone",
        "herald    13%                1                          1", COVERED, "",
        "1 facts, 1 of them resting on one source (--single-source lists them); 3 uncited sentences "
        "(--sentences lists them)"]
    assert blocks[3].splitlines() == [
        "project: 3 briefings ==", "7 facts, 5 of them resting on one source", "",
        "shared source  briefings citing it",
        "gazette                          1",
        "herald                           2",
        "unused                           0",
        "3 shared sources, 1 cited by no briefing"]
    assert err.splitlines() == [
        "alpha: 5 facts, 8 citations, 2 sources: 0 errors, 0 warnings; reported",
        "beta: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; reported",
        "gamma: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; reported",
        "project: 3 briefings, 3 reported"]


def test_report_project_a_briefing_that_cannot_be_read_does_not_stop_the_others(project: Path, capsys):
    # As `factsheet report`, a briefing with errors is reported on; one whose briefing.yaml
    # cannot be read cannot be.
    (project / "beta" / "briefing.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code, out, err = run(capsys, "report", "--project", "project", "--single-source", "--sentences", "--jobs", "2")
    assert code == 1
    headings = [line for line in out.splitlines() if line.startswith("== ")]
    assert headings == ["== alpha ==", "== gamma ==", "== project: 3 briefings, 2 reported =="]
    assert "7 facts" not in out and "6 facts, 4 of them resting on one source" in out
    # The flags reach every briefing's report.
    assert "Facts resting on one source" in out and "notes (notes.txt): 6 uncited sentences" in out
    lines = err.splitlines()
    assert any(line.startswith("project/beta/briefing.yaml:2:") and ": error: " in line for line in lines)
    assert "beta: 1 facts, 1 citations, 1 sources: 1 error, 0 warnings; failed; no report" in lines
    assert lines[-1] == "project: 3 briefings, 2 reported, 1 failed: beta"


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "--content", "project/alpha"], "give --content (one briefing) or --project (all of a project's), "
                                               "not both"),
    (["publish", "--to", "mkdocs", "--content", "project/alpha", "site"],
     "give --content (one briefing) or --project (all of a project's), not both"),
    (["publish", "--to", "mkdocs", "--slug", "one", "site"],
     "--slug names one briefing's page; with --project each briefing is published under its folder's name"),
    (["publish", "--to", "mkdocs", "--jobs", "0", "site"], "--jobs must be 1 or more"),
    (["publish", "--to", "mkdocs", "nowhere"], "site folder nowhere does not exist"),
])
def test_what_makes_no_sense_for_a_project_is_refused_in_one_line(project: Path, capsys, argv: list[str],
                                                                  message: str):
    (project.parent / "site").mkdir()
    code, out, err = run(capsys, *argv[:1], "--project", "project", *argv[1:])
    assert (code, out, err) == (2, "", f"factsheet: error: {message}\n")


def test_publish_project_into_a_site_lacking_footnotes_refuses_each_page_before_its_pdf(project: Path, capsys):
    site = sitebuilds.new_mkdocs(project.parent / "site")
    code, out, err = run(capsys, "publish", "--project", "project", "--to", "mkdocs", "site", "--jobs", "1")
    assert code == 1 and out == ""
    assert err.count("site/mkdocs.yml does not enable footnotes") == 3
    assert err.splitlines()[-1] == "project: 3 briefings, 0 passed, 3 failed: alpha, beta, gamma"
    assert sorted(p.name for p in (site / "docs").iterdir()) == ["index.md"]


def test_publish_project_into_a_mkdocs_site_built_by_mkdocs(project: Path, capsys):
    """Each briefing under its slug, the site's hand-written navigation given each page by
    --configure, one after the other although two workers render them; a broken briefing and a
    folder name no URL may have are reported at their places, the others published."""
    _break_beta(project)
    shutil.copytree(project / "gamma", project / "Gamma_2")
    (project / "factsheet.yaml").write_text("title: The desk\nbriefings: [alpha, beta, gamma, Gamma_2]\n",
                                            encoding="utf-8")
    site = sitebuilds.new_mkdocs(project.parent / "site")
    with open(site / "mkdocs.yml", "a", encoding="utf-8") as f:
        f.write("nav:\n  - Home: index.md\n")
    code, out, err = run(capsys, "publish", "--project", "project", "--to", "mkdocs", "--configure", "site", "--jobs", "2")
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("project/beta/facts/facts.yaml:6:14: error: ") for line in lines)
    assert ("project/factsheet.yaml:2:33: error: briefing 'Gamma_2' cannot be published under its folder's name: "
            "a page's slug must be 1-80 lower-case letters, digits and hyphens, starting with a letter or digit; "
            "rename the folder [publish]") in lines
    assert [line for line in lines if not line.startswith(("project/", "  "))] == [
        "configured site/mkdocs.yml: added footnotes to markdown_extensions",
        "configured site/mkdocs.yml: added alpha.md to nav",
        "alpha: 5 facts, 8 citations, 2 sources: 0 errors, 0 warnings; wrote 3 files",
        "beta: 1 facts, 1 citations, 1 sources: 1 error, 0 warnings; failed; nothing was written",
        "configured site/mkdocs.yml: added gamma.md to nav",
        "gamma: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; wrote 3 files",
        "Gamma_2: not verified; failed; nothing was written",
        "project: 4 briefings, 2 passed, 2 failed: beta, Gamma_2"]
    assert out.splitlines() == ["wrote site/docs/alpha/alpha.pdf", "wrote site/docs/alpha.md", "wrote site/mkdocs.yml",
                                "wrote site/docs/gamma/gamma.pdf", "wrote site/docs/gamma.md", "wrote site/mkdocs.yml"]
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - alpha.md\n  - gamma.md\n" in config and "beta" not in config

    built = sitebuilds.build("mkdocs", site)
    for slug, title in (("alpha", "The bridge vote"), ("gamma", "Gamma")):
        html = (built / slug / "index.html").read_text(encoding="utf-8")
        assert sitebuilds.title(html).startswith(title)
        pdfs = [href for href, _, _ in sitebuilds.read(html).links if href.endswith(".pdf")]
        assert len(pdfs) == 1
        target = urljoin(f"http://site.test/{slug}/", pdfs[0]).removeprefix("http://site.test/")
        assert (built / target).read_bytes().startswith(b"%PDF-")
    assert not (built / "beta").exists()
    # The shared herald is cited, as in the build: its text is in alpha's page.
    assert "Bridge approved" in (built / "alpha" / "index.html").read_text(encoding="utf-8")

    # Published again, unchanged: each page is written again, but no PDF is laid out or rewritten.
    pdfs = {slug: (site / "docs" / slug / f"{slug}.pdf").read_bytes() for slug in ("alpha", "gamma")}
    code, out, err = run(capsys, "publish", "--project", "project", "--to", "mkdocs", "site", "--jobs", "2")
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith(("alpha:", "gamma:"))] == [
        "alpha: 5 facts, 8 citations, 2 sources: 0 errors, 0 warnings; wrote 1 file (its PDF was up to date)",
        "gamma: 1 facts, 1 citations, 1 sources: 0 errors, 0 warnings; wrote 1 file (its PDF was up to date)"]
    assert out.splitlines() == ["wrote site/docs/alpha.md", "wrote site/docs/gamma.md"]
    assert {slug: (site / "docs" / slug / f"{slug}.pdf").read_bytes() for slug in pdfs} == pdfs


@pytest.mark.parametrize("command", ["check", "build", "report", "publish"])
def test_jobs_without_a_project_is_refused(command: str, capsys, tmp_path: Path):
    site = ["--to", "mkdocs", str(tmp_path)] if command == "publish" else []
    code, _, err = run(capsys, command, "--content", str(FIXTURES / "small"), "--jobs", "2", *site)
    assert code == 2 and "--jobs runs a project's briefings side by side: it needs --project" in err


SLUGS = ["alpha", "beta", "gamma"]


def _named(err: str) -> list[str]:
    """The briefings a project command printed a line for, in order."""
    return [line.split(":")[0] for line in err.splitlines() if line.split(":")[0] in SLUGS]


def test_the_shards_of_a_project_share_its_briefings_out_without_overlap(project: Path, capsys):
    for n in (1, 2, 3, 4):
        seen = []
        for k in range(1, n + 1):
            code, _, err = run(capsys, "check", "--project", "project", "--shard", f"{k}/{n}", "--jobs", "1")
            named = _named(err)
            assert code == 0 and err.splitlines()[-1].startswith(f"project (shard {k}/{n}): {len(named)} briefing")
            seen += named
        assert sorted(seen) == SLUGS, n
    # By name, not by place: listing the briefings in another order moves none to another shard.
    first = [_named(run(capsys, "check", "--project", "project", "--shard", f"{k}/2")[2]) for k in (1, 2)]
    (project / "factsheet.yaml").write_text("title: The desk\nbriefings: [gamma, beta, alpha]\n", encoding="utf-8")
    again = [_named(run(capsys, "check", "--project", "project", "--shard", f"{k}/2")[2]) for k in (1, 2)]
    assert [sorted(s) for s in again] == [sorted(s) for s in first]


def test_a_shard_builds_its_briefings_and_the_merge_build_writes_the_index(project: Path, capsys):
    mine = _named(run(capsys, "check", "--project", "project", "--shard", "1/2")[2])
    assert 0 < len(mine) < len(SLUGS)
    code, out, err = run(capsys, "build", "--project", "project", "--out", "out", "--shard", "1/2", "--no-pdf")
    assert code == 0 and out == ""
    assert sorted(p.name for p in Path("out").iterdir()) == sorted(mine)  # no index page for a shard
    code, out, err = run(capsys, "build", "--project", "project", "--out", "out", "--no-pdf")
    assert code == 0 and out.splitlines() == ["wrote out/index.md", "wrote out/index.html"]
    for slug in SLUGS:
        line = next(line for line in err.splitlines() if line.startswith(f"{slug}:"))
        assert line.endswith("up to date") == (slug in mine), line


@pytest.mark.parametrize("args, message", [
    (["check", "--project", "project", "--shard", "0/2"], "--shard must be K/N, the K-th of N shards (1 <= K <= N), "
                                                          "such as 2/4; not '0/2'"),
    (["build", "--project", "project", "--shard", "3/2"], "not '3/2'"),
    (["check", "--project", "project", "--shard", "two"], "not 'two'"),
    (["check", "--content", "project/alpha", "--shard", "1/2"], "--shard takes some of a project's briefings: "
                                                                "it needs --project"),
])
def test_a_shard_that_is_not_one_is_refused(project: Path, capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and message in err
