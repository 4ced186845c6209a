"""``factsheet init``: a new briefing with one source and one fact that builds as it is, or with
``empty``, a briefing with no source and no fact yet, each file showing in comments what to write."""

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
# The briefing's front page: title, date, sections. `factsheet COMMAND --help` explains each command.
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


_EMPTY_BRIEFING = """\
# The briefing's front page: title, date, sections. `factsheet COMMAND --help` explains each command.
title: "{title}"
date: "{date}"
language: en
authors: ["Your name"]
summary: "One or two sentences saying what this briefing covers."
sections:                          # in reading order; each fact names its section
  - id: main
    title: What the sources say
"""

_EMPTY_SOURCES = """\
# One entry per source text saved in this folder (UTF-8, exactly as captured), for example:
#
# - id: gazette                    # letters, digits, - _ and .
#   file: gazette.txt              # the text's file name in this folder
#   title: "City council votes on the new bridge"
#   publisher: The Gazette
#   url: https://gazette.example/bridge
#   published: "2024-05-07"
#   sha256: ...                    # pins the file's bytes: `factsheet check` prints the line to add
#
[]  # an empty list: delete these brackets when you add the first source
"""

_EMPTY_FACTS = """\
# Each fact: one statement, and the exact words of the sources that support it, for example:
#
# - id: vote-result
#   section: main
#   statement: "The council voted 7-2 to fund the bridge."
#   citations:
#     - source: gazette
#       quote: "The council voted 7-2 on Tuesday to fund the bridge."
#
# `factsheet locate SOURCE "words"` prints a citation to paste.
[]  # an empty list: delete these brackets when you add the first fact
"""


def init_project(folder: Path, date: str, *, empty: bool = False) -> list[Path]:
    """A new briefing with one source and one fact that builds as it is (``empty``: with no source
    and no fact yet)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; choose a new folder")
    if empty:
        title = folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "New briefing"
        files = {folder / "briefing.yaml": _EMPTY_BRIEFING.format(title=title, date=date),
                 folder / "sources" / "sources.yaml": _EMPTY_SOURCES,
                 folder / "facts" / "facts.yaml": _EMPTY_FACTS}
        for path, text in files.items():
            write_files(path.parent, {path.name: text.encode("utf-8")})
        return list(files)
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
