"""The command line: every command, its arguments and its help, each bound to its ``run_*``."""

from __future__ import annotations

import argparse

from factsheet import __version__
from factsheet.cli import commands as run
from factsheet.cli.split import run_split


def parser() -> argparse.ArgumentParser:
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
    _require_review_arg(check)
    _project_args(check, "check every briefing of the project whose factsheet.yaml is in DIR (instead of --content)")
    _shard_arg(check)
    check.set_defaults(run=run.run_check)

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
    _require_review_arg(build)
    build.add_argument("--watch", action="store_true",
                       help="build, then rebuild on every change of the content or templates (Ctrl-C stops)")
    build.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                       help="with --watch: how often to look for changes (default: 0.5)")
    _pdf_args(build)
    _project_args(build, "build every briefing of the project whose factsheet.yaml is in DIR (instead of --content) "
                         "into OUT/SLUG/, and an index page OUT/index.md and OUT/index.html")
    _shard_arg(build)
    build.set_defaults(run=run.run_build)
    _curator_commands(commands)
    _split_command(commands)
    _publish_command(commands)
    _serve_command(commands)
    return parser


def _shard_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shard", default=None, metavar="K/N",
                        help="with --project: only the K-th of N shards of its briefings, each briefing always in "
                             "the same shard (by its folder's name), for N runners to share a project; a build "
                             "of a shard writes no index page")


def _project_args(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--project", default=None, metavar="DIR", help=what)
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="with --project: briefings handled at once, each in its own process "
                             "(default: the number of cores)")


def _split_command(commands) -> None:
    split = commands.add_parser("split", help="cut a briefing between sections into a project of smaller ones",
                                description="Write a new project folder OUT (docs/projects.md): the briefing's "
                                            "sources as the shared library, and one briefing per group of "
                                            "consecutive sections of at most --max-facts facts, with their "
                                            "facts and review stamps as written. The content is only read.")
    _content_arg(split)
    split.add_argument("--out", required=True, metavar="DIR", help="the new project folder (must not exist)")
    split.add_argument("--max-facts", type=int, required=True, metavar="N",
                       help="facts per part at most (a larger section is a part on its own)")
    split.set_defaults(run=run_split)


def _pdf_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-pdf", dest="pdf", action="store_false",
                        help="write every output but the PDF (and remove a PDF left by an earlier build)")
    parser.add_argument("--max-pdf-memory", dest="pdf_budget_mb", type=_gigabytes, default=4096.0, metavar="GB",
                        help="refuse, before writing anything, a PDF whose layout would need more memory "
                             "than this, estimated from its size (default: 4)")


def _gigabytes(value: str) -> float:
    try:
        gb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of gigabytes: {value!r}") from None
    if not gb > 0 or gb == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of gigabytes, not {value!r}")
    return gb * 1024


def _require_review_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--require-review", type=int, default=None, metavar="N",
                        help="every fact needs N current 'supported' review stamps by distinct reviewers "
                             "(default: review.required in briefing.yaml, else 0)")


def _min_sources_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-sources", action="append", default=[], metavar="[section:ID=|kind:KIND=]N",
                        help="require at least N distinct sources per fact (for every fact, or one "
                             "section or kind); repeatable")


