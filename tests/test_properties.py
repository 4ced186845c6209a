"""Properties that hold for any input, checked with generated examples (hypothesis):

- any text a statement may hold renders literally: in the web page and in the print edition's HTML
  (both rendered from the model), and in the Markdown as python-markdown reads it, configured as
  factsheet does and as MkDocs does (footnotes and the usual extensions);
- any substring of a source, cited by its offsets, resolves to exactly itself (through the loader:
  files written, decoded by the offset rule, anchored);
- the loader, fed arbitrary bytes or YAML-shaped text, reports problems and never raises anything
  but the tool's own errors;
- a figure is left out of a text's figures exactly when it lies inside a place where one of the
  briefing's names is written (as whole words, any case, any white space), overlapping places
  included.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from factsheet.errors import FactsheetError
from factsheet.model import Briefing, Citation, Fact, Location, Section, Selector, Source, Span
from factsheet.outputs import printed as paged
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.outputs.markdown import render_markdown
from factsheet.outputs.sitemarkdown import rendered as markdown_to_html
from factsheet.outputs.sitemarkdown import strip_front_matter
from factsheet.outputs.web import render_html
from factsheet.pipeline import verify
from factsheet.text import cuts_word, splits_character
from factsheet.verification import figures, patterns

FIXTURE = Path(__file__).parent / "fixtures" / "small"
HERE = Location("facts/x.yaml", 1, 1)
HERALD_SHA = "0b8650fa76ad10e735dde4053b87303d3f2f437a8bcef49adbc7a03781fa8746"
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# What curated text may hold once checked: no surrogates (not encodable), no control characters
# but tab and line ends, no bidi embeddings/overrides/isolates, no line/paragraph separators
# (the control-character rule refuses those).
REFUSED = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x2028, 0x2029}
curated_char = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r",
                             exclude_characters="".join(map(chr, sorted(REFUSED))))
markdownish = st.sampled_from(list("\\`*_{}[]()#+-.!<>&|~^$\"'=:;/ \n\t") + [
    "  \n", "[^1]", "[^1]: x", "<b>", "</p>", "&amp;", "&#65;", "{{", "}}", "{%", "%}", "{{<", ">}}", "```",
    "~~~", "1. ", "- ", "> ", "# ", "---", "===", "***", "<!--", "-->", "javascript:", "http://x.y/",
    "![a](b)", "[a](b)", "[a]: b", "*[A]: b", "{: .c}", "!!! note", "klzzwxh:0000", "wzxhzdk:0",
    "_a_", "*a*", "__a__", "**a**", "`a`", "``a``", "<i>a</i>", "~~a~~", "a  \nb", "a\\\nb", "<https://x.y>"])
statement_text = st.lists(st.one_of(st.text(curated_char, max_size=8), markdownish), max_size=30).map("".join)


def _briefing(statement: str) -> Briefing:
    source = Source("src", "src.txt", "A source", None, None, None, "0" * 64, None, HERE, text="The words.",
                    actual_sha256="0" * 64)
    span = Span("src", 0, 10, "The words.")
    citation = Citation(Selector("src", "The words.", None, None, None, None, HERE), "f-1", span, 1)
    fact = Fact("f", "s", statement, (citation,), HERE, HERE)
    return Briefing("Title", None, None, "en", (), None, (), (Section("s", "Section", None, HERE),),
                    (source,), (fact,), notes=(citation,))


class _Paragraphs(HTMLParser):
    """The text of the paragraph that carries the footnote mark of fact ``f``, marks left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._text: list[str] | None = None
        self._mine = False
        self._sup = 0

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._text, self._mine = [], False
        elif tag == "sup":
            self._sup += 1
            self._mine |= dict(attrs).get("id") == "fnref:f-1"

    def handle_endtag(self, tag):
        if tag == "sup":
            self._sup -= 1
        elif tag == "p" and self._text is not None:
            if self._mine:
                self.found.append("".join(self._text))
            self._text = None

    def handle_data(self, data):
        if self._text is not None and not self._sup:
            self._text.append(data)


