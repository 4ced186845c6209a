"""The Markdown page as a Python-Markdown site (MkDocs) will show it, checked before it is written.

MkDocs renders pages with Python-Markdown and only the extensions its ``mkdocs.yml`` lists; a new
site lists none, so every note call would show as raw text (``[^fact-1]``). ``rendered`` converts
the page with exactly the site's extensions, and ``raw_note_calls`` finds what would show raw,
so ``publish`` can refuse, saying which lines to add, instead of publishing a broken page.
"""

from __future__ import annotations

import re
from typing import Any

DEFAULT_EXTENSIONS = ["footnotes", "toc"]
DEFAULT_CONFIGS: dict[str, dict[str, Any]] = {
    "footnotes": {"BACKLINK_TITLE": "Back to the statement"}, "toc": {"toc_depth": "2-3"}}
_RAW_CALL = re.compile(r"\[\^[A-Za-z0-9_-]+\]")


class UnknownExtension(Exception):
    """The site names a Markdown extension that is not installed here, or options (such as
    MkDocs' ``!!python/name:`` tags) that only MkDocs resolves."""


def strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        return md[end + 5 :]
    return md


def rendered(md: str, extensions: list[str] | None = None,
             configs: dict[str, dict[str, Any]] | None = None) -> str:
    """The page's body as Python-Markdown makes it with these extensions (front matter dropped,
    as MkDocs drops it)."""
    import markdown

    try:
        converter = markdown.Markdown(extensions=DEFAULT_EXTENSIONS if extensions is None else extensions,
                                      extension_configs=DEFAULT_CONFIGS if configs is None else configs,
                                      output_format="html")
        return converter.convert(strip_front_matter(md))
    except Exception as e:  # noqa: BLE001 (an extension not installed here, or options only MkDocs resolves)
        raise UnknownExtension(str(e)) from None


def raw_note_calls(html: str) -> list[str]:
    """Note calls or definitions left as text: the site does not render footnotes."""
    return _RAW_CALL.findall(html)


def site_extensions(config: dict) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """``markdown_extensions`` from an ``mkdocs.yml`` (names, or one-key mappings of a name to
    its options), as Python-Markdown takes them."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            names.append(str(name))
            if isinstance(options, dict):
                configs[str(name)] = options
    return names, configs
