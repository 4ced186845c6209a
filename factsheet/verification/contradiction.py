"""Contradictions: two facts that give the same relation incompatible values.

This module owns the ``contradiction`` rule (an error). Each fact's statement is cut into parts
(sentences and semicolon-joined clauses); a part asserts a *slot* when it gives a year, a weekday,
a month (from the statement, or for its first part the fact's ``when``), or calls something the
"first" (not "not the first"). Its *event words* are the content stems around the slot. Two parts
of different facts contradict when they assert the same kind of slot about the same event (they
share enough event words, or cite the same sentence and share some) and:

- dates: give disjoint sets of years, weekdays or months ("2014" against "2015");
- "first": each names a different first (each has event words the other lacks).

Candidates are found without comparing every pair of facts: through buckets of parts keyed by
(slot kind, event word) and by (slot kind, cited sentence), skipping a bucket too full to identify
one event. A pair is not reported when one disagreement records both: each
fact cites a passage that one of its variants cites, so the briefing says the sources differ.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from factsheet.verification import corroboration, language
from factsheet.verification.analysis import Analysis, Finding, Statement
from factsheet.verification.language import Token

SHARED_SPAN_WORDS = 2  # event words two parts citing the same sentence must share
SHARED_WORDS = 3  # event words two parts found through a common word must share...
SHARED_SHARE = 0.5  # ...and that share of the smaller part's event words
OWN_WORDS = 2  # event words each of two "first" parts must have that the other lacks
BUCKET_LIMIT = 12  # a word in more parts than this identifies no event: not used as a key

_SLOT_WORDS = language.WEEKDAYS | language.MONTHS | {"first", "time"}
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_MAY_ASSERT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\b(?:first|monday|tuesday|wednesday|thursday|friday|saturday"
                         r"|sunday|january|february|march|april|may|june|july|august|september|october"
                         r"|november|december)\b", re.IGNORECASE)
_FIRST = re.compile(r"\bfirst\b", re.IGNORECASE)
_NOT_FIRST = re.compile(r"\b(?:not|never|n't)\s+(?:\w+\s+){0,2}first\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Part:
    statement: Statement
    index: int  # of the statement among the analysis's statements
    text: str
    kind: str  # "year" | "weekday" | "month" | "first"
    values: frozenset[str]
    words: frozenset[str]  # event words


def _slots(text: str, words: list[Token], when: str | None) -> list[tuple[str, frozenset[str]]]:
    found = []
    if when:
        words = words + language.tokens(when)
    for kind, values in (("year", set(_YEAR.findall(text + " " + (when or "")))),
                         ("weekday", {w.lower for w in words if w.lower in language.WEEKDAYS}),
                         ("month", {w.lower for w in words if w.lower in language.MONTHS and w.text[0].isupper()})):
        if values:
            found.append((kind, frozenset(values)))
    if any(w.lower == "first" for w in words) and not _NOT_FIRST.search(text):
        found.append(("first", frozenset(["first"])))
    return found


def _parts(an: Analysis) -> list[Part]:
    parts = []
    for n, st in enumerate(an.statements):
        if st.fact is None:
            continue
        if not _MAY_ASSERT.search(st.text) and not st.fact.when:
            continue  # no date and no "first": nothing to contradict
        named = {t.start for m in st.mentions for t in st.tokens if m.start <= t.start < m.end}
        for k, (start, end) in enumerate(_pieces(st.text)):
            text = st.text[start:end]
            piece = [t for t in st.tokens if start <= t.start < end]
            # Event words: what happened, not who (names) nor when (the slot itself).
            words = frozenset(x for t in piece if language.is_content(t) and t.lower not in _SLOT_WORDS
                              and t.start not in named for x in language.stems(t.lower))
            for kind, values in _slots(text, piece, st.fact.when if k == 0 else None):
                parts.append(Part(st, n, text, kind, values, _near_slot(st, start, end, words, kind, k == 0)))
    return parts


def _near_slot(st: Statement, start: int, end: int, words: frozenset[str], kind: str, first_piece: bool):
    """A date belongs to the clause it is written in ("the Russian effort was in 2016", not the
    midterms the sentence is about); a "first", or a date from ``when``, to the whole part."""
    if kind == "first" or (first_piece and st.fact is not None and st.fact.when):
        return words
    pattern = _YEAR if kind == "year" else re.compile(r"(?i)\b(?:" + "|".join(
        language.WEEKDAYS if kind == "weekday" else language.MONTHS) + r")\b")
    clauses = {t.clause for t in st.tokens if start <= t.start < end and pattern.fullmatch(t.text)}
    return frozenset(x for t in st.tokens if start <= t.start < end and t.clause in clauses
                     for x in language.stems(t.lower)) & words


def _pieces(text: str) -> list[tuple[int, int]]:
    found, start = [], 0
    for m in re.finditer(r"[.;](?=\s|$)", text):
        found.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        found.append((start, len(text)))
    return found


def _conflict(a: Part, b: Part, shared_span: bool) -> bool:
    if a.kind != b.kind or a.statement is b.statement:
        return False
    shared = a.words & b.words
    if shared_span:
        same_event = len(shared) >= SHARED_SPAN_WORDS
    else:
        same_event = len(shared) >= SHARED_WORDS and len(shared) >= SHARED_SHARE * min(len(a.words), len(b.words))
    if not same_event:
        return False
    if a.kind == "first":
        return len(a.words - b.words) >= OWN_WORDS and len(b.words - a.words) >= OWN_WORDS and not shared_span
    return not a.values & b.values


def _recorded(an: Analysis) -> dict[int, set[str]]:
    """For each statement, the disagreements whose variants cite a passage it cites (one sweep
    per source, not every citation against every recorded passage)."""
    recorded = corroboration.recorded_passages(an.briefing)
    cited: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for n, st in enumerate(an.statements):
        for sp in st.context.spans:
            cited[sp.source].append((sp.start, sp.end, n))
    found: dict[int, set[str]] = defaultdict(set)
    for source, passages in recorded.items():
        pairs = corroboration.overlapping_pairs(cited.get(source, []), [(r.start, r.end, r) for r in passages])
        for n, r in pairs:
            found[n].add(r.disagreement.id)
    return found


def find_contradictions(an: Analysis) -> list[Finding]:
    # Parts meet in buckets: by (slot kind, event word), and by (slot kind, cited sentence), the
    # latter standing for "cites the same passage". A bucket holding more than BUCKET_LIMIT parts
    # is skipped: comparing within buckets stays linear in the size of the briefing.
    parts = _parts(an)
    buckets: dict[tuple, list[Part]] = defaultdict(list)
    for p in parts:
        for w in p.words:
            buckets[(p.kind, False, w)].append(p)
        for sentence in p.statement.context.sentences:
            buckets[(p.kind, True, sentence.source, sentence.index)].append(p)
    candidates: dict[tuple[int, int], bool] = {}
    for key, bucket in buckets.items():
        if len(bucket) <= BUCKET_LIMIT:
            for pa, pb in combinations(bucket, 2):
                shared = candidates.get((id(pa), id(pb)), False)
                candidates[(id(pa), id(pb))] = shared or key[1]
    return _report(an, {id(p): p for p in parts}, candidates)


def _report(an: Analysis, parts: dict[int, Part], candidates: dict[tuple[int, int], bool]) -> list[Finding]:
    recorded: dict[int, set[str]] | None = None  # worked out only once a conflict needs it
    found, seen = [], set()
    for (ia, ib), shared_span in candidates.items():
        a, b = parts[ia], parts[ib]
        key = (min(a.index, b.index), max(a.index, b.index), a.kind)
        if key in seen or not _conflict(a, b, shared_span):
            continue
        recorded = _recorded(an) if recorded is None else recorded
        if recorded[a.index] & recorded[b.index]:
            continue
        seen.add(key)
        found += [_finding(a, b), _finding(b, a)]
    return found


def _finding(a: Part, b: Part) -> Finding:
    what = "calls a different thing the first" if a.kind == "first" else f"gives another {a.kind}"
    values = ", ".join(sorted(a.values))
    return Finding("contradiction", a.statement, values,
                   f"the statement of {a.statement.label} contradicts {b.statement.label}, which {what} "
                   f"for the same event: “{a.text.strip()}” against “{b.text.strip()}”",
                   notes=(f"{b.statement.label} is at {b.statement.location}; if the sources differ, record "
                          "it in disagreements.yaml",), severity="error")
