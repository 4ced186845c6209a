"""Hostile and broken input, one table of cases, each run through the real command in its own process.

Every case copies the small fixture briefing, breaks it one way, puts "previous outputs" in the
output folder, and runs ``python -m factsheet`` with a time limit and a memory limit. The process
is forked from a server that has imported the command and WeasyPrint and built the small fixture
once (tests/forkserver.py), so that each case pays for its own work, not for starting Python,
importing and loading fonts again. It then
asserts the exit code, the exact ``path:line:col: severity: message [rule]`` lines, that no
traceback was printed, that nothing under ``content/`` changed, and that the output folder holds
exactly what it held before (or, for the cases that must build, only the six outputs).

The cases run in parallel threads, as many as the machine has cores (each case is a separate
process), the slowest first: the 2,000-fact PDF, then the markup build below, then every case
that lays out a PDF (the builds that succeed and those that fail only when writing), and the
quick failures fill in around them. Briefings that must build are checked for literal rendering
in ``test_markup_*`` below: one build holds every hostile statement at once, each quoted from a
hostile web capture, so that every verification rule runs on it and passes. Its page, its
Markdown as two readers render it, and its PDF text are read once and looked up per statement.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from factsheet.outputs.environment import DEFAULT_TEMPLATES
from tests.forkserver import ForkServer, cpu_ticks

FIXTURE = Path(__file__).parent / "fixtures" / "small"
OUTPUTS = ("briefing.md", "briefing.html", "briefing.json", "briefing.pdf", "briefing.annotations.jsonld",
           "briefing.sources.csl.json")
# The time limit of each process is processor time, the command's own work, whatever else the
# machine runs (the 2,000-fact PDF takes about half of it); past it the kernel stops the process.
# A hang is a failure, not a slow test: a process that waits without working (on a FIFO, say) is
# stopped once it has used no processor time for STALL seconds, and any process after TIMEOUT.
CPU_SECONDS = 120
STALL = 60
TIMEOUT = 1800
MEMORY = 3 * 2**30  # address space per process
VOTE = "content/facts/vote.yaml"
EXTRA = "content/facts/zzz.yaml"
SOURCES = "content/sources/sources.yaml"
HERALD_SHA = "0b8650fa76ad10e735dde4053b87303d3f2f437a8bcef49adbc7a03781fa8746"


# --- building a case's content ------------------------------------------------------------------

def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return apply


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def fact(citations: str, statement: str = "hi", fid: str = "x") -> Callable[[Path], None]:
    """A facts file with one fact; ``citations`` is the YAML list under ``citations:``."""
    return write(EXTRA, f"- id: {fid}\n  section: vote\n  statement: {statement}\n  citations:\n{citations}")


def herald(data: bytes) -> Callable[[Path], None]:
    """Replace the herald source and pin its new sha256, as a curator would after capturing it."""
    def apply(folder: Path) -> None:
        (folder / "content/sources/herald.txt").write_bytes(data)
        replace(SOURCES, HERALD_SHA, hashlib.sha256(data).hexdigest())(folder)
    return apply


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        os.symlink(target, folder / rel)
    return apply


def steps(*fns: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        for fn in fns:
            fn(folder)
    return apply


def cite(quote: str, source: str = "herald", **more) -> str:
    lines = f"    - source: {source}\n      quote: {quote}\n"
    return lines + "".join(f"      {k}: {v}\n" for k, v in more.items())


NO_FACT_IN_VOTE = "content/briefing.yaml:9:9: warning: section 'vote' has no facts [empty-section]"
HERALD_TEXT = (FIXTURE / "sources/herald.txt").read_bytes().decode("utf-8")  # CRLF and NFD already


# --- the catalogue ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    prepare: Callable[[Path], None]
    code: int
    lines: tuple[str, ...]  # exact lines the command must print (stderr)
    args: tuple[str, ...] = ("build", "--content", "content", "--out", "out")
    fsize: int | None = None  # a file size limit, to fill the "disk" or kill mid-write
    killable: bool = False
    unprivileged: bool = False  # without root's power over file permissions (a read-only folder)
    before: Callable[[Path], None] | None = None  # the output folder's state, set before hashing


CASES = [
    # YAML
    Case("yaml-syntax", write(VOTE, '- id: x\n  section: vote\n  statement: "unterminated\n'), 1, (
        "content/facts/vote.yaml:4:1: error: YAML syntax: found unexpected end of stream (while scanning "
        "a quoted scalar, which started at line 3, column 14) [yaml]",)),
    Case("yaml-python-tag", write(VOTE, '- id: !!python/object/apply:os.system ["touch pwned"]\n'), 1, (
        "content/facts/vote.yaml:1:7: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed in content; write plain values [yaml]",)),
    Case("yaml-local-tag", write(VOTE, "- id: !secret x\n"), 1, (
        "content/facts/vote.yaml:1:7: error: tag '!secret' is not allowed in content; write plain values [yaml]",)),
    Case("yaml-alias-bomb", write(VOTE, "".join(
        f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(10))), 1, (
        "content/facts/vote.yaml:1:3: error: anchor '&a0': anchors and aliases are not allowed in content [yaml]",)),
    Case("yaml-alias", replace(VOTE, "section: vote\n  when", "section: &s vote\n  when"), 1, (
        "content/facts/vote.yaml:11:12: error: anchor '&s': anchors and aliases are not allowed in content [yaml]",)),
    Case("yaml-merge-key", replace(VOTE, "  when:", "  <<: {when: x}\n  when:"), 1, (
        "content/facts/vote.yaml:12:3: error: unknown field '<<' (allowed: accept, citations, id, kind, notes, section, "
        "statement, when) [format]",)),
    Case("yaml-duplicate-key", replace(VOTE, "  when:", "  section: vote\n  when:"), 1, (
        "content/facts/vote.yaml:12:3: error: duplicate key 'section' (first written at line 11) [yaml]",)),
    Case("yaml-keys-collide-after-coercion", fact(cite('"The vote"'), fid="x\n  1: a\n  '1': b"), 1, (
        "content/facts/zzz.yaml:3:3: error: duplicate key '1' (first written at line 2) [yaml]",)),
    # YAML 1.1 reads all four keys as True and keeps one value: here each is the word written.
    Case("yaml-keys-collide-under-yaml-1.1", replace(VOTE, "  when:", "  yes: a\n  on: b\n  true: c\n  when:"), 1, (
        "content/facts/vote.yaml:12:3: error: unknown field 'yes' (allowed: accept, citations, id, kind, notes, section, "
        "statement, when) [format]",
        "content/facts/vote.yaml:13:3: error: unknown field 'on' (allowed: accept, citations, id, kind, notes, section, "
        "statement, when) [format]",
        "content/facts/vote.yaml:14:3: error: unknown field 'true' (allowed: accept, citations, id, kind, notes, section, "
        "statement, when) [format]")),
    # YAML 1.1 would turn these into False, True, 1.1, 511, a date, 1000: here each stays the text
    # written, so the build succeeds and the text appears as written (checked in the JSON below).
    Case("yaml-1.1-coercions-stay-text", steps(
        replace(VOTE, 'statement: "The bridge will cost £12 million, the Gazette reported."', "statement: no"),
        replace(VOTE, 'when: "Tuesday"', "when: 2018-03-21"),
        replace("content/briefing.yaml", "keywords: [bridge, council]", "keywords: [on, 0777, 1_000, yes]"),
    ), 0, ()),
    Case("yaml-1.1-float-in-string-field", replace(VOTE, 'when: "Tuesday"', "when: 1.10"), 1, (
        "content/facts/vote.yaml:12:9: error: 'when' must be a string, not a number (1.10); put it in quotes "
        "to keep it as text: '1.10' [format]",)),
    Case("yaml-two-documents", write(VOTE, (FIXTURE / "facts/vote.yaml").read_text() + "---\n- id: z\n"), 1, (
        "content/facts/vote.yaml:17:1: error: a second YAML document in one file; a content file holds "
        "exactly one [yaml]",)),
    Case("yaml-tab-indent", write(VOTE, "- id: x\n\tsection: vote\n"), 1, (
        "content/facts/vote.yaml:2:1: error: YAML syntax: found a tab character that violates indentation "
        "(while scanning a plain scalar, which started at line 1, column 7) [yaml]",)),
    Case("yaml-nul", write(VOTE, b"- id: x\n  section: vo\x00te\n"), 1, (
        "content/facts/vote.yaml:2:14: error: NUL byte in a YAML file [yaml]",
        "      section: vo\ufffdte")),
    Case("yaml-raw-control-character", write(VOTE, b"- id: x\n  section: v\x07ote\n"), 1, (
        "content/facts/vote.yaml:2:13: error: YAML: control characters are not allowed (character U+0007) [yaml]",
        "      section: v\ufffdote")),
    Case("yaml-invalid-utf8", write(VOTE, b"- id: x\n  section: vo\xffte\n"), 1, (
        "content/facts/vote.yaml:2:14: error: invalid UTF-8 (byte 0xff); content files must be UTF-8 [yaml]",)),
    Case("yaml-utf16", write(VOTE, (FIXTURE / "facts/vote.yaml").read_text().encode("utf-16")), 1, (
        "content/facts/vote.yaml:1:1: error: file is UTF-16; content files must be UTF-8 [yaml]",)),
    Case("yaml-bom-is-fine", write(VOTE, b"\xef\xbb\xbf" + (FIXTURE / "facts/vote.yaml").read_bytes()), 0, ()),
    Case("yaml-wrong-shape", write(VOTE, "id: x\nsection: vote\n"), 1, (
        "content/facts/vote.yaml:1:1: error: a facts file holds a list of facts, not a mapping [format]",)),
    Case("yaml-scalar-briefing", write("content/briefing.yaml", "just a title\n"), 1, (
        "content/briefing.yaml:1:1: error: briefing.yaml holds a mapping of briefing fields, not a string [format]",)),
    Case("yaml-empty", write(VOTE, ""), 1, ("content/facts/vote.yaml:1:1: error: file is empty [yaml]",)),
    Case("yaml-comments-only", write(VOTE, "# nothing yet\n"), 1, (
        "content/facts/vote.yaml:2:1: error: file holds no YAML document [yaml]",)),
    # U+2028 and U+0085 are line breaks to PyYAML, not to editors: refused where they are, with
    # the line and column an editor shows (the parser would have put the next error a line off).
    Case("yaml-u2028-and-nel", write(VOTE, "# a comment \u2028 and \x85 more\n- id: x\n  sectoin: vote\n"), 1, (
        "content/facts/vote.yaml:1:13: error: U+2028 (LINE SEPARATOR) in a YAML file: YAML reads it as a line "
        "break that editors do not show; delete it, or write \\u2028 inside double quotes [yaml]",
        "content/facts/vote.yaml:1:19: error: U+0085 (NEXT LINE) in a YAML file: YAML reads it as a line "
        "break that editors do not show; delete it, or write \\u0085 inside double quotes [yaml]")),
    Case("yaml-u2028-line-numbers-after", fact(cite('"The vote was 7-2."', bogus=1),
                                               statement='"line\\u2028separator, escaped"'), 1, (
        "content/facts/zzz.yaml:3:14: error: 'statement' holds U+2028 (LINE SEPARATOR) at character 5: it "
        "changes how the text displays without being seen; delete it [control-character]",
        "content/facts/zzz.yaml:7:7: error: unknown field 'bogus' (allowed: end, note, partial, prefix, quote, "
        "source, start, suffix) [format]")),
    Case("yaml-cr-only-line-ends", write(VOTE, "- id: x\r  sectoin: vote\r"), 1, (
        "content/facts/vote.yaml:1:3: error: missing field 'section' [format]",
        "content/facts/vote.yaml:2:3: error: unknown field 'sectoin' (did you mean 'section'?) [format]")),
    # Schema
    Case("schema-missing-and-unknown", write(VOTE, "- id: x\n  sectoin: vote\n  statment: hi\n"
                                         "  citations: [{source: herald, quote: The vote was 7-2.}]\n"), 1, (
        "content/facts/vote.yaml:1:3: error: missing field 'section' [format]",
        "content/facts/vote.yaml:1:3: error: missing field 'statement' [format]",
        "content/facts/vote.yaml:2:3: error: unknown field 'sectoin' (did you mean 'section'?) [format]",
        "content/facts/vote.yaml:3:3: error: unknown field 'statment' (did you mean 'statement'?) [format]")),
    Case("schema-start-as-string", fact(cite('"The vote"', start='"12"', end=20)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'start' must be an integer, not a string (\"12\") [format]",)),
    Case("schema-start-negative", fact(cite('"The vote"', start=-1, end=8)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'start' must be 0 or more, not -1 [format]",)),
    Case("schema-end-as-float", fact(cite('"The vote"', start=0, end=8.0)), 1, (
        "content/facts/zzz.yaml:8:12: error: 'end' must be an integer, not a number (8.0) [format]",)),
    Case("schema-start-as-bool", fact(cite('"The vote"', start="true", end=8)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'start' must be an integer, not a boolean (true) [format]",)),
    Case("schema-duplicate-id-across-files", fact(cite('"The vote was 7-2."'), fid="bridge-cost"), 1, (
        "content/facts/zzz.yaml:1:7: error: duplicate fact id 'bridge-cost' (first defined at "
        "content/facts/vote.yaml:10:7) [duplicate-id]",)),
    Case("schema-10mb-field", fact(cite('"The vote was 7-2."'), statement='"' + "a" * 10_000_000 + '"'), 1, (
        "content/facts/zzz.yaml:3:14: error: 'statement' is 10000000 characters long; the limit is 4000 [format]",
        '      statement: "' + "a" * 186 + " …")),
    Case("schema-file-too-large", write(EXTRA, b"#" * (20 * 2**20 + 1)), 1, (
        "content/facts/zzz.yaml:1:1: error: file is larger than 20 MB [format]",)),
    Case("schema-unknown-section-did-you-mean", replace(VOTE, "section: vote\n  when", "section: vot\n  when"), 1, (
        "content/facts/vote.yaml:10:7: error: fact 'bridge-cost': unknown section 'vot' (did you mean 'vote'? "
        "sections: vote, reactions) [reference]",)),
    # Spans and paths
    Case("span-start-after-end", fact(cite('"The vote"', start=9, end=3)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'start' (9) must be less than 'end' (3) [anchor]",)),
    Case("span-end-past-text", fact(cite('"The vote"', start=0, end=99999)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'end' (99999) is past the end of source 'herald' "
        "(134 code points) [anchor]",)),
    Case("span-empty", fact(cite('"The vote"', start=4, end=4)), 1, (
        "content/facts/zzz.yaml:7:14: error: 'start' (4) must be less than 'end' (4) [anchor]",)),
    Case("span-only-white-space", fact(cite('"   "')), 1, (
        "content/facts/zzz.yaml:6:14: error: quote is only white space; cite words of the source [anchor]",)),
    Case("span-one-offset", fact(cite('"The vote"', start=0)), 1, (
        "content/facts/zzz.yaml:7:14: error: write both 'start' and 'end', or neither [anchor]",)),
    Case("span-splits-combining-accent", steps(
        herald("Cafe\u0301 owners 👩\u200d👩\u200d👧 and 🇫🇷🇩🇪 cheered.".encode()),
        replace("content/facts/reactions.yaml", 'quote: "Café owners cheered 🎉"', 'quote: "owners"'),
        replace(VOTE, "The vote was 7-2.", "and"),
        replace("content/facts/reactions.yaml", 'The mayor called it "a good day for the city".', "cheered"),
        fact(cite('"Cafe"') + cite('"owners 👩\u200d👩"') + cite('"🇫🇷🇩"') + cite('"Cafe"', start=0, end=4)
             + cite('"🇷🇩"'))), 1, (
        "content/facts/zzz.yaml:6:14: error: span 0–4 cuts a character in two at offset 4 [anchor]",
        "content/facts/zzz.yaml:8:14: error: span 6–16 cuts a character in two at offset 16 [anchor]",
        "content/facts/zzz.yaml:10:14: error: span 23–26 cuts a character in two at offset 26 [anchor]",
        "content/facts/zzz.yaml:12:14: error: span 0–4 cuts a character in two at offset 4 [anchor]",
        "content/facts/zzz.yaml:16:14: error: span 24–26 cuts a character in two at offset 24 [anchor]")),
    *[Case(f"path-{label}", replace(SOURCES, "file: herald.txt", f"file: {name}"), 1, (
        f"content/sources/sources.yaml:13:9: error: 'file' must be a plain file name inside content/sources/ "
        f"(no folders, no '..', no '%'), not \"{shown}\" [format]",))
      for label, name, shown in [("dotdot", "../briefing.yaml", "../briefing.yaml"),
                                 ("absolute", "/etc/passwd", "/etc/passwd"),
                                 ("percent", "..%2fbriefing.yaml", "..%2fbriefing.yaml"),
                                 ("folder", "sub/herald.txt", "sub/herald.txt"),
                                 ("url", '"file:///etc/passwd"', "file:///etc/passwd")]],
    Case("path-symlink-out", steps(symlink("content/sources/link.txt", "/etc/passwd"),
                                   replace(SOURCES, "file: herald.txt", "file: link.txt")), 1, (
        "content/sources/sources.yaml:13:9: error: source file 'link.txt' leads outside content/sources/ "
        "(a link?) [source-file]",)),
    Case("path-symlink-to-content", steps(symlink("content/sources/link.txt", "../briefing.yaml"),
                                          replace(SOURCES, "file: herald.txt", "file: link.txt")), 1, (
        "content/sources/sources.yaml:13:9: error: source file 'link.txt' leads outside content/sources/ "
        "(a link?) [source-file]",)),
    Case("path-facts-file-symlink-out", symlink("content/facts/evil.yaml", "/etc/passwd"), 1, (
        "content/facts/evil.yaml:1:1: error: content/facts/evil.yaml leads outside the content folder "
        "(a link?); content files must be inside it [format]",)),
    Case("path-sources-folder-symlink-out", lambda f: (
        shutil.move(f / "content/sources", f / "elsewhere"), os.symlink("../elsewhere", f / "content/sources")), 1, (
        "content/sources/sources.yaml:1:1: error: content/sources/sources.yaml leads outside the content folder "
        "(a link?); content files must be inside it [format]",)),
    Case("path-source-is-a-fifo", lambda f: ((f / "content/sources/herald.txt").unlink(),
                                             os.mkfifo(f / "content/sources/herald.txt")), 1, (
        "content/sources/sources.yaml:13:9: error: source file is not a regular file: content/sources/herald.txt "
        "[source-file]",)),
    Case("path-facts-file-is-a-fifo", lambda f: os.mkfifo(f / "content/facts/pipe.yaml"), 1, (
        "content/facts/pipe.yaml:1:1: error: file is not a regular file: content/facts/pipe.yaml [format]",)),
    Case("path-facts-file-links-to-dev-zero", symlink("content/facts/zero.yaml", "/dev/zero"), 1, (
        "content/facts/zero.yaml:1:1: error: content/facts/zero.yaml leads outside the content folder "
        "(a link?); content files must be inside it [format]",)),
    Case("source-missing", lambda f: (f / "content/sources/herald.txt").unlink(), 1, (
        "content/sources/sources.yaml:13:9: error: source file not found: content/sources/herald.txt "
        "[source-file]",)),
    Case("source-empty", herald(b""), 1, (
        "content/sources/sources.yaml:13:9: error: source file 'herald.txt' is empty [source-file]",)),
    Case("source-not-utf8", herald(HERALD_TEXT.encode("latin-1", "replace")), 1, (
        "content/sources/sources.yaml:13:9: error: source file 'herald.txt' is not valid UTF-8 (byte 0xe9 at "
        "byte offset 87); it looks like Latin-1 or Windows-1252 [source-file]",
        "  note: convert it: iconv -f cp1252 -t utf-8 content/sources/herald.txt > content/sources/herald.utf8.txt, "
        "then write 'file: herald.utf8.txt' and pin its sha256")),
    Case("source-drifted", lambda f: (f / "content/sources/herald.txt").write_text(HERALD_TEXT + " Edited."), 1, (
        "content/sources/sources.yaml:12:7: error: source 'herald' has changed since it was pinned: its sha256 is "
        f"{hashlib.sha256((HERALD_TEXT + ' Edited.').encode()).hexdigest()}, pinned {HERALD_SHA} [pinned]",)),
    # The offset rule: code points of the text decoded as UTF-8, no newline translation, no
    # normalisation; a BOM is the text's first code point. These build; the spans are checked below.
    Case("source-bom-crlf-nfd", steps(
        herald(("\ufeffThe vote was 7-2.\r\nThe mayor called it \"a good day for the city\".\r\n"
                "Cafe\u0301 owners cheered 🎉").encode()),
        replace("content/facts/reactions.yaml", 'quote: "Café owners cheered 🎉"',
                'quote: "Cafe\u0301 owners cheered 🎉"'),
        fact(cite('"The vote was 7-2."', start=1, end=18) + cite('"7-2.\\r\\nThe mayor"', start=14, end=29))), 0, ()),
    Case("source-nfc-quote-of-nfd-text", herald(HERALD_TEXT.replace("é", "e\u0301").encode()), 1, (
        "content/facts/reactions.yaml:23:14: error: quote not found in source 'herald' [anchor]",
        "  note: the quote and the source write accented letters differently (Unicode NFC/NFD); copy the quote "
        "from the source file itself")),
    Case("text-bidi-override", replace(VOTE, "the Gazette reported.", "the \u202eGazette reported."), 1, (
        "content/facts/vote.yaml:13:14: error: 'statement' holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character "
        "39: it changes how the text displays without being seen; delete it [control-character]",
        # the echoed line shows a replacement character, never the override itself
        '      statement: "The bridge will cost £12 million, the \ufffdGazette reported."')),
    Case("text-isolate-in-title", replace("content/briefing.yaml", 'title: "The bridge vote"',
                                          'title: "The bridge \\u2067vote"'), 1, (
        "content/briefing.yaml:1:8: error: 'title' holds U+2067 (RIGHT-TO-LEFT ISOLATE) at character 12: it "
        "changes how the text displays without being seen; delete it [control-character]",)),
    Case("text-escape-sequence", replace(VOTE, '"The bridge will cost', '"\\e[2J\\e[31mThe bridge will cost'), 1, (
        "content/facts/vote.yaml:13:14: error: 'statement' holds control character U+001B at character 1: it "
        "changes how the text displays without being seen; delete it [control-character]",)),
    Case("text-control-in-cited-source", steps(
        herald(HERALD_TEXT.replace("The vote was", "The vote\x1b[1m was").encode()),
        replace(VOTE, 'quote: "The vote was 7-2."', 'quote: "The vote\\e[1m was 7-2."')), 1, (
        "content/facts/vote.yaml:9:14: warning: the cited passage holds control character U+001B at character "
        "9; it is rendered as the source has it [control-character]",),
        args=("build", "--content", "content", "--out", "out", "--strict")),
    # Messages quote content: a control character in one reaches the terminal only as an escape.
    Case("text-control-in-message", replace(VOTE, "section: vote\n  when", "section: \"v\\e]0;pwn\\a\"\n  when"), 1, (
        "content/facts/vote.yaml:11:12: error: 'section' must be a section id: ASCII letters, digits, '-', '_' or '.', "
        "not \"v\\x1b]0;pwn\\x07\" [format]",)),
    # Rendering at scale: thousands of facts in one section build, in time and memory limits. The
    # statement states no figure and only a word of what it cites, so every verification rule
    # passes and the build is clean; the facts are told apart by their ids.
    Case("render-2000-facts-in-one-section", write(EXTRA, "".join(
        f"- id: many-{i}\n  section: vote\n  statement: Vote of many.\n  citations:\n"
        f"    - source: herald\n      quote: The vote was 7-2.\n" for i in range(2000))), 0, ()),
    # Output
    *[Case(f"out-{label}", lambda f: None, 2, (
        f"factsheet: error: output folder {out} overlaps the content folder content; choose a folder outside it "
        "(default: build/)",), args=("build", "--content", "content", "--out", out))
      for label, out in [("content", "content"), ("sources", "content/sources"),
                         ("source-file", "content/sources/herald.txt"), ("inside", "content/facts/build")]],
    Case("out-link-to-content", symlink("out2", "content"), 2, (
        "factsheet: error: output folder out2 overlaps the content folder content; choose a folder outside it "
        "(default: build/)",), args=("build", "--content", "content", "--out", "out2")),
    Case("out-is-a-file", write("notes.txt", "mine"), 2, (
        "factsheet: error: output path notes.txt exists and is not a folder",),
         args=("build", "--content", "content", "--out", "notes.txt")),
    Case("out-output-name-is-a-folder", lambda f: None, 1, (
        "factsheet: error: cannot write out/briefing.pdf: a folder of that name is in the way; previous files "
        "are unchanged",), before=lambda f: (f / "out/briefing.pdf").unlink() or (f / "out/briefing.pdf").mkdir()),
    Case("out-full", lambda f: None, 1, (
        "factsheet: error: cannot write to out: File too large; previous files are unchanged",), fsize=3000),
    Case("out-killed-while-writing", lambda f: None, -signal.SIGXFSZ, (), fsize=3000, killable=True),
    Case("out-read-only", lambda f: None, 1, (
        "factsheet: error: cannot write to out: Permission denied; previous files are unchanged",),
         unprivileged=True, before=lambda f: (f / "out").chmod(0o555)),
    Case("out-read-only-new-folder", lambda f: None, 1, (
        "factsheet: error: cannot create output folder locked/out: Permission denied",),
         args=("build", "--content", "content", "--out", "locked/out"), unprivileged=True,
         before=lambda f: (f / "locked").mkdir(mode=0o555)),
    Case("usage-no-content", lambda f: shutil.rmtree(f / "content") or (f / "content").mkdir(), 1, (
        "content/briefing.yaml:1:1: error: file not found: content/briefing.yaml [format]",
        "content/facts:1:1: error: the briefing has no facts yet: write them in facts/*.yaml, each citing the "
        "words of a source registered in sources/sources.yaml (`factsheet locate SOURCE \"words\"` prints a "
        "citation to paste) [format]")),
    Case("usage-content-missing", lambda f: None, 2, ("factsheet: error: content folder not found: nowhere",),
         args=("check", "--content", "nowhere")),
]


# --- running ------------------------------------------------------------------------------------

@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    content_before: dict[str, str]
    content_after: dict[str, str]
    out_before: dict[str, str]
    out_after: dict[str, str]
    folder: Path = field(default=Path())
    seconds: float = 0.0  # the command's wall-clock time


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder`` (links not followed), hidden ones included."""
    found = {}
    for p in sorted(folder.rglob("*")) if folder.is_dir() else ():
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            found[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            found[rel] = f"folder:{stat.S_IMODE(p.stat().st_mode):o}"
    return found


def run_limited(argv: list[str], **kw) -> subprocess.CompletedProcess:
    """``subprocess.run(argv, capture_output=True, text=True, **kw)``, stopped as a hang (raising
    TimeoutExpired) if the process goes STALL seconds without using processor time, or runs TIMEOUT."""
    began = time.monotonic()
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw) as proc:
        ticks, since = None, began
        while True:
            try:
                out, err = proc.communicate(timeout=1)
                return subprocess.CompletedProcess(argv, proc.returncode, out, err)
            except subprocess.TimeoutExpired:
                now, used = time.monotonic(), cpu_ticks(proc.pid)
                if used != ticks:
                    ticks, since = used, now
                if now - since > STALL or now - began > TIMEOUT:
                    proc.kill()
                    out, err = proc.communicate()
                    raise subprocess.TimeoutExpired(argv, now - began, out, err) from None


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("FACTSHEET_DEBUG", "CI")}


