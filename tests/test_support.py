"""The support rules, each with a failing and a passing case, on small hand-made briefings."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from factsheet.pipeline import verify
from factsheet.verification.language import _WORD

WIRE = """Acme recalls heaters

Jane Doe, the chief executive of Acme, said on Monday that the company would recall 5,000 heaters. \
The heaters reportedly caught fire in three homes. According to the fire brigade, the fires damaged two kitchens.

“We are not taking any chances,” she said. Acme did not say when the recall would end.

“We will replace every heater free of charge.” Those were the words of Jane Doe at a press conference in Leeds.

Tom Brown, who chairs the board, is 61. Acme first recalled its gas heaters in 2021.

The heater recall was first announced at a press conference.
"""
DAILY = """Heater recall

Acme first recalled its gas heaters in 2019, the company said. The heater recall was first announced in a television interview.

On 12 May 2019 the heaters caught fire in two flats. Heaters caught fire in a shop, May 12. The heaters may have caught fire in a school on 3 May.

‘We will rebuild the kitchens at our own cost.’ Those were the words of Tom Brown on Tuesday.
"""
SUPPORT_RULES = {"names", "negation", "hedges", "unsupported-terms", "speaker", "contradiction", "accept"}
DOCS = Path(__file__).parent.parent / "docs" / "support.md"


def write(folder: Path, facts: str, *, entities: str = "", disagreements: str = "") -> Path:
    """A briefing with two sources (The Wire, The Daily) and the facts given (YAML)."""
    (folder / "sources").mkdir(parents=True)
    (folder / "facts").mkdir()
    (folder / "briefing.yaml").write_text(
        "title: Heaters\nsections:\n  - id: s\n    title: S\n" + entities, encoding="utf-8")
    entries = []
    for sid, publisher, text in (("wire", "The Wire", WIRE), ("daily", "The Daily", DAILY)):
        (folder / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        entries.append(f"- id: {sid}\n  file: {sid}.txt\n  title: \"{sid}\"\n  publisher: {publisher}\n"
                       f"  sha256: {digest}\n")
    (folder / "sources" / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    (folder / "facts" / "f.yaml").write_text(facts, encoding="utf-8")
    if disagreements:
        (folder / "disagreements.yaml").write_text(disagreements, encoding="utf-8")
    return folder


def fact(statement: str, *quotes: str, fid: str = "f1", source: str = "wire", accept: str = "") -> str:
    lines = [f"- id: {fid}", "  section: s", f"  statement: '{statement}'", "  citations:"]
    for quote in quotes:
        src, _, q = quote.rpartition("|")
        lines += [f"    - source: {src or source}", f"      quote: '{q}'"]
    return "\n".join(lines) + "\n" + accept


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def make(facts: str, **kw) -> list[tuple[str, str, str]]:
        folder = write(tmp_path / f"c{len(list(tmp_path.iterdir()))}", facts, **kw)
        briefing, report = verify(folder.relative_to(tmp_path))
        found = [(d.rule, d.severity, d.message) for d in report.sorted()]
        found = [f for f in found if f[0] != "unused-source"]  # The Daily is cited by few cases
        others = [f for f in found if f[0] not in SUPPORT_RULES]
        assert others == [], others  # the cases are otherwise sound: figures, quotes and all
        return found

    return make


def rules(found) -> set[str]:
    return {rule for rule, _, _ in found}


RECALL = "the company would recall 5,000 heaters"

# --- names ----------------------------------------------------------------------------------------


def test_a_name_in_a_cited_sentence_passes(content):
    assert content(fact("Jane Doe said the company would recall 5,000 heaters.", RECALL)) == []


def test_a_name_in_no_cited_sentence_is_reported(content):
    found = content(fact("John Smith said the company would recall 5,000 heaters.", RECALL))
    assert ("names", "warning", "“John Smith” in the statement of fact 'f1' is named in none of its cited "
            "sentences") in found


def test_a_day_in_no_cited_sentence_is_a_name_reported(content):
    assert ("names", "warning", "“Tuesday” in the statement of fact 'f1' is named in none of its cited sentences") \
        in content(fact("Jane Doe said on Tuesday that the company would recall 5,000 heaters.", RECALL))


def test_naming_the_cited_source_is_supported_by_citing_it(content):
    assert content(fact("The Wire reported that the company would recall 5,000 heaters.", RECALL)) == []
    assert "names" in rules(content(fact("The Daily reported that the company would recall 5,000 heaters.", RECALL)))


DOE = "entities:\n  - name: Doe\n    aliases: [Jane Doe, the chief executive, she]\n"


def test_a_declared_pronoun_stands_for_the_entity_the_source_named_last(content):
    statement = fact("Doe said: “We are not taking any chances.”", "We are not taking any chances")
    assert rules(content(statement)) == {"names", "speaker"}
    assert content(statement, entities=DOE) == []


def test_an_alias_of_another_entity_does_not_count(content):
    two = DOE + "  - name: Brown\n    aliases: [Tom Brown, he]\n"
    assert "names" in rules(content(fact("Brown said the company would recall 5,000 heaters.", RECALL), entities=two))


# --- speaker --------------------------------------------------------------------------------------


def test_the_speaker_may_be_named_next_to_a_cited_quotation(content):
    assert content(fact("Jane Doe said: “We will replace every heater free of charge.”",
                        "We will replace every heater free of charge.")) == []


def test_a_quotation_in_single_quotation_marks_is_a_quotation_too(content):
    # As British papers print one; normalised, its marks are apostrophes like any other.
    assert content(fact("Tom Brown said: “We will rebuild the kitchens at our own cost.”",
                        "daily|We will rebuild the kitchens at our own cost.")) == []


def test_a_speaker_named_only_where_nothing_is_said_is_reported(content):
    found = content(fact("Tom Brown said the heaters reportedly caught fire in three homes.",
                         "The heaters reportedly caught fire in three homes.", "Tom Brown, who chairs the board"))
    assert ("speaker", "warning", "the statement of fact 'f1' has Tom Brown say it, but no cited sentence that "
            "reports speech, nor one next to a cited quotation, names Tom Brown") in found
    assert "names" not in rules(found)


def test_according_to_a_name_is_a_speaker(content):
    found = content(fact("The fires damaged two kitchens, according to Tom Brown.",
                         "the fires damaged two kitchens", "Tom Brown, who chairs the board"))
    assert "speaker" in rules(found)
    assert "speaker" not in rules(content(fact("The fires damaged two kitchens, according to the fire brigade.",
                                               "the fires damaged two kitchens")))


# --- negation -------------------------------------------------------------------------------------


def test_a_negation_the_cited_sentence_lacks_is_reported(content):
    found = content(fact("Jane Doe said the company would not recall 5,000 heaters.", RECALL))
    assert [m for r, _, m in found if r == "negation"] == [
        "the statement of fact 'f1' negates “recall” (“not recall 5,000 heaters”), but its cited sentence "
        "does not: “company would recall 5,000 heaters”"]


def test_a_negation_the_statement_drops_is_reported(content):
    found = content(fact("Acme said when the recall would end.", "Acme did not say when the recall would end."))
    assert rules(found) == {"negation"}
    assert content(fact("Acme did not say when the recall would end.",
                        "Acme did not say when the recall would end.")) == []


def test_without_saying_is_framing_not_a_negated_claim(content):
    assert content(fact("Jane Doe, without saying why, said the company would recall 5,000 heaters.", RECALL)) == []


# --- hedges ---------------------------------------------------------------------------------------


def test_a_hedge_the_statement_drops_is_reported(content):
    found = content(fact("The heaters caught fire in three homes.", "The heaters reportedly caught fire in three homes."))
    assert [(r, m) for r, _, m in found] == [("hedges", "the cited sentence hedges (“reportedly”) what the "
                                             "statement of fact 'f1' states flat: “The heaters caught fire in three homes”")]


def test_a_hedge_kept_passes_but_only_one_of_its_family(content):
    assert content(fact("The heaters reportedly caught fire in three homes.",
                        "The heaters reportedly caught fire in three homes.")) == []
    assert rules(content(fact("The heaters may have caught fire in three homes.",
                              "The heaters reportedly caught fire in three homes."))) == {"hedges"}


def test_the_month_may_next_to_a_number_is_not_a_hedge(content):
    assert content(fact("The heaters caught fire in two flats in 2019.",
                        "daily|On 12 May 2019 the heaters caught fire in two flats.")) == []
    assert content(fact("Heaters caught fire in a shop.", "daily|Heaters caught fire in a shop, May 12.")) == []
    assert rules(content(fact("The heaters caught fire in a school.",
                              "daily|The heaters may have caught fire in a school on 3 May."))) == {"hedges"}


def test_an_attribution_is_kept_by_naming_whom_the_source_names(content):
    cited = "According to the fire brigade, the fires damaged two kitchens."
    assert rules(content(fact("The fires damaged two kitchens.", cited))) == {"hedges"}
    assert rules(content(fact("The Wire said the fires damaged two kitchens.", cited))) == {"hedges"}
    assert content(fact("The fire brigade said the fires damaged two kitchens.", cited)) == []


# --- unsupported terms ----------------------------------------------------------------------------


def test_content_words_in_no_cited_sentence_are_reported_with_the_support_score(content):
    found = content(fact("Jane Doe said the company would recall 5,000 heaters and close its factory.", RECALL))
    assert found == [("unsupported-terms", "warning", "words of the statement of fact 'f1' in none of its cited "
                      "sentences: “close”, “factory” (support: 3 of 5 content words, 60%)")]


def test_other_forms_of_a_cited_word_are_supported(content):
    # Stems ("recalled"), irregular forms ("said"), and words of framing ("reported") are no claims.
    assert content(fact("The Wire reported that Jane Doe said the company was recalling heaters.", RECALL)) == []


# --- contradiction --------------------------------------------------------------------------------

FIRSTS = (fact("Acme first recalled its gas heaters in 2021, according to the Wire.",
               "Acme first recalled its gas heaters in 2021.") +
          fact("Acme first recalled its gas heaters in 2019, the Daily reported.",
               "daily|Acme first recalled its gas heaters in 2019", fid="f2"))


def test_two_facts_giving_one_event_different_years_are_an_error(content):
    found = [f for f in content(FIRSTS) if f[0] == "contradiction"]
    assert [s for _, s, _ in found] == ["error", "error"]
    assert found[0][2].startswith("the statement of fact 'f1' contradicts fact 'f2', which gives another year "
                                  "for the same event: “Acme first recalled its gas heaters in 2021")


def test_a_recorded_disagreement_allows_both(content):
    recorded = ("- id: first-recall\n  topic: When Acme first recalled heaters\n  note: The two differ.\n"
                "  variants:\n"
                "    - statement: 'The Wire: 2021.'\n      citations: [{source: wire, quote: 'gas heaters in 2021'}]\n"
                "    - statement: 'The Daily: 2019.'\n      citations: [{source: daily, quote: 'gas heaters in 2019'}]\n")
    assert content(FIRSTS, disagreements=recorded) == []


def test_two_facts_calling_different_things_the_first_are_an_error(content):
    found = content(fact("The heater recall was first announced at a press conference.",
                         "The heater recall was first announced at a press conference.")
                    + fact("The heater recall was first announced in a television interview, the Daily said.",
                           "daily|The heater recall was first announced in a television interview.", fid="f2"))
    assert [(r, s) for r, s, _ in found] == [("contradiction", "error")] * 2
    assert "which calls a different thing the first for the same event" in found[0][2]


def test_facts_agreeing_on_the_year_pass(content):
    assert content(fact("Acme first recalled its gas heaters in 2021.", "Acme first recalled its gas heaters in 2021.")
                   + fact("The Wire said Acme first recalled its gas heaters in 2021.",
                          "Acme first recalled its gas heaters in 2021.", fid="f2")) == []


# --- acknowledgements -----------------------------------------------------------------------------

FACTORY = "Jane Doe said the company would recall 5,000 heaters and close its factory."


def test_an_acknowledged_word_is_not_reported_and_the_rest_are(content):
    accept = "  accept:\n    - rule: unsupported-terms\n      words: [factory]\n      reason: the headline says so\n"
    assert content(fact(FACTORY, RECALL, accept=accept)) == [
        ("unsupported-terms", "warning", "words of the statement of fact 'f1' in none of its cited sentences: "
         "“close” (support: 3 of 5 content words, 60%)")]


def test_an_acknowledgement_without_words_covers_every_finding_of_its_rule(content):
    accept = "  accept:\n    - rule: unsupported-terms\n      reason: the headline says so\n"
    assert content(fact(FACTORY, RECALL, accept=accept)) == []


def test_an_acknowledgement_matching_nothing_is_reported(content):
    accept = ("  accept:\n    - rule: unsupported-terms\n      words: [factory, kitchen]\n      reason: r\n"
              "    - rule: hedges\n      reason: r\n")
    found = content(fact(FACTORY, RECALL, accept=accept))
    assert [(r, m) for r, _, m in found if r == "accept"] == [
        ("accept", "fact 'f1' acknowledges [unsupported-terms] findings “kitchen” that the rule no longer "
                   "makes: remove them"),
        ("accept", "fact 'f1' acknowledges a [hedges] finding, but that rule finds nothing in it now: remove "
                   "the acknowledgement")]


# --- the rules as documented ----------------------------------------------------------------------


def test_every_support_rule_runs_and_is_documented():
    import json

    from factsheet.verification import rules, support

    schema = json.loads((Path(rules.__file__).parent.parent / "sources" / "schema" / "content.schema.json")
                        .read_text(encoding="utf-8"))
    acknowledgeable = set(schema["$defs"]["fact"]["properties"]["accept"]["items"]["properties"]["rule"]["enum"])
    assert acknowledgeable == set(support.FINDERS)
    assert set(support.SUPPORT_RULES) <= set(rules.RULES)
    docs = DOCS.read_text(encoding="utf-8")
    for rule in acknowledgeable:
        assert f"### `{rule}`" in docs, rule


# --- the words the rules compare ----------------------------------------------------------------

# Every (gap, word) pair of a text, by the plainest pattern: a gap is any run of characters that
# cannot start a word.
_FULL_SCAN = re.compile(rf"((?:[^\w#]|#(?!\w))*)({_WORD.pattern})")


def _tokens_by_full_scan(text: str) -> list:
    """The words as one findall over the whole text cuts them (what ``tokens`` did before it
    stopped after the last word)."""
    from factsheet.verification import language

    out, clause, pos = [], 0, 0
    for gap, word in _FULL_SCAN.findall(text):
        if gap and gap != " ":
            clause += len(language.CLAUSE_BREAK.findall(gap))
        start, pos = pos + len(gap), pos + len(gap) + len(word)
        lower, negation, comparable = language._kind(word)
        out.append(language.Token(word, start, pos, lower, clause, negation, comparable))
    return out


@pytest.mark.parametrize("text", [
    "", "[[[", "#", "a", "U.S.", "U.S.]]", "ran, in the U.S. [", "#tag#", "#tag", "x # y #", "5,000.", "don't'",
    "A. B.", "e.g.", "café\u0301 👩\u200d👩 ", "one - two; three: (four) “five”…", "a\u2028b\u0085", "_ _", "x_",
])
def test_words_are_the_words_of_a_full_scan(text):
    from factsheet.verification import language

    assert language.tokens(text) == _tokens_by_full_scan(text)
    assert language.gaps_and_words(text) == _FULL_SCAN.findall(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "B", "5", "#", ".", ",", "'", "&", "-", "_", " ", "[", "\u00e9", "\u0301", "\u00b2"],
               max_size=24))
def test_any_text_cut_into_words_as_a_full_scan_cuts_it(text):
    from factsheet.verification import language

    assert language.gaps_and_words(text) == _FULL_SCAN.findall(text)
    assert language.tokens(text) == _tokens_by_full_scan(text)


def test_a_long_run_of_punctuation_after_the_last_word_costs_no_rescanning():
    import time

    from factsheet.verification.language import gaps_and_words, tokens

    # Scanned again from each of its characters, 20,000 '[' took about a minute (4,000 took 2 s).
    began = time.process_time()
    assert [t.text for t in tokens("The vote " + "[" * 20_000)] == ["The", "vote"]
    assert tokens("[" * 20_000) == []
    assert [word for _, word in gaps_and_words("[" * 20_000 + " The vote " + "[" * 20_000)] == ["The", "vote"]
    assert time.process_time() - began < 1


@pytest.mark.parametrize("text, sentences", [
    ("Intro here.\nDr. Kogan said so. Then more.", ["Intro here.", "Dr. Kogan said so.", "Then more."]),
    ("Mr. Wylie spoke to the U.S. Senate. It listened.", ["Mr. Wylie spoke to the U.S. Senate.", "It listened."]),
    ("He saw J. Smith. (Mr. Brown agreed.) Inc. Ltd. is a name", ["He saw J. Smith.", "(Mr. Brown agreed.)",
                                                                   "Inc. Ltd. is a name"]),
    ("The vote was 5-4. 12 members\tabstained.  A recount? No.", ["The vote was 5-4.", "12 members\tabstained.",
                                                                  "A recount?", "No."]),
])
def test_sentences_end_where_no_abbreviation_ends(text, sentences):
    from factsheet.verification.context import split

    assert [text[a:b] for a, b in split(text)] == sentences


# What paragraphs() computes, as one pattern: exact, but it backtracked through every line.
_ONE_PATTERN = (r"(?:[^\r\n]*[^\W\d_][-\u2010\u2011\u00ad][ \t\xa0]*(?:\r\n|\n|\r)(?=[ \t\xa0]*[^\W\d_]))*"
                r"[^\r\n]+")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=["a", "É", "1", "_", "-", "\u2010", "\u00ad", " ", "\t", "\xa0", "\n", "\r", ".", "²"],
               max_size=40))
@example("well-\nknown and hyphen\u00ad\r\n  ated.\n\nNext-\n\nparagraph- \n1 here")
@example("a 5-\nfold rise, the ²-\nfigure, a_-\nb")
def test_paragraphs_run_on_exactly_where_a_word_is_hyphenated_across_a_line_end(text):
    import re

    from factsheet.verification.context import paragraphs

    assert paragraphs(text) == [m.span() for m in re.finditer(_ONE_PATTERN, text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", " ", "\u2019", "\u201c", "\u2014", "\xa0", "\n", "-", "\u00ad", "\ufb01",
                         "\u200b", "\r"], max_size=30),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=6))
@example("a\u00a0 b\ufb01 \u201cc\u201d- \nd", [(0, 4), (1, 9), (3, 14)])
def test_parts_of_a_text_normalise_as_each_part_alone(text, ranges):
    from factsheet.verification import language

    ranges = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in ranges]
    assert language.normalise_parts(text, ranges) == [language.normalise(text[a:b]) for a, b in ranges]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=["a", "B", "#", ".", "'", "\u2019", " ", ":", "(", "5", ",", "-", "&", "_"],
                        max_size=14), max_size=5))
@example(["He met U.S", "The chair", "of Acme: Board 'Members' (Tom"])
def test_capitalised_words_of_sentences_scanned_together_are_those_of_each(sentences):
    from factsheet.verification import language
    from factsheet.verification.analysis import capitalised_inside, is_initial

    alone = []
    for text in sentences:
        toks = language.tokens(text)
        alone += [t.text for i, t in enumerate(toks) if t.capitalised and not is_initial(text, toks, i)]
    assert capitalised_inside(sentences) == alone


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "B", "#", ".", "'", "\u2019", " ", ":", "(", "5", ",", "-", "&", "_", "\n", "M", "r",
                         "\u201c", "?", "\u0130", "n", "o", "t", "N", "T"], max_size=60))
@example("Mr. Wylie met the U.S. Senate: 'Board' (Tom Smith). He left.\nNew-York's #1 A&B co-op.")
@example("It didn\u2019t. NOT so. Not-a-word. They CAN'T go. Cannot.")
def test_a_source_read_in_one_scan_gives_each_sentence_what_its_own_words_give(text):
    from factsheet.model import Location, Source
    from factsheet.verification import language
    from factsheet.verification.analysis import is_initial
    from factsheet.verification.context import Entities, Sentence, SourceSentences

    # Each sentence's words (and the source's capitalised words) come from the one scan that
    # split the source: they are those of the sentence cut into tokens by itself.
    source = Source("s", "s.txt", "S", None, None, None, "0" * 64, None, Location("s", 1, 1), text=text)
    read = SourceSentences(source, Entities(()))
    capitalised = []
    for s in read.sentences:
        toks = language.tokens(s.text)
        capitalised += [t.text for i, t in enumerate(toks) if t.capitalised and not is_initial(s.text, toks, i)]
        alone = Sentence(s.source, s.index, s.start, s.end, s.text, s.entities, s.quoted)
        assert s.lower == alone.lower == tuple(t.lower for t in toks)
        words = [t.lower for t in toks]
        stems = language.stem_set(words) | language.stem_set(p for w in words for p in w.split("-"))
        assert s.stems == alone.stems == stems
        assert s.speech == (s.quoted or any(language.is_speech(w) for w in words))
        assert s.negates == alone.negates == any(t.negation for t in toks)
    assert read.capitalised == capitalised


def test_a_paragraph_of_abbreviations_is_split_in_linear_time():
    import time

    from factsheet.verification.context import split

    # Each full stop after "Mr" is looked at once: reading the sentence so far again at each one
    # took time growing with the square of the paragraph (20,000 of them: over two minutes).
    began = time.process_time()
    assert len(split("Mr. A " * 20_000 + "said so. Then more.")) == 2
    assert time.process_time() - began < 1


_CUE_TEXT = st.lists(st.sampled_from(["may", "MAY", "It", "is", "understood", "according", "to", "said", "say",
                                       "experts", "reportedly", "seem", "seems", "co", "be", "5", " ", "  ", "\n",
                                       "-", "'", "#", ".", "&", "_", "\u017f", "\u212a", "\u0130", "\u0131",
                                       "\xe9"]), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(_CUE_TEXT)
@example("co-may be, it is\nunderstood; 5 may")
@example("\u017faid to")
@example("The experts say")
def test_cues_found_after_a_look_at_the_words_are_those_the_pattern_finds(text):
    from factsheet.verification import language

    for cues in (language.HEDGE_CUES, language.ATTRIBUTION_CUES):
        expected = [m.span() for m in cues.pattern.finditer(text)]
        assert [m.span() for m in cues.finditer(text, language.letter_runs(text))] == expected


def test_a_sentence_of_thousands_of_hedges_is_read_in_linear_time():
    import time

    from factsheet.verification import polarity
    from factsheet.verification.context import Sentence

    # Each hedge governs the rest of its clause: 4,000 of them in one sentence took 14 s, and grew
    # with the square of their number. A sentence's first MAX_CUES hedges are read.
    text = "it may " * 10_000 + "rain."
    began = time.process_time()
    scopes = polarity._hedged_scopes(Sentence("s", 0, 0, len(text), text, frozenset(), False))
    assert len(scopes) == polarity.MAX_CUES and scopes[0][0] == "may"
    assert time.process_time() - began < 2
