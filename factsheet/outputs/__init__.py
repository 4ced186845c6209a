"""The last stage before writing: turning a resolved briefing into files, one module per output.

Outputs are a registry, in the order a build renders them. ``render`` takes the names a command
needs (``build`` all of them, ``publish`` the PDF), imports only those renderers, and returns
each file's bytes; nothing here writes a file. The PDF's renderer (WeasyPrint, a slow import)
starts loading on a second thread while the others render, or, given a second process
(``pdfprocess``, as ``factsheet build`` does), the PDF is laid out there while they render.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.model import Briefing

if TYPE_CHECKING:
    from factsheet.outputs.pdfprocess import PdfProcess

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    name: str  # how commands ask for it
    filename: str  # the file it becomes
    renderer: str  # "module:function", imported when the output is asked for; returns str or bytes
    label: str  # for progress lines
    templated: bool = False  # the renderer takes the templates folder
    dated: bool = False  # the renderer takes the build time (SOURCE_DATE_EPOCH)
    budgeted: bool = False  # the renderer takes a memory budget (the PDF: pdfcost)

    def render(self, briefing: Briefing, templates: Path, epoch: int | None, budget_mb: float | None) -> bytes:
        module, function = self.renderer.split(":")
        renderer = getattr(importlib.import_module(module), function)
        args: list = [briefing, templates] if self.templated else [briefing]
        kwargs: dict = {"epoch": epoch} if self.dated else {}
        if self.budgeted:
            kwargs["budget_mb"] = budget_mb
        result = renderer(*args, **kwargs)
        return result if isinstance(result, bytes) else result.encode("utf-8")


OUTPUTS: dict[str, Output] = {o.name: o for o in (
    Output("markdown", "briefing.md", "factsheet.outputs.markdown:render_markdown", "Markdown", templated=True),
    Output("web", "briefing.html", "factsheet.outputs.web:render_html", "HTML", templated=True),
    Output("json", "briefing.json", "factsheet.outputs.data:render_json", "JSON"),
    Output("pdf", "briefing.pdf", "factsheet.outputs.pdf:render_briefing_pdf", "PDF", templated=True, dated=True,
           budgeted=True),
    Output("annotations", "briefing.annotations.jsonld", "factsheet.outputs.exports:render_annotations",
           "Web Annotations"),
    Output("csl", "briefing.sources.csl.json", "factsheet.outputs.exports:render_sources_csl", "CSL-JSON"),
)}


def render(briefing: Briefing, templates: Path, names: Iterable[str] = OUTPUTS, *,
           epoch: int | None = None, progress: Progress = lambda line: None,
           pdf_budget_mb: float | None = None, pdf_process: PdfProcess | None = None) -> dict[str, bytes]:
    """The bytes of each output asked for, by file name, in registry order. ``pdf_budget_mb``:
    refuse a PDF whose layout would need more memory (None: no limit). ``pdf_process``: lay the
    PDF out there (``pdfprocess``), while the other outputs render here."""
    wanted = set(names)
    unknown = wanted - OUTPUTS.keys()
    if unknown:
        raise ValueError(f"unknown outputs: {', '.join(sorted(unknown))}")
    files = {}
    pdf = OUTPUTS["pdf"]
    elsewhere = pdf_process if pdf.name in wanted else None
    if elsewhere is not None:
        from factsheet.outputs.pdf import prepare

        progress(f"render: {pdf.label} (in a second process)")
        elsewhere.submit(prepare(briefing, templates, epoch=epoch, budget_mb=pdf_budget_mb))
        wanted.discard(pdf.name)
    elif pdf.name in wanted:
        from factsheet.outputs.pdf import preload

        preload()
    for output in OUTPUTS.values():
        if output.name in wanted:
            progress(f"render: {output.label}")
            files[output.filename] = output.render(briefing, templates, epoch, pdf_budget_mb)
    if elsewhere is not None:
        files[pdf.filename] = elsewhere.result()
    order = [o.filename for o in OUTPUTS.values()]
    return dict(sorted(files.items(), key=lambda item: order.index(item[0])))
