"""Plain words for the YAML syntax errors curators make most: a value holding ": " that is not in
quotes, text after a closing quote, and a line indented differently from the lines around it.

PyYAML reports these as "mapping values are not allowed in this context", "did not find expected
key" and "did not find expected '-' indicator", at a place that is often not the mistake. Each hint
is worked out from the lines themselves, and only when they show the mistake plainly; otherwise
the parser's own message stands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# "  - key: value", "key:", "- - key: value": the indentation, any list dashes, the key, the rest.
_LINE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?:(?P<key>[^\s#'\"\-][^:#]*?|-[^\s:#][^:#]*?):(?= |$))?"
                   r"(?P<rest>.*)$")
_INDENT_PROBLEMS = ("mapping values are not allowed", "did not find expected key",
                    "did not find expected '-' indicator", "could not find expected ':'")


@dataclass(frozen=True, slots=True)
class Hint:
    index: int  # where to point, a character offset in the file
    message: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    start: int  # offset of the line in the file
    text: str

    @property
    def parts(self) -> re.Match[str]:
        found = _LINE.match(self.text)
        assert found is not None  # every group may be empty: any line matches
        return found

    @property
    def dash(self) -> int | None:
        """Column of the first list dash, if the line starts a list item."""
        p = self.parts
        return len(p["indent"]) if p["dashes"] else None

    @property
    def key(self) -> str | None:
        return self.parts["key"]

    @property
    def key_col(self) -> int:
        p = self.parts
        return len(p["indent"]) + len(p["dashes"])

    @property
    def opens_block(self) -> bool:
        return self.key is not None and not _value(self.parts["rest"])


def explain(text: str, index: int, problem: str) -> Hint | None:
    """A plain hint for the syntax error PyYAML reported at ``index``, or None."""
    lines = _lines(text)
    here = next((ln for ln in reversed(lines) if ln.start <= index), None)
    if here is None:
        return None
    col = index - here.start
    if (problem.startswith("mapping values are not allowed") and here.key is not None
            and col > here.key_col + len(here.key)):
        return _colon_in_value(here)
    if problem.startswith("did not find expected key") and here.key is not None:
        hint = _after_closing_quote(here, col)
        if hint:
            return hint
    if problem.startswith(_INDENT_PROBLEMS):
        return _indentation(lines, here)
    if problem.startswith("did not find expected <document start>"):
        return _after_empty_list(lines, here)
    return None


def _after_empty_list(lines: list[_Line], here: _Line) -> Hint | None:
    """Entries written after the ``[]`` that a new file starts with (an empty list)."""
    empty = next((ln for ln in lines[: here.number - 1] if _value(ln.text) == "[]"), None)
    if empty is None:
        return None
    return Hint(empty.start + empty.text.index("[]"), "the file holds an empty list, `[]`, and then entries: "
                "delete the `[]` (it stands for a list with nothing in it)")


def _lines(text: str) -> list[_Line]:
    found, at = [], 0
    for n, raw in enumerate(text.splitlines(keepends=True), 1):
        found.append(_Line(n, at, raw.rstrip("\r\n")))
        at += len(raw)
    return found


def _value(rest: str) -> str:
    """A line's value without the space after the colon or a trailing comment."""
    return re.sub(r"(?:^| +)#.*$", "", rest).strip()


def _quoted(key: str, value: str) -> str:
    """``key: value`` with the value in YAML quotes, ready to paste."""
    if '"' in value and "'" not in value:
        return f"{key}: '{value}'"
    return f"{key}: {json.dumps(value, ensure_ascii=False)}"


def _colon_in_value(line: _Line) -> Hint:
    key, value = line.key or "", line.parts["rest"].strip()
    colon = line.start + line.key_col + len(key) + 1 + line.parts["rest"].find(":")
    holds = "holds \": \"" if ": " in value else "ends with \":\""
    return Hint(colon, f"the value of '{key}' {holds}, which YAML reads as a new key; put the "
                f"{key} in quotes", (_quoted(key, value),))


def _after_closing_quote(line: _Line, col: int) -> Hint | None:
    key, rest = line.key or "", line.parts["rest"].strip()
    if rest[:1] not in ("'", '"') or col <= line.key_col + len(key):
        return None
    return Hint(line.start + col, f"text after the closing quote of '{key}'; put the whole {key} "
                "inside the quotes", (_quoted(key, rest),))


def _indentation(lines: list[_Line], here: _Line) -> Hint | None:
    before = [ln for ln in lines[: here.number - 1] if ln.text.strip() and not ln.text.lstrip().startswith("#")]
    if not before or not here.text.strip():
        return None
    if here.dash is not None:
        items = [(ln, dash) for ln in before if (dash := ln.dash) is not None and dash <= here.dash + 2]
        if not items or items[-1][1] == here.dash:
            return None
        (other, expected), actual, what = items[-1], here.dash, "this list item"
        that = f"the item on line {other.number}"
    else:
        other = before[-1]
        if other.opens_block or other.key is None or here.key is None:
            return None
        actual, expected, what = here.key_col, other.key_col, f"'{here.key}'"
        that = f"'{other.key}' on line {other.number}"
        if actual == expected:
            return None
    return Hint(here.start + actual, f"{what} is indented by {_spaces(actual)}, {that} by {expected}: "
                f"line them up ({_spaces(expected)})")


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"
