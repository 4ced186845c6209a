"""Rules over the resolved briefing. Each rule is a small named function adding diagnostics.

A rule has a name (shown in brackets after each message) and a severity; ``--strict`` turns
warnings into failures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from factsheet.diagnostics import Report
from factsheet.errors import UsageError
from factsheet.model import Briefing, Citation, Fact, Location, Source, Span
from factsheet.text import hidden_character
from factsheet.verification import analysis, corrections, corroboration, figures, fuzzy, review, support
from factsheet.verification.anchor import Index, normalise_quote

Rule = Callable[[Briefing, Report], None]


def pinned(briefing: Briefing, report: Report) -> None:
    """A source whose bytes (or whose original's bytes) no longer match the pinned sha256 has
    drifted: an error."""
    by_source: dict[str, list[Citation]] = {}  # each source's citations, gathered in one pass
    for c in briefing.all_citations():
        by_source.setdefault(c.source, []).append(c)
    for s in briefing.sources:
        if s.actual_sha256 and s.drifted and s.id not in by_source:
            # Nothing rests on it yet: most likely a new entry with a hash not yet right.
            report.error(s.location, f"source '{s.id}' is pinned to sha256 {s.sha256}, but its file's is "
                         f"{s.actual_sha256}", rule="pinned",
                         notes=(f"no citation uses it yet; if the file is the text you mean, pin it as it is now: "
                                f"sha256: {s.actual_sha256}",))
        elif s.actual_sha256 and s.drifted:
            report.error(s.location, f"source '{s.id}' has changed since it was pinned: its sha256 is "
                         f"{s.actual_sha256}, pinned {s.sha256}", rule="pinned",
                         notes=_drift_notes(s, by_source[s.id]))
        o = s.original
        if o is not None and o.drifted:
            report.error(s.location, f"the original of source '{s.id}' ({o.file}) has changed since it was "
                         f"pinned: its sha256 is {o.actual_sha256}, pinned {o.sha256}", rule="pinned",
                         notes=("the text was extracted from the pinned original; restore it, or capture the "
                                "source again with `factsheet add`",))


def _drift_notes(source: Source, cites: list[Citation]) -> tuple[str, ...]:
    """How many citations of a changed source still resolve, and where the others' quotes are now."""
    still = sum(1 for c in cites if c.span)
    notes = [f"{still} of {len(cites)} citation(s) of it still resolve; "
             "`factsheet reanchor` proposes new spans"]
    lost = [c for c in cites if c.span is None]
    index = Index(source.text) if lost else None
    for c in lost:
        sel = c.selector
        found = [(m.start, m.end) for m in index.find_all(sel.quote)
                 if sel.partial or index.whole_words(m)] if index else []
        old = f"{sel.start}–{sel.end}" if sel.start is not None and sel.end is not None else "its place"
        if len(found) == 1:
            notes.append(f"{sel.location}: moved from {old} to {found[0][0]}–{found[0][1]}")
        else:
            notes.append(f"{sel.location}: no longer found" if not found else
                         f"{sel.location}: now occurs {len(found)} times")
    return tuple(notes)


def furniture(briefing: Briefing, report: Report) -> None:
    """Page furniture (navigation, captions, prompts) declared in sources.yaml is never citable."""
    ranges = {s.id: s.furniture_spans for s in briefing.sources}
    for c in briefing.all_citations():
        if c.span is None:
            continue
        for f in ranges.get(c.source, ()):
            if c.span.start < f.end and f.start < c.span.end:
                report.error(c.selector.location, f"quote overlaps page furniture of source '{c.source}' "
                             f"({f.start}–{f.end}: “{f.text.strip()}”)", rule="furniture")
                break


def unused_sources(briefing: Briefing, report: Report) -> None:
    """A registered source that no fact cites is probably an oversight."""
    cited = {c.source for c in briefing.all_citations()}
    for s in briefing.sources:
        if s.id not in cited:
            report.warning(s.location, f"source '{s.id}' is never cited", rule="unused-source")


def empty_sections(briefing: Briefing, report: Report) -> None:
    """A declared section with no facts renders as an empty heading."""
    used = {f.section for f in briefing.facts}
    for s in briefing.sections:
        if s.id not in used:
            report.warning(s.location, f"section '{s.id}' has no facts", rule="empty-section")


def hidden_in_passage(briefing: Briefing, report: Report) -> None:
    """A cited passage that holds characters which change how text displays is shown as the
    source has it, with a warning. (Curated text holding them is an error found at load.)"""
    for c in briefing.all_citations():
        found = c.span and hidden_character(c.span.text)
        if found:
            report.warning(c.selector.location, f"the cited passage holds {found[1]} at character "
                           f"{found[0] + 1}; it is rendered as the source has it", rule="control-character")


# --- what a statement says must be in what it cites ---------------------------------------------

# “…”, "…" and ‘…’ (the last only at word edges, so apostrophes are not taken for quotation marks).
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|(?:(?<=^)|(?<=[\s(\[—–-]))‘([^’]+)’(?!\w)")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*")
_EDGE_PUNCTUATION = " ,.;:!?"


def quoted_words(statement: str) -> list[str]:
    """The words a statement puts in quotation marks, split at ellipses, outer punctuation trimmed."""
    quotes = []
    for m in _QUOTED.finditer(statement):
        inner = next(g for g in m.groups() if g is not None)
        for piece in _ELLIPSIS.split(inner):
            piece = piece.strip(_EDGE_PUNCTUATION)
            if piece:
                quotes.append(piece)
    return quotes


class Claim(NamedTuple):
    """A statement and the spans cited for it: a fact's, or a disagreement variant's."""

    label: str  # "fact 'x'" or "variant 2 of disagreement 'y'"
    location: Location  # of the statement
    statement: str
    spans: tuple[Span, ...]


def claims(briefing: Briefing) -> list[Claim]:
    """Every statement whose citations all resolved (a failed one already has its error)."""
    found = [Claim(f"fact '{f.id}'", f.statement_location, f.statement,
                   tuple(c.span for c in f.citations if c.span))
             for f in briefing.facts if f.citations and all(c.span for c in f.citations)]
    found += [Claim(f"variant {i} of disagreement '{d.id}'", v.location, v.statement,
                    tuple(c.span for c in v.citations if c.span))
              for d in briefing.disagreements for i, v in enumerate(d.variants, 1)
              if v.citations and all(c.span for c in v.citations)]
    return found


def quotes_in_statement(briefing: Briefing, report: Report) -> None:
    """Words a statement puts in quotation marks must be in one of its cited spans."""
    for claim in claims(briefing):
        quotes = quoted_words(claim.statement)
        # Most statements quote nothing: their spans need no normalising.
        cited = [normalise_quote(s.text).casefold() for s in claim.spans] if quotes else []
        for quote in quotes:
            if not any(normalise_quote(quote).casefold() in text for text in cited):
                report.error(claim.location, f"quoted words “{quote}” are not in any cited span of {claim.label}",
                             rule="quotes-in-statement", notes=_closest_cited(quote, list(claim.spans)))


def _closest_cited(quote: str, spans: list[Span]) -> tuple[str, ...]:
    best = fuzzy.closest_in(quote, [s.text for s in spans])
    if best is None:
        return ()
    which, passage, score = best
    span = spans[which]
    return (f"closest cited passage ({score:.0f}% alike), source '{span.source}' "
            f"{span.start}–{span.end}: “{passage}”",)


def figures_supported(briefing: Briefing, report: Report) -> None:
    """Every number, amount, percentage and year in a statement must be in a cited span."""
    names = entity_names(briefing)
    for claim in claims(briefing):
        stated = figures.figures(claim.statement, bare_one=False, names=names)
        # The cited spans' figures only for a statement that states one.
        supported = set().union(*(figures.keys(s.text) for s in claim.spans)) if stated else set()
        for fig in stated:
            if fig.key not in supported:
                name = figures.name_around(claim.statement, fig)
                report.warning(claim.location, f"figure “{fig.text}” in the statement of {claim.label} is not "
                               f"in any cited span", rule="figures",
                               notes=(f"if “{name}” is a name, add it to `entities` in briefing.yaml (as a name "
                                      "or an alias): a number inside a name is not a figure",) if name else ())


def entity_names(briefing: Briefing) -> tuple[str, ...]:
    """Every name and alias of the briefing's entities."""
    return tuple(n for e in briefing.entities for n in e.names)


def attribution(briefing: Briefing, report: Report) -> None:
    """"Two reports said…" needs at least two distinct cited sources."""
    for fact in briefing.facts:
        have = len(fact.source_ids)
        for claim in figures.attributions(fact.statement):
            if claim.value > have:
                report.warning(fact.statement_location,
                               f"statement says “{claim.text}” but fact '{fact.id}' cites {have} "
                               f"source{'s' * (have != 1)}", rule="attribution")


def disputed_figures(briefing: Briefing, report: Report) -> None:
    """A fact that cites a passage a disagreement records, but states another variant's figure."""
    recorded = corroboration.recorded_passages(briefing)
    if not recorded:
        return
    stated_in: dict[int, dict] = {}  # each statement's figures, computed once per fact
    # The facts' cited spans in the recorded sources, gathered in one pass over the citations.
    cited: dict[str, list] = {source: [] for source in recorded}
    for n, fact in enumerate(briefing.facts):
        for c in fact.citations:
            if c.source in cited and c.span is not None:
                cited[c.source].append((c.span.start, c.span.end, (n, fact)))
    for source, passages in recorded.items():
        cites = cited[source]
        seen = set()
        for (n, fact), rec in corroboration.overlapping_pairs(cites, [(r.start, r.end, r) for r in passages]):
            if n not in stated_in:
                stated_in[n] = {f.key: f.text for f in figures.figures(fact.statement, bare_one=False,
                                                                       names=entity_names(briefing))}
            stated = stated_in[n]
            # A contradiction: the variant records a disputed figure for this passage, and the fact
            # states another of the disagreement's figures instead of it.
            recorded_here = rec.stated & rec.disputed
            if not recorded_here or recorded_here & stated.keys():
                continue
            wrong = [text for key, text in stated.items() if key in rec.disputed]
            if not wrong or (fact.id, rec.disagreement.id, rec.variant) in seen:
                continue
            seen.add((fact.id, rec.disagreement.id, rec.variant))
            variant = rec.disagreement.variants[rec.variant]
            report.warning(fact.statement_location,
                           f"fact '{fact.id}' states {', '.join(f'“{w}”' for w in wrong)}, but it cites "
                           f"a passage of source '{source}' that disagreement '{rec.disagreement.id}' "
                           f"records as: “{variant.statement}”", rule="disagreement",
                           notes=(f"the variant is at {variant.location}",))


RULES: tuple[Rule, ...] = (pinned, furniture, unused_sources, empty_sections, hidden_in_passage,
                           quotes_in_statement, figures_supported, attribution, disputed_figures,
                           corrections.check, *support.SUPPORT_RULES)


# --- corroboration thresholds (from the command line) ---------------------------------------------

KINDS = ("event", "figure", "quote", "claim", "context")


@dataclass(frozen=True, slots=True)
class Threshold:
    """At least ``count`` distinct sources per fact, for every fact or one section or kind."""

    count: int
    scope: str = "all"  # "all" | "section" | "kind"
    name: str = ""

    def applies(self, fact: Fact) -> bool:
        return (self.scope == "all" or (self.scope == "section" and fact.section == self.name)
                or (self.scope == "kind" and fact.kind == self.name))

    def describe(self) -> str:
        return "every fact" if self.scope == "all" else f"{self.scope} '{self.name}'"


class Options(NamedTuple):
    min_sources: tuple[Threshold, ...] = ()
    require_review: int | None = None  # overrides briefing.yaml's review.required

    @classmethod
    def from_text(cls, *, min_sources: list[str] | tuple[str, ...] = (),
                  require_review: int | None = None) -> Options:
        """Options as the command line writes them (``--min-sources section:ID=N``)."""
        if require_review is not None and require_review < 0:
            raise UsageError("--require-review needs a number of reviewers, 0 or more")
        return cls(min_sources=tuple(parse_min_sources(t) for t in min_sources), require_review=require_review)


def parse_min_sources(text: str) -> Threshold:
    """``N``, ``section:ID=N`` or ``kind:KIND=N``."""
    m = re.fullmatch(r"(?:(section|kind):([A-Za-z0-9_.-]+)=)?([0-9]+)", text.strip())
    if not m or int(m.group(3)) < 1:
        raise UsageError(f"--min-sources {text!r}: write N, section:ID=N or kind:KIND=N (N ≥ 1)")
    scope, name, count = m.group(1) or "all", m.group(2) or "", int(m.group(3))
    if scope == "kind" and name not in KINDS:
        raise UsageError(f"--min-sources {text!r}: unknown kind '{name}' (kinds: {', '.join(KINDS)})")
    return Threshold(count, scope, name)


def min_sources(briefing: Briefing, report: Report, thresholds: tuple[Threshold, ...]) -> None:
    """Facts resting on fewer distinct sources than their section or kind requires."""
    sections = {s.id for s in briefing.sections}
    for t in thresholds:
        if t.scope == "section" and t.name not in sections:
            raise UsageError(f"--min-sources section:{t.name}={t.count}: no section '{t.name}'")
    for fact in briefing.facts:
        applicable = [t for t in thresholds if t.applies(fact)]
        if not applicable:
            continue
        need = max(applicable, key=lambda t: t.count)
        have = len(fact.source_ids)
        if have < need.count:
            report.error(fact.location, f"fact '{fact.id}' rests on {have} source{'s' * (have != 1)} "
                         f"({', '.join(fact.source_ids)}); {need.describe()} needs at least {need.count}",
                         rule="min-sources")


def run_rules(briefing: Briefing, report: Report, rules: tuple[Rule, ...] = RULES,
              options: Options | None = None) -> None:
    for rule in rules:
        rule(briefing, report)
    analysis.forget(briefing)
    if options and options.min_sources:
        min_sources(briefing, report, options.min_sources)
    required = options.require_review if options and options.require_review is not None else briefing.review_required
    review.require(briefing, report, required)
