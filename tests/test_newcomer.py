"""A newcomer's first session, scripted: `init --empty`, three short licence-like texts, and the
mistakes a first briefing makes, each met by the exact message the tool prints for it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import run

PERMISSIVE = """\
Permissive Licence, Version 2.0

1. Definitions.

"Work" means the work of authorship made available under this Licence.

2. Grant of Patent Licence.

Each Contributor grants You a perpetual patent licence to make and use the Work. If You institute \
patent litigation against any entity, then any patent licences granted to You under this Licence for \
that Work shall terminate as of the date such litigation is filed.

3. Redistribution.

You may reproduce and distribute copies of the Work in any medium, provided that You give any other \
recipients of the Work a copy of this Licence.
"""

RECIPROCAL = """\
Reciprocal Licence, Version 2.0

1. Definitions.

"Covered Software" means the Source Code Form to which the initial Contributor has attached this notice.

2. Distribution.

You may distribute Covered Software in Executable Form only if You also make the Source Code Form \
available. You must give recipients of the Executable Form a copy of this Licence.

3. Termination.

If You initiate litigation by asserting a patent infringement claim against any Contributor, including \
a counterclaim, then the rights granted to You shall terminate.
"""

STRONG = """\
Strong Copyleft Licence, Version 3

1. Definitions.

“The Program” refers to any copyrightable work licensed under this Licence.

2. Conveying Modified Versions.

You may convey a work based on the Program, provided that you license the entire work, as a whole, \
under this Licence to anyone who comes into possession of a copy.
"""

SOURCES = """\
- id: permissive
  file: permissive.txt
  title: "Permissive Licence, Version 2.0"
- id: reciprocal
  file: reciprocal.txt
  title: "Reciprocal Licence, Version 2.0"
- id: strong
  file: strong.text
  title: "Strong Copyleft Licence, Version 3"
"""

BRIEF = "licences"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Session:
    """The newcomer's folder and the commands they type."""

    def __init__(self, root: Path, capsys):
        self.root, self.capsys = root, capsys
        self.content = root / BRIEF

    def run(self, *argv: str) -> tuple[int, str, str]:
        return run(self.capsys, *argv)

    def check(self) -> tuple[int, list[str]]:
        code, _, err = self.run("check", "--content", BRIEF)
        return code, err.splitlines()

    def write(self, name: str, text: str | bytes) -> None:
        path = self.content / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.content / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def facts(self, text: str) -> None:
        self.write("facts/facts.yaml", text)


