"""Note labels: one stable label per citation, derived from the ids (``fact-id-N``,
``disagreement-id-vI-N``), given once at load and used by every output.

Labels use only ``[A-Za-z0-9_-]`` (kramdown accepts nothing else in a footnote label), so a dot in
an id becomes a hyphen; a label that two citations would share gets ``-x2``, ``-x3``… in the order
the content is read, so every label stays unique and the same on every build.
"""

from __future__ import annotations

import re
from dataclasses import replace

from factsheet.model import Citation, Disagreement, Fact

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def label_part(identifier: str) -> str:
    return _UNSAFE.sub("-", identifier)


def assign_labels(facts: list[Fact], disagreements: list[Disagreement]
                  ) -> tuple[list[Fact], list[Disagreement]]:
    taken: set[str] = set()

    def unique(label: str) -> str:
        candidate, n = label, 1
        while candidate in taken:
            n += 1
            candidate = f"{label}-x{n}"
        taken.add(candidate)
        return candidate

    def labelled(citations: tuple[Citation, ...], stem: str) -> tuple[Citation, ...]:
        return tuple(replace(c, label=unique(f"{stem}-{n}")) for n, c in enumerate(citations, 1))

    facts = [replace(f, citations=labelled(f.citations, label_part(f.id))) for f in facts]
    disagreements = [
        replace(d, variants=tuple(replace(v, citations=labelled(v.citations, f"{label_part(d.id)}-v{i}"))
                                  for i, v in enumerate(d.variants, 1)))
        for d in disagreements]
    return facts, disagreements
