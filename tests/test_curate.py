"""The curator's commands: locate, init, report, build --watch."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from factsheet.cli.commands import _watch
from factsheet.curate.watch import watch_build
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.pipeline import verify

from conftest import run


def citations_in(out: str) -> list[str]:
    """The YAML citations `locate` printed, unindented, ready to paste."""
    blocks = re.findall(r"(?m)^    - source:.*\n(?:^      .*\n?)*", out)
    return ["\n".join(line[4:] for line in b.rstrip("\n").splitlines()) for b in blocks]


def paste(content: Path, citation: str, statement: str = "The bridge.") -> None:
    body = "\n".join("    " + line for line in citation.splitlines())
    (content / "facts" / "pasted.yaml").write_text(
        f"- id: pasted\n  section: vote\n  statement: \"{statement}\"\n  citations:\n{body}\n", encoding="utf-8")


def test_locate_a_repeated_phrase_gives_a_unique_citation_for_each_place(small, capsys):
    code, out, _ = run(capsys, "locate", "gazette", "the bridge", "--content", "content")
    assert code == 0
    assert out.startswith("3 occurrences in source 'gazette' (gazette.txt):\n\n1. 79–89 (exact): ")
    cites = citations_in(out)
    assert cites[0] == '- source: gazette\n  quote: "the bridge"\n  suffix: "."'
    assert cites[2] == '- source: gazette\n  quote: "the bridge"\n  suffix: "was"'
    expected = [(79, 89), (190, 200), (228, 238)]
    for citation, (start, end) in zip(cites, expected):
        paste(small, citation)
        briefing, report = verify(small)
        assert briefing is not None, [d.format() for d in report.errors]
        (c,) = [f for f in briefing.facts if f.id == "pasted"][0].citations
        assert (c.span.start, c.span.end) == (start, end)


def test_locate_ignores_typography_and_pastes_the_sources_words(small, capsys):
    code, out, _ = run(capsys, "locate", "gazette", '"It\'s a good day for the city," the mayor', "--content", "content")
    assert code == 0
    assert "1. 91–132 (typographic differences ignored): " in out
    (citation,) = citations_in(out)
    assert citation == '- source: gazette\n  quote: "“It’s a good day for the city,” the mayor"'
    paste(small, citation)
    assert verify(small)[0] is not None


def test_locate_shows_the_closest_passages_when_the_words_are_not_there(small, capsys):
    code, out, _ = run(capsys, "locate", "gazette", "The council voted 7-3 on Tuesday", "--content", "content")
    assert code == 1
    assert out.startswith("not found in source 'gazette' (gazette.txt), even ignoring typography.\n"
                          "Closest passages:\n\n38–70 (97% alike): ")
    assert "   what differs: The council voted [-7-3-] {+7-2+} on Tuesday\n" in out
    assert citations_in(out) == []


def test_locate_by_file_name_and_unknown_source(small, capsys):
    assert run(capsys, "locate", "herald.txt", "vote", "--content", "content")[0] == 0
    code, _, err = run(capsys, "locate", "nope", "vote", "--content", "content")
    assert (code, err) == (2, "factsheet: error: no source 'nope' in sources.yaml (sources: gazette, herald)\n")


def test_init_makes_a_project_that_builds_at_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "brief")
    assert code == 0
    assert out.splitlines()[:4] == ["created brief/briefing.yaml", "created brief/sources/sources.yaml",
                                    "created brief/sources/example.txt", "created brief/facts/news.yaml"]
    assert run(capsys, "check", "--content", "brief", "--strict") == (
        0, "", "1 facts, 1 citations, 1 sources: 0 errors, 0 warnings\n")
    code, out, _ = run(capsys, "build", "--content", "brief", "--out", "site")
    assert code == 0 and (tmp_path / "site" / "briefing.pdf").stat().st_size > 1000
    assert "*(single source)*" in (tmp_path / "site" / "briefing.md").read_text(encoding="utf-8")
    code, _, err = run(capsys, "init", "brief")
    assert (code, err) == (2, "factsheet: error: brief already exists and is not empty; choose a new folder\n")


def test_init_empty_starts_clean_and_says_so_in_one_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "--empty", "ferry-news")
    assert code == 0
    assert out.splitlines() == [
        "created ferry-news/briefing.yaml", "created ferry-news/sources/sources.yaml",
        "created ferry-news/facts/facts.yaml",
        "next: save a source text in ferry-news/sources, register it in ferry-news/sources/sources.yaml, write "
        "facts in ferry-news/facts/facts.yaml, then: factsheet check --content ferry-news"]
    briefing = (tmp_path / "ferry-news" / "briefing.yaml").read_text(encoding="utf-8")
    assert 'title: "Ferry news"' in briefing and "`factsheet COMMAND --help`" in briefing
    assert "docs/" not in briefing
    code, _, err = run(capsys, "check", "--content", "ferry-news")
    assert (code, err.splitlines()[0], err.splitlines()[-1]) == (
        1, "ferry-news/facts/facts.yaml:11:1: error: the briefing has no facts yet: write them in facts/*.yaml, each "
           "citing the words of a source registered in sources/sources.yaml (`factsheet locate SOURCE \"words\"` "
           "prints a citation to paste) [format]", "0 facts, 0 citations, 0 sources: 1 error, 0 warnings")


def test_entries_written_after_the_empty_list_say_delete_the_brackets(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    run(capsys, "init", "--empty", "b")
    facts = tmp_path / "b" / "facts" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "- id: x\n", encoding="utf-8")
    err = run(capsys, "check", "--content", "b")[2]
    assert err.splitlines()[0] == (
        "b/facts/facts.yaml:11:1: error: YAML syntax: the file holds an empty list, `[]`, and then entries: delete "
        "the `[]` (it stands for a list with nothing in it) [yaml]")


def test_report_gives_a_summary_table_first(small, capsys):
    code, out, _ = run(capsys, "report", "--content", "content")
    assert code == 0
    assert out == (
        "source   cited  facts citing it  facts resting on it alone\n"
        "gazette    73%                4                          2\n"
        "herald     65%                3                          1\n"
        "(cited: the share of the source's characters inside a cited span, white space and page furniture not "
        "counted)\n\n"
        "5 facts, 3 of them resting on one source (--single-source lists them); 2 uncited sentences "
        "(--sentences lists them)\n")


def test_report_lists_uncited_sentences_and_single_source_facts_on_request(small, capsys):
    out = run(capsys, "report", "--content", "content", "--sentences", "--single-source")[1]
    assert out.split("\n\n", 2)[2] == (
        "Facts resting on one source (a fact may; `check --min-sources 2` makes it an error):\n\n"
        "gazette (2):\n"
        "  residents-overdue (content/facts/reactions.yaml:9:7): Residents said the bridge was overdue; critics said "
        "it was too expensive.\n"
        "  bridge-cost (content/facts/vote.yaml:10:7): The bridge will cost £12 million, the Gazette reported.\n\n"
        "herald (1):\n"
        "  cafe-owners (content/facts/reactions.yaml:18:7): Café owners cheered 🎉, the Herald reported.\n\n"
        "gazette (gazette.txt): 1 uncited sentence\n"
        "  0–36: City council votes on the new bridge\n\n"
        "herald (herald.txt): 1 uncited sentence\n"
        "  0–15: Bridge approved\n")


def test_report_counts_an_uncited_sentence_in_the_middle(small, capsys):
    (small / "facts" / "reactions.yaml").unlink()
    out = run(capsys, "report", "--content", "content", "--sentences")[1]
    assert "  91–138: “It’s a good day for the city,” the mayor said.\n" in out
    assert "Share this story" not in out  # furniture is never listed as left out


def test_a_numbered_heading_is_one_sentence_with_its_number():
    from factsheet.curate.report import sentences

    text = "1. Definitions.\n\n1.1. “Licensor” means the owner. Section 2. Grant.\n(a) any use;\n\nEnd."
    assert [text[a:b] for a, b in sentences(text)] == [
        "1. Definitions.", "1.1. “Licensor” means the owner.", "Section 2. Grant.", "(a) any use;", "End."]


def test_json_and_markdown_mark_single_source_facts(small):
    from factsheet.outputs.data import briefing_json
    from factsheet.outputs.markdown import render_markdown

    briefing, _ = verify(small)
    assert {f.id: len(f.source_ids) for f in briefing.facts} == {
        "vote-result": 2, "bridge-cost": 1, "mayor-good-day": 2, "residents-overdue": 1, "cafe-owners": 1}
    data = {f["id"]: (f["source_count"], f["single_source"]) for f in briefing_json(briefing)["facts"]}
    assert data == {"vote-result": (2, False), "bridge-cost": (1, True), "mayor-good-day": (2, False),
                    "residents-overdue": (1, True), "cafe-owners": (1, True)}
    md = render_markdown(briefing)
    # Each fact stays its own paragraph, the marker at its end.
    assert "reported.[^bridge-cost-1] *(single source)*\n\n## Reactions" in md
    assert "expensive.[^residents-overdue-1]&nbsp;[^residents-overdue-2] *(single source)*\n\nCafé" in md
    assert "both outlets.[^vote-result-1]&nbsp;[^vote-result-2]\n" in md


def test_watch_rebuilds_after_a_change_and_reports_a_broken_one(small, tmp_path, capsys):
    out = tmp_path / "site"
    fact_file = small / "facts" / "vote.yaml"
    steps = iter([
        lambda: fact_file.write_text(fact_file.read_text(encoding="utf-8").replace(
            "according to both outlets", "said both outlets"), encoding="utf-8"),
        lambda: None,  # nothing changed: no rebuild
        lambda: fact_file.write_text("- id: [broken\n", encoding="utf-8"),
    ])

    def sleep(_: float) -> None:
        step = next(steps, None)
        if step is None:
            raise KeyboardInterrupt
        step()

    args = argparse.Namespace(content=str(small), out=str(out), strict=False, min_sources=[], interval=0.5,
                              pdf=True, pdf_budget_mb=4096.0)
    assert _watch(args, DEFAULT_TEMPLATES, lambda line: None, sleep=sleep) == 0
    err = capsys.readouterr().err
    assert err.count("wrote 6 files to") == 2
    assert err.count("build failed; nothing was written. Waiting for changes…") == 1
    assert "YAML syntax" in err and err.rstrip().endswith("factsheet: stopped watching")
    assert "said both outlets" in (out / "briefing.md").read_text(encoding="utf-8")


def test_watch_writes_the_page_before_laying_out_the_pdf(small, tmp_path, capsys):
    out = tmp_path / "site"
    seen = []

    def on_preview(written, seconds):
        # The page, Markdown and data are on disk; the PDF is not laid out yet.
        seen.append((sorted(p.name for p in written), (out / "briefing.pdf").exists(), seconds))

    def stop(_: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        watch_build(small, out, DEFAULT_TEMPLATES, lambda *result: None, on_preview=on_preview, sleep=stop)
    assert seen == [(["briefing.annotations.jsonld", "briefing.html", "briefing.json", "briefing.md",
                      "briefing.sources.csl.json"], False, seen[0][2])]
    assert 0 < seen[0][2] < 60 and (out / "briefing.pdf").exists()
    # The cache record covers all six outputs: the next build has nothing to do.
    code, printed, _ = run(capsys, "build", "--content", str(small), "--out", str(out))
    assert code == 0 and printed.count("up to date") == 6


@pytest.mark.parametrize("command", ["check", "build", "report", "locate", "reanchor", "init"])
def test_every_command_is_documented_with_an_example(command):
    docs = (Path(__file__).parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")
    assert f"## `factsheet {command}" in docs
    assert re.search(rf"```(?:console|sh)\n\$ factsheet {command}\b", docs)


def test_locate_words_found_only_inside_longer_words_offers_the_whole_words(small, capsys):
    code, out, _ = run(capsys, "locate", "gazette", "ouncil vote", "--content", "content")
    assert code == 1
    assert out.splitlines()[:3] == [
        "“ouncil vote” occurs in source 'gazette' (gazette.txt) only inside longer words; a citation quotes "
        "whole words:", "", "1. 5–18: …City [council votes] on the new bridge The counci…"]
    assert citations_in(out) == ['- source: gazette\n  quote: "council votes"',
                                 '- source: gazette\n  quote: "council voted"']


def test_a_citation_may_cite_part_of_a_word_when_it_says_so(small, capsys):
    paste(small, '- source: gazette\n  quote: "ouncil voted"')
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert ("content/facts/pasted.yaml:6:14: error: quote starts inside the word “council” in source 'gazette'; "
            "cite whole words [anchor]") in err
    assert '  note: whole words, ready to paste: quote: "council voted"\n' in err
    paste(small, '- source: gazette\n  quote: "ouncil voted"\n  partial: true')
    assert run(capsys, "check", "--content", "content")[0] == 0


def test_locate_says_what_is_wrong_with_an_incomplete_source_entry(small, capsys):
    sources = small / "sources" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("  title: \"Bridge approved\"\n", ""),
                       encoding="utf-8")
    code, _, err = run(capsys, "locate", "herald", "vote", "--content", "content")
    assert (code, err) == (2, "factsheet: error: source 'herald' in sources.yaml cannot be used until its entry is "
                              "complete: content/sources/sources.yaml:12:3: missing field 'title'\n")
    code, _, err = run(capsys, "locate", "gazete", "vote", "--content", "content")
    assert err == "factsheet: error: no source 'gazete' in sources.yaml (did you mean 'gazette'? sources: gazette)\n"


def test_watch_prints_a_warning_once_then_says_it_is_the_same(small, tmp_path, capsys):
    fact_file = small / "facts" / "vote.yaml"
    fact_file.write_text(fact_file.read_text(encoding="utf-8").replace(
        "cost £12 million, the Gazette", "cost £15 million, the Gazette"), encoding="utf-8")
    steps = iter([lambda: fact_file.write_text(fact_file.read_text(encoding="utf-8") + "# touched\n",
                                               encoding="utf-8")])

    def sleep(_: float) -> None:
        step = next(steps, None)
        if step is None:
            raise KeyboardInterrupt
        step()

    args = argparse.Namespace(content=str(small), out=str(tmp_path / "site"), strict=False, min_sources=[],
                              interval=0.5, pdf=True, pdf_budget_mb=4096.0)
    assert _watch(args, DEFAULT_TEMPLATES, lambda line: None, sleep=sleep) == 0
    err = capsys.readouterr().err
    assert err.count("warning: figure “£15 million” in the statement of fact 'bridge-cost'") == 1
    lines = err.splitlines()
    assert "same 1 warning as the last build, not repeated" in lines
    assert lines.index("same 1 warning as the last build, not repeated") > lines.index(
        next(line for line in lines if "wrote 6 files" in line))
