"""The open exports checked by the standards' own test suites, vendored in tests/standards/.

**W3C Web Annotation** (``w3c/web-annotation-tests``, the suite behind the Working Group's
implementation report). Each ``.test`` file is a JSONtest case: an ordered list of assertions
run against one JSON document. It is run here as the suite's format defines it (its README in
web-platform-tests' ``annotation-model/``) and its harness (``scripts/JSONtest.js``) runs it:

- An entry of a list is a file name (with a ``/``: from the suite's root; without: from the
  ``.test`` file's folder), an inline assertion object, an object with ``assertionFile`` (that
  file, its keys overridden by the object's other keys), a nested list (a group), or a condition
  object (one with ``assertions``; ``compareWith`` ``and`` (the default) or ``or`` combines its
  children's results into its own, and only the condition's result is reported).
- An assertion is a draft-04 JSON Schema plus the suite's keys. ``expectedResult`` (default
  ``valid``) says whether the document is expected to validate: with ``invalid``, the assertion
  holds when validation *fails*. ``onUnexpectedResult`` (default ``failAndContinue``) says what
  an unexpected result is and what happens next: ``fail…`` counts as a failure, ``pass…`` does
  not (the optional lists use it: the feature is not implemented, which is allowed); ``…Continue``
  runs the next assertion, ``…Skip`` skips the rest of the current list (or group), ``…Abort``
  every remaining assertion. ``errorMessage`` is what an unexpected result reports.
  ``assertionType`` (``must``, ``should``, ``may``; default ``must``) is the severity, and a
  ``.test`` file's ``skipFailures`` lists severities whose unexpected results are not failures.
- ``anyOf``/``oneOf``/``allOf``/``not`` inside an assertion are JSON Schema's own. ``$ref``s
  name the suite's ``definitions/`` by their ids (``annotations.json``, ``id.json``…), one flat
  namespace as the harness registers them, and resolve only inside the vendored folder (a
  ``referencing`` registry with no retrieval: nothing is fetched). The formats ``uri`` (RFC 3986)
  and ``date-time`` (RFC 3339) are checked, as the harness's validator (Ajv) checks formats.

The schemas are evaluated by a compiled draft-04 evaluator (tests/jsontest.py), which
``test_compiled_evaluator_agrees_with_jsonschema`` holds to jsonschema's ``Draft4Validator`` on
passing and failing documents for every assertion; jsonschema itself is too slow to run the whole
suite on every annotation of the real briefing in seconds.

Every annotation is run through the annotation lists, the collection through the collection
lists, and the page lists on the embedded ``AnnotationPage`` both on its own and inside the
collection (the suite accepts either). Every MUST list (``annotationMusts``, ``collectionMusts``,
``pageMusts``) must hold for every document. The OPTIONAL lists are run and reported, never
required: the table in docs/publishing.md says which optional features the export implements,
and ``test_optional_features_are_as_documented`` keeps it true.

**CSL-JSON**: ``briefing.sources.csl.json`` is validated against the CSL project's
``csl-data.json`` (draft-07), itself checked against its metaschema.

**The content format**: ``content.schema.json`` is validated against its metaschema (JSON Schema
2020-12, which ships with jsonschema).

The exports of ``content/`` and of tests/fixtures/small are built in-process.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import referencing.exceptions
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.validators import validator_for

from factsheet.outputs.exports import annotations, sources_csl
from factsheet.pipeline import verify
from tests.conftest import FIXTURES, ROOT
from tests.jsontest import Suite, definitions_registry, is_date_time, is_uri, oracle

STANDARDS = Path(__file__).parent / "standards"
W3C = STANDARDS / "web-annotation-tests"
CSL_SCHEMA = STANDARDS / "csl-schema" / "csl-data.json"
CONTENT_SCHEMA = ROOT / "factsheet" / "sources" / "schema" / "content.schema.json"
PUBLISHING = ROOT / "docs" / "publishing.md"

MUSTS = {"annotation": ["annotations/annotationMusts.test"],
         "collection": ["collections/collectionMusts.test"],
         "page": ["collections/pages/pageMusts.test"]}
OPTIONALS = {"annotation": ["annotations/annotationOptionals.test", "annotations/annotationsAgentOptionals.test"],
             "collection": ["collections/collectionOptionals.test"],
             "page": ["collections/pages/pageOptionals.test"]}

REGISTRY = definitions_registry(W3C / "definitions")
SUITE = Suite(W3C, REGISTRY)


def _export(folder: Path) -> tuple[dict, list]:
    briefing, report = verify(folder)
    assert briefing is not None, report.sorted()
    # Through JSON, as the files are written and read back.
    return json.loads(json.dumps(annotations(briefing))), json.loads(json.dumps(sources_csl(briefing)))


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[dict, list]]:
    return {"content": _export(ROOT / "content"), "small": _export(FIXTURES / "small")}


def documents(collection: dict, kind: str) -> list:
    if kind == "annotation":
        return collection["first"]["items"]
    if kind == "collection":
        return [collection]
    return [collection["first"], collection]  # the page on its own, and embedded in its collection


def outcomes(tests: list[str], docs: list) -> list:
    return [o for t in tests for d in docs for o in SUITE.run(t, d).outcomes]


# ---- W3C Web Annotation: MUST ---------------------------------------------------------------

@pytest.mark.parametrize("briefing", ["content", "small"])
@pytest.mark.parametrize("kind", ["annotation", "collection", "page"])
def test_exports_meet_every_must_of_the_w3c_suite(built, briefing, kind):
    collection, _ = built[briefing]
    docs = documents(collection, kind)
    results = outcomes(MUSTS[kind], docs)
    listed = sum(len(SUITE.assertions(t)) for t in MUSTS[kind])
    assert listed > 0 and len(results) == listed * len(docs)  # every assertion ran on every document
    failures = sorted({f"{o.name}: {o.message}" for o in results if o.failed or not o.expected})
    assert failures == []


def test_the_page_has_its_context_and_a_stable_id_of_its_own(built):
    for collection, _ in built.values():
        page = collection["first"]
        assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert page["id"].startswith("urn:uuid:")
        assert page["id"] not in [collection["id"]] + [a["id"] for a in page["items"]]
    assert _export(FIXTURES / "small")[0]["first"]["id"] == built["small"][0]["first"]["id"]


# ---- W3C Web Annotation: OPTIONAL -----------------------------------------------------------

def optional_outcomes(built) -> list:
    return [o for collection, _ in built.values() for kind, tests in OPTIONALS.items()
            for o in outcomes(tests, documents(collection, kind))]


def implemented(results: list) -> set[str]:
    """The optional assertions that hold for every document of both briefings."""
    held: dict[str, bool] = {}
    for o in results:
        held[o.name] = held.get(o.name, True) and o.expected
    return {name for name, ok in held.items() if ok}


def documented_optionals() -> set[str]:
    """The assertions named in docs/publishing.md's table of optional features."""
    text = PUBLISHING.read_text(encoding="utf-8")
    table = text.split("<!-- optional features: start -->")[1].split("<!-- optional features: end -->")[0]
    return {name + ".json" for name in re.findall(r"`((?:annotations|collections)/[\w./-]+?)`", table)}