def fact(fid: str, statement: str, *cites: tuple[str, str]) -> str:
    lines = [f"- id: {fid}", "  section: main", f"  statement: {statement}", "  citations:"]
    for source, quote in cites:
        lines += [f"    - source: {source}", f"      quote: {quote}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def session(tmp_path, monkeypatch, capsys) -> Session:
    monkeypatch.chdir(tmp_path)
    return Session(tmp_path, capsys)


NO_FACTS = ("licences/facts/facts.yaml:11:1: error: the briefing has no facts yet: write them in facts/*.yaml, each "
            "citing the words of a source registered in sources/sources.yaml (`factsheet locate SOURCE \"words\"` "
            "prints a citation to paste) [format]")


def test_a_newcomers_first_briefing(session: Session):
    s = session
    # 1. A clean start: one message, not a cascade of empty sections.
    assert s.run("init", "--empty", BRIEF)[0] == 0
    assert s.check() == (1, [NO_FACTS, "    []  # an empty list: delete these brackets when you add the first fact",
                             "    ^", "0 facts, 0 citations, 0 sources: 1 error, 0 warnings"])

    # 2. Three texts saved, registered below the empty list's brackets.
    s.write("sources/permissive.txt", PERMISSIVE)
    s.write("sources/reciprocal.txt", RECIPROCAL)
    s.write("sources/strong.txt", STRONG.encode("cp1252"))  # an editor that saves Windows-1252
    s.edit("sources/sources.yaml", "  # an empty list: delete these brackets when you add the first source\n",
           "\n" + SOURCES)
    code, lines = s.check()
    assert lines[3:] == [
        "licences/sources/sources.yaml:11:1: error: YAML syntax: the file holds an empty list, `[]`, and then "
        "entries: delete the `[]` (it stands for a list with nothing in it) [yaml]", "    []", "    ^",
        "0 facts, 0 citations, 0 sources: 2 errors, 0 warnings; licences/sources/sources.yaml could not be read, so "
        "it is not counted and 1 finding that only follows from that is not shown"]
    s.edit("sources/sources.yaml", "[]\n", "")

    # 3. No sha256: the line to add, hashed from the file; a mistyped file name: the file there is.
    permissive_sha, reciprocal_sha = sha(PERMISSIVE.encode()), sha(RECIPROCAL.encode())
    code, lines = s.check()
    assert [line for n, line in enumerate(lines) if ": error: missing" in lines[n - 3]] == [
        f"  note: add this line: sha256: {permissive_sha}",
        f"  note: add this line: sha256: {reciprocal_sha}",
        "  note: it pins the file's bytes, and licences/sources/strong.text is not there to hash (did you mean "
        "'strong.txt'?)"]
    assert [line for line in lines if ": error: missing" in line] == [
        f"licences/sources/sources.yaml:{n}:3: error: missing field 'sha256' [format]" for n in (11, 14, 17)]
    # 4. locate names what the entry lacks (not "no source 'permissive'").
    code, _, err = s.run("locate", "permissive", "patent", "--content", BRIEF)
    assert (code, err) == (2, "factsheet: error: source 'permissive' in sources.yaml cannot be used until its entry "
                              "is complete: licences/sources/sources.yaml:11:3: missing field 'sha256'; add this "
                              f"line: sha256: {permissive_sha}\n")
    s.edit("sources/sources.yaml", 'Version 2.0"\n- id: reciprocal',
           f'Version 2.0"\n  sha256: {permissive_sha}\n- id: reciprocal')
    s.edit("sources/sources.yaml", 'Version 2.0"\n- id: strong', f'Version 2.0"\n  sha256: {reciprocal_sha}\n- id: strong')
    s.edit("sources/sources.yaml", "file: strong.text", "file: strong.txt")
    s.edit("sources/sources.yaml", 'Version 3"\n', f'Version 3"\n  sha256: {sha(STRONG.encode("cp1252"))}\n')

    # 5. Not UTF-8: what it probably is, and the line that converts it.
    code, lines = s.check()
    assert lines[3:7] == [
        "licences/sources/sources.yaml:20:9: error: source file 'strong.txt' is not valid UTF-8 (byte 0x93 at byte "
        "offset 53); it looks like Windows-1252 [source-file]", "      file: strong.txt", "            ^",
        "  note: convert it: iconv -f cp1252 -t utf-8 licences/sources/strong.txt > licences/sources/strong.utf8.txt, "
        "then write 'file: strong.utf8.txt' and pin its sha256"]
    s.write("sources/strong.txt", STRONG)  # converted in place

    # 6. The converted file no longer has the pinned hash: nothing cites it yet, so the line to pin it.
    code, lines = s.check()
    strong_sha = sha(STRONG.encode())
    assert lines[3:7] == [
        f"licences/sources/sources.yaml:19:7: error: source 'strong' is pinned to sha256 "
        f"{sha(STRONG.encode('cp1252'))}, but its file's is {strong_sha} [pinned]",
        "    - id: strong", "          ^",
        f"  note: no citation uses it yet; if the file is the text you mean, pin it as it is now: sha256: {strong_sha}"]
    s.edit("sources/sources.yaml", sha(STRONG.encode("cp1252")), strong_sha)
    assert s.check()[1][-1] == "0 facts, 0 citations, 3 sources: 1 error, 0 warnings"

    # 7. The first fact: a statement with ": " not in quotes. Put it in quotes; no cascade.
    s.edit("facts/facts.yaml", "[]  # an empty list: delete these brackets when you add the first fact\n",
           fact("patent-ends", "Patent licences end: when litigation is filed.",
                ("permissive", '"such litigation is filed"')))
    assert s.check() == (1, [
        "licences/facts/facts.yaml:13:33: error: YAML syntax: the value of 'statement' holds \": \", which YAML reads "
        "as a new key; put the statement in quotes [yaml]",
        "      statement: Patent licences end: when litigation is filed.",
        "                                    ^",
        '  note: statement: "Patent licences end: when litigation is filed."',
        "0 facts, 0 citations, 3 sources: 1 error, 0 warnings; licences/facts/facts.yaml could not be read, so it is "
        "not counted and 4 findings that only follow from that are not shown"])

    # 8. An indentation slip: the indentation the line needs.
    s.facts(fact("patent-ends", '"Patent licences end on the date patent litigation is filed."',
                 ("permissive", '"such litigation is filed"')).replace("      quote:", "     quote:"))
    assert s.check()[1][0] == ("licences/facts/facts.yaml:6:6: error: YAML syntax: 'quote' is indented by 5 spaces, "
                               "'source' on line 5 by 6: line them up (6 spaces) [yaml]")

    # 9. A typo in a quote: the closest passage, in whole words.
    s.facts(fact("patent-ends", '"Patent licences end on the date patent litigation is filed."',
                 ("permissive", '"shall terminate as of the date such litigation is fled"')))
    code, lines = s.check()
    assert lines[3:5] == [
        "  note: closest passage (98% alike) at 360–415: …er this Licence for that Work [shall terminate as of the "
        "date such litigation is filed] . 3. Redistribution. You may…",
        "  note: what differs: shall terminate as of the date such litigation is [-fled-] {+filed+}"]

    # 10. A word cut short (what a hint cut at a letter would have suggested): the whole word to paste.
    s.facts(fact("patent-ends", '"Patent licences end on the date patent litigation is filed."',
                 ("permissive", '"shall terminate as of the date such litigation is file"')))
    code, lines = s.check()
    assert (lines[0], lines[3]) == (
        "licences/facts/facts.yaml:6:14: error: quote ends inside the word “filed” in source 'permissive'; cite "
        "whole words [anchor]",
        '  note: whole words, ready to paste: quote: "shall terminate as of the date such litigation is filed"')

    # 11. An id that is not there: the ids there are, no wild guess, at the `source:` line.
    s.facts(fact("patent-ends", '"Patent licences end on the date patent litigation is filed."',
                 ("example", '"shall terminate as of the date such litigation is filed"')))
    assert s.check()[1][:3] == [
        "licences/facts/facts.yaml:5:15: error: unknown source 'example' (sources: permissive, reciprocal, strong) "
        "[reference]", "        - source: example", "                  ^"]

    # 12. A quote that occurs twice: both places, each with the context that chooses it.
    s.facts(fact("copy", '"The licence goes with the work."', ("permissive", '"under this Licence"')))
    assert s.check()[1][:5] == [
        "licences/facts/facts.yaml:6:14: error: quote occurs 2 times in source 'permissive'; add a prefix or suffix "
        "(or start/end) to choose one [anchor]",
        '          quote: "under this Licence"', "                 ^",
        "  note: at 101–119: …of authorship made available [under this Licence] . 2. Grant of Patent Licence.… — to "
        'cite this one, add suffix: "."',
        "  note: at 327–345: …atent licences granted to You [under this Licence] for that Work shall terminate… — to "
        'cite this one, add prefix: "You"']

    # 13. Names with numbers are not figures once declared; "as two texts say" is attribution.
    s.facts(fact("versions", '"Permissive 2.0 and Reciprocal 2.0 both terminate the rights granted to You on patent '
                             'litigation, as two texts say."',
                 ("permissive", '"shall terminate as of the date such litigation is filed"'),
                 ("reciprocal", '"asserting a patent infringement claim against any Contributor, including a '
                                'counterclaim"'))
            + fact("copyleft", '"Under the Strong Copyleft Licence, Version 3, you license the entire work as a '
                                'whole."',
                   ("strong", '"license the entire work, as a whole, under this Licence"')))
    code, lines = s.check()
    assert lines[:4] == [
        "licences/facts/facts.yaml:3:14: warning: figure “2.0” in the statement of fact 'versions' is not in any "
        "cited span [figures]",
        '      statement: "Permissive 2.0 and Reciprocal 2.0 both terminate the rights granted to You on patent '
        'litigation, as two texts say."', "                 ^",
        "  note: if “Permissive 2.0” is a name, add it to `entities` in briefing.yaml (as a name or an alias): a "
        "number inside a name is not a figure"]
    s.edit("briefing.yaml", "sections:", 'entities:\n  - name: "Permissive Licence, Version 2.0"\n'
           '    aliases: ["Permissive 2.0"]\n  - name: "Reciprocal Licence, Version 2.0"\n'
           '    aliases: ["Reciprocal 2.0"]\n  - name: "Strong Copyleft Licence, Version 3"\n'
           '    aliases: ["Strong Copyleft 3"]\nsections:')
    assert s.check() == (0, ["2 facts, 3 citations, 3 sources: 0 errors, 0 warnings"])

    # 14. A source re-captured with "counter-claim": reanchor shows the candidate, the curator takes it.
    s.edit("sources/reciprocal.txt", "counterclaim", "counter-claim")
    code, out, err = s.run("reanchor", "--content", BRIEF)
    assert (code, out) == (1, "licences/facts/facts.yaml:8:14: reciprocal → not placed\n")
    assert err.splitlines()[0] == ("licences/facts/facts.yaml:8:14: error: quote not re-anchored in drifted source "
                                   "'reciprocal': words changed, not only their spelling [reanchor]")
    assert ("  note: to take the first candidate, with its words as the new quote: factsheet reanchor --content "
            "licences --accept facts/facts.yaml:8") in err.splitlines()
    before = (s.content / "facts" / "facts.yaml").read_bytes()
    code, out, _ = s.run("reanchor", "--content", BRIEF, "--accept", "facts/facts.yaml:8")
    assert (code, out) == (0, "licences/facts/facts.yaml:8:14: reciprocal → 403–491 (accepted, 99%)\n"
                              "updated licences/facts/facts.yaml (1 value)\n"
                              "updated licences/sources/sources.yaml (1 value)\n"
                              "to put them back: factsheet reanchor --content licences --undo\n")
    assert "including a counter-claim" in (s.content / "facts" / "facts.yaml").read_text(encoding="utf-8")
    assert s.check() == (0, ["2 facts, 3 citations, 3 sources: 0 errors, 0 warnings"])
    assert s.run("reanchor", "--content", BRIEF, "--undo")[0] == 0
    assert (s.content / "facts" / "facts.yaml").read_bytes() == before
    assert s.run("reanchor", "--content", BRIEF, "--accept", "facts/facts.yaml:8")[0] == 0

    # 15. The report: a table first; a numbered heading is one sentence with its number.
    code, out, _ = s.run("report", "--content", BRIEF, "--sentences")
    assert out.splitlines()[:4] == [
        "source      cited  facts citing it  facts resting on it alone",
        "permissive    10%                1                          0",
        "reciprocal    17%                1                          0",
        "strong        17%                1                          1"]
    assert "  33–48: 1. Definitions." in out.splitlines()
