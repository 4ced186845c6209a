"""Times the stages of one build in one process: verify, Markdown, HTML, JSON, the print edition's
HTML and (optionally) the PDF with WeasyPrint's import counted apart. Prints one JSON object of median seconds.

Usage: python bench/stages.py CONTENT_DIR RUNS [--pdf]
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import sys
import time
from pathlib import Path


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    content, runs, with_pdf = Path(sys.argv[1]), int(sys.argv[2]), "--pdf" in sys.argv
    from factsheet.digests import content_files
    from factsheet.outputs import printed as paged
    from factsheet.outputs.data import render_json
    from factsheet.outputs.environment import DEFAULT_TEMPLATES as templates
    from factsheet.outputs.markdown import render_markdown
    from factsheet.outputs.web import render_html
    from factsheet.pipeline import verify

    def html() -> str:
        return render_html(briefing, templates)

    def print_html() -> str:
        # The print edition's HTML, as pdf.render_briefing_pdf builds it before WeasyPrint runs.
        doc = paged.print_document(briefing, content_files(briefing), None)
        return paged.render_print_html(doc, templates)

    out: dict[str, float] = {}
    briefing, report = verify(content)
    if briefing is None:
        print(json.dumps({"error": f"{len(report.errors)} errors"}))
        return 1
    render_markdown(briefing, templates)
    html(), render_json(briefing)
    # Peak memory of one pass (verify, Markdown, HTML, JSON), before the repeats below.
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["verify"], (briefing, report) = _median(lambda: verify(content), runs)
    gc.disable()  # as pipeline.render renders: the collector paused
    out["markdown"], _ = _median(lambda: render_markdown(briefing, templates), runs)
    out["html"], _ = _median(html, runs)
    out["json"], _ = _median(lambda: render_json(briefing), runs)
    # At every scale: the evidence appendix groups every cited span by source, where a slip to
    # time growing with sources × spans showed (3 s at 10,000 facts).
    out["html_print"], page = _median(print_html, runs)
    if with_pdf:
        t = time.perf_counter()
        # The import as a build makes it (its library search skipped), timed once: it is cold once.
        from factsheet.outputs import pdflibs

        pdflibs.import_weasyprint()
        out["weasyprint_import"] = time.perf_counter() - t
        from factsheet.outputs.pdf import render_pdf
        out["pdf"], _ = _median(lambda: render_pdf(page, templates), runs)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
