"""The benchmark: times `factsheet` at three scales and against the tools a user would use instead,
and writes the results table (bench/results.md).

Every measurement runs in a fresh process; its wall time and peak memory (ru_maxrss from wait4)
are taken per run, and the median of several runs is reported. Comparisons alternate their two
commands run by run, so the machine's noise falls on both alike; the targets are ratios.

It also runs the test suite once, with `make test`'s own pytest command (read from the Makefile),
and reports its time against the pandoc + WeasyPrint baseline measured in the same run.

Usage: python bench/run.py [--content DIR] [--runs N] [--scales small,medium,large] [--out FILE]
[--no-suite] (`make bench` runs it with the defaults).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import SCALES, generate  # noqa: E402

BIN = Path(sys.executable).parent
FACTSHEET = str(BIN / "factsheet")
PY = sys.executable


@dataclass
class Timing:
    """Wall seconds and peak resident memory (MB) of each run of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system, the process and its children
    stderr: str = ""  # of the last run

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)

    def spread(self) -> str:
        return f"{min(self.seconds):.2f}–{max(self.seconds):.2f}"


def timed(cmd: list[str], timing: Timing, *, cwd: Path | None = None, env: dict | None = None,
          ok: tuple[int, ...] = (0,)) -> str:
    """Run ``cmd`` once, adding its wall time and peak memory to ``timing``; returns its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}:\n{stderr[-2000:]}")
    timing.seconds.append(seconds)
    timing.peak_mb.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    timing.cpu.append(usage.ru_utime + usage.ru_stime)
    timing.codes.append(proc.returncode)
    timing.stderr = stderr
    return stdout


def repeat(cmd: list[str], runs: int, **kw) -> Timing:
    timing = Timing()
    for _ in range(runs):
        timed(cmd, timing, **kw)
    return timing


def alternate(a: list[str], b: list[str], runs: int, *, before_a=None, **kw) -> tuple[Timing, Timing]:
    ta, tb = Timing(), Timing()
    for _ in range(runs):
        if before_a:
            before_a()
        timed(a, ta, **kw)
        timed(b, tb, **kw)
    return ta, tb


def check(content: Path) -> list[str]:
    return [FACTSHEET, "check", "--content", str(content)]


def build(content: Path, out: Path) -> list[str]:
    return [FACTSHEET, "build", "--content", str(content), "--out", str(out)]


def stages(content: Path, runs: int, pdf: bool = False) -> tuple[dict, Timing]:
    timing = Timing()
    out = timed([PY, str(HERE / "stages.py"), str(content), str(runs)] + (["--pdf"] if pdf else []), timing)
    return json.loads(out), timing


def check_stages(content: Path, runs: int) -> dict[str, float]:
    """The median time of each stage of `check` (bench/checkstages.py), one fresh process a run."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        for stage, seconds in json.loads(timed([PY, str(HERE / "checkstages.py"), str(content)], Timing())).items():
            found.setdefault(stage, []).append(seconds)
    return {stage: statistics.median(times) for stage, times in found.items()}


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def loader(content: Path) -> list[str]:
    return [PY, str(HERE / "yamlload.py"), str(content)]


def measure_scale(name: str, content: Path, work: Path, runs: int, build_runs: int) -> dict:
    print(f"bench: {name}: check vs PyYAML's C loader on the same files", file=sys.stderr)
    row: dict = {}
    row["check"], row["loader"] = alternate(check(content), loader(content), runs)
    print(f"bench: {name}: stages", file=sys.stderr)
    row["stages"], row["stages_timing"] = stages(content, runs)
    if name == "large":
        print(f"bench: {name}: where check's time goes", file=sys.stderr)
        row["check_stages"], row["check_stages_runs"] = check_stages(content, min(runs, 3)), min(runs, 3)
    print(f"bench: {name}: full build ×{build_runs}", file=sys.stderr)
    out = work / f"out-{name}"
    full = Timing()
    for _ in range(build_runs):
        fresh(out)
        timed(build(content, out), full)
    row["build"] = full
    if build_runs and name != "small":
        print(f"bench: {name}: pandoc + WeasyPrint on the build's Markdown ×{build_runs}", file=sys.stderr)
        row["pandoc"] = pandoc_on(out / "briefing.md", work, build_runs)
    row["rebuild"], row["pages"] = Timing(), None
    if build_runs:
        print(f"bench: {name}: unchanged rebuild", file=sys.stderr)
        row["rebuild"] = repeat(build(content, out), runs)
        row["pages"] = _pages(out / "briefing.pdf")
    return row


