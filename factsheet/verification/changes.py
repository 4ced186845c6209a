"""What changed between two versions of a briefing, fact by fact: the comparison the corrections
rule, ``factsheet diff`` and the outputs' corrections section share.

A fact *changed* when its statement changed or when what it rests on changed: the set of cited
passages (source and exact words). Offsets alone moving (a source re-captured with the same words
elsewhere) is not a change to what it says or rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model import Briefing, Fact, ReleasedFact


def released(fact: Fact) -> ReleasedFact:
    """A current fact in the form a release records it."""
    spans = tuple((c.source, c.span.start, c.span.end, c.span.text) for c in fact.citations if c.span)
    return ReleasedFact(fact.id, fact.section, fact.statement, spans)


def current(briefing: Briefing) -> dict[str, ReleasedFact]:
    return {f.id: released(f) for f in briefing.facts}


@dataclass(frozen=True)
class FactChange:
    id: str
    change: str  # "added" | "removed" | "changed"
    old: ReleasedFact | None
    new: ReleasedFact | None

    @property
    def statement_changed(self) -> bool:
        return bool(self.old and self.new and self.old.statement != self.new.statement)

    @property
    def cited_added(self) -> list[tuple[str, str]]:
        return sorted(_rests_on(self.new) - _rests_on(self.old))

    @property
    def cited_removed(self) -> list[tuple[str, str]]:
        return sorted(_rests_on(self.old) - _rests_on(self.new))


def _rests_on(fact: ReleasedFact | None) -> set[tuple[str, str]]:
    return {(source, text) for source, _, _, text in fact.spans} if fact else set()


def changes(old: dict[str, ReleasedFact], new: dict[str, ReleasedFact]) -> list[FactChange]:
    """Every fact added, removed or changed from ``old`` to ``new``, in ``new``'s order, removed last."""
    found = []
    for fid, fact in new.items():
        before = old.get(fid)
        if before is None:
            found.append(FactChange(fid, "added", None, fact))
        elif before.statement != fact.statement or _rests_on(before) != _rests_on(fact):
            found.append(FactChange(fid, "changed", before, fact))
    found += [FactChange(fid, "removed", fact, None) for fid, fact in old.items() if fid not in new]
    return found
