"""The footnotes extension with indexed reference order renders exactly what python-markdown's does."""

from __future__ import annotations

import markdown

from factsheet.html import EXTENSION_CONFIGS, EXTENSIONS, markdown_to_html

DOCUMENT = """\
First[^b] and second[^a], the first again[^b], and one never defined[^zz].

- in a list[^c]

[^a]: Note a.
[^b]: Note b.
[^c]: Note c.
[^unused]: Never referenced.
"""


def _stock(md: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                             output_format="html").convert(md)


def test_same_html_as_the_stock_extension_with_reordered_and_repeated_references():
    markdown_to_html.cache_clear()
    ours = markdown_to_html(DOCUMENT)
    assert ours == _stock(DOCUMENT)
    assert 'href="#fn:b"' in ours and "fnref2:b" in ours  # the repeated reference got its own back-link


def test_same_html_for_many_footnotes():
    body = " ".join(f"Fact {i}.[^n{i}]" for i in range(300, 0, -1))
    notes = "\n\n".join(f"[^n{i}]: Note {i}." for i in range(1, 301))
    document = f"{body}\n\n{notes}\n"
    markdown_to_html.cache_clear()
    assert markdown_to_html(document) == _stock(document)
