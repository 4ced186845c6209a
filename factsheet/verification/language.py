"""The words of English news prose, as the support rules see them: tokens, stems and cue lists.

This module owns everything language-specific the support checks use: how text is cut into words
(after the same typographic normalisation anchoring uses, so a curly apostrophe in a source and a
straight one in a statement are the same word), which words carry no claim (stop words; words of
attribution and framing such as "said" or "report"), the stems words are compared by (Snowball's
English stemmer, from the maintained ``snowballstemmer`` package), and the cues the rules look for:
negations, hedges and verbs of saying. It knows nothing of briefings or sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from factsheet.verification.anchor import FOLD_CHARS, LIGATURES, normalise_quote, plain, unwrapped

# A word: letters and digits, with inner apostrophes, ampersands, dots of initialisms (U.S.) and
# hyphens kept inside; a hashtag is one word.
_WORD = re.compile(r"#\w+|(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)+|\w+(?:['&.-]\w+)*", re.UNICODE)
# Where a clause ends: punctuation, and a dash standing between spaces (not a hyphen in a word).
CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]\"]| - ")
# What stands before a word (anything that cannot start one), then the word: a word's own dots
# and commas ("U.S.", "5,000") are the word's, not breaks.
# (The gap written as a run of characters that start no word, then of lone '#', each followed by
# such a run: a fifth faster to match than an alternation tried at every character.)
_GAP_AND_WORD = re.compile(rf"([^\w#]*(?:#(?!\w)[^\w#]*)*)({_WORD.pattern})", re.UNICODE)


class Token(NamedTuple):
    # A named tuple: texts are cut into many thousands of words, and a tuple is built fastest.
    text: str  # as written (normalised typography)
    start: int  # in the normalised text it was cut from
    end: int
    lower: str
    clause: int  # clauses counted from the start of the text: cues act within their clause
    negation: bool  # "not", "never", "didn't", …
    comparable: bool  # neither a stop word, a negation nor a figure: a word two texts can share

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() or self.text.startswith("#")


def tokens(text: str) -> list[Token]:
    """The words of an already normalised text, each with its place and clause number."""
    # One C-level pass cuts the text into (gap, word) pairs; no word can start inside a gap, so
    # the gaps hold exactly the clause breaks between words. Most gaps are one space.
    out = []
    clause = pos = 0
    make = tuple.__new__  # what Token(...) does, without its keyword handling
    for gap, word in gaps_and_words(text):
        if gap and gap != " ":
            clause += len(CLAUSE_BREAK.findall(gap))
        start = pos + len(gap)
        pos = start + len(word)
        lower, negation, comparable = _kind(word)
        out.append(make(Token, (word, start, pos, lower, clause, negation, comparable)))
    return out


def gaps_and_words(text: str) -> list[tuple[str, str]]:
    """What ``tokens`` cuts a text into, without making tokens: (what precedes a word, the word),
    in order, together the whole text up to its last word."""
    # The scan stops after the last word: a gap that no word follows would be tried again from
    # each of its characters, time growing with its length squared (4,000 '[' took 2 s).
    # No word ends past the character after the last word character (an initialism's dot), found
    # from the end: a text ends in a word or a few marks after one.
    last = len(text) - 1
    while last >= 0 and not (text[last].isalnum() or text[last] == "_"):  # what \w is
        last -= 1
    return _GAP_AND_WORD.findall(text, 0, last + 2) if last >= 0 else []


def words(text: str) -> list[str]:
    """The words of an already normalised text, as ``tokens`` cuts them, without their places."""
    return [word for _, word in gaps_and_words(text)]


# What starts a sentence, a quotation or a clause after a colon, standing before a word: there a
# capital letter says nothing about a proper name.
OPENERS = frozenset(".!?:;\"(")


def capitalised_inside(pairs: list[tuple[str, str]]) -> list[str]:
    """The words of one text's ``gaps_and_words`` written with a capital (or a hashtag) where no
    sentence, quotation or clause after a colon starts: its first word never is."""
    return [word for gap, word in pairs[1:]
            if (word[0].isupper() or word[0] == "#") and OPENERS.isdisjoint(gap)
            and not gap.endswith("'") and gap.strip() != "'"]


def is_negation(word: str) -> bool:
    """Whether a word (as written, or lower case) is a negation, as a token's ``negation`` says."""
    return _kind(word)[1]


@lru_cache(maxsize=65536)
def _kind(word: str) -> tuple[str, bool, bool]:
    # Per distinct word, not per occurrence: a text repeats most of its words.
    lower = word.lower()
    negation = lower in NEGATIONS or lower.endswith("n't")
    return lower, negation, not (negation or len(lower) < 2 or lower in STOP_WORDS or is_number(lower))


