"""factsheet: curated facts, each linked to the exact words of its sources, rendered as a briefing.

The library the ``factsheet`` command is a thin layer over (docs/api.md)::

    import factsheet

    briefing, report = factsheet.load("content")      # the model, every node with its place
    briefing, report = factsheet.verify("content")    # anchored, numbered and checked (None on errors)
    written, report = factsheet.build("content", "build")   # every output, written atomically

The stages, in the order ``build`` runs them (each a package):

1. ``sources``  YAML content and source texts -> one model (``model``), every node with its place;
2. ``verification``   each citation anchored to its pinned source, notes numbered, every rule run;
3. ``outputs``  a registry of renderers: Markdown, web page, print edition and PDF, JSON, exports;
4. ``files``    everything written at once, atomically, only after all of the above succeeded.

Errors are ``factsheet.errors.FactsheetError``; content problems come as diagnostics in the
``Report``, each with its ``path:line:col``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["DEFAULT_TEMPLATES", "build", "examine", "load", "publish", "render", "verify"]

if TYPE_CHECKING:
    from factsheet.outputs.environment import DEFAULT_TEMPLATES
    from factsheet.pipeline import build, examine, render, verify
    from factsheet.sites import publish
    from factsheet.sources.load import load


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import factsheet` (and the CLI's start) stays cheap.
    if name in ("build", "render", "verify", "examine", "load_resolved"):
        from factsheet import pipeline as stages

        return getattr(stages, name)
    if name == "load":
        from factsheet.sources.load import load

        return load
    if name == "DEFAULT_TEMPLATES":
        from factsheet.outputs.environment import DEFAULT_TEMPLATES

        return DEFAULT_TEMPLATES
    if name == "publish":
        from factsheet.sites import publish

        return publish
    raise AttributeError(f"module 'factsheet' has no attribute {name!r}")
