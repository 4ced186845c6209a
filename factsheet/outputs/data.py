"""The briefing as data (``briefing.json``): every citation with its exact span,
``text == source[start:end]``. A pure function of the model."""

from __future__ import annotations

import json

from factsheet import __version__
from factsheet.model import Briefing, Citation, Fact, Source
from factsheet.outputs.corrections import versions
from factsheet.verification.review import summary


def briefing_json(briefing: Briefing) -> dict:
    """The briefing as data: every citation with its exact span, ``text == source[start:end]``."""
    sources = {s.id: s for s in briefing.sources}
    return {
        "generator": f"factsheet {__version__}",
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "date": briefing.date,
        "language": briefing.language,
        "authors": list(briefing.authors),
        "sections": [{"id": s.id, "title": s.title, "intro": s.intro} for s in briefing.sections],
        "sources": [_source_json(s) for s in briefing.sources],
        "facts": [_fact_json(f, sources) for f in briefing.facts],
        **({"review": _review_json(briefing)} if briefing.uses_reviews else {}),
        **(_versions_json(briefing) if briefing.releases or briefing.corrections else {}),
        "disagreements": [
            {"id": d.id, "topic": d.topic, "note": d.note,
             "variants": [{"statement": v.statement, "citations": [_citation_json(c, sources) for c in v.citations]}
                          for v in d.variants]}
            for d in briefing.disagreements],
    }


def _source_json(s: Source) -> dict:
    return {"id": s.id, "file": s.file, "title": s.title, "label": s.name, "publisher": s.publisher, "url": s.url,
            "published": s.published, "sha256": s.sha256, "notes": s.notes, "length": len(s.text),
            "furniture": [{"start": f.start, "end": f.end, "text": f.text} for f in s.furniture_spans],
            **_capture_json(s)}


def _capture_json(s: Source) -> dict:
    """The original and the page map, for captured sources only (a text added as is has neither)."""
    data: dict = {}
    if s.original is not None:
        o = s.original
        data["original"] = {"file": o.file, "sha256": o.sha256, "media_type": o.media_type,
                            "extractor": o.extractor,
                            **{k: getattr(o, k) for k in ("url", "status", "fetched") if getattr(o, k) is not None}}
    if s.pages:
        data["pages"] = [{"label": p.label, "start": p.start} for p in s.pages]
    return data


def _fact_json(f: Fact, sources: dict[str, Source]) -> dict:
    data = {"id": f.id, "section": f.section, "statement": f.statement,
            "citations": [_citation_json(c, sources) for c in f.citations],
            "sources": list(f.source_ids),
            # Corroboration: a reader (and every renderer) sees which facts rest on one outlet.
            "source_count": len(f.source_ids), "single_source": len(f.source_ids) == 1}
    for key in ("when", "kind", "notes"):
        if getattr(f, key) is not None:
            data[key] = getattr(f, key)
    if f.review is not None:
        data["review"] = {
            "state": f.review.state, "reviewers": list(f.review.reviewers),
            "stamps": [{"reviewer": r.reviewer, "date": r.date, "verdict": r.verdict, "note": r.note,
                        "current": r in f.review.current} for r in (*f.review.current, *f.review.stale)]}
    return data


def _citation_json(c: Citation, sources: dict[str, Source]) -> dict:
    assert c.span is not None, "rendering needs a resolved briefing"
    data = {"source": c.source, "start": c.span.start, "end": c.span.end, "text": c.span.text,
            "quote": c.selector.quote}
    labels = sources[c.source].page_labels(c.span.start, c.span.end)
    if labels:
        data["pages"] = list(labels)  # the printed labels of every page the span touches
    return data


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_json(briefing), ensure_ascii=False, indent=2) + "\n"


def _review_json(briefing: Briefing) -> dict:
    reviewed, names = summary(briefing)
    return {"required": briefing.review_required, "reviewed": reviewed, "facts": len(briefing.facts),
            "reviewers": list(names)}


def _versions_json(briefing: Briefing) -> dict:
    v = versions(briefing)
    return {"version": v.version, "released": v.released, "changed_since_release": v.changed_since,
            "corrections": [{"fact": e.correction.fact, "date": e.correction.date, "kind": e.correction.kind,
                             "note": e.correction.note, "earlier": e.earlier_wording, "retracted": e.retracted}
                            for e in v.entries]}