def test_optional_features_are_as_documented(built):
    results = optional_outcomes(built)
    listed = sum(len(SUITE.assertions(t)) for tests in OPTIONALS.values() for t in tests)
    assert listed > 0 and {o.name for o in results} == {
        name for tests in OPTIONALS.values() for t in tests for name, _ in SUITE.assertions(t)}
    assert not any(o.failed for o in results)  # optional: an unexpected result is never a failure
    assert implemented(results) == documented_optionals()


# ---- the runner's semantics, on a case that uses all of them -------------------------------

def test_runner_follows_the_jsontest_semantics(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "has-id.json").write_text(json.dumps(
        {"$schema": "http://json-schema.org/draft-04/schema#", "title": "has id", "required": ["id"]}))
    case = {"skipFailures": ["should"], "assertions": [
        "has-id.json",                                                  # no slash: beside the .test
        {"assertionFile": "t/has-id.json", "expectedResult": "invalid",  # a slash: from the root
         "errorMessage": "id must be absent"},
        {"title": "id is a uri", "$ref": "id.json#/definitions/idValueFound"},  # the definitions
        [{"title": "has x", "required": ["x"], "onUnexpectedResult": "failAndSkip"},
         {"title": "skipped with the rest of its group", "required": []}],
        {"title": "x or id", "compareWith": "or", "assertions": [{"required": ["x"]}, "has-id.json"]},
        {"title": "x and id", "assertions": [{"required": ["x"]}, "has-id.json"]},
        {"title": "a may", "assertionType": "may", "required": ["y"], "onUnexpectedResult": "passAndContinue"},
        {"title": "a should", "assertionType": "should", "required": ["y"]},
        {"title": "stop", "required": ["z"], "onUnexpectedResult": "failAndAbort"},
        {"title": "never run", "required": []}]}
    (tmp_path / "t" / "case.test").write_text(json.dumps(case))
    run = Suite(tmp_path, REGISTRY).run("t/case.test", {"id": "urn:x:1"})
    assert [(o.name, o.expected, o.failed) for o in run.outcomes] == [
        ("has-id.json", True, False), ("t/has-id.json", False, True), ("id is a uri", True, False),
        ("has x", False, True), ("x or id", True, False), ("x and id", False, True),
        ("a may", False, False), ("a should", False, False), ("stop", False, True)]
    assert run.outcomes[1].message == "id must be absent"
    assert run.skipped == ["skipped with the rest of its group", "never run"]
    with pytest.raises(referencing.exceptions.Unresolvable):  # nothing outside the vendored folder
        Suite(tmp_path, REGISTRY).valid({"$ref": "https://example.org/schema.json"}, {})


