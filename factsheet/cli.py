"""The ``factsheet`` command: thin commands that call the library and map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict) or an output could
not be written; 2 bad usage; 3 an internal error (a bug in factsheet: a short message, and the
traceback only with FACTSHEET_DEBUG=1). Bad content never causes a traceback.

Everything printed passes through ``text.terminal_safe``: messages quote content, and content may hold
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
from factsheet.text import terminal_safe

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

def _emit(text: str, *, stream=None, end: str = "\n") -> None:
    print(terminal_safe(text), file=stream or sys.stderr, end=end, flush=True)


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
    _min_sources_arg(check)
    check.set_defaults(run=run_check)

    build = commands.add_parser("build", help="check, then write briefing.{md,html,pdf,json} and the exports",
                                description="Check the content; if it passes, write OUT/briefing.md, "
                                            "briefing.html, briefing.pdf, briefing.json, "
                                            "briefing.annotations.jsonld (W3C Web Annotations) and "
                                            "briefing.sources.csl.json (CSL-JSON).")
    _content_arg(build)
    build.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build)")
    build.add_argument("--templates", default=None, metavar="DIR",
                       help="Jinja2 templates and CSS (default: the templates shipped with factsheet)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _min_sources_arg(build)
    build.add_argument("--watch", action="store_true",
                       help="build, then rebuild on every change of the content or templates (Ctrl-C stops)")
    build.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                       help="with --watch: how often to look for changes (default: 0.5)")
    build.set_defaults(run=run_build)
    _curator_commands(commands)
    _publish_command(commands)
    return parser


def _min_sources_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-sources", action="append", default=[], metavar="[section:ID=|kind:KIND=]N",
                        help="require at least N distinct sources per fact (for every fact, or one "
                             "section or kind); repeatable")


def _options(args: argparse.Namespace):
    from factsheet.verify.rules import Options

    return Options.from_text(min_sources=args.min_sources)


def _curator_commands(commands) -> None:
    report = commands.add_parser("report", help="per source: how much is cited, and the uncited sentences",
                                 description="Print, for each source, the share of its text the briefing "
                                             "cites and every sentence it does not cite (page furniture "
                                             "excluded).")
    _content_arg(report)
    report.set_defaults(run=run_report)

    locate = commands.add_parser("locate", help="find words in a source and print a citation for them",
                                 description="Print every place WORDS occur in SOURCE (exactly, or ignoring "
                                             "typography; else the closest passages), with offsets, context "
                                             "and a citation to paste into a fact.")
    locate.add_argument("source", metavar="SOURCE", help="a source id (or file name) from sources.yaml")
    locate.add_argument("words", metavar="WORDS", help="the words to look for")
    _content_arg(locate)
    locate.set_defaults(run=run_locate)

    reanchor = commands.add_parser("reanchor", help="re-locate the citations of changed (drifted) sources",
                                   description="For every source whose sha256 no longer matches, find each "
                                               "citation again (exact, then ignoring typography, then by "
                                               "scored likeness) and print old span, new span and score. "
                                               "With --write, update offsets and sha256 in the YAML files.")
    _content_arg(reanchor)
    reanchor.add_argument("--write", action="store_true",
                          help="write new offsets and hashes back (only for sources whose every citation "
                               "was placed)")
    reanchor.add_argument("--min-score", type=float, default=None, metavar="SCORE",
                          help="lowest likeness score (0-100) a fuzzy match needs (default: 90)")
    reanchor.set_defaults(run=run_reanchor)

    init = commands.add_parser("init", help="create a new briefing project that builds as it is",
                               description="Create DIR with briefing.yaml, one source and one fact: a "
                                           "valid briefing to start from.")
    init.add_argument("folder", metavar="DIR", help="a new (or empty) folder")
    init.set_defaults(run=run_init)


def _publish_command(commands) -> None:
    publish = commands.add_parser(
        "publish", help="check, then write the page and its PDF into a MkDocs, Hugo or Jekyll site",
        description="Check the content; if it passes, write SITE_DIR's content folder/SLUG/index.md (with "
                    "the generator's front matter) and SLUG/SLUG.pdf, linked from the page as a download.")
    _content_arg(publish)
    publish.add_argument("--to", required=True, choices=("mkdocs", "hugo", "jekyll"), help="the site's generator")
    publish.add_argument("--slug", default=None,
                         help="the page's folder and URL path (default: from the title, e.g. the-bridge-vote)")
    publish.add_argument("--templates", default=None, metavar="DIR",
                         help="Jinja2 templates and CSS (default: the templates shipped with factsheet)")
    publish.add_argument("--strict", action="store_true", help="treat warnings as errors")
    publish.add_argument("site", metavar="SITE_DIR", help="the site's folder (where mkdocs.yml, hugo.toml "
                                                          "or _config.yml is)")
    publish.set_defaults(run=run_publish)


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="the briefing's content folder (default: content)")


def _print_report(report: Report) -> None:
    for diagnostic in report.sorted():
        _emit(diagnostic.format())


def run_check(args: argparse.Namespace) -> int:
    from factsheet.pipeline import verify

    briefing, report = verify(Path(args.content), strict=args.strict, options=_options(args),
                              progress=_progress_printer())
    _print_report(report)
    _emit(report.summary())
    return EXIT_OK if briefing is not None else EXIT_ERRORS


def run_build(args: argparse.Namespace) -> int:
    from factsheet.pipeline import build

    templates = _templates(args)
    progress = _progress_printer()
    if args.watch:
        return _watch(args, templates, progress)
    written, report = build(Path(args.content), Path(args.out), templates, strict=args.strict,
                            progress=progress, options=_options(args))
    _print_report(report)
    _emit(report.summary())
    from factsheet.cache import Reused

    verb = "up to date" if isinstance(written, Reused) else "wrote"
    for path in written:
        _emit(f"{verb} {path}", stream=sys.stdout)
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
            _emit(f"[{stamp}] factsheet: error: {error}. Waiting for changes…")
            return
        _print_report(report)
        if written is None:
            _emit(f"[{stamp}] {report.summary()}; build failed; nothing was written. Waiting for changes…")
        else:
            _emit(f"[{stamp}] {report.summary()}; wrote {len(written)} files to {out}. Waiting for changes…")

    try:
        watch_build(Path(args.content), out, templates, said, strict=args.strict, options=_options(args),
                    interval=args.interval, progress=progress, **({"sleep": sleep} if sleep else {}))
    except KeyboardInterrupt:
        _emit("factsheet: stopped watching")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from factsheet.pipeline import load_resolved
    from factsheet.curate.report import coverage_report

    briefing, report = load_resolved(args.content)
    if briefing is None:
        raise ContentError(report)
    _print_report(report)
    _emit(coverage_report(briefing), stream=sys.stdout, end="")
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
    _emit(text, stream=sys.stdout, end="")
    return EXIT_OK if found else EXIT_ERRORS


def run_reanchor(args: argparse.Namespace) -> int:
    from factsheet.curate.reanchor import reanchor_content
    from factsheet.verify.reanchor import MIN_SCORE, describe

    min_score = args.min_score if args.min_score is not None else MIN_SCORE
    result = reanchor_content(args.content, min_score=min_score, write=args.write)
    if not result.drifted:
        _emit("no source has changed since it was pinned; nothing to re-anchor", stream=sys.stdout)
        return EXIT_OK
    for p in result.proposals:
        _emit(describe(p), stream=sys.stdout)
    _print_report(result.report)
    for file, count in result.written:
        _emit(f"updated {file} ({count} value{'s' * (count != 1)})", stream=sys.stdout)
    total = len(result.proposals)
    _emit(f"{result.placed} of {total} citation(s) of {len(result.drifted)} changed source(s) placed")
    return EXIT_OK if result.placed == total else EXIT_ERRORS


def run_init(args: argparse.Namespace) -> int:
    import datetime

    from factsheet.curate.init import init_project

    folder = Path(args.folder)
    for path in init_project(folder, datetime.date.today().isoformat()):
        _emit(f"created {path}", stream=sys.stdout)
    _emit(f"next: factsheet build --content {folder} --out {folder.parent / (folder.name + '-build')}", stream=sys.stdout)
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    from factsheet.publish import publish

    templates = _templates(args)
    written, report = publish(Path(args.content), args.to, Path(args.site), templates, slug=args.slug,
                              strict=args.strict, progress=_progress_printer())
    _print_report(report)
    _emit(report.summary())
    for path in written:
        _emit(f"wrote {path}", stream=sys.stdout)
    return EXIT_OK


def _progress_printer():
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean. Each line shows
    # the seconds since the command started, so a slow stage shows itself.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        import time

        start = time.perf_counter()
        return lambda line: _emit(f"factsheet: {time.perf_counter() - start:6.2f}s {line}")
    return lambda line: None


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as e:
        _print_report(e.report)
        _emit(e.report.summary())
        _emit("build failed: nothing was written")
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
