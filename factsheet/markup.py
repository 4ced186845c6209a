"""Escaping curated text so it shows literally, never acting as Markdown, HTML or site template.

The Markdown is read by python-markdown (MkDocs), Goldmark (Hugo), kramdown (Jekyll), Pandoc and
GitHub, each after its site generator's own template pass. A character is escaped with a
backslash only where all of them accept the backslash escape, else with a numeric character
reference, which every one of them decodes back to the character:

- ``\\ ` * _ { } [ ] ( ) # + !``: backslash (CommonMark, python-markdown and kramdown agree);
- ``< > &``: HTML references, so no tag or entity can form;
- ``| ~ ^ $ " ' =``: references, against tables, strikethrough, sub/superscript, math and the
  smart-quote passes of Pandoc and kramdown;
- ``-`` and ``.``: backslash where they could form a list item, a rule or a typographic dash
  or ellipsis.

``{`` is escaped everywhere, so ``{{ }}``, ``{% %}`` and ``{{< >}}`` never reach Liquid, Jinja or
Hugo's shortcode parser. White space runs (line breaks included) become one space: a statement is
one paragraph, and two trailing spaces cannot make a line break.
"""

from __future__ import annotations

import re

_BACKSLASH = set("\\`*_{}[]()#+!")
_REFERENCE = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;", "~": "&#126;", "^": "&#94;",
              "$": "&#36;", '"': "&quot;", "'": "&#39;", "=": "&#61;"}
_WS = re.compile(r"[ \t\r\n\f\v]+")
_EMOJI_CODE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")  # GitHub turns :name: into an emoji


class Markdown(str):
    """Text that is already Markdown written by the tool (not curated): emitted as is."""


def escape(text: str) -> Markdown:
    """Curated text -> Markdown that renders as exactly that text, on one line."""
    text = _WS.sub(" ", text).strip(" ")
    out = []
    for i, c in enumerate(text):
        if c in _BACKSLASH:
            out.append("\\" + c)
        elif c in _REFERENCE:
            out.append(_REFERENCE[c])
        elif c == "-" and (i == 0 or text[i - 1] == "-" or text[i + 1 : i + 2] == "-"):
            out.append("\\-")
        elif c == "." and (text[i - 1 : i] == "." or text[i + 1 : i + 2] == "." or _after_leading_number(text, i)):
            out.append("\\.")
        elif c == ":" and (i == 0 or _EMOJI_CODE.match(text, i)):
            out.append("&#58;")
        else:
            out.append(c)
    return Markdown("".join(out))


def _after_leading_number(text: str, i: int) -> bool:
    # "2015. The app…" at the start of a paragraph would become an ordered list.
    return text[:i].isdigit()


def finalize(value: object) -> str:
    """Jinja ``finalize`` for Markdown templates: everything is escaped unless it is Markdown."""
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return value
    return escape(str(value))