def run_command(forks: ForkServer, args: tuple[str, ...] | list[str], folder: Path, *, fsize: int | None = None,
                killable: bool = False, unprivileged: bool = False) -> subprocess.CompletedProcess:
    """``python -m factsheet ARGS`` in ``folder`` under the limits, forked from the server."""
    return forks.run(list(args), folder, memory=MEMORY, cpu=CPU_SECONDS, fsize=fsize, stall=STALL, timeout=TIMEOUT,
                     killable=killable, unprivileged=unprivileged)


def run_case(case: Case, base: Path, forks: ForkServer) -> Result:
    folder = base / case.name
    shutil.copytree(FIXTURE, folder / "content")
    (folder / "out").mkdir()
    for name in OUTPUTS:
        (folder / "out" / name).write_bytes(f"previous {name}\n".encode())
    case.prepare(folder)
    if case.before:
        case.before(folder)
    content_before, out_before = tree_hashes(folder / "content"), tree_hashes(folder / "out")
    began = time.monotonic()
    proc = run_command(forks, case.args, folder, fsize=case.fsize, killable=case.killable,
                       unprivileged=case.unprivileged)
    return Result(proc.returncode, proc.stdout, proc.stderr, content_before, tree_hashes(folder / "content"),
                  out_before, tree_hashes(folder / "out"), folder, time.monotonic() - began)


