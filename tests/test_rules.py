"""Each verification rule: a passing case and a failing one, with the exact message and location."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.errors import UsageError
from factsheet.pipeline import verify
from factsheet.verification.rules import Options, parse_min_sources

from conftest import repin, run


def facts(content: Path, text: str) -> None:
    """Replace the fixture's facts with one file holding ``text``."""
    for old in (content / "facts").iterdir():
        old.unlink()
    (content / "facts" / "f.yaml").write_text(text, encoding="utf-8")


def fact(statement: str, *quotes: tuple[str, str], section: str = "vote", fid: str = "f1",
         kind: str | None = None) -> str:
    lines = [f"- id: {fid}", f"  section: {section}"] + ([f"  kind: {kind}"] if kind else [])
    lines += [f"  statement: '{statement}'", "  citations:"]
    for source, quote in quotes:
        lines += [f"    - source: {source}", f"      quote: '{quote}'"]
    return "\n".join(lines) + "\n"


def found(content: Path, rule: str, **kw) -> list[tuple[str, str, str]]:
    _, report = verify(content, **kw)
    return [(str(d.location), d.severity, d.message) for d in report.sorted() if d.rule == rule]


BOTH = ("herald", "The vote was 7-2.")

# --- quotes-in-statement ---------------------------------------------------------------------------


def test_quoted_words_found_in_a_cited_span_pass(small):
    facts(small, fact("The mayor called it “a good day for the city.”",
                      ("gazette", "It’s a good day for the city"), BOTH))
    assert found(small, "quotes-in-statement") == []


def test_quoted_words_missing_from_the_spans_are_an_error_with_the_closest_passage(small):
    facts(small, fact("The mayor called it “a great day for the city”.",
                      ("gazette", "It’s a good day for the city"), BOTH))
    _, report = verify(small)
    (d,) = [d for d in report.items if d.rule == "quotes-in-statement"]
    assert (str(d.location), d.severity) == ("content/facts/f.yaml:3:14", "error")
    assert d.message == "quoted words “a great day for the city” are not in any cited span of fact 'f1'"
    assert d.notes == ("closest cited passage (83% alike), source 'gazette' 92–120: “a good day for the city”",)


def test_straight_quotes_and_ellipses_in_a_statement(small):
    facts(small, fact('He said "It\'s a good day … the mayor said" after the vote.',
                      ("gazette", "“It’s a good day for the city,” the mayor said."), BOTH))
    assert found(small, "quotes-in-statement") == []


def test_an_apostrophe_is_not_a_quotation_mark(small):
    facts(small, fact("The council’s vote was 7–2, the Herald’s report said.",
                      ("gazette", "The council voted 7-2"), BOTH))
    assert found(small, "quotes-in-statement") == []


