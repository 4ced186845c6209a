"""Polarity: a statement that turns its evidence's negation or hedge around.

This module owns two support rules:

- ``negation``: a word the statement shares with a cited sentence is negated on one side and not
  on the other ("was not the first time" against "was the first time", "would not" against
  "would"). A word is negated when a negation ("not", "no", "never", "without", "n't", …) stands
  within the three words before it in its clause. Only occurrences the two texts share around
  the word count (a neighbouring word of the statement is near it in the source), and a
  statement is flagged only when no such occurrence agrees with it.
- ``hedges``: a cited sentence hedges ("reportedly", "may", "seemed to", "it was claimed", …) or
  attributes ("according to", "say experts") a clause, and the statement states what only that
  clause supports with no hedge (for an attribution, no attribution either) of its own.
"""

from __future__ import annotations

import itertools
import re

from factsheet.verification import language
from factsheet.verification.analysis import Analysis, Finding, Statement
from factsheet.verification.context import Sentence
from factsheet.verification.language import Token

NEAR = 3  # comparable words either side of a word that say what it is said of
ALIGNED = 2  # of those, how many a cited occurrence must share with the statement to be compared


def _comparable(t: Token) -> bool:
    return t.comparable


def _negated(tokens: tuple[Token, ...] | list[Token], i: int) -> Token | None:
    """The negation governing token ``i``, if one stands in the words just before it in its clause.
    "Without saying where" is the writer's framing, not a claim negated."""
    for j in range(i - 1, max(-1, i - 1 - language.NEGATION_WINDOW), -1):
        if tokens[j].clause != tokens[i].clause:
            break
        if tokens[j].negation:
            return None if tokens[j].lower == "without" and language.is_framing(tokens[i].lower) else tokens[j]
    return None


def _stems(t: Token) -> frozenset[str]:
    return language.stem_group(t.lower)


class _Words:
    """A text's comparable words and their stems, prepared once per sentence."""

    def __init__(self, tokens: tuple[Token, ...] | list[Token]):
        self.tokens = tokens
        self.content = [i for i, t in enumerate(tokens) if t.comparable]
        self.stems = [_stems(tokens[i]) for i in self.content]
        self.where: dict[str, list[int]] = {}
        for k, stems in enumerate(self.stems):
            for x in stems:
                self.where.setdefault(x, []).append(k)
        # The stems of the words a negation may govern: only the few words after each negation.
        self.negated: set[str] = set()
        for j in (j for j, t in enumerate(tokens) if t.negation):
            for i in range(j + 1, min(len(tokens), j + 1 + language.NEGATION_WINDOW)):
                if tokens[i].comparable and _negated(tokens, i) is not None:
                    self.negated |= _stems(tokens[i])

    def sides(self, k: int) -> tuple[set[str], set[str]]:
        """The stems of the NEAR comparable words before and after the k-th."""
        left: set[str] = set()
        right: set[str] = set()
        for x in self.stems[max(0, k - NEAR):k]:
            left |= x
        for x in self.stems[k + 1:k + 1 + NEAR]:
            right |= x
        return left, right


def _words(an: Analysis, s: Sentence) -> _Words:
    key = ("words", s.source, s.index)
    if key not in an.memo:
        an.memo[key] = _Words(s.tokens)
    return an.memo[key]  # type: ignore[return-value]


