"""The ``factsheet`` command: thin commands that call the library and map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict) or an output could
not be written; 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from factsheet import __version__
from factsheet.diagnostics import Report
from factsheet.errors import ContentError, FactsheetError, UsageError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet",
        description="Turn curated facts, each linked to the exact words of its sources, into a cited briefing.")
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="load, validate and resolve every citation; report problems",
                                description="Load, validate and resolve every citation; report every problem "
                                            "as path:line:col, then a summary line.")
    _content_arg(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=run_check)

    build = commands.add_parser("build", help="check, then write briefing.{md,html,pdf,json}",
                                description="Check the content; if it passes, write OUT/briefing.md, "
                                            "briefing.html, briefing.pdf and briefing.json.")
    _content_arg(build)
    build.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
    build.add_argument("--templates", default=None, metavar="DIR",
                       help="Jinja2 templates and CSS (default: the templates shipped with factsheet)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.set_defaults(run=run_build)
    return parser


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="the briefing's content folder (default: content)")


def _print_report(report: Report, briefing_counts: tuple[int, int, int] | None = None) -> None:
    for diagnostic in report.sorted():
        print(diagnostic.format(), file=sys.stderr)


def _summary(report: Report) -> str:
    facts = citations = sources = 0
    for doc in report.docs.values():
        value = doc.value if isinstance(doc.value, list) else []
        if doc.path.endswith("sources.yaml"):
            sources += len(value)
        elif "facts" in Path(doc.path).parts:
            facts += len(value)
            citations += sum(len(f.get("citations") or []) for f in value if isinstance(f, dict)
                             and isinstance(f.get("citations"), list))
    unique = report.sorted()
    errors = sum(d.severity == "error" for d in unique)
    warnings = len(unique) - errors
    return (f"{facts} facts, {citations} citations, {sources} sources: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


def run_check(args: argparse.Namespace) -> int:
    from factsheet.build import verify

    briefing, report = verify(Path(args.content), strict=args.strict, progress=_progress_printer())
    _print_report(report)
    print(_summary(report), file=sys.stderr)
    return EXIT_OK if briefing is not None else EXIT_ERRORS


def run_build(args: argparse.Namespace) -> int:
    from factsheet.build import build
    from factsheet.render import DEFAULT_TEMPLATES

    templates = Path(args.templates) if args.templates else DEFAULT_TEMPLATES
    if not (templates / "briefing.md.j2").is_file():
        raise UsageError(f"templates folder {templates} has no briefing.md.j2")
    progress = _progress_printer()
    try:
        written, report = build(Path(args.content), Path(args.out), templates, strict=args.strict,
                                progress=progress)
    except ContentError:
        raise
    _print_report(report)
    print(_summary(report), file=sys.stderr)
    from factsheet.cache import Reused

    verb = "up to date" if isinstance(written, Reused) else "wrote"
    for path in written:
        print(f"{verb} {path}")
    return EXIT_OK


def _progress_printer():
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean. Each line shows
    # the seconds since the command started, so a slow stage shows itself.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        import time

        start = time.perf_counter()
        return lambda line: print(f"factsheet: {time.perf_counter() - start:6.2f}s {line}", file=sys.stderr)
    return lambda line: None


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as e:
        report = Report()
        report.items.extend(e.diagnostics)
        for diagnostic in e.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"build failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s); "
              "nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    except UsageError as e:
        print(f"factsheet: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except FactsheetError as e:
        print(f"factsheet: error: {e}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("factsheet: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
