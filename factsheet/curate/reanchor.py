"""``factsheet reanchor``: propose new spans for every citation of a changed (drifted) source,
and with ``write`` put them and the new hashes back into the YAML files, changing nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.files import write_file
from factsheet.model import Source
from factsheet.sources.load import load
from factsheet.verification import reanchor as drift


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
                     write: bool = False) -> Reanchored:
    if not 0 <= min_score <= 100:
        raise UsageError("--min-score must be between 0 and 100")
    briefing, report = load(content)
    if briefing is None or report.errors:
        raise ContentError(report)
    changed = drift.drifted(briefing)
    result = Reanchored(changed, drift.reanchor(briefing, report, min_score) if changed else [], report)
    if write:
        for file, edits in drift.edits_for(result.proposals, briefing).items():
            path = Path(briefing.content_dir) / file.name
            write_file(path, drift.edited(file, edits))
            result.written.append((Path(file.path), len(edits)))
    return result
