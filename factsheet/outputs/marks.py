"""What every output says about a fact beyond its statement: that one source alone supports it,
and, when the briefing uses reviews, that it is not (or no longer) reviewed or that a reviewer
disputes it. One wording for all outputs; never more review than the stamps record."""

from __future__ import annotations

from factsheet.model import Briefing, Fact
from factsheet.verification.review import summary

SINGLE_SOURCE = "single source"
_REVIEW_MARKS = {"unreviewed": "not reviewed", "stale": "not reviewed", "disputed": "disputed"}


def review_mark(fact: Fact) -> str | None:
    """"not reviewed" (never, or not since it changed), "disputed", or None (reviewed, or the
    briefing does not use reviews)."""
    if fact.review is None:
        return None
    return _REVIEW_MARKS.get(fact.review.state)


def review_line(briefing: Briefing) -> str | None:
    """``12 of 73 facts reviewed · 2 reviewers: independent check 1, independent check 2 · 1 disputed``
    (a fact counts as reviewed when every current stamp on it says 'supported'), or None."""
    if not briefing.uses_reviews:
        return None
    reviewed, names = summary(briefing)
    total = len(briefing.facts)
    parts = [f"{reviewed} of {total} fact{'s' * (total != 1)} reviewed"]
    if names:
        parts.append(f"{len(names)} reviewer{'s' * (len(names) != 1)}: {', '.join(names)}")
    disputed = sum(1 for f in briefing.facts if f.review and f.review.state == "disputed")
    if disputed:
        parts.append(f"{disputed} disputed")
    return " · ".join(parts)
