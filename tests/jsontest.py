"""A runner for the W3C Web Annotation test suite's JSONtest cases (tests/standards/), in-process.

tests/test_standards.py says what the cases mean and how they are run; this module implements it:

- ``Suite`` reads a ``.test`` file and runs its assertion list against one JSON document.
- ``Draft4`` compiles each assertion (a draft-04 JSON Schema) into a predicate. jsonschema's
  ``Draft4Validator`` gives the same answers (the tests hold the two to it) but takes about 3 ms
  per assertion and document: the suite's 164 annotation assertions on the 251 annotations of
  the real briefing would take minutes. ``$ref``s are looked up with ``referencing`` in a registry
  of the suite's ``definitions/`` that retrieves nothing. A keyword the compiler does not
  implement raises ``Unsupported``: no rule is ever skipped silently.
- ``FORMATS`` checks the two formats the suite uses, ``uri`` and ``date-time``, as the suite's own
  validator (Ajv) checks them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing._core import Resolver
from referencing.jsonschema import DRAFT4

Predicate = Callable[[Any], bool]


# ---- formats --------------------------------------------------------------------------------

_UNRESERVED_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED_SUB}:@]|{_PCT})"
_AUTHORITY = (rf"(?:(?:[{_UNRESERVED_SUB}:]|{_PCT})*@)?"                 # userinfo
              rf"(?:\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[{_UNRESERVED_SUB}:]+\]"  # IP literal
              rf"|(?:[{_UNRESERVED_SUB}]|{_PCT})*)"                      # IPv4 address or reg-name
              r"(?::[0-9]*)?")                                           # port
URI = re.compile(  # RFC 3986 section 3: scheme ":" hier-part [ "?" query ] [ "#" fragment ]
    r"^[A-Za-z][A-Za-z0-9+\-.]*:"
    rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$")
DATE_TIME = re.compile(  # RFC 3339 section 5.6
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
    r"([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")


def is_uri(value: object) -> bool:
    return not isinstance(value, str) or URI.match(value) is not None


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = DATE_TIME.match(value)
    if m is None:
        return False
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


FORMATS = FormatChecker(formats=())
FORMATS.checks("uri")(is_uri)
FORMATS.checks("date-time")(is_date_time)


# ---- draft-04, compiled -----------------------------------------------------------------------

class Unsupported(Exception):
    """The schema uses a keyword the compiler does not implement."""


# Keywords that never fail: annotations, containers, and the suite's own keys. "$ref " (with a
# space) is a typo in definitions/specificResource.json: an unknown keyword, which JSON Schema
# (and the suite's validator) ignores. "exclusiveMinimum" is read by "minimum", as draft-04 says.
_IGNORED = {"$schema", "id", "title", "description", "definitions", "assertionType", "expectedResult",
            "onUnexpectedResult", "errorMessage", "assertionFile", "$ref ", "exclusiveMinimum"}

_TYPES: dict[str, Predicate] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),  # draft-04: 1.0 is not
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Draft4:
    """Draft-04 schemas compiled to predicates (valid or not; no error messages)."""

    def __init__(self, registry: Registry, formats: FormatChecker):
        self.registry = registry
        self.formats = formats
        self._refs: dict[int, Predicate] = {}

    def compile(self, schema: dict) -> Predicate:
        return self._schema(schema, self.registry.resolver_with_root(DRAFT4.create_resource(schema)), True)

    def _ref(self, ref: str, resolver: Resolver) -> Predicate:
        resolved = resolver.lookup(ref)  # Unresolvable for anything outside the registry
        # Each subschema object sits at one place in one vendored file, so it has one base URI.
        key = id(resolved.contents)
        if key not in self._refs:
            cell: list[Predicate] = []
            self._refs[key] = lambda v: cell[0](v)  # a reference may lead back here
            cell.append(self._schema(resolved.contents, resolved.resolver, True))
            self._refs[key] = cell[0]
        return self._refs[key]

    def _schema(self, schema: Any, resolver: Resolver, scoped: bool = False) -> Predicate:
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        if not scoped:  # as jsonschema descends: a subschema's "id" moves the base URI
            resolver = resolver.in_subresource(DRAFT4.create_resource(schema))
        if "$ref" in schema:  # draft-04: the other keywords beside "$ref" are ignored
            return self._ref(schema["$ref"], resolver)
        checks = [self._keyword(k, v, schema, resolver) for k, v in schema.items() if k not in _IGNORED]

        def valid(v: Any) -> bool:
            for check in checks:
                if not check(v):
                    return False
            return True
        return valid

    def _keyword(self, key: str, value: Any, schema: dict, resolver: Resolver) -> Predicate:
        sub = lambda s: self._schema(s, resolver)
        if key == "type":
            names = value if isinstance(value, list) else [value]
            if any(n not in _TYPES for n in names):
                raise Unsupported(f"type {value!r}")
            tests = [_TYPES[n] for n in names]
            if len(tests) == 1:
                return tests[0]
            return lambda v: any(t(v) for t in tests)
        if key == "enum":
            return lambda v: any(_equal(v, e) for e in value)
        if key == "required":
            def required(v: Any) -> bool:
                if isinstance(v, dict):
                    for k in value:
                        if k not in v:
                            return False
                return True
            return required
        if key == "properties":
            props = [(k, sub(s)) for k, s in value.items()]

            def properties(v: Any) -> bool:
                if isinstance(v, dict):
                    for k, p in props:
                        if k in v and not p(v[k]):
                            return False
                return True
            return properties
        if key == "patternProperties":
            pats = [(re.compile(k), sub(s)) for k, s in value.items()]

            def pattern_properties(v: Any) -> bool:
                if isinstance(v, dict):
                    for k, item in v.items():
                        for rx, p in pats:
                            if rx.search(k) and not p(item):
                                return False
                return True
            return pattern_properties
        if key == "additionalProperties":
            named = set(schema.get("properties", {}))
            pattern = "|".join(schema.get("patternProperties", {}))
            extra = lambda v: [item for k, item in v.items()
                               if k not in named and not (pattern and re.search(pattern, k))]
            if value is False:
                return lambda v: not isinstance(v, dict) or not extra(v)
            if value is True:
                return lambda v: True
            p = sub(value)
            return lambda v: not isinstance(v, dict) or all(p(item) for item in extra(v))
        if key == "dependencies":
            deps = [(k, d if isinstance(d, list) else sub(d)) for k, d in value.items()]
            return lambda v: not isinstance(v, dict) or all(
                (all(n in v for n in d) if isinstance(d, list) else d(v)) for k, d in deps if k in v)
        if key == "items":
            if not isinstance(value, dict):
                raise Unsupported("items as a list")
            p = sub(value)

            def items(v: Any) -> bool:
                if isinstance(v, list):
                    for item in v:
                        if not p(item):
                            return False
                return True
            return items
        if key == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if key == "maxItems":
            return lambda v: not isinstance(v, list) or len(v) <= value
        if key == "minimum":
            if schema.get("exclusiveMinimum", False):
                return lambda v: not _number(v) or v > value
            return lambda v: not _number(v) or v >= value
        if key == "pattern":
            rx = re.compile(value)
            return lambda v: not isinstance(v, str) or rx.search(v) is not None
        if key == "format":
            if value not in self.formats.checkers:
                return lambda v: True  # as jsonschema: a format with no checker is not asserted
            return lambda v: self.formats.conforms(v, value)
        if key == "allOf":
            ps = [sub(s) for s in value]

            def all_of(v: Any) -> bool:
                for p in ps:
                    if not p(v):
                        return False
                return True
            return all_of
        if key == "anyOf":
            ps = [sub(s) for s in value]

            def any_of(v: Any) -> bool:
                for p in ps:
                    if p(v):
                        return True
                return False
            return any_of
        if key == "oneOf":
            ps = [sub(s) for s in value]

            def one_of(v: Any) -> bool:
                found = 0
                for p in ps:
                    if p(v):
                        found += 1
                        if found > 1:
                            return False
                return found == 1
            return one_of
        if key == "not":
            p = sub(value)
            return lambda v: not p(v)
        raise Unsupported(f"keyword {key!r}")


def definitions_registry(folder: Path) -> Registry:
    """The suite's definitions under their ids (``annotations.json``…), one flat namespace as the
    suite's harness registers them; no retrieve function, so nothing else can be looked up."""
    resources = []
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def oracle(schema: dict, registry: Registry) -> Draft4Validator:
    """jsonschema's own draft-04 validator for an assertion: what ``Draft4`` must agree with."""
    return Draft4Validator(schema, registry=registry, format_checker=FORMATS)


