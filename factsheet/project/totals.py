"""The project's summary under ``report --project``: the totals of every briefing reported on,
and how many briefings cite each source of the shared library (a source no briefing cites shows
0: a candidate to cite, or to remove from the library)."""

from __future__ import annotations

from factsheet.diagnostics import Report
from factsheet.project import ProjectRun
from factsheet.sources.library import Library


def library_ids(run: ProjectRun) -> list[str]:
    """The shared library's source ids, in its sources.yaml's order (none without a library, or
    when its sources.yaml has errors: each briefing reported them)."""
    if run.project.library is None:
        return []
    return list(Library(Report(), run.project.library).places)


def totals(run: ProjectRun) -> str:
    tallies = [o.tally for o in run.outcomes if o.tally is not None]
    total, reported = len(run.outcomes), len(tallies)
    facts, single = sum(t.facts for t in tallies), sum(t.single for t in tallies)
    lines = [f"== project: {total} briefing{'s' * (total != 1)}"
             + (f", {reported} reported" if reported != total else "") + " ==",
             f"{facts} facts, {single} of them resting on one source"]
    shared = library_ids(run)
    if shared:
        citing = {sid: sum(sid in t.sources for t in tallies) for sid in shared}
        rows = [("shared source", "briefings citing it"), *((sid, str(n)) for sid, n in citing.items())]
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        lines += [""] + [f"{a.ljust(widths[0])}  {b.rjust(widths[1])}" for a, b in rows]
        unused = sum(n == 0 for n in citing.values())
        lines.append(f"{len(shared)} shared sources, {unused} cited by no briefing")
    return "\n".join(lines) + "\n"
