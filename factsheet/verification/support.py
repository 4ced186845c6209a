"""The support rules: does what a statement says stand in the sentences it cites?

Each rule compares a statement (a fact's, or a disagreement variant's) with its ``Context``: the
sentences its cited spans sit in, after anchoring's typographic normalisation. This module owns
three of them and the rule functions registered in ``rules.RULES`` for all of them:

- ``names``: every proper name in the statement is named in a cited sentence, directly or through
  an alias declared in ``entities:``; naming a cited source itself ("HotHardware said") is
  supported by citing it.
- ``unsupported-terms``: the statement's content words (stemmed, stop words, figures, names and
  words of attribution left out) that no cited sentence has, with the share that it has.
- ``speaker``: "X said", "X told", "according to X" needs X in a cited sentence, or in the sentence
  before or after a cited quotation (where news text attributes it).

``negation`` and ``hedges`` are in ``polarity``, ``contradiction`` in ``contradiction``. Findings a
fact acknowledges are left out, and stale acknowledgements reported, by ``acknowledge``.
"""

from __future__ import annotations

from factsheet.diagnostics import Report
from factsheet.model import Briefing
from factsheet.verification import acknowledge, contradiction, language, polarity
from factsheet.verification.analysis import Analysis, Finding, Mention, Statement, analyse

# --- names ----------------------------------------------------------------------------------------


