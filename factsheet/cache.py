"""The build cache: a content hash of everything the outputs are made from, kept with the outputs.

The briefing promises that every cited word was verified by the build that produced it, so the
cache never skips verification: every build loads, anchors and checks the content first. What an
unchanged rebuild skips is rendering (above all WeasyPrint) and rewriting the files. It may,
because rendering is a pure function of

- the content as it was just verified: each YAML file's text and each source's bytes (by the
  sha256 computed from the very bytes that were anchored against);
- every file in the templates folder;
- ``SOURCE_DATE_EPOCH``, when set: the date the outputs show;
- the tool: its version, its own code, and the versions of the libraries that shape the outputs;

and the outputs are deterministic (a rebuild into a fresh folder gives the same bytes). The key
of those inputs and the sha256 of each output are recorded in ``MANIFEST`` in the output folder,
written after the outputs. A rebuild reuses the outputs only if the key is the same and every
output on disk still has its recorded hash; anything else (a changed input, a missing or edited
output, an unreadable manifest) renders everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from factsheet.errors import OutputError
from factsheet.files import write_files
from factsheet.model import Briefing

MANIFEST = ".factsheet-cache.json"
PACKAGE = Path(__file__).resolve().parent
# The libraries whose upgrade can change an output's bytes.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "markdown", "jinja2", "markupsafe", "regex")


def inputs_key(briefing: Briefing, templates: Path, epoch: int | None = None,
               outputs: tuple[str, ...] = ()) -> str:
    """The hash of everything the outputs of this verified briefing are rendered from, including
    ``SOURCE_DATE_EPOCH`` when it is set (the outputs carry that date) and which outputs were
    asked for (a build without the PDF is not up to date for one with it)."""
    h = hashlib.sha256()
    _field(h, "tool", tool_fingerprint())
    if outputs:
        _field(h, "outputs", ",".join(outputs))
    if epoch is not None:
        _field(h, "epoch", str(epoch))
    for file in sorted(briefing.files, key=lambda f: f.name):
        _field(h, "yaml:" + file.name, file.data)
    for s in briefing.sources:
        # A shared source's entry is in no YAML file of the briefing: what the outputs show of it
        # is hashed here (for the briefing's own sources it is also in sources.yaml, above).
        _field(h, "source:" + s.id, "\0".join(map(repr, (
            s.file, s.actual_sha256, s.sha256, s.title, s.publisher, s.url, s.published, s.notes, s.label,
            [(f.quote, f.prefix, f.suffix, f.start, f.end) for f in s.furniture], s.original, s.pages))))
    for path in _files(templates):
        _field(h, "template:" + path.relative_to(templates).as_posix(), path.read_bytes())
    return h.hexdigest()


def _field(h, name: str, value: str | bytes) -> None:
    # Length-prefixed, so no two different sequences of fields can hash alike.
    data = value.encode("utf-8") if isinstance(value, str) else value
    for part in (name.encode("utf-8"), data):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@cache
def tool_fingerprint() -> str:
    """The tool's version, the hash of its own code and the versions of the libraries it renders with."""
    import factsheet

    h = hashlib.sha256()
    _field(h, "version", factsheet.__version__)
    for path in _files(PACKAGE):
        if path.suffix in (".py", ".json"):
            _field(h, path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    for name in _installed(LIBRARIES):
        _field(h, "library", name)
    return h.hexdigest()


def _installed(names: tuple[str, ...]) -> list[str]:
    """The ``name-version.dist-info`` folders of these libraries on sys.path.

    Read from the folder names: importlib.metadata would take ten times as long (it scans and
    parses every distribution), and importing the libraries for ``__version__`` would load
    WeasyPrint on the very rebuild that is meant to skip it.
    """
    import sys

    wanted = {n.lower().replace("-", "_") for n in names}
    found = []
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info") and entry.split("-", 1)[0].lower() in wanted:
                found.append(entry)
    return sorted(found)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(out: Path) -> dict | None:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("key"), str) and isinstance(data.get("outputs"), dict)
    return data if ok else None


class Reused(list):
    """The output paths of a build that found them up to date and rewrote nothing."""


def reusable(out: Path, key: str) -> Reused | None:
    """The recorded outputs if they were built from ``key`` and are intact on disk, else None."""
    manifest = _manifest(out)
    if manifest is None or manifest["key"] != key or not manifest["outputs"]:
        return None
    paths = []
    for name, digest in manifest["outputs"].items():
        path = out / name
        if os.path.basename(name) != name or not path.is_file():
            return None
        try:
            if _sha256(path.read_bytes()) != digest:
                return None
        except OSError:
            return None
        paths.append(path)
    return Reused(paths)


def record(out: Path, key: str, files: dict[str, bytes]) -> None:
    """Write the manifest for outputs just written. Failing to is harmless: the next build renders."""
    manifest = {"key": key, "outputs": {name: _sha256(data) for name, data in files.items()}}
    try:
        write_files(out, {MANIFEST: json.dumps(manifest, indent=1).encode("utf-8")})
    except OutputError:
        pass


# --- a site's PDFs ----------------------------------------------------------------------------------
# ``publish`` lays out the same PDF as ``build``: a site keeps, at its root, the key each of its PDFs
# was rendered from and the PDF's hash, so that publishing unchanged content again (every briefing of
# a project, after one was edited) writes the PDF already there instead of laying it out again. Like
# the build's manifest, a record that does not match (another key, a PDF edited or gone, an unreadable
# file) only means rendering.
PUBLISHED = ".factsheet-publish.json"


def published_pdf(root: Path, pdf: Path, key: str) -> bytes | None:
    """The PDF at ``pdf`` in the site at ``root`` if it was published from ``key`` and is intact."""
    record = _published(root).get(_site_name(root, pdf))
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    return data if _sha256(data) == record.get("sha256") else None


def record_published(root: Path, pdf: Path, key: str, data: bytes) -> None:
    """Note that the PDF just written at ``pdf`` was rendered from ``key``. Failing to is harmless."""
    records = _published(root)
    records[_site_name(root, pdf)] = {"key": key, "sha256": _sha256(data)}
    try:
        write_files(root, {PUBLISHED: json.dumps(records, indent=1, sort_keys=True).encode("utf-8")})
    except OutputError:
        pass


def _published(root: Path) -> dict:
    try:
        data = json.loads((root / PUBLISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _site_name(root: Path, pdf: Path) -> str:
    return os.path.relpath(pdf, root).replace(os.sep, "/")