_LIGATURE_TABLE = str.maketrans({**LIGATURES, **dict.fromkeys("\u00ad\u200b\u2060\ufeff")})


def normalise(text: str) -> str:
    """Typography made plain as anchoring reads it: quotes, dashes and spaces, and what PDFs and
    web pages put inside words (ligatures, soft hyphens, a word hyphenated across a line end)."""
    return normalise_quote(unwrapped(text).translate(_LIGATURE_TABLE))


def normalise_parts(text: str, ranges: list[tuple[int, int]]) -> list[str]:
    """``normalise`` of each ``text[start:end]``, the text's one-for-one mapping made once: a
    part with nothing that folds (no line end, invisible character, ligature or double space),
    as most sentences are, is then its slice of the mapping."""
    mapped = plain(text)
    out = []
    for start, end in ranges:
        part = mapped[start:end]
        if "  " in part or not FOLD_CHARS.isdisjoint(text[start:end]):
            part = normalise(text[start:end])
        out.append(part.strip(" "))
    return out


# --- words that carry no claim ---------------------------------------------------------------------

STOP_WORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "almost", "also", "although", "am", "among", "an", "and", "another", "any", "anyone", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "like", "many", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "quite", "rather", "same", "several", "shall", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "whatever", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves", "i'm", "it's", "that's", "there's", "he's", "she's", "they're", "we're", "you're", "i've", "we've", "they've", "i'd", "we'd", "they'd", "he'd", "she'd", "i'll", "we'll", "they'll", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "can't", "cannot", "won't", "wouldn't", "shouldn't", "couldn't", "hasn't", "haven't", "hadn't", "let's", "what's", "who's", "mr", "mrs", "ms", "dr", "st"])

# Words of attribution and framing: they say who says something, not what is claimed, so a
# statement may add them ("the report said", "according to", "quoted him") without a cited word.
FRAMING = frozenset(["say", "says", "said", "saying", "tell", "tells", "told", "telling", "write", "writes", "wrote", "written", "writing", "report", "reports", "reported", "reporting", "according", "accord", "quote", "quotes", "quoted", "quoting", "cite", "cites", "cited", "citing", "call", "calls", "called", "describe", "describes", "described", "add", "adds", "added", "note", "notes", "noted", "state", "states", "stated", "put", "puts", "give", "gives", "gave", "given", "outlet", "outlets", "source", "sources", "article", "articles", "story", "stories", "account", "accounts", "version", "versions", "word", "words", "wording", "phrase", "text", "headline", "claim", "claims", "claimed", "speak", "spoke", "spoken", "sic", "earlier", "later", "unclear", "leave", "leaves", "refer", "refers", "reconcile", "figure", "figures", "line", "answer", "continue", "summarise", "summarize", "date", "dates", "judge", "sentence", "separately", "unqualified", "quotation", "mention"])

# Pronouns a briefing may declare as an entity's alias; they are resolved, never matched as names.
PRONOUNS = frozenset(["he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them", "their", "theirs", "it", "its", "we", "us", "our", "ours"])

# --- cues ------------------------------------------------------------------------------------------

NEGATIONS = frozenset(["not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot", "n't"])
NEGATION_WINDOW = 3  # a negation governs the next few words of its clause ("not entirely against")

# Hedges of likelihood or report: the source does not vouch for what follows in its clause. A
# statement keeps a hedge only with one of the same family: "could" does not keep "it appears".
HEDGE_FAMILIES = {
    "appearance": ("apparently", "seemingly", "seem to", "seems to", "seemed to", "appear to",
                   "appears to", "appeared to", "it appears", "it appeared"),
    "report": ("reportedly", "reported", "reports"),
    "allegation": ("allegedly", "alleged", "allegation", "allegations", "purportedly", "supposedly",
                   "it was claimed", "is claimed", "claimed", "claims", "claim"),
    "possibility": ("may", "might", "could", "possibly", "perhaps", "likely", "unlikely", "probably",
                    "believed to", "thought to", "suggests", "believes"),
    "rumour": ("rumoured", "rumored", "unconfirmed"),
}
# What a source hedges with ("reported" and "claim" are also plain reporting, not hedges there).
HEDGES = tuple(c for cues in HEDGE_FAMILIES.values() for c in cues
               if c not in ("reported", "reports", "claim", "believes"))
FAMILY = {c: family for family, cues in HEDGE_FAMILIES.items() for c in cues}
# Attribution to a third party: the whole sentence is someone's account, not the outlet's own.
ATTRIBUTIONS = ("according to", "say experts", "experts say", "said to", "sources say", "it is understood")
# What a statement may use to keep the hedge: any hedge, or (for an attribution) any saying.
STATEMENT_ATTRIBUTION = ("said", "says", "say", "told", "wrote", "writes", "according to", "cited",
                         "citing", "cites", "quoted", "quotes", "reported", "reports", "claimed",
                         "calls", "called", "describes", "described", "added", "adds", "without saying")

