"""A JSON Schema validator compiled for the keywords the content schema uses, and nothing more.

jsonschema walks the schema for every node (reference lookups, validator objects per level): at
10,000 facts that was two thirds of `factsheet check`, and its import alone was a third of the
time of checking a small briefing. Here each subschema is compiled once into a function; errors
carry the attributes of jsonschema's ``ValidationError`` that ``schema.py`` reads (validator,
validator_value, instance, schema, absolute_path, message), in the same order, with the same
messages. A schema using any other keyword raises ``Unsupported`` at compile time, never skipping a
rule (the shipped schema uses none). tests/test_validator.py holds the two to the same errors on
generated documents; jsonschema is needed by the tests only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sized
from dataclasses import dataclass
from typing import Any

Path = tuple[Any, ...]
# A check appends what it finds to the list it is given: a generator per check and node, chained by
# ``yield from`` through every level, cost twice as much at 10,000 facts.
Check = Callable[[Any, Path, list["SchemaError"]], None]

# Keywords that only annotate: they never produce an error.
_ANNOTATIONS = {"description", "title", "$schema", "$id", "$defs", "$comment", "default", "examples"}


class Unsupported(Exception):
    """The schema uses a keyword this validator does not implement."""


@dataclass(frozen=True, slots=True)
class SchemaError:
    validator: str
    validator_value: Any
    instance: Any
    schema: dict
    absolute_path: Path
    message: str


def _is_type(value: Any, name: str) -> bool:
    # As JSON Schema defines them, except that 1.0 is not an integer: an offset written 12.0 is a
    # mistake (and no slice index). A bool is not a number.
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int)
    if name == "number":
        return isinstance(value, (int, float))
    raise Unsupported(f"type {name!r}")


def _same(a: Any, b: Any) -> bool:
    # enum compares JSON values: True is not 1, and 1 equals 1.0.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


class Compiler:
    """Turns (sub)schemas of one root document into check functions, each compiled once."""

    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: dict) -> Check:
        found = [self._keyword(schema, key, value) for key, value in schema.items() if key not in _ANNOTATIONS]
        checks = [c for c in found if c is not None]
        if len(checks) == 1:
            return checks[0]

        def check_all(instance: Any, path: Path, out: list[SchemaError]) -> None:
            for check in checks:
                check(instance, path, out)
        return check_all

    def _ref(self, ref: str) -> Check:
        if not ref.startswith("#/"):
            raise Unsupported(f"$ref {ref!r}")
        if ref not in self.refs:
            target: Any = self.root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            cell: list[Check] = []
            self.refs[ref] = lambda instance, path, out: cell[0](instance, path, out)  # recursion-safe
            cell.append(self.compile(target))
        return self.refs[ref]

    def _keyword(self, schema: dict, key: str, value: Any) -> Check | None:
        maker = getattr(self, "_k_" + key.lstrip("$"), None)
        if maker is None:
            raise Unsupported(f"keyword {key!r}")
        return maker(schema, value)

    def _k_ref(self, schema: dict, value: str) -> Check:
        return self._ref(value)

    def _k_type(self, schema: dict, value: Any) -> Check:
        types = [value] if isinstance(value, str) else list(value)
        for t in types:
            _is_type(None, t)  # unknown type names fail at compile time
        shown = ", ".join(repr(t) for t in types)

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if not any(_is_type(instance, t) for t in types):
                out.append(SchemaError("type", value, instance, schema, path, f"{instance!r} is not of type {shown}"))
        return check

    def _k_properties(self, schema: dict, value: dict) -> Check:
        props = {name: self.compile(sub) for name, sub in value.items()}

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, dict):
                for name, sub in props.items():
                    if name in instance:
                        sub(instance[name], path + (name,), out)
        return check

    def _k_additionalProperties(self, schema: dict, value: Any) -> Check | None:
        if value is True:
            return None
        if value is not False or "patternProperties" in schema:
            raise Unsupported("additionalProperties other than false")
        allowed = set(schema.get("properties", ()))

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, dict):
                extras = [k for k in instance if k not in allowed]
                if extras:
                    names = ", ".join(repr(e) for e in sorted(extras, key=str))
                    verb = "was" if len(extras) == 1 else "were"
                    out.append(SchemaError("additionalProperties", value, instance, schema, path,
                                           f"Additional properties are not allowed ({names} {verb} unexpected)"))
        return check

    def _k_required(self, schema: dict, value: list) -> Check:
        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, dict):
                for name in value:
                    if name not in instance:
                        out.append(SchemaError("required", value, instance, schema, path,
                                               f"{name!r} is a required property"))
        return check

    def _k_items(self, schema: dict, value: Any) -> Check:
        if not isinstance(value, dict) or "prefixItems" in schema:
            raise Unsupported("items other than one schema")
        item = self.compile(value)

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, list):
                for i, element in enumerate(instance):
                    item(element, path + (i,), out)
        return check

    def _bound(self, schema: dict, key: str, value: int, kind: type[Sized], fails: Callable[[int], bool],
               message: str) -> Check:
        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, kind) and fails(len(instance)):
                out.append(SchemaError(key, value, instance, schema, path, f"{instance!r} {message}"))
        return check

    def _k_minItems(self, schema: dict, value: int) -> Check:
        return self._bound(schema, "minItems", value, list, lambda n: n < value,
                           "should be non-empty" if value == 1 else "is too short")

    def _k_maxItems(self, schema: dict, value: int) -> Check:
        return self._bound(schema, "maxItems", value, list, lambda n: n > value,
                           "is expected to be empty" if value == 0 else "is too long")

    def _k_minLength(self, schema: dict, value: int) -> Check:
        return self._bound(schema, "minLength", value, str, lambda n: n < value,
                           "should be non-empty" if value == 1 else "is too short")

    def _k_maxLength(self, schema: dict, value: int) -> Check:
        return self._bound(schema, "maxLength", value, str, lambda n: n > value,
                           "is expected to be empty" if value == 0 else "is too long")

    def _k_pattern(self, schema: dict, value: str) -> Check:
        regex = re.compile(value)  # searched, not matched: as JSON Schema and jsonschema do

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if isinstance(instance, str) and not regex.search(instance):
                out.append(SchemaError("pattern", value, instance, schema, path,
                                       f"{instance!r} does not match {value!r}"))
        return check

    def _k_minimum(self, schema: dict, value: Any) -> Check:
        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if _is_type(instance, "number") and instance < value:
                out.append(SchemaError("minimum", value, instance, schema, path,
                                       f"{instance!r} is less than the minimum of {value!r}"))
        return check

    def _k_enum(self, schema: dict, value: list) -> Check:
        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if not any(_same(instance, choice) for choice in value):
                out.append(SchemaError("enum", value, instance, schema, path, f"{instance!r} is not one of {value!r}"))
        return check

    def _k_anyOf(self, schema: dict, value: list) -> Check:
        options = [self.compile(sub) for sub in value]

        def valid(option: Check, instance: Any, path: Path) -> bool:
            found: list[SchemaError] = []
            option(instance, path, found)
            return not found

        def check(instance: Any, path: Path, out: list[SchemaError]) -> None:
            if not any(valid(option, instance, path) for option in options):
                out.append(SchemaError("anyOf", value, instance, schema, path,
                                       f"{instance!r} is not valid under any of the given schemas"))
        return check


def compile_schema(root: dict, definition: str) -> Callable[[Any], list[SchemaError]]:
    """The check for ``#/$defs/<definition>`` of ``root``, giving every error in document order;
    raises ``Unsupported`` if it cannot."""
    check = Compiler(root)._ref(f"#/$defs/{definition}")

    def errors(instance: Any) -> list[SchemaError]:
        found: list[SchemaError] = []
        check(instance, (), found)
        return found
    return errors
