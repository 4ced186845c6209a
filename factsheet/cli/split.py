"""``factsheet split``: print what the split made and what to run next."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factsheet.cli.output import EXIT_OK, emit


def run_split(args: argparse.Namespace) -> int:
    from factsheet.curate.split import split_briefing

    out = Path(args.out)
    done = split_briefing(Path(args.content), out, args.max_facts)
    for path in done.written:
        emit(f"wrote {path}", stream=sys.stdout)
    for part in done.parts:
        ids = ", ".join(s.id for s in part.sections)
        emit(f"{part.slug}: {part.facts} facts, section{'s' * (len(part.sections) != 1)} {ids}")
    for section in done.oversized:
        emit(f"note: section '{section}' has more than {args.max_facts} facts: it is a part on its own")
    if done.left:
        emit(f"not carried: {', '.join(done.left)} (each part is a new briefing; its history starts with "
             "its first `factsheet release`)")
    emit(f"project: {len(done.parts)} briefings over a shared library; next: "
         f"factsheet build --project {out} --out {out.parent / (out.name + '-build')}", stream=sys.stdout)
    return EXIT_OK