# ---- the evaluator against jsonschema -------------------------------------------------------

def _variants(collection: dict) -> dict[str, list]:
    """Documents beside the exports, so that the two evaluators are compared on what the exports
    never contain: optional features (agents, dates, rights, states…) and broken shapes."""
    a = copy.deepcopy(collection["first"]["items"][0])
    agent = {"id": "http://example.org/user1", "type": "Person", "name": "A. Person", "nickname": "ap",
             "email": "mailto:a@example.org", "email_sha1": "58bad08927902ff9307b621c54716dcc5083e339",
             "homepage": "http://example.org/home"}
    dates = {"created": "2016-12-22T11:48:59Z", "modified": "2017-01-02T10:00:00+01:00"}
    rich = {**a, **dates, "creator": agent, "generated": "2016-12-22T12:00:00Z",
            "generator": {**agent, "type": "Software"}, "rights": "https://creativecommons.org/licenses/by/4.0/",
            "canonical": "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df", "via": "http://example.org/via",
            "audience": {"type": "schema:EducationalAudience"}, "stylesheet": {"type": "CssStylesheet", "value": ".r {}"},
            "body": {**a["body"], **dates, "creator": [agent], "rights": "http://example.org/r",
                     "textDirection": "ltr", "processingLanguage": "en", "accessibility": "longDescription"},
            "target": {**a["target"], **dates, "creator": agent, "type": "Text", "format": "text/html",
                       "language": ["en"], "processingLanguage": "en", "textDirection": "rtl", "styleClass": "r",
                       "rights": "http://example.org/r", "canonical": "http://example.org/c",
                       "via": "http://example.org/v", "audience": "http://example.org/a", "accessibility": ["x"],
                       "scope": "http://example.org/page", "renderedVia": {"id": "http://example.org/app"},
                       "state": {"type": "TimeState", "sourceDate": "2016-12-22T11:48:59Z",
                                 "cached": "http://example.org/cache",
                                 "refinedBy": {"type": "HttpRequestState", "value": "Accept: text/html"}},
                       "selector": [{"type": "TextQuoteSelector", "exact": "x",
                                     "refinedBy": {"type": "TextPositionSelector", "start": 0, "end": 1}},
                                    {"type": "FragmentSelector", "value": "p=1", "conformsTo": "http://tools.ietf.org/rfc/rfc3778"},
                                    {"type": "RangeSelector", "startSelector": {"type": "XPathSelector", "value": "/p"},
                                     "endSelector": {"type": "CssSelector", "value": "p"}},
                                    {"type": "DataPositionSelector", "start": 1, "end": 2},
                                    {"type": "SvgSelector", "value": "<svg/>"}]}}
    broken = {**a, "bodyValue": "text", "@context": ["http://example.org/other"], "id": 5, "created": "yesterday",
              "motivation": ["describing", "nonsense"],
              "target": {**a["target"], "type": "TextualBody", "source": "not a uri",
                         "selector": [{"type": "NoSuchSelector"}, {"type": ["TextQuoteSelector", "x"]}]}}
    shapes = {**a, "body": [a["body"], {"type": "Choice", "items": []}, "http://example.org/b"],
              "modified": "2024-02-30T10:00:00Z", "rights": "x y", "via": ["http://example.org/a"],
              "target": [a["target"], "http://example.org/#t",
                         {"source": "http://example.org/", "state": "http://example.org/state",
                          "selector": {"type": "RangeSelector", "startSelector": {"type": "XPathSelector"}}}]}
    page = {k: v for k, v in collection["first"].items() if k not in ("id", "@context")}  # as before the fix
    page["items"] = page["items"][:1]
    rich_page = {**page, "@context": collection["@context"], "id": "http://example.org/page1", **dates,
                 "partOf": {"id": collection["id"], "total": 1, "label": "All", "first": "http://example.org/page1",
                            "last": "http://example.org/page1", **dates, "creator": agent,
                            "rights": "http://example.org/r"}, "next": "http://example.org/page2",
                 "prev": "http://example.org/page0", "label": "Page 1", "total": 1,
                 "creator": agent, "rights": "http://example.org/r"}
    rich_collection = {**collection, **dates, "creator": [agent, "http://example.org/user2"],
                       "rights": ["http://example.org/r"], "last": "http://example.org/page1", "first": rich_page}
    bad_collection = {**collection, "total": 0, "label": 5, "first": "x y", "type": ["Thing"], "created": "now"}
    return {"annotation": [rich, broken, shapes], "collection": [rich_collection, bad_collection],
            "page": [rich_page, page, rich_collection, {**bad_collection, "first": page}]}


