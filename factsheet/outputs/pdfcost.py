"""What laying out a print edition will cost, said before WeasyPrint starts.

WeasyPrint keeps every page's boxes until the PDF is written, so its memory grows with the
document: a briefing of 10,000 facts would need about ten gigabytes and a quarter of an hour. A
build measures the print HTML it is about to lay out, estimates the pages and the memory from it,
and refuses, before anything is written, when the memory would pass the budget
(``build --max-pdf-memory``, 4 GB unless given), saying what it would cost and what to do instead:
split the briefing into a project (``factsheet split``), leave the PDF out (``--no-pdf``), or
allow more memory.

The rates are measured (docs/performance.md, "Large briefings"): a build's peak is about 80 MB
plus 415 MB for each megabyte of print HTML, and the PDF about 145 pages per megabyte, for the
real briefing (0.25 MB of HTML: 181 MB peak, 40 pages) and a generated one of 1,000 facts (2.15 MB:
967 MB peak, 303 pages). The estimate is the briefing's, not the process's: a worker of a project
build that laid out another briefing before still holds that memory, and reuses it.
"""

from __future__ import annotations

from typing import NamedTuple

from factsheet.errors import FactsheetError

DEFAULT_BUDGET_MB = 4096
MB_PER_HTML_MB = 415.0  # a build's peak memory, per megabyte of print HTML laid out
BASE_MB = 80.0  # and what a build of even one page holds (Python, the libraries, fonts, Pango)
PAGES_PER_HTML_MB = 145.0
# A part of a split briefing repeats the entries of the sources it cites, so its HTML is more than
# its share of the facts (2.8 kB a fact against 2.2 kB for the whole, at 10,000 facts): a part is
# sized to be estimated at most this share of the budget.
PART_SHARE = 0.6
SECONDS_PER_PAGE = 0.3  # on the 2-core machine the rates were measured on; machines differ by 2×


class PdfTooLarge(FactsheetError):
    """The PDF's estimated memory is over the budget; nothing was laid out or written."""


class Cost(NamedTuple):
    html_mb: float
    pages: int
    peak_mb: float  # the build's peak, WeasyPrint's layout included

    def describe(self) -> str:
        seconds = self.pages * SECONDS_PER_PAGE
        took = f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"
        return (f"about {_gb(self.peak_mb)} of memory and {self.pages:,} pages "
                f"({self.html_mb:.1f} MB of print HTML; about {took} at {SECONDS_PER_PAGE} s a page)")


def estimate(html: str) -> Cost:
    html_mb = len(html.encode("utf-8")) / 1e6
    return Cost(html_mb, max(1, round(html_mb * PAGES_PER_HTML_MB)), BASE_MB + html_mb * MB_PER_HTML_MB)


def within_budget(html: str, budget_mb: float | None, facts: int, content: str = "DIR") -> None:
    """Raise PdfTooLarge when laying ``html`` out would pass ``budget_mb`` (None: no budget)."""
    if budget_mb is None:
        return
    cost = estimate(html)
    if cost.peak_mb <= budget_mb:
        return
    parts = max(2, -int(-cost.peak_mb // (budget_mb * PART_SHARE)))
    per_part = -(-facts // parts)
    raise PdfTooLarge(
        f"the PDF of this briefing would need {cost.describe()}, over the {_gb(budget_mb)} allowed "
        f"(--max-pdf-memory); nothing was laid out or written. Either split it into a project of "
        f"briefings of at most {per_part:,} facts, each built and laid out on its own: "
        f"`factsheet split --content {content} --out PROJECT --max-facts {per_part}`, then "
        f"`factsheet build --project PROJECT --out OUT`; or build everything but the PDF: --no-pdf; "
        f"or allow more memory: --max-pdf-memory {int(-(-cost.peak_mb * 1.1 // 1024))}")


def _gb(mb: float) -> str:
    return f"{mb / 1024:.1f} GB"