@pytest.fixture(scope="module")
def base() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="factsheet-hostile-"))
    yield folder
    for p in folder.rglob("*"):
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(folder)


SLOWEST = "render-2000-facts-in-one-section"


def lays_out_a_pdf(case: Case) -> bool:
    """The builds that succeed, and those that fail only when writing (WeasyPrint runs first)."""
    return case.code == 0 or case.fsize is not None or case.unprivileged or case.before is not None


@pytest.fixture(scope="module")
def started(request, base: Path, server):
    """Every case, and the markup build, started on a pool of threads the size of the machine
    (only what the selected tests use: ``-k test_markup`` runs no case)."""
    used = {name for item in request.session.items if getattr(item, "module", None) is request.module
            for name in getattr(item, "fixturenames", ())}
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1))
    ordered = sorted(CASES, key=lambda case: (case.name != SLOWEST, not lays_out_a_pdf(case))) \
        if "results" in used else []
    forks = ForkServer(base, _env(), FIXTURE, DEFAULT_TEMPLATES)
    futures = {case.name: pool.submit(run_case, case, base, forks) for case in ordered[:1]}
    markup = pool.submit(build_hostile, base, server.server_address[1], forks) if "hostile" in used else None
    futures.update((case.name, pool.submit(run_case, case, base, forks)) for case in ordered[1:])
    yield futures, markup
    pool.shutdown(wait=True, cancel_futures=True)
    forks.close()


