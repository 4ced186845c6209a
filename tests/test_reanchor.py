"""Drift: a pinned source changes; `reanchor` places each citation again, or says why it cannot."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factsheet.model import Location, Selector
from factsheet.sources.yamlread import read_yaml
from factsheet.verification.anchor import Index
from factsheet.verification.reanchor import MIN_SCORE, relocate

from conftest import run

GAZETTE_OFFSETS = ('      quote: "The bridge will cost £12 million."\n',
                   '      quote: "The bridge will cost £12 million."\n'
                   '      start: 139  # set by hand, see the capture\n      end: 172\n')


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def pinned_offsets(small: Path) -> Path:
    edit(small / "facts" / "vote.yaml", *GAZETTE_OFFSETS)
    return small


def gazette(content: Path, old: str, new: str) -> None:
    edit(content / "sources" / "gazette.txt", old, new)


def sel(quote: str, start=None, end=None) -> Selector:
    return Selector("s", quote, None, None, start, end, Location("f.yaml", 1, 1))


def test_text_inserted_before_the_quote_moves_it_exactly(pinned_offsets, capsys):
    gazette(pinned_offsets, "City council", "UPDATED 9am: City council")
    code, out, err = run(capsys, "reanchor", "--content", "content")
    assert code == 0
    assert "content/facts/vote.yaml:16:14: gazette 139–172 → 152–185 (exact, 100%)\n" in out
    assert "content/facts/reactions.yaml:6:14: gazette → 104–151 (normalised, 100%)" in out
    assert err == "6 of 6 citation(s) of 1 changed source(s) placed\n"


def test_reflowed_white_space_is_a_normalised_match():
    p = relocate(sel("The council voted 7-2 on Tuesday", 0, 31), Index("The council\nvoted  7–2 on\tTuesday."))
    assert (p.new, p.method, p.score) == ((0, 33), "normalised", 100.0)


def test_straightened_quotes_are_a_normalised_match():
    old = "He said “It’s a good day for the city” twice."
    new = old.replace("“", '"').replace("”", '"').replace("’", "'")
    p = relocate(sel("“It’s a good day for the city”", 8, 38), Index("Intro. " + new))
    assert (p.new, p.method) == ((15, 45), "normalised")
    assert p.text == '"It\'s a good day for the city"'


def test_punctuation_edit_is_placed_by_likeness_and_written_back(pinned_offsets, capsys):
    gazette(pinned_offsets, "to fund the bridge.", "to fund the bridge;")
    code, out, _ = run(capsys, "reanchor", "--content", "content", "--write")
    assert code == 0
    assert "content/facts/vote.yaml:7:14: gazette → 38–90 (fuzzy, 98%)" in out
    vote = (pinned_offsets / "facts" / "vote.yaml").read_text(encoding="utf-8")
    assert '      quote: "The council voted 7–2 on Tuesday to fund the bridge;"\n' in vote
    assert run(capsys, "check", "--content", "content", "--strict")[0] == 0


def test_one_word_changed_is_an_error_with_the_candidate(pinned_offsets, capsys):
    gazette(pinned_offsets, "the bridge was too expensive.", "the bridge was too costly.")
    before = (pinned_offsets / "sources" / "sources.yaml").read_text(encoding="utf-8")
    code, out, err = run(capsys, "reanchor", "--content", "content", "--write")
    assert code == 1
    assert "content/facts/reactions.yaml:17:14: gazette → not placed" in out
    assert ("content/facts/reactions.yaml:17:14: error: quote not re-anchored in drifted source 'gazette': "
            "best candidate scores 81, below 90 [reanchor]") in err
    assert ("  note: candidate (81% alike) at 215–254: …aid “the bridge” was overdue. "
            "[Critics said the bridge was too costly.] Share this story…") in err
    assert "what differs: Critics said the bridge was too [-expensive.-] {+costly.+}" in err
    # A source with a citation left unplaced keeps its old pin: the drift stays visible.
    assert (pinned_offsets / "sources" / "sources.yaml").read_text(encoding="utf-8") == before
    assert "updated" not in out


def test_a_short_quote_never_lands_on_a_look_alike(small, capsys):
    herald = small / "sources" / "herald.txt"
    edit(herald, "The vote was 7-2.", "The vote was 7-3. Last year the vote was 7-1.")
    code, out, err = run(capsys, "reanchor", "--content", "content", "--write")
    assert code == 1
    assert "content/facts/vote.yaml:9:14: herald → not placed" in out
    assert ("content/facts/vote.yaml:9:14: error: quote not re-anchored in drifted source 'herald': too short "
            "to place by likeness (under 30 characters); the best candidate is shown, not taken [reanchor]") in err
    assert "candidate (94% alike) at 64–81" in err


def test_a_long_quote_with_two_equally_alike_passages_is_not_placed():
    quote = "The committee approved the budget for the new bridge"
    text = "The committee approved the budgets for the new bridge. The committee approves the budget for the new bridge."
    p = relocate(sel(quote), Index(text))
    assert p.new is None


def test_one_word_changed_in_a_long_quote_is_refused_despite_a_high_score():
    quote = "Residents of the northern district said that the new bridge was long overdue and welcome"
    p = relocate(sel(quote), Index("Intro. " + quote.replace("long overdue", "long awaited") + "."))
    assert p.new is None and p.score >= MIN_SCORE


def test_one_word_changed_with_a_high_score_is_still_an_error(small, capsys):
    gazette(small, "on Tuesday to fund the bridge", "on Tuesday to back the bridge")
    code, _, err = run(capsys, "reanchor", "--content", "content")
    assert code == 1
    assert ("content/facts/vote.yaml:7:14: error: quote not re-anchored in drifted source 'gazette': "
            "words changed, not only their spelling [reanchor]") in err
    assert "what differs: The council voted 7-2 on Tuesday to [-fund-] {+back+} the bridge." in err


def test_a_changed_digit_is_never_a_spelling_change():
    quote = "The council voted 7-2 on Tuesday to fund the bridge"
    p = relocate(sel(quote), Index("Intro. The council voted 7-3 on Tuesday to fund the bridge."))
    assert p.new is None and p.score >= MIN_SCORE  # alike enough by score, refused for the digit


def test_write_keeps_comments_and_layout_byte_for_byte(pinned_offsets, capsys):
    sources = pinned_offsets / "sources" / "sources.yaml"
    edit(sources, "- id: gazette\n", "# Captured 2024-05-07.\n- id: gazette   # the local paper\n")
    vote = pinned_offsets / "facts" / "vote.yaml"
    vote_before, sources_before = vote.read_text(encoding="utf-8"), sources.read_text(encoding="utf-8")
    gazette(pinned_offsets, "City council", "UPDATED: City council")
    code, out, _ = run(capsys, "reanchor", "--content", "content", "--write")
    assert code == 0
    assert "updated content/facts/vote.yaml (2 values)" in out
    assert "updated content/sources/sources.yaml (1 value)" in out
    assert vote.read_text(encoding="utf-8") == vote_before.replace("start: 139  #", "start: 148  #").replace(
        "end: 172", "end: 181")
    new_hash = hashlib.sha256((pinned_offsets / "sources" / "gazette.txt").read_bytes()).hexdigest()
    assert sources.read_text(encoding="utf-8") == sources_before.replace(
        "230667c015bb2c4687f5a86971026b56a89f8525bf65e8e3b42b0194f649c941", new_hash)
    assert run(capsys, "check", "--content", "content", "--strict")[0] == 0
    assert run(capsys, "reanchor", "--content", "content")[1] == (
        "no source has changed since it was pinned; nothing to re-anchor\n")


def test_scalar_places_cover_every_style():
    text = 'a: "x\\"y"  # c\nb: 12\nc: |\n  block\nd:\n  - plain words\n  - \'q\'\n'
    file = read_yaml("f.yaml", "f.yaml", text.encode()).file
    spans = {path: file.scalar(path) for path in file.scalar_end}
    assert {path: text[a:b] for path, (a, b) in spans.items()} == {
        ("a",): '"x\\"y"', ("b",): "12", ("c",): "|\n  block\n", ("d", 0): "plain words", ("d", 1): "'q'"}


def test_nothing_drifted(small, capsys):
    assert run(capsys, "reanchor", "--content", "content") == (
        0, "no source has changed since it was pinned; nothing to re-anchor\n", "")


COUNTER = ("Licensee shall notify the Licensor of any counterclaim brought against it "
           "under this Licence within thirty days.")


def counterclaim(content: Path) -> Path:
    """A source whose capture later wrote "counterclaim" as "counter-claim"."""
    (content / "sources" / "terms.txt").write_text(COUNTER + "\n", encoding="utf-8")
    with open(content / "sources" / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: terms\n  file: terms.txt\n  title: Terms\n  sha256: "
                     + hashlib.sha256((COUNTER + "\n").encode()).hexdigest() + "\n")
    (content / "facts" / "terms.yaml").write_text(
        "- id: notify\n  section: vote\n  statement: The licensee must give notice of a counterclaim.\n"
        "  citations:\n    - source: terms\n      quote: \"shall notify the Licensor of any counterclaim brought "
        "against it\"\n", encoding="utf-8")
    edit(content / "sources" / "terms.txt", "counterclaim", "counter-claim")
    return content / "facts" / "terms.yaml"


def test_a_candidate_the_curator_accepts_is_written_with_its_words_and_can_be_undone(small, capsys):
    facts_file = counterclaim(small)
    before = {p: p.read_bytes() for p in (facts_file, small / "sources" / "sources.yaml")}
    code, out, err = run(capsys, "reanchor", "--content", "content")
    assert code == 1
    assert "content/facts/terms.yaml:6:14: terms → not placed\n" in out
    assert ("content/facts/terms.yaml:6:14: error: quote not re-anchored in drifted source 'terms': words changed, "
            "not only their spelling [reanchor]") in err
    assert ("  note: to take the first candidate, with its words as the new quote: factsheet reanchor --accept "
            "facts/terms.yaml:6\n") in err
    code, out, err = run(capsys, "reanchor", "--content", "content", "--accept", "facts/terms.yaml:6")
    assert code == 0, err
    assert "content/facts/terms.yaml:6:14: terms → 9–74 (accepted, 98%)\n" in out
    assert out.endswith("updated content/facts/terms.yaml (1 value)\nupdated content/sources/sources.yaml (1 value)\n"
                        "to put them back: factsheet reanchor --undo\n")
    assert ('      quote: "shall notify the Licensor of any counter-claim brought against it"\n'
            in facts_file.read_text(encoding="utf-8"))
    assert run(capsys, "check", "--content", "content")[0] == 0
    assert run(capsys, "reanchor", "--content", "content", "--undo") == (
        0, "restored content/facts/terms.yaml\nrestored content/sources/sources.yaml\n", "")
    assert {p: p.read_bytes() for p in before} == before
    assert not (small / ".reanchor-undo.json").exists()
    code, _, err = run(capsys, "reanchor", "--content", "content", "--undo")
    assert (code, err) == (2, "factsheet: error: nothing to undo: no reanchor --write is recorded in this content "
                              "folder\n")


def test_accepting_a_line_with_no_citation_is_refused(small, capsys):
    counterclaim(small)
    code, _, err = run(capsys, "reanchor", "--content", "content", "--accept", "facts/terms.yaml:3")
    assert (code, err) == (2, "factsheet: error: --accept facts/terms.yaml:3: no citation of a changed source has "
                              "its quote on that line (citations not placed: content/facts/terms.yaml:6)\n")


def test_undo_refuses_when_a_file_was_edited_after_the_write(pinned_offsets, capsys):
    gazette(pinned_offsets, "City council", "UPDATED: City council")
    assert run(capsys, "reanchor", "--content", "content", "--write")[0] == 0
    vote = pinned_offsets / "facts" / "vote.yaml"
    vote.write_text(vote.read_text(encoding="utf-8") + "# a later edit\n", encoding="utf-8")
    code, _, err = run(capsys, "reanchor", "--content", "content", "--undo")
    assert (code, err) == (2, "factsheet: error: content/facts/vote.yaml has changed since the reanchor write; "
                              "undoing it would lose that edit, so nothing was undone\n")


def test_checks_closest_passage_is_reanchors_candidate(small, capsys):
    counterclaim(small)
    # The quote as it was, against the text as it is now: check and reanchor show the same passage.
    from conftest import repin

    repin(small, "terms.txt")
    err = run(capsys, "check", "--content", "content")[2]
    assert ("  note: closest passage (98% alike) at 9–74: …Licensee [shall notify the Licensor of any counter-claim "
            "brought against it] under this Licence within thi…") in err
