"""The ``factsheet`` command: thin commands that call the library and map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict) or an output could
not be written; 2 bad usage; 3 an internal error (a bug in factsheet: a short message, and the
traceback only with FACTSHEET_DEBUG=1). Bad content never causes a traceback.

Everything printed passes through ``_terminal_safe``: messages quote content, and content may hold
control characters or bidi overrides that would rewrite or reorder what the terminal shows.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from factsheet import __version__
from factsheet.diagnostics import Report
from factsheet.errors import ContentError, FactsheetError, UsageError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# C0 and C1 controls (tab and newline excepted), DEL, bidi embeddings, overrides, isolates and
# marks, line and paragraph separators, and lone surrogates (undecodable file names).
_UNSAFE = {c for c in range(0x20) if c not in (0x09, 0x0A)} | set(range(0x7F, 0xA0)) | {
    0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _terminal_safe(text: str) -> str:
    """``text`` with every character that could act on a terminal written as an escape."""
    return "".join(_escape(c) if ord(c) in _UNSAFE or 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _emit(text: str, *, stream=None) -> None:
    print(_terminal_safe(text), file=stream or sys.stderr)


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
        _emit(diagnostic.format())


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

    briefing, report = verify(Path(args.content), strict=args.strict)
    _print_report(report)
    _emit(_summary(report))
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
    _emit(_summary(report))
    for path in written:
        _emit(f"wrote {path}", stream=sys.stdout)
    return EXIT_OK


def _progress_printer():
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return lambda line: _emit(f"factsheet: {line}")
    return lambda line: None


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as e:
        report = Report()
        report.items.extend(e.diagnostics)
        for diagnostic in e.diagnostics:
            _emit(diagnostic.format())
        _emit(f"build failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s); "
              "nothing was written")
        return EXIT_ERRORS
    except UsageError as e:
        _emit(f"factsheet: error: {e}")
        return EXIT_USAGE
    except FactsheetError as e:
        _emit(f"factsheet: error: {e}")
        return EXIT_ERRORS
    except KeyboardInterrupt:
        _emit("factsheet: interrupted; nothing was written")
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
        return _internal_error(e)


def _internal_error(error: Exception) -> int:
    """A bug in factsheet, not in the content: one short line, the traceback only on request."""
    if os.environ.get("FACTSHEET_DEBUG") == "1":
        raise error
    _emit(f"factsheet: internal error: {type(error).__name__}: {str(error)[:300]}")
    _emit("factsheet: this is a bug in factsheet, not in your content; run again with "
          "FACTSHEET_DEBUG=1 to see the traceback, and report it")
    return EXIT_INTERNAL


def _tolerant_streams() -> None:
    # A terminal that cannot show a character gets an escape instead of an encoding error.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
