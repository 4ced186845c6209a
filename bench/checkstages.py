"""Where the time of `factsheet check` goes: the stages of one check, timed in one process, in the
order `pipeline.examine` runs them. Prints one JSON object of seconds.

- load: read, parse and validate every content file, read and pin every source text;
- anchor: locate every citation in its source, number the notes, the review states;
- support analysis: each source cut into sentences, each statement with the sentences it cites
  and the names it mentions (made once, shared by the support rules);
- each rule, as `run_rules` runs them (a support rule's time is its own findings only).

Usage: python bench/checkstages.py CONTENT_DIR
"""

from __future__ import annotations

import gc
import json
import sys
import time


def main() -> int:
    content = sys.argv[1]
    from factsheet.diagnostics import Report
    from factsheet.sources.load import load
    from factsheet.verification import analysis, review
    from factsheet.verification.resolve import resolve
    from factsheet.verification.rules import RULES

    out: dict[str, float] = {}
    gc.disable()  # as pipeline.examine runs the stages
    began = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal began
        now = time.perf_counter()
        out[name] = out.get(name, 0.0) + now - began
        began = now

    briefing, report = load(content)
    lap("load")
    if briefing is None:
        print(json.dumps({"error": f"{len(report.errors)} errors"}))
        return 1
    briefing = review.with_states(resolve(briefing, report))
    lap("anchor")
    analysis.analyse(briefing)
    lap("support analysis")
    for rule in RULES:
        rule(briefing, Report())
        name = rule.__name__ if rule.__name__ != "check" else rule.__module__.rsplit(".", 1)[-1]
        lap(name.replace("_", "-"))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
