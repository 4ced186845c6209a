"""What a statement is compared with: the sentences its cited spans sit in, and who they name.

This module owns the sources seen as sentences: each source is split once into sentences (a line
is a paragraph; a sentence ends at ``.``, ``!`` or ``?`` before a capital, a quotation mark or a
digit, but not after "Mr" or "U.S."), each sentence normalised as anchoring normalises, cut into
words and stemmed once, and the briefing's declared entities found in it. A pronoun the briefing
declares as an alias ("he") stands for the entity declaring it that the source named last, so
“…,” he said names whoever the source was writing about. A statement's ``Context`` is then the
union of the sentences its spans overlap, plus, where a cited sentence holds a quotation, the
sentence before and after it (news text attributes a quotation in a neighbouring sentence).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import sys
from typing import NamedTuple

from factsheet.model import Entity, Source, Span
from factsheet.verification import language, patterns
from factsheet.verification.language import Token

# A paragraph is a line, except that a line ending in a word hyphenated across the line end (as
# text extracted from a PDF has it) runs on into the next one.
_LINE = re.compile(r"[^\r\n]+")
_HYPHENS = "-\u2010\u2011\u00ad"
_HYPHENATED = re.compile(rf"[^\W\d_][{_HYPHENS}]")  # a letter and a hyphen, where a line ends
_RUNS_ON = re.compile(r"(?:\r\n|\n|\r)[ \t\xa0]*[^\W\d_]")  # one line break, then a letter
_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9#])")
# A word whose dot ends no sentence: "Mr. Wylie", "the U.S. Senate".
_ABBREVIATION = re.compile(r"mr|mrs|ms|dr|st|jr|sr|inc|ltd|co|vs|etc|no|[a-z]|(?:[a-z]\.)+[a-z]", re.IGNORECASE)
# A single quotation mark opening after a space or closing before one, as the source writes it:
# normalised, it is an apostrophe like any other.
_SINGLE_QUOTATION = re.compile(r"(?:^|\s)‘|’(?:\s|$)")


class Sentence:
    """One sentence of a source. Its words (lower case) come from the one scan of its source that
    also finds the proper names it writes; its stems and whether it reports speech are worked out
    when a rule first asks: only the sentences statements cite (and their neighbours) are read
    that closely, and a source's other sentences need only their names, for pronouns to follow.
    Its tokens (words with their places and clauses) are made only for a rule that reads where a
    word stands, in a sentence with a negation or a hedge; stems and speech need the words only."""

    __slots__ = ("_lower", "_speech", "_stems", "_tokens", "end", "entities", "index", "quoted", "source", "start",
                 "text")

    def __init__(self, source: str, index: int, start: int, end: int, text: str, entities: frozenset[int],
                 quoted: bool, lower: tuple[str, ...] | None = None):
        self.source = source
        self.index = index  # in its source's sentences
        self.start = start  # code points in the source text, half-open
        self.end = end
        self.text = text  # normalised typography
        self.entities = entities  # indexes into Briefing.entities: named, or a pronoun resolved
        self.quoted = quoted  # holds a quotation mark
        self._tokens: tuple[Token, ...] | None = None
        self._lower = lower  # given by the scan that split its source, or made on first use
        self._stems: frozenset[str] | None = None
        self._speech: bool | None = None

    @property
    def tokens(self) -> tuple[Token, ...]:
        if self._tokens is None:
            self._tokens = tuple(language.tokens(self.text))
        return self._tokens

    @property
    def lower(self) -> tuple[str, ...]:
        """Its words in lower case, in order: each token's ``lower``."""
        if self._lower is None:
            if self._tokens is not None:
                self._lower = tuple(t.lower for t in self._tokens)
            else:
                self._lower = lowered_words(language.gaps_and_words(self.text))
        return self._lower

    @property
    def negates(self) -> bool:
        """Holds a negation ("not", "never", "didn't", …)."""
        # One look at its words for the listed negations; a word ending in "n't" needs "n't" in
        # the text (in any case), which most sentences do not hold.
        return not language.NEGATIONS.isdisjoint(self.lower) or (
            "n't" in self.text.lower() and any(map(language.is_negation, self.lower)))

    @property
    def stems(self) -> frozenset[str]:
        if self._stems is None:
            # ``language.stems`` is memoised in C: mapped over the words, no Python runs per word.
            words = self.lower
            stems = set(itertools.chain.from_iterable(map(language.stems, words)))
            if "-" in self.text:  # the parts of a hyphenated word count too
                stems |= language.stem_set(p for w in words if "-" in w for p in w.split("-"))
            self._stems = frozenset(stems)
        return self._stems

    @property
    def speech(self) -> bool:
        """Holds a quotation or a verb of saying: it can say who says something."""
        if self._speech is None:
            self._speech = self.quoted or any(map(language.is_speech, self.lower))
        return self._speech


