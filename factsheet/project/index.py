"""The project's index page, in Markdown and as a standalone web page: every briefing with its
title, date, version and review state, linking its page (or saying that it did not build).
Curated text (titles) is escaped for each form, as every output escapes it."""

from __future__ import annotations

from markupsafe import escape as html_escape

from factsheet.outputs.markup import escape as md_escape
from factsheet.project.jobs import Entry

INDEX_MD, INDEX_HTML = "index.md", "index.html"
PAGE = "briefing.html"
_NO = "—"


def _cells(entry: Entry) -> tuple[str, str, str]:
    return entry.date or _NO, entry.version or "unreleased", entry.review


def index_markdown(title: str, entries: list[Entry | str]) -> str:
    """``entries``: each briefing's Entry, or its slug when it has errors (listed, not linked)."""
    lines = [f"# {md_escape(title)}", "", "| Briefing | Date | Version | Review |", "|---|---|---|---|"]
    for e in entries:
        if isinstance(e, str):
            lines.append(f"| {md_escape(e)} (not built: it has errors) | {_NO} | {_NO} | {_NO} |")
            continue
        cells = " | ".join(md_escape(c) for c in _cells(e))
        lines.append(f"| [{md_escape(e.title)}]({e.slug}/{PAGE}) | {cells} |")
    return "\n".join(lines) + "\n"


def index_html(title: str, entries: list[Entry | str], language: str = "en") -> str:
    rows = []
    for e in entries:
        if isinstance(e, str):
            rows.append(f"<tr><td>{html_escape(e)} (not built: it has errors)</td>"
                        f"<td>{_NO}</td><td>{_NO}</td><td>{_NO}</td></tr>")
            continue
        cells = "".join(f"<td>{html_escape(c)}</td>" for c in _cells(e))
        rows.append(f'<tr><td><a href="{html_escape(e.slug)}/{PAGE}">{html_escape(e.title)}</a></td>{cells}</tr>')
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="{html_escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ccc; vertical-align: top; }}
</style>
</head>
<body>
<h1>{html_escape(title)}</h1>
<table>
<thead><tr><th>Briefing</th><th>Date</th><th>Version</th><th>Review</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
