"""``factsheet review``: a reviewer reads each fact against its evidence and records a verdict.

Stamps are appended to ``content/reviews.yaml`` (the file is otherwise left byte for byte as it
was, comments included), each with the digest of what the reviewer saw, so any later change to
the statement or its cited spans makes the stamp stale (``verification/review.py``). Nothing is stamped
unseen: every fact is shown — its statement, the support findings on it, and each cited sentence
with the cited words marked — before its verdict is recorded, and only the facts named (or, in the
walk-through, each one in turn) are stamped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_file
from factsheet.model import Briefing, Diagnostic, Fact
from factsheet.outputs.passages import sentence_context
from factsheet.sources.load import REVIEWS
from factsheet.verification.review import VERDICTS, digest

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HEADER = ("# Review stamps, appended by `factsheet review`: who read which fact against its evidence,\n"
           "# when, with what verdict. The digest pins what they saw; edit nothing by hand.\n")


@dataclass(frozen=True)
class Stamp:
    fact: Fact
    reviewer: str
    date: str
    verdict: str
    note: str | None


def findings_on(fact: Fact, report: Report) -> list[Diagnostic]:
    """The diagnostics (support findings and other warnings) that point into this fact."""
    here = fact.location
    return [d for d in report.sorted() if d.location.path == here.path and d.location.node[:1] == here.node[:1]]


def findings_by_fact(briefing: Briefing, report: Report) -> dict[str, list[Diagnostic]]:
    """``findings_on`` for every fact at once, by fact id, in one pass over the report: a list of
    facts to review asked the report about each fact in turn (48 s for 10,000 facts)."""
    place = {(f.location.path, f.location.node[:1]): f.id for f in briefing.facts}
    found: dict[str, list[Diagnostic]] = {f.id: [] for f in briefing.facts}
    for d in report.sorted():
        fact_id = place.get((d.location.path, d.location.node[:1]))
        if fact_id is not None:
            found[fact_id].append(d)
    return found


def show(fact: Fact, briefing: Briefing, report: Report) -> str:
    """A fact as a reviewer reads it: statement, findings, and each cited sentence, cited words marked."""
    lines = [f"fact {fact.id} ({fact.location})", f"  {fact.statement}"]
    lines += [f"  ! {d.message} [{d.rule}]" for d in findings_on(fact, report)]
    for c in fact.citations:
        assert c.span is not None
        source = briefing.source(c.source)
        p = sentence_context(source, c.span)
        lines.append(f"  [{c.number}] {source.name}, {c.span.start}–{c.span.end}:")
        shown = f"{_flat(p.before)}»{_flat(p.text)}«{_flat(p.after)}"
        lines.append(f"      {'… ' * p.cut_before}{shown}{' …' * p.cut_after}")
    if fact.review and (fact.review.current or fact.review.stale):
        for r in fact.review.current:
            lines.append(f"  reviewed {r.date} by {r.reviewer}: {r.verdict}" + (f" ({r.note})" if r.note else ""))
        for r in fact.review.stale:
            lines.append(f"  stale stamp {r.date} by {r.reviewer} (the fact changed since)")
    return "\n".join(lines)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def check_reviewer(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 400 or any(ord(c) < 32 for c in name):
        raise UsageError("--reviewer needs a name (one line, at most 400 characters)")
    return name


def check_date(date: str) -> str:
    if not _DATE.match(date):
        raise UsageError(f"--date must be YYYY-MM-DD, not {date!r}")
    return date


def facts_named(briefing: Briefing, ids: list[str]) -> list[Fact]:
    by_id = {f.id: f for f in briefing.facts}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"no fact {', '.join(repr(i) for i in unknown)} in the briefing")
    return [by_id[i] for i in dict.fromkeys(ids)]


def record(content: Path, briefing: Briefing, stamps: list[Stamp]) -> Path:
    """Append the stamps to reviews.yaml, atomically; the rest of the file is kept as it was."""
    path = Path(content) / REVIEWS
    old = path.read_bytes() if path.exists() else _HEADER.encode("utf-8")
    if old and not old.endswith(b"\n"):
        old += b"\n"
    text = "".join(_entry(s, briefing) for s in stamps)
    write_file(path, old + text.encode("utf-8"))
    return path


def _entry(s: Stamp, briefing: Briefing) -> str:
    # Every string as a JSON string: valid YAML, and nothing a name holds can change its meaning.
    lines = [f"- fact: {s.fact.id}", f"  reviewer: {json.dumps(s.reviewer, ensure_ascii=False)}",
             f'  date: "{s.date}"', f"  verdict: {s.verdict}"]
    if s.note:
        lines.append(f"  note: {json.dumps(s.note, ensure_ascii=False)}")
    lines.append(f"  digest: {digest(s.fact, briefing)}")
    return "\n".join(lines) + "\n"


def listing(briefing: Briefing) -> str:
    """Every fact with its review state, as ``review --list`` prints it."""
    lines = []
    for f in briefing.facts:
        state = f.review.state if f.review else "unreviewed"
        who = ""
        if f.review and f.review.current:
            who = " by " + ", ".join(f"{r.reviewer} ({r.verdict}, {r.date})" for r in f.review.current)
        elif f.review and f.review.stale:
            who = " (stamped by " + ", ".join(dict.fromkeys(r.reviewer for r in f.review.stale)) + " before it changed)"
        lines.append(f"{f.id}: {state}{who}")
    counts = {s: sum(1 for f in briefing.facts if (f.review.state if f.review else "unreviewed") == s)
              for s in ("reviewed", "disputed", "stale", "unreviewed")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()) + f" of {len(briefing.facts)} facts")
    return "\n".join(lines) + "\n"


_ANSWERS = {"s": "supported", "p": "partly", "u": "unsupported"}


def walk(facts: list[Fact], briefing: Briefing, report: Report, reviewer: str, date: str,
         ask: Callable[[str], str], say: Callable[[str], None]) -> list[Stamp]:
    """One fact at a time: show it, ask for a verdict (s, p, u, an optional ': note'; Enter skips,
    q stops). Returns the stamps given, in order."""
    stamps = []
    for n, fact in enumerate(facts, 1):
        say(f"\n({n} of {len(facts)}) " + show(fact, briefing, report))
        while True:
            answer = ask("verdict? [s]upported [p]artly [u]nsupported, ': note' optional; Enter skips, q stops: ")
            key, _, note = answer.partition(":")
            key = key.strip().lower()
            if key in ("", "q") or key in _ANSWERS:
                break
            say("answer s, p, u, Enter or q")
        if key == "q":
            break
        if key:
            stamps.append(Stamp(fact, reviewer, date, _ANSWERS[key], note.strip() or None))
    return stamps


def require_verified(briefing: Briefing | None, report: Report) -> Briefing:
    if briefing is None:
        raise ContentError(report)
    return briefing


__all__ = ["VERDICTS", "Stamp", "check_date", "check_reviewer", "facts_named", "listing", "record",
           "require_verified", "show", "walk"]
