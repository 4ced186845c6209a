"""Characters that act rather than show, and where a user-perceived character begins.

One table serves every stage: the rule that refuses hidden characters in curated text, the echo of
a content line under a message, and the escaping of everything the command prints.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Bidi embeddings, overrides and isolates reorder how text displays ("Trojan Source"); line and
# paragraph separators act on terminals and renderers.
REORDERING = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
              0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
              0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
              0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
              0x2069: "POP DIRECTIONAL ISOLATE", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}
# Bidi *marks* reorder nothing by themselves and right-to-left text needs them: allowed in
# content, but escaped on a terminal, where they can still move what follows them.
MARKS = {0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK", 0x061C: "ARABIC LETTER MARK"}


def is_control(code: int) -> bool:
    """C0 and C1 control characters and DEL."""
    return code < 0x20 or 0x7F <= code < 0xA0


# Found by one regex search in C: a loop over every character was a fifth of `check`.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(map(chr, REORDERING)) + "]")


def hidden_character(text: str) -> tuple[int, str] | None:
    """The first character of curated ``text`` that controls display rather than shows:
    (index, name). Tab, CR and LF are text."""
    found = _HIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code in REORDERING:
        return found.start(), f"U+{code:04X} ({REORDERING[code]})"
    return found.start(), f"control character U+{code:04X}"


def _acts_on_terminal(code: int) -> bool:
    return ((is_control(code) and code not in (0x09, 0x0A)) or code in REORDERING or code in MARKS
            or 0xD800 <= code <= 0xDFFF)  # lone surrogates: undecodable file names


def terminal_safe(text: str) -> str:
    """``text`` with every character that could act on a terminal written as an escape."""
    return "".join(_escape(c) if _acts_on_terminal(ord(c)) else c for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(line: str) -> str:
    """A content line as it may be echoed: every character that does not print (controls, format
    characters such as bidi marks, separators) becomes U+FFFD; tabs stay."""
    return "".join(c if c == "\t" or c.isprintable() else "\ufffd" for c in line)


# --- user-perceived characters ----------------------------------------------------------------

_REACH = 256  # how far back to look for a place where a cluster surely starts


def splits_character(text: str, index: int) -> bool:
    """True if a span boundary at ``index`` would cut a user-perceived character (an extended
    grapheme cluster, Unicode UAX #29) in two: combining and spacing marks, joiner sequences,
    emoji modifiers, flags, CR LF."""
    if index <= 0 or index >= len(text):
        return False
    if _break_between(text, index):
        return False
    pos = _cluster_start_before(text, index)
    grapheme = _grapheme()
    while pos < index:
        m = grapheme.match(text, pos)
        pos = m.end() if m else pos + 1
    return pos != index


def cuts_word(text: str, index: int) -> bool:
    """True if a span boundary at ``index`` would fall inside a word: Unicode default word
    boundaries (UAX #29), so "filed", "don't" and "3.14" are each one word, a hyphen or a space
    separates words, and each Chinese or Japanese character is a word of its own."""
    if index <= 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    if before.isspace() or after.isspace():
        return False
    if before.isascii() and after.isascii():  # the common case, without the regex
        if before.isalnum() and after.isalnum():
            return True
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return False  # between two ASCII punctuation marks or symbols words always break
        if before.isalnum() and after in _MID:  # "3.14", "e.g.", "don't": the next character decides
            right = text[index + 1] if index + 1 < len(text) else ""
            if right.isascii() or right.isspace() or right in _APART:
                return _joined(before, after, right)
        elif before in _MID and after.isalnum():
            left = text[index - 2] if index >= 2 else ""
            if left.isascii() or left.isspace() or left in _APART:
                return _joined(left, before, after)
        elif before != "_" and after != "_":
            return False  # a letter or digit beside a mark that never joins words ('"', '(', '-', …)
    if before in _SINGLE or after in _SINGLE:
        decided = _single_quote_edge(text, index, before, after)
        if decided is not None:
            return decided
    # Typographic double quotes, dashes and guillemets are "Other" to UAX #29: a word ends before
    # one, and after one unless a combining mark follows (left to the regex).
    if after in _APART or (before in _APART and (after.isascii() or after.isalnum())):
        return False
    return _word_boundary().match(text, index) is None


_MID = frozenset(".,:;'")


def _joined(left: str, mid: str, right: str) -> bool:
    # UAX #29 WB6-7 and WB11-12 in ASCII: letters join across . ' and :, digits across . ' , and ;.
    letters = left.isalpha() and right.isalpha() and mid in ".':"
    digits = left.isdigit() and right.isdigit() and mid in ".',;"
    return letters or digits


_APART = frozenset("\u201c\u201d\u201e\u2013\u2014\u00ab\u00bb")
_SINGLE = frozenset("\u2018\u2019")  # ‘ and ’: MidNumLet to UAX #29, joining as "." and "'" do


def _single_quote_edge(text: str, index: int, before: str, after: str) -> bool | None:
    """An edge beside ‘ or ’ (news text's apostrophes: "Facebook’s", "don’t") decided without the
    regex where the characters around are ones the ASCII rules know; None leaves it to the regex."""
    if before in _SINGLE and after in _SINGLE:
        return None
    if after in _SINGLE:
        word, mark = before, after
        other = text[index + 1] if index + 1 < len(text) else ""
    else:
        word, mark = after, before
        other = text[index - 2] if index >= 2 else ""
    if not (_known(word) and _known(other)) or word == "_":
        return None
    if not word.isalnum():
        return False  # punctuation, a symbol or a space beside the mark: words break there
    return _joined(word, "'", other) if mark == after else _joined(other, "'", word)


def _known(c: str) -> bool:
    return c.isascii() or c.isspace() or c in _APART


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``[start, end)`` widened to the edges of the words it starts and ends in."""
    while cuts_word(text, start):
        start -= 1
    while cuts_word(text, end):
        end += 1
    return start, end


@cache
def _word_boundary() -> Any:
    import regex  # `regex` knows Unicode word boundaries (the WORD flag); `re` knows only \w

    return regex.compile(r"(?w)\b")


@cache
def _grapheme() -> Any:
    import regex  # the `regex` module knows extended grapheme clusters (\X); `re` does not

    return regex.compile(r"\X")


def _break_between(text: str, index: int) -> bool:
    # Between two characters that neither extend, prepend nor join a cluster ends (UAX #29), so
    # most edges need no cluster counted at all: below U+0300 (Latin letters, digits, punctuation,
    # controls) and the dashes and typographic quotes of U+2010-U+2027, CR LF aside.
    before, after = text[index - 1], text[index]
    return _plain_edge(before) and _plain_edge(after) and not (before == "\r" and after == "\n")


def _plain_edge(c: str) -> bool:
    return c < "\u0300" or "\u2010" <= c <= "\u2027"


def _cluster_start_before(text: str, index: int) -> int:
    # A cluster surely starts where two ASCII characters meet (but CR LF); counting clusters
    # from there needs no text further back.
    floor = max(0, index - _REACH)
    for i in range(index - 1, floor, -1):
        if _break_between(text, i):
            return i
    return floor
