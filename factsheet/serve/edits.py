"""The app's writes: a citation added to a fact or starting a new one, a fact's statement or
section changed, a drift proposal accepted, a review stamp recorded. Each is computed from the
briefing as last loaded, then saved through ``changes.save`` (checked, written, loaded again)."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from factsheet.curate import review
from factsheet.diagnostics import Report
from factsheet.errors import UsageError
from factsheet.model import Briefing, Fact
from factsheet.pipeline import examine, render
from factsheet.serve import yamledit
from factsheet.serve.changes import Refused, diff, save
from factsheet.serve.spans import Selection
from factsheet.serve.workspace import Change, FileChange, Workspace
from factsheet.sources.load import REVIEWS
from factsheet.verification import reanchor

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
_NEW_FILE = re.compile(r"facts/[a-z0-9][a-z0-9_-]{0,60}\.yaml")


def bad(message: str) -> Refused:
    return Refused(message, status=400)


def find_fact(briefing: Briefing, fact_id: str) -> Fact:
    for f in briefing.facts:
        if f.id == fact_id:
            return f
    raise Refused(f"no fact '{fact_id}'", status=404)


def _cited(fact_id: str, index: int, sel: Selection):
    def expect(briefing: Briefing, report: Report) -> str | None:
        f = next((f for f in briefing.facts if f.id == fact_id), None)
        c = f.citations[index] if f and index < len(f.citations) else None
        if c is None or c.span is None:
            return f"the new citation of fact '{fact_id}' does not resolve"
        if (c.source, c.span.start, c.span.end) != (sel.source, sel.start, sel.end):
            return (f"the new citation resolves to {c.span.start}–{c.span.end}, "
                    f"not to the selected {sel.start}–{sel.end}")
        return None
    return expect


def add_to_fact(ws: Workspace, briefing: Briefing, sel: Selection, fact_id: str) -> Change:
    fact = find_fact(briefing, fact_id)
    file = briefing.file(fact.location.path)
    try:
        edit = yamledit.append_citation(file, fact.location.node[:1], sel.fields)
    except yamledit.EditError as e:
        raise Refused(str(e)) from None
    data = reanchor.edited(file, [edit])
    return save(ws, f"cite {sel.source} {sel.start}–{sel.end} in fact '{fact_id}'", {file.name: data},
                _cited(fact_id, len(fact.citations), sel))


def new_fact(ws: Workspace, briefing: Briefing, sel: Selection, fields: dict) -> Change:
    fact_id, section = str(fields.get("id", "")).strip(), str(fields.get("section", ""))
    statement, name = str(fields.get("statement", "")).strip(), str(fields.get("file", ""))
    if not _ID.fullmatch(fact_id):
        raise bad("a fact id is letters, digits, '-', '_' and '.', starting with a letter or digit")
    if any(f.id == fact_id for f in briefing.facts):
        raise bad(f"fact '{fact_id}' exists already; add the citation to it, or choose another id")
    if section not in {s.id for s in briefing.sections}:
        raise bad(f"no section '{section}'")
    if not statement:
        raise bad("write the statement the citation supports")
    written = {"id": fact_id, "section": section, "statement": statement}
    files = {f.name: f for f in briefing.files if f.name.startswith("facts/")}
    if name in files:
        file = files[name]
        try:
            data = reanchor.edited(file, [yamledit.append_fact(file, written, sel.fields)])
        except yamledit.EditError as e:
            raise Refused(str(e)) from None
    elif _NEW_FILE.fullmatch(name) and not (ws.content / name).exists():
        data = yamledit.new_file(written, sel.fields)
    else:
        raise bad("choose a facts file, or a new one named facts/NAME.yaml (lower case letters, digits, - and _)")
    return save(ws, f"new fact '{fact_id}' citing {sel.source} {sel.start}–{sel.end}", {name: data},
                _cited(fact_id, 0, sel))


def fact_edit(briefing: Briefing, fact_id: str, statement: str | None,
              section: str | None) -> tuple[str, bytes]:
    """A fact's file with a new statement and/or section: (file name, bytes)."""
    fact = find_fact(briefing, fact_id)
    file = briefing.file(fact.location.path)
    node = fact.location.node[:1]
    edits = []
    if statement is not None and statement != fact.statement:
        edits.append(yamledit.replace_scalar(file, node + ("statement",), statement))
    if section is not None and section != fact.section:
        if section not in {s.id for s in briefing.sections}:
            raise bad(f"no section '{section}'")
        edits.append(yamledit.replace_scalar(file, node + ("section",), section, bare=True))
    return file.name, reanchor.edited(file, edits)


