"""Human review: stamps recorded by `factsheet review`, states (reviewed, stale, disputed,
unreviewed), the --require-review rule, and what every output says about it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factsheet.curate import review
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.outputs.markdown import render_markdown
from factsheet.outputs.printed import print_document, render_print_html
from factsheet.outputs.web import render_html
from factsheet.pipeline import examine, verify

from conftest import run

ONE = "independent check 1"
TWO = "independent check 2"


def stamp(capsys, reviewer: str, verdict: str, *facts: str, note: str | None = None) -> tuple[int, str, str]:
    extra = ["--note", note] if note else []
    return run(capsys, "review", "--content", "content", "--reviewer", reviewer, "--verdict", verdict,
               "--date", "2026-11-30", *extra, *facts)


def states(content: Path) -> dict[str, str]:
    briefing, report = verify(content)
    assert briefing is not None, report.sorted()
    return {f.id: f.review.state if f.review else "-" for f in briefing.facts}


def test_a_stamp_shows_the_fact_then_is_appended(small, capsys):
    code, out, _ = stamp(capsys, ONE, "supported", "vote-result")
    assert code == 0
    # Shown before it is stamped: the statement and each cited sentence, the cited words marked.
    assert "fact vote-result" in out and "The council voted 7–2 to fund the bridge" in out
    assert "»The council voted 7–2 on Tuesday to fund the bridge.«" in out and "»The vote was 7-2.«" in out
    text = (small / "reviews.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Review stamps")
    assert '- fact: vote-result\n  reviewer: "independent check 1"\n  date: "2026-11-30"\n  verdict: supported\n' in text
    assert states(small) == {"mayor-good-day": "unreviewed", "residents-overdue": "unreviewed",
                             "cafe-owners": "unreviewed", "vote-result": "reviewed", "bridge-cost": "unreviewed"}
    # A second stamp is appended: the first is kept byte for byte.
    stamp(capsys, TWO, "supported", "bridge-cost")
    assert (small / "reviews.yaml").read_text(encoding="utf-8").startswith(text)


def test_changed_statement_or_span_makes_the_stamp_stale(small, capsys):
    stamp(capsys, ONE, "supported", "vote-result", "bridge-cost")
    vote = small / "facts" / "vote.yaml"
    vote.write_text(vote.read_text(encoding="utf-8").replace("to fund the bridge, according", "to fund the new bridge, according")
                    .replace('"The vote was 7-2."', '"The vote was 7-2"'), encoding="utf-8")
    assert states(small)["vote-result"] == "stale"
    assert states(small)["bridge-cost"] == "reviewed"
    listing = run(capsys, "review", "--content", "content", "--list")[1]
    assert "vote-result: stale (stamped by independent check 1 before it changed)" in listing
    assert "1 reviewed, 0 disputed, 1 stale, 3 unreviewed of 5 facts" in listing


def test_a_verdict_other_than_supported_disputes_the_fact(small, capsys):
    stamp(capsys, ONE, "supported", "vote-result")
    stamp(capsys, TWO, "partly", "vote-result", note="the outlets give the vote, not both the purpose")
    assert states(small)["vote-result"] == "disputed"
    # The reviewer's later stamp replaces their earlier one.
    stamp(capsys, TWO, "supported", "vote-result")
    assert states(small)["vote-result"] == "reviewed"


def test_require_review_counts_distinct_reviewers_of_current_supported_stamps(small, capsys):
    stamp(capsys, ONE, "supported", "vote-result", "bridge-cost", "mayor-good-day", "residents-overdue", "cafe-owners")
    assert run(capsys, "check", "--content", "content", "--require-review", "1")[0] == 0
    code, _, err = run(capsys, "check", "--content", "content", "--require-review", "2")
    assert code == 1 and err.count("[review]") == 5
    assert ("content/facts/vote.yaml:2:7: error: fact 'vote-result' needs 2 current 'supported' reviews by distinct "
            "reviewers and has 1: only independent check 1 stamped it 'supported' [review]") in err
    # The same number from briefing.yaml.
    head = small / "briefing.yaml"
    head.write_text(head.read_text(encoding="utf-8") + "review:\n  required: 2\n", encoding="utf-8")
    assert run(capsys, "check", "--content", "content")[0] == 1
    assert run(capsys, "check", "--content", "content", "--require-review", "1")[0] == 0


def test_unreviewed_fact_fails_required_review_with_the_command_to_fix_it(small, capsys):
    code, _, err = run(capsys, "check", "--content", "content", "--require-review", "1")
    assert code == 1
    assert "needs 1 current 'supported' review by distinct reviewers and has 0: it has not been reviewed" in err
    assert "note: `factsheet review --reviewer NAME cafe-owners` records a review" in err


def test_nothing_is_stamped_in_bulk_or_unseen(small, capsys):
    code, _, err = run(capsys, "review", "--content", "content", "--reviewer", ONE, "--verdict", "supported")
    assert code == 2 and "nothing is stamped in bulk" in err
    code, _, err = run(capsys, "review", "--content", "content", "--reviewer", ONE)  # stdin is no terminal here
    assert code == 2 and "walks through the facts on a terminal" in err
    code, _, err = run(capsys, "review", "--content", "content", "--verdict", "supported", "vote-result")
    assert code == 2 and "--reviewer" in err
    code, _, err = stamp(capsys, ONE, "supported", "no-such-fact")
    assert code == 2 and "no fact 'no-such-fact'" in err
    assert not (small / "reviews.yaml").exists()


def test_walk_through_shows_each_fact_and_records_answers(small):
    briefing, report = verify(small)
    shown: list[str] = []
    answers = iter(["s", "x", "p: the figure is one outlet's", "", "q"])
    stamps = review.walk(list(briefing.facts), briefing, report, ONE, "2026-11-30",
                         ask=lambda prompt: next(answers), say=shown.append)
    assert [(s.fact.id, s.verdict, s.note) for s in stamps] == [
        ("mayor-good-day", "supported", None), ("residents-overdue", "partly", "the figure is one outlet's")]
    assert "(1 of 5) fact mayor-good-day" in shown[0] and "answer s, p, u, Enter or q" in shown
    assert len([s for s in shown if s.startswith("\n(")]) == 4  # the fact after a skip was shown, then q


def test_unknown_fact_in_reviews_file_is_an_error(small, capsys):
    (small / "reviews.yaml").write_text(
        '- fact: vote-reslt\n  reviewer: "x"\n  date: "2026-11-30"\n  verdict: supported\n  digest: ' + "0" * 64 + "\n",
        encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert ("content/reviews.yaml:1:9: error: review of unknown fact 'vote-reslt' (did you mean 'vote-result'? "
            "facts: mayor-good-day, residents-overdue, cafe-owners, vote-result, bridge-cost) [reference]") in err


def test_every_output_says_what_the_stamps_record(small, capsys):
    stamp(capsys, ONE, "supported", "vote-result", "bridge-cost")
    stamp(capsys, TWO, "unsupported", "bridge-cost")
    briefing, _ = verify(small)
    line = "1 of 5 facts reviewed · 2 reviewers: independent check 1, independent check 2 · 1 disputed"
    md = render_markdown(briefing)
    assert f"*{line}.*" in md
    assert "the Gazette reported.[^bridge-cost-1] *(single source)* *(disputed)*" in md
    assert "both outlets.[^vote-result-1]&nbsp;[^vote-result-2]\n" in md  # reviewed: no mark
    assert "overdue; critics said it was too expensive.[^residents-overdue-1]&nbsp;[^residents-overdue-2] *(single source)* *(not reviewed)*" in md
    html = render_html(briefing, DEFAULT_TEMPLATES)
    assert f"{line}." in html and '<span class="badge review">disputed</span>' in html
    printed = render_print_html(print_document(briefing, [], None), DEFAULT_TEMPLATES)
    assert f"· {line}</p>" in printed and '<span class="badge review">not reviewed</span>' in printed
    data = json.loads(run(capsys, "build", "--content", "content", "--out", "out")[0] == 0
                      and (small.parent / "out" / "briefing.json").read_text(encoding="utf-8"))
    assert data["review"] == {"required": 0, "reviewed": 1, "facts": 5, "reviewers": [ONE, TWO]}
    facts = {f["id"]: f.get("review") for f in data["facts"]}
    assert facts["vote-result"]["state"] == "reviewed" and facts["vote-result"]["reviewers"] == [ONE]
    assert [s["verdict"] for s in facts["bridge-cost"]["stamps"]] == ["supported", "unsupported"]


def test_a_briefing_without_reviews_says_nothing_about_them(small):
    briefing, _ = verify(small)
    assert all(f.review is None for f in briefing.facts)
    md = render_markdown(briefing)
    assert "reviewed" not in md
    html = render_html(briefing, DEFAULT_TEMPLATES)
    assert "facts reviewed" not in html and 'class="badge review"' not in html


@pytest.mark.parametrize("name", ["", "a\nb"])
def test_reviewer_name_is_one_line(small, capsys, name):
    assert stamp(capsys, name, "supported", "vote-result")[0] == 2


def test_findings_on_every_fact_at_once_are_each_facts_own(small):
    """What the app's list of facts to review shows with each fact: the findings pointing into it,
    gathered for all facts in one pass, the same as asking about each fact in turn."""
    vote = small / "facts" / "vote.yaml"
    vote.write_text(vote.read_text(encoding="utf-8")
                    .replace("to fund the bridge, according", "to fund the bridge unanimously, according")
                    .replace("will cost £12 million,", "will cost £15 million,"), encoding="utf-8")
    briefing, report = examine(small)
    assert briefing is not None
    together = review.findings_by_fact(briefing, report)
    assert together == {f.id: review.findings_on(f, report) for f in briefing.facts}
    assert together["vote-result"] and together["bridge-cost"]  # each has its own finding
    assert set(together["vote-result"]).isdisjoint(together["bridge-cost"])
