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
    from factsheet.check import Options, parse_min_sources

    return Options(min_sources=tuple(parse_min_sources(t) for t in args.min_sources))


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
    from factsheet.publish import GENERATORS

    publish = commands.add_parser(
        "publish", help="check, then write the page and its PDF into a MkDocs, Hugo or Jekyll site",
        description="Check the content; if it passes, write SITE_DIR's content folder/SLUG/index.md (with "
                    "the generator's front matter) and SLUG/SLUG.pdf, linked from the page as a download.")
    _content_arg(publish)
    publish.add_argument("--to", required=True, choices=GENERATORS, help="the site's generator")
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
        print(diagnostic.format(), file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    from factsheet.build import verify

    briefing, report = verify(Path(args.content), strict=args.strict, options=_options(args))
    _print_report(report)
    print(report.summary(), file=sys.stderr)
    return EXIT_OK if briefing is not None else EXIT_ERRORS


def run_build(args: argparse.Namespace) -> int:
    from factsheet.build import build
    from factsheet.render import DEFAULT_TEMPLATES

    templates = Path(args.templates) if args.templates else DEFAULT_TEMPLATES
    if not (templates / "briefing.md.j2").is_file():
        raise UsageError(f"templates folder {templates} has no briefing.md.j2")
    progress = _progress_printer()
    if args.watch:
        return _watch(args, templates, progress)
    written, report = build(Path(args.content), Path(args.out), templates, strict=args.strict,
                            progress=progress, options=_options(args))
    _print_report(report)
    print(report.summary(), file=sys.stderr)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _watch(args: argparse.Namespace, templates: Path, progress, sleep=None) -> int:
    """Build now and after every change; a failed build reports and waits for the next change."""
    import time

    from factsheet.build import build
    from factsheet.curate import watch

    content, out, options = Path(args.content), Path(args.out), _options(args)

    def rebuild() -> None:
        stamp = time.strftime("%H:%M:%S")
        try:
            written, report = build(content, out, templates, strict=args.strict, progress=progress,
                                    options=options)
        except ContentError as e:
            _print_report(e.report)
            print(f"[{stamp}] {e.report.summary()}; build failed; nothing was written. Waiting for changes…", file=sys.stderr)
            return
        except FactsheetError as e:
            print(f"[{stamp}] factsheet: error: {e}. Waiting for changes…", file=sys.stderr)
            return
        _print_report(report)
        print(f"[{stamp}] {report.summary()}; wrote {len(written)} files to {out}. Waiting for changes…",
              file=sys.stderr, flush=True)

    try:
        watch([content, templates], rebuild, interval=args.interval, **({"sleep": sleep} if sleep else {}))
    except KeyboardInterrupt:
        print("factsheet: stopped watching", file=sys.stderr)
    return EXIT_OK


def _loaded(content: str, *, resolved: bool):
    """The briefing for the curator commands; content errors stop them (exit 1)."""
    from factsheet.load import load
    from factsheet.resolve import resolve

    briefing, report = load(Path(content))
    if briefing is not None and resolved:
        briefing = resolve(briefing, report)
    return briefing, report


def run_report(args: argparse.Namespace) -> int:
    from factsheet.curate import coverage_report

    briefing, report = _loaded(args.content, resolved=True)
    if briefing is None:
        raise ContentError(report)
    _print_report(report)
    print(coverage_report(briefing), end="")
    return EXIT_OK


def run_locate(args: argparse.Namespace) -> int:
    from factsheet.curate import find_source, locate_report

    briefing, report = _loaded(args.content, resolved=False)
    if briefing is None:
        raise ContentError(report)
    source = find_source(briefing.sources, args.source)
    if not source.text:
        raise ContentError(report)
    text, found = locate_report(source, args.words)
    print(text, end="")
    return EXIT_OK if found else EXIT_ERRORS


def run_reanchor(args: argparse.Namespace) -> int:
    from factsheet import reanchor

    briefing, report = _loaded(args.content, resolved=False)
    if briefing is None or report.errors:
        raise ContentError(report)
    drifted = reanchor.drifted(briefing)
    if not drifted:
        print("no source has changed since it was pinned; nothing to re-anchor")
        return EXIT_OK
    min_score = args.min_score if args.min_score is not None else reanchor.MIN_SCORE
    if not 0 <= min_score <= 100:
        raise UsageError("--min-score must be between 0 and 100")
    proposals = reanchor.reanchor(briefing, report, min_score)
    for p in proposals:
        print(reanchor.describe(p))
    _print_report(report)
    if args.write:
        for file, edits in reanchor.edits_for(proposals, briefing, report).items():
            reanchor.apply_edits(file, edits)
            print(f"updated {file} ({len(edits)} value{'s' * (len(edits) != 1)})")
    placed = sum(p.new is not None for p in proposals)
    print(f"{placed} of {len(proposals)} citation(s) of {len(drifted)} changed source(s) placed", file=sys.stderr)
    return EXIT_OK if placed == len(proposals) else EXIT_ERRORS


def run_init(args: argparse.Namespace) -> int:
    import datetime

    from factsheet.curate import init_project

    folder = Path(args.folder)
    for path in init_project(folder, datetime.date.today().isoformat()):
        print(f"created {path}")
    print(f"next: factsheet build --content {folder} --out {folder.parent / (folder.name + '-build')}")
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    from factsheet.publish import publish
    from factsheet.render import DEFAULT_TEMPLATES

    templates = Path(args.templates) if args.templates else DEFAULT_TEMPLATES
    if not (templates / "briefing.md.j2").is_file():
        raise UsageError(f"templates folder {templates} has no briefing.md.j2")
    written, report = publish(Path(args.content), args.to, Path(args.site), templates, slug=args.slug,
                              strict=args.strict, progress=_progress_printer())
    _print_report(report)
    print(report.summary(), file=sys.stderr)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _progress_printer():
    # Stage lines on an interactive terminal only: CI logs and pipes stay clean.
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return lambda line: print(f"factsheet: {line}", file=sys.stderr)
    return lambda line: None


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as e:
        _print_report(e.report)
        print(e.report.summary(), file=sys.stderr)
        print("build failed: nothing was written", file=sys.stderr)
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