def pandoc_on(md: Path, work: Path, runs: int) -> dict:
    """The Pandoc pipeline on a Markdown file our build wrote: its time, peak memory and pages."""
    shutil.copy(md, work / "scaled-pandoc-input.md")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    pdf = work / "scaled-pandoc.pdf"
    timing = repeat(["pandoc", str(work / "scaled-pandoc-input.md"), "--pdf-engine=weasyprint", "-o", str(pdf)],
                    runs, env=env)
    return {"timing": timing, "pages": _pages(pdf)}


def large_build(content: Path, work: Path, jobs: int = 2) -> dict:
    """The full build at the largest scale: `build` refuses the PDF and says what it would cost;
    then the split it offers, built as a project (every part's PDF laid out)."""
    out = fresh(work / "out-large-build")
    refused = Timing()
    timed(build(content, out), refused, ok=(0, 1))
    message = next((line for line in refused.stderr.splitlines() if "the PDF of this briefing would need" in line), "")
    m = re.search(r"--max-facts (\d+)", message)
    result: dict = {"refused": refused, "message": message, "wrote": refused.codes[0] == 0}
    if not m:
        return result
    project = fresh(work / "large-split")
    split = Timing()
    timed([FACTSHEET, "split", "--content", str(content), "--out", str(project), "--max-facts", m.group(1)], split)
    print(f"bench: large: the split project's build, --jobs {jobs}", file=sys.stderr)
    built = fresh(work / "out-large-split")
    timing = Timing()
    timed([FACTSHEET, "build", "--project", str(project), "--out", str(built), "--jobs", str(jobs)], timing)
    pages = [_pages(pdf) or 0 for pdf in sorted(built.glob("*/briefing.pdf"))]
    return {**result, "max_facts": int(m.group(1)), "split": split, "project": timing, "jobs": jobs,
            "parts": len(pages), "pages": pages}


def _pages(pdf: Path) -> int | None:
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(m.group(1)) if m else None


def compare_pandoc(content: Path, work: Path, runs: int) -> dict:
    """Our full build vs pandoc + WeasyPrint on the Markdown our build wrote (same run, alternating)."""
    out = work / "out-compare"
    fresh(out)
    timed(build(content, out), Timing())
    md = out / "briefing.md"
    shutil.copy(md, work / "pandoc-input.md")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")  # pandoc runs `weasyprint`
    pandoc = ["pandoc", str(work / "pandoc-input.md"), "--pdf-engine=weasyprint", "-o", str(work / "pandoc.pdf")]
    # More runs than elsewhere: the two are close, and the machine's noise is not.
    ours, theirs = alternate(build(content, out), pandoc, max(runs, 9), before_a=lambda: fresh(out), env=env)
    detail, _ = stages(content, 1, pdf=True)
    return {"ours": ours, "pandoc": theirs, "stages": detail, "our_pages": _pages(out / "briefing.pdf"),
            "pandoc_pages": _pages(work / "pandoc.pdf")}


