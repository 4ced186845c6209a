"""``factsheet init``: a new briefing with one source and one fact that builds as it is."""

from __future__ import annotations

import hashlib
from pathlib import Path

from factsheet.errors import UsageError
from factsheet.files import write_files

_EXAMPLE_SOURCE = """\
Harbour ferry returns after repairs

The harbour ferry resumed service on Monday after three months of repairs, the operator said.
The repairs cost $2.4 million, about 8 percent more than planned.

"We are glad to have it back," a regular passenger said.
"""

_BRIEFING = """\
# The briefing's front page: title, date, sections. See docs/commands.md for every command.
title: "Harbour ferry returns"
subtitle: "An example briefing"
date: "{date}"
language: en
authors: ["Your name"]
summary: "A one-source example: replace it with your own sources and facts."
sections:
  - id: news
    title: What happened
"""

_SOURCES = """\
# One entry per captured source text in this folder. sha256 pins the exact bytes:
# run `factsheet reanchor --write` if a capture is ever replaced.
- id: example
  file: example.txt
  title: "Harbour ferry returns after repairs"
  publisher: "Example News"
  url: https://example.org/ferry
  published: "{date}"
  sha256: {sha256}
"""

_FACTS = """\
# Each fact: one statement, and the exact words of the sources that support it.
# `factsheet locate example "words"` prints a citation to paste here.
- id: ferry-back
  section: news
  statement: "The harbour ferry resumed service on Monday after three months of repairs."
  citations:
    - source: example
      quote: "The harbour ferry resumed service on Monday after three months of repairs"
"""


def init_project(folder: Path, date: str) -> list[Path]:
    """A new briefing with one source and one fact that builds as it is."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; choose a new folder")
    source = _EXAMPLE_SOURCE.encode("utf-8")
    files = {
        folder / "briefing.yaml": _BRIEFING.format(date=date),
        folder / "sources" / "sources.yaml": _SOURCES.format(date=date,
                                                            sha256=hashlib.sha256(source).hexdigest()),
        folder / "facts" / "news.yaml": _FACTS,
    }
    write_files(folder / "sources", {"example.txt": source})
    for path, text in files.items():
        write_files(path.parent, {path.name: text.encode("utf-8")})
    return [folder / "briefing.yaml", folder / "sources" / "sources.yaml",
            folder / "sources" / "example.txt", folder / "facts" / "news.yaml"]
