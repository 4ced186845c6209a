"""Curated text escaped by markup.escape shows literally in every real Markdown reader and site.

Each case is written three ways (a paragraph, a list item, a heading), rendered once per reader,
and read back as text: it must equal the curated text with white space runs collapsed.
"""

from __future__ import annotations

import random
import string

import pytest

from factsheet.outputs.markup import escape
from tests import clients

TOKENS = [
    *string.punctuation,
    "{{ site.title }}", "{% raw %}", "{%- endraw -%}", "{{< shortcode >}}", "{{% md %}}", "{{</* x */>}}",
    "{#id}", "{: .class}", "{::comment}", "{.smallcaps}", "[span]{.x}",
    "<script>alert(1)</script>", "<b>bold</b>", "<!-- c -->", "<http://x.example>", "&amp;", "&copy;",
    "&#65;", "*em*", "_em_", "**strong**", "__strong__", "`code`", "``", "```", "~~~", "~~del~~",
    "H~2~O", "2^10^", "$x$", "$$", "\\(", "\\[", "\\", "\\\\", "[link](http://x.example)",
    "![img](x.png)", "[^1]", "^[inline note]", "[@smith]", "@smith", "a@b.example",
    "https://example.org/a_b", "www.example.org", ":smile:", ":+1:", "1. item", "1) item",
    "2015. The", "- item", "+ item", "* item", "# h", "## h ##", "> quote", "| a | b |", "---",
    "***", "===", "...", "--", "<<", ">>", "(c)", "(tm)", "'single'", '"double"', "it's", "“curly”",
    "Café", "🎉", "\u00a0", "a\tb", "line\nbreak", "two  ", ":::", "::: note", "x_y_z", "+++", "\\*",
    "&nbsp;", "&amp", "&#", "Q&A", "a & b", "<", ">", "%}", "}}", "{{", "{%", "-}}", "#", "^", "~", "|",
    "import x from 'y'", "export const a = 1", "export default {}", "<Tag />", "{1 + 1}", "</div>", "{/* c */}",
]


def _cases() -> list[str]:
    cases = [t for t in TOKENS if t.strip()]
    rng = random.Random(6)
    for _ in range(150):
        parts = rng.choices(TOKENS, k=rng.randint(2, 6))
        cases.append("".join(p + rng.choice(["", " "]) for p in parts))
    return [c for c in cases if c.split()]


CASES = _cases()


def expected(text: str) -> str:
    return " ".join(text.split())


def document(mdx: bool = False) -> str:
    """Every case as a paragraph, a list item and a third-level heading."""
    out = []
    for case in CASES:
        e = escape(case, mdx=mdx)
        out.append(f"{e}\n\n- {e}\n\n### {e}\n\n")
    return "".join(out)


def _check(found: list[tuple[str, str]]) -> None:
    want = [(tag, expected(c)) for c in CASES for tag in ("p", "li", "h3")]
    problems = [f"{w[0]}: wanted {clients.dumps(w[1])}, got {clients.dumps(g[1])} ({g[0]})"
                for w, g in zip(want, found, strict=False) if w != g]
    assert len(found) == len(want), f"{len(found)} blocks for {len(want)} expected"
    assert not problems, f"{len(problems)} cases differ:\n" + "\n".join(problems[:20])


@pytest.fixture(scope="module")
def md() -> str:
    return document()


def test_python_markdown(md):
    _check(clients.blocks(clients.python_markdown(md)))


@pytest.mark.parametrize("reader", ["markdown", "gfm", "commonmark"])
def test_pandoc(md, reader):
    _check(clients.blocks(clients.pandoc(md, reader)))


def test_mdx_as_docusaurus_and_astro_compile_it():
    # MDX's own hazards too: expressions, JSX, and import/export at the start of a paragraph.
    _check(clients.blocks(clients.mdx(document(mdx=True))))


def test_mdx_shows_the_hostile_catalogue_as_text():
    from tests.test_hostile import hostile_statements

    statements = [*hostile_statements(8000), "import x from 'y'", "export default function X() {}"]
    html = clients.mdx("".join(f"{escape(s, mdx=True)}\n\n" for s in statements))
    assert [text for _, text in clients.blocks(html)] == [expected(s) for s in statements]


def test_kramdown_as_jekyll_configures_it(md):
    _check(clients.blocks(clients.kramdown(md)))


def _page(md: str) -> str:
    return '---\ntitle: "Cases"\n---\n\n' + md


def test_hugo_goldmark_after_shortcodes(md, tmp_path):
    site = clients.new_hugo_site(tmp_path / "hugo")
    (site / "content" / "cases.md").write_text(_page(md), encoding="utf-8")
    html = (clients.build_hugo(site) / "cases" / "index.html").read_text(encoding="utf-8")
    _check(clients.blocks(html, inside="content"))


def test_jekyll_liquid_then_kramdown(md, tmp_path):
    site = clients.new_jekyll_site(tmp_path / "jekyll")
    (site / "cases.md").write_text(_page(md), encoding="utf-8")
    html = (clients.build_jekyll(site) / "cases.html").read_text(encoding="utf-8")
    _check(clients.blocks(html, inside="content"))


def test_mkdocs_site(md, tmp_path):
    site = clients.new_mkdocs_site(tmp_path / "mkdocs")
    (site / "docs" / "cases.md").write_text(_page(md), encoding="utf-8")
    html = (clients.build_mkdocs(site) / "cases" / "index.html").read_text(encoding="utf-8")
    _check(clients.blocks(html, inside="main"))


@pytest.mark.parametrize("text", ["a\n\nb", "  x  ", "a \t\r\n b"])
def test_one_line_one_paragraph(text):
    assert "\n" not in escape(text) and escape(text) == escape(expected(text))


ANCHOR_TITLES = ["The vote", "Where the sources differ", "Under_score", "Reactions in 2024", "Mayor’s plan"]


@pytest.mark.parametrize("render", [
    clients.python_markdown, clients.kramdown,
    lambda md: clients.pandoc(md, "markdown"), lambda md: clients.pandoc(md, "gfm"),
], ids=["python-markdown", "kramdown", "pandoc", "pandoc-gfm"])
def test_heading_anchor_is_what_each_reader_makes(render):
    import re

    from factsheet.outputs.passages import heading_anchor

    md = "".join(f"## {escape(t)}\n\ntext\n\n" for t in ANCHOR_TITLES)
    ids = re.findall(r'<h2[^>]*\bid="([^"]+)"', render(md))
    assert ids == [heading_anchor(t) for t in ANCHOR_TITLES]