@pytest.fixture(scope="module")
def results(started) -> dict[str, Result]:
    futures, _ = started
    return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, results: dict[str, Result]) -> None:
    result = results[case.name]
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert result.code == case.code, shown
    printed = result.stderr.splitlines()
    for line in case.lines:
        assert line in printed, f"missing line:\n{line}\n--- printed:\n{result.stderr[:3000]}"
    assert result.content_after == result.content_before
    if case.code == 0:
        # The six outputs and the record of what they were built from (factsheet/cache.py), nothing else.
        assert sorted(result.out_after) == sorted(OUTPUTS + (".factsheet-cache.json",))
        assert all(result.out_after[n] != result.out_before[n] for n in OUTPUTS)
    else:
        assert result.out_after == result.out_before  # byte-identical, no temporary file left


def test_a_failed_build_says_nothing_was_written(results: dict[str, Result]) -> None:
    # The summary counts what could be read (vote.yaml could not), then says nothing was written.
    # vote.yaml could not be read: its facts are not counted, and the warning that would follow only
    # from its absence (section 'vote' has no facts) is left out, saying so.
    assert results["yaml-syntax"].stderr.splitlines()[-2:] == [
        "3 facts, 5 citations, 2 sources: 1 error, 0 warnings; content/facts/vote.yaml could not be read, so it "
        "is not counted and 1 finding that only follows from that is not shown", "build failed: nothing was written"]
    assert NO_FACT_IN_VOTE not in results["yaml-syntax"].stderr.splitlines()


