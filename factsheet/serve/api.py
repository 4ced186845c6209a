"""The JSON API under ``/api/`` (documented in docs/serve.md): one function per endpoint, each
taking the workspace and the request's parameters and returning plain values for JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from factsheet.serve import edits, views
from factsheet.serve.changes import Refused, undo
from factsheet.serve.spans import Selection, SelectionError, select
from factsheet.serve.workspace import Change, Workspace

Params = dict[str, Any]


def _briefing(ws: Workspace):
    briefing, report, version = ws.current()
    if briefing is None:
        raise Refused("the content cannot be loaded; see the diagnostics (GET /api/briefing)", status=409)
    return briefing, report, version


@overload
def _text(params: Params, key: str, required: Literal[True] = True) -> str: ...


@overload
def _text(params: Params, key: str, required: bool) -> str | None: ...


def _text(params: Params, key: str, required: bool = True) -> str | None:
    value = params.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise edits.bad(f"'{key}' must be a string")
    return value


def _int(params: Params, key: str) -> int:
    value = params.get(key)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise edits.bad(f"'{key}' must be a whole number, 0 or more")
    return value


def status(ws: Workspace, params: Params) -> dict:
    with ws.lock:
        pdf, preview = ws.pdf, ws.preview
        return {"version": ws.version, "errors": len(ws.report.errors),
                "preview": {"version": preview.version, "current": preview.version == ws.version,
                            "seconds": round(preview.seconds, 3)},
                "pdf": {"state": pdf.state, "version": pdf.version, "error": pdf.error,
                        "current": pdf.data is not None and pdf.version == preview.version},
                "undo": next((c.id for c in reversed(ws.changes) if not c.undone), None)}


def briefing(ws: Workspace, params: Params) -> dict:
    b, report, version = ws.current()
    return {**views.briefing(b, report, version), "status": status(ws, params)}


def source(ws: Workspace, params: Params) -> dict:
    b, _, _ = _briefing(ws)
    return views.source_text(b, _source(b, _text(params, "id")))


def _source(b, source_id):
    for s in b.sources:
        if s.id == source_id:
            if not s.text:
                raise Refused(f"source '{source_id}' could not be read; see the diagnostics", status=409)
            return s
    raise Refused(f"no source '{source_id}'", status=404)


def _selection(ws: Workspace, params: Params) -> tuple[Any, Selection]:
    b, _, _ = _briefing(ws)
    s = _source(b, _text(params, "source"))
    units = params.get("units", "codepoints")
    if units not in ("codepoints", "utf16"):
        raise edits.bad("'units' is 'codepoints' or 'utf16'")
    try:
        return b, select(s, _int(params, "start"), _int(params, "end"), utf16=units == "utf16")
    except SelectionError as e:
        raise edits.bad(str(e)) from None


def locate(ws: Workspace, params: Params) -> dict:
    b, sel = _selection(ws, params)
    return sel.as_json(b.source(sel.source).text)


def change(ws: Workspace, c: Change | None, fact: str | None = None) -> dict:
    b, report, version = ws.current()
    out: dict[str, Any] = {"saved": c is not None, "version": version, "summary": report.summary(),
                           "errors": len(report.errors), "warnings": len(report.warnings)}
    if c is not None:
        out.update(change=c.id, what=c.what, files=[f.name for f in c.files], diff=c.diff)
    if fact and b is not None:
        f = next((f for f in b.facts if f.id == fact), None)
        out["fact"] = views.fact(f, b) if f else None
        places, names = views.fact_places(b), views.file_names(b, report)
        out["findings"] = [views.diagnostic(d, places, names) for d in report.sorted()
                           if places.get((d.location.path, d.location.node[:1])) == fact]
    return out


def cite(ws: Workspace, params: Params) -> dict:
    with ws.lock:
        ws.refresh()
        b, sel = _selection(ws, params)
        if params.get("fact"):
            fact_id = _text(params, "fact")
            return {**change(ws, edits.add_to_fact(ws, b, sel, fact_id), fact_id),
                    "selection": sel.as_json(b.source(sel.source).text)}
        new = params.get("new")
        if not isinstance(new, dict):
            raise edits.bad("give 'fact' (an existing fact's id) or 'new' ({id, section, statement, file})")
        done = edits.new_fact(ws, b, sel, new)
        return {**change(ws, done, str(new["id"]).strip()), "selection": sel.as_json(b.source(sel.source).text)}


def fact(ws: Workspace, params: Params) -> dict:
    fact_id = _text(params, "id")
    statement, section = _text(params, "statement", False), _text(params, "section", False)
    with ws.lock:
        ws.refresh()
        b, _, _ = _briefing(ws)
        if params.get("dry_run"):
            tried = edits.try_fact(ws, b, fact_id, statement, section)
            places, names = views.fact_places(b), views.file_names(b, ws.report)
            return {"saved": False, "findings": [views.diagnostic(d, places, names) for d in tried["findings"]],
                    "rendered": tried["rendered"]}
        return change(ws, edits.edit_fact(ws, b, fact_id, statement, section), fact_id)


def undo_change(ws: Workspace, params: Params) -> dict:
    which = params.get("change")
    undone = undo(ws, _int(params, "change") if which is not None else None)
    return {**change(ws, None), "undone": undone.id, "what": undone.what,
            "files": [f.name for f in undone.files]}


def drift(ws: Workspace, params: Params) -> dict:
    b, _, _ = _briefing(ws)
    by_source: dict[str, list] = {}
    for p in edits.proposals(b):
        items = by_source.setdefault(p.selector.source, [])
        loc = p.selector.location
        name = views.file_names(b, ws.report).get(loc.path, loc.path)
        items.append({"n": len(items), "place": f"{name}:{loc.line}:{loc.col}", "quote": p.selector.quote,
                      "old": list(p.old) if p.old else None, "new": list(p.new) if p.new else None,
                      "method": p.method, "score": round(p.score, 1), "text": p.text,
                      "accepted": edits.accepted(ws, b, p)})
    return {"sources": [{"id": s, "name": b.source(s).name, "proposals": items} for s, items in by_source.items()]}


def accept(ws: Workspace, params: Params) -> dict:
    with ws.lock:
        ws.refresh()
        b, _, _ = _briefing(ws)
        source_id = _text(params, "source")
        if params.get("all"):
            which = [p["n"] for s in drift(ws, {})["sources"] if s["id"] == source_id
                     for p in s["proposals"] if p["new"] is not None]
        else:
            which = [_int(params, "n")]
        return {**change(ws, edits.accept(ws, b, source_id, which)), "drift": drift(ws, {})}


def reviews(ws: Workspace, params: Params) -> dict:
    from factsheet.curate.review import findings_by_fact

    b, report, _ = _briefing(ws)
    todo = [f for f in b.facts if (f.review.state if f.review else "unreviewed") in ("unreviewed", "stale")]
    findings, places, names = findings_by_fact(b, report), views.fact_places(b), views.file_names(b, report)
    return {"total": len(b.facts), "to_review": len(todo),
            "facts": [views.review_item(f, b, findings[f.id], places, names) for f in todo]}


def stamp(ws: Workspace, params: Params) -> dict:
    with ws.lock:
        ws.refresh()
        b, _, _ = _briefing(ws)
        return {**change(ws, edits.record_review(ws, b, params), str(params.get("fact"))), "review": reviews(ws, {})}


GET: dict[str, Callable[[Workspace, Params], dict]] = {
    "/api/status": status, "/api/briefing": briefing, "/api/source": source, "/api/drift": drift,
    "/api/review": reviews}
POST: dict[str, Callable[[Workspace, Params], dict]] = {
    "/api/locate": locate, "/api/cite": cite, "/api/fact": fact, "/api/undo": undo_change,
    "/api/drift/accept": accept, "/api/review": stamp}
