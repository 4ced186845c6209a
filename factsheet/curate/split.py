"""``factsheet split``: one briefing made into a project of smaller ones (docs/projects.md).

A briefing too large to lay out as one PDF (``build`` says so before it starts) is cut between
sections: consecutive sections go into a part until the next would take it past ``max_facts``
(a section larger than that is a part of its own). The project's shared library is a copy of the
briefing's ``sources/``; each part gets ``briefing.yaml`` with its sections and a numbered title,
the facts of its sections and their review stamps. Facts and stamps are copied as written,
comments included: each top-level item of a file is cut out of its text, never re-serialised.
The disagreements go with the first part. Releases and corrections are not carried: each part
is a new briefing, and its history starts with its first ``factsheet release``.

The content folder is only read; the project folder must not exist yet.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import yaml

from factsheet.errors import ContentError, OutputError, UsageError
from factsheet.model import Briefing, Section

_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class Part(NamedTuple):
    slug: str
    sections: tuple[Section, ...]
    facts: int


class Split(NamedTuple):
    parts: tuple[Part, ...]
    written: list[Path]
    oversized: tuple[str, ...]  # sections with more facts than max_facts (each a part alone)
    left: tuple[str, ...]  # content files not carried (releases, corrections)


def split_briefing(content: Path, out: Path, max_facts: int) -> Split:
    from factsheet.sources.load import load

    if max_facts < 1:
        raise UsageError("--max-facts must be 1 or more")
    if out.exists():
        raise UsageError(f"{out} exists: split writes a new project folder, and never into one that exists")
    briefing, report = load(content)
    if briefing is None or report.errors:
        raise ContentError(report)
    parts, oversized = plan(briefing, max_facts)
    files = {"factsheet.yaml": _project_file(briefing.title, parts)}
    for n, part in enumerate(parts, 1):
        files.update(_part_files(content, briefing, part, n, len(parts)))
    written = _write_new_folder(out, files, content / "sources")
    left = tuple(name for name in ("releases.yaml", "corrections.yaml", "releases") if (content / name).exists())
    return Split(parts, written, oversized, left)


def _write_new_folder(out: Path, files: dict[str, bytes], library: Path) -> list[Path]:
    """Everything is written into a hidden folder beside ``out``, then renamed to it: a split
    that fails half-way leaves no project behind."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        shutil.copytree(library, staging / "sources", dirs_exist_ok=True)
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        staging.rename(out)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the project {out}: {e.strerror}; nothing was written") from None
    return [out / "sources"] + [out / name for name in files]


def plan(briefing: Briefing, max_facts: int) -> tuple[tuple[Part, ...], tuple[str, ...]]:
    """Consecutive sections grouped into parts of at most ``max_facts`` facts where they fit."""
    counts = {s.id: 0 for s in briefing.sections}
    for f in briefing.facts:
        counts[f.section] = counts.get(f.section, 0) + 1
    groups: list[list[Section]] = []
    total = 0
    for section in briefing.sections:
        if not groups or total + counts[section.id] > max_facts:
            groups.append([])
            total = 0
        groups[-1].append(section)
        total += counts[section.id]
    groups = [g for g in groups if g]
    width = max(2, len(str(len(groups))))
    parts = tuple(Part(f"part-{n:0{width}d}", tuple(g), sum(counts[s.id] for s in g)) for n, g in enumerate(groups, 1))
    return parts, tuple(s.id for s in briefing.sections if counts[s.id] > max_facts)


def _project_file(title: str, parts: tuple[Part, ...]) -> bytes:
    lines = ["# Made by `factsheet split`: one briefing cut between sections into parts over a shared library.",
             f"title: {_quoted(title)}", "library: sources", "briefings:"]
    lines += [f"  - {p.slug}" for p in parts]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _part_files(content: Path, briefing: Briefing, part: Part, n: int, of: int) -> dict[str, bytes]:
    mine = {s.id for s in part.sections}
    facts = {f.id for f in briefing.facts if f.section in mine}
    files = {f"{part.slug}/briefing.yaml": _briefing_file(content / "briefing.yaml", part, n, of)}
    for path in sorted((content / "facts").glob("*.yaml")):
        kept = _kept(path.read_text(encoding="utf-8"), "section", mine, str(path))
        if kept is not None:
            files[f"{part.slug}/facts/{path.name}"] = kept.encode("utf-8")
    reviews = content / "reviews.yaml"
    if reviews.is_file():
        kept = _kept(reviews.read_text(encoding="utf-8"), "fact", facts, str(reviews))
        files[f"{part.slug}/reviews.yaml"] = (kept or "[]\n").encode("utf-8")
    if n == 1 and (content / "disagreements.yaml").is_file():
        files[f"{part.slug}/disagreements.yaml"] = (content / "disagreements.yaml").read_bytes()
    return files