SPEECH_VERBS = frozenset(["said", "says", "say", "told", "tells", "wrote", "writes", "added", "adds", "stated", "states", "admitted", "admits", "claimed", "claims", "argued", "argues", "warned", "warns", "explained", "explains", "announced", "announces", "insisted", "insists", "acknowledged", "acknowledges", "revealed", "reveals", "promised", "promises", "predicted", "predicts", "called", "calls", "asked", "asks"])

SPEECH_STEMS = frozenset(["say", "tell", "write", "add", "state", "admit", "claim", "argu", "warn", "explain", "announc", "insist", "acknowledg", "reveal", "promis", "predict", "call", "ask", "continu", "quot", "describ"])


@lru_cache(maxsize=65536)
def is_speech(word: str) -> bool:
    """A verb of saying, in any form ("stating", "told")."""
    return bool(set(stems(word)) & SPEECH_STEMS)


WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
MONTHS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])


# "may" next to a number is the month ("on 3 May", "May 2018"), not a hedge.
_MAY = r"(?<!\d\s)may(?!\s+\d)"


def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive, word-bounded pattern for a list of single- or multi-word cues."""
    alternatives = sorted((re.escape(c).replace(r"\ ", r"\s+") for c in cues), key=len, reverse=True)
    alternatives = [_MAY if a == "may" else a for a in alternatives]
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])", re.IGNORECASE)


class CuePattern:
    """A cue list's pattern, tried only on a text that can hold one of the cues. The pattern opens
    with a look-behind, so the engine tries it at every position of a text: nine tenths of the
    hedges rule, over sentences that nearly all hold no cue. In an ASCII text, each word of a cue
    the pattern finds is a whole run of letters of the text in lower case (no letter may stand
    before or after a cue, nor between its words): runs that hold all the words of no cue, none.
    """

    def __init__(self, cues: tuple[str, ...]):
        self.pattern = cue_pattern(cues)
        self._cues = [frozenset(c.lower().split()) for c in cues]
        self._words = frozenset().union(*self._cues)
        assert all(w.isascii() and w.isalpha() for w in self._words)

    def finditer(self, text: str, runs: set[str] | None) -> Iterator[re.Match[str]]:
        """The pattern's matches in ``text``, whose ``letter_runs`` are ``runs``."""
        if runs is not None and (self._words.isdisjoint(runs) or not any(cue <= runs for cue in self._cues)):
            return iter(())
        return self.pattern.finditer(text)


def letter_runs(text: str) -> set[str] | None:
    """The runs of letters of an ASCII text, in lower case; None for a text beyond ASCII, where a
    case-insensitive pattern reaches further ("ſ" is an "s", "K" (Kelvin) a "k")."""
    return set(text.lower().translate(_LETTER_RUNS).split()) if text.isascii() else None


# Every ASCII character but a letter becomes a space: what is left, split, is the runs of letters.
_LETTER_RUNS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalpha()})

HEDGE_CUES = CuePattern(HEDGES)
FAMILY_CUES = cue_pattern(tuple(FAMILY))
ATTRIBUTION_CUES = CuePattern(ATTRIBUTIONS)
STATEMENT_ATTRIBUTION_CUES = cue_pattern(STATEMENT_ATTRIBUTION)


def hedge_families(text: str) -> set[str]:
    """The families of the hedges a text uses."""
    return {FAMILY[" ".join(m.group().lower().split())] for m in FAMILY_CUES.finditer(text)}


def is_number(word: str) -> bool:
    """Figures belong to the figures rule: digits, and number words."""
    # Most words are letters only: the regular expression is for the few that are not.
    return word.lower() in _NUMBER_WORDS or (not word.isalpha() and bool(_DIGIT.search(word)))


_DIGIT = re.compile(r"\d")


