"""Releases and corrections as the content records them: ``releases.yaml`` (each release with the
digest of the content it published and the sha256 of its snapshot), the snapshots themselves
(``releases/VERSION.json``, the briefing's JSON at that moment: the facts it published, with their
exact spans), and ``corrections.yaml``. A snapshot that is missing or was edited is an error at its
release's entry."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.model import Correction, Location, Release, ReleasedFact, Snapshot
from factsheet.sources.nodes import Valid
from factsheet.sources.sourcefiles import inside

RELEASES = "releases.yaml"
CORRECTIONS = "corrections.yaml"
SNAPSHOTS = "releases"
MAX_SNAPSHOT = 200 * 1024 * 1024


def snapshot_name(version: str) -> str:
    return f"{SNAPSHOTS}/{version}.json"


def releases(report: Report, valid: Valid | None, root: Path) -> list[Release]:
    if valid is None:
        return []
    found = []
    for path, raw in valid.items():
        where = valid.doc.at(path + ("version",))
        snapshot = _snapshot(report, root, raw, valid.doc.at(path + ("snapshot_sha256",)))
        found.append(Release(raw["version"], raw["date"], raw.get("note"), raw["digest"], raw["corrections"],
                             where, snapshot))
    return found


def _snapshot(report: Report, root: Path, raw: dict, where: Location) -> Snapshot | None:
    """The snapshot's bytes, when they are the ones recorded; its facts are parsed on first use."""
    name = snapshot_name(raw["version"])
    path = root / name
    if not path.is_file() or not inside(root, path):
        report.error(where, f"the snapshot of release {raw['version']} ({name}) is missing", rule="release")
        return None
    if path.stat().st_size > MAX_SNAPSHOT:
        report.error(where, f"{name} is larger than {MAX_SNAPSHOT // 2**20} MB", rule="release")
        return None
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != raw["snapshot_sha256"]:
        report.error(where, f"{name} was changed after release {raw['version']}: its sha256 is {actual}, "
                     f"recorded {raw['snapshot_sha256']}; a release is never rewritten", rule="release")
        return None
    return Snapshot(data, parse_snapshot, where)


def parse_snapshot(data: bytes) -> tuple[ReleasedFact, ...]:
    """The facts of a snapshot's bytes; ValueError, KeyError or TypeError if they are no briefing's JSON."""
    return tuple(_released_fact(f) for f in json.loads(data.decode("utf-8"))["facts"])


def unreadable(release: Release) -> str | None:
    """Why a release's snapshot is not a briefing's JSON, reading it now if need be; None when it
    is, or when it is missing or changed (an error of its own, reported as it was loaded)."""
    s = release.snapshot
    if s is None:
        return None
    s.read()
    return f"{snapshot_name(release.version)} is not a briefing's JSON ({s.error})" if s.error else None


def _released_fact(f: dict) -> ReleasedFact:
    spans = tuple((c["source"], int(c["start"]), int(c["end"]), str(c["text"])) for c in f["citations"])
    return ReleasedFact(str(f["id"]), str(f["section"]), str(f["statement"]), spans)


def corrections(valid: Valid | None) -> list[Correction]:
    if valid is None:
        return []
    return [Correction(raw["fact"], raw["date"], raw["kind"], raw["note"], valid.doc.at(path + ("fact",)), i)
            for i, (path, raw) in enumerate(valid.items())]