def test_compiled_evaluator_agrees_with_jsonschema(built):
    collection, _ = built["small"]
    small = copy.deepcopy(collection)
    small["first"]["items"] = small["first"]["items"][:1]
    docs = {kind: documents(small, kind)[:1] + variants for kind, variants in _variants(collection).items()}
    results, disagree = {True: 0, False: 0}, []
    for kind in ("annotation", "collection", "page"):
        for test in MUSTS[kind] + OPTIONALS[kind]:
            for name, schema in SUITE.assertions(test):
                expected = oracle(schema, REGISTRY)
                for i, doc in enumerate(docs[kind]):
                    valid = expected.is_valid(doc)
                    results[valid] += 1
                    if SUITE.valid(schema, doc) != valid:
                        disagree.append(f"{name} on {kind} {i}")
    assert disagree == []
    assert min(results.values()) > 300  # both evaluators said "valid" and "invalid" many times


def test_format_checks_follow_the_rfcs():
    good = ["http://www.w3.org/ns/anno.jsonld", "urn:uuid:179a5154-426f-5e35-916c-46801e3a6b6f",
            "urn:sha256:" + "0" * 64, "https://example.org/a%20b?q=1&r=/x#frag", "mailto:a@b.example",
            "http://[::1]:8080/", "tag:example.org,2024:x"]
    bad = ["", "no-scheme", "/relative/path", "http://example.org/a b", "http://example.org/é",
           "1http://example.org", "http://example.org/%zz"]
    assert [u for u in good if not is_uri(u)] == []
    assert [u for u in bad if is_uri(u)] == []
    assert is_date_time("2016-12-22T11:48:59Z") and is_date_time("2016-12-22T11:48:59.5-06:00")
    assert not any(map(is_date_time, ["2016-12-22", "2016-02-30T00:00:00Z", "2016-12-22T24:00:00Z",
                                      "2016-12-22T11:48:59"]))


# ---- CSL-JSON and the content schema --------------------------------------------------------

@pytest.mark.parametrize("briefing", ["content", "small"])
def test_csl_export_validates_against_the_csl_schema(built, briefing):
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    assert validator_for(schema) is Draft7Validator
    Draft7Validator.check_schema(schema)
    _, csl = built[briefing]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(schema).iter_errors(csl)]
    assert csl and errors == []


def test_content_schema_is_valid_json_schema_2020_12():
    schema = json.loads(CONTENT_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert validator_for(schema) is Draft202012Validator
    Draft202012Validator.check_schema(schema)
