"""``publish --project``: every briefing of a project published into one site, each under its slug.

Each briefing is an independent job, as in a build: verified, laid out for the site, refused at
once if the site cannot show it, and its page and PDF rendered, in a worker of a process pool.
The site itself is written by the command's own process only, one briefing after the other in the
project's order: each page's needs are judged against the site's configuration as the briefings
before it left it (``--configure`` may have added to it), so no change to the configuration is
lost to another worker's. A briefing that fails leaves its page on the site as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.errors import ContentError
from factsheet.model import Diagnostic, Location
from factsheet.project import ProjectRun, open_project
from factsheet.project.jobs import Outcome, default_jobs, entry, error_line, failure, run_all
from factsheet.sites import SLUG, Rendered, compose, find_site, place, settle, site_needs

Say = Callable[[str], None]


@dataclass(frozen=True)
class PublishJob:
    slug: str
    folder: Path
    library: Path | None
    generator: str
    site: Path
    templates: Path
    strict: bool = False
    configure: bool = False


def publish_job(job: PublishJob) -> tuple[Outcome, Rendered | None]:
    """Verify one briefing and render its page and PDF for the site, writing nothing."""
    from factsheet.pipeline import verify

    report = Report()
    try:
        site = find_site(job.generator, job.site)
        briefing, report = verify(job.folder, strict=job.strict, library=job.library)
        if briefing is None:
            raise ContentError(report)
        draft = compose(site, briefing, job.folder, job.templates, job.slug, job.library)
        # A site that cannot show the page refuses it before its PDF is laid out (the advice a
        # page may get is given when it is written).
        settle(site, site_needs(site, draft.page("0 kB"), draft.files), job.configure, lambda _: None)
        page = draft.render()
        return Outcome(job.slug, True, tuple(d.format() for d in report.sorted()), report.summary(),
                       reused=page.reused, entry=entry(job.slug, briefing)), page
    except Exception as e:  # noqa: BLE001 - one briefing's failure must not stop the others
        return failure(job.slug, e, report), None


def publish_project(folder: str | Path, generator: str, site_dir: Path, templates: Path, *,
                    configure: bool = False, strict: bool = False, workers: int | None = None,
                    each: Callable[[Outcome], None] = lambda _: None, notice: Say = lambda _: None) -> ProjectRun:
    """Publish every briefing of the project in ``folder`` into the site in ``site_dir``, each
    as ``factsheet publish --slug SLUG`` would; ``each`` gets every outcome (its ``written`` are
    the site's files) in the project's order, ``notice`` what publish says of the site's
    configuration. Raises ContentError when factsheet.yaml has errors, UsageError when the site
    is not there."""
    project = open_project(folder)
    find_site(generator, site_dir)  # no site, or another generator's: nothing to try
    refused = {m.slug: _refusal(m.slug, m.location) for m in project.briefings if not SLUG.match(m.slug)}
    jobs = [PublishJob(m.slug, m.folder, project.library, generator, site_dir, templates, strict, configure)
            for m in project.briefings if m.slug not in refused]
    results = run_all(jobs, workers or default_jobs(), publish_job)
    run = ProjectRun(project)
    for member in project.briefings:
        if member.slug in refused:
            outcome = refused[member.slug]
        else:
            outcome, page = next(results)
            if page is not None:
                outcome = _write(outcome, page, generator, site_dir, configure, notice)
        each(outcome)
        run.outcomes.append(outcome)
    return run


def _write(outcome: Outcome, page: Rendered, generator: str, site_dir: Path, configure: bool,
           notice: Say) -> Outcome:
    try:
        site = find_site(generator, site_dir)  # its configuration as the briefings before left it
        found = site_needs(site, page.text, page.files)
        written = place(site, page, settle(site, found, configure, notice), found, notice=notice)
    except Exception as e:  # noqa: BLE001 - one briefing's failure must not stop the others
        return replace(outcome, ok=False, diagnostics=outcome.diagnostics + (error_line(e),), entry=None)
    return replace(outcome, written=tuple(map(str, written)))


def _refusal(slug: str, where: Location) -> Outcome:
    # A project allows folder names (capitals, '_', '.') that a page's URL does not: said where it is named.
    message = (f"briefing '{slug}' cannot be published under its folder's name: a page's slug must be 1-80 "
               "lower-case letters, digits and hyphens, starting with a letter or digit; rename the folder")
    return Outcome(slug, False, (Diagnostic(where, "error", message, "publish").format(),), "not verified")
