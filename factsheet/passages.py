"""A cited passage seen from outside the briefing: its context in the source, a text-fragment
link that opens the original page scrolled to it, and the heading anchors every renderer shares.

Pure functions of a span and its source text; no rendering library is imported here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from factsheet.model import Source, Span

CONTEXT_CHARS = 240  # at most this many characters of context on each side of a passage
_PARAGRAPH = re.compile(r"\r?\n[ \t]*\r?\n")  # a blank line, LF or CRLF


@dataclass(frozen=True)
class Passage:
    """A span with the text around it, cut at paragraph breaks and word boundaries."""

    before: str
    text: str
    after: str
    cut_before: bool  # the context was shortened: show an ellipsis
    cut_after: bool


def passage(source: Source, span: Span, width: int = CONTEXT_CHARS) -> Passage:
    text = source.text
    lo = max(0, span.start - width)
    before = text[lo : span.start]
    breaks = list(_PARAGRAPH.finditer(before))
    cut_before = lo > 0
    if breaks:
        before, cut_before = before[breaks[-1].end() :], False
    elif cut_before:
        before = before[_first_space(before) :]
    hi = min(len(text), span.end + width)
    after = text[span.end : hi]
    brk = _PARAGRAPH.search(after)
    cut_after = hi < len(text)
    if brk:
        after, cut_after = after[: brk.start()], False
    elif cut_after:
        after = after[: _last_space(after)]
    return Passage(before.lstrip(), span.text, after.rstrip(), cut_before, cut_after)


def _first_space(s: str) -> int:
    m = re.search(r"\s", s)
    return m.end() if m else 0


def _last_space(s: str) -> int:
    m = re.search(r"\s\S*$", s)
    return m.start() if m else len(s)


# ---- text fragments (https://wicg.github.io/scroll-to-text-fragment/) ------------------------

WHOLE_WORDS = 8  # a passage longer than this is addressed by its first and last words


def text_fragment_url(url: str, source: Source, span: Span) -> str:
    """``url#:~:text=[prefix-,]start[,end]``: the original page, scrolled to the passage.

    The browser matches rendered text, which has no line breaks inside a block, so only words on
    the passage's first and last line are used; a prefix is added when the passage occurs more
    than once in the source.
    """
    words = span.text.split()
    lines = [line.split() for line in span.text.splitlines() if line.split()]
    if len(words) <= WHOLE_WORDS and len(lines) == 1:
        directive = _enc(" ".join(words))
    else:
        first, last = lines[0][:4], lines[-1][-4:]
        directive = f"{_enc(' '.join(first))},{_enc(' '.join(last))}"
    if source.text.count(span.text) > 1:
        prefix = source.text[: span.start].split()[-3:]
        if prefix:
            directive = f"{_enc(' '.join(prefix))}-,{directive}"
    joiner = ":~:" if "#" in url else "#:~:"
    return f"{url}{joiner}text={directive}"


def _enc(text: str) -> str:
    # '-', ',' and '&' separate the directive's parts, so they are always percent-encoded.
    return quote(text, safe="").replace("-", "%2D")


# ---- heading anchors -----------------------------------------------------------------------

def heading_anchor(title: str) -> str:
    """The id GitHub, Goldmark (Hugo), kramdown's GFM reader (Jekyll) and Pandoc give a heading.

    Lower case; everything but letters, digits, spaces, ``-`` and ``_`` dropped; each space a
    hyphen. python-markdown (MkDocs) and Pandoc agree for titles that start with a letter and
    whose punctuation is not surrounded by spaces (docs/publishing.md has the table).
    """
    kept = "".join(c for c in title.strip().lower()
                   if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")
