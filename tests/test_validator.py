"""The compiled validator reports exactly what jsonschema reports, on the real content schema."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factsheet.sources.schema import schema
from factsheet.sources.validator import Unsupported, compile_schema


def jsonschema_validator(definition: str):
    """jsonschema's validator for one definition, with the tool's integer rule: the oracle."""
    from jsonschema import Draft202012Validator, validators

    # JSON Schema counts 12.0 as an integer; the tool does not (an offset written 12.0 is a
    # mistake). Only a true int (never a bool) is an integer here.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool))
    strict = validators.extend(Draft202012Validator, type_checker=checker)
    root = {"$ref": f"#/$defs/{definition}", "$defs": schema()["$defs"]}
    return strict(root)

VALID = {
    "briefing": {"title": "T", "date": "2024-05-07", "language": "en", "authors": ["A"],
                 "summary": None, "keywords": ["k"],
                 "sections": [{"id": "s1", "title": "One", "intro": None}]},
    "sourcesFile": [{"id": "g", "file": "g.txt", "title": "G", "publisher": None, "url": "https://x.example/a",
                     "published": "2024", "sha256": "a" * 64, "notes": None,
                     "furniture": [{"quote": "Share", "note": "prompt"}]}],
    "factsFile": [{"id": "f1", "section": "s1", "statement": "S", "kind": "event", "when": "Tuesday",
                   "citations": [{"source": "g", "quote": "q", "prefix": "p", "suffix": "s", "start": 0, "end": 1}]}],
    "disagreementsFile": [{"id": "d", "topic": "T", "note": "N", "variants": [
        {"statement": "A", "citations": [{"source": "g", "quote": "q"}]},
        {"statement": "B", "citations": [{"source": "g", "quote": "r"}]}]}],
}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.0, 2.5, -1.0, 1e300]),
    st.sampled_from(["", "x", "s1", "bad id", "2024-13", "2024-05-07", "event", "https://x", "a" * 64,
                     "A" * 64, "../up", "x" * 401, "y" * 4001, "é\n"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["id", "quote", "zzz", "title"]), inner,
                                                 max_size=3)), max_leaves=6)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@st.composite
def mutated(draw, definition):
    doc = copy.deepcopy(VALID[definition])
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "Quote", "sha265"]))] = draw(values)
        else:
            parent.append(draw(values))
    return doc


def _both(definition: str, instance):
    # The oracle is jsonschema with the tool's one deviation: 12.0 is not an integer.
    theirs = [(tuple(e.absolute_path), e.validator, e.message)
              for e in jsonschema_validator(definition).iter_errors(instance)]
    ours = [(e.absolute_path, e.validator, e.message) for e in compile_schema(schema(), definition)(instance)]
    return ours, theirs


@pytest.mark.parametrize("definition", sorted(VALID))
def test_valid_documents_have_no_errors(definition):
    ours, theirs = _both(definition, VALID[definition])
    assert ours == theirs == []


@pytest.mark.parametrize("definition", sorted(VALID))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_same_errors_as_jsonschema(definition, data):
    instance = data.draw(st.one_of(mutated(definition), values))
    ours, theirs = _both(definition, instance)
    assert ours == theirs


def test_a_keyword_it_does_not_implement_is_refused_not_skipped():
    root = {"$defs": {"x": {"type": "string", "format": "email"}}}
    with pytest.raises(Unsupported):
        compile_schema(root, "x")
