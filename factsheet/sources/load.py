"""Content folder -> model objects. Every node keeps its file:line:col; every problem is collected.

Layout read (see docs/format.md)::

    briefing.yaml  sources/sources.yaml  sources/*.txt  facts/*.yaml  [disagreements.yaml]
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from factsheet.diagnostics import Report, display_path
from factsheet.digests import release_digest
from factsheet.errors import UsageError
from factsheet.model import Briefing, ContentFile, Diagnostic, Disagreement, Fact, Location, Section, Source
from factsheet.sources import curated, nodes, releases, schema, sourcefiles
from factsheet.sources.labels import assign_labels
from factsheet.sources.nodes import Valid
from factsheet.sources.sourcefiles import inside
from factsheet.sources.yamlread import read_yaml

REVIEWS = "reviews.yaml"  # written by `factsheet review`, read like every content file
# Larger files than this are refused before parsing: a briefing is text a person curates.
MAX_CONTENT_FILE = 20 * 1024 * 1024


Overlay = dict[str, bytes]  # content file name ("facts/vote.yaml") -> bytes standing in for the file


def _facts_files(root: Path, overlay: Overlay) -> list[Path]:
    folder = root / "facts"
    # Not only regular files: a link or a device named *.yaml is reported, never silently skipped.
    found = ({p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.is_dir()}
             if folder.is_dir() else set())
    found |= {root / name for name in overlay if name.startswith("facts/") and name.count("/") == 1}
    return sorted(found)


def load(content_dir: str | Path, overlay: Overlay | None = None,
         library: Path | None = None) -> tuple[Briefing | None, Report]:
    """Read a content folder; returns the briefing (None if it cannot be built) and the report.

    ``overlay`` gives YAML files' bytes that stand in for what is on disk (or for a new file):
    an edit is checked exactly as ``check`` will see it, before it is written. ``library``: a
    project's shared sources folder (docs/projects.md), whose sources the briefing may cite; then
    the briefing's own sources/sources.yaml is optional."""
    root = Path(content_dir)
    if not root.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    report = Report()
    overlay = overlay or {}

    def _read(path: Path, definition: str) -> Valid | None:
        return read_file(report, path, definition, root, overlay)

    head = _read(root / "briefing.yaml", "briefing")
    own_sources = root / "sources" / "sources.yaml"
    # In a project, a briefing citing only shared sources needs no sources.yaml of its own.
    optional = library is not None and not (own_sources.exists() or own_sources.is_symlink())
    sources_doc = None if optional else _read(own_sources, "sourcesFile")
    shared = _library(report, library)
    sourcefiles.pin_hints(report, sources_doc, root / "sources", root)
    fact_paths = _facts_files(root, overlay)
    fact_docs = [_read(p, "factsFile") for p in fact_paths]
    dis_path = root / "disagreements.yaml"
    dis_doc = _read(dis_path, "disagreementsFile") if dis_path.exists() else None
    reviews_doc, releases_doc, corrections_doc = (
        _read(root / name, kind) if (root / name).exists() or name in overlay else None
        for name, kind in ((REVIEWS, "reviewsFile"), (releases.RELEASES, "releasesFile"),
                           (releases.CORRECTIONS, "correctionsFile")))
    read = {**({} if optional else {own_sources: sources_doc}), **dict(zip(fact_paths, fact_docs, strict=True)),
            dis_path: dis_doc, root / REVIEWS: reviews_doc, root / releases.RELEASES: releases_doc,
            root / releases.CORRECTIONS: corrections_doc}
    unread = _unread(report, read, {root / name for name in overlay})

    _count_written(report, sources_doc, fact_docs, dis_doc)
    docs = [v for v in (head, sources_doc, *fact_docs, dis_doc, reviews_doc, releases_doc, corrections_doc)
            if v is not None]
    curated.check(report, [v.doc for v in docs])
    sections = nodes.sections(head)
    sources = nodes.sources(report, sources_doc, root / "sources", root)
    report.rejected_sources = nodes.rejected(sources_doc)
    facts, disagreements = assign_labels(nodes.facts(fact_docs), nodes.disagreements(dis_doc))
    if not facts and "facts" not in unread:
        _no_facts(report, root, [v for v in fact_docs if v is not None])
    rejected = sources_doc.rejected_ids() if sources_doc else set()
    known = optional or (sources_doc is not None and -1 not in sources_doc.bad)
    if shared is not None:
        cited = {c.source for f in facts for c in f.citations}
        cited |= {c.source for d in disagreements for v in d.variants for c in v.citations}
        borrowed = shared.cited(report, sources, cited)
        report.sources += len(borrowed)
        sources += borrowed
        rejected |= shared.rejected()
        known = known and shared.known
    _check_references(report, sections, sources, facts, disagreements, rejected, sources_known=known)
    stamps = nodes.reviews(reviews_doc)
    if "facts" in unread:
        ids = {f.id for f in facts}
        report.hidden += sum(r.fact not in ids for r in stamps)
    else:
        _check_reviewed_facts(report, stamps, facts)
    if head is None or head.bad:
        return None, report
    value = head.doc.value
    briefing = Briefing(
        title=value["title"], subtitle=value.get("subtitle"), date=value.get("date"),
        language=value.get("language", "en"), authors=tuple(value.get("authors", ())),
        summary=value.get("summary"), keywords=tuple(value.get("keywords", ())),
        sections=tuple(sections), sources=tuple(sources), facts=tuple(facts),
        disagreements=tuple(disagreements), content_dir=str(root),
        files=tuple(v.doc.file for v in docs), entities=tuple(nodes.entities(head)),
        reviews=tuple(stamps), review_required=value.get("review", {}).get("required", 0),
        uses_reviews=reviews_doc is not None or bool(value.get("review", {}).get("required")),
        releases=tuple(releases.releases(report, releases_doc, root)),
        corrections=tuple(releases.corrections(corrections_doc)),
    )
    briefing = replace(briefing, content_digest=release_digest(briefing))
    return briefing, report


