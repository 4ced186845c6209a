"""Plain YAML values, already valid against the schema, -> model objects, each with its place."""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import replace
from pathlib import Path

from factsheet.diagnostics import Report, display_path
from factsheet.model import (Accept, Citation, Disagreement, Entity, Fact, Location, Review, Section, Selector,
                             Source, Variant)
from factsheet.sources.yamlread import Document

MAX_SOURCE_FILE = 50 * 1024 * 1024


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


def inside(folder: str | Path, path: str | Path) -> bool:
    """True if ``path``, links followed, is ``folder`` or lies under it (links followed too)."""
    real_folder, real = os.path.realpath(folder), os.path.realpath(path)
    return os.path.commonpath([real_folder, real]) == real_folder


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
        ))
    return sources


def read_source(report: Report, doc: Document, path: tuple, raw: dict, folder: Path,
                 root: Path, registered: set = frozenset()) -> tuple[str, str]:
    """The source's decoded text and the sha256 of its bytes ('' and '' when unreadable)."""
    where = _loc(doc, path, "file")
    name = raw["file"]
    target = folder / name
    real = os.path.realpath(target)
    if not (inside(folder, target) and inside(root, folder)):
        report.error(where, f"source file '{name}' leads outside content/sources/ (a link?)", rule="source-file")
        return "", ""
    if not os.path.isfile(real):
        problem = "is not a regular file" if os.path.exists(real) else "not found"
        hint = "" if os.path.exists(real) else _other_files(folder, name, registered)
        report.error(where, f"source file {problem}: {display_path(str(target))}{hint}", rule="source-file")
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
        encoding, iconv = _likely_encoding(data)
        shown, converted = display_path(str(target)), f"{target.stem}.utf8{target.suffix}"
        report.error(where, f"source file '{name}' is not valid UTF-8 (byte 0x{data[e.start]:02x} "
                     f"at byte offset {e.start}); it looks like {encoding}", rule="source-file",
                     notes=(f"convert it: iconv -f {iconv} -t utf-8 {shown} > {display_path(str(folder / converted))}, "
                            f"then write 'file: {converted}' and pin its sha256",) if iconv else ())
        return "", actual


def _likely_encoding(data: bytes) -> tuple[str, str | None]:
    """What a text that is not UTF-8 probably is, and its name for iconv (None: no guess)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1::2].count(0) > len(data) // 4:
        return "UTF-16", "utf-16"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "Latin-1 (ISO-8859-1)", "latin1"
    if any(0x80 <= b <= 0x9f for b in data):
        return "Windows-1252", "cp1252"
    return "Latin-1 or Windows-1252", "cp1252"


def _other_files(folder: Path, name: str, registered: set) -> str:
    """`` (did you mean 'mpl.txt'?)``, or the files no source names yet, for a file not found."""
    try:
        files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix not in (".yaml", ".yml"))
    except OSError:
        return ""
    free = [f for f in files if f not in registered]
    stem = Path(name).stem
    close = [f for f in free if Path(f).stem == stem] or difflib.get_close_matches(name, free, n=1, cutoff=0.75)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (files in it that no source names: {', '.join(free[:8])})" if free else ""


def pin_hints(report: Report, valid: Valid | None, folder: Path, root: Path) -> None:
    """A source entry without ``sha256``: the error gives the line to add, with the hash of the
    file as it is now."""
    if valid is None or not isinstance(valid.doc.value, list):
        return
    registered = {item.get("file") for item in valid.doc.value if isinstance(item, dict)}
    for i, raw in enumerate(valid.doc.value):
        if i not in valid.bad or not isinstance(raw, dict) or "sha256" in raw or not isinstance(raw.get("file"), str):
            continue
        target = folder / raw["file"]
        if not inside(folder, target):
            continue
        if os.path.isfile(target) and os.path.getsize(target) <= MAX_SOURCE_FILE:
            with open(target, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            hint = f"; add this line to pin {display_path(str(target))} as it is now: sha256: {digest}"
        else:
            hint = (f"; it pins the file's bytes, and {display_path(str(target))} is not there to hash"
                    f"{_other_files(folder, raw['file'], registered)}")
        for n, d in enumerate(report.items):
            if d.location.path == valid.doc.path and d.location.node == (i,) and d.message == "missing field 'sha256'":
                report.items[n] = replace(d, message=f"missing field 'sha256'{hint}")


def rejected(valid: Valid | None) -> dict[str, Location]:
    """The entries left out for a schema error, by id, at the place of each."""
    if valid is None or not isinstance(valid.doc.value, list):
        return {}
    return {item["id"]: valid.doc.at((i,)) for i, item in enumerate(valid.doc.value)
            if i in valid.bad and isinstance(item, dict) and isinstance(item.get("id"), str)}


def facts(docs: list[Valid | None]) -> list[Fact]:
    facts = []
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
