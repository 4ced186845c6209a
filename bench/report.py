"""The benchmark's measurements -> bench/results.md (targets first, then the detail)."""

from __future__ import annotations

import itertools


def _s(x: float) -> str:
    return f"{x:.2f} s" if x >= 0.095 else f"{x * 1000:.0f} ms"


def _mb(x: float) -> str:
    return f"{x:.0f} MB"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def targets(r: dict) -> list[str]:
    imp, pan, scales = r["imports"], r["pandoc"], r["scales"]
    rows = ["| target | measured | result |", "|---|---|---|"]
    ratio = imp["check"].median / imp["bare"].median
    rows.append(f"| `factsheet check` (realistic briefing) ≤ 3× bare `python -c \"import yaml, jinja2\"` | "
                f"{_s(imp['check'].median)} vs {_s(imp['bare'].median)}: **{ratio:.2f}×** | {_met(ratio <= 3)} |")
    if "preview" in r:
        preview = r["preview"]["median"]
        ratio = preview / imp["check"].median
        rows.append(f"| `build --watch`: the page updated after an edit ≤ 2× `factsheet check` | "
                    f"{_s(preview)} vs {_s(imp['check'].median)}: **{ratio:.2f}×** | {_met(ratio <= 2)} |")
    if "large" in scales:
        large, base = scales["large"]["check"], scales["large"]["loader"]
        ratio = large.median / base.median
        rows.append(f"| check at 10,000 facts / 30,000 citations ≤ 2× PyYAML's C loader loading the same "
                    f"files (`bench/yamlload.py`) | {_s(large.median)} vs {_s(base.median)}: **{ratio:.1f}×** | "
                    f"{_met(ratio <= 2)} |")
    names = [n for n in ("small", "medium", "large") if n in scales]
    for a, b in itertools.pairwise(names):
        growth = scales[b]["check"].median / scales[a]["check"].median
        rows.append(f"| check growth {a} → {b} (10× content) ≤ 12× | **{growth:.1f}×** | {_met(growth <= 12)} |")
    ratio = pan["ours"].median / pan["pandoc"].median
    cpu = pan["ours"].cpu_median / pan["pandoc"].cpu_median
    rows.append(f"| full build (realistic) ≤ 1.0× pandoc + WeasyPrint on the same Markdown | "
                f"wall {_s(pan['ours'].median)} vs {_s(pan['pandoc'].median)}: **{ratio:.2f}×**; CPU "
                f"{_s(pan['ours'].cpu_median)} vs {_s(pan['pandoc'].cpu_median)}: {cpu:.2f}×; "
                f"per page {per_page(pan)} | {_met(ratio <= 1)} |")
    rows += scaled_builds(r)
    rows += project_rows(r.get("project"))
    if "suite" in r:
        suite = r["suite"]["timing"]
        ratio = suite.median / pan["pandoc"].median
        failed = "" if r["suite"]["code"] == 0 else f" (exit {r['suite']['code']}: tests failed)"
        rows.append(f"| the test suite (`make test`) ≤ 25× pandoc + WeasyPrint on the realistic Markdown | "
                    f"{_s(suite.median)} vs {_s(pan['pandoc'].median)}: **{ratio:.1f}×**{failed} | "
                    f"{_met(ratio <= 25 and not failed)} |")
    real = r["realistic"]
    share = real["rebuild"].median / real["build"].median
    rows.append(f"| unchanged rebuild ≤ 10% of a full build (realistic) | {_s(real['rebuild'].median)} vs "
                f"{_s(real['build'].median)}: **{share:.0%}** | {_met(share <= 0.10)} |")
    ra = r["reanchor"]
    rows.append(f"| re-anchoring {ra['detail']['quotes']:,} drifted quotes in a "
                f"{ra['detail']['bytes'] / 1e6:.1f} MB corpus < 1 s | **{_s(ra['direct'].median)}** | "
                f"{_met(ra['direct'].median < 1)} |")
    if "large" in scales:
        peak = max(scales["large"]["check"].peak, scales["large"]["stages"]["peak_mb"])
        rows.append(f"| peak memory at the largest scale < 500 MB (check; Markdown/HTML/JSON) | "
                    f"**{_mb(peak)}** | {_met(peak < 500)} |")
        if scales["large"]["build"].seconds:
            rows.append(f"| (for the record) full build with the PDF at the largest scale | "
                        f"{_mb(scales['large']['build'].peak)}, of which WeasyPrint holds the laid-out "
                        f"pages | see below |")
    return rows


