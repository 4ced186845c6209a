"""Span resolution: exact and typographic matches, repeats, offsets, failures, odd texts."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from factsheet.diagnostics import Report
from factsheet.model import Location, Selector
from factsheet.text import splits_character
from factsheet.verification.anchor import _FOLDS, Index, fold_matches, normalise, normalise_quote
from factsheet.verification.resolve import locate

LOC = Location("facts/x.yaml", 3, 14)


def sel(quote, prefix=None, suffix=None, start=None, end=None):
    return Selector("src", quote, prefix, suffix, start, end, LOC,
                    offsets_location=Location("facts/x.yaml", 4, 14) if start is not None else None)


def resolve_one(text, selector):
    report = Report()
    span = locate(selector, Index(text), report)
    return span, report.items


def test_exact_match_gives_the_source_span():
    text = "Alpha beta. Gamma delta."
    span, problems = resolve_one(text, sel("Gamma delta"))
    assert problems == []
    assert (span.start, span.end, span.text) == (12, 23, "Gamma delta")
    assert text[span.start:span.end] == span.text


def test_typographic_differences_are_ignored_and_the_span_is_the_sources_own_text():
    text = "He said:\u00a0\u201cI\u2019m   really sorry\u201d \u2014 then left."
    span, problems = resolve_one(text, sel('"I\'m really sorry" - then'))
    assert problems == []
    assert span.text == "\u201cI\u2019m   really sorry\u201d \u2014 then"
    assert text[span.start:span.end] == span.text


def test_a_different_word_is_not_a_typographic_difference():
    span, problems = resolve_one("I am really sorry.", sel("I am truly sorry"))
    assert span is None
    assert problems[0].message == "quote not found in source 'src'"


def test_repeated_quote_without_prefix_lists_every_occurrence():
    text = "the bridge is old. They said the bridge was overdue."
    span, problems = resolve_one(text, sel("the bridge"))
    assert span is None
    (problem,) = problems
    assert problem.message == ("quote occurs 2 times in source 'src'; add a prefix or suffix "
                               "(or start/end) to choose one")
    assert problem.notes[0].startswith("at 0–10: ")
    assert problem.notes[1].startswith("at 29–39: ")
    assert "[the bridge] was overdue" in problem.notes[1]


@pytest.mark.parametrize("extra", [{"prefix": "They said"}, {"suffix": "was overdue"},
                                   {"prefix": "said", "suffix": "was"}])
def test_prefix_or_suffix_picks_one_occurrence(extra):
    text = "the bridge is old. They said the bridge was overdue."
    span, problems = resolve_one(text, sel("the bridge", **extra))
    assert problems == []
    assert (span.start, span.end) == (29, 39)


def test_prefix_that_matches_nothing_is_reported():
    span, problems = resolve_one("a b a b", sel("a", prefix="zzz"))
    assert span is None
    assert problems[0].message == "quote occurs 2 time(s) in source 'src', but never with the given prefix/suffix"


def test_offsets_that_agree_pick_the_span():
    text = "the bridge is old. They said the bridge was overdue."
    span, problems = resolve_one(text, sel("the bridge", start=29, end=39))
    assert problems == [] and (span.start, span.end) == (29, 39)


def test_offsets_that_disagree_show_both_texts():
    text = "the bridge is old. They said the bridge was overdue."
    span, problems = resolve_one(text, sel("the bridge", start=30, end=40))
    assert span is None
    (problem,) = problems
    assert str(problem.location) == "facts/x.yaml:4:14"
    assert problem.message == "offsets 30–40 do not agree with the quote"
    assert problem.notes[:2] == ("offsets cover: “he bridge”", "quote is:      “the bridge”")
    assert "the quote is at 29–39" in problem.notes


@pytest.mark.parametrize("start,end,message", [
    (5, 5, "'start' (5) must be less than 'end' (5)"),
    (6, 2, "'start' (6) must be less than 'end' (2)"),
    (0, 99, "'end' (99) is past the end of source 'src' (10 code points)"),
])
def test_impossible_offsets(start, end, message):
    span, problems = resolve_one("0123456789", sel("0123", start=start, end=end))
    assert span is None and problems[0].message == message


def test_not_found_shows_the_closest_passage_and_what_differs():
    text = "Intro. We have a basic responsibility to protect people's data. Outro."
    span, problems = resolve_one(text, sel("We have a clear responsibility to protect people's data"))
    assert span is None
    (problem,) = problems
    assert problem.message == "quote not found in source 'src'"
    assert "closest passage" in problem.notes[0] and "basic responsibility" in problem.notes[0]
    assert problem.notes[1] == ("what differs: We have a [-clear-] {+basic+} responsibility to protect "
                                "people's data")


def test_emoji_and_combining_accents_count_as_code_points():
    text = "Caf\u00e9 \U0001f389 e\u0301quipe!"
    span, problems = resolve_one(text, sel("\U0001f389 e\u0301quipe"))
    assert problems == []
    assert (span.start, span.end) == (5, 14)
    assert text[5:14] == "\U0001f389 e\u0301quipe"


def test_offsets_may_not_split_a_combining_sequence():
    text = "e\u0301quipe"
    span, problems = resolve_one(text, sel("\u0301quipe", start=1, end=7))
    assert span is None
    assert problems[0].message == "span 1–7 cuts a character in two at offset 1"


def test_crlf_is_kept_and_counted_as_two_code_points():
    text = "Line one.\r\nLine two."
    span, problems = resolve_one(text, sel("one. Line"))
    assert problems == []
    assert span.text == "one.\r\nLine"
    assert (span.start, span.end) == (5, 15)


@pytest.mark.parametrize("text,index,expected", [
    ("e\u0301", 1, True), ("ab", 1, False), ("\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea", 1, True),
    ("\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea", 2, False), ("\U0001f468\u200d\U0001f469", 1, True),
    ("\U0001f468\u200d\U0001f469", 2, True), ("a\r\nb", 2, True), ("a\r\nb", 1, False),
    # A spacing combining mark (Devanagari vowel sign I, category Mc) belongs to the letter before it.
    ("\u0915\u093f", 1, True), ("\u0915\u093f \u0915", 2, False), ("\U0001f44d\U0001f3fd", 1, True),
    ("\u1100\u1161", 1, True),  # a Hangul syllable written as conjoining jamo
])
def test_splits_character(text, index, expected):
    assert splits_character(text, index) is expected


def test_normalised_positions_lead_back_to_the_original():
    text = "a \u00a0 b\u2014\u2014c\n\n\u201cd\u201d   e"
    norm = normalise(text)
    assert norm.text == 'a b--c "d" e'
    # Each normalised position maps to the first code point of what it stands for.
    assert [norm.original(i) for i in range(len(norm.text))] == [0, 1, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16]
    assert normalise_quote("  \u2018x\u2019  y ") == "'x' y"


# --- whole words ----------------------------------------------------------------------------------

LICENCE = ("If You institute patent litigation, any licenses granted to You under this License "
           "shall terminate as of the date such litigation is filed. 4. Redistribution.")


def test_a_quote_that_ends_inside_a_word_names_the_word_and_gives_the_whole_quote():
    span, problems = resolve_one(LICENCE, sel("shall terminate as of the date such litigation is file"))
    assert span is None
    (problem,) = problems
    assert problem.message == "quote ends inside the word “filed” in source 'src'; cite whole words"
    assert problem.notes == (
        'whole words, ready to paste: quote: "shall terminate as of the date such litigation is filed"',
        "to cite part of a word on purpose, add `partial: true` to the citation")


@pytest.mark.parametrize("quote,where,whole", [
    ("nstitute patent", "starts inside the word “institute”", "institute patent"),
    ("ile", "lies inside the word “filed”", "filed"),
    ("nstitute patent litigatio", "starts inside the word “institute” and ends inside the word “litigation”",
     "institute patent litigation"),
])
def test_every_way_of_cutting_a_word_is_named(quote, where, whole):
    _, (problem,) = resolve_one(LICENCE, sel(quote))
    assert problem.message == f"quote {where} in source 'src'; cite whole words"
    assert problem.notes[0] == f'whole words, ready to paste: quote: "{whole}"'


def test_offsets_that_cut_a_word_give_the_whole_words_offsets():
    start = LICENCE.index("litigation is filed")
    _, (problem,) = resolve_one(LICENCE, sel("litigation is file", start=start, end=start + 18))
    assert str(problem.location) == "facts/x.yaml:4:14"
    assert problem.notes[0] == (f'whole words, ready to paste: quote: "litigation is filed", '
                                f"start: {start}, end: {start + 19}")


def test_partial_true_cites_part_of_a_word_on_purpose():
    partial = Selector("src", "litigation is file", None, None, None, None, LOC, partial=True)
    span, problems = resolve_one(LICENCE, partial)
    assert problems == [] and span.text == "litigation is file"


def test_a_whole_word_place_is_chosen_over_places_inside_longer_words():
    span, problems = resolve_one("The bridges are old. They said the bridge was overdue.", sel("the bridge"))
    assert problems == [] and (span.start, span.end) == (31, 41)


def test_a_missing_quotes_closest_passage_is_whole_words():
    _, (problem,) = resolve_one(LICENCE, sel("shall terminate as of the date such litigation is fled"))
    assert "[shall terminate as of the date such litigation is filed]" in problem.notes[0]
    assert problem.notes[1] == ("what differs: shall terminate as of the date such litigation is "
                                "[-fled-] {+filed+}")


@pytest.mark.parametrize("text,index,cuts", [
    ("filed.", 4, True), ("filed.", 5, False), ("don't", 3, True), ("3.14", 1, True), ("7-2", 1, False),
    ("中文", 1, False), ("Cafe\u0301 x", 4, True), ("a  b", 2, False),
])
def test_word_boundaries_follow_unicode(text, index, cuts):
    from factsheet.text import cuts_word

    assert cuts_word(text, index) is cuts


# --- what PDFs and web pages put between the reader and the words -------------------------------

FOLDED = ("The \ufb01nancial o\ufb03ce \ufb02ew; hy\u00adphen con\u200btin\u2060ued; a hyphen\u2010\r\nated "
          "word, a well-\nknown one; A\u00a0B\u200b C.")


@pytest.mark.parametrize("quote,expected", [
    ("financial office flew", "\ufb01nancial o\ufb03ce \ufb02ew"),
    ("hyphen continued", "hy\u00adphen con\u200btin\u2060ued"),
    ("a hyphenated word", "a hyphen\u2010\r\nated word"),
    ("a well-known one", "a well-\nknown one"),
    ("A B C", "A\u00a0B\u200b C"),
])
def test_ligatures_soft_hyphens_wrapped_words_and_invisible_spaces_are_folded(quote, expected):
    span, problems = resolve_one(FOLDED, sel(quote))
    assert problems == []
    assert span.text == expected and FOLDED[span.start:span.end] == expected


@pytest.mark.parametrize("quote", ["inancial", "off", "fice", "ff"])
def test_a_match_never_starts_or_ends_inside_a_ligature(quote):
    assert Index("The \ufb01nancial o\ufb03ce").find_all(quote) == []


def test_a_kept_hyphen_matches_only_where_a_line_ends():
    # "wellknown" in the text is not "well-known": the second look takes wrapped hyphens only.
    assert Index("a wellknown one").find_all("well-known") == []
    assert [m.start for m in Index("a well-\nknown one").find_all("well-known")] == [2]


def test_half_of_a_word_hyphenated_across_a_line_end_is_half_a_word():
    text = "They made a hyphen-\nated word."
    span, (problem,) = resolve_one(text, sel("a hyphen"))
    assert span is None
    assert problem.message == "quote ends inside the word “hyphenated” in source 'src'; cite whole words"
    assert problem.notes[0] == 'whole words, ready to paste: quote: "a hyphenated"'
    span, problems = resolve_one(text, sel("a hyphenated word"))
    assert problems == [] and span.text == "a hyphen-\nated word"


def test_the_folded_map_leads_each_position_back():
    norm = normalise("o\ufb03ce hy\u00adphen ab\u2010\ncd")
    assert norm.text == "office hyphen abcd"
    assert [norm.original(i) for i in range(len(norm.text))] == [
        0, 1, 1, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 17, 18]
    assert norm.inside == {2, 3}


def test_word_edges_decided_without_the_regex_agree_with_it():
    # cuts_word decides most edges by hand (ASCII, typographic quotes and dashes) and asks the
    # `regex` module (Unicode word boundaries) for the rest: on every string of four characters of
    # this alphabet, at every inner edge, both must agree (beside a space a word always ends).
    import itertools

    import regex

    from factsheet.text import cuts_word

    boundary = regex.compile(r"(?w)\b")
    alphabet = "aZ5 .,:;'\"-_\u2018\u2019\u201c\u2013\u00e9\u0301"
    for chars in itertools.product(alphabet, repeat=4):
        text = "".join(chars)
        for index in (1, 2, 3):
            spaced = text[index - 1].isspace() or text[index].isspace()
            assert cuts_word(text, index) is (not spaced and boundary.match(text, index) is None), (text, index)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=["a", "\u00e9", "1", "_", "-", "\u2010", "\u2011", "\u00ad", " ", "\t", "\xa0", "\u2003",
                         "\n", "\r", "\u2028", "\u200b", "\ufeff", "\ufb01", "\ufb03", "."], max_size=30))
@example("well-\n\n  known  \u200b x\u00ad\r\nz \ufb01 -\u00ad\n-")
def test_folds_are_found_where_a_scan_of_every_position_finds_them(text):
    assert [(m.span(), m.lastgroup) for m in fold_matches(text)] == \
        [(m.span(), m.lastgroup) for m in _FOLDS.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "Z", "1", " ", "'", '"', "-", "\t", "\n", "\r", "\x0b", "\x0c", "\x1f", "\x7f",
                         "\x85", "\xa0", "\u2019", "\u201c", "\u2014", "\u2212", "\u2003", "\u3000", "\xe9"],
               max_size=30))
def test_plain_text_maps_as_the_table_maps_it(text):
    from factsheet.verification.anchor import _TABLE, plain

    # An ASCII text that prints is returned as it is; any other goes through the table.
    assert plain(text) == text.translate(_TABLE)


def _numbered_by_reference(briefing):
    """Note numbers as the reading order gives them, computed the plain way: each section in
    turn numbers its facts' citations, then the disagreements'; the notes in that order."""
    from dataclasses import replace

    counter = iter(range(1, 10_000))
    facts = list(briefing.facts)
    for section in briefing.sections:
        for i, f in enumerate(facts):
            if f.section == section.id:
                facts[i] = replace(f, citations=tuple(replace(c, number=next(counter)) for c in f.citations))
    variants = [[tuple(replace(c, number=next(counter)) for c in v.citations) for v in d.variants]
                for d in briefing.disagreements]
    notes = sorted((c for f in facts for c in f.citations if c.number), key=lambda c: c.number)
    notes += [c for vs in variants for cs in vs for c in cs]
    return [[c.number for c in f.citations] for f in facts], [[[c.number for c in cs] for cs in vs] for vs in variants], notes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=4),  # section ids, repeats allowed
       st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 3)), max_size=6),  # facts: section, citations
       st.lists(st.lists(st.integers(0, 3), max_size=3), max_size=3))  # disagreements: variants' citations
def test_each_citation_is_numbered_in_reading_order(sections, facts, disagreements):
    from factsheet.model import Briefing, Citation, Disagreement, Fact, Section, Source, Variant
    from factsheet.verification.resolve import resolve

    here = Location("f", 1, 1)
    source = Source("src", "src.txt", "S", None, None, None, "0" * 64, None, here, text="The words.",
                    actual_sha256="0" * 64)

    def cited(n: int) -> tuple[Citation, ...]:
        return tuple(Citation(Selector("src", "words", None, None, None, None, here), f"c{k}") for k in range(n))

    briefing = Briefing(
        "T", None, None, "en", (), None, (), tuple(Section(s, s, None, here) for s in sections), (source,),
        tuple(Fact(f"f{i}", s, "Words.", cited(n), here, here) for i, (s, n) in enumerate(facts)),
        tuple(Disagreement(f"d{i}", "t", "n", tuple(Variant("Words.", cited(n), here) for n in vs), here)
              for i, vs in enumerate(disagreements)))
    resolved = resolve(briefing, Report())
    fact_numbers, variant_numbers, notes = _numbered_by_reference(briefing)
    assert [[c.number for c in f.citations] for f in resolved.facts] == fact_numbers
    assert [[[c.number for c in v.citations] for v in d.variants] for d in resolved.disagreements] == variant_numbers
    assert [(c.number, c.label) for c in resolved.notes] == [(c.number, c.label) for c in notes]
    assert all(c.span is not None for f in resolved.facts for c in f.citations)
