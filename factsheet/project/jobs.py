"""One briefing of a project as an independent job: check it, build it into its own output folder
(with its own cache record), or report its coverage, and say how it went in plain, picklable
values, so that the job runs the same in this process or in a worker of a process pool."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, FactsheetError
from factsheet.model import Briefing
from factsheet.outputs.pdfcost import DEFAULT_BUDGET_MB
from factsheet.verification.rules import Options


@dataclass(frozen=True)
class Job:
    slug: str
    folder: Path
    library: Path | None
    out: Path | None  # None: check only
    templates: Path | None
    strict: bool = False
    options: Options | None = None
    # report: (list the uncited sentences, list the single-source facts); None: check or build
    coverage: tuple[bool, bool] | None = None
    pdf: bool = True  # build: the PDF too (build --no-pdf: not)
    pdf_budget_mb: float | None = DEFAULT_BUDGET_MB  # build --max-pdf-memory


@dataclass(frozen=True)
class Tally:
    """What one briefing's coverage report adds to the project's totals."""

    facts: int
    single: int  # facts resting on one source
    sources: tuple[str, ...]  # the ids of its sources: its own, and the shared ones it cites


@dataclass(frozen=True)
class Entry:
    """What the index page says of a briefing."""

    slug: str
    title: str
    date: str | None
    version: str | None  # the latest release's, None when never released
    review: str


@dataclass(frozen=True)
class Outcome:
    slug: str
    ok: bool
    diagnostics: tuple[str, ...]  # formatted, in report order
    summary: str
    written: tuple[str, ...] = ()  # output paths rewritten (none when up to date or failed)
    reused: bool = False  # build: every output was up to date; publish: the PDF was
    entry: Entry | None = None
    text: str = ""  # the coverage report, for a report job
    tally: Tally | None = None


def run_job(job: Job) -> Outcome:
    """Check, build or report one briefing; every failure becomes an Outcome, never an exception."""
    from factsheet import pipeline

    report = Report()
    try:
        if job.coverage is not None:
            return _report(job, *job.coverage)
        briefing, report = pipeline.verify(job.folder, strict=job.strict, options=job.options, library=job.library)
        if briefing is None:
            return _failed(job.slug, report)
        if job.out is None:
            return _done(job, report, briefing, ())
        from factsheet.cache import Reused
        from factsheet.outputs.environment import DEFAULT_TEMPLATES

        written = pipeline.write_outputs(briefing, job.out, job.templates or DEFAULT_TEMPLATES, pdf=job.pdf,
                                         pdf_budget_mb=job.pdf_budget_mb)
        return _done(job, report, briefing, () if isinstance(written, Reused) else tuple(map(str, written)),
                     reused=isinstance(written, Reused))
    except Exception as e:  # noqa: BLE001 - one briefing's bug must not stop the others
        return failure(job.slug, e, report)


def _report(job: Job, sentences: bool, single: bool) -> Outcome:
    """Load and anchor (no rules, as ``factsheet report``), then the coverage report as text."""
    from factsheet.curate.report import coverage_report
    from factsheet.pipeline import load_resolved

    briefing, report = load_resolved(job.folder, job.library)
    if briefing is None:
        return _failed(job.slug, report)
    text = coverage_report(briefing, uncited=sentences, single=single)
    tally = Tally(len(briefing.facts), sum(f.single_source for f in briefing.facts),
                  tuple(s.id for s in briefing.sources))
    return Outcome(job.slug, True, _lines(report), report.summary(), text=text, tally=tally)


def failure(slug: str, error: Exception, report: Report) -> Outcome:
    """What went wrong in one briefing's job, as its Outcome (a bug in factsheet included)."""
    if isinstance(error, ContentError):
        return _failed(slug, error.report)
    return _failed(slug, report, error_line(error))


def error_line(error: Exception) -> str:
    if isinstance(error, FactsheetError):
        return f"factsheet: error: {error}"
    return f"factsheet: internal error: {type(error).__name__}: {str(error)[:300]}"


def _lines(report: Report) -> tuple[str, ...]:
    return tuple(d.format() for d in report.sorted())


def _done(job: Job, report: Report, briefing: Briefing, written: tuple[str, ...], reused: bool = False) -> Outcome:
    return Outcome(job.slug, True, _lines(report), report.summary(), written, reused, entry(job.slug, briefing))


def _failed(slug: str, report: Report, error: str | None = None) -> Outcome:
    return Outcome(slug, False, _lines(report) + ((error,) if error else ()), report.summary())


def entry(slug: str, briefing: Briefing) -> Entry:
    latest = briefing.latest
    version = None
    if latest is not None:
        changed = briefing.content_digest != latest.digest
        version = latest.version + (" (changed since)" if changed else "")
    return Entry(slug, briefing.title, briefing.date, version, review_state(briefing))


def review_state(briefing: Briefing) -> str:
    """``3 of 5 facts reviewed, 1 stale``; ``not reviewed`` for a briefing without reviews."""
    if not briefing.uses_reviews:
        return "not reviewed"
    states = [f.review.state if f.review else "unreviewed" for f in briefing.facts]
    said = f"{states.count('reviewed')} of {len(states)} facts reviewed"
    for state in ("stale", "disputed"):
        if states.count(state):
            said += f", {states.count(state)} {state}"
    return said


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


J = TypeVar("J")
R = TypeVar("R")


def run_all(jobs: Sequence[J], workers: int, work: Callable[[J], R]) -> Iterator[R]:
    """``work`` (a module-level function, so that a worker can run it) of every job, in the order
    of ``jobs``, each result as soon as it and those before it are done. One worker runs them here,
    in turn; more run them in a process pool."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(work, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        pending = deque(pool.submit(work, job) for job in jobs)
        while pending:  # each result let go once given: a publish's PDFs are not all kept at once
            yield pending.popleft().result()
