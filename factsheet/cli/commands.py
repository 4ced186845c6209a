"""The commands: each turns its arguments into one call of the library, then prints the result."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.cli import project
from factsheet.cli.output import EXIT_ERRORS, EXIT_OK, emit, print_report, progress_printer
from factsheet.errors import ContentError, UsageError

if TYPE_CHECKING:
    from factsheet.outputs.pdfprocess import PdfProcess


def options(args: argparse.Namespace):
    from factsheet.verification.rules import Options

    return Options.from_text(min_sources=args.min_sources, require_review=getattr(args, "require_review", None))


def run_check(args: argparse.Namespace) -> int:
    from factsheet.pipeline import verify

    if args.project is not None:
        return project.check_or_build(args, None)
    project.no_jobs_without_project(args)

    briefing, report = verify(Path(args.content), strict=args.strict, options=options(args),
                              progress=progress_printer())
    print_report(report)
    emit(report.summary())
    return EXIT_OK if briefing is not None else EXIT_ERRORS


def run_build(args: argparse.Namespace) -> int:
    if args.project is None and not args.watch and args.pdf:
        from factsheet.outputs import pdfprocess

        with pdfprocess.started() as process:
            return _build(args, process)
    return _build(args, None)


def _build(args: argparse.Namespace, process: PdfProcess | None) -> int:
    from factsheet.pipeline import build

    templates = _templates(args)
    progress = progress_printer()
    if args.project is not None:
        if args.watch:
            raise UsageError("--watch builds one briefing: give --content, not --project")
        return project.check_or_build(args, Path(args.out), templates)
    project.no_jobs_without_project(args)
    if args.watch:
        return _watch(args, templates, progress)
    stale = Path(args.out) / "briefing.pdf"
    had_pdf = not args.pdf and stale.is_file()
    written, report = build(Path(args.content), Path(args.out), templates, strict=args.strict,
                            progress=progress, options=options(args), pdf=args.pdf, pdf_budget_mb=args.pdf_budget_mb,
                            pdf_process=process if process is not None else False)
    print_report(report)
    emit(report.summary())
    from factsheet.cache import Reused

    verb = "up to date" if isinstance(written, Reused) else "wrote"
    for path in written:
        emit(f"{verb} {path}", stream=sys.stdout)
    if had_pdf and not stale.exists():
        emit(f"removed {stale} (built from earlier content; --no-pdf writes no PDF)", stream=sys.stdout)
    return EXIT_OK


def _templates(args: argparse.Namespace) -> Path:
    from factsheet.outputs.environment import DEFAULT_TEMPLATES

    templates = Path(args.templates) if args.templates else DEFAULT_TEMPLATES
    if not (templates / "briefing.md.j2").is_file():
        raise UsageError(f"templates folder {templates} has no briefing.md.j2")
    return templates


def _watch(args: argparse.Namespace, templates: Path, progress, sleep=None) -> int:
    """Build now and after every change; a failed build reports and waits for the next change."""
    import time

    from factsheet.curate.watch import Repeats, watch_build

    out = Path(args.out)
    repeats = Repeats()

    def said(written, report, error=None) -> None:
        stamp = time.strftime("%H:%M:%S")
        if error is not None:
            emit(f"[{stamp}] factsheet: error: {error}. Waiting for changes…")
            return
        new, same = repeats.news(report)
        for diagnostic in new:
            emit(diagnostic.format())
        if same:
            emit(same)
        if written is None:
            emit(f"[{stamp}] {report.summary()}; build failed; nothing was written. Waiting for changes…")
        else:
            emit(f"[{stamp}] {report.summary()}; wrote {len(written)} files to {out}. Waiting for changes…")

    def previewed(written, seconds: float) -> None:
        emit(f"[{time.strftime('%H:%M:%S')}] updated {len(written)} files, all but the PDF, "
             f"{seconds:.2f} s after the change; the PDF follows")

    try:
        watch_build(Path(args.content), out, templates, said, strict=args.strict, options=options(args),
                    interval=args.interval, progress=progress, on_preview=previewed, pdf=args.pdf,
                    pdf_budget_mb=args.pdf_budget_mb, **({"sleep": sleep} if sleep else {}))
    except KeyboardInterrupt:
        emit("factsheet: stopped watching")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from factsheet.curate.report import coverage_report
    from factsheet.pipeline import load_resolved

    if args.project is not None:
        return project.report(args)
    project.no_jobs_without_project(args)
    briefing, report = load_resolved(args.content)
    if briefing is None:
        raise ContentError(report)
    print_report(report)
    emit(coverage_report(briefing, uncited=args.sentences, single=args.single_source), stream=sys.stdout, end="")
    return EXIT_OK


def run_locate(args: argparse.Namespace) -> int:
    from factsheet.curate.locate import find_source, locate_report
    from factsheet.sources.load import load

    briefing, report = load(args.content)
    if briefing is None:
        raise ContentError(report)
    source = find_source(briefing.sources, args.source, report)
    if not source.text:
        raise ContentError(report)
    text, found = locate_report(source, args.words)
    emit(text, stream=sys.stdout, end="")
    return EXIT_OK if found else EXIT_ERRORS


def run_reanchor(args: argparse.Namespace) -> int:
    from factsheet.curate.reanchor import reanchor_content, undo
    from factsheet.verification.reanchor import MIN_SCORE, describe

    if args.undo:
        for path in undo(args.content):
            emit(f"restored {path}", stream=sys.stdout)
        return EXIT_OK
    min_score = args.min_score if args.min_score is not None else MIN_SCORE
    result = reanchor_content(args.content, min_score=min_score, write=args.write, accept=tuple(args.accept))
    if not result.drifted:
        emit("no source has changed since it was pinned; nothing to re-anchor", stream=sys.stdout)
        return EXIT_OK
    for p in result.proposals:
        emit(describe(p), stream=sys.stdout)
    print_report(result.report)
    for file, count in result.written:
        emit(f"updated {file} ({count} value{'s' * (count != 1)})", stream=sys.stdout)
    if result.written:
        where = "" if args.content == "content" else f" --content {shlex.quote(args.content)}"
        emit(f"to put {'them' if len(result.written) > 1 else 'it'} back: factsheet reanchor{where} --undo",
             stream=sys.stdout)
    total = len(result.proposals)
    emit(f"{result.placed} of {total} citation(s) of {len(result.drifted)} changed source(s) placed")
    return EXIT_OK if result.placed == total else EXIT_ERRORS


def run_init(args: argparse.Namespace) -> int:
    import datetime

    from factsheet.curate.init import init_project

    folder = Path(args.folder)
    for path in init_project(folder, datetime.date.today().isoformat(), empty=args.empty):
        emit(f"created {path}", stream=sys.stdout)
    if args.empty:
        emit(f"next: save a source text in {folder / 'sources'}, register it in {folder / 'sources' / 'sources.yaml'}, "
             f"write facts in {folder / 'facts' / 'facts.yaml'}, then: factsheet check --content {folder}",
             stream=sys.stdout)
        return EXIT_OK
    out = folder.parent / (folder.name + "-build")
    emit(f"next: factsheet build --content {folder} --out {out}", stream=sys.stdout)
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    if args.project is None:
        from factsheet.outputs import pdfprocess

        with pdfprocess.started() as process:
            return _publish(args, process)
    return project.publish(args, _templates(args))


def _publish(args: argparse.Namespace, process: PdfProcess | None) -> int:
    from factsheet.sites import publish

    templates = _templates(args)
    project.no_jobs_without_project(args)
    written, report = publish(Path(args.content), args.to, Path(args.site), templates, slug=args.slug,
                              strict=args.strict, configure=args.configure, progress=progress_printer(),
                              notice=emit, pdf_process=process)
    print_report(report)
    emit(report.summary())
    for path in written:
        emit(f"wrote {path}", stream=sys.stdout)
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    import datetime

    from factsheet.curate import review
    from factsheet.pipeline import verify

    briefing, report = verify(Path(args.content))
    briefing = review.require_verified(briefing, report)
    if args.list:
        emit(review.listing(briefing), stream=sys.stdout, end="")
        return EXIT_OK
    if not args.reviewer:
        raise UsageError("say who is reviewing: --reviewer NAME (the outputs print it)")
    reviewer = review.check_reviewer(args.reviewer)
    date = review.check_date(args.date or datetime.date.today().isoformat())
    if args.verdict:
        if not args.facts:
            raise UsageError("--verdict needs the ids of the facts it is for; nothing is stamped in bulk")
        facts = review.facts_named(briefing, args.facts)
        for fact in facts:
            emit(review.show(fact, briefing, report) + "\n", stream=sys.stdout)
        stamps = [review.Stamp(f, reviewer, date, args.verdict, args.note) for f in facts]
    else:
        if not sys.stdin.isatty():
            raise UsageError("without --verdict, review walks through the facts on a terminal; "
                             "give --verdict and the fact ids to record verdicts from a script")
        facts = (review.facts_named(briefing, args.facts) if args.facts else
                 [f for f in briefing.facts
                  if not (f.review and any(r.reviewer == reviewer for r in f.review.current))])
        stamps = review.walk(facts, briefing, report, reviewer, date, ask=input,
                             say=lambda text: emit(text, stream=sys.stdout))
    if stamps:
        path = review.record(Path(args.content), briefing, stamps)
        emit(f"recorded {len(stamps)} review stamp{'s' * (len(stamps) != 1)} in {path}", stream=sys.stdout)
    else:
        emit("no verdict given; nothing recorded", stream=sys.stdout)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from factsheet.serve import serve

    try:
        serve(Path(args.content), port=args.port, open_browser=not args.no_browser,
              say=lambda line: emit(line, stream=sys.stdout))
    except KeyboardInterrupt:
        emit("factsheet: stopped serving")
    return EXIT_OK


def run_release(args: argparse.Namespace) -> int:
    from factsheet.curate.release import release

    done = release(Path(args.content), args.version, date=args.date, note=args.note)
    emit(f"wrote {done.snapshot}", stream=sys.stdout)
    emit(f"released version {done.version} ({done.date}): {done.facts} facts, recorded in {done.record}",
         stream=sys.stdout)
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    from factsheet.curate.diff import as_json, as_text, diff

    result = diff(Path(args.content), args.old, args.new)
    emit(as_json(result) if args.json else as_text(result), stream=sys.stdout, end="")
    return EXIT_OK if result.empty else EXIT_ERRORS


def run_add(args: argparse.Namespace) -> int:
    from factsheet.curate.add import Metadata, add_source

    content = Path(args.content)
    if args.refresh:
        if args.source or any((args.id, args.title, args.publisher, args.url, args.published, args.label)):
            raise UsageError("--refresh ID takes no SOURCE and no metadata: it extracts the text again")
        from factsheet.curate.refresh import refresh_source

        refreshed = refresh_source(content, args.refresh, refetch=args.refetch, timeout=args.timeout)
        emit(refreshed.summary, stream=sys.stdout, end="")
        for path in refreshed.written:
            emit(f"wrote {path}", stream=sys.stdout)
        return EXIT_OK
    if args.refetch:
        raise UsageError("--refetch goes with --refresh ID")
    if not args.source:
        raise UsageError("give the SOURCE to add: a file (.txt, .html, .pdf, .warc) or an http(s) URL")
    meta = Metadata(args.id, args.title, args.publisher, args.url, args.published, args.label)
    added = add_source(content, args.source, meta, timeout=args.timeout)
    for path in added.written:
        emit(f"wrote {path}", stream=sys.stdout)
    emit(f"added source '{added.id}'; next: factsheet locate {added.id} \"WORDS\" --content {content}",
         stream=sys.stdout)
    return EXIT_OK
