"""The build cache: an unchanged rebuild re-verifies and rewrites nothing; any change re-renders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import factsheet
from factsheet import cache
from factsheet.errors import ContentError
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.pipeline import build
from tests.conftest import EPOCH, repin, run, tree_hashes

OUTPUTS = ("briefing.md", "briefing.html", "briefing.json", "briefing.pdf", "briefing.annotations.jsonld",
           "briefing.sources.csl.json")


@pytest.fixture
def copy(small_build: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of the shared full build of the small fixture (tests/conftest.py): its content in
    ``content/``, its outputs in ``build/``; the builds here use its SOURCE_DATE_EPOCH too."""
    shutil.copytree(small_build / "content", tmp_path / "w" / "content")
    shutil.copytree(small_build / "out", tmp_path / "w" / "build")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def _inodes(out: Path) -> dict[str, int]:
    # Every write goes to a new file renamed into place, so a rewritten output has a new inode.
    return {name: (out / name).stat().st_ino for name in OUTPUTS}


def _rebuild(root: Path, templates: Path = DEFAULT_TEMPLATES) -> list[Path]:
    return build(root / "content", root / "build", templates)[0]


def test_unchanged_rebuild_rewrites_nothing_and_says_so(copy: Path, capsys):
    before_bytes, before_inodes = tree_hashes(copy / "build"), _inodes(copy / "build")
    code, out, _ = run(capsys, "build", "--content", "content", "--out", "build")
    assert code == 0
    assert out.splitlines() == [f"up to date {Path('build') / name}" for name in OUTPUTS]
    assert tree_hashes(copy / "build") == before_bytes
    assert _inodes(copy / "build") == before_inodes


def _pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_reused_outputs_are_what_a_fresh_build_makes(copy: Path):
    written = build(copy / "content", copy / "fresh", DEFAULT_TEMPLATES)[0]
    assert not isinstance(written, cache.Reused)
    for name in ("briefing.md", "briefing.html", "briefing.json"):
        assert (copy / "fresh" / name).read_bytes() == (copy / "build" / name).read_bytes()
    # The PDF's embedded font subsets carry a timestamp (fontTools), so only its content compares.
    assert _pdf_text(copy / "fresh" / "briefing.pdf") == _pdf_text(copy / "build" / "briefing.pdf")


def test_a_content_change_renders_again(copy: Path):
    facts = copy / "content" / "facts" / "vote.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("the Gazette reported", "said the Gazette"),
                     encoding="utf-8")
    before = _inodes(copy / "build")
    written = _rebuild(copy)
    assert not isinstance(written, cache.Reused)
    assert all(_inodes(copy / "build")[n] != before[n] for n in OUTPUTS)
    assert "said the Gazette" in (copy / "build" / "briefing.md").read_text(encoding="utf-8")


def test_another_source_date_epoch_renders_again(copy: Path, monkeypatch):
    # The outputs carry the build's date: a reproducible build at another date is another build.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86400 * 400))
    written = _rebuild(copy)
    assert not isinstance(written, cache.Reused)
    fresh = build(copy / "content", copy / "fresh", DEFAULT_TEMPLATES)[0]
    assert not isinstance(fresh, cache.Reused)
    for name in ("briefing.md", "briefing.html", "briefing.json"):
        assert (copy / "fresh" / name).read_bytes() == (copy / "build" / name).read_bytes()


def test_a_template_change_renders_again(copy: Path):
    templates = copy / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    assert isinstance(_rebuild(copy, templates), cache.Reused)  # same bytes, other folder: same key
    css = templates / "briefing.css"
    css.write_text(css.read_text(encoding="utf-8") + "h1 { color: #800000; }\n", encoding="utf-8")
    written = _rebuild(copy, templates)
    assert not isinstance(written, cache.Reused)
    assert "#800000" in (copy / "build" / "briefing.html").read_text(encoding="utf-8")


def test_a_new_tool_version_renders_again(copy: Path, monkeypatch):
    key = cache.tool_fingerprint()
    monkeypatch.setattr(factsheet, "__version__", factsheet.__version__ + ".post1")
    cache.tool_fingerprint.cache_clear()
    try:
        assert cache.tool_fingerprint() != key
        before = _inodes(copy / "build")
        assert not isinstance(_rebuild(copy), cache.Reused)
        assert all(_inodes(copy / "build")[n] != before[n] for n in OUTPUTS)
    finally:
        cache.tool_fingerprint.cache_clear()


def test_an_edited_output_is_rendered_again(copy: Path):
    pdf = copy / "build" / "briefing.pdf"
    text = _pdf_text(pdf)
    pdf.write_bytes(pdf.read_bytes()[:-10])
    assert not isinstance(_rebuild(copy), cache.Reused)
    assert _pdf_text(pdf) == text
    assert isinstance(_rebuild(copy), cache.Reused)


def test_verification_is_never_skipped(copy: Path):
    # A drifted source fails the build although the outputs were built and recorded before.
    source = copy / "content" / "sources" / "gazette.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("7–2", "7–3"), encoding="utf-8")
    before = tree_hashes(copy / "build")
    with pytest.raises(ContentError) as caught:
        _rebuild(copy)
    assert any(d.rule == "pinned" for d in caught.value.report.items)
    assert tree_hashes(copy / "build") == before
    # Re-pinned, it is a content change like any other: the quote no longer matches, still an error.
    repin(copy / "content", "gazette.txt")
    with pytest.raises(ContentError) as caught:
        _rebuild(copy)
    assert any(d.rule == "anchor" for d in caught.value.report.items)
