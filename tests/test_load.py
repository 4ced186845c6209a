"""The loader: every problem reported at its exact path:line:col, all in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run


def write(content: Path, name: str, text: str) -> None:
    (content / name).write_text(text, encoding="utf-8")


def messages(err: str) -> list[str]:
    """The error lines (these tests replace a facts file, so an emptied section's warning is noise)."""
    return [line for line in err.splitlines() if ": error: " in line]


def test_malformed_yaml_points_at_the_fault(small, capsys):
    write(small, "facts/vote.yaml", "- id: a\n  section: vote\n  statement: [unclosed\n")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == ["content/facts/vote.yaml:4:1: error: YAML syntax: did not find expected ',' or ']' "
                             "(while parsing a flow sequence, which started at line 3, column 14) [yaml]"]


def test_wrong_types_are_named_with_their_value(small, capsys):
    write(small, "facts/vote.yaml", """\
- id: a
  section: vote
  statement: "x"
  citations:
    - source: gazette
      quote: "The bridge will cost"
      start: "12"
      end: 12.0
- id: 1.10
  section: vote
  statement: "y"
  citations: [{source: gazette, quote: "The bridge"}]
""")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == [
        "content/facts/vote.yaml:7:14: error: 'start' must be an integer, not a string (\"12\") [format]",
        "content/facts/vote.yaml:8:12: error: 'end' must be an integer, not a number (12.0) [format]",
        "content/facts/vote.yaml:9:7: error: 'id' must be a string, not a number (1.10); "
        "put it in quotes to keep it as text: '1.10' [format]",
    ]


def test_unknown_and_missing_fields(small, capsys):
    write(small, "facts/vote.yaml", """\
- id: a
  section: vote
  statment: "typo"
  citations:
    - source: gazette
      qoute: "The bridge will cost"
""")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == [
        "content/facts/vote.yaml:1:3: error: missing field 'statement' [format]",
        "content/facts/vote.yaml:3:3: error: unknown field 'statment' (did you mean 'statement'?) [format]",
        "content/facts/vote.yaml:5:7: error: missing field 'quote' [format]",
        "content/facts/vote.yaml:6:7: error: unknown field 'qoute' (did you mean 'quote'?) [format]",
    ]


def test_duplicate_ids_across_files_name_both_places(small, capsys):
    write(small, "facts/more.yaml", """\
- id: vote-result
  section: vote
  statement: "Again."
  citations: [{source: gazette, quote: "The bridge will cost"}]
""")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    # facts/more.yaml is read before facts/vote.yaml (files in name order).
    assert messages(err) == [
        "content/facts/vote.yaml:2:7: error: duplicate fact id 'vote-result' "
        "(first defined at content/facts/more.yaml:1:7) [duplicate-id]",
    ]


def test_every_problem_in_one_run_with_the_offending_line(small, capsys):
    write(small, "facts/vote.yaml", """\
- id: a
  section: votes
  statement: "x"
  citations:
    - source: gazete
      quote: "The bridge will cost"
""")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == [
        "content/facts/vote.yaml:1:7: error: fact 'a': unknown section 'votes' (did you mean 'vote'? sections: "
        "vote, reactions) [reference]",
        "content/facts/vote.yaml:5:15: error: unknown source 'gazete' (did you mean 'gazette'? sources: gazette, "
        "herald) [reference]",
    ]
    # Each message echoes the line it names, with a caret under the column.
    assert "\n    - id: a\n          ^\n" in err


def test_broken_citation_reports_location_and_closest_passage(small, capsys):
    path = small / "facts" / "vote.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'quote: "The bridge will cost £12 million."', 'quote: "The bridge will cost £15 million."'),
        encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert "content/facts/vote.yaml:16:14: error: quote not found in source 'gazette' [anchor]" in err
    assert "what differs: The bridge will cost [-£15-] {+£12+} million." in err
    assert "Traceback" not in err
    assert err.rstrip().endswith("5 facts, 8 citations, 2 sources: 1 error, 0 warnings")


def test_missing_source_file_and_pinned_hash_mismatch(small, capsys):
    (small / "sources" / "herald.txt").unlink()
    with open(small / "sources" / "gazette.txt", "a", encoding="utf-8") as handle:
        handle.write("A late correction.\n")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    lines = messages(err)
    assert lines[0].startswith("content/sources/sources.yaml:1:7: error: source 'gazette' has changed since "
                               "it was pinned: its sha256 is ")
    assert lines[1] == ("content/sources/sources.yaml:13:9: error: source file not found: "
                        "content/sources/herald.txt [source-file]")
    assert "note: 5 of 5 citation(s) of it still resolve" in err


def test_ids_may_hold_dots_and_labels_are_derived_from_them(small, capsys):
    from factsheet.pipeline import verify

    for path in (small / "facts" / "vote.yaml", small / "sources" / "sources.yaml"):
        text = path.read_text(encoding="utf-8").replace("id: vote-result", "id: vote.2024-05")
        path.write_text(text.replace("id: gazette", "id: gazette.v2").replace("source: gazette", "source: gazette.v2"),
                        encoding="utf-8")
    for path in (small / "facts").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("source: gazette\n", "source: gazette.v2\n"),
                        encoding="utf-8")
    briefing, report = verify(small)
    assert briefing is not None, [d.format() for d in report.sorted()]
    fact = next(f for f in briefing.facts if f.id == "vote.2024-05")
    assert [c.label for c in fact.citations] == ["vote-2024-05-1", "vote-2024-05-2"]
    assert fact.citations[0].source == "gazette.v2"


