"""``factsheet diff [OLD] [NEW]``: what changed between two releases, or between a release and the
content as it is now (default: the latest release and now), fact by fact: facts added, removed and
changed (a word diff of the statement, the cited passages added and removed), and sources added,
removed, re-pinned or drifted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, UsageError
from factsheet.model import Briefing, ReleasedFact
from factsheet.pipeline import load_resolved
from factsheet.sources.releases import snapshot_name, unreadable
from factsheet.verification.anchor import word_diff
from factsheet.verification.changes import FactChange, changes, current

NOW = "now"


@dataclass
class Side:
    name: str  # a version, or "now"
    facts: dict[str, ReleasedFact]
    sources: dict[str, str]  # id -> sha256 as pinned
    drifted: set[str] = field(default_factory=set)


@dataclass
class Diff:
    old: Side
    new: Side
    facts: list[FactChange]
    sources: list[tuple[str, str]]  # (source id, "added" | "removed" | "re-pinned" | "drifted")

    @property
    def empty(self) -> bool:
        return not self.facts and not self.sources


def diff(content: str | Path, old: str | None = None, new: str | None = None) -> Diff:
    briefing, report = load_resolved(content)
    if briefing is None or report.errors:
        raise ContentError(report)
    if not briefing.releases:
        raise UsageError("no release yet: `factsheet release VERSION` makes the first")
    old = old or briefing.releases[-1].version
    a, b = _side(briefing, old), _side(briefing, new or NOW)
    return Diff(a, b, changes(a.facts, b.facts), _source_changes(a, b))


def _side(briefing: Briefing, name: str) -> Side:
    if name == NOW:
        return Side(NOW, current(briefing), {s.id: s.sha256 for s in briefing.sources},
                    {s.id for s in briefing.sources if s.text and s.drifted})
    release = next((r for r in briefing.releases if r.version == name), None)
    if release is None:
        known = ", ".join(r.version for r in briefing.releases)
        raise UsageError(f"no release {name!r} (releases: {known}, or 'now')")
    # The snapshot was verified against its recorded sha256 when the content was loaded.
    why = unreadable(release)
    if why is not None and release.snapshot is not None:
        report = Report()
        report.error(release.snapshot.location, why, rule="release")
        raise ContentError(report)
    data = json.loads((Path(briefing.content_dir) / snapshot_name(name)).read_text(encoding="utf-8"))
    return Side(name, {f.id: f for f in release.facts}, {s["id"]: s["sha256"] for s in data["sources"]})


def _source_changes(a: Side, b: Side) -> list[tuple[str, str]]:
    found = [(sid, "added") for sid in b.sources if sid not in a.sources]
    found += [(sid, "removed") for sid in a.sources if sid not in b.sources]
    found += [(sid, "re-pinned") for sid in b.sources if sid in a.sources and a.sources[sid] != b.sources[sid]]
    found += [(sid, "drifted") for sid in sorted(b.drifted)]
    return found


def as_text(d: Diff) -> str:
    lines = [f"from {_label(d.old.name)} to {_label(d.new.name)}:"]
    if d.empty:
        return lines[0] + " no difference\n"
    for c in d.facts:
        lines.append(f"{c.change} {c.id}")
        if c.change == "changed" and c.old and c.new:
            if c.statement_changed:
                lines.append(f"  statement: {word_diff(c.old.statement, c.new.statement)}")
            lines += [f"  + cites {source}: “{_flat(text)}”" for source, text in c.cited_added]
            lines += [f"  - no longer cites {source}: “{_flat(text)}”" for source, text in c.cited_removed]
        elif c.change == "added" and c.new:
            lines.append(f"  “{c.new.statement}”")
        elif c.old:
            lines.append(f"  was: “{c.old.statement}”")
    lines += [f"source {sid} {what}" for sid, what in d.sources]
    counts = {k: sum(c.change == k for c in d.facts) for k in ("added", "removed", "changed")}
    lines.append(", ".join(f"{n} {k}" for k, n in counts.items()) + f" fact(s); {len(d.sources)} source change(s)")
    return "\n".join(lines) + "\n"


def as_json(d: Diff) -> str:
    def fact(c: FactChange) -> dict[str, Any]:
        return {"id": c.id, "change": c.change,
                "old": c.old.statement if c.old else None, "new": c.new.statement if c.new else None,
                "cited_added": [{"source": s, "text": t} for s, t in c.cited_added],
                "cited_removed": [{"source": s, "text": t} for s, t in c.cited_removed]}

    data = {"old": d.old.name, "new": d.new.name, "facts": [fact(c) for c in d.facts],
            "sources": [{"id": sid, "change": what} for sid, what in d.sources]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _label(name: str) -> str:
    return "the content now" if name == NOW else f"release {name}"


def _flat(text: str) -> str:
    return " ".join(text.split())
