"""Drift: re-locating the citations of sources whose bytes no longer match their pinned sha256.

Each citation of a drifted source is looked for in three steps, and the first that finds it wins:

1. exact        the quote's own code points, at word edges;
2. normalised   ignoring typographic differences only (see ``anchor``);
3. fuzzy        a scored alignment (rapidfuzz) — accepted only when the quote is long enough to
                be recognisable (``MIN_FUZZY_CHARS``), the score reaches ``MIN_SCORE``, no other
                passage scores as well, and no word changed beyond its spelling (a changed word,
                and any changed digit, is a changed quote: the curator must look).

A citation that is not found stays an error, with the best candidate shown. ``write`` puts the
new offsets (and, after a fuzzy match, the source's new words) and the new sha256 back into the
YAML files by replacing just those scalars' text, so comments and layout are kept byte for byte.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass

from factsheet.diagnostics import Report
from factsheet.model import Briefing, ContentFile, NodePath, Selector, Source
from factsheet.verification.anchor import Index, Match, normalise_quote, word_diff
from factsheet.verification.fuzzy import Candidate, candidates, word_likeness

MIN_SCORE = 90.0
MIN_FUZZY_CHARS = 30
MIN_WORD_LIKENESS = 75.0
RULE = "reanchor"


@dataclass(frozen=True, slots=True)
class Proposal:
    """Where one citation of a drifted source is now, or why it could not be placed."""

    selector: Selector
    new: tuple[int, int] | None
    method: str  # "exact" | "normalised" | "fuzzy" | "accepted" (by the curator) | "" when not placed
    score: float
    text: str = ""  # the source's words at ``new``
    candidate: tuple[int, int] | None = None  # the best passage found, when not placed
    # The passages the fuzzy search found, best first, for the report of one not placed (a second
    # search for them doubled the time of re-anchoring long quotes in a long source).
    found: tuple[Candidate, ...] = ()

    @property
    def new_quote(self) -> bool:
        """True when the source's words at ``new`` become the citation's quote."""
        return self.method in ("fuzzy", "accepted")

    @property
    def old(self) -> tuple[int, int] | None:
        s = self.selector
        return (s.start, s.end) if s.start is not None and s.end is not None else None


def drifted(briefing: Briefing) -> list[Source]:
    return [s for s in briefing.sources if s.text and s.drifted]


def selectors_of(briefing: Briefing) -> dict[str, list[Selector]]:
    """Every selector pointing into each source, by source id: facts' and variants' citations,
    then its furniture; gathered in one pass over the citations."""
    found: dict[str, list[Selector]] = {s.id: [] for s in briefing.sources}
    for c in briefing.all_citations():
        found.setdefault(c.source, []).append(c.selector)
    for s in briefing.sources:
        found[s.id] += s.furniture
    return found


def reanchor(briefing: Briefing, report: Report, min_score: float = MIN_SCORE) -> list[Proposal]:
    """A proposal for every selector of every drifted source; failures also go to the report."""
    proposals = []
    changed = drifted(briefing)
    selectors = selectors_of(briefing) if changed else {}
    for source in changed:
        index = Index(source.text)
        for sel in selectors[source.id]:
            proposal = relocate(sel, index, min_score)
            if proposal.new is None:
                _report_failure(sel, index, proposal, min_score, report, accept_command(briefing, sel))
            proposals.append(proposal)
    return proposals


def relocate(sel: Selector, index: Index, min_score: float = MIN_SCORE) -> Proposal:
    exact = _exact(sel, index)
    if exact is not None:
        return _placed(sel, index, exact, "exact", 100.0)
    normal = _normalised(sel, index)
    if normal is not None:
        return _placed(sel, index, normal, "normalised", 100.0)
    return _fuzzy(sel, index, min_score)


def _placed(sel: Selector, index: Index, where: tuple[int, int], method: str, score: float) -> Proposal:
    return Proposal(sel, where, method, score, index.text[where[0]:where[1]])


def _choose(sel: Selector, index: Index, found: list[tuple[int, int]]) -> tuple[int, int] | None:
    # "approved it" must not land inside "approved its": a span starts and ends on word edges.
    found = [f for f in found if sel.partial or index.whole_words(Match(*f, True))]
    if sel.prefix or sel.suffix:
        narrowed = [f for f in found
                    if (not sel.prefix or index.preceded_by(Match(*f, True), sel.prefix))
                    and (not sel.suffix or index.followed_by(Match(*f, True), sel.suffix))]
        found = narrowed or found  # the context itself may be what changed
    if len(found) == 1:
        return found[0]
    if found and (start := sel.start) is not None:
        return min(found, key=lambda f: abs(f[0] - start))  # nearest the recorded place
    return None


def _exact(sel: Selector, index: Index) -> tuple[int, int] | None:
    quote, text, found = sel.quote, index.text, []
    i = text.find(quote)
    while i != -1:
        found.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return _choose(sel, index, found)


def _normalised(sel: Selector, index: Index) -> tuple[int, int] | None:
    return _choose(sel, index, [(m.start, m.end) for m in index.find_all(sel.quote)])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalise_quote(text).casefold())


def only_spelling_changed(quote: str, passage: str) -> bool:
    """True if the passage has the quote's words, each at most re-spelt (never a changed digit)."""
    import difflib

    a, b = _words(quote), _words(passage)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or i2 - i1 != j2 - j1:
            return False  # a word added or removed
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            if re.sub(r"\D", "", x) != re.sub(r"\D", "", y) or word_likeness(x, y) < MIN_WORD_LIKENESS:
                return False
    return True


