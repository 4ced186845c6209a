"""A source's files in content/sources/: their bytes read safely, the text decoded, the sha256
taken; and, for a file that cannot be used yet, the hint that fixes it (the file a mistyped name
probably means, the encoding a text that is not UTF-8 probably has, the sha256 line to paste)."""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.diagnostics import Report, display_path
from factsheet.model import Location
from factsheet.sources.yamlread import Document

if TYPE_CHECKING:
    from factsheet.sources.nodes import Valid

MAX_SOURCE_FILE = 50 * 1024 * 1024


def inside(folder: str | Path, path: str | Path) -> bool:
    """True if ``path``, links followed, is ``folder`` or lies under it (links followed too)."""
    real_folder, real = os.path.realpath(folder), os.path.realpath(path)
    return os.path.commonpath([real_folder, real]) == real_folder


def file_hash(report: Report, where: Location, name: str, folder: Path, root: Path) -> str:
    """The sha256 of a file in content/sources/ ('' when it cannot be read, reported)."""
    data = _read_bytes(report, where, name, folder, root)
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def _read_bytes(report: Report, where: Location, name: str, folder: Path, root: Path,
                registered: set | None = None) -> bytes | None:
    """The file's bytes, or None with the reason reported; ``registered`` (the files sources.yaml
    names) lets a file not found suggest the unnamed file it probably is."""
    target = folder / name
    real = os.path.realpath(target)
    if not (inside(folder, target) and inside(root, folder)):
        report.error(where, f"source file '{name}' leads outside content/sources/ (a link?)", rule="source-file")
        return None
    if not os.path.isfile(real):
        problem = "is not a regular file" if os.path.exists(real) else "not found"
        hint = "" if os.path.exists(real) or registered is None else _other_files(folder, name, registered)
        report.error(where, f"source file {problem}: {display_path(str(target))}{hint}", rule="source-file")
        return None
    if os.path.getsize(real) > MAX_SOURCE_FILE:
        report.error(where, f"source file is larger than {MAX_SOURCE_FILE // 2**20} MB", rule="source-file")
        return None
    try:
        with open(real, "rb") as handle:
            return handle.read()
    except OSError as e:
        report.error(where, f"cannot read source file '{name}': {e.strerror}", rule="source-file")
        return None


def read_source(report: Report, doc: Document, path: tuple, raw: dict, folder: Path,
                root: Path, registered: set | None = None) -> tuple[str, str]:
    """The source's decoded text and the sha256 of its bytes ('' and '' when unreadable)."""
    where = doc.at(path + ("file",))
    name = raw["file"]
    data = _read_bytes(report, where, name, folder, root, registered)
    if data is None:
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
        target = folder / name
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
    """A source (or its original) written without ``sha256``: the error gets the line to add, hashed
    from the file as it is now, or says that the file is not there to hash (and which file it
    probably is)."""
    if valid is None or not isinstance(valid.doc.value, list):
        return
    doc, value = valid.doc, valid.doc.value
    registered = {item.get("file") for item in value if isinstance(item, dict)}
    wanted = {}
    for i, item in enumerate(value):
        for node in ((i,), (i, "original")):
            entry = item.get(node[-1]) if len(node) == 2 and isinstance(item, dict) else item
            if isinstance(entry, dict) and "sha256" not in entry and isinstance(entry.get("file"), str):
                wanted[doc.at(node)] = entry["file"]
    for k, d in enumerate(report.items):
        if d.message != "missing field 'sha256'" or d.location not in wanted:
            continue
        name = wanted[d.location]
        target = folder / name
        if not inside(folder, target):
            continue
        if os.path.isfile(target):
            digest = file_hash(Report(), d.location, name, folder, root)
            note = f"add this line: sha256: {digest}" if digest else ""
        else:
            note = (f"it pins the file's bytes, and {display_path(str(target))} is not there to hash"
                    f"{_other_files(folder, name, registered)}")
        if note:
            report.items[k] = replace(d, notes=d.notes + (note,))
