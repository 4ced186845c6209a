"""`publish` reads the site's configuration: it refuses, with the exact lines to add, a site that
would show note calls as raw text, says when a hand-written navigation lacks the page, and with
`--configure` adds what is missing, keeping the file's comments and layout.

Each case publishes the small fixture into a site folder made in the test (the configuration and
an empty content folder); nothing is built here (tests/test_publish.py builds every generator).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factsheet.cli import main
from factsheet.outputs.markup import escape
from tests.conftest import FIXTURES

MATERIAL = """\
# Project information
site_name: Newsroom briefings
site_url: https://briefings.example/

theme:
  name: material
  features:
    - content.footnote.tooltips  # notes as tooltips
    - content.tabs.link

nav:
  - Home: index.md
  - About: about.md

markdown_extensions:
  - admonition
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.tabbed:
      alternate_style: true

extra:
  analytics: !ENV [ANALYTICS, ""]
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("configure") / "content"
    shutil.copytree(FIXTURES / "small", folder)
    return folder


def site(root: Path, config: str, text: str, *folders: str) -> Path:
    root.mkdir()
    (root / config).write_text(text, encoding="utf-8")
    for folder in folders:
        (root / folder).mkdir(parents=True)
    return root


def publish(content: Path, generator: str, root: Path, *more: str) -> int:
    return main(["publish", "--content", str(content), "--to", generator, "--slug", "bridge", *more, str(root)])


def test_new_mkdocs_site_is_refused_with_the_lines_then_configured(content, tmp_path, capsys):
    root = site(tmp_path / "site", "mkdocs.yml", "site_name: My Docs\n", "docs")
    assert publish(content, "mkdocs", root) == 2
    err = capsys.readouterr().err
    assert err == (f"factsheet: error: {root}/mkdocs.yml does not enable footnotes, so every note call would show "
                   "as raw text (such as [^vote-result-1]); add these lines to it and publish again (or publish "
                   "with --configure to add them):\nmarkdown_extensions:\n  - footnotes\n")
    assert list((root / "docs").iterdir()) == []  # nothing written
    assert publish(content, "mkdocs", root, "--configure") == 0
    out, err = capsys.readouterr()
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: My Docs\nmarkdown_extensions:\n  - footnotes\n"
    assert f"configured {root}/mkdocs.yml: added footnotes to markdown_extensions\n" in err
    assert f"wrote {root}/mkdocs.yml\n" in out and f"wrote {root}/docs/bridge.md\n" in out


def test_an_extension_list_without_footnotes_gets_one_line(content, tmp_path, capsys):
    root = site(tmp_path / "site", "mkdocs.yml", "site_name: x\nmarkdown_extensions:\n  - toc\n", "docs")
    assert publish(content, "mkdocs", root) == 2
    assert capsys.readouterr().err.endswith("--configure to add them):\n  - footnotes  # under markdown_extensions\n")


def test_material_config_keeps_its_comments_tags_and_layout(content, tmp_path, capsys):
    root = site(tmp_path / "site", "mkdocs.yml", MATERIAL, "docs")
    assert publish(content, "mkdocs", root, "--configure") == 0
    after = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert after == MATERIAL.replace(
        "  - About: about.md\n", "  - About: about.md\n  - bridge.md\n").replace(
        "      alternate_style: true\n", "      alternate_style: true\n  - footnotes\n")
    err = capsys.readouterr().err
    assert "configured" in err and "added footnotes to markdown_extensions" in err and "added bridge.md to nav" in err


def test_hand_written_navigation_without_the_page_is_advice_not_refusal(content, tmp_path, capsys):
    text = MATERIAL.replace("  - admonition\n", "  - admonition\n  - footnotes\n")
    root = site(tmp_path / "site", "mkdocs.yml", text, "docs")
    assert publish(content, "mkdocs", root) == 0
    assert (f"{root}/mkdocs.yml lists its navigation by hand (nav), without this page; add this line, or "
            "publish with --configure:\n  - bridge.md  # under nav\n") in capsys.readouterr().err
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == text