# ---- the JSONtest runner --------------------------------------------------------------------

SEVERITIES = ("must", "should", "may")


@dataclass(frozen=True)
class Step:
    """One assertion of a list, or a condition object with its own list (``children``)."""
    name: str                      # the assertion's file, or an inline assertion's title
    severity: str                  # must, should, may
    expect_valid: bool             # expectedResult
    on_unexpected: str             # onUnexpectedResult
    message: str                   # errorMessage
    schema: dict
    check: Predicate | None = None
    children: list | None = None   # a condition object's assertion list
    compare_with: str = "and"


@dataclass
class Outcome:
    """One assertion's result on one document."""
    test: str          # the .test file
    name: str
    severity: str
    expected: bool     # the document gave the expected result
    failed: bool       # unexpected, and that counts as a failure
    message: str = ""  # the assertion's errorMessage when unexpected


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class Suite:
    def __init__(self, root: Path, registry: Registry):
        self.root = root
        self.registry = registry
        self.engine = Draft4(registry, FORMATS)
        self._files: dict[Path, dict] = {}
        self._compiled: dict[int, Predicate] = {}
        self._plans: dict[str, tuple[list, set[str]]] = {}

    def load(self, path: Path) -> dict:
        if path not in self._files:
            self._files[path] = json.loads(path.read_text(encoding="utf-8"))
        return self._files[path]

    def valid(self, schema: dict, document: Any) -> bool:
        return self._compile(schema)(document)

    def _compile(self, schema: dict) -> Predicate:
        if id(schema) not in self._compiled:
            self._compiled[id(schema)] = self.engine.compile(schema)
        return self._compiled[id(schema)]

    def _assertion(self, entry: str | dict, folder: Path) -> tuple[str, dict]:
        def path(name: str) -> Path:  # with a slash: from the suite's root; without: from the .test's folder
            return self.root / name if "/" in name else folder / name
        if isinstance(entry, str):
            return entry, self.load(path(entry))
        if "assertionFile" in entry:
            name = entry["assertionFile"]
            return name, {**self.load(path(name)), **{k: v for k, v in entry.items() if k != "assertionFile"}}
        return entry.get("title", "inline assertion"), entry

    def _step(self, name: str, obj: dict, **kw: Any) -> Step:
        severity = str(obj.get("assertionType", "must")).lower()
        return Step(name, severity if severity in SEVERITIES else "must",
                    obj.get("expectedResult", "valid") == "valid",
                    str(obj.get("onUnexpectedResult", "failAndContinue")),
                    obj.get("errorMessage", "Result was not as expected"), obj, **kw)

    def _plan(self, entries: list, folder: Path) -> list:
        plan: list = []
        for entry in entries:
            if isinstance(entry, list):  # a group
                plan.append(self._plan(entry, folder))
            elif isinstance(entry, dict) and "assertions" in entry:  # a condition object
                plan.append(self._step(entry.get("title", "condition"), entry,
                                       children=self._plan(entry["assertions"], folder),
                                       compare_with=entry.get("compareWith", "and")))
            else:
                name, obj = self._assertion(entry, folder)
                plan.append(self._step(name, obj, check=self._compile(obj)))
        return plan

    def plan(self, test_file: str) -> tuple[list, set[str]]:
        """A .test file's assertion list, loaded and compiled, and its skipFailures."""
        if test_file not in self._plans:
            path = self.root / test_file
            test = self.load(path)
            self._plans[test_file] = (self._plan(test["assertions"], path.parent),
                                      set(test.get("skipFailures", [])))
        return self._plans[test_file]

    def assertions(self, test_file: str) -> list[tuple[str, dict]]:
        """Every assertion a .test file uses, through groups and conditions: (name, schema)."""
        found: list[tuple[str, dict]] = []

        def walk(plan: list) -> None:
            for step in plan:
                if isinstance(step, list):
                    walk(step)
                elif step.children is not None:
                    walk(step.children)
                else:
                    found.append((step.name, step.schema))
        walk(self.plan(test_file)[0])
        return found

    def run(self, test_file: str, document: Any) -> Run:
        plan, skip_failures = self.plan(test_file)
        run = Run()
        self._list(plan, document, test_file, skip_failures, run, True)
        return run

    def _list(self, plan: list, document: Any, test_file: str, skip_failures: set[str], run: Run,
              report: bool) -> tuple[str, list[bool]]:
        """Run one assertion list: the action it ends with (continue, skip, abort) and its results."""
        action, results = "continue", []
        for step in plan:
            if action != "continue":
                run.skipped.append("group" if isinstance(step, list) else step.name)
                continue
            if isinstance(step, list):  # a skip ends the group only; an abort ends everything
                sub, _ = self._list(step, document, test_file, skip_failures, run, report)
                action = "abort" if sub == "abort" else "continue"
                continue
            if step.children is not None:  # only the condition's own result is reported
                sub, children = self._list(step.children, document, test_file, skip_failures, run, False)
                ok = (any(children) if step.compare_with == "or" else all(children)) == step.expect_valid
                if sub == "abort":
                    action = "abort"
            else:
                assert step.check is not None
                ok = step.check(document) == step.expect_valid
            results.append(ok)
            if report:
                failed = not ok and not step.on_unexpected.startswith("pass") and step.severity not in skip_failures
                run.outcomes.append(Outcome(test_file, step.name, step.severity, ok, failed,
                                            "" if ok else step.message))
            if not ok:  # failAndSkip → skip, passAndAbort → abort, …
                then = step.on_unexpected.removeprefix("fail").removeprefix("pass").removeprefix("And").lower()
                if then in ("skip", "abort"):
                    action = then
        return action, results