def find_names(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        for m in st.mentions:
            if m.kind == "entity" and not set(m.entities) & st.context.entities:
                found.append(Finding("names", st, m.text, f"“{m.text}” in the statement of {st.label} is "
                                     "named in none of its cited sentences", notes=(_declared(an, m),)))
            elif m.kind == "name" and not _name_cited(m.text, st):
                found.append(Finding("names", st, m.text, f"“{m.text}” in the statement of {st.label} is "
                                     "named in none of its cited sentences"))
    return found


def _declared(an: Analysis, m: Mention) -> str:
    e = an.briefing.entities[m.entities[0]]
    return f"declared as '{e.name}'; its names: {', '.join(e.names)}"


def _name_cited(name: str, st: Statement) -> bool:
    """The name as written (case kept), or each of its words, in a cited sentence or in the
    sentence next to a cited quotation (where news text names the speaker)."""
    sentences = st.context.sentences + st.context.nearby
    if any(has_words(s.text, name) for s in sentences):
        return True
    words = {language.bare(w) for s in sentences for w in language.words(s.text)}
    return all(language.bare(w) in words for w in name.split())


# --- unsupported terms ----------------------------------------------------------------------------


def content_words(st: Statement) -> list[str]:
    """The statement's words that carry a claim of their own, lower case, in order."""
    named = [(m.start, m.end) for m in st.mentions]
    return [t.lower for t in st.own
            if language.is_content(t) and not any(a <= t.start < b for a, b in named)]


def supported(word: str, st: Statement) -> bool:
    have = st.context.stems
    if any(s in have for s in language.stems(word)):
        return True
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and all(any(s in have for s in language.stems(p)) for p in parts)


def find_unsupported(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        words = content_words(st)
        missing = list(dict.fromkeys(w for w in words if not supported(w, st)))
        score = (len(words) - sum(w in missing for w in words), len(words))
        for w in missing:
            found.append(Finding("unsupported-terms", st, language.bare(w), f"“{w}” in the statement of "
                                 f"{st.label} is in none of its cited sentences", support=score))
    return found


def _report_unsupported(findings: list[Finding], report: Report) -> None:
    by_statement: dict[int, list[Finding]] = {}
    for f in findings:
        by_statement.setdefault(id(f.statement), []).append(f)
    for group in by_statement.values():
        st = group[0].statement
        have, total = group[0].support
        words = ", ".join(f"“{f.word}”" for f in group)
        report.warning(st.location, f"words of the statement of {st.label} in none of its cited sentences: "
                       f"{words} (support: {have} of {total} content words, {100 * have // total}%)",
                       rule="unsupported-terms")


# --- speaker --------------------------------------------------------------------------------------

_SKIPPABLE = frozenset(["also", "then", "later", "has", "had", "have", "further", "previously", "again", "himself",
                        "herself"])


def speakers(st: Statement) -> list[Mention]:
    """The names a statement makes say something: "X said", "X also told", "according to X",
    "…”, wrote X"."""
    found = []
    for m in st.mentions:
        if m.kind == "source":
            continue
        after = [t for t in st.tokens if t.start >= m.end][:3]
        while after and after[0].lower in _SKIPPABLE:
            after.pop(0)
        before = [t for t in st.tokens if t.end <= m.start][-2:]
        says = bool(after) and after[0].lower in language.SPEECH_VERBS and after[0].clause == _clause(st, m)
        according = [t.lower for t in before] == ["according", "to"]
        inverted = (bool(before) and before[-1].lower in language.SPEECH_VERBS
                    and st.text[:before[-1].start].rstrip()[-1:] in (",", '"'))
        if says or according or inverted:
            found.append(m)
    return found


def _clause(st: Statement, m: Mention) -> int:
    return next((t.clause for t in st.tokens if t.start >= m.start), -1)


def find_speakers(an: Analysis) -> list[Finding]:
    found = []
    for st in an.statements:
        for m in speakers(st):
            if m.kind == "entity" and set(m.entities) & st.context.speakers:
                continue
            if m.kind == "name" and _said_by(m.text, st):
                continue
            found.append(Finding("speaker", st, m.text, f"the statement of {st.label} has {m.text} say it, but no "
                                 f"cited sentence that reports speech, nor one next to a cited quotation, "
                                 f"names {m.text}"))
    return found


def _said_by(name: str, st: Statement) -> bool:
    """The name in a cited sentence that reports speech, or next to a cited quotation."""
    speech = [s for s in st.context.sentences if s.speech] + list(st.context.nearby)
    return any(has_words(s.text, name) for s in speech)


def has_words(text: str, words: str) -> bool:
    """``words`` in ``text``, case kept, not inside a longer word. (A search, not a regular
    expression: one pattern per name compiled on every run cost more than all the matching.)"""
    at = text.find(words)
    while at != -1:
        end = at + len(words)
        if not (at and (text[at - 1].isalnum() or text[at - 1] == "_")) and not (
                end < len(text) and (text[end].isalnum() or text[end] == "_")):
            return True
        at = text.find(words, at + 1)
    return False


# --- the rules, as registered in rules.RULES ---------------------------------------------------------

FINDERS = {
    "names": find_names,
    "negation": polarity.find_negations,
    "hedges": polarity.find_hedges,
    "unsupported-terms": find_unsupported,
    "speaker": find_speakers,
    "contradiction": contradiction.find_contradictions,
}


def _run(rule: str, briefing: Briefing, report: Report) -> None:
    an = analyse(briefing)
    findings = acknowledge.unacknowledged(an.findings(rule, FINDERS[rule]))
    if rule == "unsupported-terms":
        _report_unsupported(findings, report)
        return
    for f in findings:
        report.add(f.statement.location, f.message, severity=f.severity, rule=rule, notes=f.notes)


def names(briefing: Briefing, report: Report) -> None:
    """Every proper name in a statement is named in a cited sentence (or through a declared alias)."""
    _run("names", briefing, report)


def negation(briefing: Briefing, report: Report) -> None:
    """A statement negates what its cited sentence states, or states what it negates."""
    _run("negation", briefing, report)


def hedges(briefing: Briefing, report: Report) -> None:
    """A cited sentence hedges or attributes what the statement states flat."""
    _run("hedges", briefing, report)


def unsupported_terms(briefing: Briefing, report: Report) -> None:
    """Content words of a statement that none of its cited sentences has."""
    _run("unsupported-terms", briefing, report)


def speaker(briefing: Briefing, report: Report) -> None:
    """"X said" needs X in a cited sentence or attributing a cited quotation."""
    _run("speaker", briefing, report)


def contradictions(briefing: Briefing, report: Report) -> None:
    """Two facts asserting the same relation with incompatible values, not recorded as a disagreement."""
    _run("contradiction", briefing, report)


def acknowledgements(briefing: Briefing, report: Report) -> None:
    """An acknowledgement on a fact that no longer matches any finding of its rule."""
    an = analyse(briefing)
    acknowledge.stale(an, {rule: an.findings(rule, finder) for rule, finder in FINDERS.items()}, report)


SUPPORT_RULES = (names, negation, hedges, unsupported_terms, speaker, contradictions, acknowledgements)