def test_yaml_11_coercions_keep_the_text_as_written(results: dict[str, Result]) -> None:
    import json

    data = json.loads((results["yaml-1.1-coercions-stay-text"].folder / "out/briefing.json").read_text())
    facts = {f["id"]: f for f in data["facts"]}
    assert facts["bridge-cost"]["statement"] == "no"
    assert facts["bridge-cost"]["when"] == "2018-03-21"
    md = (results["yaml-1.1-coercions-stay-text"].folder / "out/briefing.md").read_text()
    assert 'tags: ["on", "0777", "1_000", "yes"]' in md


def test_offsets_count_code_points_with_bom_crlf_and_nfd_kept(results: dict[str, Result]) -> None:
    import json

    result = results["source-bom-crlf-nfd"]
    text = (result.folder / "content/sources/herald.txt").read_bytes().decode("utf-8")
    assert text[0] == "\ufeff" and "\r\n" in text
    data = json.loads((result.folder / "out/briefing.json").read_text())
    spans = {(c["start"], c["end"], c["text"])
             for f in data["facts"] for c in f["citations"] if c["source"] == "herald"}
    assert (1, 18, "The vote was 7-2.") in spans  # the BOM is code point 0
    assert (14, 29, "7-2.\r\nThe mayor") in spans  # CR LF counts two
    cafe = next(s for s in spans if s[2].startswith("Cafe"))
    assert cafe == (68, 90, "Cafe\u0301 owners cheered 🎉")  # NFD: the accent is its own code point
    assert all(text[start:end] == span for start, end, span in spans)


