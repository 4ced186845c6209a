"""The loader: every problem reported at its exact path:line:col, all in one run."""

from __future__ import annotations

from pathlib import Path

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
        "content/facts/vote.yaml:1:7: error: fact 'a': unknown section 'votes' (did you mean 'vote'?) [reference]",
        "content/facts/vote.yaml:6:14: error: unknown source 'gazete' (did you mean 'gazette'?) [reference]",
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
