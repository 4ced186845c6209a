"""The fixes factsheet/outputs/pdflibs.py applies to the libraries under WeasyPrint change no byte
of what they produce: the same page references, the same PDF, the same parsed HTML."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from factsheet.outputs import pdflibs
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.outputs.pdf import render_briefing_pdf
from factsheet.pipeline import verify
from tests.conftest import FIXTURES

EPOCH = 1_700_000_000


def test_page_references_follow_every_page_added():
    import pydyf

    pdflibs.apply()
    pdf = pydyf.PDF()
    for n in range(4):
        expected = tuple(f"{number} 0 R".encode("ascii") for number in pdf.pages["Kids"][::3])
        assert pdf.page_references == expected and len(expected) == n
        assert pdf.page_references is pdf.page_references  # built once per page count
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))


def test_a_pdf_serialised_once_is_the_pdf_serialised_twice(monkeypatch):
    # (fontTools dates the font subsets it writes with SOURCE_DATE_EPOCH, else with the clock.)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    briefing, report = verify(FIXTURES / "small")
    assert briefing is not None, report.sorted()
    once = render_briefing_pdf(briefing, DEFAULT_TEMPLATES, epoch=EPOCH)
    # Another document in between: nothing serialised for one PDF is written into the next.
    other, _ = verify(FIXTURES / "pdfcase")
    assert other is not None and render_briefing_pdf(other, DEFAULT_TEMPLATES, epoch=EPOCH) != once
    assert render_briefing_pdf(briefing, DEFAULT_TEMPLATES, epoch=EPOCH) == once
    monkeypatch.setattr(pdflibs, "serialise_once", lambda document, pdf: None)
    twice = render_briefing_pdf(briefing, DEFAULT_TEMPLATES, epoch=EPOCH)
    assert once.startswith(b"%PDF-") and once == twice


@pytest.mark.parametrize("html", [
    "<!doctype html><p class='a b' id=x data-x=\"1 &amp; 2\">T<a href='#x' title=\"q'q\">l</a></p>"
    "<table><td colspan=2>c</td></table><!-- c --><script>if (a < b) {}</script>",
    (FIXTURES / "small" / "briefing.yaml").read_text(encoding="utf-8").replace("\n", "<br title='&lt;'>\n"),
])
def test_the_tokenizer_cache_keyed_as_it_is_read_parses_the_same_tree(html, monkeypatch):
    import tinyhtml5
    from tinyhtml5 import inputstream

    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    plain = ET.tostring(tinyhtml5.parse(html))
    keyed = pdflibs._TokenizerRegexes()
    monkeypatch.setattr(inputstream, "characters_until_regex", keyed)
    assert ET.tostring(tinyhtml5.parse(html)) == plain
    assert keyed and not any(isinstance(characters, re.Pattern) for characters, _ in keyed)


_LIBRARIES = r"""
import ctypes.util, json, sys
searched = []
search = ctypes.util.find_library
def counted(name):
    searched.append(name)
    return search(name)
ctypes.util.find_library = counted
IMPORT
import weasyprint.text.ffi as ffi
mapped = sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line.split()[-1]})
print(json.dumps({"searched": searched, "mapped": mapped, "restored": ctypes.util.find_library is counted,
                  "optional": [str(getattr(ffi, name, "absent") is None) for name in ("harfbuzz_subset", "harfbuzz_vector")]}))
"""


def _import_libraries(how: str, prelude: str = "") -> dict:
    code = prelude + _LIBRARIES.replace("IMPORT", how)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is skipped on Linux only")
def test_weasyprint_loads_the_same_library_files_without_searching_for_them():
    stock = _import_libraries("import weasyprint")
    ours = _import_libraries("from factsheet.outputs import pdflibs; pdflibs.import_weasyprint()")
    assert stock["searched"], "WeasyPrint no longer searches: the fix can go"
    assert ours["searched"] == [] and ours["restored"]
    assert ours["mapped"] == stock["mapped"] and any("pango" in path for path in ours["mapped"])
    assert ours["optional"] == stock["optional"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is skipped on Linux only")
def test_a_library_only_the_search_finds_is_still_loaded():
    # Names the loader cannot open by themselves, as if the libraries lay where only gcc looks.
    prelude = (
        "import cffi.api, ctypes.util\n"
        "def load(backend, name, flags):\n"
        "    path = ctypes.util.find_library(name)\n"
        "    if path is None:\n"
        "        raise OSError(name)\n"
        "    return backend.load_library(path, flags)\n"
        "cffi.api._load_backend_lib = load\n"
    )
    ours = _import_libraries("from factsheet.outputs import pdflibs; pdflibs.import_weasyprint()", prelude)
    stock = _import_libraries("import weasyprint", prelude)
    assert ours["searched"] and ours["restored"]
    assert ours["mapped"] == stock["mapped"] and any("pango" in path for path in ours["mapped"])


def test_html_parsed_beforehand_is_laid_out_as_its_text_would_be(monkeypatch):
    import tinyhtml5

    from factsheet.outputs import pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    briefing, report = verify(FIXTURES / "small")
    assert briefing is not None, report.sorted()
    job = pdf.prepare(briefing, DEFAULT_TEMPLATES, epoch=EPOCH)
    tree = pickle.loads(pickle.dumps(pdflibs.parse_html(job.html)))  # as the second process gets it
    parsed: list[object] = []
    parse = tinyhtml5.parse
    monkeypatch.setattr(tinyhtml5, "parse", lambda *a, **k: parsed.append(a) or parse(*a, **k))
    given = pdf.lay_out(dataclasses.replace(job, tree=tree))
    assert parsed == []  # WeasyPrint took the tree
    assert given == pdf.lay_out(job) and len(parsed) == 1
    # A tree is only ever given for the text it was parsed from.
    import weasyprint

    with pdflibs.parsed_already("<p>Another document.</p>", tree):
        assert weasyprint.HTML(string=job.html).etree_element is not tree
    with pdflibs.parsed_already(job.html, tree):
        assert weasyprint.HTML(string=job.html).etree_element is tree
    assert len(parsed) == 2
