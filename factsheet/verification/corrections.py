"""A published briefing never changes silently: the rules over releases and corrections.

After a release, every fact it published that was since removed, or whose statement or cited
passages changed, needs an entry in ``corrections.yaml`` made after that release (an error
pointing at the fact, with the old and the new statement). An entry for a fact that did not change
is a warning. Releases keep increasing versions and dates; no date lies in the future; a correction
is about a fact some release published, and is dated on or after the release it follows.
"""

from __future__ import annotations

import datetime

from factsheet.diagnostics import Report
from factsheet.model import Briefing, Correction, Release
from factsheet.sources.releases import unreadable
from factsheet.verification.changes import changes, current


def check(briefing: Briefing, report: Report) -> None:
    today = datetime.date.today().isoformat()
    _release_order(briefing.releases, report, today)
    _correction_entries(briefing, report, today)
    latest = briefing.latest
    if latest is not None and latest.facts:
        _changes_need_entries(briefing, latest, report)
    # A snapshot's facts are parsed when first read. Read here: the latest, those the corrections
    # follow (the outputs show earlier wordings from them), and as many as it took to find each
    # corrected fact; any of them that is not a briefing's JSON is an error.
    followed = {follows(briefing, entry) for entry in briefing.corrections}
    for r in briefing.releases:
        if r.snapshot is not None and (r is latest or r in followed or r.snapshot.parsed):
            why = unreadable(r)
            if why is not None:
                report.error(r.snapshot.location, why, rule="release")


def _release_order(releases: tuple[Release, ...], report: Report, today: str) -> None:
    previous: Release | None = None
    for r in releases:
        if r.date > today:
            report.error(r.location, f"release {r.version} is dated {r.date}, in the future", rule="release")
        if previous is not None:
            if r.key <= previous.key:
                report.error(r.location, f"release {r.version} does not come after release {previous.version}; "
                             "versions are unique and increase", rule="release")
            if r.date < previous.date:
                report.error(r.location, f"release {r.version} ({r.date}) is dated before release "
                             f"{previous.version} ({previous.date})", rule="release")
            if r.corrections < previous.corrections:
                report.error(r.location, f"release {r.version} includes fewer corrections than release "
                             f"{previous.version}", rule="release")
        previous = r


def follows(briefing: Briefing, entry: Correction) -> Release | None:
    """The release a correction was made after: the last one that did not include it yet."""
    before = [r for r in briefing.releases if r.corrections <= entry.index]
    return before[-1] if before else None


def _correction_entries(briefing: Briefing, report: Report, today: str) -> None:
    published = _Published(briefing.releases)
    for entry in briefing.corrections:
        if entry.date > today:
            report.error(entry.location, f"correction of '{entry.fact}' is dated {entry.date}, in the future",
                         rule="correction")
        after = follows(briefing, entry)
        if after is None:
            report.error(entry.location, f"correction of '{entry.fact}' comes before any release: "
                         "nothing was published yet to correct", rule="correction")
        elif entry.date < after.date:
            report.error(entry.location, f"correction of '{entry.fact}' is dated {entry.date}, before release "
                         f"{after.version} ({after.date}) that it follows", rule="correction")
        if briefing.releases and not published.has(entry.fact, after):
            report.error(entry.location, f"correction of fact '{entry.fact}', which no release published "
                         "(new facts need no entry)", rule="correction")


class _Published:
    """Whether some release published a fact. A corrected fact stood in the release its entry
    follows, so that one is looked in first (the outputs read it anyway); then the releases from
    the latest back, each parsed only when the ones after it lack the fact."""

    def __init__(self, releases: tuple[Release, ...]):
        self._unread = list(releases)
        self._ids: set[str] = set()  # of the releases read from the latest back
        self._in: dict[int, frozenset[str]] = {}  # by id() of a release looked in first
        self._broken = False  # a snapshot read is no briefing's JSON

    def has(self, fact_id: str, first: Release | None) -> bool:
        """True also when a snapshot that might hold it is no briefing's JSON: that is its own error."""
        if first is not None:
            if id(first) not in self._in:
                self._in[id(first)] = frozenset(f.id for f in first.facts)
            if fact_id in self._in[id(first)]:
                return True
        while fact_id not in self._ids and self._unread:
            release = self._unread.pop()
            self._ids.update(f.id for f in release.facts)
            self._broken = self._broken or unreadable(release) is not None
        return fact_id in self._ids or self._broken


def pending(briefing: Briefing) -> list[Correction]:
    """The corrections made since the latest release."""
    latest = briefing.latest
    return [c for c in briefing.corrections if latest is None or c.index >= latest.corrections]


def _changes_need_entries(briefing: Briefing, latest: Release, report: Report) -> None:
    old = {f.id: f for f in latest.facts}
    now = {f.id: f for f in briefing.facts}
    entries = {c.fact: c for c in pending(briefing)}
    changed = set()
    for change in changes(old, current(briefing)):
        if change.change == "added":
            continue
        changed.add(change.id)
        if change.id in entries:
            continue
        assert change.old is not None
        if change.change == "removed":
            report.error(latest.location, f"fact '{change.id}' of release {latest.version} was removed; add an "
                         f"entry for it to corrections.yaml (kind: retraction, or what fits): it said "
                         f"“{change.old.statement}”", rule="correction")
        else:
            assert change.new is not None
            what = "its statement" if change.statement_changed else "what it cites"
            report.error(now[change.id].statement_location,
                         f"fact '{change.id}' changed since release {latest.version} ({what}) and "
                         f"corrections.yaml has no entry for it", rule="correction",
                         notes=(f"was: “{change.old.statement}”", f"now: “{change.new.statement}”"))
    for fact_id, entry in entries.items():
        if fact_id not in changed and fact_id in old:
            report.warning(entry.location, f"correction of fact '{fact_id}', which has not changed since release "
                           f"{latest.version}", rule="correction")
