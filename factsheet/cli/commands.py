"""The commands: each turns its arguments into one call of the library, then prints the result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factsheet.cli.output import EXIT_ERRORS, EXIT_OK, emit, print_report, progress_printer
from factsheet.errors import ContentError, UsageError


def options(args: argparse.Namespace):
    from factsheet.verify.rules import Options

    return Options.from_text(min_sources=args.min_sources)


def run_check(args: argparse.Namespace) -> int:
    from factsheet.pipeline import verify

    briefing, report = verify(Path(args.content), strict=args.strict, options=options(args),
                              progress=progress_printer())
    print_report(report)
    emit(report.summary())
    return EXIT_OK if briefing is not None else EXIT_ERRORS


def run_build(args: argparse.Namespace) -> int:
    from factsheet.pipeline import build

    templates = _templates(args)
    progress = progress_printer()
    if args.watch:
        return _watch(args, templates, progress)
    written, report = build(Path(args.content), Path(args.out), templates, strict=args.strict,
                            progress=progress, options=options(args))
    print_report(report)
    emit(report.summary())
    from factsheet.cache import Reused

    verb = "up to date" if isinstance(written, Reused) else "wrote"
    for path in written:
        emit(f"{verb} {path}", stream=sys.stdout)
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

    from factsheet.curate.watch import watch_build

    out = Path(args.out)

    def said(written, report, error=None) -> None:
        stamp = time.strftime("%H:%M:%S")
        if error is not None:
            emit(f"[{stamp}] factsheet: error: {error}. Waiting for changes…")
            return
        print_report(report)
        if written is None:
            emit(f"[{stamp}] {report.summary()}; build failed; nothing was written. Waiting for changes…")
        else:
            emit(f"[{stamp}] {report.summary()}; wrote {len(written)} files to {out}. Waiting for changes…")

    try:
        watch_build(Path(args.content), out, templates, said, strict=args.strict, options=options(args),
                    interval=args.interval, progress=progress, **({"sleep": sleep} if sleep else {}))
    except KeyboardInterrupt:
        emit("factsheet: stopped watching")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from factsheet.curate.report import coverage_report
    from factsheet.pipeline import load_resolved

    briefing, report = load_resolved(args.content)
    if briefing is None:
        raise ContentError(report)
    print_report(report)
    emit(coverage_report(briefing), stream=sys.stdout, end="")
    return EXIT_OK


def run_locate(args: argparse.Namespace) -> int:
    from factsheet.curate.locate import find_source, locate_report
    from factsheet.sources.load import load

    briefing, report = load(args.content)
    if briefing is None:
        raise ContentError(report)
    source = find_source(briefing.sources, args.source)
    if not source.text:
        raise ContentError(report)
    text, found = locate_report(source, args.words)
    emit(text, stream=sys.stdout, end="")
    return EXIT_OK if found else EXIT_ERRORS


def run_reanchor(args: argparse.Namespace) -> int:
    from factsheet.curate.reanchor import reanchor_content
    from factsheet.verify.reanchor import MIN_SCORE, describe

    min_score = args.min_score if args.min_score is not None else MIN_SCORE
    result = reanchor_content(args.content, min_score=min_score, write=args.write)
    if not result.drifted:
        emit("no source has changed since it was pinned; nothing to re-anchor", stream=sys.stdout)
        return EXIT_OK
    for p in result.proposals:
        emit(describe(p), stream=sys.stdout)
    print_report(result.report)
    for file, count in result.written:
        emit(f"updated {file} ({count} value{'s' * (count != 1)})", stream=sys.stdout)
    total = len(result.proposals)
    emit(f"{result.placed} of {total} citation(s) of {len(result.drifted)} changed source(s) placed")
    return EXIT_OK if result.placed == total else EXIT_ERRORS


def run_init(args: argparse.Namespace) -> int:
    import datetime

    from factsheet.curate.init import init_project

    folder = Path(args.folder)
    for path in init_project(folder, datetime.date.today().isoformat()):
        emit(f"created {path}", stream=sys.stdout)
    out = folder.parent / (folder.name + "-build")
    emit(f"next: factsheet build --content {folder} --out {out}", stream=sys.stdout)
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    from factsheet.publish import publish

    templates = _templates(args)
    written, report = publish(Path(args.content), args.to, Path(args.site), templates, slug=args.slug,
                              strict=args.strict, progress=progress_printer())
    print_report(report)
    emit(report.summary())
    for path in written:
        emit(f"wrote {path}", stream=sys.stdout)
    return EXIT_OK


