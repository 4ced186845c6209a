"""``factsheet release VERSION``: publish the briefing as it stands as a version that later checks
compare against. Refused unless the content passes ``check`` (and the review requirement, when the
briefing sets one); writes the snapshot (``releases/VERSION.json``, the briefing's JSON) and then
appends the entry to ``releases.yaml``, keeping the rest of that file byte for byte. A release is
never rewritten."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from factsheet.errors import ContentError, UsageError
from factsheet.files import write_file
from factsheet.outputs.data import render_json
from factsheet.pipeline import verify
from factsheet.sources.releases import RELEASES, snapshot_name
from factsheet.verification.rules import Options

_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HEADER = ("# Releases, appended by `factsheet release`: each version, its date, the digest of the content\n"
           "# it published and the sha256 of its snapshot in releases/. Edit nothing by hand.\n")


@dataclass(frozen=True)
class Released:
    version: str
    date: str
    snapshot: Path
    record: Path
    facts: int


def release(content: str | Path, version: str, *, date: str | None = None, note: str | None = None,
            options: Options | None = None) -> Released:
    content = Path(content)
    if not _VERSION.match(version):
        raise UsageError(f"version {version!r}: write it as 1, 2, 1.1 …")
    date = date or datetime.date.today().isoformat()
    if not _DATE.match(date):
        raise UsageError(f"--date must be YYYY-MM-DD, not {date!r}")
    if date > datetime.date.today().isoformat():
        raise UsageError(f"--date {date} is in the future")
    briefing, report = verify(content, options=options)
    if briefing is None:
        raise ContentError(report)
    latest = briefing.latest
    key = tuple(int(p) for p in version.split("."))
    if latest is not None and key <= latest.key:
        raise UsageError(f"version {version} does not come after release {latest.version}; versions increase")
    if latest is not None and date < latest.date:
        raise UsageError(f"--date {date} is before release {latest.version} ({latest.date})")
    snapshot = render_json(briefing).encode("utf-8")
    entry = [f'- version: "{version}"', f'  date: "{date}"']
    if note:
        entry.append(f"  note: {json.dumps(note, ensure_ascii=False)}")
    entry += [f"  digest: {briefing.content_digest}", f"  corrections: {len(briefing.corrections)}",
              f"  snapshot_sha256: {hashlib.sha256(snapshot).hexdigest()}"]
    record = content / RELEASES
    old = record.read_bytes() if record.exists() else _HEADER.encode("utf-8")
    if old and not old.endswith(b"\n"):
        old += b"\n"
    # The snapshot first: a release entry never points at a snapshot that is not there.
    path = write_file(content / snapshot_name(version), snapshot)
    write_file(record, old + ("\n".join(entry) + "\n").encode("utf-8"))
    return Released(version, date, path, record, len(briefing.facts))