def _statement_in(html: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.found


class _Fact(HTMLParser):
    """The text of the element ``id="fact-f"`` (the page's and the print edition's fact
    paragraph), its citation calls and marks (``class="cite"``, ``"calls"``, ``"marks"``) left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: list[bool] = []  # for each element open inside the fact: is it a call
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._open or attrs.get("id") == "fact-f":
            self._open.append(bool({"cite", "calls", "marks"} & set((attrs.get("class") or "").split())))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()
            if not self._open:
                self.found.append("".join(self._text))
                self._text = []

    def handle_data(self, data):
        if self._open and not any(self._open):
            self._text.append(data)


def _fact_in(html: str) -> list[str]:
    parser = _Fact()
    parser.feed(html)
    parser.close()
    return parser.found


@functools.cache
def _mkdocs_reader():
    import markdown

    extensions = ["footnotes", "toc", "tables", "attr_list", "md_in_html", "admonition", "def_list", "abbr",
                  "fenced_code", "meta", "sane_lists"]
    return markdown.Markdown(extensions=extensions)


def _mkdocs(md: str) -> str:
    # One reader, reset between documents (python-markdown's reset() clears every extension's
    # state): the same HTML as a new reader gives, without building one per example.
    return _mkdocs_reader().reset().convert(strip_front_matter(md))


@SETTINGS
@given(statement_text)
@example("\xa0")  # white space to Unicode only: python-markdown strips it from a paragraph's start
@example("\u3000 words")
def test_any_statement_renders_literally(statement: str) -> None:
    briefing = _briefing(statement)
    # The Markdown writes the statement on one line (white space runs as one space), then its call
    # and the marker of a fact that one source alone supports.
    shown = re.sub(r"[ \t\r\n\f\v]+", " ", statement).strip(" ") + " (single source)"
    md = render_markdown(briefing)
    assert _statement_in(markdown_to_html(md)) == [shown]
    assert _statement_in(_mkdocs(md)) == [shown]
    # The web page and the print edition hold every character as curated (the print template
    # closes the paragraph on a line of its own).
    assert _fact_in(render_html(briefing, DEFAULT_TEMPLATES)) == [statement]
    print_html = paged.render_print_html(paged.print_document(briefing, [], None), DEFAULT_TEMPLATES)
    assert _fact_in(print_html) == [statement + "\n"]


# --- offsets ------------------------------------------------------------------------------------

source_char = st.characters(exclude_categories=("Cs",))
source_text = st.tuples(st.booleans(), st.lists(st.one_of(
    st.text(source_char, max_size=10), st.sampled_from(["\r\n", "\n", "e\u0301", "👩\u200d👩", "🇫🇷", " ", "“"])),
    min_size=1, max_size=20)).map(lambda t: ("\ufeff" if t[0] else "") + "".join(t[1]))


def _yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every unprintable character escaped."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c.isprintable() and c not in "\u2028\u2029\x85\ufeff" and ord(c) < 0xE000:
            out.append(c)
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


def _content(workdir: Path) -> Path:
    content = workdir / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(FIXTURE, content)
    return content


@SETTINGS
@given(text=source_text, data=st.data())
def test_any_substring_cited_by_offsets_resolves_to_itself(workdir: Path, text: str, data) -> None:
    assume(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip() and len(quote) <= 4000)
    partial = data.draw(st.booleans())  # a citation of part of a word says so
    content = _content(workdir)
    raw = text.encode("utf-8")
    (content / "sources/herald.txt").write_bytes(raw)
    sources = content / "sources/sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(HERALD_SHA, hashlib.sha256(raw).hexdigest()),
                       encoding="utf-8")
    for name in ("vote.yaml", "reactions.yaml"):
        (content / "facts" / name).unlink()
    (content / "facts/cited.yaml").write_text(
        f"- id: cited\n  section: vote\n  statement: Cited.\n  citations:\n"
        f"    - source: herald\n      quote: {_yaml_quoted(quote)}\n      start: {start}\n      end: {end}\n"
        + ("      partial: true\n" if partial else ""), encoding="utf-8")
    briefing, report = verify(content)
    errors = [d for d in report.errors if d.rule != "unused-source"]
    if splits_character(text, start) or splits_character(text, end):
        assert [d.message for d in errors] == [
            f"span {start}–{end} cuts a character in two at offset "
            f"{start if splits_character(text, start) else end}"]
        return
    if not partial and (cuts_word(text, start) or cuts_word(text, end)):
        assert len(errors) == 1 and errors[0].message.endswith("; cite whole words"), [d.format() for d in errors]
        return
    assert errors == [], [d.format() for d in errors]
    (citation,) = briefing.facts[0].citations
    assert (citation.span.start, citation.span.end, citation.span.text) == (start, end, text[start:end])


# --- the loader on arbitrary input ---------------------------------------------------------------

yaml_token = st.sampled_from([
    "- ", "-", ": ", ":", "? ", "&a ", "*a", "!!python/object:os.system ", "!x ", "!!str ", "!!binary ", "---\n",
    "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "{", "}", "[", "]", ",", "'", '"', "|\n", ">-\n", "#", "\n",
    "  ", "\t", "id", "section", "statement", "citations", "source", "quote", "start", "end", "vote", "herald",
    "gazette", "12", "-1", "12.0", "true", "no", "0777", "1_000", "2018-03-21", "~", "null", "<<", "\u2028",
    "\x85", "\ufeff", "\x00", "\r", "\r\n", "é", "\U0001f389", "x" * 50])
arbitrary_yaml = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.lists(yaml_token, max_size=60).map(lambda t: "".join(t).encode("utf-8", "surrogatepass")),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                 max_leaves=20).map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8")),
)


@SETTINGS
@given(data=arbitrary_yaml, target=st.sampled_from(["facts/vote.yaml", "briefing.yaml", "sources/sources.yaml"]))
def test_loader_raises_only_its_own_errors(workdir: Path, data: bytes, target: str) -> None:
    content = _content(workdir)
    (content / target).write_bytes(data)
    try:
        briefing, report = verify(content)
    except FactsheetError:
        return
    if briefing is None:
        assert report.errors, "a briefing that cannot be built has a reason"
        assert all(d.location.line >= 1 and d.location.col >= 1 for d in report.items)


name_word = st.sampled_from(["Apache", "apache", "Proposition", "2.0", "8", "8%", "3", "two", "million", "Windows",
                             "11", "v"])
gap = st.sampled_from([" ", "  ", "\n", ", ", "-", ""])


@SETTINGS
@given(names=st.lists(st.lists(name_word, min_size=1, max_size=3).map(" ".join), max_size=4).map(tuple),
       words=st.lists(st.tuples(name_word, gap), max_size=14))
def test_a_figure_inside_a_name_is_no_figure(names: tuple[str, ...], words: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in words)
    places = []
    for name in names:  # each place the name is written, tried from every character
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", re.IGNORECASE)
        places += [m.span() for i in range(len(text) + 1) if (m := pattern.match(text, i))]
    every = figures.figures(text, bare_one=False)
    expected = [f for f in every if not any(a <= f.start and f.end <= b for a, b in places)]
    assert figures.figures(text, bare_one=False, names=names) == expected


name_piece = st.sampled_from(["a", "b", "A", "ab", "é", "É", "ß", ".", " ", "  ", "U.S.", "-", "#", "1"])


@SETTINGS
@given(names=st.lists(st.lists(name_piece, min_size=1, max_size=4).map("".join).map(str.strip).filter(bool),
                      min_size=1, max_size=6),
       text=st.lists(name_piece, max_size=20).map("".join), ignore_case=st.booleans())
def test_names_as_a_tree_match_what_the_names_one_by_one_longest_first_match(
        names: list[str], text: str, ignore_case: bool) -> None:
    """``language.alternation`` (the entities' and the figures rule's name patterns): the same
    matches as a flat alternation of the names, longest first, in any case and any spacing."""
    flags = re.IGNORECASE if ignore_case else 0
    flat = sorted({re.escape(n).replace(r"\ ", r"\s+") for n in names}, key=len, reverse=True)
    expected = re.compile(r"(?<![\w#])(?:" + "|".join(flat) + r")(?![\w])", flags)
    tree = re.compile(r"(?<![\w#])(?:" + patterns.alternation(set(names)) + r")(?![\w])", flags)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in expected.finditer(text)]
    if ignore_case:  # letters folded to lower case: the same matches again
        folded = re.compile(r"(?<![\w#])(?:" + patterns.alternation(set(names), fold=True) + r")(?![\w])", flags)
        assert [m.span() for m in folded.finditer(text)] == [m.span() for m in expected.finditer(text)]


def test_names_as_long_as_the_schema_allows_nest_without_overflowing() -> None:
    """Entity names are at most 400 characters (shortText): 400 names each the one before and a
    letter more nest 400 deep, and compile and match as a flat alternation does."""
    names = ["a" * n for n in range(1, 401)] + ["b " * 199 + "b"]
    tree = re.compile(r"(?<![\w#])(?:" + patterns.alternation(names, fold=True) + r")(?![\w])", re.IGNORECASE)
    assert [m.span() for m in tree.finditer("A" * 400 + " " + "a" * 401 + " " + "B  " * 200)] == [(0, 400), (803, 1401)]


def test_figures_inside_overlapping_names_are_no_figures() -> None:
    text = "Apache 2.0 and 3 apache  2.0 8 8 8"
    found = figures.figures(text, bare_one=False, names=("Apache", "Apache 2.0", "8 8"))
    assert [f.text for f in found] == ["3"]
