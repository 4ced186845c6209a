"""Selectors -> spans: each citation (and furniture range) anchored to its pinned source text, and
every citation numbered in reading order (sections in order, then disagreements), once."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

from factsheet.diagnostics import Report
from factsheet.model import Briefing, Citation, Selector, Source, Span
from factsheet.text import splits_character
from factsheet.verification import fuzzy
from factsheet.verification.anchor import Index, Match, normalise, normalise_quote, unwrapped, word_diff
from factsheet.verification.occurrences import designated, narrowed, occurrences

RULE = "anchor"


def resolve(briefing: Briefing, report: Report) -> Briefing:
    """The briefing with every citation's span and note number filled in; problems go to the
    report. Each citation is replaced once, with both: 30,000 citations replaced twice over were
    a fifth of anchoring."""
    indexes = {s.id: Index(s.text) for s in briefing.sources if s.text}
    sources = tuple(_with_furniture(s, indexes.get(s.id), report) for s in briefing.sources)
    fact_numbers, variant_numbers = _first_numbers(briefing)
    spans = iter(_located([c.selector for c in briefing.all_citations()], indexes, report))

    def cite(citations: tuple[Citation, ...], first: int) -> tuple[Citation, ...]:
        return tuple(replace(c, span=next(spans), number=first + k if first else c.number)
                     for k, c in enumerate(citations))

    facts = tuple(replace(f, citations=cite(f.citations, first)) for f, first in zip(briefing.facts, fact_numbers,
                                                                                     strict=True))
    firsts = iter(variant_numbers)
    disagreements = tuple(
        replace(d, variants=tuple(replace(v, citations=cite(v.citations, next(firsts))) for v in d.variants))
        for d in briefing.disagreements)
    notes = sorted((c for f in facts for c in f.citations if c.number), key=lambda c: c.number)
    notes += [c for d in disagreements for v in d.variants for c in v.citations]
    return replace(briefing, sources=sources, facts=facts, disagreements=disagreements, notes=tuple(notes))


def _located(selectors: list[Selector], indexes: dict[str, Index], report: Report) -> list[Span | None]:
    """Each selector's span, in the order given, looked up source by source: a source's text
    stays in the processor's cache while all its quotes are found. (In the order of the facts,
    which cite sources at random, the 31,000 look-ups of a generated briefing of 10,000 facts
    over 1,000 sources took about 40% longer.)"""
    found: list[Span | None] = [None] * len(selectors)
    for i in sorted(range(len(selectors)), key=lambda i: selectors[i].source):
        found[i] = locate(selectors[i], indexes.get(selectors[i].source), report)
    return found


def _first_numbers(briefing: Briefing) -> tuple[list[int], list[int]]:
    """The note number of each fact's first citation, and of each disagreement variant's, in the
    order a reader meets them: the sections in order (facts in file order within each), then the
    disagreements. A fact in no section gets 0 (its citations keep the number they have)."""
    counter = 1
    facts = [0] * len(briefing.facts)
    for section in briefing.sections:
        for i, f in enumerate(briefing.facts):
            if f.section == section.id:
                facts[i] = counter
                counter += len(f.citations)
    variants = []
    for d in briefing.disagreements:
        for v in d.variants:
            variants.append(counter)
            counter += len(v.citations)
    return facts, variants


def _with_furniture(source: Source, index: Index | None, report: Report) -> Source:
    spans = tuple(s for s in (locate(f, index, report) for f in source.furniture) if s)
    return replace(source, furniture_spans=spans)


def locate(sel: Selector, index: Index | None, report: Report) -> Span | None:
    """The one span ``sel`` designates in ``index``, or None with the reason reported."""
    if index is None:
        return None  # the source itself is missing or unreadable: reported by the loader
    if sel.start is not None or sel.end is not None:
        return _by_offsets(sel, index, report)
    needle = normalise_quote(sel.quote)
    if not needle:
        report.error(sel.location, "quote is only white space; cite words of the source", rule=RULE)
        return None
    matches = index.find_all(sel.quote, needle)
    if not matches:
        _not_found(sel, index, report)
        return None
    whole = matches if sel.partial else [m for m in matches if index.whole_words(m)]
    if not whole:
        # Found only inside longer words: say which, unless the one place also cuts a character.
        chosen = _disambiguate(sel, index, matches) or matches
        return _span(sel, index, chosen[0], report)
    matches = whole
    chosen = _disambiguate(sel, index, matches)
    if len(chosen) == 1:
        return _span(sel, index, chosen[0], report, whole=True)
    if not chosen:
        report.error(sel.location, f"quote occurs {len(matches)} time(s) in source '{sel.source}', "
                     f"but never with the given prefix/suffix", rule=RULE,
                     notes=tuple(_occurrence(index, m) for m in matches[:10]))
    else:
        report.error(sel.location, f"quote occurs {len(chosen)} times in source '{sel.source}'; "
                     f"add a prefix or suffix (or start/end) to choose one", rule=RULE,
                     notes=_choices(sel, index, chosen))
    return None


def _disambiguate(sel: Selector, index: Index, matches: list[Match]) -> list[Match]:
    return narrowed(index, matches, sel.prefix, sel.suffix)


def _occurrence(index: Index, m: Match) -> str:
    return f"at {m.start}–{m.end}: {index.context(m.start, m.end)}"


def _choices(sel: Selector, index: Index, chosen: list[Match]) -> tuple[str, ...]:
    """Each place of a repeated quote, with the context that chooses it, ready to paste (the
    same computation as ``factsheet locate``'s)."""
    places = {(o.start, o.end): o for o in occurrences(index, sel.quote)} if not sel.partial else {}
    notes = []
    for m in chosen[:10]:
        occ = places.get((m.start, m.end))
        if occ is not None and (occ.prefix or occ.suffix):
            key, words = ("prefix", occ.prefix) if occ.prefix else ("suffix", occ.suffix)
            choose = f"{key}: {json.dumps(words, ensure_ascii=False)}"
        else:
            choose = f"start: {m.start}, end: {m.end}"
        notes.append(f"{_occurrence(index, m)} — to cite this one, add {choose}")
    return tuple(notes)


def _span(sel: Selector, index: Index, m: Match, report: Report, whole: bool = False) -> Span | None:
    """The span of match ``m``; ``whole``: it is known to start and end on word boundaries."""
    for edge in (m.start, m.end):
        if splits_character(index.text, edge):
            report.error(sel.location, f"span {m.start}–{m.end} cuts a character in two at offset {edge}",
                         rule=RULE)
            return None
    if not (sel.partial or whole or index.whole_words(m)):
        _cuts_words(sel, index, m, report)
        return None
    return Span(sel.source, m.start, m.end, index.text[m.start : m.end])


def _cuts_words(sel: Selector, index: Index, m: Match, report: Report) -> None:
    """A span must start and end on word boundaries: name the word it cuts, and give the citation
    of the whole words, ready to paste."""
    text = index.text
    start, end = index.widened(m.start, m.end)
    first, last = index.widened(m.start, m.start), index.widened(m.end, m.end)
    if start < m.start and end > m.end and first == last:
        where = f"lies inside the word “{_words(text, *first)}”"
    else:
        cuts = ([f"starts inside the word “{_words(text, *first)}”"] if start < m.start else [])
        cuts += [f"ends inside the word “{_words(text, *last)}”"] if end > m.end else []
        where = " and ".join(cuts)
    words = f"quote: {json.dumps(_words(text, start, end), ensure_ascii=False)}"
    if sel.start is not None:
        words += f", start: {start}, end: {end}"
    report.error(sel.offsets_location or sel.location, f"quote {where} in source '{sel.source}'; "
                 "cite whole words", rule=RULE,
                 notes=(f"whole words, ready to paste: {words}",
                        "to cite part of a word on purpose, add `partial: true` to the citation"))


def _words(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as a reader writes it: a word wrapped at a line end joined, on one line."""
    return " ".join(unwrapped(text[start:end]).split())


def _by_offsets(sel: Selector, index: Index, report: Report) -> Span | None:
    where = sel.offsets_location or sel.location
    start, end, size = sel.start, sel.end, len(index.text)
    if start is None or end is None:
        report.error(where, "write both 'start' and 'end', or neither", rule=RULE)
        return None
    problem = (f"'start' ({start}) must be less than 'end' ({end})" if start >= end else
               f"'end' ({end}) is past the end of source '{sel.source}' ({size} code points)" if end > size
               else None)
    if problem:
        report.error(where, problem, rule=RULE)
        return None
    covered = index.text[start:end]
    if normalise_quote(covered) != normalise_quote(sel.quote):
        found = designated(index, sel.quote, sel.prefix, sel.suffix, sel.partial)
        notes = [f"offsets cover: “{_one_line(covered)}”", f"quote is:      “{_one_line(sel.quote)}”"]
        notes += [f"the quote is at {m.start}–{m.end}" for m in found[:5]]
        report.error(where, f"offsets {start}–{end} do not agree with the quote", rule=RULE, notes=tuple(notes))
        return None
    return _span(sel, index, Match(start, end, covered == sel.quote), report)


def _not_found(sel: Selector, index: Index, report: Report) -> None:
    notes: list[str] = []
    if _differs_only_in_normalisation(sel.quote, index.text):
        notes.append("the quote and the source write accented letters differently (Unicode NFC/NFD); "
                     "copy the quote from the source file itself")
    best = fuzzy.closest(index, sel.quote)
    if best:
        start, end, score = best
        notes.append(f"closest passage ({score:.0f}% alike) at {start}–{end}: {index.context(start, end)}")
        notes.append(f"what differs: {word_diff(sel.quote, index.text[start:end])}")
    report.error(sel.location, f"quote not found in source '{sel.source}'", rule=RULE, notes=tuple(notes))


def _differs_only_in_normalisation(quote: str, text: str) -> bool:
    # Only on the error path: offsets count the source's own code points, so the tool never
    # normalises for a match; it only says why an identical-looking quote was not found.
    import unicodedata

    nfc, nfd = _normal_forms(text)
    return (normalise_quote(unicodedata.normalize("NFC", quote)) in nfc
            or normalise_quote(unicodedata.normalize("NFD", quote)) in nfd)


@lru_cache(maxsize=1)
def _normal_forms(text: str) -> tuple[str, str]:
    """The source text in Unicode's NFC and NFD forms, normalised as anchoring reads it: made once
    for all the quotes of one source that were not found (quotes are looked up source by source),
    where each such quote normalised the whole source twice (7 s for 50 quotes of a 2.7 MB source)."""
    import unicodedata

    return normalise(unicodedata.normalize("NFC", text)).text, normalise(unicodedata.normalize("NFD", text)).text


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