def _library(report: Report, folder: Path | None):
    if folder is None:
        return None
    from factsheet.sources.library import Library  # it reads its file with read_file, below

    return Library(report, folder)


def read_file(report: Report, path: Path, definition: str, root: Path, overlay: Overlay,
              reuse: bool = False) -> Valid | None:
    """A content file read safely, parsed and validated. ``reuse``: a file many briefings read in
    one process (a project's shared library) is parsed once for as long as its bytes stay the same."""
    shown = display_path(str(path))
    name = path.relative_to(root).as_posix()
    if name in overlay:
        return _parse(report, name, shown, overlay[name], definition)
    if path.exists() and not inside(root, path):
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
    if reuse:
        return _reused(report, name, shown, data, definition)
    return _parse(report, name, shown, data, definition)


# The last parse of each reused file: its bytes, the file (for echoing lines), diagnostics, result.
_REUSED: dict[tuple[str, str, str], tuple[bytes, tuple[ContentFile, ...], tuple[Diagnostic, ...], Valid | None]] = {}


def _reused(report: Report, name: str, shown: str, data: bytes, definition: str) -> Valid | None:
    key = (name, shown, definition)
    hit = _REUSED.get(key)
    if hit is None or hit[0] != data:
        scratch = Report()
        valid = _parse(scratch, name, shown, data, definition)
        hit = _REUSED[key] = (data, tuple(scratch.files.values()), tuple(scratch.items), valid)
    for file in hit[1]:
        report.add_file(file)
    report.items.extend(hit[2])
    return hit[3]


def _parse(report: Report, name: str, shown: str, data: bytes, definition: str) -> Valid | None:
    doc = read_yaml(name, shown, data)
    report.add_file(doc.file)
    report.items.extend(doc.errors)
    if doc.errors:
        return None
    problems, bad = schema.validate(doc, definition)
    report.items.extend(problems)
    if definition == "briefing" and problems:
        bad.add(-1)
    return Valid(doc, bad)


