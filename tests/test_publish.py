"""`factsheet publish` into new sites of every generator, each started by its own "new site"
command and built by the real generator, and the open exports read back by the W3C model's rules
and Pandoc's citeproc.

One briefing with hostile statements and title is published once per generator, and each site
built once (module-scoped; the tests run as one module on one worker): MkDocs (default theme, and
Material), Hugo, Jekyll, Quarto, Docusaurus and Astro. Each test reads the built HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from factsheet.cli import main
from factsheet.outputs.exports import annotations, sources_csl
from factsheet.outputs.passages import heading_anchor
from factsheet.pipeline import verify
from tests import clients, sitebuilds
from tests.conftest import FIXTURES

HOSTILE = ('Injected: <script>alert("x")</script> {{ site.title }} {{< param "title" >}} '
           '{{% param "title" %}} {% raw %} *emphasis* [^1] &amp; $x$ @smith ~~no~~')
# MDX reads {…} as an expression, <…> as JSX and a paragraph starting with import/export as code.
HOSTILE_MDX = "import x from 'y'; export const z = {a: 1}; <Tag prop={z} /> {1 + 1} </div>"
TITLE = 'The "bridge" vote: <b>{{ 7 }}</b> & more'
SLUG = "the-bridge-vote"
SLUG_LABEL = "The bridge vote"  # what a navigation that names the page after its folder shows
SECTION_TITLES = ["The vote", "Reactions"]
GENERATORS = ["mkdocs", "material", "hugo", "jekyll", "quarto", "docusaurus", "astro"]


def _hostile_source(content: Path, sid: str, text: str) -> None:
    # Web captures are where such text comes from: a source says it, and a fact quotes it.
    captured = (text + "\n").encode("utf-8")
    (content / "sources" / f"{sid}.txt").write_bytes(captured)
    with open(content / "sources" / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"- id: {sid}\n  file: {sid}.txt\n  title: {json.dumps(text)}\n"
                     f"  sha256: {hashlib.sha256(captured).hexdigest()}\n")
    with open(content / "facts" / "hostile.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"- id: {sid}\n  section: reactions\n  statement: {json.dumps(text)}\n"
                     f"  citations:\n    - source: {sid}\n      quote: {json.dumps(text)}\n")


def _hostile_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURES / "small", content)
    briefing = content / "briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace('title: "The bridge vote"', f"title: {json.dumps(TITLE)}"),
                        encoding="utf-8")
    _hostile_source(content, "hostile", HOSTILE)
    _hostile_source(content, "hostile-mdx", HOSTILE_MDX)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return _hostile_content(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="module")
def briefing(content):
    b, report = verify(content)
    assert b is not None, report.sorted()
    return b


def _publish(generator: str, content: Path, site: Path, *more: str) -> None:
    assert main(["publish", "--content", str(content), "--to", generator, "--slug", SLUG, *more, str(site)]) == 0


NEW: dict[str, Callable[[Path], Path]] = {
    "mkdocs": sitebuilds.new_mkdocs, "material": sitebuilds.new_material, "hugo": sitebuilds.new_hugo,
    "jekyll": sitebuilds.new_jekyll, "docusaurus": sitebuilds.new_docusaurus, "astro": sitebuilds.new_astro,
    "quarto": lambda root: sitebuilds.new_quarto(root) if shutil.which("quarto")
    else sitebuilds.write_quarto_website(root)}
TO = {"material": "mkdocs"}  # the --to of each test site
PAGE = {"mkdocs": "docs/the-bridge-vote.md", "material": "docs/the-bridge-vote.md",
        "hugo": "content/the-bridge-vote/index.md", "jekyll": "the-bridge-vote/index.md",
        "quarto": "the-bridge-vote/index.qmd", "docusaurus": "docs/the-bridge-vote.mdx",
        "astro": "src/pages/the-bridge-vote.mdx"}
PDF = {"mkdocs": "docs/the-bridge-vote/the-bridge-vote.pdf", "material": "docs/the-bridge-vote/the-bridge-vote.pdf",
       "hugo": "content/the-bridge-vote/the-bridge-vote.pdf", "jekyll": "the-bridge-vote/the-bridge-vote.pdf",
       "quarto": "the-bridge-vote/the-bridge-vote.pdf", "docusaurus": "docs/the-bridge-vote/the-bridge-vote.pdf",
       "astro": "public/the-bridge-vote/the-bridge-vote.pdf"}
URL = {"docusaurus": "/docs/the-bridge-vote"}  # the page's path on the site; the others: /the-bridge-vote/
MAIN = {"mkdocs": "main", "material": "article", "hugo": "main", "jekyll": "body", "quarto": "main",
        "docusaurus": "theme-doc-markdown", "astro": "main"}
SECONDS: dict[str, float] = {}  # each generator's publish + build, for the report below


@pytest.fixture(scope="module")
def published(content, tmp_path_factory) -> Callable[[str], Path]:
    """A new site of each generator with the briefing published into it, once each: the site
    folder, which the tests below read (or copy) and never change. MkDocs sites are new, so
    without footnotes: publish adds them (--configure); Quarto's navbar is written by hand, so
    --configure adds the page to it."""
    sites: dict[str, Path] = {}

    def get(generator: str) -> Path:
        if generator not in sites:
            start = time.perf_counter()
            root = NEW[generator](tmp_path_factory.mktemp(generator) / "site")
            configure = ("--configure",) if generator in ("mkdocs", "material", "quarto") else ()
            _publish(TO.get(generator, generator), content, root, *configure)
            SECONDS[generator] = time.perf_counter() - start
            sites[generator] = root
        return sites[generator]
    return get


@pytest.fixture(scope="module", params=GENERATORS)
def site(request, published):
    """(generator, built HTML of the page, the built site folder, the source site folder)."""
    generator = request.param
    root = published(generator)
    start = time.perf_counter()
    out = sitebuilds.build(generator, root)
    SECONDS[generator] += time.perf_counter() - start
    print(f"{generator}: new site, publish and build in {SECONDS[generator]:.1f} s")
    page = out / URL.get(generator, f"/{SLUG}/").strip("/") / "index.html"
    return generator, page.read_text(encoding="utf-8"), out, root


def _main_blocks(generator: str, page: str) -> list[tuple[str, str]]:
    return clients.blocks(page, inside=MAIN[generator])


def test_page_and_pdf_are_written_where_the_generator_reads_them(published):
    for generator in ("mkdocs", "hugo", "jekyll", "quarto"):
        root = published(generator)
        assert (root / PAGE[generator]).read_text(encoding="utf-8").startswith("---\n")
        assert (root / PDF[generator]).read_bytes().startswith(b"%PDF-")


def test_title_comes_from_front_matter(site):
    _, page, _, _ = site
    assert sitebuilds.title(page).startswith(TITLE)  # most add " - <site name>"


def test_page_is_in_the_navigation_under_the_briefing_title(site):
    generator, page, _, _ = site
    here = f"http://site.test{URL.get(generator, f'/{SLUG}/')}"
    links = sitebuilds.read(page).links
    to_page = [(href, text) for href, text, _ in links
               if urljoin(here, href).rstrip("/").removesuffix("/index.html") == here.rstrip("/")]
    assert TITLE in [text for _, text in to_page], to_page
    assert SLUG_LABEL not in [text for _, text, _ in links]


def test_every_footnote_call_resolves_to_its_note(site, briefing):
    _, page, _, _ = site
    read = sitebuilds.read(page)
    assert len(read.calls) == len(briefing.all_citations()) == 10
    assert len(set(read.calls)) == len(read.calls)
    assert [c for c in read.calls if c not in read.ids] == []
    for call in read.calls:  # the note holds the cited words
        assert "“" in read.ids[call], read.ids[call]


def test_hostile_statements_show_as_text(site):
    generator, page, _, _ = site
    statements = [text for tag, text in _main_blocks(generator, page) if tag == "p"]
    # Each fact rests on one source, so its paragraph ends with the single-source mark.
    assert f"{HOSTILE} (single source)" in statements
    assert f"{HOSTILE_MDX} (single source)" in statements
    assert "<em>emphasis</em>" not in page and "<del>" not in page
    assert 'alert("x")</script>' not in page and "alert(&quot;x&quot;)</script>" not in page


def test_no_markdown_or_template_syntax_is_left(site):
    generator, page, _, _ = site
    text = " ".join(t for _, t in _main_blocks(generator, page))
    for meant in (HOSTILE_MDX, HOSTILE, TITLE):
        text = text.replace(meant, "")
    for leftover in ("[^", "{{", "}}", "{%", "%}", "{#", "{", "}", "](", "&amp;", "&#", "&lt;"):
        assert leftover not in text, leftover


def test_section_anchors_are_the_shared_slug(site):
    generator, page, _, _ = site
    tag = "section" if generator == "quarto" else "h2"  # Quarto puts the id on the heading's section
    ids = set(re.findall(rf'<{tag}[^>]*\bid="?([^" >]+)', page))
    assert {heading_anchor(t) for t in SECTION_TITLES} <= ids


def test_pdf_download_link_resolves_in_the_built_site(site):
    generator, page, out, _ = site
    pdfs = [href for href, _, _ in sitebuilds.read(page).links if href.endswith(".pdf")]
    assert len(pdfs) == 1
    target = urljoin(f"http://site.test{URL.get(generator, f'/{SLUG}/')}", pdfs[0])
    assert (out / unquote(target.removeprefix("http://site.test/"))).read_bytes().startswith(b"%PDF-")


def test_footnotes_link_to_the_passage_in_the_original(site):
    _, page, _, _ = site
    links = [href for href, _, _ in sitebuilds.read(page).links
             if href.startswith("https://gazette.example/bridge#:~:text=")]
    assert len(links) == 5  # the Gazette's five citations; the Herald has no URL
    assert any("text=The%20bridge%20will%20cost" in link for link in links)


def test_title_shows_once_where_the_site_prints_it(site):
    generator, page, _, _ = site
    h1 = [text for tag, text in _main_blocks(generator, page) if tag == "h1"]
    # Hugo's and Jekyll's test layouts print no title; MkDocs needs the page's own heading.
    assert h1 == ([] if generator in ("hugo", "jekyll") else [TITLE])


def test_adjacent_footnote_calls_stay_apart(site):
    _, page, _, _ = site
    # "¹²" would read as twelve. Quarto puts the sup inside the link, the others the link in the sup.
    assert not re.search(r"</sup>(?:</a>)?[ \t\n]*(?:<a[^>]*>)?<sup", page)
    assert re.search(r"</sup>(?:</a>)?(\xa0|&nbsp;|&#160;)(?:<a[^>]*>)?<sup", page)


def test_build_seconds_per_generator():
    # Printed with -s or on failure: what each generator's site costs the test run.
    for generator, seconds in SECONDS.items():
        print(f"{generator}: {seconds:.1f} s")


def test_republishing_replaces_our_page_but_never_a_foreign_one(content, published, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(published("hugo"), root, symlinks=True)  # a Hugo site the briefing was published to
    _publish("hugo", content, root)
    page = root / "content" / "other" / "index.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: Mine\n---\nhello\n", encoding="utf-8")
    assert main(["publish", "--content", str(content), "--to", "hugo", "--slug", "other", str(root)]) == 2
    assert page.read_text(encoding="utf-8").endswith("hello\n")
    assert "was not written by factsheet" in capsys.readouterr().err


def test_the_record_of_the_sites_pdfs_is_not_published(site):
    generator, _, built, root = site
    assert (root / ".factsheet-publish.json").is_file()
    assert not list(built.rglob(".factsheet-publish.json")), generator


def test_publishing_unchanged_content_again_lays_no_pdf_out(content, published, tmp_path):
    from factsheet.outputs.environment import DEFAULT_TEMPLATES
    from factsheet.sites import publish

    root = tmp_path / "site"
    shutil.copytree(published("mkdocs"), root, symlinks=True)  # the briefing published, its PDF recorded
    pdf, page = root / PDF["mkdocs"], root / PAGE["mkdocs"]
    first, first_page = pdf.read_bytes(), page.read_bytes()

    def again(source: Path) -> list[str]:
        lines: list[str] = []
        publish(source, "mkdocs", root, DEFAULT_TEMPLATES, slug=SLUG, progress=lines.append)
        return lines

    assert any(line.startswith("render: PDF skipped") for line in again(content))
    assert (pdf.read_bytes(), page.read_bytes()) == (first, first_page)
    # A PDF changed on the site is laid out again, and so is the PDF of changed content.
    pdf.write_bytes(first + b"%%")
    assert not any("skipped" in line for line in again(content))
    assert pdf.read_bytes().startswith(b"%PDF") and not pdf.read_bytes().endswith(b"%%")
    edited = tmp_path / "edited"
    shutil.copytree(content, edited)
    head = edited / "briefing.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace("A small fixture briefing", "An edited subtitle"),
                    encoding="utf-8")
    assert not any("skipped" in line for line in again(edited))
    assert "An edited subtitle" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("generator", ["mkdocs", "hugo", "jekyll", "quarto", "docusaurus", "astro"])
def test_publish_to_a_folder_that_is_not_that_site_is_a_usage_error(generator, content, tmp_path, capsys):
    assert main(["publish", "--content", str(content), "--to", generator, str(tmp_path)]) == 2
    name = {"mkdocs": "MkDocs", "docusaurus": "Docusaurus"}.get(generator, generator.capitalize())
    assert f"is not a {name} site" in capsys.readouterr().err


def test_default_slug_is_the_title_in_ascii(briefing):
    from factsheet.sites import default_slug

    assert default_slug(briefing) == "the-bridge-vote-b-7-b-more"


def test_front_matter_follows_each_generator(published):
    def front(generator: str) -> str:
        return (published(generator) / PAGE[generator]).read_text(encoding="utf-8").split("\n---\n")[0]

    jekyll = front("jekyll")
    assert 'last_modified_at: "2024-05-07"' in jekyll and "lastmod" not in jekyll
    assert jekyll.startswith('---\nlayout: "default"\n')  # `jekyll new --blank` sets no default layout
    assert 'menus: "main"' in front("hugo")
    quarto = front("quarto")  # Pandoc reads metadata as Markdown: the title is escaped like the page
    assert 'title: "The &quot;bridge&quot; vote: &lt;b&gt;&#123;&#123; 7 &#125;&#125;&lt;/b&gt; & more"' in quarto
    assert 'resources: ["the-bridge-vote.pdf"]' in quarto
    assert front("astro").startswith('---\nlayout: "../layouts/Layout.astro"\n')


# ---- open exports --------------------------------------------------------------------------

def test_annotations_follow_the_w3c_model(briefing):
    doc = json.loads(json.dumps(annotations(briefing)))
    assert doc["type"] == "AnnotationCollection" and doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = doc["first"]["items"]
    assert doc["total"] == len(items) == len(briefing.all_citations())
    assert len({a["id"] for a in items}) == len(items)
    texts = {s.url or f"urn:sha256:{s.sha256}": s.text for s in briefing.sources}
    for a in items:
        # Required by https://www.w3.org/TR/annotation-model/: @context, id (an IRI), type, target.
        assert a["@context"] == "http://www.w3.org/ns/anno.jsonld" and a["type"] == "Annotation"
        assert re.match(r"^[a-z][a-z0-9+.-]*:", a["id"])
        assert a["body"]["type"] == "TextualBody" and a["body"]["value"]
        quote, position = a["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text = texts[a["target"]["source"]]
        start, end = position["start"], position["end"]
        assert isinstance(start, int) and 0 <= start <= end <= len(text)
        assert quote["exact"] == text[start:end]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])


def test_annotation_ids_are_stable_across_builds(briefing):
    assert annotations(briefing) == annotations(briefing)


def test_csl_json_is_read_by_pandoc_citeproc(briefing, tmp_path):
    bib = tmp_path / "briefing.sources.csl.json"
    bib.write_text(json.dumps(sources_csl(briefing)), encoding="utf-8")
    done = subprocess.run([clients.require("pandoc"), "--citeproc", "--bibliography", str(bib), "-t", "plain"],
                          input="See @gazette and @herald.\n", capture_output=True, text=True, check=True)
    out = done.stdout.lower()  # the default style (Chicago) title-cases titles
    assert "city council votes on the new bridge" in out and "bridge approved" in out
    assert "may 7, 2024" in out and "the gazette" in out and "???" not in out and not done.stderr


def test_quarto_page_as_pandoc_reads_it(published, briefing):
    # Quarto renders a page with Pandoc's Markdown reader (and its own filters); where Quarto itself
    # is missing, the page still goes through that reader here, front matter included.
    qmd = (published("quarto") / PAGE["quarto"]).read_text(encoding="utf-8")
    html = clients.pandoc(qmd, "markdown")
    read = sitebuilds.read(html)
    assert len(read.calls) == len(briefing.all_citations()) and all(c in read.ids for c in read.calls)
    statements = [text for tag, text in clients.blocks(html) if tag == "p"]
    assert f"{HOSTILE} (single source)" in statements and f"{HOSTILE_MDX} (single source)" in statements
    assert '<div class="callout-note" data-appearance="simple" data-icon="false">' in html
    assert re.search(r'<a href="the-bridge-vote.pdf"\s+download="the-bridge-vote.pdf">Download\s+this briefing', html)
    standalone = subprocess.run([clients.require("pandoc"), "-f", "markdown", "-t", "html5", "-s"], input=qmd,
                                capture_output=True, text=True, check=True).stdout
    assert sitebuilds.title(standalone) == TITLE
