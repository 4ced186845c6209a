"""The model as the JSON the app (and any script) reads: plain values, offsets in code points,
every diagnostic with its place and the fact it belongs to. No markup: the page shows every
value as text."""

from __future__ import annotations

from factsheet.diagnostics import Report
from factsheet.model import Briefing, Citation, Diagnostic, Fact, Source
from factsheet.outputs.passages import sentence_context


def fact_places(briefing: Briefing) -> dict[tuple, str]:
    """(file shown, top-level item) -> fact id: which fact a diagnostic points into."""
    return {(f.location.path, f.location.node[:1]): f.id for f in briefing.facts}


def diagnostic(d: Diagnostic, places: dict[tuple, str], names: dict[str, str] | None = None) -> dict:
    """``path`` as the command prints it, ``file`` its name in the content folder."""
    return {"path": d.location.path, "file": (names or {}).get(d.location.path, d.location.path),
            "line": d.location.line, "col": d.location.col,
            "severity": d.severity, "message": d.message, "rule": d.rule, "notes": list(d.notes),
            "fact": places.get((d.location.path, d.location.node[:1])), "text": d.format()}


def file_names(briefing: Briefing | None, report: Report) -> dict[str, str]:
    """Each path locations show -> the file's name in the content folder (``facts/vote.yaml``)."""
    files = list(briefing.files) if briefing else list(report.files.values())
    return {f.path: f.name for f in files}


def diagnostics(briefing: Briefing | None, report: Report) -> list[dict]:
    places = fact_places(briefing) if briefing else {}
    names = file_names(briefing, report)
    return [diagnostic(d, places, names) for d in report.sorted()]


def citation(c: Citation) -> dict:
    s = c.selector
    return {"source": c.source, "quote": s.quote, "prefix": s.prefix, "suffix": s.suffix,
            "label": c.label, "number": c.number, "resolved": c.span is not None,
            "start": c.span.start if c.span else None, "end": c.span.end if c.span else None,
            "text": c.span.text if c.span else None, "line": s.location.line}


def fact(f: Fact, briefing: Briefing) -> dict:
    review = f.review.state if f.review else "unreviewed"
    return {"id": f.id, "section": f.section, "statement": f.statement, "when": f.when, "kind": f.kind,
            "file": _name(briefing, f.location.path), "path": f.location.path, "line": f.location.line,
            "review": review, "single_source": f.single_source,
            "citations": [citation(c) for c in f.citations]}


def _name(briefing: Briefing, shown: str) -> str:
    """A file's name in the content folder (``facts/vote.yaml``) from the path locations show."""
    return next((f.name for f in briefing.files if f.path == shown), shown)


def source(s: Source) -> dict:
    return {"id": s.id, "name": s.name, "title": s.title, "file": s.file, "url": s.url,
            "publisher": s.publisher, "published": s.published, "drifted": s.drifted,
            "length": len(s.text)}


def briefing(b: Briefing | None, report: Report, version: int) -> dict:
    errors = sum(d.severity == "error" for d in report.sorted())
    out = {"version": version, "summary": report.summary(), "errors": errors,
           "warnings": len(report.sorted()) - errors, "diagnostics": diagnostics(b, report)}
    if b is None:
        return {**out, "title": None, "sections": [], "sources": [], "facts": [], "files": []}
    return {**out, "title": b.title, "subtitle": b.subtitle,
            "sections": [{"id": s.id, "title": s.title} for s in b.sections],
            "sources": [source(s) for s in b.sources],
            "facts": [fact(f, b) for f in b.facts],
            "files": [f.name for f in b.files if f.name.startswith("facts/")],
            "uses_reviews": b.uses_reviews}


def source_text(b: Briefing, s: Source) -> dict:
    """A source's exact text, its furniture and every citation into it (with its fact)."""
    cites = []
    for f in b.facts:
        for c in f.citations:
            if c.source == s.id and c.span:
                cites.append({"start": c.span.start, "end": c.span.end, "fact": f.id,
                              "statement": f.statement, "number": c.number, "label": c.label})
    for d in b.disagreements:
        for v in d.variants:
            for c in v.citations:
                if c.source == s.id and c.span:
                    cites.append({"start": c.span.start, "end": c.span.end, "fact": None,
                                  "statement": v.statement, "number": c.number, "label": c.label,
                                  "disagreement": d.id})
    furniture = [{"start": f.start, "end": f.end, "text": f.text} for f in s.furniture_spans]
    return {**source(s), "text": s.text, "sha256": s.sha256, "actual_sha256": s.actual_sha256,
            "furniture": furniture, "citations": cites}


def passage(b: Briefing, c: Citation) -> dict:
    """A cited span in its sentence(s), as a reviewer reads it."""
    s = b.source(c.source)
    out = {"source": c.source, "name": s.name, "number": c.number, "resolved": c.span is not None,
           "quote": c.selector.quote}
    if c.span is None:
        return out
    p = sentence_context(s, c.span)
    return {**out, "start": c.span.start, "end": c.span.end, "before": p.before, "text": p.text,
            "after": p.after, "cut_before": p.cut_before, "cut_after": p.cut_after}


def review_item(f: Fact, b: Briefing, findings: list[Diagnostic], places: dict[tuple, str],
                names: dict[str, str]) -> dict:
    """A fact to review; ``places`` and ``names`` (``fact_places``, ``file_names``) are made once
    for the whole list."""
    stamps = list(f.review.current + f.review.stale) if f.review else []
    return {**fact(f, b), "findings": [diagnostic(d, places, names) for d in findings],
            "passages": [passage(b, c) for c in f.citations],
            "stamps": [{"reviewer": r.reviewer, "date": r.date, "verdict": r.verdict, "note": r.note,
                        "current": r in (f.review.current if f.review else ())} for r in stamps]}