def _curator_commands(commands) -> None:
    report = commands.add_parser("report", help="per source: how much is cited, by how many facts, and what is "
                                                 "left out",
                                 description="Print a table: for each source, the share of its text the "
                                             "briefing cites, the facts citing it and the facts resting on it "
                                             "alone; then, on request, the facts that rest on one source and "
                                             "every sentence of each source no fact cites (page furniture "
                                             "excluded).")
    _content_arg(report)
    report.add_argument("--sentences", action="store_true", help="list every uncited sentence of each source")
    report.add_argument("--single-source", action="store_true",
                        help="list the facts that rest on one source, by source (not an error)")
    _project_args(report, "report on every briefing of the project whose factsheet.yaml is in DIR (instead of "
                          "--content), each under its folder's name, then the project's totals")
    report.set_defaults(run=run.run_report)

    locate = commands.add_parser("locate", help="find words in a source and print a citation for them",
                                 description="Print every place WORDS occur in SOURCE (exactly, or ignoring "
                                             "typography; else the closest passages), with offsets, context "
                                             "and a citation to paste into a fact.")
    locate.add_argument("source", metavar="SOURCE", help="a source id (or file name) from sources.yaml")
    locate.add_argument("words", metavar="WORDS", help="the words to look for")
    _content_arg(locate)
    locate.set_defaults(run=run.run_locate)

    reanchor = commands.add_parser("reanchor", help="re-locate the citations of changed (drifted) sources",
                                   description="For every source whose sha256 no longer matches, find each "
                                               "citation again (exact, then ignoring typography, then by "
                                               "scored likeness) and print old span, new span and score. "
                                               "With --write, update offsets and sha256 in the YAML files; "
                                               "--undo puts the last write back.")
    _content_arg(reanchor)
    reanchor.add_argument("--write", action="store_true",
                          help="write new offsets and hashes back (only for sources whose every citation "
                               "was placed)")
    reanchor.add_argument("--min-score", type=float, default=None, metavar="SCORE",
                          help="lowest likeness score (0-100) a fuzzy match needs (default: 90)")
    reanchor.add_argument("--accept", action="append", default=[], metavar="FILE:LINE",
                          help="take the candidate shown for the citation whose quote is at FILE:LINE (as the "
                               "report prints it), its words becoming the new quote, and write; repeatable")
    reanchor.add_argument("--undo", action="store_true",
                          help="put back the files as they were before the last --write or --accept")
    reanchor.set_defaults(run=run.run_reanchor)

    review = commands.add_parser(
        "review", help="record that you read facts against their evidence, or list review states",
        description="Show each fact (statement, support findings, each cited sentence with the cited "
                    "words marked) and record your verdict in content/reviews.yaml. Without --verdict, "
                    "on a terminal, walks through the named facts (default: those you have not "
                    "stamped) one by one. A stamp goes stale when the statement or a cited span changes.")
    _content_arg(review)
    review.add_argument("--list", action="store_true", help="print every fact with its review state")
    review.add_argument("--reviewer", metavar="NAME", help="who is reviewing, as the outputs will print it")
    review.add_argument("--verdict", choices=("supported", "partly", "unsupported"),
                        help="record this verdict for each FACT_ID (each fact is printed as it is stamped)")
    review.add_argument("--note", metavar="TEXT", help="a note kept with the stamp(s)")
    review.add_argument("--date", metavar="YYYY-MM-DD", help="the review's date (default: today)")
    review.add_argument("facts", nargs="*", metavar="FACT_ID", help="the facts to review")
    review.set_defaults(run=run.run_review)

    release = commands.add_parser(
        "release", help="record the briefing as it stands as a released version",
        description="Check the content (and the review requirement); if it passes, write releases/VERSION.json "
                    "(the briefing's JSON) and add the release to releases.yaml. Later checks require a "
                    "corrections.yaml entry for every change to a released fact.")
    release.add_argument("version", metavar="VERSION", help="1, 2, 1.1 …: unique and increasing")
    _content_arg(release)
    release.add_argument("--date", metavar="YYYY-MM-DD", help="the release date (default: today)")
    release.add_argument("--note", metavar="TEXT", help="what this release is")
    release.set_defaults(run=run.run_release)

    diff = commands.add_parser(
        "diff", help="what changed, fact by fact, between releases or since the latest one",
        description="Facts added, removed and changed (statement word diff, cited passages added and "
                    "removed) and sources added, removed, re-pinned or drifted, from OLD (default: the "
                    "latest release) to NEW (default: the content now). Exit 0 with no difference, 1 with some.")
    diff.add_argument("old", nargs="?", metavar="OLD", help="a released version")
    diff.add_argument("new", nargs="?", metavar="NEW", help="a released version, or 'now'")
    _content_arg(diff)
    diff.add_argument("--json", action="store_true", help="print JSON for tools")
    diff.set_defaults(run=run.run_diff)

    _add_command(commands)

    init = commands.add_parser("init", help="create a new briefing project that builds as it is",
                               description="Create DIR with briefing.yaml, one source and one fact: a "
                                           "valid briefing to start from. With --empty: no source and no "
                                           "fact, each file showing in comments what to write.")
    init.add_argument("folder", metavar="DIR", help="a new (or empty) folder")
    init.add_argument("--empty", action="store_true", help="start without the example source and fact")
    init.set_defaults(run=run.run_init)


