"""The project benchmark (docs/projects.md): a generated project of many briefings over one shared
sources library, and the ratios issue 17 asks for, measured in one run:

- a no-op ``build --project`` (every briefing verified, nothing rendered) against ``check --project``;
- one edited briefing: how many briefings the rebuild renders (it should be that one alone);
- a cold build with ``--jobs 2`` against ``--jobs 1``.

The briefings are made by bench/generate.py's writer: each cites ``--per-briefing`` articles drawn
from the library, so that a shared source is cited by a few briefings, as a newsroom's are.

Usage: python bench/project.py [--briefings 200] [--facts 50] [--sources 500] [--runs 3]
[--work DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import Writer, _q, _yaml_item, statement  # noqa: E402
from run import FACTSHEET, Timing, alternate, timed  # noqa: E402


def generate_project(root: Path, briefings: int, facts: int, sources: int, *, per_briefing: int = 12,
                     per_fact: int = 3, sentences: int = 40, seed: int = 1) -> dict:
    """Write a project at ``root``: factsheet.yaml, the shared library in sources/, and briefings
    b-0000 … each with ``facts`` facts citing ``per_fact`` of its ``per_briefing`` articles."""
    w = Writer(seed)
    library = root / "sources"
    library.mkdir(parents=True)
    articles = [w.article(n, sentences) for n in range(sources)]
    entries = []
    for art in articles:
        data = art.text.encode("utf-8")
        (library / art.file).write_bytes(data)
        entries.append({"id": art.id, "file": art.file, "title": art.title, "publisher": "Bench Gazette",
                        "url": f"https://bench.example/{art.id}", "published": "2024-05-07",
                        "sha256": hashlib.sha256(data).hexdigest(), "furniture": [{"quote": "Share this story"}]})
    (library / "sources.yaml").write_text("\n".join(_yaml_item(e) for e in entries) + "\n", encoding="utf-8")
    slugs, citations = [], 0
    for b in range(briefings):
        slug = f"b-{b:04d}"
        slugs.append(slug)
        folder = root / slug
        (folder / "facts").mkdir(parents=True)
        sections = [{"id": f"sec-{i}", "title": w.phrase(3).capitalize()} for i in range(max(2, min(12, facts // 10)))]
        (folder / "briefing.yaml").write_text(
            f"title: {_q('Briefing ' + str(b) + ': ' + w.phrase(4))}\ndate: \"2024-05-07\"\nlanguage: en\n"
            "sections:\n" + "\n".join(_yaml_item(s, "  ") for s in sections) + "\n", encoding="utf-8")
        mine = w.rng.sample(articles, min(per_briefing, len(articles)))
        written = []
        for i in range(facts):
            cites = [w.citation(a) for a in w.rng.sample(mine, min(per_fact, len(mine)))]
            citations += len(cites)
            written.append({"id": f"fact-{i:04d}", "section": sections[i % len(sections)]["id"],
                            "statement": statement(cites, w.rng.randint(10, 24)), "citations": cites})
        (folder / "facts" / "facts.yaml").write_text("\n".join(_yaml_item(f) for f in written) + "\n",
                                                     encoding="utf-8")
    (root / "factsheet.yaml").write_text("title: Bench desk\nbriefings:\n" + "".join(f"  - {s}\n" for s in slugs),
                                         encoding="utf-8")
    return {"briefings": briefings, "facts": briefings * facts, "citations": citations, "sources": sources}


def build(project: Path, out: Path, jobs: int) -> list[str]:
    return [FACTSHEET, "build", "--project", str(project), "--out", str(out), "--jobs", str(jobs)]


def check(project: Path, jobs: int) -> list[str]:
    return [FACTSHEET, "check", "--project", str(project), "--jobs", str(jobs)]


def _pdfs(out: Path) -> dict[str, int]:
    # Every write renames a new file into place: a briefing rendered again has a new PDF inode.
    return {p.parent.name: p.stat().st_ino for p in out.glob("*/briefing.pdf")}


def measure(work: Path, briefings: int, facts: int, sources: int, runs: int, jobs: int = 2) -> dict:
    project = work / "project"
    shutil.rmtree(work, ignore_errors=True)
    counts = generate_project(project, briefings, facts, sources)
    cold: dict[int, Timing] = {1: Timing(), 2: Timing()}
    # Cold builds, each into a fresh folder, the two job counts alternating.
    for n in (1, 2):
        shutil.rmtree(work / "out", ignore_errors=True)
        timed(build(project, work / "out", n), cold[n])
    noop, checked = alternate(build(project, work / "out", jobs), check(project, jobs), runs)
    facts_file = project / "b-0000" / "facts" / "facts.yaml"
    facts_file.write_text(facts_file.read_text(encoding="utf-8").replace('statement: "', 'statement: "Edited: ', 1),
                          encoding="utf-8")
    edited = Timing()
    before = _pdfs(work / "out")
    timed(build(project, work / "out", jobs), edited)
    after = _pdfs(work / "out")
    rendered = sorted(slug for slug in after if after[slug] != before.get(slug))
    return {**counts, "facts_per_briefing": facts, "edited": facts_file.parent.parent.name, "jobs": jobs, "runs": runs,
            "cold_jobs1_s": cold[1].median, "cold_jobs2_s": cold[2].median,
            "cold_speedup": cold[1].median / cold[2].median,
            "cold_jobs1_cpu_s": cold[1].cpu_median, "cold_jobs2_cpu_s": cold[2].cpu_median,
            "noop_build_s": noop.median, "check_project_s": checked.median,
            "noop_over_check": noop.median / checked.median,
            "per_briefing_check_s": checked.median / briefings, "per_briefing_cold_s": cold[1].median / briefings,
            # CPU seconds (the process and its workers) size a shard better than wall seconds on a
            # machine shared with other work.
            "per_briefing_check_cpu_s": checked.cpu_median / briefings,
            "per_briefing_cold_cpu_s": cold[1].cpu_median / briefings,
            "edit_one_rebuild_s": edited.median, "edit_one_rendered": rendered}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefings", type=int, default=200)
    parser.add_argument("--facts", type=int, default=50)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="a folder to generate into (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        result = measure(work, args.briefings, args.facts, args.sources, args.runs)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