# --- figures ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("stated,source_words", [
    ("$50billion", "$50 billion"), ("$50 billion", "50 billion dollars"), ("US$50bn", "$50billion"),
    ("three months", "3 months"), ("3 months", "three months"), ("8 percent", "8%"),
    ("8%", "8 per cent"), ("300,000", "300 thousand"), ("£12m", "12 million pounds"),
    ("twenty-five", "25"), ("2015", "in 2015"),
])
def test_figures_in_the_forms_news_text_uses(small, stated, source_words):
    (small / "sources" / "extra.txt").write_text(f"It was {source_words}, they said.\n", encoding="utf-8")
    with open(small / "sources" / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: extra\n  file: extra.txt\n  title: Extra\n  sha256: " + "0" * 64 + "\n")
    repin(small, "extra.txt")
    facts(small, fact(f"It was {stated}.", ("extra", f"It was {source_words}"), BOTH))
    assert found(small, "figures") == []


def test_a_figure_no_cited_span_supports_is_a_warning_naming_it(small):
    facts(small, fact("The bridge will cost £15 million, the vote was 7–2.",
                      ("gazette", "The bridge will cost £12 million."), BOTH))
    assert found(small, "figures") == [
        ("content/facts/f.yaml:3:14", "warning",
         "figure “£15 million” in the statement of fact 'f1' is not in any cited span")]


def test_eight_percent_is_not_eight(small):
    facts(small, fact("About 7% voted against.", ("gazette", "The council voted 7-2"), BOTH))
    assert [m for _, _, m in found(small, "figures")] == [
        "figure “7%” in the statement of fact 'f1' is not in any cited span"]


# --- attribution -----------------------------------------------------------------------------------

def test_two_reports_need_two_sources(small):
    facts(small, fact("Two reports said the bridge will cost £12 million.",
                      ("gazette", "The bridge will cost £12 million.")))
    assert found(small, "attribution") == [
        ("content/facts/f.yaml:3:14", "warning",
         "statement says “Two reports” but fact 'f1' cites 1 source")]
    assert found(small, "figures") == []  # a count of reports is not a figure to support


def test_two_reports_with_two_sources_pass(small):
    facts(small, fact("Two reports said the vote was 7–2.", ("gazette", "The council voted 7-2"), BOTH))
    assert found(small, "attribution") == []


# --- corroboration ---------------------------------------------------------------------------------

def test_min_sources_for_every_fact(small):
    facts(small, fact("The vote was 7–2.", BOTH, fid="one")
          + fact("The vote was 7–2.", ("gazette", "The council voted 7-2"), BOTH, fid="two"))
    assert found(small, "min-sources", options=Options((parse_min_sources("2"),))) == [
        ("content/facts/f.yaml:1:7", "error",
         "fact 'one' rests on 1 source (herald); every fact needs at least 2")]


def test_min_sources_per_section_and_kind(small):
    facts(small, fact("The vote was 7–2.", BOTH, fid="a", section="vote")
          + fact("The vote was 7–2.", BOTH, fid="b", section="reactions", kind="figure")
          + fact("The vote was 7–2.", BOTH, fid="c", section="reactions"))
    thresholds = (parse_min_sources("section:vote=2"), parse_min_sources("kind:figure=3"))
    assert found(small, "min-sources", options=Options(thresholds)) == [
        ("content/facts/f.yaml:1:7", "error", "fact 'a' rests on 1 source (herald); section 'vote' needs at least 2"),
        ("content/facts/f.yaml:7:7", "error", "fact 'b' rests on 1 source (herald); kind 'figure' needs at least 3"),
    ]


@pytest.mark.parametrize("text", ["0", "x", "kind:opinion=2", "section:=2", "2.5"])
def test_bad_min_sources_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_min_sources(text)


def test_min_sources_on_the_command_line(small, capsys):
    code, _, err = run(capsys, "check", "--content", "content", "--min-sources", "section:reactions=2")
    assert code == 1
    assert ("content/facts/reactions.yaml:9:7: error: fact 'residents-overdue' rests on 1 source (gazette); "
            "section 'reactions' needs at least 2 [min-sources]") in err
    assert ("content/facts/reactions.yaml:18:7: error: fact 'cafe-owners' rests on 1 source (herald); "
            "section 'reactions' needs at least 2 [min-sources]") in err
    assert "mayor-good-day" not in err
    code, _, err = run(capsys, "check", "--content", "content", "--min-sources", "section:nope=2")
    assert code == 2 and "no section 'nope'" in err


# --- disagreements ---------------------------------------------------------------------------------

DISAGREEMENT = """\
- id: cost
  topic: "What the bridge will cost"
  note: "The Gazette and the Herald give different figures."
  variants:
    - statement: "The Gazette: £12 million."
      citations:
        - source: gazette
          quote: "The bridge will cost £12 million."
    - statement: "The Herald: £15 million."
      citations:
        - source: herald
          quote: "It will cost £15 million."
"""


@pytest.fixture
def disputed(small: Path) -> Path:
    herald = small / "sources" / "herald.txt"
    herald.write_text(herald.read_text(encoding="utf-8") + " It will cost £15 million.\n", encoding="utf-8")
    repin(small, "herald.txt")
    (small / "disagreements.yaml").write_text(DISAGREEMENT, encoding="utf-8")
    return small


def test_a_fact_that_gives_a_passage_another_variants_figure_is_flagged(disputed):
    # The Gazette passage is recorded as saying £12 million; the fact cites it for £15 million.
    facts(disputed, fact("The bridge will cost £15 million.",
                         ("gazette", "The bridge will cost £12 million."), ("herald", "It will cost £15 million.")))
    assert found(disputed, "disagreement") == [
        ("content/facts/f.yaml:3:14", "warning",
         "fact 'f1' states “£15 million”, but it cites a passage of source 'gazette' that disagreement "
         "'cost' records as: “The Gazette: £12 million.”")]


def test_a_fact_that_keeps_each_passage_to_its_figure_passes(disputed):
    facts(disputed, fact("The Gazette put the cost at £12 million; the Herald at £15 million.",
                         ("gazette", "The bridge will cost £12 million."), ("herald", "It will cost £15 million."))
          + fact("The Herald said it will cost £15 million.", ("herald", "It will cost £15 million."), fid="f2"))
    assert found(disputed, "disagreement") == []


def test_variant_statements_are_held_to_their_own_citations(disputed):
    facts(disputed, fact("The vote was 7–2.", BOTH))
    edit = disputed / "disagreements.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace(
        '"The Herald: £15 million."', '"The Herald: “it will cost £16 million”."'), encoding="utf-8")
    assert found(disputed, "quotes-in-statement") == [
        ("content/disagreements.yaml:9:18", "error",
         "quoted words “it will cost £16 million” are not in any cited span of variant 2 of disagreement 'cost'")]
    assert found(disputed, "figures") == [
        ("content/disagreements.yaml:9:18", "warning",
         "figure “£16 million” in the statement of variant 2 of disagreement 'cost' is not in any cited span")]


