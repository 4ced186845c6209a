"""Mutation test: unsupported edits to the real briefing's facts are caught on the edited fact.

Each kind of edit (a negation added, a hedge dropped, a speaker swapped, a year changed, …) is
applied to several facts of content/, one at a time; each mutated briefing is written to a temp
folder and verified in-process. An edit is caught when some rule reports a problem at the edited
fact's statement (the unmutated briefing has none). The detection rate per kind is printed and
written to the test's report; every kind listed here must be caught every time.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from factsheet.pipeline import verify

from conftest import ROOT

CONTENT = ROOT / "content"

# kind -> [(fact id, words of its statement, what they become)]
MUTATIONS: dict[str, list[tuple[str, str, str]]] = {
    "negation added": [
        ("ca-banned", "Facebook banned Cambridge Analytica", "Facebook did not ban Cambridge Analytica"),
        ("tl-advertisers", "Advertisers threatened to abandon", "Advertisers did not threaten to abandon"),
        ("three-step-plan", "Zuckerberg laid out a three-step plan", "Zuckerberg never laid out a three-step plan"),
        ("interview-first", "It was his first time speaking", "It was not his first time speaking"),
        ("nordea", "said it had put some Facebook investments", "said it had not put some Facebook investments"),
    ],
    "negation dropped": [
        ("earlier-scrutiny", "it was not the first time", "it was the first time"),
        ("testify", "he did not say he was willing", "he did say he was willing"),
        ("ca-banned", "that it had not deleted the data", "that it had deleted the data"),
        ("deletion-certified", "that it had none of the data", "that it had the data"),
    ],
    "hedge dropped": [
        ("data-gold-rush", "it appears almost anyone", "almost anyone"),
        ("tl-gold-rush", "in which, it appears, almost anyone", "in which almost anyone"),
        ("tl-2016-campaign", "which also cited a whistleblower’s allegation that profiles",
         "which also said profiles"),
        ("advertisers-threaten", "it added that it was claimed, without saying by whom, that around",
         "it added that around"),
        ("election-use", "report cited “a whistleblower’s allegations” that Cambridge Analytica",
         "report said that Cambridge Analytica"),
    ],
    "attribution dropped": [
        ("giving-away-data", "Experts cited by the Apologises, Admits Mistakes report said",
         "The Apologises, Admits Mistakes report said"),
        ("advertisers-threaten", "Citing the Times, it said the ISBA", "It said the ISBA"),
    ],
    "name swapped": [
        ("quiz-app", "Kogan created a personality quiz app", "Sandberg created a personality quiz app"),
        ("kershaw", "M&C Saatchi boss David Kershaw said", "M&C Saatchi boss Brian Acton said"),
        ("interview-who-when", "CNN reporter Laurie Segall", "CNN reporter Sheryl Sandberg"),
        ("friends-access-2014", "Kogan had his access to the data", "Acton had his access to the data"),
        ("delete-facebook", "WhatsApp co-founder Brian Acton", "WhatsApp co-founder David Kershaw"),
    ],
    "speaker swapped": [
        ("interview-2016", "fake news,” Zuckerberg said.", "fake news,” Sandberg said."),
        ("interview-inexperience", "inexperienced,” Zuckerberg said.", "inexperienced,” Kogan said."),
        ("summary-regulation", "He said “I’m not sure", "Sandberg said “I’m not sure"),
        ("step-notify-users", "Zuckerberg said, according to", "Kogan said, according to"),
        ("tl-midterms", "Zuckerberg said he was sure", "Acton said he was sure"),
    ],
    "day changed": [
        ("summary-interview", "aired on Wednesday", "aired on Tuesday"),
        ("advertisers-threaten", "threatened on Thursday", "threatened on Friday"),
        ("mistakes-step-up", "Zuckerberg said on Wednesday", "Zuckerberg said on Monday"),
        ("interview-who-when", "The interview aired on Wednesday night", "The interview aired on Thursday night"),
    ],
    "year changed": [
        ("tl-2016-campaign", "during the 2016 election", "during the 2012 election"),
        ("friends-access-2014", "to the data in 2014, before", "to the data in 2013, before"),
        ("discovery-2015", "that in 2015 journalists", "that in 2017 journalists"),
        ("data-gold-rush", "from 2009 to 2015", "from 2009 to 2016"),
    ],
    "clause appended": [
        ("nordea", "as it monitored the scandal.", "as it monitored the scandal, and sold them the next day."),
        ("quiz-app", "“a ton of people used”.", "“a ton of people used”; the app was later removed from every app store."),
        ("tl-advertisers", "report said.", "report said, and several brands cancelled their contracts that week."),
        ("users-outrage", "has been handed out”.", "has been handed out”, prompting protests outside its offices."),
    ],
    "superlative added": [
        ("delete-facebook", "reported a campaign on Twitter", "reported the biggest campaign on Twitter"),
        ("revenues-soared", "Facebook’s revenues soared", "Facebook’s revenues soared to a record"),
        ("summary-fallout", "a #DeleteFacebook campaign", "the largest #DeleteFacebook campaign"),
        ("nordea", "The banking giant Nordea", "The biggest banking giant Nordea"),
    ],
    "verb turned into its opposite": [
        ("shares-fall", "Facebook shares dropped some 8 percent", "Facebook shares rose some 8 percent"),
        ("ca-banned", "Facebook banned Cambridge Analytica", "Facebook reinstated Cambridge Analytica"),
        ("tl-advertisers", "threatened to abandon Facebook", "promised to embrace Facebook"),
        ("revenues-soared", "its revenues rose from", "its revenues fell from"),
        ("without-consent", "data was harvested", "data was protected"),
    ],
    "outlet changed": [
        ("ca-trump-campaign", "according to People;", "according to HotHardware;"),
        ("interview-inexperience", "HotHardware, which quotes him", "People, which quotes him"),
        ("delete-facebook", "HotHardware reported", "People reported"),
        ("data-gold-rush", "The Apologises, Admits Mistakes report said", "The Says Facebook Made Mistakes report said"),
        ("interview-regret-accounts", "HotHardware said he expressed regret", "The Guardian said he expressed regret"),
    ],
    "place changed": [
        ("summary-fallout", "in the United States and Britain", "in the United States and France"),
        ("government-scrutiny", "in Europe and the United States", "in Asia and the United States"),
        ("testify", "face the British parliament", "face the European Parliament"),
        ("summary-regulation", "appear before the US Congress", "appear before the Canadian Parliament"),
    ],
    "figure changed": [
        ("shares-fall", "some 8 percent", "some 18 percent"),
        ("harvest-scale", "around 300,000 people", "around 400,000 people"),
        ("ca-trump-campaign", "$6million", "$9million"),
        ("revenues-soared", "nearly £13billion", "nearly £15billion"),
    ],
    "quoted words altered": [
        ("interview-sorry", "“This was a major breach of trust,", "“This was a major breach of privacy,"),
        ("kershaw", "advertising is an oligopoly", "advertising is a monopoly"),
        ("nordea", "in “quarantine”", "in “isolation”"),
    ],
    "organisation swapped": [
        ("ca-trump-campaign", "Cambridge Analytica worked for", "Palantir worked for"),
        ("nordea", "The banking giant Nordea", "The banking giant Barclays"),
        ("kershaw", "M&C Saatchi boss", "WPP boss"),
        ("advertisers-threaten", "including Unilever and", "including Nestlé and"),
    ],
    "product changed": [
        ("delete-facebook", "a campaign on Twitter", "a campaign on Instagram"),
        ("delete-facebook", "WhatsApp co-founder", "Instagram co-founder"),
        ("harvest-scale", "upwards of 50 million Facebook users", "upwards of 50 million Instagram users"),
        ("step-sketchy-apps", "will alert users to “sketchy apps”", "will alert Messenger users to “sketchy apps”"),
    ],
    "date added": [
        ("tl-interview", "CNN aired Laurie Segall’s interview", "In March, CNN aired Laurie Segall’s interview"),
        ("nordea", "Nordea said it had put", "Nordea said in April it had put"),
        ("kershaw", "David Kershaw said:", "David Kershaw said on Monday:"),
        ("three-step-plan", "Zuckerberg laid out", "On Friday Zuckerberg laid out"),
    ],
    "role changed": [
        ("zuckerberg-who", "co-founder and chief executive", "co-founder and chief financial officer"),
        ("sandberg-post", "Facebook’s chief operating officer", "Facebook’s chief technology officer"),
        ("interview-who-when", "CNN reporter Laurie Segall", "CNN producer Laurie Segall"),
    ],
    "cause invented": [
        ("shares-fall", "dropped some 8 percent,", "dropped some 8 percent because of a tax inquiry,"),
        ("nordea", "as it monitored the scandal", "because of the scandal’s tax consequences"),
        ("ca-banned", "after hearing reports", "after a court order and hearing reports"),
    ],
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """content/ copied once; each mutation rewrites one facts file and puts it back."""
    folder = tmp_path_factory.mktemp("mutations") / "content"
    shutil.copytree(CONTENT, folder)
    briefing, report = verify(folder, strict=True)
    assert briefing is not None, [d.format() for d in report.sorted()]
    return folder


def _fact_file(folder: Path, fact_id: str) -> Path:
    for path in sorted((folder / "facts").glob("*.yaml")):
        if f"- id: {fact_id}\n" in path.read_text(encoding="utf-8"):
            return path
    raise KeyError(fact_id)


def _caught(folder: Path, fact_id: str, old: str, new: str) -> list[str]:
    """The rules that report a problem at the fact's statement once ``old`` becomes ``new`` in it."""
    path = _fact_file(folder, fact_id)
    original = path.read_text(encoding="utf-8")
    at = original.index("\n  statement: ", original.index(f"- id: {fact_id}\n")) + 1
    end = original.index("\n", at)
    statement = original[at:end]
    assert statement.count(old) == 1, f"{fact_id}: “{old}” must occur once in its statement"
    path.write_text(original[:at] + statement.replace(old, new) + original[end:], encoding="utf-8")
    try:
        _, report = verify(folder)
    finally:
        path.write_text(original, encoding="utf-8")
    line = 1 + original[:at].count("\n")
    # Every edit of a released fact also asks for a corrections.yaml entry; that finding says the
    # statement changed, not that it lost its support, so it does not count as catching the edit.
    return sorted({d.rule for d in report.items if d.location.path.endswith(path.name) and d.location.line == line
                   and d.rule not in NOT_SUPPORT})


NOT_SUPPORT = frozenset({"correction"})


def test_every_kind_of_unsupported_edit_is_caught_on_the_edited_fact(workspace, record_property, capsys):
    assert len(MUTATIONS) >= 20
    rates, missed = {}, []
    by_rule: dict[str, int] = defaultdict(int)
    for kind, edits in MUTATIONS.items():
        assert len(edits) >= 3 or kind == "attribution dropped", kind
        caught = 0
        for fact_id, old, new in edits:
            rules = _caught(workspace, fact_id, old, new)
            caught += bool(rules)
            for r in rules:
                by_rule[r] += 1
            if not rules:
                missed.append(f"{kind}: {fact_id}: “{old}” -> “{new}”")
        rates[kind] = (caught, len(edits))
    with capsys.disabled():
        print("\nmutation kind: detected/applied")
        for kind, (caught, total) in rates.items():
            print(f"  {kind}: {caught}/{total} ({100 * caught // total}%)")
        print("  findings by rule: " + ", ".join(f"{r} {n}" for r, n in sorted(by_rule.items())))
    record_property("detection", {k: f"{c}/{t}" for k, (c, t) in rates.items()})
    assert missed == []
