"""One reading of a resolved briefing that every support rule shares, made once per briefing.

It owns the statements the support rules judge (each fact's and each disagreement variant's, with
the fact it belongs to, for its acknowledgements), each statement's ``Context`` (the cited
sentences), the names a statement mentions (declared entities, the cited sources' own names, and
other proper names), and the findings each rule has made, so that the acknowledgement check sees
exactly what the rules saw. Building it is linear in the size of the briefing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from factsheet.model import Briefing, Fact, Location, Source
from factsheet.verification import language
from factsheet.verification.context import Context, Entities, SourceSentences, context
from factsheet.verification.language import Token


class Mention(NamedTuple):
    """A name in a statement: a cited source's own name, a declared entity, or another proper name."""

    start: int
    end: int
    text: str
    kind: str  # "source" | "entity" | "name"
    entities: tuple[int, ...] = ()


@dataclass(slots=True)
class Statement:
    """A statement to judge, with what its citations give it to rest on."""

    label: str  # "fact 'x'" or "variant 2 of disagreement 'y'"
    location: Location
    fact: Fact | None  # None for a disagreement's variant (no acknowledgements there)
    text: str  # normalised typography
    context: Context
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # Its own words: not those it puts in quotation marks, which are the source's, held to the
    # cited spans word for word by quotes-in-statement.
    own: list[Token] = field(default_factory=list)


class Finding(NamedTuple):
    """One thing a support rule found in one statement; ``word`` is what an acknowledgement names."""

    rule: str
    statement: Statement
    word: str
    message: str
    notes: tuple[str, ...] = ()
    severity: str = "warning"
    support: tuple[int, int] = (0, 0)  # unsupported-terms: content words found, of how many


class Analysis:
    def __init__(self, briefing: Briefing):
        self.briefing = briefing
        self.entities = Entities(briefing.entities)
        self.sources = {s.id: SourceSentences(s, self.entities) for s in briefing.sources if s.text}
        self.statements = [self._statement(*item) for item in _claims(briefing)]
        self.proper = _proper_words(self.sources.values(), self.statements)
        for st in self.statements:
            st.mentions = self._mentions(st)
        self._found: dict[str, list[Finding]] = {}
        self.memo: dict[object, object] = {}  # what a rule prepares once per sentence or statement

    def findings(self, rule: str, finder: Callable[[Analysis], list[Finding]]) -> list[Finding]:
        """What ``finder`` finds, computed once: the rule and the acknowledgement check share it."""
        if rule not in self._found:
            self._found[rule] = finder(self)
        return self._found[rule]

    def _statement(self, label: str, location: Location, fact: Fact | None, statement: str, spans) -> Statement:
        text = language.normalise(statement)
        words = language.tokens(text)
        quoted = [m.span() for m in _QUOTED.finditer(text)]
        own = [t for t in words if not any(a < t.start < b for a, b in quoted)] if quoted else words
        return Statement(label, location, fact, text, context(spans, self.sources), words, own=own)

    def _mentions(self, st: Statement) -> list[Mention]:
        found = [Mention(s, e, st.text[s:e], "source") for s, e in _source_names(st.text, st.context.sources)]
        for s, e, ents in self.entities.names_in(_own_text(st)):
            if not _overlaps(found, s, e):
                found.append(Mention(s, e, st.text[s:e], "entity", ents))
        found += _name_runs(st, found, self.proper)
        return sorted(found, key=lambda m: m.start)


_QUOTED = re.compile(r'"[^"]*"')
_cache: list[Analysis] = []


def analyse(briefing: Briefing) -> Analysis:
    """The analysis of this briefing, shared by the rules that run over it."""
    # One read of the shared slot: the app checks briefings from several threads at once.
    cached = _cache[0] if _cache else None
    if cached is None or cached.briefing is not briefing:
        cached = Analysis(briefing)
        _cache[:] = [cached]
    return cached


def forget(briefing: Briefing) -> None:
    """Drop this briefing's analysis once every rule has run: what a build does next (laying out
    a PDF above all) should have the memory (30 MB at 1,000 facts)."""
    if _cache and _cache[0].briefing is briefing:
        _cache.clear()


def _claims(briefing: Briefing):
    """Every statement whose citations all resolved (a failed one already has its error)."""
    for f in briefing.facts:
        if f.citations and all(c.span for c in f.citations):
            yield f"fact '{f.id}'", f.statement_location, f, f.statement, tuple(c.span for c in f.citations)
    for d in briefing.disagreements:
        for i, v in enumerate(d.variants, 1):
            if v.citations and all(c.span for c in v.citations):
                yield (f"variant {i} of disagreement '{d.id}'", v.location, None, v.statement,
                       tuple(c.span for c in v.citations))


def _own_text(st: Statement) -> str:
    """The statement with what it quotes blanked (same length, so places stay the same)."""
    return _QUOTED.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', st.text)


