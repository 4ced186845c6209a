"""Escaping curated text so it shows literally, never acting as Markdown, HTML or site template.

``html_text`` is the HTML side (the print edition); everything below it is Markdown.

The Markdown is read by python-markdown (MkDocs), Goldmark (Hugo), kramdown (Jekyll), Pandoc and
GitHub, each after its site generator's own template pass. A character is escaped with a
backslash only where all of them accept the backslash escape, else with a numeric character
reference, which every one of them decodes back to the character:

- ``\\ ` * _ [ ] ( ) # + !``: backslash (CommonMark, python-markdown and kramdown agree);
- ``{ } < >``, and ``&`` where it would start a reference: references, so no tag, entity,
  Liquid/Jinja tag (``{{``, ``{%``) or Hugo shortcode (``{{<``, ``{{%``) can form: a backslash
  before ``{`` would still leave ``{%`` adjacent, which Liquid reads as a tag;
- ``| ~ ^ $ @ " ' =``: references, against tables, strikethrough, sub/superscript, math, Pandoc
  citations and e-mail autolinks, and the smart-quote passes of Pandoc and kramdown;
- ``-`` and ``.``: backslash where they could form a list item, a rule, a typographic dash or
  ellipsis, or a ``www.`` autolink; ``:`` as a reference at the start, before ``//`` (URL
  autolinks, whose text some readers would not decode) and in ``:emoji:`` codes.

MDX (Docusaurus, Astro) reads ``{`` as an expression and ``<`` as JSX, which the references above
already keep literal (MDX decodes character references as Markdown does); it also reads a
paragraph starting with ``import`` or ``export`` as JavaScript, so in MDX that first letter is a
reference too (``escape(text, mdx=True)``).

White space runs (line breaks included) become one space: a statement is one paragraph, and two
trailing spaces cannot make a line break. tests/test_markup.py renders a few hundred hostile
strings through every reader above (and through whole MkDocs, Hugo and Jekyll sites) and reads
the text back.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from markupsafe import escape as html_escape

_BACKSLASH = set("\\`*_[]()#+!")
_REFERENCE = {"{": "&#123;", "}": "&#125;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;", "^": "&#94;",
              "$": "&#36;", "@": "&#64;", '"': "&quot;", "'": "&#39;", "=": "&#61;"}
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_WS = re.compile(r"[ \t\r\n\f\v]+")
_EMOJI_CODE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")  # GitHub turns :name: into an emoji
_MDX_ESM = re.compile(r"(?:import|export)\b")  # MDX's ESM lines: import/export at a line's start


# Runs of this many non-space characters are set without automatic hyphenation: WeasyPrint tries
# every hyphenation point of a word, which for a 3,000-character token takes tens of seconds.
LONG_TOKEN = re.compile(r"\S{30,}")


def html_text(value: str) -> Markup:
    """Curated text as HTML: escaped, with long unbroken runs marked to wrap without hyphenation."""
    out, last = [], 0
    for m in LONG_TOKEN.finditer(value):
        out += [html_escape(value[last:m.start()]), Markup('<span class="unbroken">'),
                html_escape(m.group()), Markup("</span>")]
        last = m.end()
    out.append(html_escape(value[last:]))
    return Markup("").join(out)


class Markdown(str):
    """Text that is already Markdown written by the tool (not curated): emitted as is."""


def escape(text: str, mdx: bool = False) -> Markdown:
    """Curated text -> Markdown that renders as exactly that text, on one line (``mdx``: in MDX too)."""
    text = _WS.sub(" ", text).strip(" ")
    out = []
    for i, c in enumerate(text):
        if i == 0 and mdx and _MDX_ESM.match(text):
            out.append(f"&#{ord(c)};")
        elif i == 0 and c.isspace():
            # What is left at the start is white space only to Unicode (a no-break space, U+3000…):
            # python-markdown strips it from a paragraph's start, a reference it keeps.
            out.append(f"&#{ord(c)};")
        elif c in _BACKSLASH:
            out.append("\\" + c)
        elif c in _REFERENCE:
            out.append(_REFERENCE[c])
        elif c == "&" and _ENTITY.match(text, i):
            out.append("&amp;")  # only where it would start a reference: a bare & keeps anchors clean
        elif c == "-" and (i == 0 or text[i - 1] == "-" or text[i + 1 : i + 2] == "-"):
            out.append("\\-")
        elif c == "." and (text[i - 1 : i] == "." or text[i + 1 : i + 2] == "." or _after_leading_number(text, i)
                           or text[max(0, i - 3) : i].lower() == "www"):
            out.append("\\.")
        elif c == ":" and (i == 0 or _EMOJI_CODE.match(text, i) or text.startswith("//", i + 1)):
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


def finalize_mdx(value: object) -> str:
    """``finalize`` for MDX templates."""
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return value
    return escape(str(value), mdx=True)


_URL_SAFE = "!#$%&*+,-./:;=?@_~"


def link_destination(url: str) -> Markdown:
    """A URL as a Markdown link destination or autolink: percent-encoded outside a conservative
    set, so no space, bracket, parenthesis, brace or angle bracket can end or escape it."""
    from urllib.parse import quote

    return Markdown(quote(url, safe=_URL_SAFE))
