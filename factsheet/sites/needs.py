"""What a site's configuration must have for the page to show as written, and adding it.

``needs`` reads the site's configuration and lists what is missing, each with the exact lines to
add: MkDocs without footnotes (the page is rendered with the site's own Markdown extensions, as
MkDocs renders it, and a note call left as text means none), Jekyll with a Markdown engine other
than kramdown, and a navigation that lists pages by hand (MkDocs ``nav``, a Quarto navbar or
sidebar) without the page. A missing renderer is ``required``: ``publish`` refuses. A missing
navigation entry is advice: ``publish`` says so.

Astro's configuration is a program: it is read as text (never run) for ``smartypants: false``,
and never edited.

``configure`` adds what is missing to the YAML configuration with ruamel.yaml's round trip,
which keeps comments, quoting and order; the indentation is the file's own (found by trying the
usual ones until the file reads back byte for byte). A file that does not round-trip exactly is
not edited: the lines to add are shown instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.errors import UsageError
from factsheet.sites.config import Site

_FOOTNOTES = ("footnotes", "extra", "markdown.extensions.footnotes", "markdown.extensions.extra")


@dataclass(frozen=True)
class Need:
    problem: str  # what would go wrong, as a clause after the config's path
    lines: str  # the exact YAML to add
    change: str  # what --configure does, for its report
    edit: Callable[[Any], None] | None  # the change, on the round-trip document; None: by hand only
    required: bool = True


def needs(site: Site, page: str, page_path: str) -> list[Need]:
    """What the site lacks for ``page`` (its text), written at ``page_path`` (relative to the
    site's content folder, as its navigation names pages)."""
    found: list[Need] = []
    if site.generator == "mkdocs":
        found += _mkdocs_footnotes(site.config, page)
        found += _nav(site.config.get("nav"), page_path, "nav", ["nav"])
    elif site.generator == "jekyll":
        found += _jekyll_engine(site.config)
    elif site.generator == "quarto":
        found += _quarto_nav(site.config, page_path)
    elif site.generator == "astro":
        found += _astro_smartypants(site.config_path)
    return found


_SMARTYPANTS_OFF = re.compile(r"\bsmartypants\s*:\s*false\b")


def _astro_smartypants(path: Path) -> list[Need]:
    # Astro's Markdown and MDX turn straight quotes, -- and ... into typographic ones after
    # parsing, so no escape keeps a quoted passage as the source wrote it. The configuration is a
    # program: it is read as text, never run, and never edited.
    if _SMARTYPANTS_OFF.search(path.read_text(encoding="utf-8", errors="replace")):
        return []
    return [Need("turns straight quotes, -- and ... in the page into typographic ones (smartypants), changing "
                 "the quoted words", "  markdown: { smartypants: false },  // inside defineConfig({ ... })",
                 "", None)]


def _mkdocs_footnotes(config: dict, page: str) -> list[Need]:
    from factsheet.outputs.sitemarkdown import UnknownExtension, raw_note_calls, rendered, site_extensions

    names, configs = site_extensions(config)
    try:
        raw = raw_note_calls(rendered(page, names, configs))
    except UnknownExtension:
        # An extension installed for the site but not here: judge by the list alone.
        raw = [] if any(n in _FOOTNOTES for n in names) else ["[^"]
    if not raw:
        return []
    listed = isinstance(config.get("markdown_extensions"), list)

    def edit(doc: Any) -> None:
        if isinstance(doc.get("markdown_extensions"), list):
            append(doc["markdown_extensions"], "footnotes")
        else:
            doc["markdown_extensions"] = ["footnotes"]

    return [Need(f"does not enable footnotes, so every note call would show as raw text (such as {raw[0]})",
                 "  - footnotes  # under markdown_extensions" if listed else "markdown_extensions:\n  - footnotes",
                 "added footnotes to markdown_extensions", edit)]


def _jekyll_engine(config: dict) -> list[Need]:
    engine = config.get("markdown")
    if engine is None or str(engine).lower() == "kramdown":
        return []

    def edit(doc: Any) -> None:
        doc["markdown"] = "kramdown"

    return [Need(f"uses the Markdown engine {engine!r}, which does not render footnotes, so every note call "
                 "would show as raw text", "markdown: kramdown  # instead of its markdown: line",
                 f"set markdown to kramdown (was {engine})", edit)]


def _nav(items: object, page_path: str, where: str, keys: list[str]) -> list[Need]:
    if not isinstance(items, list) or page_path in _entries(items):
        return []

    def edit(doc: Any) -> None:
        node = doc
        for key in keys:
            node = node[key]
        append(node, page_path)

    return [Need(f"lists its navigation by hand ({where}), without this page", f"  - {page_path}  # under {where}",
                 f"added {page_path} to {where}", edit, required=False)]


def _entries(items: list) -> set[str]:
    """Every page a navigation list names: a path, ``Title: path``, or ``href:``/``file:`` keys."""
    found: set[str] = set()
    for item in items:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str) and (key in ("href", "file") or not key.islower() or "." in value):
                    found.add(value)
                elif isinstance(value, list):
                    found |= _entries(value)
    return found


