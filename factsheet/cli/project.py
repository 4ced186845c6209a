"""The commands' ``--project DIR`` forms: every briefing of a project as an independent job, each
reported as it is done (diagnostics with their places, then one line for it), a last line summing
up, and exit 1 if any briefing failed; the others are done all the same."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.cli.output import EXIT_ERRORS, EXIT_OK, emit
from factsheet.errors import UsageError

if TYPE_CHECKING:
    from factsheet.project import Outcome, ProjectRun


def _usage(args: argparse.Namespace) -> None:
    """Refuse what makes no sense for a whole project, before any briefing is touched."""
    if args.content != "content":
        raise UsageError("give --content (one briefing) or --project (all of a project's), not both")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if getattr(args, "slug", None) is not None:
        raise UsageError("--slug names one briefing's page; with --project each briefing is published under its "
                         "folder's name")


def no_jobs_without_project(args: argparse.Namespace) -> None:
    if getattr(args, "jobs", None) is not None:
        raise UsageError("--jobs runs a project's briefings side by side: it needs --project")
    if getattr(args, "shard", None) is not None:
        raise UsageError("--shard takes some of a project's briefings: it needs --project")


def shard(value: str | None) -> tuple[int, int] | None:
    """``--shard K/N`` as (K, N), 1 <= K <= N."""
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise UsageError(f"--shard must be K/N, the K-th of N shards (1 <= K <= N), such as 2/4; not {value!r}")
    return int(k), int(n)


def _each(done: Callable[[Outcome], str], failed: str) -> Callable[[Outcome], None]:
    """Print a briefing's diagnostics, then its line: its summary and ``done`` (or ``failed``)."""
    def each(outcome: Outcome) -> None:
        for line in outcome.diagnostics:
            emit(line)
        emit(f"{outcome.slug}: {outcome.summary}; {done(outcome) if outcome.ok else failed}")
    return each


def _summary(run: ProjectRun, passed: str = "passed") -> int:
    failed = [o.slug for o in run.failed]
    total = len(run.outcomes)
    part = f" (shard {run.shard[0]}/{run.shard[1]})" if run.shard else ""
    emit(f"project{part}: {total} briefing{'s' * (total != 1)}, {total - len(failed)} {passed}"
         + (f", {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    return EXIT_ERRORS if failed else EXIT_OK


def check_or_build(args: argparse.Namespace, out: Path | None, templates: Path | None = None) -> int:
    """``check --project`` (``out`` None) or ``build --project``."""
    from factsheet.cli.commands import options
    from factsheet.project import run_project

    _usage(args)

    def done(outcome: Outcome) -> str:
        if out is None:
            return "ok"
        return "up to date" if outcome.reused else f"wrote {len(outcome.written)} files to {out / outcome.slug}"

    budget = {"pdf": args.pdf, "pdf_budget_mb": args.pdf_budget_mb} if out is not None else {}
    run = run_project(Path(args.project), out, templates=templates, workers=args.jobs, strict=args.strict,
                      options=options(args), shard=shard(args.shard), **budget,
                      each=_each(done, "failed; nothing was written" if out is not None else "failed"))
    for path in run.index:
        emit(f"wrote {path}", stream=sys.stdout)
    return _summary(run)


def report(args: argparse.Namespace) -> int:
    """``report --project``: each briefing's coverage report under its slug, then the project's totals."""
    from factsheet.project import run_project
    from factsheet.project.totals import totals

    _usage(args)
    shown = _each(lambda outcome: "reported", "failed; no report")

    def each(outcome: Outcome) -> None:
        shown(outcome)
        if outcome.ok:
            emit(f"== {outcome.slug} ==\n{outcome.text}", stream=sys.stdout)

    run = run_project(Path(args.project), workers=args.jobs, coverage=(args.sentences, args.single_source),
                      each=each)
    emit(totals(run), stream=sys.stdout, end="")
    return _summary(run, "reported")


def publish(args: argparse.Namespace, templates: Path) -> int:
    """``publish --project``: every briefing into the site, each under its slug."""
    from factsheet.project.publish import publish_project

    _usage(args)

    def wrote(outcome: Outcome) -> str:
        for path in outcome.written:
            emit(f"wrote {path}", stream=sys.stdout)
        # A PDF the site already has from the same content, templates and tool is not rewritten.
        n = len(outcome.written)
        return f"wrote {n} file{'s' * (n != 1)}" + (" (its PDF was up to date)" if outcome.reused else "")

    run = publish_project(Path(args.project), args.to, Path(args.site), templates, configure=args.configure,
                          strict=args.strict, workers=args.jobs,
                          each=_each(wrote, "failed; nothing was written"), notice=emit)
    return _summary(run)
