"""Human review, enforced: which reviewers' stamps still hold for each fact, and the rule that
requires them.

A stamp holds while the fact says and cites exactly what the reviewer saw: its digest covers the
statement and, for every citation, the source, the source's pinned sha256, and the exact span
(offsets and text). Any change makes the stamp stale: it is kept in reviews.yaml as history and
shown as such, but it counts for nothing until the fact is reviewed again. A reviewer's latest
current stamp is their verdict.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from factsheet.diagnostics import Report
from factsheet.model import Briefing, Fact, Review, ReviewState

VERDICTS = ("supported", "partly", "unsupported")


def digest(fact: Fact, briefing: Briefing) -> str:
    """What a reviewer saw of a fact: its statement and the exact spans it cites."""
    h = hashlib.sha256()
    fields = [fact.statement]
    for c in fact.citations:
        span = c.span
        pinned = briefing.source(c.source).sha256 if span else ""
        fields += [c.source, pinned, str(span.start if span else ""), str(span.end if span else ""),
                   span.text if span else c.selector.quote]
    for value in fields:
        data = value.encode("utf-8")
        h.update(len(data).to_bytes(8, "big") + data)  # length-prefixed: no two field lists alike
    return h.hexdigest()


def state_of(fact: Fact, stamps: list[Review], briefing: Briefing) -> ReviewState:
    now = digest(fact, briefing)
    latest: dict[str, Review] = {}
    for r in stamps:
        if r.digest == now:
            latest[r.reviewer] = r  # a reviewer's later stamp replaces their earlier one
    current = tuple(latest.values())
    stale = tuple(r for r in stamps if r.digest != now and r.reviewer not in latest)
    if any(r.verdict != "supported" for r in current):
        state = "disputed"
    elif current:
        state = "reviewed"
    elif stale:
        state = "stale"
    else:
        state = "unreviewed"
    return ReviewState(state, current, stale)


def with_states(briefing: Briefing) -> Briefing:
    """The briefing with every fact's review state, when it uses reviews at all."""
    if not briefing.uses_reviews:
        return briefing
    by_fact: dict[str, list[Review]] = {}
    for r in briefing.reviews:
        by_fact.setdefault(r.fact, []).append(r)
    facts = tuple(replace(f, review=state_of(f, by_fact.get(f.id, []), briefing)) for f in briefing.facts)
    return replace(briefing, facts=facts)


def require(briefing: Briefing, report: Report, required: int) -> None:
    """An error for every fact without ``required`` current 'supported' stamps by distinct reviewers."""
    if required <= 0:
        return
    for fact in briefing.facts:
        state = fact.review or ReviewState("unreviewed")
        have = len(state.reviewers)
        if have >= required:
            continue
        why = {"unreviewed": "it has not been reviewed",
               "stale": f"its statement or cited spans changed since {_names(state.stale)} reviewed it",
               "disputed": "a reviewer's verdict is " + ", ".join(
                   f"'{r.verdict}' ({r.reviewer})" for r in state.current if r.verdict != "supported"),
               "reviewed": f"only {_names(state.current)} stamped it 'supported'"}[state.state]
        report.error(fact.location, f"fact '{fact.id}' needs {required} current 'supported' review"
                     f"{'s' * (required != 1)} by distinct reviewers and has {have}: {why}", rule="review",
                     notes=(f"`factsheet review --reviewer NAME {fact.id}` records a review",))


def _names(stamps: tuple[Review, ...]) -> str:
    return ", ".join(dict.fromkeys(r.reviewer for r in stamps)) or "no one"


def summary(briefing: Briefing) -> tuple[int, tuple[str, ...]]:
    """How many facts have at least one current 'supported' stamp, and every reviewer named in a
    current stamp (for the outputs: never more review than the stamps record)."""
    reviewed = sum(1 for f in briefing.facts if f.review and f.review.state == "reviewed")
    names = tuple(dict.fromkeys(r.reviewer for f in briefing.facts if f.review for r in f.review.current))
    return reviewed, names