def find_negations(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        # With no negation in the statement or in what it cites, no word is negated on one side
        # only: nothing to prepare.
        if any(t.negation for t in st.tokens) or any(s.negates for s in st.context.sentences):
            found += _statement_negations(st, [(s, _words(an, s)) for s in st.context.sentences])
    return found


def _best_occurrences(mine: _Words, k: int, sentences) -> list[tuple[int, int]]:
    """The cited occurrences of the statement's k-th word that share the most words around it,
    on the same side (before, after), with the statement: where the two texts say the same thing."""
    left, right = mine.sides(k)
    scored = []
    hits = {(n, kk) for n, (_, w) in enumerate(sentences) for x in mine.stems[k] for kk in w.where.get(x, ())}
    for n, kk in hits:
        their_left, their_right = sentences[n][1].sides(kk)
        score = len(left & their_left) + len(right & their_right)
        if score >= ALIGNED:
            scored.append((score, n, kk))
    best = max((s for s, _, _ in scored), default=0)
    return sorted((n, kk) for s, n, kk in scored if s == best)


def _statement_negations(st: Statement, sentences: list[tuple[Sentence, _Words]]) -> list[Finding]:
    mine = _Words(st.tokens)  # all its words, quoted ones too: they say where it aligns
    own = {t.start for t in st.own}
    negated = mine.negated.union(*(w.negated for _, w in sentences))
    findings: list[Finding] = []
    last_flagged = -2
    for k, i in enumerate(mine.content):
        if not mine.stems[k] & negated or st.tokens[i].start not in own:
            continue  # negated on neither side, or quoted (the source's own words): nothing to judge
        ours = _negated(st.tokens, i)
        best = [(sentences[n][0], sentences[n][1].content[kk]) for n, kk in _best_occurrences(mine, k, sentences)]
        theirs = [(s, j, _negated(s.tokens, j)) for s, j in best]
        if not theirs or any((neg is None) == (ours is None) for _, _, neg in theirs):
            continue
        if k != last_flagged + 1 or not findings:  # one finding per run of flagged words
            s, j, neg = theirs[0]
            findings.append(_negation_finding(st, i, ours, s, j, neg))
        last_flagged = k
    return findings


def _phrase(text: str, tokens, i: int, cue: Token | None) -> str:
    start = cue.start if cue is not None else tokens[max(0, i - 2)].start
    end = tokens[min(len(tokens) - 1, i + 2)].end
    return text[start:end]


def _negation_finding(st: Statement, i: int, mine: Token | None, s: Sentence, j: int, theirs: Token | None) -> Finding:
    ours = _phrase(st.text, st.tokens, i, mine)
    cited = _phrase(s.text, s.tokens, j, theirs)
    if mine is not None:
        message = (f"the statement of {st.label} negates “{st.tokens[i].text}” (“{ours}”), but its cited "
                   f"sentence does not: “{cited}”")
    else:
        message = (f"the statement of {st.label} says “{ours}”, but its cited sentence negates it: “{cited}”")
    return Finding("negation", st, st.tokens[i].text, message, notes=(f"cited sentence: “{s.text}”",))


# --- hedges ---------------------------------------------------------------------------------------

MIN_HEDGED = 2  # content words the statement must owe to the hedged clause alone
BEFORE_CUE = 2  # content words before a hedge that it also governs: "That data may have been used"
# Hedges, and attributions, read in one sentence: prose has a few. Each governs a run of the
# sentence's words, so a source repeating one thousands of times in a sentence cost time and
# memory growing with the square of its length (4,000 "may": 14 s).
MAX_CUES = 16


def _hedged_scopes(s: Sentence) -> list[tuple[str, bool, set[int], set[str]]]:
    """Each hedge or attribution in a sentence: (cue, is_attribution, the tokens it governs, whom it
    attributes to). A hedge governs the rest of its clause and the words just before it; an
    attribution, the whole sentence."""
    scopes = []
    runs = language.letter_runs(s.text)  # one look at its words tells most sentences hold no cue
    for pattern, attribution in ((language.HEDGE_CUES, False), (language.ATTRIBUTION_CUES, True)):
        for m in itertools.islice(pattern.finditer(s.text, runs), MAX_CUES):
            at = next((i for i, t in enumerate(s.tokens) if t.start >= m.start()), len(s.tokens))
            clause = s.tokens[at].clause if at < len(s.tokens) else -1
            after = [i for i in range(at, len(s.tokens)) if s.tokens[i].clause == clause]
            if attribution:
                governed = set(range(len(s.tokens)))
            else:
                before = [i for i in range(at) if s.tokens[i].clause == clause and _comparable(s.tokens[i])]
                governed = set(after) | set(before[-BEFORE_CUE:])
            inside = {i for i in governed if m.start() <= s.tokens[i].start < m.end()}
            governed = {i for i in governed - inside if _comparable(s.tokens[i])}
            scopes.append((m.group(), attribution, governed, _source_of(s, m, after) if attribution else set()))
    return scopes


def _source_of(s: Sentence, m: re.Match[str], after: list[int]) -> set[str]:
    """Whom an attribution names: the words after "according to" ("the Times"), or the cue's own
    noun ("experts" in "say experts")."""
    if m.group().lower().startswith("according"):
        words = [s.tokens[i] for i in after if s.tokens[i].start >= m.end() and _comparable(s.tokens[i])]
    else:
        words = [t for t in s.tokens
                 if m.start() <= t.start < m.end() and t.comparable and t.lower not in ("say", "says")]
    return {x for t in words for x in _stems(t)}


def _units(st: Statement) -> list[list[Token]]:
    """The statement cut into its sentences and semicolon-joined parts."""
    units: list[list[Token]] = [[]]
    for t in st.tokens:
        if units[-1] and any(c in st.text[units[-1][-1].end:t.start] for c in ".;"):
            units.append([])
        units[-1].append(t)
    return [u for u in units if u]


def _own_words(st: Statement, unit: list[Token]) -> set[str]:
    """The stems a statement's part claims in its own words: not names, not words it quotes."""
    others = [m.span() for m in _QUOTED.finditer(st.text)] + [(m.start, m.end) for m in st.mentions]
    return {x for t in unit if t.comparable and not any(a <= t.start < b for a, b in others) for x in _stems(t)}


_QUOTED = re.compile(r'"[^"]*"')


def find_hedges(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        found += _statement_hedges(an, st)
    return found


def _scopes(an: Analysis, s: Sentence):
    """A sentence's hedged scopes: prepared once."""
    key = ("hedges", s.source, s.index)
    if key not in an.memo:
        an.memo[key] = _hedged_scopes(s)
    return an.memo[key]


def _outside(an: Analysis, s: Sentence) -> set[str]:
    """The stems of a sentence's words outside its hedged scopes: prepared once, and only for a
    statement that cites a hedged sentence (most cite none)."""
    key = ("unhedged", s.source, s.index)
    if key not in an.memo:
        inside = set().union(*(g for _, _, g, _ in _scopes(an, s)))
        an.memo[key] = {x for i, t in enumerate(s.tokens) if i not in inside and t.comparable for x in _stems(t)}
    return an.memo[key]  # type: ignore[return-value]


def _statement_hedges(an: Analysis, st: Statement) -> list[Finding]:
    scopes = [(s, cue, attribution, governed, whom) for s in st.context.sentences
              for cue, attribution, governed, whom in _scopes(an, s)]
    if not scopes:
        return []
    flat = set().union(*(_outside(an, s) for s in st.context.sentences))
    findings = []
    governed = [_governed_stems(scope) for scope in scopes]
    for unit in _units(st):
        mine = _own_words(st, unit)
        if len(mine) < MIN_HEDGED:
            continue
        text = st.text[unit[0].start:unit[-1].end]
        keeps = _keeper(st, unit, text)
        kept = [keeps(cue, attribution, whom) for _, cue, attribution, _, whom in scopes]
        for n, scope in enumerate(scopes):
            owed = (mine & governed[n]) - flat
            if kept[n] or len(owed) < MIN_HEDGED:
                continue
            # What another cited sentence says, hedged as the statement hedges it, supports it as
            # said; a hedge kept in the same sentence ("could") does not stand for another one
            # ("it appears") over the same words.
            owed -= set().union(*(governed[m] for m, other in enumerate(scopes)
                                  if kept[m] and other[0] is not scope[0]))
            if len(owed) >= MIN_HEDGED:
                findings.append(_hedge_finding(st, text, scope, owed))
                break
    return findings


def _governed_stems(scope) -> set[str]:
    s, _, _, governed, _ = scope
    return {x for i in governed for x in _stems(s.tokens[i])}


def _keeper(st: Statement, unit: list[Token], text: str):
    """Whether this part of the statement keeps a cited hedge: a hedge of the same family, or for
    an attribution, an attribution of its own that names whom the source names ("citing the
    Times", "experts said") or names a cited source."""
    families = language.hedge_families(text)
    attributed = (bool(families) or bool(language.STATEMENT_ATTRIBUTION_CUES.search(text))
                  or any(m.kind == "source" and unit[0].start <= m.start < unit[-1].end for m in st.mentions))
    said = {x for t in unit for x in _stems(t)}

    def keeps(cue: str, attribution: bool, whom: set[str]) -> bool:
        if attribution:
            return attributed and whom <= said
        return language.FAMILY[" ".join(cue.lower().split())] in families

    return keeps


def _hedge_finding(st: Statement, text: str, scope, owed: set[str]) -> Finding:
    s, cue, attribution, _, _ = scope
    kind = "attributes" if attribution else "hedges"
    return Finding("hedges", st, cue.lower(), f"the cited sentence {kind} (“{cue}”) what the statement of "
                   f"{st.label} states flat: “{text}”",
                   notes=(f"words only the hedged words support: {', '.join(sorted(owed))}",
                          f"cited sentence: “{s.text}”"))
