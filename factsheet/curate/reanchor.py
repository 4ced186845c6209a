"""``factsheet reanchor``: propose new spans for every citation of a changed (drifted) source,
and with ``write`` put them and the new hashes back into the YAML files, changing nothing else.

``accept`` takes, for the citations named (``FILE:LINE``, as the report prints them), the candidate
the report shows though it was not placed by itself, and writes it. Every write first records
the files as they were in ``CONTENT/.reanchor-undo.json``; ``undo`` puts the last write back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_file
from factsheet.model import Briefing, Source
from factsheet.sources.load import load
from factsheet.verification import reanchor as drift

UNDO = ".reanchor-undo.json"  # hidden: never read as content, never seen by --watch
MAX_UNDO = 20  # the writes that can be undone, latest last


@dataclass
class Reanchored:
    drifted: list[Source]
    proposals: list[drift.Proposal]
    report: Report
    written: list[tuple[Path, int]] = field(default_factory=list)  # each file and how many values

    @property
    def placed(self) -> int:
        return sum(p.new is not None for p in self.proposals)


def reanchor_content(content: str | Path, *, min_score: float = drift.MIN_SCORE,
                     write: bool = False, accept: tuple[str, ...] = ()) -> Reanchored:
    if not 0 <= min_score <= 100:
        raise UsageError("--min-score must be between 0 and 100")
    briefing, report = load(content)
    if briefing is None or report.errors:
        raise ContentError(report)
    changed = drift.drifted(briefing)
    result = Reanchored(changed, drift.reanchor(briefing, report, min_score) if changed else [], report)
    if accept:
        result.proposals = _accept(result.proposals, accept, briefing, report)
    if write or accept:
        root = Path(briefing.content_dir)
        edits = drift.edits_for(result.proposals, briefing)
        after = {file: drift.edited(file, e) for file, e in edits.items()}
        if after:
            _record_undo(root, {root / f.name: f.data for f in after}, {root / f.name: d for f, d in after.items()})
        for file, data in after.items():
            write_file(root / file.name, data)
            result.written.append((Path(file.path), len(edits[file])))
    return result


def _accept(proposals: list[drift.Proposal], wanted: tuple[str, ...], briefing: Briefing,
            report: Report) -> list[drift.Proposal]:
    """The proposals with the named citations' candidates taken, and their errors withdrawn."""
    places = [_place(w) for w in wanted]
    taken = set()
    for i, p in enumerate(proposals):
        loc = p.selector.location
        if any(line == loc.line and _same_file(name, loc.path, briefing) for name, line in places):
            taken.add((loc.path, loc.line))
            proposals[i] = drift.accepted(p)
    missing = [w for w, (name, line) in zip(wanted, places, strict=True)
               if not any(line == ln and _same_file(name, path, briefing) for path, ln in taken)]
    if missing:
        unplaced = ", ".join(f"{p.selector.location.path}:{p.selector.location.line}"
                             for p in proposals if p.new is None) or "none"
        raise UsageError(f"--accept {missing[0]}: no citation of a changed source has its quote on that line "
                         f"(citations not placed: {unplaced})")
    report.items = [d for d in report.items
                    if not (d.rule == drift.RULE and (d.location.path, d.location.line) in taken)]
    return proposals


def _place(text: str) -> tuple[str, int]:
    m = re.fullmatch(r"(.+):([0-9]+)(?::[0-9]+)?", text.strip())
    if not m:
        raise UsageError(f"--accept {text!r}: write FILE:LINE, as the report prints it "
                         "(content/facts/x.yaml:12)")
    return m.group(1), int(m.group(2))


def _same_file(name: str, path: str, briefing: Briefing) -> bool:
    """``name`` as the user gave it names the content file shown as ``path``."""
    return name in (path, briefing.file(path).name) or Path(name).resolve() == Path(path).resolve()


# --- undo ----------------------------------------------------------------------------------------

def _record_undo(content: Path, before: dict[Path, bytes], after: dict[Path, bytes]) -> None:
    writes = _undo_log(content)
    writes.append({str(p.relative_to(content)): {"before": base64.b64encode(before[p]).decode("ascii"),
                                                 "after_sha256": hashlib.sha256(after[p]).hexdigest()}
                   for p in before})
    write_file(content / UNDO, json.dumps(writes[-MAX_UNDO:], indent=1).encode("utf-8"))


def _undo_log(content: Path) -> list[dict]:
    path = content / UNDO
    if not path.is_file():
        return []
    try:
        writes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UsageError(f"{path} is not a record of reanchor writes; delete it to start afresh") from None
    return writes if isinstance(writes, list) else []


def undo(content: str | Path) -> list[Path]:
    """Put back the files as they were before the last ``reanchor --write`` (or ``--accept``);
    refused if any of them was edited since, so no later edit is lost."""
    content = Path(content)
    writes = _undo_log(content)
    if not writes:
        raise UsageError("nothing to undo: no reanchor --write is recorded in this content folder")
    last = writes[-1]
    for name, entry in last.items():
        now = (content / name).read_bytes() if (content / name).is_file() else b""
        if hashlib.sha256(now).hexdigest() != entry["after_sha256"]:
            raise UsageError(f"{content / name} has changed since the reanchor write; undoing it would lose "
                             "that edit, so nothing was undone")
    for name, entry in last.items():
        write_file(content / name, base64.b64decode(entry["before"]))
    rest = writes[:-1]
    if rest:
        write_file(content / UNDO, json.dumps(rest, indent=1).encode("utf-8"))
    else:
        (content / UNDO).unlink()
    return [content / name for name in last]