def _quarto_nav(config: dict, page_path: str) -> list[Need]:
    website: dict = config["website"] if isinstance(config.get("website"), dict) else {}
    navbar = website.get("navbar") if isinstance(website.get("navbar"), dict) else None
    sidebar = website.get("sidebar") if isinstance(website.get("sidebar"), dict) else None
    if navbar is not None and isinstance(navbar.get("left"), list):
        return _nav(navbar["left"], page_path, "website: navbar: left", ["website", "navbar", "left"])
    if sidebar is not None and isinstance(sidebar.get("contents"), list):
        return _nav(sidebar["contents"], page_path, "website: sidebar: contents",
                    ["website", "sidebar", "contents"])
    return []


def append(seq: Any, value: object) -> None:
    """Append to a round-trip sequence, after its last item rather than after the blank lines
    and comments that follow it (ruamel.yaml keeps those with the last item)."""
    tail = _take_tail(seq)
    seq.append(value)
    if tail is not None:
        seq.ca.items[len(seq) - 1] = [tail, None]


def _take_tail(node: Any) -> Any:
    """The comment token after a collection's last value, cut down to that value's own line; a
    copy with the rest (the lines after), or None."""
    import copy

    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq) and len(node):
        key, slot = len(node) - 1, 0
    elif isinstance(node, CommentedMap) and len(node):
        key, slot = list(node)[-1], 2
    else:
        return None
    deeper = _take_tail(node[key])
    if deeper is not None:
        return deeper
    entry = node.ca.items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or ("\n" not in token.value.rstrip("\n") and token.value.count("\n") < 2):
        return None
    own, rest = token.value.split("\n", 1)
    moved = copy.copy(token)
    moved.value = "\n" + rest
    token.value = own + "\n"
    return moved


def refusal(site: Site, found: list[Need]) -> str:
    """The message when required needs are missing: each problem, then every line to add."""
    required = [n for n in found if n.required]
    problems = "; it ".join(n.problem for n in required)
    lines = "\n".join(n.lines for n in required)
    return (f"{site.config_path} {problems}; add these lines to it and publish again "
            f"(or publish with --configure to add them):\n{lines}")


def advice(site: Site, need: Need) -> str:
    return f"{site.config_path} {need.problem}; add this line, or publish with --configure:\n{need.lines}"


def configure(path: Path, found: list[Need]) -> bytes:
    """The configuration file with every change made, comments and layout kept."""
    text = path.read_text(encoding="utf-8")
    by_hand = [n for n in found if n.edit is None]
    if by_hand:
        lines = "\n".join(n.lines for n in by_hand)
        raise UsageError(f"{path} is a program, which factsheet does not edit; add these lines to it by hand "
                         f"and publish again:\n{lines}")
    yaml = _round_trip(text)
    if yaml is None:
        lines = "\n".join(n.lines for n in found)
        raise UsageError(f"cannot edit {path} without changing its layout (it does not read back unchanged); "
                         f"add these lines to it by hand and publish again:\n{lines}")
    doc = yaml.load(text)
    for need in found:
        assert need.edit is not None
        need.edit(doc)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue().encode("utf-8")


def _round_trip(text: str) -> Any:
    """A ruamel.yaml round-trip dumper that writes ``text`` back exactly, or None."""
    from ruamel.yaml import YAML

    for mapping, sequence, offset in ((2, 4, 2), (2, 2, 0), (4, 4, 0), (4, 4, 2), (4, 6, 4), (2, 3, 1)):
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            out = io.StringIO()
            yaml.dump(yaml.load(text), out)
        except Exception:  # the user's file; any failure means: not edited
            return None
        if out.getvalue() == text:
            return yaml
    return None