def _fuzzy(sel: Selector, index: Index, min_score: float) -> Proposal:
    found = candidates(sel.quote, index)
    if not found:
        return Proposal(sel, None, "", 0.0)
    best = found[0]
    passage = index.text[best.start:best.end]
    rival = len(found) > 1 and found[1].score >= min_score
    acceptable = (len(normalise_quote(sel.quote)) >= MIN_FUZZY_CHARS and best.score >= min_score
                  and not rival and only_spelling_changed(sel.quote, passage))
    if acceptable:
        return Proposal(sel, (best.start, best.end), "fuzzy", best.score, passage, found=tuple(found))
    return Proposal(sel, None, "", best.score, passage, (best.start, best.end), tuple(found))


def accepted(p: Proposal) -> Proposal:
    """The curator takes the candidate shown for a citation that was not placed."""
    if p.new is not None or p.candidate is None:
        return p
    return Proposal(p.selector, p.candidate, "accepted", p.score, p.text)


def _report_failure(sel: Selector, index: Index, p: Proposal, min_score: float, report: Report,
                    accept: str) -> None:
    found = list(p.found)
    notes = []
    for c in found[:2]:
        notes.append(f"candidate ({c.score:.0f}% alike) at {c.start}–{c.end}: {index.context(c.start, c.end)}")
    if found:
        notes.append(f"what differs: {word_diff(sel.quote, index.text[found[0].start:found[0].end])}")
        notes.append(f"to take the first candidate, with its words as the new quote: {accept}")
    why = _why_not(sel, found, min_score)
    report.error(sel.location, f"quote not re-anchored in drifted source '{sel.source}': {why}",
                 rule=RULE, notes=tuple(notes))


def accept_command(briefing: Briefing, sel: Selector) -> str:
    """The command that takes the candidate for this citation, ready to paste."""
    name = briefing.file(sel.location.path).name
    content = "" if briefing.content_dir in ("content", "") else f" --content {shlex.quote(briefing.content_dir)}"
    return f"factsheet reanchor{content} --accept {name}:{sel.location.line}"


def _why_not(sel: Selector, found: list[Candidate], min_score: float) -> str:
    if not found:
        return "nothing like it remains"
    if len(normalise_quote(sel.quote)) < MIN_FUZZY_CHARS:
        return (f"too short to place by likeness (under {MIN_FUZZY_CHARS} characters); "
                "the best candidate is shown, not taken")
    if found[0].score < min_score:
        return f"best candidate scores {found[0].score:.0f}, below {min_score:.0f}"
    if len(found) > 1 and found[1].score >= min_score:
        return "two passages are equally alike"
    return "words changed, not only their spelling"


def describe(p: Proposal) -> str:
    """``path:line:col: source [old offsets] → new (method, score%)`` for the report; a citation
    without offsets shows only where its quote is now."""
    old = f" {p.old[0]}–{p.old[1]}" if p.old else ""
    if p.new is None:
        return f"{p.selector.location}: {p.selector.source}{old} → not placed"
    return (f"{p.selector.location}: {p.selector.source}{old} → {p.new[0]}–{p.new[1]} "
            f"({p.method}, {p.score:.0f}%)")


# --- writing back --------------------------------------------------------------------------------

Edit = tuple[int, int, str]  # replace text[start:end] by the string


def _replace_scalar(file: ContentFile, node: NodePath, value: str) -> Edit | None:
    where = file.scalar(node)
    if where is None:
        return None
    old = file.text[where[0]:where[1]]
    quote = old[:1] if old[:1] in "\"'" else ""
    return (where[0], where[1], f"{quote}{value}{quote}")


def edits_for(proposals: list[Proposal], briefing: Briefing) -> dict[ContentFile, list[Edit]]:
    """The scalar replacements, per YAML file, that write the proposals and new hashes back,
    found from the places the model records (each selector's quote, each source's id).

    A source is rewritten only when every one of its selectors was placed: a half-repaired
    source keeps its old hash, so `check` keeps reporting its drift.
    """
    placed_all: dict[str, bool] = {}
    for p in proposals:
        placed_all[p.selector.source] = placed_all.get(p.selector.source, True) and p.new is not None
    edits: dict[ContentFile, list[Edit]] = {}

    def add(file: ContentFile, edit: Edit | None) -> None:
        if edit is not None:
            edits.setdefault(file, []).append(edit)

    for p in proposals:
        if not placed_all[p.selector.source] or p.new is None:
            continue
        file = briefing.file(p.selector.location.path)
        parent = p.selector.location.node[:-1]
        add(file, _replace_scalar(file, parent + ("start",), str(p.new[0])))
        add(file, _replace_scalar(file, parent + ("end",), str(p.new[1])))
        if p.new_quote:
            where = file.scalar(p.selector.location.node)
            if where is not None:
                # A JSON string is a YAML double-quoted scalar.
                add(file, (*where, json.dumps(p.text, ensure_ascii=False)))
    for source in drifted(briefing):
        if placed_all.get(source.id, True):
            file = briefing.file(source.location.path)
            add(file, _replace_scalar(file, source.location.node[:-1] + ("sha256",), source.actual_sha256))
    return edits


def edited(file: ContentFile, edits: list[Edit]) -> bytes:
    """The file's bytes with the replacements, everything else kept byte for byte (a BOM too)."""
    text = file.text
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    bom = "\ufeff" if file.data.startswith(b"\xef\xbb\xbf") else ""
    return (bom + text).encode("utf-8")
