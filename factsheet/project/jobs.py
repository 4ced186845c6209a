"""One briefing of a project as an independent job: check it, or build it into its own output
folder (with its own cache record), and say how it went in plain, picklable values, so that the
job runs the same in this process or in a worker of a process pool."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError, FactsheetError
from factsheet.model import Briefing
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
    reused: bool = False
    entry: Entry | None = None


def run_job(job: Job) -> Outcome:
    """Check or build one briefing; every failure becomes an Outcome, never an exception."""
    from factsheet import pipeline

    report = Report()
    try:
        briefing, report = pipeline.verify(job.folder, strict=job.strict, options=job.options, library=job.library)
        if briefing is None:
            return _failed(job, report)
        if job.out is None:
            return _done(job, report, briefing, ())
        from factsheet.cache import Reused
        from factsheet.outputs.environment import DEFAULT_TEMPLATES

        written = pipeline.write_outputs(briefing, job.out, job.templates or DEFAULT_TEMPLATES)
        return _done(job, report, briefing, () if isinstance(written, Reused) else tuple(map(str, written)),
                     reused=isinstance(written, Reused))
    except ContentError as e:
        return _failed(job, e.report)
    except FactsheetError as e:
        return _failed(job, report, f"factsheet: error: {e}")
    except Exception as e:  # noqa: BLE001 - one briefing's bug must not stop the others
        return _failed(job, report, f"factsheet: internal error: {type(e).__name__}: {str(e)[:300]}")


def _lines(report: Report) -> tuple[str, ...]:
    return tuple(d.format() for d in report.sorted())


def _done(job: Job, report: Report, briefing: Briefing, written: tuple[str, ...], reused: bool = False) -> Outcome:
    return Outcome(job.slug, True, _lines(report), report.summary(), written, reused, entry(job.slug, briefing))


def _failed(job: Job, report: Report, error: str | None = None) -> Outcome:
    return Outcome(job.slug, False, _lines(report) + ((error,) if error else ()), report.summary())


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


def run_all(jobs: list[Job], workers: int) -> Iterator[Outcome]:
    """Every job's outcome, in the order of ``jobs``, each as soon as it and those before it are
    done. One worker runs them here, in turn; more run them in a process pool."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(run_job, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = [pool.submit(run_job, job) for job in jobs]
        for future in futures:
            yield future.result()
