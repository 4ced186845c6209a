"""The real briefing in content/: its invariants, checked on every test run."""

from __future__ import annotations

import pytest

from factsheet.diagnostics import Report
from factsheet.pipeline import verify
from factsheet.verification import rules as check

from conftest import ROOT

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def briefing():
    briefing, report = verify(CONTENT, strict=True)
    assert [d.format() for d in report.sorted()] == []
    return briefing


def test_every_source_is_cited(briefing):
    cited = {c.source for c in briefing.all_citations()}
    assert cited == {s.id for s in briefing.sources}


def test_every_fact_and_variant_has_a_resolved_citation(briefing):
    assert all(f.citations for f in briefing.facts)
    assert all(c.span is not None for c in briefing.all_citations())


def test_sources_are_the_shared_captures_byte_for_byte(briefing):
    shared = ROOT.parent / "shared" / "sources"
    if not shared.is_dir():
        pytest.skip("the shared captures are not beside this checkout")
    for s in briefing.sources:
        assert (CONTENT / "sources" / s.file).read_bytes() == (shared / s.file).read_bytes()


@pytest.mark.parametrize("rule", [check.quotes_in_statement, check.figures_supported, check.attribution,
                                  check.furniture, check.disputed_figures])
def test_each_verification_rule_passes_on_its_own(briefing, rule):
    # The strict check above covers these; run singly, a failure names the invariant broken.
    report = Report()
    rule(briefing, report)
    assert [d.format() for d in report.items] == []


def test_no_citation_touches_page_furniture(briefing):
    furniture = {s.id: s.furniture_spans for s in briefing.sources}
    assert all(furniture.values()), "every capture has furniture recorded"
    for c in briefing.all_citations():
        for f in furniture[c.source]:
            assert c.span.end <= f.start or f.end <= c.span.start, (c.selector.location, f.text)


def test_the_sections_an_adviser_expects_are_there(briefing):
    ids = [s.id for s in briefing.sections]
    assert ids[0] == "summary" and "timeline" in ids
    assert all(f.when for f in briefing.facts_in("timeline"))
    assert len(briefing.disagreements) >= 5
    multi = [f for f in briefing.facts if len(f.source_ids) > 1]
    assert len(multi) >= 10
