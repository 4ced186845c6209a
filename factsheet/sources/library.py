"""A project's shared sources library, as one briefing sees it: the entries of the library's
sources.yaml that the briefing cites (and only those: an uncited shared source is no part of the
briefing, its text is not read and its changes do not touch it), and the ids defined both in the
briefing and in the library, an error at both places."""

from __future__ import annotations

from pathlib import Path

from factsheet.diagnostics import Report
from factsheet.model import Source
from factsheet.sources import nodes, sourcefiles
from factsheet.sources.load import read_file
from factsheet.sources.nodes import Valid

LIBRARY_FILE = "sources.yaml"


class Library:
    """The library's sources.yaml, read once per briefing that uses it."""

    def __init__(self, report: Report, folder: Path):
        # The library is a folder directly inside the project (factsheet/sources/projectfile.py).
        self.folder, project = folder, folder.parent
        self.project = project
        self.valid = read_file(report, folder / LIBRARY_FILE, "sourcesFile", project, {}, reuse=True)
        sourcefiles.pin_hints(report, self.valid, folder, project)
        self.places = {} if self.valid is None else {
            raw["id"]: self.valid.doc.at((i, "id")) for (i,), raw in self.valid.items()}

    @property
    def known(self) -> bool:
        return self.valid is not None and -1 not in self.valid.bad

    def rejected(self) -> set[str]:
        return self.valid.rejected_ids() if self.valid else set()

    def cited(self, report: Report, local: list[Source], cited: set[str]) -> list[Source]:
        """The shared sources among ``cited`` that the briefing does not define itself."""
        if self.valid is None:
            return []
        own = {s.id: s for s in local}
        for source_id, where in self.places.items():
            if source_id in own:
                mine = own[source_id].location
                report.error(mine, f"source id '{source_id}' is also defined in the shared library at {where}; "
                             "rename one of them", rule="duplicate-id")
                report.error(where, f"source id '{source_id}' is also defined in the briefing at {mine}; "
                             "rename one of them", rule="duplicate-id")
        wanted = {path[0] for path, raw in self.valid.items() if raw["id"] in cited and raw["id"] not in own}
        unwanted = set(range(len(self.valid.doc.value))) - wanted
        return nodes.sources(report, Valid(self.valid.doc, self.valid.bad | unwanted), self.folder, self.project)