def scaled_builds(r: dict) -> list[str]:
    """The full builds at 1,000 facts (against Pandoc's) and at 10,000 (refused, then split)."""
    rows = []
    medium = r["scales"].get("medium", {})
    if medium.get("pandoc") and medium["build"].seconds:
        ours, theirs = medium["build"], medium["pandoc"]["timing"]
        ratio = ours.median / theirs.median
        rows.append(f"| full build at 1,000 facts / 3,000 citations ≤ 1.0× the Pandoc pipeline on its Markdown | "
                    f"{_s(ours.median)} ({medium['pages']} pages) vs {_s(theirs.median)} "
                    f"({medium['pandoc']['pages']} pages): **{ratio:.2f}×** | {_met(ratio <= 1)} |")
        rows.append(f"| … and ≤ 1 GB peak | **{_mb(ours.peak)}** (Pandoc pipeline {_mb(theirs.peak)}) | "
                    f"{_met(ours.peak <= 1024)} |")
    big = r.get("large_build")
    if big:
        said = f"refused after {_s(big['refused'].median)}, nothing written" if not big["wrote"] else "wrote outputs"
        if "project" in big:
            peak = big["project"].peak
            rows.append(f"| full build at 10,000 facts under 4 GB, or says before starting what it will cost and "
                        f"offers the split | {said}: “{big['message'].removeprefix('factsheet: error: ')[:160]}…”; "
                        f"the split ({big['parts']} briefings of ≤ {big['max_facts']:,} facts, "
                        f"{sum(big['pages']):,} PDF pages) built with `--jobs {big['jobs']}` in "
                        f"{_s(big['project'].median)}, peak **{_mb(peak)}** per process | "
                        f"{_met(not big['wrote'] and peak < 4096)} |")
        else:
            peak = big["refused"].peak
            rows.append(f"| full build at 10,000 facts under 4 GB, or says what it will cost and offers the split | "
                        f"{said} in {_s(big['refused'].median)}, peak **{_mb(peak)}**; no split offered | "
                        f"{_met(big['wrote'] and peak < 4096)} |")
    return rows


def project_rows(p: dict | None) -> list[str]:
    """Issue 17's project targets, from bench/project.py's measurements."""
    if not p:
        return []
    size = f"{p['briefings']} briefings × {p['facts_per_briefing']} facts over {p['sources']} shared sources"
    alone = p["edit_one_rendered"] == [p["edited"]]
    return [
        f"| project ({size}): no-op `build --project` ≤ 1.1× `check --project` | {_s(p['noop_build_s'])} vs "
        f"{_s(p['check_project_s'])}: **{p['noop_over_check']:.2f}×** | {_met(p['noop_over_check'] <= 1.1)} |",
        f"| project: one edited briefing rebuilt alone | rendered {', '.join(p['edit_one_rendered']) or 'none'} "
        f"in {_s(p['edit_one_rebuild_s'])} | {_met(alone)} |",
        f"| project: cold build `--jobs 2` ≥ 1.7× faster than `--jobs 1` | {_s(p['cold_jobs1_s'])} vs "
        f"{_s(p['cold_jobs2_s'])}: **{p['cold_speedup']:.2f}×** (CPU {_s(p['cold_jobs1_cpu_s'])} vs "
        f"{_s(p['cold_jobs2_cpu_s'])}) | {_met(p['cold_speedup'] >= 1.7)} |",
        f"| (for the record) per briefing, which sizes a shard | check {_s(p['per_briefing_check_s'])} "
        f"(CPU {_s(p['per_briefing_check_cpu_s'])}); cold build {_s(p['per_briefing_cold_s'])} "
        f"(CPU {_s(p['per_briefing_cold_cpu_s'])}) | see docs/performance.md |",
    ]


def per_page(pan: dict) -> str:
    """Wall time per PDF page of each pipeline (same run): the two PDFs differ in length."""
    ours, theirs = pan.get("our_pages"), pan.get("pandoc_pages")
    if not ours or not theirs:
        return "pages not counted"
    a, b = pan["ours"].median / ours, pan["pandoc"].median / theirs
    return (f"{a * 1000:.0f} ms ({ours} pages) vs {b * 1000:.0f} ms ({theirs} pages): "
            f"{a / b:.2f}×")


