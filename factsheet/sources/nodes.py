"""Plain YAML values, already valid against the schema, -> model objects, each with its place."""

from __future__ import annotations

from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.model import (
    Accept,
    Citation,
    Disagreement,
    Entity,
    Fact,
    Location,
    Original,
    Page,
    Review,
    Section,
    Selector,
    Source,
    Variant,
)
from factsheet.sources.sourcefiles import file_hash, read_source
from factsheet.sources.yamlread import Document


class Valid:
    """A parsed, schema-checked file and which of its top-level items are unusable."""

    def __init__(self, doc: Document, bad: set[int]):
        self.doc = doc
        self.bad = bad

    def items(self):
        if -1 in self.bad or not isinstance(self.doc.value, list):
            return
        for i, item in enumerate(self.doc.value):
            if i not in self.bad:
                yield (i,), item

    def rejected_ids(self) -> set[str]:
        """Ids of items left out for a schema error: already reported, so references to them
        are not reported again as unknown."""
        value = self.doc.value if isinstance(self.doc.value, list) else []
        return {item["id"] for i, item in enumerate(value)
                if i in self.bad and isinstance(item, dict) and isinstance(item.get("id"), str)}


def _loc(doc: Document, path: tuple, key: str | None = None) -> Location:
    return doc.at(path + (key,) if key else path)


def _fact(doc: Document, path: tuple, raw: dict) -> Fact:
    return Fact(
        id=raw["id"], section=raw["section"], statement=raw["statement"],
        citations=_citations(doc, path + ("citations",), raw["citations"]),
        location=_loc(doc, path, "id"), statement_location=_loc(doc, path, "statement"),
        when=raw.get("when"), kind=raw.get("kind"), notes=raw.get("notes"),
        accepts=tuple(Accept(a["rule"], tuple(a.get("words", ())), a["reason"], _loc(doc, path + ("accept", i)))
                      for i, a in enumerate(raw.get("accept", ()))),
    )


def sections(head: Valid | None) -> list[Section]:
    if head is None or -1 in head.bad:
        return []
    doc = head.doc
    return [Section(s["id"], s["title"], s.get("intro"), _loc(doc, ("sections", i), "id"))
            for i, s in enumerate(doc.value["sections"])]


def _selector(doc: Document, path: tuple, raw: dict, source: str) -> Selector:
    return Selector(
        source=source, quote=raw["quote"], prefix=raw.get("prefix"), suffix=raw.get("suffix"),
        start=raw.get("start"), end=raw.get("end"), location=_loc(doc, path, "quote"),
        offsets_location=_loc(doc, path, "start" if "start" in raw else "end")
        if ("start" in raw or "end" in raw) else None,
        partial=raw.get("partial") is True,
        source_location=_loc(doc, path, "source") if "source" in raw else None,
    )


def _citations(doc: Document, path: tuple, raw: list[dict]) -> tuple[Citation, ...]:
    return tuple(Citation(_selector(doc, path + (i,), c, c["source"])) for i, c in enumerate(raw))


def sources(report: Report, valid: Valid | None, folder: Path, root: Path) -> list[Source]:
    if valid is None:
        return []
    doc = valid.doc
    sources = []
    entries = doc.value if isinstance(doc.value, list) else []
    registered = {item.get("file") for item in entries if isinstance(item, dict)}
    for path, raw in valid.items():
        text, actual = read_source(report, doc, path, raw, folder, root, registered)
        furniture = tuple(_selector(doc, path + ("furniture", i), f, raw["id"])
                          for i, f in enumerate(raw.get("furniture", ())))
        sources.append(Source(
            id=raw["id"], file=raw["file"], title=raw["title"], publisher=raw.get("publisher"),
            url=raw.get("url"), published=raw.get("published"), sha256=raw["sha256"],
            notes=raw.get("notes"), location=_loc(doc, path, "id"), furniture=furniture,
            label=raw.get("label"),
            text=text, actual_sha256=actual,
            original=_original(report, doc, path, raw, folder, root),
            pages=_pages(report, doc, path, raw, text),
        ))
    return sources


def _original(report: Report, doc: Document, path: tuple, raw: dict, folder: Path, root: Path) -> Original | None:
    """The original the text was extracted from, with the hash of its bytes as they are now."""
    o = raw.get("original")
    if o is None:
        return None
    actual = file_hash(report, _loc(doc, path + ("original",), "file"), o["file"], folder, root)
    return Original(o["file"], o["sha256"], o["media_type"], o["extractor"], o.get("url"), o.get("status"),
                    o.get("fetched"), actual_sha256=actual)


def _pages(report: Report, doc: Document, path: tuple, raw: dict, text: str) -> tuple[Page, ...]:
    """The page map, checked against the text: starting at 0, in order, inside the text."""
    pages = tuple(Page(p["label"], p["start"]) for p in raw.get("pages", ()))
    for i, page in enumerate(pages):
        where = _loc(doc, path + ("pages", i), "start")
        if i == 0 and page.start != 0:
            report.error(where, "the first page starts at offset 0", rule="pages")
        elif i and page.start < pages[i - 1].start:
            report.error(where, f"page '{page.label}' starts before the page above it", rule="pages")
        elif text and page.start > len(text):
            report.error(where, f"page '{page.label}' starts past the end of the text ({len(text)} code points)",
                         rule="pages")
    return pages


def rejected(valid: Valid | None) -> dict[str, Location]:
    """The entries left out for a schema error, by id, at the place of each."""
    if valid is None or not isinstance(valid.doc.value, list):
        return {}
    return {item["id"]: valid.doc.at((i,)) for i, item in enumerate(valid.doc.value)
            if i in valid.bad and isinstance(item, dict) and isinstance(item.get("id"), str)}


def facts(docs: list[Valid | None]) -> list[Fact]:
    facts: list[Fact] = []
    for valid in docs:
        if valid is None:
            continue
        doc = valid.doc
        facts.extend(_fact(doc, path, raw) for path, raw in valid.items())
    return facts


def disagreements(valid: Valid | None) -> list[Disagreement]:
    if valid is None:
        return []
    doc = valid.doc
    result = []
    for path, raw in valid.items():
        variants = tuple(
            Variant(v["statement"], _citations(doc, path + ("variants", i, "citations"), v["citations"]),
                    _loc(doc, path + ("variants", i), "statement"))
            for i, v in enumerate(raw["variants"]))
        result.append(Disagreement(raw["id"], raw["topic"], raw["note"], variants, _loc(doc, path, "id")))
    return result


def entities(head: Valid | None) -> list[Entity]:
    if head is None or -1 in head.bad:
        return []
    return [Entity(e["name"], tuple(e["aliases"])) for e in head.doc.value.get("entities", ())]


def reviews(valid: Valid | None) -> list[Review]:
    if valid is None:
        return []
    doc = valid.doc
    return [Review(raw["fact"], raw["reviewer"], raw["date"], raw["verdict"], raw.get("note"), raw["digest"],
                   _loc(doc, path, "fact")) for path, raw in valid.items()]
