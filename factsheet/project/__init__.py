"""A project of many briefings (docs/projects.md), checked, built, reported on or published as
independent jobs::

    read      factsheet.yaml -> the briefings and the shared sources library  (factsheet.sources)
    jobs      each briefing checked, reported on, or built into OUT/<slug>/   (project.jobs)
              with its own cache record, in a process pool; one failing does not stop the others
    index     OUT/index.md and OUT/index.html, rewritten only when they change (project.index)

Publishing every briefing into one site is ``project.publish``; the report's project-wide
totals are ``project.totals``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.errors import ContentError
from factsheet.files import write_files
from factsheet.outputs.pdfcost import DEFAULT_BUDGET_MB
from factsheet.pipeline import check_output_folder
from factsheet.project.index import INDEX_HTML, INDEX_MD, index_html, index_markdown
from factsheet.project.jobs import Entry, Job, Outcome, default_jobs, run_all, run_job
from factsheet.sources.projectfile import Project, read_project
from factsheet.verification.rules import Options

__all__ = ["ProjectRun", "run_project", "default_jobs", "Outcome", "open_project", "in_shard"]


@dataclass
class ProjectRun:
    project: Project
    outcomes: list[Outcome] = field(default_factory=list)
    index: list[Path] = field(default_factory=list)  # the index files rewritten
    shard: tuple[int, int] | None = None  # (K, N): the K-th of N shards of the briefings, if not all

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def open_project(folder: str | Path) -> Project:
    """The project in ``folder``; raises ContentError when factsheet.yaml has errors."""
    project, report = read_project(folder)
    if project is None:
        raise ContentError(report)
    return project


def run_project(folder: str | Path, out: str | Path | None = None, *, templates: Path | None = None,
                workers: int | None = None, strict: bool = False, options: Options | None = None,
                coverage: tuple[bool, bool] | None = None, pdf: bool = True,
                pdf_budget_mb: float | None = DEFAULT_BUDGET_MB, shard: tuple[int, int] | None = None,
                each: Callable[[Outcome], None] = lambda _: None) -> ProjectRun:
    """Check every briefing of the project in ``folder`` or, with ``out``, build each into
    ``out/<slug>/`` and write the index; or, with ``coverage`` (list the uncited sentences, list
    the single-source facts) and no ``out``, report each one's coverage as ``factsheet report``
    does; ``pdf`` and ``pdf_budget_mb`` as for ``pipeline.build``. ``shard`` (K, N): only the
    briefings ``in_shard`` of it, and no index page (it would list the shard alone). ``each`` gets
    every outcome, in the project's order, as soon as it is known. Raises ContentError when
    factsheet.yaml itself has errors."""
    project = open_project(folder)
    target = Path(out) if out is not None else None
    if target is not None:
        check_output_folder(target, project.root)
    jobs = [Job(m.slug, m.folder, project.library, target / m.slug if target else None, templates, strict, options,
                coverage if target is None else None, pdf, pdf_budget_mb)
            for m in project.briefings if shard is None or in_shard(m.slug, *shard)]
    run = ProjectRun(project, shard=shard)
    for outcome in run_all(jobs, workers or default_jobs(), run_job):
        each(outcome)
        run.outcomes.append(outcome)
    if target is not None and shard is None:
        run.index = _write_index(target, project, run.outcomes)
    return run


def in_shard(slug: str, k: int, n: int) -> bool:
    """Whether the briefing ``slug`` is in the K-th of N shards. By a hash of its name, not its
    place in factsheet.yaml: a briefing added or removed moves no other to another shard (whose
    runner may hold its cache record)."""
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % n == k - 1


def _write_index(out: Path, project: Project, outcomes: list[Outcome]) -> list[Path]:
    entries: list[Entry | str] = [o.entry if o.entry is not None else o.slug for o in outcomes]
    files = {INDEX_MD: index_markdown(project.title, entries).encode("utf-8"),
             INDEX_HTML: index_html(project.title, entries).encode("utf-8")}
    changed = {name: data for name, data in files.items() if not _same(out / name, data)}
    return write_files(out, changed) if changed else []


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
