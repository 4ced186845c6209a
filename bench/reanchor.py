"""Re-anchoring every citation of a drifted corpus with the anchoring functions themselves:
exact, then normalised (``Index.find_all`` with prefix/suffix), then scored fuzzy search
(``fuzzy.closest``). Loading is not timed; building each source's index is.

Prints one JSON object: seconds, quotes, sources, corpus bytes and how each quote was placed.

Usage: python bench/reanchor.py CONTENT_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from factsheet.sources.load import load
from factsheet.verification.anchor import Index
from factsheet.verification.fuzzy import closest
from factsheet.verification.resolve import _disambiguate


def reanchor_all(briefing) -> dict:
    counts = {"exact": 0, "normalised": 0, "fuzzy": 0, "ambiguous": 0, "none": 0}
    scores: list[float] = []
    indexes = {s.id: Index(s.text) for s in briefing.sources}
    for c in briefing.all_citations():
        index = indexes[c.source]
        found = _disambiguate(c.selector, index, index.find_all(c.selector.quote))
        if len(found) == 1:
            counts["exact" if found[0].exact else "normalised"] += 1
        elif found:
            counts["ambiguous"] += 1
        elif (best := closest(index, c.selector.quote)) is not None:
            counts["fuzzy"] += 1
            scores.append(best[2])
        else:
            counts["none"] += 1
    counts["fuzzy_min_score"] = round(min(scores), 1) if scores else None
    return counts


def main() -> int:
    briefing, report = load(Path(sys.argv[1]))
    if briefing is None:
        print(json.dumps({"error": f"{len(report.errors)} errors"}))
        return 1
    t = time.perf_counter()
    counts = reanchor_all(briefing)
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "quotes": len(briefing.all_citations()),
                      "sources": len(briefing.sources),
                      "drifted": sum(s.drifted for s in briefing.sources),
                      "bytes": sum(len(s.text.encode("utf-8")) for s in briefing.sources), **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