def _briefing_file(path: Path, part: Part, n: int, of: int) -> bytes:
    """briefing.yaml with this part's sections only, and its title numbered."""
    text = path.read_text(encoding="utf-8")
    mapping = _top_mapping(text)
    keys = {k: (start, end) for k, start, end in mapping}
    start, end = keys["sections"]
    kept = _kept(text[start:end], "id", {s.id for s in part.sections}, str(path), nested=True,
                 lines_before=text.count("\n", 0, start))
    title_start, title_end = keys["title"]
    title = yaml.load(text[title_start:title_end], Loader=_Parser)["title"]
    sections = part.sections
    named = sections[0].title + (f" – {sections[-1].title}" if len(sections) > 1 else "")
    pieces = []
    for key, start, end in mapping:
        if key == "title":
            pieces.append(f"title: {_quoted(f'{title} (part {n} of {of}: {named})')}\n")
        elif key == "sections":
            pieces.append(kept or "")
        else:
            pieces.append(text[start:end])
    return (text[:mapping[0][1]] + "".join(pieces)).encode("utf-8")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _top_mapping(text: str) -> list[tuple[str, int, int]]:
    """The top-level keys of a block mapping with the text each entry spans, from the start of
    its key's line to the start of the next key's line."""
    starts: list[tuple[str, int]] = []
    depth = 0
    expect_key = False
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            expect_key = depth == 1 and isinstance(event, yaml.MappingStartEvent)
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            expect_key = depth == 1
            continue
        if depth == 1 and isinstance(event, yaml.ScalarEvent):
            if expect_key:
                starts.append((event.value, _line_start(text, _index(event))))
            expect_key = not expect_key
    ends = [s for _, s in starts[1:]] + [len(text)]
    return [(key, start, end) for (key, start), end in zip(starts, ends, strict=True)]


def _kept(text: str, key: str, wanted: set[str], where: str, nested: bool = False, lines_before: int = 0) -> str | None:
    """A block sequence of mappings (the file's top level, or with ``nested`` the one value of a
    one-key mapping) cut to the items whose ``key`` is in ``wanted``, each item's text as written;
    None when no item is kept."""
    items: list[tuple[int, str | None]] = []  # (where the item's line starts, its key's value)
    inner = 3 if nested else 2  # the depth inside an item's mapping
    depth, expect_key, last_key = 0, True, None
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth == inner and isinstance(event, yaml.MappingStartEvent):
                items.append((_item_start(text, _index(event), where, lines_before), None))
                expect_key = True
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            expect_key = True  # a nested value ended: a key comes next
        elif depth == inner and isinstance(event, yaml.ScalarEvent):
            if expect_key:
                last_key = event.value
            elif last_key == key and items[-1][1] is None:
                items[-1] = (items[-1][0], event.value)
            expect_key = not expect_key
    if not items:
        return None
    bounds = [start for start, _ in items] + [len(text)]
    chosen = [text[bounds[i]:bounds[i + 1]] for i, (_, value) in enumerate(items) if value in wanted]
    return text[:bounds[0]] + "".join(chosen) if chosen else None


def _item_start(text: str, index: int, where: str, lines_before: int) -> int:
    """Where the line of a block sequence item (``- key: …``) starts."""
    start = _line_start(text, index)
    if text[start:index].strip(" -") or "-" not in text[start:index]:
        line = lines_before + text.count("\n", 0, index) + 1
        raise UsageError(f"{where}:{line}: split cuts a file between its items, so each must start "
                         "its own line with '- ' (block style); this one does not")
    return start


def _index(event: yaml.Event) -> int:
    mark = event.start_mark
    assert mark is not None  # libyaml and the Python parser mark every event
    return mark.index


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1