def _overlaps(mentions: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _source_names(text: str, sources: tuple[Source, ...]) -> list[tuple[int, int]]:
    """Where a statement names a source it cites: by label, publisher or title ("HotHardware said"),
    with or without a leading "The", or by its id ("the Herald" for the source ``herald``)."""
    found: list[tuple[int, int]] = []
    for source in sources:
        if not any(name in text for name in _names(source)):
            continue  # most statements name no source: its pattern is never compiled
        for m in _names_of(source).finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in found):
                found.append((m.start(), m.end()))
    return found


_NAME_PATTERNS: dict[tuple, re.Pattern[str]] = {}
_NAMES: dict[tuple, tuple[str, ...]] = {}


def _names(s: Source) -> tuple[str, ...]:
    """The names a statement may call a source by, longest first."""
    key = (s.id, s.label, s.publisher, s.title)
    if key not in _NAMES:
        names = set()
        for name in (s.label, s.publisher, s.title, s.id, s.id.replace("-", " ").title()):
            if name:
                name = language.normalise(name)
                names |= {name, re.sub(r"^The ", "", name)}
        _NAMES[key] = tuple(sorted(names, key=len, reverse=True))
    return _NAMES[key]


def _names_of(s: Source) -> re.Pattern[str]:
    key = (s.id, s.label, s.publisher, s.title)
    if key not in _NAME_PATTERNS:
        body = "|".join(re.escape(n) for n in _names(s))
        _NAME_PATTERNS[key] = re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")
    return _NAME_PATTERNS[key]


def is_initial(text: str, tokens: list[Token], i: int) -> bool:
    """Whether a word starts a sentence, a quotation or what follows a colon: there a capital
    letter says nothing about a proper name."""
    if i == 0:
        return True
    before = text[tokens[i - 1].end:tokens[i].start]
    return not _OPENERS.isdisjoint(before) or before.endswith("'") or before.strip() == "'"


_OPENERS = language.OPENERS


def _proper_words(sources, statements: list[Statement]) -> frozenset[str]:
    """Words written with a capital where no sentence starts: proper names, in the sources or in
    the statements; a capitalised word starting a statement counts as a name only if it is here."""
    found: set[str] = set()
    for src in sources:
        found.update(map(language.bare, src.capitalised))
    for st in statements:
        for i, t in enumerate(st.tokens):
            if (t.text[0].isupper() or t.text[0] == "#") and not is_initial(st.text, st.tokens, i):
                found.add(language.bare(t.text))
    return frozenset(found)


def capitalised_inside(sentences) -> list[str]:
    """The words of these sentences written with a capital (or a hashtag) where no sentence,
    quotation or clause after a colon starts: what ``is_initial`` reads, without making tokens.
    (``SourceSentences`` finds them in its one scan of each sentence.)"""
    return [word for text in sentences for word in language.capitalised_inside(language.gaps_and_words(text))]


def is_name_word(st_text: str, tokens: list[Token], i: int, proper: frozenset[str]) -> bool:
    t = tokens[i]
    if not t.capitalised or t.text == "I" or language.is_number(t.text):
        return False
    if is_initial(st_text, tokens, i):
        return t.lower not in language.STOP_WORDS and language.bare(t.text) in proper
    return True


def _untaken(toks: list[Token], taken: list[Mention]) -> list[bool]:
    """For each word, whether no mention already covers it."""
    free = [True] * len(toks)
    starts = [t.start for t in toks]
    for m in taken:
        for i in range(bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)):
            free[i] = False
    return free


def _name_runs(st: Statement, taken: list[Mention], proper: frozenset[str]) -> list[Mention]:
    """Runs of capitalised words not already taken by a source or entity: "Brian Acton". A
    capitalised word starting a sentence belongs to a run when a name follows it: "John Smith"."""
    toks = st.own
    free = _untaken(toks, taken)
    names = [free[i] and is_name_word(st.text, toks, i, proper) for i in range(len(toks))]
    joined = [i > 0 and st.text[toks[i - 1].end:t.start] == " " and t.clause == toks[i - 1].clause
              for i, t in enumerate(toks)]
    for i, t in enumerate(toks[:-1]):
        if (not names[i] and names[i + 1] and joined[i + 1] and free[i] and t.capitalised
                and is_initial(st.text, toks, i) and t.lower not in language.STOP_WORDS):
            names[i] = True
    runs: list[Mention] = []
    start = None
    for i in range(len(toks) + 1):
        if start is not None and (i == len(toks) or not (names[i] and joined[i])):
            s, e = toks[start].start, toks[i - 1].end
            runs.append(Mention(s, e, st.text[s:e], "name"))
            start = None
        if i < len(toks) and names[i] and start is None:
            start = i
    return runs