def try_fact(ws: Workspace, briefing: Briefing, fact_id: str, statement: str | None,
             section: str | None) -> dict:
    """What ``check`` would say about the fact, and how it would read, were the edit saved."""
    name, data = fact_edit(briefing, fact_id, statement, section)
    after, report = examine(ws.content, overlay={name: data})
    fact = next((f for f in after.facts if f.id == fact_id), None) if after else None
    if fact is None or after is None:  # (a fact was found only if the content loaded)
        problems = [d for d in report.sorted() if d.severity == "error"]
        return {"findings": problems, "rendered": None, "fact": None}
    return {"findings": review.findings_on(fact, report), "rendered": rendered_fact(ws, after, fact_id),
            "fact": fact}


def rendered_fact(ws: Workspace, briefing: Briefing, fact_id: str) -> str | None:
    """The fact's paragraph of the web page (autoescaped by its template), when it can be rendered."""
    if not all(c.span for c in briefing.all_citations()):
        return None
    page = render(briefing, ws.templates, names=("web",))["briefing.html"].decode("utf-8")
    found = re.search(r'<p class="fact[^"]*" id="fact-' + re.escape(fact_id) + r'">.*?</p>', page, re.DOTALL)
    return found.group() if found else None


def edit_fact(ws: Workspace, briefing: Briefing, fact_id: str, statement: str | None,
              section: str | None) -> Change:
    name, data = fact_edit(briefing, fact_id, statement, section)
    if data == ws.read(name):
        raise Refused("nothing changed", status=400)

    def expect(after: Briefing, report: Report) -> str | None:
        f = next((f for f in after.facts if f.id == fact_id), None)
        if f is None:
            return f"fact '{fact_id}' is gone"
        if (statement is not None and f.statement != statement) or (section is not None and f.section != section):
            return "the fact does not read as edited"
        return None
    return save(ws, f"edit fact '{fact_id}'", {name: data}, expect)


# --- drift ---------------------------------------------------------------------------------------

def proposal_key(p: reanchor.Proposal, briefing: Briefing) -> tuple:
    s = p.selector
    return (s.location.path, s.location.node, briefing.source(s.source).actual_sha256)


def proposals(briefing: Briefing) -> list[reanchor.Proposal]:
    return reanchor.reanchor(briefing, Report()) if reanchor.drifted(briefing) else []


def accepted(ws: Workspace, briefing: Briefing, p: reanchor.Proposal) -> bool:
    return p.new is not None and (proposal_key(p, briefing) in ws.accepted or p.old == p.new)


def accept(ws: Workspace, briefing: Briefing, source: str, which: list[int]) -> Change | None:
    """Accept proposals of one drifted source (by their place in its list); once all of its
    proposals are accepted, its new sha256 is written too. None: accepted, nothing to write yet."""
    every = proposals(briefing)
    found = [p for p in every if p.selector.source == source]
    if not found:
        raise Refused(f"source '{source}' has not drifted", status=404)
    if any(not 0 <= n < len(found) or found[n].new is None for n in which):
        raise bad("accept only proposals that were placed")
    keys = {proposal_key(found[n], briefing) for n in which}
    chosen = [p if p.new and (proposal_key(p, briefing) in keys or accepted(ws, briefing, p)) else replace(p, new=None)
              for p in every]
    files = {file.name: reanchor.edited(file, edits) for file, edits in reanchor.edits_for(chosen, briefing).items()}
    files = {name: data for name, data in files.items() if data != ws.read(name)}
    with ws.lock:
        ws.accepted |= keys
    if not files:
        return None
    return save(ws, f"accept {len(keys)} new place(s) in drifted source '{source}'", files)


# --- review --------------------------------------------------------------------------------------

def record_review(ws: Workspace, briefing: Briefing, body: dict) -> Change:
    fact = find_fact(briefing, str(body.get("fact", "")))
    verdict = body.get("verdict")
    if verdict not in review.VERDICTS:
        raise bad(f"verdict is one of {', '.join(review.VERDICTS)}")
    try:
        reviewer = review.check_reviewer(str(body.get("reviewer", "")))
    except UsageError:  # its message names the command line's option
        raise bad("say who is reviewing (one line, at most 400 characters)") from None
    if not all(c.span for c in fact.citations):
        raise Refused(f"fact '{fact.id}' has a citation that does not resolve; fix it before reviewing")
    note = str(body.get("note") or "").strip() or None
    stamp = review.Stamp(fact, reviewer, datetime.date.today().isoformat(), verdict, note)
    with ws.lock:
        before = ws.read(REVIEWS)
        review.record(ws.content, briefing, [stamp])
        after = ws.read(REVIEWS) or b""
        ws.reload()
        return ws.record(f"review of '{fact.id}': {verdict}", [FileChange(REVIEWS, before, after)],
                         diff(REVIEWS, before, after))
