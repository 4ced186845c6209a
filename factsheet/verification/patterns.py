"""A pattern body for a list of strings (names, most of all), built as a tree of their characters.

A flat alternation of hundreds of names ("zuckerberg|mark zuckerberg|facebook|…", a briefing's
entities) is tried name by name at every position of a text. As a tree ("face(?:book|)"), the
engine follows one branch per character instead: the same matches, 13 times faster on a source
with 300 declared names.
"""

from __future__ import annotations

import re


def alternation(strings, fold: bool = False) -> str:
    """A pattern body matching exactly ``strings`` (a space in one: any run of white space), where
    a longer string is tried before any shorter one it starts with: the strings as a tree of their
    characters. ``fold``: for a case-insensitive pattern, letters are put in lower case, so
    "Facebook" and "facebook" share one branch of the tree."""
    tree: dict = {}
    for string in strings:
        node = tree
        for ch in string:
            if fold and len(ch.lower()) == 1:
                ch = ch.lower()
            node = node.setdefault(ch, {})
        node[""] = {}  # a string ends here
    return _branches(tree)


def _branches(node: dict) -> str:
    ends = "" in node
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _branches(node[ch]) for ch in sorted(node) if ch]
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    # The empty branch last: a longer string is tried first, as in a flat alternation longest first.
    return "(?:" + "|".join(branches) + ("|" if ends else "") + ")"
