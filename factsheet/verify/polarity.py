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

import re

from factsheet.verify import language
from factsheet.verify.analysis import Analysis, Finding, Statement
from factsheet.verify.context import Sentence
from factsheet.verify.language import Token

NEAR = 3  # content words either side of an occurrence where a statement's neighbour must stand


def _comparable(t: Token) -> bool:
    return t.comparable


def _negated(tokens: tuple[Token, ...] | list[Token], i: int) -> Token | None:
    """The negation governing token ``i``, if one stands in the words just before it in its clause."""
    for j in range(i - 1, max(-1, i - 1 - language.NEGATION_WINDOW), -1):
        if tokens[j].clause != tokens[i].clause:
            break
        if tokens[j].negation:
            return tokens[j]
    return None


def _stems(t: Token) -> set[str]:
    return set(language.stems(t.lower))


class _Words:
    """A sentence's comparable words, indexed by stem, prepared once per sentence."""

    def __init__(self, tokens: tuple[Token, ...] | list[Token]):
        self.tokens = tokens
        self.content = [i for i, t in enumerate(tokens) if _comparable(t)]
        self.stems = [_stems(tokens[i]) for i in self.content]
        self.where: dict[str, list[int]] = {}
        for k, stems in enumerate(self.stems):
            for x in stems:
                self.where.setdefault(x, []).append(k)

    def occurrences(self, word: set[str], neighbours: list[set[str]]):
        """Where the sentence has the word with one of the statement's neighbours of it near: the
        token and the negation governing it (None if none)."""
        for k in sorted({k for x in word for k in self.where.get(x, ())}):
            around = self.stems[max(0, k - NEAR):k] + self.stems[k + 1:k + 1 + NEAR]
            if any(n & a for a in around for n in neighbours):
                i = self.content[k]
                yield i, _negated(self.tokens, i)


def _words(an: Analysis, s: Sentence) -> _Words:
    key = ("words", s.source, s.index)
    if key not in an.memo:
        an.memo[key] = _Words(s.tokens)
    return an.memo[key]  # type: ignore[return-value]


def find_negations(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        found += _statement_negations(st, [(s, _words(an, s)) for s in st.context.sentences])
    return found


def _statement_negations(st: Statement, sentences: list[tuple[Sentence, _Words]]) -> list[Finding]:
    toks = st.tokens
    mine_words = _Words(toks)
    findings: list[Finding] = []
    last_flagged = -2
    for k, i in enumerate(mine_words.content):
        neighbours = mine_words.stems[max(0, k - 1):k] + mine_words.stems[k + 1:k + 2]
        mine = _negated(toks, i)
        seen = [(s, j, neg) for s, w in sentences for j, neg in w.occurrences(mine_words.stems[k], neighbours)]
        if not seen or any((neg is None) == (mine is None) for _, _, neg in seen):
            continue
        if k == last_flagged + 1 and findings:
            last_flagged = k  # one finding per run of flagged words
            continue
        last_flagged = k
        s, j, neg = seen[0]
        findings.append(_negation_finding(st, i, mine, s, j, neg))
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


def _hedged_scopes(s: Sentence) -> list[tuple[str, bool, set[int], set[str]]]:
    """Each hedge or attribution in a sentence: (cue, is_attribution, the tokens it governs, whom it
    attributes to). A hedge governs the rest of its clause and the words just before it; an
    attribution, the whole sentence."""
    scopes = []
    for pattern, attribution in ((language.HEDGE_CUES, False), (language.ATTRIBUTION_CUES, True)):
        for m in pattern.finditer(s.text):
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
        words = [t for t in s.tokens if m.start() <= t.start < m.end() and t.comparable and t.lower not in ("say", "says")]
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
    quoted = [m.span() for m in _QUOTED.finditer(st.text)]
    return {x for t in unit if _comparable(t) and not any(m.start <= t.start < m.end for m in st.mentions)
            and not any(a <= t.start < b for a, b in quoted) for x in _stems(t)}


_QUOTED = re.compile(r'"[^"]*"')


def find_hedges(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        found += _statement_hedges(st)
    return found


def _statement_hedges(st: Statement) -> list[Finding]:
    scopes, flat = [], set()
    for s in st.context.sentences:
        here = _hedged_scopes(s)
        scopes += [(s, cue, attribution, governed, whom) for cue, attribution, governed, whom in here]
        inside = set().union(*(g for _, _, g, _ in here)) if here else set()
        flat |= {x for i, t in enumerate(s.tokens) if i not in inside and _comparable(t) for x in _stems(t)}
    findings = []
    for unit in _units(st) if scopes else ():
        text = st.text[unit[0].start:unit[-1].end]
        mine = _own_words(st, unit)
        hedged_here = bool(language.HEDGE_CUES.search(text))
        attributed_here = (hedged_here or bool(language.STATEMENT_ATTRIBUTION_CUES.search(text))
                           or any(m.kind == "source" and unit[0].start <= m.start < unit[-1].end for m in st.mentions))
        said = {x for t in unit for x in _stems(t)}
        for s, cue, attribution, governed, whom in scopes:
            owed = (mine & {x for i in governed for x in _stems(s.tokens[i])}) - flat
            # An attribution is kept by saying who says it: "citing the Times", "experts said".
            kept = attributed_here and (not whom or bool(whom & said)) if attribution else hedged_here
            if len(owed) < MIN_HEDGED or kept:
                continue
            kind = "attributes" if attribution else "hedges"
            findings.append(Finding("hedges", st, cue.lower(), f"the cited sentence {kind} (“{cue}”) what the "
                                    f"statement of {st.label} states flat: “{text}”",
                                    notes=(f"words only the hedged words support: {', '.join(sorted(owed))}",
                                           f"cited sentence: “{s.text}”")))
            break
    return findings