def per_scale(r: dict) -> list[str]:
    rows = ["| scale | sources | facts | citations | source text | check | YAML C loader | check peak | Markdown | "
            "HTML | JSON | print HTML | render peak | full build | build peak | PDF pages | unchanged rebuild | "
            "rebuild / build |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, row in r["scales"].items():
        c, st = row["counts"], row["stages"]
        build, rebuild = row["build"], row["rebuild"]
        if build.seconds:
            runs = f" (×{len(build.seconds)})" if len(build.seconds) < r["runs"] else ""
            full = (f"{_s(build.median)}{runs} | {_mb(build.peak)} | {row['pages'] or '–'} | "
                    f"{_s(rebuild.median)} | {rebuild.median / build.median:.1%}")
        else:
            full = "not run | | | |"
        rows.append(
            f"| {name} | {c['sources']:,} | {c['facts']:,} | {c['citations']:,} | "
            f"{c['source_bytes'] / 1e6:.2f} MB | {_s(row['check'].median)} | {_s(row['loader'].median)} | "
            f"{_mb(row['check'].peak)} | "
            f"{_s(st['markdown'])} | {_s(st['html'])} | {_s(st['json'])} | {_s(st['html_print'])} | "
            f"{_mb(st['peak_mb'])} | {full} |")
    return rows


def check_stages(r: dict) -> list[str]:
    """Where the time of `check` goes at the largest scale, against the C loader's whole run."""
    large = r["scales"].get("large", {})
    stages = large.get("check_stages")
    if not stages:
        return []
    base = large["loader"].median
    total = sum(stages.values())
    rows = ["## Where check's time goes at 10,000 facts", "",
            "| stage | time | of check | × the C loader |", "|---|---:|---:|---:|"]
    for stage, seconds in stages.items():
        if seconds >= 0.05:
            rows.append(f"| {stage} | {_s(seconds)} | {seconds / total:.0%} | {seconds / base:.2f}× |")
    rest = sum(t for t in stages.values() if t < 0.05)
    rows.append(f"| the other rules | {_s(rest)} | {rest / total:.0%} | {rest / base:.2f}× |")
    runs = large.get("check_stages_runs", 3)
    return rows + ["", f"Each stage in one process (`bench/checkstages.py`, median of {runs} runs), "
                   f"{_s(total)} in all; PyYAML's C loader on the same files: {_s(base)}. Loading alone is "
                   f"{stages['load'] / base:.2f}× the C loader: it also builds the model with every node's place, "
                   "validates it and hashes every source.", ""]


def write_results(r: dict, env: dict) -> str:
    imp, pan, ra = r["imports"], r["pandoc"], r["reanchor"]
    st = pan["stages"]
    wp = st["weasyprint_import"] + st["pdf"]
    ours = st["verify"] + st["markdown"] + st["html"] + st["json"] + st["html_print"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py`) on {env['date']}: {env['cpus']} CPUs, Python "
        f"{env['python']}, WeasyPrint {env['weasyprint']}, {env['pandoc']}, factsheet {env['factsheet']}. "
        f"Each figure is the median of {r['runs']} runs in fresh processes (full builds at the medium and "
        "large scales: as many runs as shown); peak memory is the largest resident set of any run. "
        "Comparisons alternate their two commands run by run, so the targets are ratios within one run. "
        f"Realistic briefing: {r['content']}.",
        "",
        "## Targets",
        "",
        *targets(r),
        "",
        "## Where the time of a full build goes (realistic briefing, one process)",
        "",
        "| stage | time |", "|---|---:|",
        f"| load, anchor, check | {_s(st['verify'])} |",
        f"| Markdown | {_s(st['markdown'])} |",
        f"| HTML page | {_s(st['html'])} |",
        f"| JSON | {_s(st['json'])} |",
        f"| HTML for print | {_s(st['html_print'])} |",
        f"| WeasyPrint import | {_s(st['weasyprint_import'])} |",
        f"| WeasyPrint layout and PDF | {_s(st['pdf'])} |",
        "",
        f"WeasyPrint is {wp / (wp + ours):.0%} of the work of a build; everything factsheet does itself "
        f"(verify and render Markdown, HTML and JSON) is {_s(ours)}. Both pipelines import WeasyPrint (ours "
        "without its library search, in a second process started as the build begins); "
        f"the difference is WeasyPrint laying out a different document: ours ({pan['our_pages']} pages) has "
        "a title block, contents with page numbers, bookmarks, running headers, notes closing each section "
        "and an evidence appendix that shows every cited passage in context (spans of one paragraph sharing "
        "one passage), and it is a tagged PDF/A-3b carrying its content files; pandoc's, with its own default "
        f"style, is the Markdown's text and footnote list ({pan['pandoc_pages']} pages), untagged. "
        f"Per page: {per_page(pan)}. "
        f"Full build peak memory {_mb(pan['ours'].peak)}, pandoc pipeline {_mb(pan['pandoc'].peak)} "
        "(the larger of pandoc and its WeasyPrint child).",
        "",
        "## Every scale",
        "",
        *per_scale(r),
        "",
        "Markdown, HTML, JSON and the print edition's HTML (what WeasyPrint is given) are in-process "
        "medians of each stage alone; render peak is the peak "
        "memory of one process that verifies and renders all three once. The full build includes "
        "the PDF; at the medium and large scales WeasyPrint lays out hundreds to thousands of pages of "
        "notes and evidence, which is where its time and memory go.",
        "",
        *check_stages(r),
        "## Check against the bare imports",
        "",
        f"`python -c \"import yaml, jinja2\"`: {_s(imp['bare'].median)} ({imp['bare'].spread()}); "
        f"`factsheet check` on the realistic briefing: {_s(imp['check'].median)} ({imp['check'].spread()}), "
        f"peak {_mb(imp['check'].peak)}. Largest imports on the check path (`python -X importtime`, "
        "cumulative):",
        "",
        "| module | import |", "|---|---:|",
        *[f"| `{name}` | {_s(t)} |" for name, t in imp["imports"]],
        "",
        "## Re-anchoring",
        "",
        _reanchor(ra),
    ]
    if "suite" in r:
        lines += ["", "## The test suite", "", _suite(r["suite"], pan["pandoc"])]
    if "drifted" in r:
        d = r["drifted"]
        lines += ["", "## Check on a drifted corpus",
                  "", f"The large corpus with 10 drifted sources (each reported as an error, every quote that "
                  f"no longer matches located by fuzzy search for the message): {_s(d.median)}, peak "
                  f"{_mb(d.peak)}."]
    return "\n".join(lines) + "\n"


def _suite(suite: dict, pandoc) -> str:
    t = suite["timing"]
    code = suite["code"]
    outcome = suite["summary"] or "no summary line"
    if code != 0:
        outcome += f" (exit {code})"
    return (f"`{suite['command']}` (the Makefile's `test` target), run once from the repository root: "
            f"{_s(t.median)} wall, {_s(t.cpu_median)} CPU (every process under it), "
            f"{t.median / pandoc.median:.1f}× the pandoc + WeasyPrint baseline of this run "
            f"({_s(pandoc.median)}, median of {len(pandoc.seconds)} runs); {outcome}.")


def _reanchor(ra: dict) -> str:
    d = ra["detail"]
    how = (f"{d['exact']} exact, {d['normalised']} after normalisation, {d['fuzzy']} by fuzzy search "
           f"(lowest score {d['fuzzy_min_score']}), {d['ambiguous']} ambiguous, {d['none']} not placed")
    text = (f"{d['quotes']:,} quotes in {d['sources']} sources ({d['bytes'] / 1e6:.2f} MB), every source "
            f"re-captured with a paragraph inserted and about one sentence in seven edited: "
            f"{_s(ra['direct'].median)} ({how}). ")
    if ra["command"] and "via_command" in ra:
        text += f"`factsheet reanchor` on the same corpus: {_s(ra['via_command'].median)} (whole command). "
    elif ra["command"]:
        text += (f"`factsheet reanchor` exists but could not be timed as `reanchor --content DIR` "
                 f"({ra.get('command_error', '')}); the figure above calls the anchoring functions directly.")
    else:
        text += ("There is no `factsheet reanchor` command in this build, so this calls the anchoring "
                 "functions directly (`bench/reanchor.py`: `Index.find_all` with prefix/suffix, then "
                 "`fuzzy.closest`); loading is not timed, building each source's index is.")
    return text