# What an unreadable (or partly rejected) file hides, by kind of file: the rules whose findings
# would then only follow from its absence.
_DEPENDENT = {"facts": {"empty-section", "unused-source", "correction"}, "disagreements": {"unused-source"},
              "reviews": {"review"}, "releases": {"correction"}, "corrections": {"correction"}}


def _unread(report: Report, read: dict[Path, Valid | None], overlaid: set[Path]) -> set[str]:
    """The kinds of content file (facts, reviews…) that could not be read, or only in part; the
    findings that would follow only from that are left out of the report from here on.
    ``overlaid``: files given as bytes that stand in for the disk (they may not be on it yet)."""
    kinds = set()
    for path, valid in read.items():
        kind = "facts" if path.parent.name == "facts" else path.stem
        if ((valid is None and (path.exists() or path in overlaid or kind == "sources"))
                or (valid is not None and -1 in valid.bad)):
            report.unread.append(display_path(str(path)))
            kinds.add(kind)
        elif valid is not None and valid.bad and kind == "facts":
            kinds.add(kind)  # facts left out for a schema error: their sections may look empty
    for kind in kinds:
        report.dependent |= _DEPENDENT.get(kind, set())
    return kinds


def _no_facts(report: Report, root: Path, fact_docs: list[Valid]) -> None:
    """A briefing without a fact yet: one clear message, not a warning per section and source."""
    where = fact_docs[0].doc.at(()) if fact_docs else Location(display_path(str(root / "facts")), 1, 1)
    report.error(where, "the briefing has no facts yet: write them in facts/*.yaml, each "
                 "citing the words of a source registered in sources/sources.yaml (`factsheet locate SOURCE "
                 "\"words\"` prints a citation to paste)", rule="format")
    report.dependent |= {"empty-section", "unused-source"}


def _count_written(report: Report, sources: Valid | None, facts: list[Valid | None],
                   disagreements: Valid | None) -> None:
    def items(valid: Valid | None) -> list[dict]:
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


def _check_references(report: Report, sections: list[Section], sources: list[Source],
                      facts: list[Fact], disagreements: list[Disagreement], rejected: set[str],
                      sources_known: bool = True) -> None:
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
                         f"{_did_you_mean(fact.section, section_ids, 'sections')}", rule="reference")
    citations = [c for f in facts for c in f.citations]
    citations += [c for d in disagreements for v in d.variants for c in v.citations]
    for c in citations:
        if not sources_known:
            report.hidden += c.source not in known_sources  # sources.yaml could not be read
        elif c.source not in known_sources and c.source not in rejected:
            report.error(c.selector.source_location or c.selector.location, f"unknown source '{c.source}'"
                         f"{_did_you_mean(c.source, source_ids, 'sources')}", rule="reference")


def _check_reviewed_facts(report: Report, stamps: list, facts: list[Fact]) -> None:
    ids = [f.id for f in facts]
    known = set(ids)
    for r in stamps:
        if r.fact not in known:
            report.error(r.location, f"review of unknown fact '{r.fact}'{_did_you_mean(r.fact, ids, 'facts')}",
                         rule="reference")


def _unique(report: Report, noun: str, items: list[Any]) -> None:
    first: dict[str, Location] = {}
    for item in items:
        if item.id in first:
            report.error(item.location, f"duplicate {noun} id '{item.id}' (first defined at {first[item.id]})",
                         rule="duplicate-id")
        else:
            first[item.id] = item.location


def _did_you_mean(word: str, choices: list[str], noun: str) -> str:
    """`` (did you mean 'x'? sources: a, b, c)``: a close id only when it is close enough to be a
    slip of the keyboard, and the ids there are (the first few, when there are many)."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    shown = ", ".join(choices[:8]) + (f" and {len(choices) - 8} more" if len(choices) > 8 else "")
    listed = f"{noun}: {shown}" if choices else f"no {noun} yet"
    return f" (did you mean '{close[0]}'? {listed})" if close else f" ({listed})"
