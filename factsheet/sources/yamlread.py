"""Reading one YAML file safely into plain values, remembering where every node was written.

Built from parser events (libyaml when available) rather than a YAML loader, so that:
- no tag is ever resolved into an object, and an explicit tag (``!!python/...``) is an error;
- anchors and aliases are errors at the place they are written (no alias bombs);
- duplicate keys and a second document are errors, not silently dropped;
- plain scalars follow the YAML 1.2 core schema (``no`` and ``2018-03-21`` stay strings, and
  ``0777`` stays text), so a value is never silently changed; the raw text is kept for hints;
- lines and columns are counted the way editors count them (only LF, CRLF and CR break a line),
  from the character offset the parser reports. U+2028, U+2029 and U+0085 are refused where they
  are written: the YAML 1.1 reader would break a line there that no editor shows, and parse the
  file differently from how it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from factsheet.diagnostics import echoed
from factsheet.model import ContentFile, Diagnostic, Location

_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
# A float needs a point or an exponent: "0777" and "1_000" stay text, never a changed number.
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$")
_STANDARD_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path = tuple[Any, ...]


@dataclass
class Document:
    """A YAML file's plain value, with the file (text and node positions) it was read from."""

    file: ContentFile
    value: Any = None
    raw: dict[Path, str] = field(default_factory=dict)  # plain scalars' text, for hints
    errors: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def text(self) -> str:
        return self.file.text

    def location(self, index: int) -> Location:
        return self.file.location(index)

    def at(self, path: Path, key: bool = False) -> Location:
        return self.file.at(path, key)

    def diagnostic(self, path: Path, message: str, *, key: bool = False, severity: str = "error",
                   rule: str = "format", notes: tuple[str, ...] = ()) -> Diagnostic:
        return echoed(self.file, Diagnostic(self.at(path, key), severity, message, rule, notes))

    def diagnostic_at(self, loc: Location, message: str, *, rule: str = "format") -> Diagnostic:
        return echoed(self.file, Diagnostic(loc, "error", message, rule))


def read_yaml(name: str, path: str, data: bytes) -> Document:
    """Decode and parse one file; problems go to ``Document.errors``, never raised. ``name`` is
    the file's name in the content folder, ``path`` how locations show it."""
    text, problem = _decode(data)
    doc = Document(ContentFile(name, path, data, text or ""))
    if problem:
        doc.errors.append(Diagnostic(Location(path, problem[0], problem[1]), "error", problem[2], "yaml"))
        return doc
    if "\x00" in doc.text:
        doc.errors.append(doc.diagnostic_at(doc.location(doc.text.index("\x00")),
                                            "NUL byte in a YAML file", rule="yaml"))
        return doc
    breaks = _hidden_breaks(doc)
    if breaks:
        doc.errors.extend(breaks)
        return doc
    if not doc.text.strip():
        doc.errors.append(Diagnostic(Location(path, 1, 1), "error", "file is empty", "yaml"))
        return doc
    _Builder(doc).run()
    return doc


_HIDDEN_BREAK = re.compile("[\u2028\u2029\x85]")
_BREAK_NAMES = {"\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR", "\x85": "NEXT LINE"}
_MAX_REPORTED = 10


def _hidden_breaks(doc: Document) -> list[Diagnostic]:
    found = []
    for n, m in enumerate(_HIDDEN_BREAK.finditer(doc.text)):
        if n == _MAX_REPORTED:
            break
        c = m.group()
        found.append(doc.diagnostic_at(
            doc.location(m.start()), f"U+{ord(c):04X} ({_BREAK_NAMES[c]}) in a YAML file: YAML reads it as a "
            f"line break that editors do not show; delete it, or write \\u{ord(c):04x} inside double quotes",
            rule="yaml"))
    return found