def _add_command(commands) -> None:
    add = commands.add_parser(
        "add", help="capture a source (text, web page, PDF, WARC or URL) into content/sources/",
        description="Capture SOURCE (a .txt, .html/.htm, .pdf or .warc/.warc.gz file, or an http(s) URL) into "
                    "content/sources/: the extracted text citations anchor to and the original (for a URL, "
                    "a WARC file of the fetch), both pinned by sha256, and an entry appended to sources.yaml. "
                    "Metadata found in the page or PDF fills the fields not given here. With --refresh ID, "
                    "extract the text again from the kept original (or, with --refetch, fetch the URL into "
                    "a new capture) and show what changed.")
    add.add_argument("source", nargs="?", metavar="SOURCE", help="a file to copy in, or an http(s) URL to fetch")
    _content_arg(add)
    add.add_argument("--id", help="the source's id (default: from the file name, or a URL's title)")
    add.add_argument("--title", help="the title (default: the page's or PDF's own, else the first line)")
    add.add_argument("--publisher", help="the publisher (default: the site name a page gives)")
    add.add_argument("--url", help="the source's URL (default: the page's canonical URL, or the URL fetched)")
    add.add_argument("--published", metavar="DATE", help="publication date, YYYY[-MM[-DD]] (default: the page's)")
    add.add_argument("--label", help="a short name for notes (default: the publisher, else the title)")
    add.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                     help="give up on a URL after this long (default: 30)")
    add.add_argument("--refresh", metavar="ID", help="re-extract source ID's text from its kept original")
    add.add_argument("--refetch", action="store_true", help="with --refresh: fetch the source's URL again "
                                                             "into a new WARC file")
    add.set_defaults(run=run.run_add)


def _publish_command(commands) -> None:
    publish = commands.add_parser(
        "publish", help="check, then write the page and its PDF into a MkDocs, Hugo, Jekyll, Quarto, Docusaurus "
                        "or Astro site",
        description="Check the content; if it passes, write the page (with the generator's front matter, in "
                    "its Markdown dialect) and the PDF, linked from the page as a download, into SITE_DIR's "
                    "content folder, served at /SLUG/. Refuses, with the lines to add, when the site's "
                    "configuration would not show the page as written.")
    _content_arg(publish)
    publish.add_argument("--to", required=True, choices=("mkdocs", "hugo", "jekyll", "quarto", "docusaurus", "astro"),
                         help="the site's generator")
    publish.add_argument("--slug", default=None,
                         help="the page's folder and URL path (default: from the title, e.g. the-bridge-vote)")
    publish.add_argument("--templates", default=None, metavar="DIR",
                         help="Jinja2 templates and CSS (default: the templates shipped with factsheet)")
    publish.add_argument("--strict", action="store_true", help="treat warnings as errors")
    publish.add_argument("--configure", action="store_true",
                         help="add what the site's configuration lacks (footnotes, the page in its navigation), "
                              "keeping its comments and layout, and say what changed")
    publish.add_argument("site", metavar="SITE_DIR", help="the site's folder (where mkdocs.yml, hugo.toml, "
                                                          "_config.yml, _quarto.yml, docusaurus.config.js or "
                                                          "astro.config.mjs is)")
    _project_args(publish, "publish every briefing of the project whose factsheet.yaml is in DIR (instead of "
                           "--content) into the site, each under its folder's name as its slug")
    publish.set_defaults(run=run.run_publish)


def _serve_command(commands) -> None:
    serve = commands.add_parser(
        "serve", help="a local web app to read sources, cite them, edit facts and preview the briefing",
        description="Serve a curation app on this machine only (127.0.0.1 and ::1): read each source, "
                    "select words to cite them, edit facts with the check's findings live, preview the "
                    "page and the PDF, accept re-anchored spans, review facts. Prints an address with a "
                    "secret token; the JSON API is in docs/serve.md. Ctrl-C stops.")
    _content_arg(serve)
    serve.add_argument("--port", type=int, default=8765, metavar="N", help="the port (default: 8765; 0: any free one)")
    serve.add_argument("--no-browser", action="store_true", help="print the address without opening a browser")
    serve.set_defaults(run=run.run_serve)


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="the briefing's content folder (default: content)")


