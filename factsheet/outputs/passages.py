"""A cited passage seen from outside the briefing: its context in the source, a text-fragment
link that opens the original page scrolled to it, and the heading anchors every renderer shares.

Two windows of context, one ``Passage`` type: the web page shows the passage in its paragraph
(``paragraph_context``, for a reader checking it on screen), the print edition's evidence
appendix in its sentence(s) (``sentence_context``, to keep the appendix short).
Pure functions of a span and its source text; no rendering library is imported here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from factsheet.model import Source, Span

CONTEXT_CHARS = 240  # at most this many characters of context on each side of a passage
PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")  # a blank line, LF or CRLF


@dataclass(frozen=True)
class Passage:
    """A span with the text around it, cut at paragraph breaks and word boundaries."""

    before: str
    text: str
    after: str
    cut_before: bool  # the context was shortened: show an ellipsis
    cut_after: bool


def paragraph_context(source: Source, span: Span, width: int = CONTEXT_CHARS) -> Passage:
    """The passage with up to ``width`` characters each side, within its paragraph, cut at words."""
    text = source.text
    lo = max(0, span.start - width)
    before = text[lo : span.start]
    breaks = list(PARAGRAPH_BREAK.finditer(before))
    cut_before = lo > 0
    if breaks:
        before, cut_before = before[breaks[-1].end() :], False
    elif cut_before:
        before = before[_first_space(before) :]
    hi = min(len(text), span.end + width)
    after = text[span.end : hi]
    brk = PARAGRAPH_BREAK.search(after)
    cut_after = hi < len(text)
    if brk:
        after, cut_after = after[: brk.start()], False
    elif cut_after:
        after = after[: _last_space(after)]
    return Passage(before.lstrip(), span.text, after.rstrip(), cut_before, cut_after)


# How much of the surrounding text the print appendix shows around a cited span.
MIN_CONTEXT = 60  # shorter than this on both sides together: take one more sentence each way
MAX_SIDE = 320  # never more than this many characters on one side
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)|\n")


def sentence_context(source: Source, span: Span) -> Passage:
    """The rest of the sentence(s) around the passage (one more each way if that is very short)."""
    text, start, end = source.text, span.start, span.end
    left, right = _sentence_start(text, start), _sentence_end(text, end)
    if (start - left) + (right - end) < MIN_CONTEXT:
        left, right = _sentence_start(text, max(left - 1, 0)), _sentence_end(text, min(right + 1, len(text)))
    before, after = text[left:start], text[end:right]
    cut_before, cut_after = len(before) > MAX_SIDE, len(after) > MAX_SIDE
    if cut_before:
        before = before[-MAX_SIDE:].split(" ", 1)[-1]
    if cut_after:
        after = after[:MAX_SIDE].rsplit(" ", 1)[0]
    return Passage(before if cut_before else before.lstrip(), span.text,
                   after if cut_after else after.rstrip(), cut_before, cut_after)


def _sentence_start(text: str, pos: int) -> int:
    # The last sentence end strictly before pos, skipping the white space after it.
    last = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 4 * MAX_SIDE), pos):
        if m.end() <= pos:
            last = m.end()
    while last < pos and text[last].isspace():
        last += 1
    return last


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos, min(len(text), pos + 4 * MAX_SIDE))
    if m is None:
        return min(len(text), pos + 4 * MAX_SIDE)
    return m.end() if m.group() != "\n" else m.start()


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