def split(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as [start, end) ranges: one line is one paragraph."""
    found = []
    for first, last in paragraphs(text):
        start = first
        for m in _END.finditer(text, first, last):
            if _ends_in_abbreviation(text, start, m.start()):
                continue
            found.append((start, m.end()))
            start = m.end() + 1
            while start < last and text[start].isspace():
                start += 1
        if text[start:last].strip():
            found.append((start, last))
    return found


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of a text as [start, end) ranges: its non-empty lines, a line that ends in
    a hyphenated word run on into the next. Lines are found by one plain scan and only a line
    ending in a hyphen is looked at again (one pattern that matched a hyphenated line end at
    every line backtracked through each line: 70% of the time of splitting a source)."""
    found = []
    start = None
    for line in _LINE.finditer(text):
        if start is None:
            start = line.start()
        end = line.end()
        body = text[line.start():end].rstrip(" \t\xa0")
        if (body[-1:] in _HYPHENS and body and _HYPHENATED.match(body, len(body) - 2)
                and _RUNS_ON.match(text, end)):
            continue
        found.append((start, end))
        start = None
    return found


def _ends_in_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether the last word of ``text[start:end]`` is an abbreviation. Only that word is read,
    from its end: a search of the sentence so far for one at its end read the whole of it again
    at every full stop, so a paragraph of abbreviations took time growing with its length squared.
    The start of the paragraph starts a word too, so "Dr. Kogan" opening a paragraph is one
    sentence, and so does an opening bracket or quotation mark: "(Mr. Brown"."""
    i = end
    while i > start and not text[i - 1].isspace():
        i -= 1
    return _ABBREVIATION.fullmatch(text, i + _opening_marks(text, i, end), end) is not None


def _opening_marks(text: str, start: int, end: int) -> int:
    n = 0
    while start + n < end and text[start + n] in _OPENING:
        n += 1
    return n


_OPENING = "\"\u201c\u2018'(["


class Entities:
    """The briefing's entities as one matcher: every name and alias found in a text at once."""

    def __init__(self, entities: tuple[Entity, ...]):
        self.entities = entities
        self.literal: dict[str, tuple[int, ...]] = {}  # casefolded name -> entities (case-insensitive)
        self.acronym: dict[str, tuple[int, ...]] = {}  # names with no lower-case letter, case kept
        self.pronoun: dict[str, tuple[int, ...]] = {}
        for i, e in enumerate(entities):
            for name in e.names:
                name = language.normalise(name)
                table = (self.pronoun if name.lower() in language.PRONOUNS
                         else self.literal if any(c.islower() for c in name) else self.acronym)
                key = name.lower() if table is not self.acronym else name
                table[key] = tuple(dict.fromkeys(table.get(key, ()) + (i,)))
        self._literal = _alternation(self.literal, re.IGNORECASE)
        self._acronym = _alternation(self.acronym, 0)
        self._pronoun = _alternation(self.pronoun, re.IGNORECASE)

    def names_in(self, text: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """Every non-pronoun mention in a normalised text: (start, end, entities), longest first
        where two overlap."""
        found = [(m.start(), m.end(), self.literal[m.group().lower()]) for m in _finditer(self._literal, text)]
        found += [(m.start(), m.end(), self.acronym[m.group()]) for m in _finditer(self._acronym, text)]
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        kept: list[tuple[int, int, tuple[int, ...]]] = []
        for f in found:
            if not kept or f[0] >= kept[-1][1]:
                kept.append(f)
        return kept

    def pronouns_in(self, text: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group().lower()) for m in _finditer(self._pronoun, text)]


def _alternation(table: dict[str, tuple[int, ...]], flags: int) -> re.Pattern[str] | None:
    if not table:
        return None
    return re.compile(r"(?<![\w#])(?:" + patterns.alternation(table) + r")(?![\w])", flags)


def _finditer(pattern: re.Pattern[str] | None, text: str):
    return pattern.finditer(text) if pattern is not None else ()


class SourceSentences:
    """One source as sentences, with the entities each names (pronouns resolved in reading order)."""

    def __init__(self, source: Source, entities: Entities):
        self.source = source
        self.sentences: list[Sentence] = []
        # Its words written with a capital where no sentence starts (proper names, for the names
        # rule), found in the one scan that also gives each sentence its words.
        self.capitalised: list[str] = []
        last_seen: dict[int, int] = {}  # entity -> order of its latest mention
        order = 0
        ranges = split(source.text)
        texts = language.normalise_parts(source.text, ranges)
        for i, ((start, end), text) in enumerate(zip(ranges, texts, strict=True)):
            named: set[int] = set()
            # (start, what is there): a name's entities (a tuple), or a pronoun (a str)
            events: list[tuple[int, tuple[int, ...] | str]] = [(s, ents) for s, _, ents in entities.names_in(text)]
            events += [(s, p) for s, p in entities.pronouns_in(text)]
            for _, value in sorted(events, key=lambda e: e[0]):
                order += 1
                if isinstance(value, tuple):  # a name
                    named.update(value)
                    last_seen.update(dict.fromkeys(value, order))
                else:
                    heard = [e for e in entities.pronoun[value] if e in last_seen]
                    if heard:
                        named.add(max(heard, key=last_seen.__getitem__))
            pairs = language.gaps_and_words(text)
            self.capitalised += language.capitalised_inside(pairs)
            self.sentences.append(Sentence(source.id, i, start, end, text, frozenset(named),
                                           _holds_quotation(text, source.text[start:end]), lowered_words(pairs)))
        self._starts = [s.start for s in self.sentences]

    def around(self, span: Span) -> list[Sentence]:
        """The sentences a span overlaps (at least one)."""
        if not self.sentences:
            return []
        first = max(0, bisect.bisect_right(self._starts, span.start) - 1)
        last = max(first, bisect.bisect_left(self._starts, span.end) - 1)
        return self.sentences[first:last + 1]

    def neighbours(self, sentence: Sentence) -> list[Sentence]:
        i = sentence.index
        return [self.sentences[j] for j in (i - 1, i + 1) if 0 <= j < len(self.sentences)]


def lowered_words(pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    """The words of a ``gaps_and_words`` scan in lower case, as each token's ``lower`` has them.
    Interned: every sentence of every source keeps its words, and most are the same few thousand."""
    return tuple(map(sys.intern, map(str.lower, map(_WORD, pairs))))


_WORD = operator.itemgetter(1)


def _holds_quotation(text: str, raw: str) -> bool:
    """Whether a sentence (normalised, and as the source writes it) holds a quotation mark: a
    double one, or a single one where it opens or closes a quotation (‘major breach of trust’)."""
    return '"' in text or (("‘" in raw or "’" in raw) and _SINGLE_QUOTATION.search(raw) is not None)


class Context(NamedTuple):
    """What a statement's citations give it to rest on."""

    sentences: tuple[Sentence, ...]  # the sentences the cited spans sit in, in source order
    nearby: tuple[Sentence, ...]  # the neighbours of those that hold a quotation
    spans: tuple[Span, ...]
    sources: tuple[Source, ...]  # the distinct cited sources
    stems: frozenset[str]
    entities: frozenset[int]  # named in a cited sentence or in a neighbour of a cited quotation
    speakers: frozenset[int]  # named in a cited sentence that reports speech, or in such a neighbour
    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sentences)


def context(spans: tuple[Span, ...], by_source: dict[str, SourceSentences]) -> Context:
    """The cited sentences of a statement and what they name."""
    sentences: dict[tuple[str, int], Sentence] = {}
    for span in spans:
        for s in by_source[span.source].around(span):
            sentences[(s.source, s.index)] = s
    nearby: dict[tuple[str, int], Sentence] = {}
    for s in list(sentences.values()):
        if s.quoted:
            for n in by_source[s.source].neighbours(s):
                nearby.setdefault((n.source, n.index), n)
    cited = tuple(sentences[k] for k in sorted(sentences))
    near = tuple(v for k, v in sorted(nearby.items()) if k not in sentences)
    near_entities: frozenset[int] = frozenset().union(*(s.entities for s in near))
    named = near_entities.union(*(s.entities for s in cited))
    speakers = near_entities.union(*(s.entities for s in cited if s.speech))
    stems = frozenset().union(*(s.stems for s in cited)) if cited else frozenset()
    # Distinct by id: a Source is a frozen dataclass, hashed field by field, text and all.
    sources = tuple({sp.source: by_source[sp.source].source for sp in spans}.values())
    return Context(cited, near, spans, sources, stems, named, speakers)
