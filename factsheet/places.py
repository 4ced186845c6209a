"""Where things are written: a place in a content file, a content file with the position of each
of its YAML nodes, and a diagnostic pointing at a place. No I/O."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

NodePath = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a content file: 1-based line, 1-based column counted in code points, and the
    YAML node written there (not part of equality: two routes to one place are one place)."""

    path: str
    line: int
    col: int
    node: NodePath = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the content, printed compiler-style."""

    location: Location
    severity: str  # "error" | "warning"
    message: str
    rule: str = "format"
    notes: tuple[str, ...] = ()
    source_line: str | None = None

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity}: {self.message} [{self.rule}]"]
        if self.source_line is not None:
            lines.append(f"    {self.source_line}")
            # Tabs in the echoed line are printed as they are, so the caret stays aligned.
            lines.append("    " + " " * (self.location.col - 1) + "^")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True, eq=False)
class ContentFile:
    """One content file as read: its bytes, its text, and where each YAML node is written.

    ``name`` is relative to the content folder (``facts/interview.yaml``); ``path`` is how
    locations show it. ``value_at`` maps a node path to the character offset where its value
    starts, ``key_at`` to where its key starts, ``scalar_end`` to where a scalar's text ends.
    Lines and columns are counted as editors count them (LF, CRLF and CR break a line).
    """

    name: str
    path: str
    data: bytes
    text: str = ""
    value_at: dict[NodePath, int] = field(default_factory=dict)
    key_at: dict[NodePath, int] = field(default_factory=dict)
    scalar_end: dict[NodePath, int] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def location(self, index: int, node: NodePath = ()) -> Location:
        starts = self._line_starts()
        line = bisect.bisect_right(starts, index) - 1
        return Location(self.path, line + 1, index - starts[line] + 1, node)

    def at(self, node: NodePath, key: bool = False) -> Location:
        """Where the node was written (its key, if ``key`` and it has one); a path below a scalar
        (as a schema error may give) falls back to the nearest written ancestor."""
        table = self.key_at if key else self.value_at
        path = node
        while path:
            if path in table:
                return self.location(table[path], node)
            if key and path in self.value_at:
                return self.location(self.value_at[path], node)
            path = path[:-1]
        return self.location(self.value_at.get((), 0), node)

    def scalar(self, node: NodePath) -> tuple[int, int] | None:
        """Where a scalar's text is written, quotes included: (start, end) character offsets."""
        if node not in self.scalar_end:
            return None
        return self.value_at[node], self.scalar_end[node]

    def line_text(self, line: int) -> str:
        starts = self._line_starts()
        begin = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[begin:end].rstrip("\r\n")

    def _line_starts(self) -> list[int]:
        if not self._starts:
            self._starts.extend([0] + [m.end() for m in _LINE_BREAK.finditer(self.text)])
        return self._starts