# --- YAML slips: a plain hint, and no cascade from the file that could not be read ---------------

def test_an_unquoted_colon_in_a_statement_says_put_it_in_quotes(small, capsys):
    write(small, "facts/vote.yaml", "- id: a\n  section: vote\n  statement: The rule: be kind.\n"
                                    "  citations: [{source: herald, quote: The vote was 7-2.}]\n")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert err.splitlines() == [
        "content/facts/vote.yaml:3:22: error: YAML syntax: the value of 'statement' holds \": \", which YAML reads "
        "as a new key; put the statement in quotes [yaml]",
        "      statement: The rule: be kind.",
        "                         ^",
        '  note: statement: "The rule: be kind."',
        "3 facts, 5 citations, 2 sources: 1 error, 0 warnings; content/facts/vote.yaml could not be read, so it is "
        "not counted and 1 finding that only follows from that is not shown"]


@pytest.mark.parametrize("text,message", [
    ("- id: a\n  section: vote\n   statement: hi\n",
     "content/facts/vote.yaml:3:4: error: YAML syntax: 'statement' is indented by 3 spaces, 'section' on line 2 "
     "by 2: line them up (2 spaces) [yaml]"),
    ("- id: a\n  citations:\n    - source: herald\n     quote: x\n",
     "content/facts/vote.yaml:4:6: error: YAML syntax: 'quote' is indented by 5 spaces, 'source' on line 3 by 6: "
     "line them up (6 spaces) [yaml]"),
    ("- id: a\n  section: vote\n - id: b\n",
     "content/facts/vote.yaml:3:2: error: YAML syntax: this list item is indented by 1 space, the item on line 1 "
     "by 0: line them up (0 spaces) [yaml]"),
    ('- id: a\n  statement: "Open source" is defined\n',
     "content/facts/vote.yaml:2:28: error: YAML syntax: text after the closing quote of 'statement'; put the "
     "whole statement inside the quotes [yaml]"),
])
def test_a_yaml_slip_gets_a_plain_hint(small, capsys, text, message):
    write(small, "facts/vote.yaml", text)
    err = run(capsys, "check", "--content", "content")[2]
    assert messages(err) == [message]
    assert "never cited" not in err and "has no facts" not in err


def test_a_broken_sources_file_hides_the_unknown_source_cascade(small, capsys):
    write(small, "sources/sources.yaml", "- id: gazette\n  file: gazette.txt\n   title: x\n")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == [
        "content/sources/sources.yaml:3:4: error: YAML syntax: 'title' is indented by 3 spaces, 'file' on line 2 "
        "by 2: line them up (2 spaces) [yaml]"]
    assert err.splitlines()[-1] == (
        "5 facts, 8 citations, 0 sources: 1 error, 0 warnings; content/sources/sources.yaml could not be read, so "
        "it is not counted and 8 findings that only follow from that are not shown")