def suite_command(makefile: Path = ROOT / "Makefile") -> list[str]:
    """`make test`'s pytest command, read from the Makefile (so the two cannot drift apart), with
    ``$(BIN)`` as the folder of the Python running this benchmark."""
    text = makefile.read_text(encoding="utf-8")
    m = re.search(r"^test:.*\n((?:\t.*\n)+)", text, re.M)
    lines = [line.strip() for line in m.group(1).splitlines()] if m else []
    command = next((line for line in lines if " -m pytest" in line), None)
    if command is None:
        raise SystemExit("bench: no pytest command under the Makefile's test target")
    return shlex.split(command.replace("$(BIN)", str(BIN)).replace("$(VENV)", str(BIN.parent)))


def measure_suite() -> dict:
    """The whole test suite once, as `make test` runs it, from the repository root: wall and CPU
    time (the pytest process and every process under it) and its exit code, failed or not."""
    cmd = suite_command()
    timing = Timing()
    out = timed(cmd, timing, cwd=ROOT, ok=tuple(range(256)))
    summary = next((line.strip("= ") for line in reversed(out.splitlines())
                    if re.search(r"\b(passed|failed|error)", line)), "")
    return {"command": " ".join(cmd).replace(str(BIN) + "/", ""), "timing": timing,
            "code": timing.codes[0], "summary": summary}


def compare_imports(content: Path, runs: int) -> dict:
    bare, ours = alternate([PY, "-c", "import yaml, jinja2"], check(content), runs)
    done = subprocess.run([PY, "-X", "importtime", "-m", "factsheet", "check", "--content", str(content)],
                          capture_output=True, text=True)
    return {"bare": bare, "check": ours, "imports": _top_imports(done.stderr)}