_NUMBER_WORDS = frozenset(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion"])


def is_content(token: Token) -> bool:
    """A word that carries a claim: not a stop word, a word of framing, a negation or a figure."""
    word = bare(token.lower)
    return token.comparable and len(word) > 1 and word not in STOP_WORDS and not is_framing(word)


@lru_cache(maxsize=65536)
def is_framing(word: str) -> bool:
    """A word of attribution or framing, in any of its forms."""
    return bool(set(stems(word)) & _framing_stems())


@lru_cache(maxsize=1)
def _framing_stems() -> frozenset[str]:
    # By stem, so every form of a word of framing is one: "adding" as well as "added".
    return frozenset(stem_set(FRAMING))


# --- stems -----------------------------------------------------------------------------------------

_BRITISH = re.compile(r"(?<=\w\w\w)is(e|ed|es|ing|ation|ations)$")


@lru_cache(maxsize=65536)
def bare(word: str) -> str:
    """A word without a possessive ending or outer dots: "facebook's" -> "facebook"."""
    word = word.strip(".")
    if word.endswith("'s") or word.endswith("s'"):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    return word


@lru_cache(maxsize=1)
def _stemmer():
    # Imported on first use: `factsheet check` pays for the stemmer only when it has statements.
    from snowballstemmer import stemmer

    return stemmer("english")


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The stems a (lower-case) word is compared by. British "-ise" spellings also give the stem
    of their "-ize" twin, so "apologised" meets "apologize" ("apolog")."""
    word = bare(word)
    word = UNITS.get(word, IRREGULAR.get(word, word))
    found = [_stemmer().stemWord(word)]
    american = _BRITISH.sub(lambda m: "iz" + m.group(1), word) if "is" in word else word
    if american != word:
        found.append(_stemmer().stemWord(american))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=65536)
def stem_group(word: str) -> frozenset[str]:
    """A word's stems as a set, made once per word."""
    return frozenset(stems(word))


def stem_set(words) -> set[str]:
    """Every stem of every word given (lower case)."""
    out: set[str] = set()
    for w in words:
        out.update(stems(w))
    return out


# Abbreviated units read as the words they stand for: "1.2 km" meets "1.2 kilometres".
UNITS = dict(pair.split(":") for pair in ["km:kilometre", "kms:kilometres", "m:metre", "cm:centimetre", "mm:millimetre", "kg:kilogram", "kgs:kilograms", "g:gram", "mi:mile", "mph:miles-per-hour", "kph:kilometres-per-hour", "kw:kilowatt", "kwh:kilowatt-hour", "mw:megawatt", "mwh:megawatt-hour", "gw:gigawatt", "gwh:gigawatt-hour", "l:litre", "ml:millilitre", "ha:hectare", "sq:square", "hr:hour", "hrs:hours", "min:minute", "mins:minutes", "sec:second", "secs:seconds", "yr:year", "yrs:years"])

# Irregular past forms the stemmer leaves alone: "built" must meet "build", "went" meet "go".
IRREGULAR = dict(pair.split(":") for pair in ["arose:arise", "awoke:awake", "bore:bear", "beat:beat", "became:become", "began:begin", "begun:begin", "bent:bend", "bet:bet", "bound:bind", "bit:bite", "bitten:bite", "bled:bleed", "blew:blow", "blown:blow", "broke:break", "broken:break", "brought:bring", "built:build", "burnt:burn", "bought:buy", "caught:catch", "chose:choose", "chosen:choose", "came:come", "cost:cost", "dealt:deal", "dug:dig", "did:do", "done:do", "drew:draw", "drawn:draw", "drank:drink", "drove:drive", "driven:drive", "ate:eat", "eaten:eat", "fell:fall", "fallen:fall", "fed:feed", "felt:feel", "fought:fight", "found:find", "fled:flee", "flew:fly", "flown:fly", "forbade:forbid", "forgot:forget", "forgotten:forget", "forgave:forgive", "froze:freeze", "frozen:freeze", "got:get", "gotten:get", "gave:give", "given:give", "went:go", "gone:go", "grew:grow", "grown:grow", "hung:hang", "had:have", "heard:hear", "hid:hide", "hidden:hide", "held:hold", "kept:keep", "knew:know", "known:know", "laid:lay", "led:lead", "left:leave", "lent:lend", "lost:lose", "made:make", "meant:mean", "met:meet", "paid:pay", "quit:quit", "ran:run", "rang:ring", "rose:rise", "risen:rise", "said:say", "saw:see", "seen:see", "sought:seek", "sold:sell", "sent:send", "set:set", "shook:shake", "shaken:shake", "shone:shine", "shot:shoot", "shut:shut", "sang:sing", "sung:sing", "sank:sink", "sat:sit", "slept:sleep", "slid:slide", "spoke:speak", "spoken:speak", "spent:spend", "spun:spin", "split:split", "spread:spread", "stood:stand", "stole:steal", "stolen:steal", "stuck:stick", "struck:strike", "swore:swear", "sworn:swear", "swept:sweep", "swam:swim", "swung:swing", "took:take", "taken:take", "taught:teach", "tore:tear", "torn:tear", "told:tell", "thought:think", "threw:throw", "thrown:throw", "understood:understand", "woke:wake", "woken:wake", "wore:wear", "worn:wear", "won:win", "withdrew:withdraw", "withdrawn:withdraw", "wrote:write", "written:write", "undertook:undertake", "overtook:overtake"])