def _decode(data: bytes) -> tuple[str | None, tuple[int, int, str] | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, (1, 1, "file is UTF-16; content files must be UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        # The BOM is not content: dropping it keeps columns on line 1 as editors show them.
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        good = data[: e.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        return None, (line, col, f"invalid UTF-8 (byte 0x{data[e.start]:02x}); content files must be UTF-8")


class _Stop(Exception):
    pass


class _Builder:
    """Turns the parser's event stream into plain values plus the position tables."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.events: Iterator[yaml.Event] = iter(())

    def run(self) -> None:
        try:
            self.events = iter(yaml.parse(self.doc.text, Loader=_Parser))
            self._expect(yaml.StreamStartEvent)
            start = self._next()
            if isinstance(start, yaml.StreamEndEvent):
                self._error(start.start_mark.index, "file holds no YAML document")
                return
            self.doc.value = self._node(self._next(), ())
            self._expect(yaml.DocumentEndEvent)
            after = self._next()
            if isinstance(after, yaml.DocumentStartEvent):
                self._error(after.start_mark.index, "a second YAML document in one file; "
                            "a content file holds exactly one")
        except yaml.MarkedYAMLError as e:
            self._syntax_error(e)
        except yaml.YAMLError as e:  # ReaderError: a character YAML does not allow
            pos = getattr(e, "position", 0)
            self._error(pos, f"YAML: {getattr(e, 'reason', e)} "
                        f"(character U+{getattr(e, 'character', 0) or 0:04X})"
                        if isinstance(getattr(e, 'character', None), int)
                        else f"YAML: {e}")
        except _Stop:
            pass

    def _syntax_error(self, e: yaml.MarkedYAMLError) -> None:
        from factsheet.sources.yamlhint import explain  # only a file with a syntax error needs it

        mark = e.problem_mark or e.context_mark
        hint = explain(self.doc.text, mark.index, e.problem or "") if mark else None
        if hint is not None:
            self.doc.errors.append(echoed(self.doc.file, Diagnostic(
                self.doc.location(hint.index), "error", f"YAML syntax: {hint.message}", "yaml", hint.notes)))
            return
        message = f"YAML syntax: {e.problem or e.context}"
        if e.problem and e.context and e.context_mark:
            # "while scanning a quoted scalar", with where that scalar began: the usual culprit.
            began = self.doc.location(e.context_mark.index)
            message += f" ({e.context}, which started at line {began.line}, column {began.col})"
        self._error(mark.index if mark else 0, message)

    def _next(self):
        return next(self.events)

    def _expect(self, kind) -> None:
        event = self._next()
        if not isinstance(event, kind):
            self._error(event.start_mark.index, f"unexpected YAML {type(event).__name__}")
            raise _Stop

    def _error(self, index: int, message: str) -> None:
        self.doc.errors.append(self.doc.diagnostic_at(self.doc.location(index), message, rule="yaml"))

    def _node(self, event, path: Path) -> Any:
        index = event.start_mark.index
        self.doc.file.value_at[path] = index
        if isinstance(event, yaml.AliasEvent):
            self._error(index, f"alias '*{event.anchor}': anchors and aliases are not allowed in content")
            raise _Stop
        if getattr(event, "anchor", None):
            self._error(index, f"anchor '&{event.anchor}': anchors and aliases are not allowed in content")
            raise _Stop
        if event.tag not in _STANDARD_TAGS:
            self._error(index, f"tag '{event.tag}' is not allowed in content; write plain values")
            raise _Stop
        if isinstance(event, yaml.ScalarEvent):
            self.doc.file.scalar_end[path] = event.end_mark.index
            return self._scalar(event, path)
        if isinstance(event, yaml.SequenceStartEvent):
            return self._sequence(path)
        return self._mapping(path)

    def _scalar(self, event, path: Path) -> Any:
        if event.style or event.tag in ("!", "tag:yaml.org,2002:str"):
            return event.value  # quoted or block scalars are always strings
        self.doc.raw[path] = event.value
        return plain_scalar(event.value)

    def _sequence(self, path: Path) -> list:
        items: list[Any] = []
        while not isinstance(event := self._next(), yaml.SequenceEndEvent):
            items.append(self._node(event, path + (len(items),)))
        return items

    def _mapping(self, path: Path) -> dict:
        result: dict = {}
        while not isinstance(event := self._next(), yaml.MappingEndEvent):
            key_index = event.start_mark.index
            if not isinstance(event, yaml.ScalarEvent):
                self._error(key_index, "a mapping key must be a plain word")
                raise _Stop
            key = event.value
            if key in result:
                first = self.doc.location(self.doc.file.key_at[path + (key,)])
                self._error(key_index, f"duplicate key '{key}' (first written at line {first.line})")
                raise _Stop
            self.doc.file.key_at[path + (key,)] = key_index
            result[key] = self._node(self._next(), path + (key,))
        return result


def plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema for an unquoted scalar: null, bool, int, float, else the text itself."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text
