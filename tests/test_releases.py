"""Releases and corrections: a published briefing never changes silently."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from factsheet.cli import main

import clients
from conftest import run

TODAY = datetime.date.today().isoformat()
VOTE = ("to fund the bridge, according", "to fund the bridge on Tuesday, according")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def correct(content: Path, *entries: tuple[str, str, str]) -> None:
    lines = [f'- fact: {fact}\n  date: "{TODAY}"\n  kind: {kind}\n  note: "{note}"\n' for fact, kind, note in entries]
    with (content / "corrections.yaml").open("a", encoding="utf-8") as f:
        f.write("".join(lines))


def drop_cafe(content: Path) -> None:
    path = content / "facts" / "reactions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("- id: cafe-owners")], encoding="utf-8")


@pytest.fixture
def released(small, capsys) -> Path:
    code, out, err = run(capsys, "release", "1", "--content", "content", "--note", "first edition")
    assert code == 0, err
    assert out == (f"wrote content/releases/1.json\nreleased version 1 ({TODAY}): 5 facts, "
                   "recorded in content/releases.yaml\n")
    return small


def test_release_records_the_version_and_a_snapshot(released, capsys):
    entry = (released / "releases.yaml").read_text(encoding="utf-8")
    assert f'- version: "1"\n  date: "{TODAY}"\n  note: "first edition"\n  digest: ' in entry
    snapshot = json.loads((released / "releases" / "1.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in snapshot["facts"]][:2] == ["mayor-good-day", "residents-overdue"]
    assert run(capsys, "check", "--content", "content", "--strict")[0] == 0
    assert run(capsys, "diff", "--content", "content")[:2] == (0, "from release 1 to the content now: no difference\n")


def test_release_refuses_bad_versions_dates_and_failing_content(released, capsys):
    assert run(capsys, "release", "1", "--content", "content")[0] == 2  # not after 1
    assert run(capsys, "release", "0.9", "--content", "content")[0] == 2
    assert run(capsys, "release", "v2", "--content", "content")[0] == 2
    assert run(capsys, "release", "2", "--content", "content", "--date", "2999-01-01")[0] == 2
    edit(released / "facts" / "vote.yaml", '"The vote was 7-2."', '"The vote was 8-1."')
    code, _, err = run(capsys, "release", "2", "--content", "content")
    assert code == 1 and "[anchor]" in err
    assert not (released / "releases" / "2.json").exists()


def test_a_changed_fact_needs_a_correction(released, capsys):
    edit(released / "facts" / "vote.yaml", *VOTE)
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert ("content/facts/vote.yaml:4:14: error: fact 'vote-result' changed since release 1 (its statement) and "
            "corrections.yaml has no entry for it [correction]") in err
    assert "note: was: “The council voted 7–2 to fund the bridge, according to both outlets.”" in err
    assert "note: now: “The council voted 7–2 to fund the bridge on Tuesday, according to both outlets.”" in err
    correct(released, ("vote-result", "clarification", "The bridge is a new one."))
    assert run(capsys, "check", "--content", "content", "--strict")[0] == 0


def test_what_a_fact_rests_on_is_a_change_too(released, capsys):
    edit(released / "facts" / "vote.yaml", '    - source: herald\n      quote: "The vote was 7-2."\n', "")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "changed since release 1 (what it cites)" in err


def test_an_entry_for_an_unchanged_or_unknown_fact(released, capsys):
    correct(released, ("bridge-cost", "typo", "Nothing changed."), ("no-such", "update", "?"))
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert "warning: correction of fact 'bridge-cost', which has not changed since release 1 [correction]" in err
    assert "error: correction of fact 'no-such', which no release published (new facts need no entry) [correction]" in err


def test_future_dates_and_corrections_before_any_release(small, capsys):
    correct(small, ("vote-result", "update", "Too early."))
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "comes before any release: nothing was published yet to correct" in err
    (small / "corrections.yaml").unlink()
    run(capsys, "release", "1", "--content", "content")
    edit(small / "facts" / "vote.yaml", *VOTE)
    (small / "corrections.yaml").write_text('- fact: vote-result\n  date: "2999-01-01"\n  kind: update\n  note: "x"\n',
                                            encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "is dated 2999-01-01, in the future [correction]" in err


def test_a_removed_fact_is_retracted_and_stays_visible(released, capsys, tmp_path):
    drop_cafe(released)
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert ("content/releases.yaml:3:12: error: fact 'cafe-owners' of release 1 was removed; add an entry for it to "
            "corrections.yaml (kind: retraction, or what fits): it said “Café owners cheered 🎉, the Herald reported.” "
            "[correction]") in err
    correct(released, ("cafe-owners", "retraction", "The Herald withdrew the report."))
    assert run(capsys, "build", "--content", "content", "--out", "out")[0] == 0
    out = released.parent / "out"
    md = (out / "briefing.md").read_text(encoding="utf-8")
    assert f"*Retracted on {TODAY}:* “Café owners cheered 🎉, the Herald reported.” The Herald withdrew the report." in md
    assert "## Corrections and updates" in md and "Earlier wording: “Café owners cheered 🎉, the Herald reported.”" in md
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert '<p class="fact retracted" id="fact-cafe-owners"><del>Café owners cheered 🎉, the Herald reported.</del>' in html
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert data["version"] == "1" and data["released"] == TODAY and data["changed_since_release"] is True
    assert data["corrections"] == [{"fact": "cafe-owners", "date": TODAY, "kind": "retraction",
                                    "note": "The Herald withdrew the report.",
                                    "earlier": "Café owners cheered 🎉, the Herald reported.", "retracted": True}]
    annotations = json.loads((out / "briefing.annotations.jsonld").read_text(encoding="utf-8"))
    assert annotations["schema:correction"][0]["type"] == "schema:CorrectionComment"
    assert '  version: "1"' in md and "CorrectionComment" in md.split("\n---\n", 1)[0]


def test_diff_names_every_change_on_the_terminal_and_as_json(released, capsys):
    edit(released / "facts" / "vote.yaml", *VOTE)
    drop_cafe(released)
    code, out, _ = run(capsys, "diff", "--content", "content")
    assert code == 1
    assert out == ("from release 1 to the content now:\nchanged vote-result\n"
                   "  statement: The council voted 7-2 to fund the [-bridge,-] {+bridge on Tuesday,+} according to both outlets.\n"
                   "removed cafe-owners\n  was: “Café owners cheered 🎉, the Herald reported.”\n"
                   "0 added, 1 removed, 1 changed fact(s); 0 source change(s)\n")
    data = json.loads(run(capsys, "diff", "--content", "content", "--json")[1])
    assert [(f["id"], f["change"]) for f in data["facts"]] == [("vote-result", "changed"), ("cafe-owners", "removed")]
    assert run(capsys, "diff", "7", "--content", "content")[0] == 2


def test_a_tampered_or_missing_snapshot_is_an_error(released, capsys):
    snapshot = released / "releases" / "1.json"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("7–2", "8–1"), encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "releases/1.json was changed after release 1" in err and "[release]" in err
    snapshot.unlink()
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "the snapshot of release 1 (releases/1.json) is missing [release]" in err


def forge_snapshot(content: Path, version: str, data: bytes) -> None:
    """Replace a snapshot and record its sha256 as if it were the one released (by hand)."""
    import hashlib

    snapshot = content / "releases" / f"{version}.json"
    record = content / "releases.yaml"
    old = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    snapshot.write_bytes(data)
    edit(record, f"snapshot_sha256: {old}", f"snapshot_sha256: {hashlib.sha256(data).hexdigest()}")


def release_again(capsys, version: str) -> None:
    code, _, err = run(capsys, "release", version, "--content", "content")
    assert code == 0, err


def test_only_the_snapshots_something_reads_are_parsed(released, capsys):
    """Every snapshot's sha256 is checked on every load, but its facts are parsed when first read:
    a check reads the latest and those the corrections follow, not a year of daily releases."""
    from factsheet.pipeline import verify

    release_again(capsys, "2")
    edit(released / "facts" / "vote.yaml", *VOTE)
    correct(released, ("vote-result", "clarification", "Says when."))
    release_again(capsys, "3")
    release_again(capsys, "4")
    briefing, report = verify(released)
    assert briefing is not None and not report.errors, report.sorted()
    assert [r.snapshot.parsed for r in briefing.releases if r.snapshot] == [False, True, False, True]
    assert [f.id for f in briefing.releases[1].facts][:1] == ["mayor-good-day"]  # read when asked


def test_a_snapshot_read_that_is_not_a_briefings_json_is_an_error(released, capsys):
    edit(released / "facts" / "vote.yaml", *VOTE)
    correct(released, ("vote-result", "clarification", "Says when."))
    forge_snapshot(released, "1", b'{"facts": 1}')
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "releases.yaml:8:20: error: releases/1.json is not a briefing's JSON (TypeError) [release]" in err
    assert err.count(": error: ") == 1  # once, and nothing that only follows from it
    code, _, err = run(capsys, "diff", "1", "--content", "content")
    assert code == 1 and "releases/1.json is not a briefing's JSON (TypeError) [release]" in err
    assert "Traceback" not in err


def test_versions_in_releases_file_must_increase(released, capsys):
    record = released / "releases.yaml"
    text = record.read_text(encoding="utf-8")
    entry = text[text.index("- version"):]
    record.write_text(text + entry, encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "release 1 does not come after release 1; versions are unique and increase" in err


@pytest.mark.parametrize("generator", ["mkdocs", "hugo", "jekyll"])
def test_publish_keeps_the_earlier_release_reachable(generator, released, capsys, tmp_path):
    site = {"mkdocs": clients.new_mkdocs_site, "hugo": clients.new_hugo_site,
            "jekyll": clients.new_jekyll_site}[generator](tmp_path / "site")
    pages = site / {"mkdocs": "docs", "hugo": "content", "jekyll": ""}[generator]
    # MkDocs: the page is bridge.md and its PDF bridge/bridge.pdf; the kept copy, a folder, keeps
    # the PDF where the copied page links it.
    page = pages / ("bridge.md" if generator == "mkdocs" else "bridge/index.md")
    kept_pdf = "bridge/bridge.pdf" if generator == "mkdocs" else "bridge.pdf"
    argv = ["publish", "--content", str(released), "--to", generator, "--slug", "bridge", str(site)]
    assert main(argv) == 0
    v1 = page.read_bytes()
    edit(released / "facts" / "vote.yaml", *VOTE)
    correct(released, ("vote-result", "clarification", "The bridge is a new one."))
    assert run(capsys, "release", "2", "--content", str(released))[0] == 0
    assert main(argv) == 0
    kept = (pages / "bridge-v1" / "index.md").read_bytes()
    assert kept == v1.replace(b'title: "The bridge vote"', b'title: "The bridge vote (version 1)"', 1)  # but its title
    assert (pages / "bridge-v1" / kept_pdf).is_file()
    current = page.read_text(encoding="utf-8")
    assert "Earlier versions: [Version 1](../bridge-v1/)" in current and '  version: "2"' in current
    built = {"mkdocs": clients.build_mkdocs, "hugo": clients.build_hugo, "jekyll": clients.build_jekyll}[generator](site)
    old_page = (built / "bridge-v1" / "index.html").read_text(encoding="utf-8")
    assert "to fund the bridge, according to both outlets" in old_page
    assert "The bridge vote (version 1)" in old_page and b'title: "The bridge vote"\n' in v1
    pdf_link = re.search(r'<a href="([^"]+\.pdf)"', old_page).group(1)
    assert (built / "bridge-v1" / pdf_link).is_file()  # the kept page links its own PDF
    new_page = (built / "bridge" / "index.html").read_text(encoding="utf-8")
    assert 'href="../bridge-v1/"' in new_page and "Corrections and updates" in new_page


def test_a_fact_removed_because_another_carries_it_is_not_shown_as_retracted(released, capsys):
    drop_cafe(released)
    correct(released, ("cafe-owners", "update", "Combined into the mayor's entry."))
    assert run(capsys, "build", "--content", "content", "--out", "out")[0] == 0
    html = (released.parent / "out" / "briefing.html").read_text(encoding="utf-8")
    assert 'class="fact retracted"' not in html
    assert "Updated</strong> (<a href=\"#fact-cafe-owners\">cafe-owners</a>): Combined into the mayor" in html


MDX = {  # the page, its PDF, and the kept copy of version 1, in the site; where the build serves pages
    "docusaurus": ("docs/bridge.mdx", "docs/bridge/bridge.pdf", "docs/bridge-v1/index.mdx", "docs"),
    "astro": ("src/pages/bridge.mdx", "public/bridge/bridge.pdf", "src/pages/bridge-v1.mdx", ""),
}
PDF_LINK = r'<a href="?([^" >]+\.pdf)[" >]'  # Docusaurus leaves attribute values unquoted


@pytest.mark.parametrize("generator", ["docusaurus", "astro"])
def test_an_mdx_site_keeps_the_earlier_release_reachable(generator, released, capsys, tmp_path):
    from tests import sitebuilds

    site = {"docusaurus": sitebuilds.new_docusaurus, "astro": sitebuilds.new_astro}[generator](tmp_path / "site")
    page, pdf, kept = (site / p for p in MDX[generator][:3])
    served = MDX[generator][3]
    argv = ["publish", "--content", str(released), "--to", generator, "--slug", "bridge", str(site)]
    assert main(argv) == 0
    v1, v1_pdf = page.read_bytes(), pdf.read_bytes()
    edit(released / "facts" / "vote.yaml", *VOTE)
    correct(released, ("vote-result", "clarification", "The bridge is a new one."))
    assert run(capsys, "release", "2", "--content", str(released))[0] == 0
    assert main(argv) == 0
    assert kept.read_bytes() == v1.replace(b'title: "The bridge vote"', b'title: "The bridge vote (version 1)"', 1)
    assert pdf.read_bytes() != v1_pdf
    built = sitebuilds.build(generator, site)
    pages = built / served

    def target(html: str, folder: Path, pattern: str) -> Path:
        href = re.search(pattern, html).group(1)
        return built / href.lstrip("/") if href.startswith("/") else folder / href

    old_page = (pages / "bridge-v1" / "index.html").read_text(encoding="utf-8")
    assert "to fund the bridge, according to both outlets" in old_page
    assert re.search(r"<title[^>]*>The bridge vote \(version 1\)", old_page)
    assert target(old_page, pages / "bridge-v1", PDF_LINK).read_bytes() == v1_pdf  # its own PDF
    new_page = (pages / "bridge" / "index.html").read_text(encoding="utf-8")
    assert "Corrections and updates" in new_page and "Earlier versions" in new_page
    assert "The bridge vote (version 1)" in new_page  # the site's navigation tells the two apart
    assert target(new_page, pages / "bridge", PDF_LINK).read_bytes() == pdf.read_bytes()
    linked = target(new_page, pages / "bridge", r'href="?([^" >]*bridge-v1/?)[" >]')
    assert (linked.resolve() / "index.html").read_text(encoding="utf-8") == old_page
