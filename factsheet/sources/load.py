"""Content folder -> model objects. Every node keeps its file:line:col; every problem is collected.

Layout read (see docs/format.md)::

    briefing.yaml  sources/sources.yaml  sources/*.txt  facts/*.yaml  [disagreements.yaml]
"""

from __future__ import annotations

import difflib
import hashlib
import os
from pathlib import Path
from typing import Any

from factsheet.diagnostics import Report, display_path
from factsheet.errors import UsageError
from factsheet.model import Briefing, Citation, Disagreement, Fact, Location, Section, Selector, Source, Variant
from factsheet.sources import curated, schema
from factsheet.sources.labels import assign_labels
from factsheet.sources.yamlread import Document, read_yaml

# Larger files than this are refused before parsing: a briefing is text a person curates.
MAX_CONTENT_FILE = 20 * 1024 * 1024
MAX_SOURCE_FILE = 50 * 1024 * 1024


def _facts_files(root: Path) -> list[Path]:
    folder = root / "facts"
    if not folder.is_dir():
        return []
    # Not only regular files: a link or a device named *.yaml is reported, never silently skipped.
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.is_dir())


def load(content_dir: str | Path) -> tuple[Briefing | None, Report]:
    """Read a content folder; returns the briefing (None if it cannot be built) and the report."""
    root = Path(content_dir)
    if not root.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    report = Report()
    head = _read(report, root / "briefing.yaml", "briefing", root)
    sources_doc = _read(report, root / "sources" / "sources.yaml", "sourcesFile", root)
    fact_docs = [_read(report, p, "factsFile", root) for p in _facts_files(root)]
    if not fact_docs:
        report.error(Location(display_path(str(root / "facts")), 1, 1),
                     "no facts: add at least one file facts/*.yaml", rule="format")
    dis_path = root / "disagreements.yaml"
    dis_doc = _read(report, dis_path, "disagreementsFile", root) if dis_path.exists() else None

    _count_written(report, sources_doc, fact_docs, dis_doc)
    docs = [v for v in (head, sources_doc, *fact_docs, dis_doc) if v is not None]
    curated.check(report, [v.doc for v in docs])
    sections = _sections(report, head)
    sources = _sources(report, sources_doc, root / "sources", root)
    facts, disagreements = assign_labels(_facts(report, fact_docs), _disagreements(report, dis_doc))
    rejected = sources_doc.rejected_ids() if sources_doc else set()
    _check_references(report, sections, sources, facts, disagreements, rejected)
    if head is None or head.bad:
        return None, report
    value = head.doc.value
    briefing = Briefing(
        title=value["title"], subtitle=value.get("subtitle"), date=value.get("date"),
        language=value.get("language", "en"), authors=tuple(value.get("authors", ())),
        summary=value.get("summary"), keywords=tuple(value.get("keywords", ())),
        sections=tuple(sections), sources=tuple(sources), facts=tuple(facts),
        disagreements=tuple(disagreements), content_dir=str(root),
        files=tuple(v.doc.file for v in docs),
    )
    return briefing, report


class _Valid:
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


def _inside(folder: str | Path, path: str | Path) -> bool:
    """True if ``path``, links followed, is ``folder`` or lies under it (links followed too)."""
    real_folder, real = os.path.realpath(folder), os.path.realpath(path)
    return os.path.commonpath([real_folder, real]) == real_folder


def _read(report: Report, path: Path, definition: str, root: Path) -> _Valid | None:
    shown = display_path(str(path))
    if path.exists() and not _inside(root, path):
        report.error(Location(shown, 1, 1), f"{shown} leads outside the content folder (a link?); "
                     "content files must be inside it", rule="format")
        return None
    if not path.is_file():
        problem = "is not a regular file" if path.exists() else "not found"
        report.error(Location(shown, 1, 1), f"file {problem}: {shown}", rule="format")
        return None
    if path.stat().st_size > MAX_CONTENT_FILE:
        report.error(Location(shown, 1, 1), f"file is larger than {MAX_CONTENT_FILE // 2**20} MB", rule="format")
        return None
    try:
        data = path.read_bytes()
    except OSError as e:
        report.error(Location(shown, 1, 1), f"cannot read {shown}: {e.strerror}", rule="format")
        return None
    doc = read_yaml(path.relative_to(root).as_posix(), shown, data)
    report.add_file(doc.file)
    report.items.extend(doc.errors)
    if doc.errors:
        return None
    problems, bad = schema.validate(doc, definition)
    report.items.extend(problems)
    if definition == "briefing" and problems:
        bad.add(-1)
    return _Valid(doc, bad)


def _count_written(report: Report, sources: _Valid | None, facts: list[_Valid | None],
                   disagreements: _Valid | None) -> None:
    def items(valid: _Valid | None) -> list[dict]:
        value = valid.doc.value if valid else None
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def cites(entry: dict) -> int:
        return len(entry["citations"]) if isinstance(entry.get("citations"), list) else 0

    report.sources = len(items(sources))
    fact_items = [f for valid in facts for f in items(valid)]
    variants = [v for d in items(disagreements) if isinstance(d.get("variants"), list)
                for v in d["variants"] if isinstance(v, dict)]
    report.facts = len(fact_items)
    report.citations = sum(map(cites, fact_items)) + sum(map(cites, variants))


