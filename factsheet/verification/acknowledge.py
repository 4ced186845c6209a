"""Acknowledged findings: what a fact's ``accept:`` entries leave out, and which of them are stale.

A fact may acknowledge a support finding with a reason (``accept: [{rule, words, reason}]``): the
finding is then not reported. ``words`` names the findings it covers (a name, a word, a cue), in
any case and, for words, in any form with the same stem; without ``words`` it covers every finding
of that rule on that fact. An acknowledgement that matches nothing the rule finds any more is
itself reported (``[accept]``), so acknowledgements never outlive the problem they explained.
"""

from __future__ import annotations

from factsheet.diagnostics import Report
from factsheet.model import Accept
from factsheet.verification import language
from factsheet.verification.analysis import Analysis, Finding


def _same(written: str, found: str) -> bool:
    a, b = language.normalise(written).casefold(), language.normalise(found).casefold()
    return a == b or bool(set(language.stems(a)) & set(language.stems(b)))


def covers(accept: Accept, finding: Finding) -> bool:
    return accept.rule == finding.rule and (not accept.words or any(_same(w, finding.word) for w in accept.words))


def unacknowledged(findings: list[Finding]) -> list[Finding]:
    """The findings no acknowledgement on their fact covers."""
    return [f for f in findings
            if not (f.statement.fact and any(covers(a, f) for a in f.statement.fact.accepts))]


def stale(an: Analysis, by_rule: dict[str, list[Finding]], report: Report) -> None:
    """Report every acknowledgement, or word of one, that matches no finding of its rule."""
    by_statement: dict[tuple[int, str], list[Finding]] = {}
    for rule, findings in by_rule.items():
        for f in findings:
            by_statement.setdefault((id(f.statement), rule), []).append(f)
    for st in an.statements:
        if st.fact is None or not st.fact.accepts:
            continue
        for a in st.fact.accepts:
            here = by_statement.get((id(st), a.rule), [])
            if not here:
                report.warning(a.location, f"fact '{st.fact.id}' acknowledges a [{a.rule}] finding, but "
                               f"that rule finds nothing in it now: remove the acknowledgement", rule="accept")
                continue
            unused = [w for w in a.words if not any(_same(w, f.word) for f in here)]
            if unused:
                report.warning(a.location, f"fact '{st.fact.id}' acknowledges [{a.rule}] findings "
                               f"{', '.join(f'“{w}”' for w in unused)} that the rule no longer makes: "
                               "remove them", rule="accept",
                               notes=(f"it finds: {', '.join(f'“{f.word}”' for f in here)}",))