def test_thousands_of_facts_all_rendered(results: dict[str, Result]) -> None:
    result = results["render-2000-facts-in-one-section"]
    assert result.stderr.splitlines()[-1] == "2005 facts, 2008 citations, 2 sources: 0 errors, 0 warnings"
    out = result.folder / "out"
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<p class="fact single-source" id="fact-many-\d+">Vote of many\.<span class="cite"><a '
                          r'id="cite-many-\d+-1" href="#ev-many-\d+-1"', html)) == 2000
    assert len(re.findall(r'<li id="ev-many-\d+-1">', html)) == 2000  # each call's evidence entry
    assert '<p class="fact single-source" id="fact-many-1999">Vote of many.<span class="cite">' in html
    md = (out / "briefing.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^Vote of many\.\[\^many-\d+-1\] \*\(single source\)\*$", md, re.M)) == 2000
    assert len(re.findall(r"^\[\^many-\d+-1\]: Bridge approved: “The vote was 7-2\.”$", md, re.M)) == 2000
    # Content order (-raw): every statement laid out is in the text, without the reading-order
    # analysis of 113 pages (half of pdftotext's 5 s).
    pdf_text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(out / "briefing.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    assert pdf_text.count("Vote of many.") == 2000
    print(f"2,000 facts in one section: built in {result.seconds:.1f} s")


def test_killed_build_left_no_trace(results: dict[str, Result]) -> None:
    # The kill came while the outputs were being written (the file size limit is below the HTML's size).
    result = results["out-killed-while-writing"]
    assert result.code == -signal.SIGXFSZ
    assert result.stdout == "" and result.out_after == result.out_before


def test_an_internal_error_is_one_short_message(base: Path) -> None:
    # A content folder that is a FIFO-filled trap would be contrived; a bug is simulated by a
    # template folder whose template raises, which is trusted code failing, not content.
    folder = base / "internal-error"
    shutil.copytree(FIXTURE, folder / "content")
    templates = folder / "templates"
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    (templates / "briefing.md.j2").write_text("{{ briefing.facts[0].citations[0].span.start // 0 }}\n")
    argv = [sys.executable, "-m", "factsheet", "build", "--content", "content", "--out", "out",
            "--templates", "templates"]
    env = {k: v for k, v in os.environ.items() if k != "FACTSHEET_DEBUG"}
    quiet = run_limited(argv, cwd=folder, env=env)
    assert quiet.returncode == 3
    assert quiet.stderr.splitlines()[-2:] == [
        "factsheet: internal error: ZeroDivisionError: integer division or modulo by zero",
        "factsheet: this is a bug in factsheet, not in your content; run again with FACTSHEET_DEBUG=1 to see "
        "the traceback, and report it"]
    assert "Traceback" not in quiet.stderr
    loud = run_limited(argv, cwd=folder, env={**env, "FACTSHEET_DEBUG": "1"})
    assert loud.returncode == 1 and "Traceback" in loud.stderr and "ZeroDivisionError" in loud.stderr
    assert not (folder / "out").exists()


# --- markup and rendering: one build holding every hostile statement ----------------------------

def hostile_statements(port: int) -> list[str]:
    """Statements that would be markup, template or a fetch if they were not escaped."""
    here = f"http://127.0.0.1:{port}"
    return [
        "<script>alert(1)</script> and </p><p>",
        f'<img src="{here}/img" onerror="alert(1)">',
        f"<style>body {{ background: url({here}/css) }} @import url('{here}/import');</style>",
        f'<link rel="stylesheet" href="{here}/link"><link rel="attachment" href="file:///etc/passwd">',
        f'<a rel="attachment" href="{here}/attachment">attach</a> <object data="{here}/object"></object>',
        f"[click](javascript:alert(1)) <javascript:alert(1)> ![image]({here}/markdown-image)",
        f'[ref][1] and ![ref image][1]\n\n[1]: {here}/reference "title"',
        "*emphasis* _under_ **strong** __strong__ `code` ``two`` ~~strike~~ ==mark== ^sup^ ~sub~",
        "# not a heading",
        "1. not a list",
        "2015. The year, not a list item",
        "- not an item; + nor this; * nor this",
        "> not a quote",
        "| not | a | table |\n|---|---|---|\n| x | y | z |",
        "[^1] is not a footnote, nor is this:\n[^1]: a definition",
        "two trailing spaces  \nare not a line break\\\nnor is a backslash",
        "&amp; &lt;b&gt; &#x41; &#65; &copy; &nbsp; &bogus; & alone",
        "{{ config.site_name }} {% include 'x.html' %} {{< shortcode >}} {{% raw %}} {#comment#}",
        "${site.title} <%= evil %> {{{triple}}} {: .attr onclick=\"x\"} {#anchor}",
        "*[HTML]: an abbreviation definition",
        "Term\n: a definition list",
        '!!! warning "not an admonition"',
        "```\nnot code\n```\n~~~python\nnor this\n~~~",
        "<!-- not a comment --> <![CDATA[nor this]]> <?php echo 1; ?>",
        "--- not a rule --- and *** nor this *** and ___",
        "Setext\n===\nnot a heading either\n---",
        ":smile: :+1: and a: colon",
        "\\* backslash \\\\ \\` \\_ and a final backslash \\",
        "https://evil.example/path?q=1&x=<y> www.evil.example user@evil.example",
        "Arabic \u0645\u0631\u062d\u0628\u0627 with a right-to-left mark \u200f and Hebrew \u05e9\u05dc\u05d5\u05dd",
        "Café, naïve, Ωmega, 中文, 😀 and \u00a0non-breaking\u00a0spaces",
        "<div markdown=\"1\">*md in html*</div>",
        "\"quotes\" 'single' -- dashes --- ... ellipsis (c) (tm) <<guillemets>>",
        "A" * 3000,  # one unbroken token
        *["[" * 4000] * 5,  # 20,000 '[' in all, the pathological case of cmark's tests
        "[" * 1000 + "x" + "]" * 1000 + "(" * 500 + ")" * 500,
        "*" * 2000 + "_" * 1000 + "`" * 500,
        ">" * 1000 + " nested",
        "<" * 1000 + "a" + ">" * 1000,
    ]


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        _Counter.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _yaml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


CAPTURE_URL = "http://127.0.0.1:{port}/capture-page"
# The text of each PDF page without its running header and footer (A4, templates/print.css puts
# them in the 24 mm top and 26 mm bottom margins), so that a statement running across a page
# break reads on; in content order (-raw), which keeps a hyphen that ends a line where the plain
# mode would drop it as if the word had been hyphenated.
PDF_BODY = ("-x", "0", "-y", "64", "-W", "600", "-H", "708")


def hostile_content(folder: Path, port: int) -> tuple[list[str], str]:
    """A content folder whose facts state every hostile statement; (statements, cited passage).

    Web captures are where such strings come from: one captured page holds every statement, and
    each fact quotes its own statement from it (with offsets where the same words occur twice), so
    the quoted-words and figures rules find everything the statement says in its cited span and
    every verification rule runs, and passes, on hostile text.
    """
    statements = hostile_statements(port)
    shutil.copytree(FIXTURE, folder / "content")
    starts, at = [], 0
    for s in statements:
        starts.append(at)
        at += len(s) + 2
    capture = "\n\n".join(statements) + "\n"
    raw = capture.encode("utf-8")
    (folder / "content/sources/capture.txt").write_bytes(raw)
    with open(folder / SOURCES, "a", encoding="utf-8") as handle:
        handle.write(f"- id: capture\n  file: capture.txt\n  title: \"A captured page\"\n"
                     f"  url: {CAPTURE_URL.format(port=port)}\n  sha256: {hashlib.sha256(raw).hexdigest()}\n")
    facts = ""
    for i, (s, start) in enumerate(zip(statements, starts, strict=True)):
        assert capture[start : start + len(s)] == s
        offsets = (f"      start: {start}\n      end: {start + len(s)}\n"
                   if capture.count(s) > 1 or capture.find(s) != start else "")
        facts += (f"- id: hostile-{i}\n  section: vote\n  statement: {_yaml_string(s)}\n  citations:\n"
                  f"    - source: capture\n      quote: {_yaml_string(s)}\n{offsets}")
    # Source texts are untrusted too: a cited passage is shown, in its note, as the source has it.
    passage = f'<img src="http://127.0.0.1:{port}/source-img" onerror="alert(1)"> [^9]: *x* {{{{ y }}}} &amp;'
    herald((HERALD_TEXT + " " + passage).encode("utf-8"))(folder)
    facts += (f"- id: hostile-source\n  section: vote\n  statement: From the source.\n  citations:\n"
              f"    - source: herald\n      quote: {_yaml_string(passage)}\n")
    (folder / "content/facts/hostile.yaml").write_text(facts, encoding="utf-8")
    # A source URL is a link for the reader, never something the renderer fetches.
    replace(SOURCES, "url: null", f"url: http://127.0.0.1:{port}/source-page")(folder)
    return statements, passage


def build_hostile(base: Path, port: int, forks: ForkServer) -> dict:
    folder = base / "markup"
    statements, passage = hostile_content(folder, port)
    proc = run_command(forks, ["build", "--content", "content", "--out", "out"], folder)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    out = folder / "out"
    return {"statements": statements, "out": out, "passage": passage, "requests": list(_Counter.requests),
            "port": port, "content": folder / "content", "stderr": proc.stderr,
            "md": (out / "briefing.md").read_text(encoding="utf-8"),
            "html": (out / "briefing.html").read_text(encoding="utf-8"),
            "pdf_body": subprocess.run(["pdftotext", "-raw", *PDF_BODY, "-enc", "UTF-8", str(out / "briefing.pdf"),
                                        "-"], capture_output=True, text=True, check=True).stdout,
            # every word of every page, margins included, with its place
            "bbox": subprocess.run(["pdftotext", "-bbox", str(out / "briefing.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout}


@pytest.fixture(scope="module")
def hostile(started) -> dict:
    """The markup build, and what each reader makes of it, read once for every test below."""
    _, markup = started
    built = markup.result()
    return {**built, "page": _page(built["html"]),
            "md_pages": {reader: _page(_markdown_html(built, reader)) for reader in READERS},
            "pdf_body_form": _pdf_form(built["pdf_body"], hyphenated=True)}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Every element's text by id, every tag and attribute, and each footnoted paragraph's text.

    ``text[id]`` is all of an element's text; ``own[id]`` leaves out what its citation calls hold
    (python-markdown's ``<sup>`` footnote calls, the page's ``<span class="cite">`` with its
    tooltip, and its ``<span class="marks">`` after the statement); ``paragraphs[label]`` is ``own`` for the ``<p>`` holding footnote call ``fnref:label``;
    ``marks[id]`` the text of each ``<mark>`` inside the element of that id.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = {}
        self.own: dict[str, str] = {}
        self.paragraphs: dict[str, str] = {}
        self.marks: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict]] = []
        self._open: list[dict] = []  # tag, id, whether it is a citation call, text, own text, labels

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        call = tag == "sup" or bool({"cite", "marks"} & set((attrs.get("class") or "").split()))
        self._open.append({"tag": tag, "id": attrs.get("id"), "call": call, "text": [], "own": [], "labels": []})
        if tag == "sup" and (attrs.get("id") or "").startswith("fnref:"):
            paragraph = next((e for e in reversed(self._open) if e["tag"] == "p"), None)
            if paragraph is not None:
                paragraph["labels"].append(attrs["id"].split(":", 1)[1])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID or not any(e["tag"] == tag for e in self._open):
            return
        while True:
            element = self._open.pop()
            self._close(element)
            if element["tag"] == tag:
                return

    def _close(self, element: dict) -> None:
        own = "".join(element["own"])
        if element["id"]:
            self.text[element["id"]] = "".join(element["text"])
            self.own[element["id"]] = own
        if element["tag"] == "p" and element["labels"]:
            self.paragraphs[element["labels"][0]] = own
        if element["tag"] == "mark":
            holder = next((e["id"] for e in reversed(self._open) if e["id"]), None)
            self.marks.setdefault(holder, []).append("".join(element["text"]))

    def handle_data(self, data):
        inside_call = False
        for element in reversed(self._open):  # innermost first: a call hides text from those around it
            element["text"].append(data)
            if not inside_call:
                element["own"].append(data)
            inside_call |= element["call"]


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _shown(statement: str) -> str:
    # What a statement is meant to look like in Markdown: its own characters, white space runs as one space.
    return re.sub(r"[ \t\r\n\f\v]+", " ", statement).strip(" ")


MKDOCS_EXTENSIONS = ["footnotes", "toc", "tables", "attr_list", "md_in_html", "admonition", "def_list",
                     "abbr", "fenced_code", "meta", "sane_lists", "smarty"][:-1]  # smarty rewrites quotes


def _mkdocs_html(md: str) -> str:
    import markdown

    from factsheet.outputs.sitemarkdown import strip_front_matter

    return markdown.markdown(strip_front_matter(md), extensions=MKDOCS_EXTENSIONS)


READERS = ("python-markdown", "mkdocs-style")


def _markdown_html(hostile: dict, reader: str) -> str:
    """The Markdown output as HTML: python-markdown as factsheet configures it, or as MkDocs does."""
    from factsheet.outputs.sitemarkdown import rendered as markdown_to_html

    return markdown_to_html(hostile["md"]) if reader == "python-markdown" else _mkdocs_html(hostile["md"])


N_HOSTILE = len(hostile_statements(0))
SINGLE = " (single source)"  # the Markdown marks a fact that one source alone supports
CAPTURE = "A captured page"  # how the notes name the capture (its title: it has no publisher)
BACK = "\xa0↩"  # python-markdown's link from a note back to its call


def _call_number(html: str, label: str) -> int:
    """The note number the renderers give citation ``label`` (the page and the PDF count alike)."""
    return int(re.search(rf'<a id="cite-{label}" [^>]*><span class="visually-hidden">evidence </span>(\d+)</a>',
                         html).group(1))


@pytest.mark.parametrize("i", range(N_HOSTILE))
def test_markup_statement_renders_literally(hostile: dict, i: int) -> None:
    statement = hostile["statements"][i]
    label = f"hostile-{i}-1"
    # The web page: the statement, its tooltip and its evidence hold exactly the characters curated.
    page = hostile["page"]
    assert page.own[f"fact-hostile-{i}"] == statement
    assert page.text[f"tip-{label}"] == f"{CAPTURE}: “{statement}”"
    assert page.marks[f"ev-{label}"] == [statement]
    # The Markdown, read by python-markdown as factsheet and as MkDocs configure it.
    for reader in READERS:
        md_page = hostile["md_pages"][reader]
        assert md_page.paragraphs[label] == _shown(statement) + SINGLE, reader
        assert md_page.own[f"fn:{label}"].strip() == f"{CAPTURE}: “{_shown(statement)}”{BACK}", reader
    # The PDF: the statement, then its note call and the single-source badge (so the fact itself,
    # not only its endnote or its passage in the evidence appendix).
    number = _call_number(hostile["html"], label)
    assert _pdf_form(f"{statement} {number} SINGLE SOURCE") in hostile["pdf_body_form"]


def _pdf_form(text: str, hyphenated: bool = False) -> str:
    """Text as compared with pdftotext's: no white space, no hyphen added where a line was broken
    (U+2010), and no bidi marks (pdftotext wraps right-to-left runs in U+202B…U+202C)."""
    if hyphenated:
        text = text.replace("\u2010\n", "")
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def test_markup_cited_passage_shows_literally(hostile: dict) -> None:
    passage = hostile["passage"]
    page = hostile["page"]
    assert page.text["tip-hostile-source-1"] == f"Bridge approved: “{passage}”"
    assert page.marks["ev-hostile-source-1"] == [passage]
    for reader in READERS:
        note = hostile["md_pages"][reader].own["fn:hostile-source-1"]
        assert note.strip() == f"Bridge approved: “{passage}”{BACK}", reader
    assert _pdf_form(f"Bridge approved: “{passage}”") in hostile["pdf_body_form"]


PAGE_TAGS = {"html", "head", "meta", "title", "link", "style", "body", "a", "header", "h1", "h2", "h3", "p", "time",
             "nav", "ol", "ul", "li", "main", "section", "strong", "span", "blockquote", "mark", "cite", "br", "code",
             "script"}  # what templates/briefing.html.j2 writes
MARKDOWN_TAGS = {"h1", "h2", "h3", "p", "sup", "a", "div", "hr", "ol", "ul", "li", "em", "strong", "code"}


def _allowed_link(href: str, hostile: dict) -> bool:
    """An in-page anchor, or a source's own URL, optionally scrolled to a passage (a text
    fragment, percent-encoded: nothing in it can end the link or start another)."""
    if href.startswith("#"):
        return True
    port = hostile["port"]
    for url in ("https://gazette.example/bridge", f"http://127.0.0.1:{port}/source-page",
                CAPTURE_URL.format(port=port)):
        if href == url or (href.startswith(url + "#:~:text=")
                           and re.fullmatch(r"[A-Za-z0-9%._~,-]+", href[len(url) + 9:])):
            return True
    return False


@pytest.mark.parametrize("renderer", ["page", *READERS])
def test_markup_makes_no_element_no_script_no_fetch(hostile: dict, renderer: str) -> None:
    tags = (hostile["page"] if renderer == "page" else hostile["md_pages"][renderer]).tags
    names = [t for t, _ in tags]
    assert set(names) <= (PAGE_TAGS if renderer == "page" else MARKDOWN_TAGS)
    # the template's own style sheet, script and (data: URL, fetching nothing) icon; none from content
    expected = (1, 1, 1) if renderer == "page" else (0, 0, 0)
    assert (names.count("style"), names.count("script"), names.count("link")) == expected
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on") or a in ("src", "data", "srcset", "style", "markdown")]
        if tag == "link":
            assert attrs == {"rel": "icon", "href": "data:,"}
            continue
        assert attrs.get("rel") in (None, "noopener noreferrer"), attrs
        href = attrs.get("href")
        assert href is None or _allowed_link(href, hostile), href


def _embedded_file_streams(pdf: bytes) -> int:
    # A stream cannot sit inside an object stream, so every embedded file's dictionary is in the
    # file as written; /EmbeddedFiles (the name tree) is not counted.
    return len(re.findall(rb"/Type\s*/EmbeddedFile(?![A-Za-z])", pdf))


def test_rendering_fetched_nothing_and_embedded_only_the_content(hostile: dict) -> None:
    from pypdf import PdfReader

    assert hostile["requests"] == []
    assert _Counter.requests == []
    pdf = hostile["out"] / "briefing.pdf"
    reader = PdfReader(pdf)
    # PDF/A-3 attaches the content files the briefing was built from, byte for byte, and nothing
    # else: no file named in content (file:///etc/passwd, <link rel="attachment">) was pulled in.
    content = hostile["content"]
    expected = {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()}
    assert "sources/capture.txt" in expected
    assert {name: data[0] for name, data in reader.attachments.items()} == expected
    assert all(len(data) == 1 for data in reader.attachments.values())
    assert _embedded_file_streams(pdf.read_bytes()) == len(expected)
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link", annot  # no /FileAttachment, no widget
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    assert links and all(_allowed_link(uri, hostile) for uri in links), links
    assert "root:" not in hostile["bbox"]  # /etc/passwd was not pulled in: no word of any page holds it


def test_hostile_briefing_passes_every_rule(hostile: dict) -> None:
    assert hostile["stderr"].splitlines() == [
        f"{N_HOSTILE + 6} facts, {N_HOSTILE + 9} citations, 3 sources: 0 errors, 0 warnings"]


def test_long_token_stays_on_the_page(hostile: dict) -> None:
    pages = re.findall(r'<page width="([\d.]+)"', hostile["bbox"])
    width = float(pages[0])
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', hostile["bbox"])]
    assert len(right_edges) > 100
    assert max(right_edges) <= width
    assert "A" * 3000 in _pdf_form(hostile["pdf_body"])