def test_disagreements_render_where_the_sources_differ(disputed, tmp_path):
    from factsheet.outputs.markdown import render_markdown

    facts(disputed, fact("The vote was 7–2.", BOTH))
    briefing, report = verify(disputed)
    assert briefing is not None, [d.format() for d in report.items]
    md = render_markdown(briefing)
    assert "## Where the sources differ" in md and "### What the bridge will cost" in md


# --- furniture, unused sources, drift ---------------------------------------------------------------

def test_citing_page_furniture_is_an_error(small):
    facts(small, fact("The story ends with a share prompt.", ("gazette", "Share this story"), BOTH))
    assert found(small, "furniture") == [
        ("content/facts/f.yaml:6:14", "error",
         "quote overlaps page furniture of source 'gazette' (259–275: “Share this story”)")]


def test_fixture_cites_no_furniture(small):
    assert found(small, "furniture") == []


def test_an_uncited_source_is_a_warning(small):
    facts(small, fact("The vote was 7–2.", BOTH))
    assert found(small, "unused-source") == [
        ("content/sources/sources.yaml:1:7", "warning", "source 'gazette' is never cited")]


def test_drift_names_a_citation_whose_words_are_gone(small):
    gazette = small / "sources" / "gazette.txt"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace("too expensive", "too costly"), encoding="utf-8")
    _, report = verify(small)
    (pinned,) = [d for d in report.items if d.rule == "pinned"]
    assert pinned.notes == ("4 of 5 citation(s) of it still resolve; `factsheet reanchor` proposes new spans",
                            "content/facts/reactions.yaml:17:14: no longer found")


def test_every_rule_passes_on_the_fixture(small):
    _, report = verify(small, strict=True)
    assert report.items == []


def test_drift_says_which_citations_still_resolve_and_where_they_moved(small):
    vote = small / "facts" / "vote.yaml"
    vote.write_text(vote.read_text(encoding="utf-8").replace(
        '      quote: "The bridge will cost £12 million."',
        '      quote: "The bridge will cost £12 million."\n      start: 139\n      end: 172'), encoding="utf-8")
    gazette = small / "sources" / "gazette.txt"
    gazette.write_text("UPDATED\n" + gazette.read_text(encoding="utf-8"), encoding="utf-8")
    _, report = verify(small)
    (pinned,) = [d for d in report.items if d.rule == "pinned"]
    assert str(pinned.location) == "content/sources/sources.yaml:1:7"
    assert pinned.message.startswith("source 'gazette' has changed since it was pinned: its sha256 is ")
    assert pinned.notes == ("4 of 5 citation(s) of it still resolve; `factsheet reanchor` proposes new spans",
                            "content/facts/vote.yaml:16:14: moved from 139–172 to 147–180")
    (moved,) = [d for d in report.items if d.rule == "anchor"]
    assert str(moved.location) == "content/facts/vote.yaml:17:14"
    assert moved.message == "offsets 139–172 do not agree with the quote"
    assert "the quote is at 147–180" in moved.notes


# --- figures that are names, counts of sources -----------------------------------------------------

def licence_source(content: Path) -> None:
    (content / "sources" / "lic.txt").write_text("The Mozilla Public License permits it.\n", encoding="utf-8")
    with open(content / "sources" / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: lic\n  file: lic.txt\n  title: Licence\n  sha256: " + "0" * 64 + "\n")
    repin(content, "lic.txt")


def test_a_number_inside_a_declared_name_is_not_a_figure(small):
    licence_source(small)
    facts(small, fact("MPL 2.0 permits it.", ("lic", "The Mozilla Public License permits it.")))
    _, report = verify(small)
    (d,) = [d for d in report.items if d.rule == "figures"]
    assert d.message == "figure “2.0” in the statement of fact 'f1' is not in any cited span"
    assert d.notes == ("if “MPL 2.0” is a name, add it to `entities` in briefing.yaml (as a name or an alias): "
                       "a number inside a name is not a figure",)
    with open(small / "briefing.yaml", "a", encoding="utf-8") as handle:
        handle.write('entities:\n  - name: "Mozilla Public License 2.0"\n    aliases: ["MPL 2.0"]\n')
    assert found(small, "figures") == []


def test_counts_of_texts_are_attribution_not_figures(small):
    facts(small, fact("As two texts say, the vote was 7–2.", ("gazette", "The council voted 7-2"), BOTH)
          + fact("As two of the texts say, the bridge will cost £12 million.",
                 ("gazette", "The bridge will cost £12 million."), fid="f2"))
    assert found(small, "figures") == []
    assert found(small, "attribution") == [
        ("content/facts/f.yaml:11:14", "warning", "statement says “two of the texts” but fact 'f2' cites 1 source")]