def _loc(doc: Document, path: tuple, key: str | None = None) -> Location:
    return doc.at(path + (key,) if key else path)


def _fact(doc: Document, path: tuple, raw: dict) -> Fact:
    return Fact(
        id=raw["id"], section=raw["section"], statement=raw["statement"],
        citations=_citations(doc, path + ("citations",), raw["citations"]),
        location=_loc(doc, path, "id"), statement_location=_loc(doc, path, "statement"),
        when=raw.get("when"), kind=raw.get("kind"), notes=raw.get("notes"),
    )


def _sections(report: Report, head: _Valid | None) -> list[Section]:
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
    )


def _citations(doc: Document, path: tuple, raw: list[dict]) -> tuple[Citation, ...]:
    return tuple(Citation(_selector(doc, path + (i,), c, c["source"])) for i, c in enumerate(raw))


def _sources(report: Report, valid: _Valid | None, folder: Path, root: Path) -> list[Source]:
    if valid is None:
        return []
    doc = valid.doc
    sources = []
    for path, raw in valid.items():
        text, actual = _read_source(report, doc, path, raw, folder, root)
        furniture = tuple(_selector(doc, path + ("furniture", i), f, raw["id"])
                          for i, f in enumerate(raw.get("furniture", ())))
        sources.append(Source(
            id=raw["id"], file=raw["file"], title=raw["title"], publisher=raw.get("publisher"),
            url=raw.get("url"), published=raw.get("published"), sha256=raw["sha256"],
            notes=raw.get("notes"), location=_loc(doc, path, "id"), furniture=furniture,
            label=raw.get("label"),
            text=text, actual_sha256=actual,
        ))
    return sources


def _read_source(report: Report, doc: Document, path: tuple, raw: dict, folder: Path,
                 root: Path) -> tuple[str, str]:
    """The source's decoded text and the sha256 of its bytes ('' and '' when unreadable)."""
    where = _loc(doc, path, "file")
    name = raw["file"]
    target = folder / name
    real = os.path.realpath(target)
    if not (_inside(folder, target) and _inside(root, folder)):
        report.error(where, f"source file '{name}' leads outside content/sources/ (a link?)", rule="source-file")
        return "", ""
    if not os.path.isfile(real):
        problem = "is not a regular file" if os.path.exists(real) else "not found"
        report.error(where, f"source file {problem}: {display_path(str(target))}", rule="source-file")
        return "", ""
    if os.path.getsize(real) > MAX_SOURCE_FILE:
        report.error(where, f"source file is larger than {MAX_SOURCE_FILE // 2**20} MB", rule="source-file")
        return "", ""
    try:
        with open(real, "rb") as handle:
            data = handle.read()
    except OSError as e:
        report.error(where, f"cannot read source file '{name}': {e.strerror}", rule="source-file")
        return "", ""
    actual = hashlib.sha256(data).hexdigest()
    if not data:
        report.error(where, f"source file '{name}' is empty", rule="source-file")
        return "", actual
    try:
        # Offsets count code points of exactly this text: no newline translation, no
        # normalisation, and a BOM (if any) is the text's first code point.
        return data.decode("utf-8"), actual
    except UnicodeDecodeError as e:
        report.error(where, f"source file '{name}' is not valid UTF-8 (byte 0x{data[e.start]:02x} "
                     f"at byte offset {e.start})", rule="source-file")
        return "", actual


def _facts(report: Report, docs: list[_Valid | None]) -> list[Fact]:
    facts: list[Fact] = []
    for valid in docs:
        if valid is None:
            continue
        doc = valid.doc
        facts.extend(_fact(doc, path, raw) for path, raw in valid.items())
    return facts


def _disagreements(report: Report, valid: _Valid | None) -> list[Disagreement]:
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


def _check_references(report: Report, sections: list[Section], sources: list[Source],
                      facts: list[Fact], disagreements: list[Disagreement], rejected: set[str]) -> None:
    _unique(report, "section", sections)
    _unique(report, "source", sources)
    _unique(report, "fact", facts)
    _unique(report, "disagreement", disagreements)
    section_ids = [s.id for s in sections]
    source_ids = [s.id for s in sources]
    # Sets for membership: a list here made 30,000 citations x 1,000 sources a quadratic step.
    known_sections, known_sources = set(section_ids), set(source_ids)
    for fact in facts:
        if sections and fact.section not in known_sections:
            report.error(fact.location, f"fact '{fact.id}': unknown section '{fact.section}'"
                         f"{_did_you_mean(fact.section, section_ids)}", rule="reference")
    citations = [c for f in facts for c in f.citations]
    citations += [c for d in disagreements for v in d.variants for c in v.citations]
    for c in citations:
        if c.source not in known_sources and c.source not in rejected:
            report.error(c.selector.location, f"unknown source '{c.source}'"
                         f"{_did_you_mean(c.source, source_ids)}", rule="reference")


def _unique(report: Report, noun: str, items: list[Any]) -> None:
    first: dict[str, Location] = {}
    for item in items:
        if item.id in first:
            report.error(item.location, f"duplicate {noun} id '{item.id}' (first defined at {first[item.id]})",
                         rule="duplicate-id")
        else:
            first[item.id] = item.location


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
