"""`factsheet publish` into fresh MkDocs, Hugo and Jekyll sites, built by the real generators, and
the open exports read back by the W3C model's rules and Pandoc's citeproc.

One briefing with a hostile statement and title is published once per generator (module-scoped);
each test reads the built HTML.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest

from factsheet.cli import main
from factsheet.outputs.exports import annotations, sources_csl
from factsheet.outputs.passages import heading_anchor
from factsheet.pipeline import verify
from tests import clients
from tests.conftest import FIXTURES

HOSTILE = ('Injected: <script>alert("x")</script> {{ site.title }} {{< param "title" >}} '
           '{{% param "title" %}} {% raw %} *emphasis* [^1] &amp; $x$ @smith ~~no~~')
TITLE = 'The "bridge" vote: <b>{{ 7 }}</b> & more'
SLUG = "the-bridge-vote"
SECTION_TITLES = ["The vote", "Reactions"]


def _hostile_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURES / "small", content)
    briefing = content / "briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace('title: "The bridge vote"', f"title: {json.dumps(TITLE)}"),
                        encoding="utf-8")
    # Web captures are where such text comes from: a source says it, and a fact quotes it.
    captured = (HOSTILE + "\n").encode("utf-8")
    (content / "sources" / "hostile.txt").write_bytes(captured)
    with open(content / "sources" / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"- id: hostile\n  file: hostile.txt\n  title: {json.dumps(HOSTILE)}\n"
                     f"  sha256: {hashlib.sha256(captured).hexdigest()}\n")
    (content / "facts" / "hostile.yaml").write_text(
        f"- id: hostile\n  section: reactions\n  statement: {json.dumps(HOSTILE)}\n"
        f"  citations:\n    - source: hostile\n      quote: {json.dumps(HOSTILE)}\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return _hostile_content(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="module")
def briefing(content):
    b, report = verify(content)
    assert b is not None, report.sorted()
    return b


def _publish(generator: str, content: Path, site: Path) -> None:
    assert main(["publish", "--content", str(content), "--to", generator, "--slug", SLUG, str(site)]) == 0


NEW = {"mkdocs": clients.new_mkdocs_site, "hugo": clients.new_hugo_site, "jekyll": clients.new_jekyll_site}
BUILD = {"mkdocs": clients.build_mkdocs, "hugo": clients.build_hugo, "jekyll": clients.build_jekyll}
PAGE_DIR = {"mkdocs": "docs", "hugo": "content", "jekyll": "."}
MAIN = {"mkdocs": "main", "hugo": "content", "jekyll": "content"}


@pytest.fixture(scope="module")
def published(content, tmp_path_factory) -> Callable[[str], Path]:
    """A fresh site of each generator with the briefing published into it, once each: the site
    folder, which the tests below read (or copy) and never change."""
    sites: dict[str, Path] = {}

    def get(generator: str) -> Path:
        if generator not in sites:
            root = NEW[generator](tmp_path_factory.mktemp(generator) / "site")
            _publish(generator, content, root)
            sites[generator] = root
        return sites[generator]
    return get


@pytest.fixture(scope="module", params=["mkdocs", "hugo", "jekyll"])
def site(request, published):
    """(generator, built HTML of the page, the built site folder, the source site folder)."""
    generator = request.param
    root = published(generator)
    out = BUILD[generator](root)
    page = out / SLUG / "index.html"
    return generator, page.read_text(encoding="utf-8"), out, root


def _text(page_html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page_html))


def test_page_bundle_is_written_where_the_generator_reads_pages(site):
    generator, _, _, root = site
    folder = root / PAGE_DIR[generator] / SLUG
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", f"{SLUG}.pdf"]
    assert (folder / f"{SLUG}.pdf").read_bytes().startswith(b"%PDF-")


def test_title_comes_from_front_matter(site):
    _, page, _, _ = site
    title = htmllib.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()
    assert title.startswith(TITLE)  # MkDocs appends " - <site name>"


def test_every_footnote_call_resolves_to_its_note(site, briefing):
    _, page, _, _ = site
    calls, ids = clients.footnote_links(page)
    assert len(calls) == len(briefing.all_citations()) == 9
    assert len(set(calls)) == len(calls)
    assert [c for c in calls if c not in ids] == []
    for call in calls:  # the note holds the cited words
        note = re.search(rf'id="{re.escape(call)}"(.*?)</li>', page, re.S).group(1)
        assert "“" in _text(note)


def test_hostile_statement_shows_as_text(site):
    generator, page, _, _ = site
    statements = [text for tag, text in clients.blocks(page, inside=MAIN[generator]) if tag == "p"]
    # The fact rests on one source, so its paragraph ends with the single-source mark.
    assert f"{HOSTILE} (single source)" in statements
    assert "<em>emphasis</em>" not in page and "<del>" not in page
    assert 'alert("x")</script>' not in page and "alert(&quot;x&quot;)</script>" not in page


def test_no_markdown_or_template_syntax_is_left(site):
    _, page, _, _ = site
    body = _text(page.split("<body", 1)[1]).replace(HOSTILE, "").replace(TITLE, "")
    for leftover in ("[^", "{{", "}}", "{%", "%}", "{#", "](", "&amp;", "&#"):
        assert leftover not in body, leftover


def test_section_anchors_are_the_shared_slug(site):
    _, page, _, _ = site
    ids = set(re.findall(r'<h2[^>]*\bid="([^"]+)"', page))
    assert {heading_anchor(t) for t in SECTION_TITLES} <= ids


def test_pdf_download_link_resolves_in_the_built_site(site):
    _, page, out, _ = site
    href = re.search(r'<a href="([^"]+\.pdf)"', page).group(1)
    target = urljoin(f"http://site.test/{SLUG}/", href)
    assert (out / target.removeprefix("http://site.test/")).read_bytes().startswith(b"%PDF-")


def test_footnotes_link_to_the_passage_in_the_original(site):
    _, page, _, _ = site
    links = re.findall(r'href="(https://gazette\.example/bridge#:~:text=[^"]+)"', page)
    assert len(links) == 5  # the Gazette's five citations; the Herald has no URL
    assert any("text=The%20bridge%20will%20cost" in link for link in links)


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


@pytest.mark.parametrize("generator", ["mkdocs", "hugo", "jekyll"])
def test_publish_to_a_folder_that_is_not_that_site_is_a_usage_error(generator, content, tmp_path, capsys):
    assert main(["publish", "--content", str(content), "--to", generator, str(tmp_path)]) == 2
    assert f"is not a {'MkDocs' if generator == 'mkdocs' else generator.capitalize()} site" in capsys.readouterr().err


def test_default_slug_is_the_title_in_ascii(briefing):
    from factsheet.sites import default_slug

    assert default_slug(briefing) == "the-bridge-vote-b-7-b-more"


def test_jekyll_front_matter_uses_its_own_lastmod_key(published):
    front = (published("jekyll") / SLUG / "index.md").read_text(encoding="utf-8").split("\n---\n")[0]
    assert 'last_modified_at: "2024-05-07"' in front and "lastmod" not in front


def test_title_heading_only_where_the_theme_does_not_print_the_title(site):
    generator, page, _, _ = site
    h1 = [text for tag, text in clients.blocks(page, inside=MAIN[generator]) if tag == "h1"]
    assert h1 == ([TITLE] if generator == "mkdocs" else [])


def test_adjacent_footnote_calls_stay_apart(site):
    _, page, _, _ = site
    assert not re.search(r"</sup>[ \t\n]*<sup", page)  # "¹²" would read as twelve
    assert re.search(r"</sup>(\xa0|&nbsp;|&#160;)<sup", page)


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


def test_mkdocs_site_without_footnotes_is_refused_with_the_lines_to_add(content, tmp_path, capsys):
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: New site\n", encoding="utf-8")
    assert main(["publish", "--content", str(content), "--to", "mkdocs", str(root)]) == 2
    err = capsys.readouterr().err
    assert "does not enable footnotes, so every note call would show as raw text" in err
    assert err.endswith("publish again:\nmarkdown_extensions:\n  - footnotes\n")
    assert list((root / "docs").iterdir()) == []  # nothing written
    (root / "mkdocs.yml").write_text("site_name: New site\nmarkdown_extensions:\n  - toc\n", encoding="utf-8")
    assert main(["publish", "--content", str(content), "--to", "mkdocs", str(root)]) == 2
    assert capsys.readouterr().err.endswith("add this line under its markdown_extensions and publish again:\n  - footnotes\n")
    (root / "mkdocs.yml").write_text("site_name: New site\nmarkdown_extensions:\n  - toc\n  - footnotes\n", encoding="utf-8")
    assert main(["publish", "--content", str(content), "--to", "mkdocs", str(root)]) == 0
