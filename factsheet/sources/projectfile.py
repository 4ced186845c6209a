"""A project of many briefings: ``factsheet.yaml`` read and checked, each briefing's folder and the
shared sources library found inside the project folder (see docs/projects.md)::

    factsheet.yaml          title, library, briefings: [folder, ...]
    sources/sources.yaml    the shared library, entries pinned by sha256 as a briefing's own are
    sources/*.txt
    <briefing>/             each laid out like content/
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factsheet.diagnostics import Report, display_path
from factsheet.errors import UsageError
from factsheet.model import Location
from factsheet.sources.load import read_file
from factsheet.sources.sourcefiles import inside

PROJECT_FILE = "factsheet.yaml"
DEFAULT_LIBRARY = "sources"
RESERVED = ("index.md", "index.html")  # the index page's files, beside the briefings' output folders


@dataclass(frozen=True)
class Member:
    """One briefing of the project: its slug (its folder's name, and its outputs' folder)."""

    slug: str
    folder: Path
    location: Location


@dataclass(frozen=True)
class Project:
    root: Path
    title: str
    briefings: tuple[Member, ...]
    library: Path | None  # the shared sources folder; None when the project has none


def read_project(folder: str | Path) -> tuple[Project | None, Report]:
    """The project in ``folder`` (None if factsheet.yaml has errors) and the report of them."""
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"project folder not found: {folder}")
    report = Report()
    valid = read_file(report, root / PROJECT_FILE, "projectFile", root, {})
    if valid is None or report.errors:
        return None, report
    doc, value = valid.doc, valid.doc.value
    members: list[Member] = []
    seen: dict[str, Location] = {}
    for i, slug in enumerate(value["briefings"]):
        where = doc.at(("briefings", i))
        if slug in seen:
            report.error(where, f"briefing '{slug}' is listed twice (first at {seen[slug]})", rule="duplicate-id")
            continue
        seen[slug] = where
        if slug in RESERVED:
            report.error(where, f"a briefing cannot be named '{slug}': the index page takes that name "
                         "in the output folder", rule="format")
        elif _folder(report, root, slug, where, "briefing"):
            members.append(Member(slug, root / slug, where))
    library = _library(report, root, value, doc)
    if report.errors:
        return None, report
    title = value.get("title") or root.resolve().name
    return Project(root, title, tuple(members), library), report


def _library(report: Report, root: Path, value: dict, doc) -> Path | None:
    name = value.get("library")
    if name is None:
        default = root / DEFAULT_LIBRARY
        # Absent unless the folder is there; a link there that leads elsewhere is still refused.
        if not (default.exists() or default.is_symlink()):
            return None
        name, where = DEFAULT_LIBRARY, doc.at(())
    else:
        where = doc.at(("library",))
    if name in value["briefings"]:
        report.error(where, f"the library '{name}' is also listed as a briefing", rule="format")
        return None
    if not _folder(report, root, name, where, "library"):
        return None
    return root / name


def _folder(report: Report, root: Path, name: str, where: Location, noun: str) -> bool:
    """``name`` is a folder inside the project, links followed (a link out is refused)."""
    path = root / name
    shown = display_path(str(path))
    if (path.exists() or path.is_symlink()) and not inside(root, path):
        report.error(where, f"{noun} folder {shown} leads outside the project folder (a link?)", rule="format")
        return False
    if not path.is_dir():
        problem = "is not a folder" if path.exists() else "not found"
        report.error(where, f"{noun} folder {problem}: {shown}", rule="format")
        return False
    return True
