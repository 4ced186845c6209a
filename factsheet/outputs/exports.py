"""Open exports: the citations as W3C Web Annotations (JSON-LD) and the sources as CSL-JSON.

- ``briefing.annotations.jsonld``: an ``AnnotationCollection`` whose one page (embedded, with
  its own ``@context`` and id, as the model requires of every page) lists one ``Annotation`` per
  citation (https://www.w3.org/TR/annotation-model/). The body is the statement the passage
  supports; the target is the source with a ``TextQuoteSelector`` (exact, prefix, suffix) and a
  ``TextPositionSelector`` (start, end: code points, half-open, into the pinned capture). The
  target's ``source`` is the page's URL when known, else the capture's ``urn:sha256:`` name, so
  positions always refer to a text one can verify.
- ``briefing.sources.csl.json``: one CSL-JSON item per source, for reference managers and
  Pandoc's citeproc.

Pure functions of the resolved model.
"""

import json
import re
import uuid

from factsheet import __version__
from factsheet.model import Briefing, Citation, Source
from factsheet.outputs.corrections import schema_org, versions

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"
SELECTOR_CONTEXT = 32  # characters of prefix and suffix, as annotation clients (Hypothesis) use


def annotation_id(briefing: Briefing, label: str) -> str:
    """A stable IRI per citation: the same briefing and label give the same id on every build."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"factsheet:{briefing.title}#{label}"))


def source_iri(source: Source) -> str:
    return source.url or f"urn:sha256:{source.sha256}"


def _target(source: Source, citation: Citation) -> dict:
    span = citation.span
    assert span is not None, "exports need a resolved briefing"
    text = source.text
    quote = {"type": "TextQuoteSelector", "exact": span.text,
             "prefix": text[max(0, span.start - SELECTOR_CONTEXT) : span.start],
             "suffix": text[span.end : span.end + SELECTOR_CONTEXT]}
    selectors = [quote, {"type": "TextPositionSelector", "start": span.start, "end": span.end}]
    pages = source.page_numbers(span.start, span.end)
    if pages is not None:
        # A PDF source: its page (RFC 3778's page=N, counted from 1 as viewers count), refined by
        # the quote, so a PDF viewer can find the words on that page.
        selectors.append({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": f"page={pages[0]}",
                          "refinedBy": quote})
    return {"source": source_iri(source), "selector": selectors}


def _annotation(briefing: Briefing, label: str, statement: str, citation: Citation) -> dict:
    source = briefing.source(citation.source)
    return {
        "@context": ANNO_CONTEXT,
        "id": annotation_id(briefing, label),
        "type": "Annotation",
        "motivation": "describing",
        "body": {"type": "TextualBody", "purpose": "describing", "value": statement,
                 "format": "text/plain", "language": briefing.language},
        "target": _target(source, citation),
    }


def annotations(briefing: Briefing) -> dict:
    items = [_annotation(briefing, c.label, statement, c) for statement, c in briefing.statements()]
    # Citation labels (fact-id-N: letters, digits, '-', '_') are never "collection" or
    # "collection/page/1", so these ids are the collection's and its page's alone.
    collection = {
        "@context": ANNO_CONTEXT,
        "id": annotation_id(briefing, "collection"),
        "type": "AnnotationCollection",
        "label": briefing.title,
        "generator": {"type": "Software", "name": f"factsheet {__version__}"},
        "total": len(items),
        "first": {"@context": ANNO_CONTEXT, "id": annotation_id(briefing, "collection/page/1"),
                  "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    corrections = schema_org(versions(briefing))
    if corrections:
        # schema.org's correction property (the annotation context maps the schema: prefix).
        collection["schema:correction"] = [
            {"type": "schema:CorrectionComment", "schema:text": c["text"], "schema:datePublished": c["datePublished"],
             "schema:about": c["about"]} for c in corrections]
    return collection


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def csl_date(value: str) -> dict:
    m = _DATE.match(value)
    if m is None:
        return {"raw": value}
    return {"date-parts": [[int(part) for part in m.groups() if part is not None]]}


def csl_item(source: Source) -> dict:
    item: dict = {"id": source.id, "type": "webpage" if source.url else "document", "title": source.title}
    if source.publisher:
        item["container-title"] = source.publisher  # the site or paper the text appeared in
    if source.url:
        item["URL"] = source.url
    if source.published:
        item["issued"] = csl_date(source.published)
    if source.pages:
        first, last = source.pages[0].label, source.pages[-1].label
        item["page"] = first if first == last else f"{first}-{last}"
        item["number-of-pages"] = len(source.pages)
    notes = [f"SHA-256 {source.sha256}"] + ([source.notes] if source.notes else [])
    item["note"] = "; ".join(notes)
    return item


def sources_csl(briefing: Briefing) -> list[dict]:
    return [csl_item(s) for s in briefing.sources]


def render_annotations(briefing: Briefing) -> str:
    return json.dumps(annotations(briefing), ensure_ascii=False, indent=2) + "\n"


def render_sources_csl(briefing: Briefing) -> str:
    return json.dumps(sources_csl(briefing), ensure_ascii=False, indent=2) + "\n"