def test_a_source_without_sha256_gets_the_line_to_paste(small, capsys):
    import hashlib

    sources = small / "sources" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "  sha256: 0b8650fa76ad10e735dde4053b87303d3f2f437a8bcef49adbc7a03781fa8746\n", ""), encoding="utf-8")
    digest = hashlib.sha256((small / "sources" / "herald.txt").read_bytes()).hexdigest()
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert messages(err) == ["content/sources/sources.yaml:12:3: error: missing field 'sha256' [format]"]
    assert f"  note: add this line: sha256: {digest}" in err.splitlines()


# --- messages that guess well ----------------------------------------------------------------------

def test_an_unknown_source_lists_the_ids_and_guesses_only_a_slip(small, capsys):
    write(small, "facts/vote.yaml", "- id: a\n  section: vote\n  statement: x\n  citations:\n"
                                    "    - source: example\n      quote: The vote was 7-2.\n")
    err = run(capsys, "check", "--content", "content")[2]
    assert messages(err) == [
        "content/facts/vote.yaml:5:15: error: unknown source 'example' (sources: gazette, herald) [reference]"]
    assert "\n        - source: example\n                  ^\n" in err


def test_a_source_file_not_found_suggests_the_file_that_is_there(small, capsys):
    (small / "sources" / "herald.txt").rename(small / "sources" / "herald.text")
    err = run(capsys, "check", "--content", "content")[2]
    assert messages(err) == ["content/sources/sources.yaml:13:9: error: source file not found: "
                             "content/sources/herald.txt (did you mean 'herald.text'?) [source-file]"]


def test_a_source_that_is_not_utf8_says_what_it_looks_like_and_how_to_convert_it(small, capsys):
    (small / "sources" / "herald.txt").write_bytes("Café “owners” cheered.\n".encode("cp1252"))
    err = run(capsys, "check", "--content", "content")[2]
    assert ("content/sources/sources.yaml:13:9: error: source file 'herald.txt' is not valid UTF-8 (byte 0xe9 at "
            "byte offset 3); it looks like Windows-1252 [source-file]") in err.splitlines()
    assert ("  note: convert it: iconv -f cp1252 -t utf-8 content/sources/herald.txt > "
            "content/sources/herald.utf8.txt, then write 'file: herald.utf8.txt' and pin its sha256") in err.splitlines()


def test_a_repeated_quote_lists_each_place_with_the_context_to_paste(small, capsys):
    write(small, "facts/vote.yaml", "- id: a\n  section: vote\n  statement: x\n  citations:\n"
                                    "    - source: gazette\n      quote: the bridge\n")
    err = run(capsys, "check", "--content", "content")[2]
    assert [line for line in err.splitlines() if line.startswith("  note:")] == [
        "  note: at 79–89: …voted 7–2 on Tuesday to fund [the bridge] . “It’s a good day for the cit… — to cite "
        "this one, add suffix: \".\"",
        "  note: at 190–200: …£12 million. Residents said “ [the bridge] ” was overdue. Critics said th… — to cite "
        "this one, add prefix: \"“\"",
        "  note: at 228–238: …ge” was overdue. Critics said [the bridge] was too expensive. Share thi… — to cite "
        "this one, add suffix: \"was\""]


def test_an_overlay_is_read_instead_of_the_disk_and_nothing_is_written(small):
    from factsheet.pipeline import examine

    from conftest import tree_hashes

    before = tree_hashes(small)
    vote = (small / "facts" / "vote.yaml").read_bytes().replace(b"7\xe2\x80\x932 to fund", b"8-1 to fund")
    new = (b"- id: extra\n  section: vote\n  statement: \"The vote was 7-2.\"\n"
           b"  citations:\n    - source: herald\n      quote: \"The vote was 7-2.\"\n")
    briefing, report = examine(small, overlay={"facts/vote.yaml": vote, "facts/zz-new.yaml": new})
    assert briefing is not None and report.errors == []
    assert [f.id for f in briefing.facts][-1] == "extra"
    assert briefing.file("content/facts/zz-new.yaml").data == new
    assert [d.message for d in report.warnings] == [
        f"figure “{n}” in the statement of fact 'vote-result' is not in any cited span" for n in (8, 1)]
    assert tree_hashes(small) == before