def _top_imports(stderr: str, n: int = 8) -> list[tuple[str, float]]:
    # Top-level imports only (no indentation), by cumulative time.
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if m and not m.group(2).startswith(" "):
            rows.append((m.group(2).strip(), int(m.group(1)) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:n]


# Run in its own process, as `build --watch` runs: built once (imports and WeasyPrint loaded), then
# each round edits a facts file and times the rebuild until every output but the PDF is written.
PREVIEW_SCRIPT = """
import json, sys, time
from pathlib import Path
from factsheet.pipeline import build
content, out, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
facts = sorted((content / "facts").glob("*.yaml"))[0]
build(content, out)
seconds = []
for i in range(runs):
    facts.write_text(facts.read_text(encoding="utf-8") + f"# edit {i}\\n", encoding="utf-8")
    start = time.perf_counter()
    build(content, out, preview=lambda paths: seconds.append(time.perf_counter() - start))
print(json.dumps(seconds))
"""


def measure_preview(content: Path, work: Path, runs: int) -> dict:
    """Seconds from a saved edit to the updated page in `build --watch` (the PDF follows)."""
    copy = work / "preview-content"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(content, copy)
    done = subprocess.run([PY, "-c", PREVIEW_SCRIPT, str(copy), str(fresh(work / "preview-out")), str(runs)],
                          capture_output=True, text=True, check=True)
    seconds = json.loads(done.stdout)
    return {"median": statistics.median(seconds), "runs": len(seconds)}


def measure_reanchor(work: Path, runs: int) -> dict:
    corpus = fresh(work / "reanchor")
    counts = generate(corpus, 10, 1000, 1, 900, drift=10, seed=7)
    has_command = "reanchor" in subprocess.run([FACTSHEET, "--help"], capture_output=True, text=True).stdout
    result: dict = {"corpus": counts, "command": has_command}
    timing = Timing()
    detail = {}
    for _ in range(runs):
        detail = json.loads(timed([PY, str(HERE / "reanchor.py"), str(corpus)], timing))
        timing.seconds[-1] = detail["seconds"]  # the anchoring itself, loading excluded
    result["direct"], result["detail"] = timing, detail
    if has_command:
        work_copy = fresh(work / "reanchor-command")
        shutil.copytree(corpus, work_copy)
        try:
            result["via_command"] = repeat([FACTSHEET, "reanchor", "--content", str(work_copy)], runs,
                                           ok=(0, 1))
        except SystemExit as e:  # a command with another interface than this guess: say so, go on
            result["command_error"] = str(e).splitlines()[0]
    return result


def drifted_check(work: Path, runs: int) -> Timing:
    corpus = fresh(work / "large-drifted")
    generate(corpus, *SCALES["large"], drift=10)
    return repeat(check(corpus), runs, ok=(1,))


def default_content() -> Path | None:
    real = ROOT / "content"
    return real if (real / "briefing.yaml").is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=None,
                        help="the realistic briefing (default: content/ if it has a briefing.yaml, "
                             "else a generated ~80-fact briefing over 5 short sources)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--build-runs-scaled", type=int, default=1,
                        help="full builds at the medium scale (hundreds of PDF pages), each with a run of "
                             "the Pandoc pipeline on its Markdown, and the large scale's build as a split "
                             "project (default 1; 0 skips them)")
    parser.add_argument("--scales", default="small,medium,large")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--project-briefings", type=int, default=200,
                        help="briefings of the generated project (50 facts each over 500 shared sources) "
                             "for bench/project.py's measurements (default 200; 0 skips them)")
    parser.add_argument("--no-suite", dest="suite", action="store_false",
                        help="do not time the test suite (`make test`'s pytest command)")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    content = args.content or default_content()
    label = str(content) if content else "generated (realistic scale)"
    if content is None:
        content = fresh(work / "realistic")
        generate(content, *SCALES["realistic"])
    results: dict = {"content": label, "runs": args.runs}
    # The bare imports read libraries pip compiled at install; factsheet is measured the same way.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "factsheet")], check=True)
    print("bench: realistic briefing: check vs bare imports", file=sys.stderr)
    results["imports"] = compare_imports(content, args.runs)
    print("bench: realistic briefing: the page's preview after an edit (build --watch)", file=sys.stderr)
    results["preview"] = measure_preview(content, work, args.runs)
    print("bench: realistic briefing: build vs pandoc + WeasyPrint", file=sys.stderr)
    results["pandoc"] = compare_pandoc(content, work, args.runs)
    if args.suite:
        print("bench: the test suite, as `make test` runs it (once)", file=sys.stderr)
        results["suite"] = measure_suite()
    results["realistic"] = measure_scale("realistic", content, work, args.runs, args.runs)
    results["scales"] = {}
    for name in args.scales.split(","):
        corpus = fresh(work / name)
        counts = generate(corpus, *SCALES[name])
        # The largest scale's full build is large_build below: build refuses its PDF and offers a split.
        build_runs = args.runs if name == "small" else args.build_runs_scaled if name == "medium" else 0
        results["scales"][name] = {"counts": counts, **measure_scale(name, corpus, work, args.runs, build_runs)}
    if "large" in results["scales"] and args.build_runs_scaled:
        print("bench: large: full build (refused, then split)", file=sys.stderr)
        results["large_build"] = large_build(work / "large", work)
    if args.project_briefings:
        print(f"bench: a project of {args.project_briefings} briefings (bench/project.py)", file=sys.stderr)
        from project import measure as measure_project
        results["project"] = measure_project(work / "project", args.project_briefings, 50, 500, min(args.runs, 3))
    print("bench: re-anchoring", file=sys.stderr)
    results["reanchor"] = measure_reanchor(work, args.runs)
    if "large" in results["scales"]:
        print("bench: check on a drifted large corpus", file=sys.stderr)
        results["drifted"] = drifted_check(work, max(1, args.runs // 2))
    from report import write_results
    args.out.write_text(write_results(results, environment()), encoding="utf-8")
    print(f"bench: wrote {args.out}", file=sys.stderr)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def environment() -> dict:
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            return "?"
    from importlib import metadata
    return {"date": datetime.date.today().isoformat(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "machine": platform.machine(),
            "weasyprint": metadata.version("weasyprint"), "pandoc": version(["pandoc", "--version"]),
            "factsheet": metadata.version("factsheet")}


if __name__ == "__main__":
    sys.exit(main())