def test_jekyll_engine_without_footnotes_is_refused_then_configured(content, tmp_path, capsys):
    text = "title: Site  # the name\nmarkdown: CommonMarkGhPages  # GitHub's\nplugins:\n  - jekyll-feed\n"
    root = site(tmp_path / "site", "_config.yml", text)
    assert publish(content, "jekyll", root) == 2
    assert capsys.readouterr().err.endswith(
        "uses the Markdown engine 'CommonMarkGhPages', which does not render footnotes, so every note call would "
        "show as raw text; add these lines to it and publish again (or publish with --configure to add them):\n"
        "markdown: kramdown  # instead of its markdown: line\n")
    assert publish(content, "jekyll", root, "--configure") == 0
    # The comment stays in its column.
    assert (root / "_config.yml").read_text(encoding="utf-8") == text.replace("CommonMarkGhPages", "kramdown         ")


def test_quarto_navbar_gets_the_page(content, tmp_path, capsys):
    from tests.sitebuilds import write_quarto_website

    root = write_quarto_website(tmp_path / "site")
    before = (root / "_quarto.yml").read_text(encoding="utf-8")
    assert publish(content, "quarto", root) == 0
    assert "_quarto.yml lists its navigation by hand (website: navbar: left), without this page; add this line, " \
           "or publish with --configure:\n  - bridge/index.qmd  # under website: navbar: left\n" in capsys.readouterr().err
    assert publish(content, "quarto", root, "--configure") == 0
    assert (root / "_quarto.yml").read_text(encoding="utf-8") == before.replace(
        "      - about.qmd\n", "      - about.qmd\n      - bridge/index.qmd\n")
    page = (root / "bridge" / "index.qmd").read_text(encoding="utf-8")
    assert '::: {.callout-note appearance="simple" icon="false"}\n[Download this briefing as a PDF' in page
    assert '](bridge.pdf){download="bridge.pdf"}\n:::\n' in page


def test_config_that_does_not_read_back_unchanged_is_not_edited(content, tmp_path, capsys):
    text = "site_name:   spaced   # odd\nmarkdown_extensions: [toc]\n"
    root = site(tmp_path / "site", "mkdocs.yml", text, "docs")
    assert publish(content, "mkdocs", root, "--configure") == 2
    assert "cannot edit" in capsys.readouterr().err
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("text", ["import x from 'y'", "export const a = 1", "import{x}from'y'", "export{a}"])
def test_mdx_escapes_import_and_export_at_the_start(text):
    assert escape(text, mdx=True)[0] == "&" and escape(text)[0] == text[0]
    assert escape("important", mdx=True) == "important" and escape("exports", mdx=True) == "exports"


def test_astro_with_typographic_quotes_is_refused_and_its_program_never_edited(content, tmp_path, capsys):
    text = "import { defineConfig } from 'astro/config';\nexport default defineConfig({});\n"
    root = site(tmp_path / "site", "astro.config.mjs", text, "src/pages", "public")
    assert publish(content, "astro", root) == 2
    assert capsys.readouterr().err.endswith(
        "(smartypants), changing the quoted words; add these lines to it and publish again (or publish with "
        "--configure to add them):\n  markdown: { smartypants: false },  // inside defineConfig({ ... })\n")
    assert publish(content, "astro", root, "--configure") == 2
    assert "is a program, which factsheet does not edit; add these lines to it by hand" in capsys.readouterr().err
    assert (root / "astro.config.mjs").read_text(encoding="utf-8") == text
    assert list((root / "src" / "pages").iterdir()) == []


def test_mkdocs_page_in_the_former_folder_layout_is_pointed_out(content, tmp_path, capsys):
    root = site(tmp_path / "site", "mkdocs.yml", "site_name: x\nmarkdown_extensions: [footnotes]\n", "docs/bridge")
    (root / "docs" / "bridge" / "index.md").write_text('---\ntitle: "x"\nfactsheet:\n  pdf: "bridge.pdf"\n---\n',
                                                       encoding="utf-8")
    assert publish(content, "mkdocs", root) == 2
    assert "pages are now bridge.md, listed under their title: delete" in capsys.readouterr().err
    assert not (root / "docs" / "bridge.md").exists()
