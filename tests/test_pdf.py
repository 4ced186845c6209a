"""The PDF read back as a reader's tools see it: poppler (pdftotext, pdfinfo), pypdf and qpdf.

One module-scoped pair of builds of tests/fixtures/pdfcase (in two folders, with
SOURCE_DATE_EPOCH fixed) serves every test that only reads the result.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from factsheet.digests import NamedBytes, content_digest, content_files
from factsheet.model import Location, Source, Span
from factsheet.outputs import printed as paged
from factsheet.outputs.environment import long_date
from factsheet.outputs.evidence import MAX_GAP, group_spans, highlighted
from factsheet.outputs.passages import MAX_SIDE, sentence_context
from factsheet.pipeline import build, verify

from conftest import FIXTURES, ROOT, run

TEMPLATES = ROOT / "templates"
EPOCH = 1741910400  # 2025-03-14T00:00:00Z
OUTPUTS = ("briefing.md", "briefing.html", "briefing.json", "briefing.pdf")


def _build_copy(parent: Path, name: str) -> tuple[Path, Path]:
    content = parent / name / "content"
    shutil.copytree(FIXTURES / "pdfcase", content)
    out = parent / name / "out"
    build(content, out, TEMPLATES)
    return content, out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """pdfcase built twice, in different folders, with the same SOURCE_DATE_EPOCH."""
    parent = tmp_path_factory.mktemp("pdfcase")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        content, out = _build_copy(parent, "first")
        _, out2 = _build_copy(parent, "second-folder")
    briefing, _ = verify(content)
    return {"content": content, "out": out, "out2": out2, "pdf": out / "briefing.pdf",
            "briefing": briefing}


@pytest.fixture(scope="module")
def reader(built) -> PdfReader:
    return PdfReader(built["pdf"])


@pytest.fixture(scope="module")
def pages_text(built) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(built["pdf"]), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-isodates", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def _dest_pages(reader: PdfReader) -> dict[str, int]:
    return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def _links(reader: PdfReader) -> list[tuple[int, str]]:
    """(page index, destination name) of every internal link annotation."""
    links = []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                links.append((i, str(annot["/Dest"])))
    return links


def test_page_count_agrees_and_notes_do_not_run_away(reader, built, pages_text):
    info = _info(built["pdf"])
    assert int(info["Pages"]) == len(reader.pages) == len(pages_text)
    # 27 facts, 46 notes and the appendix fit in about nine A4 pages; a footnote area that takes
    # one note per page (a layout bug once seen here) would run to dozens.
    assert 6 <= len(reader.pages) <= 12


def test_the_cost_estimate_is_near_the_pages_laid_out(built, reader):
    # What `build --max-pdf-memory` judges by (outputs/pdfcost.py): the pages it predicts from the
    # print HTML are within a quarter of what WeasyPrint laid out.
    from factsheet.outputs import pdfcost
    from factsheet.outputs.environment import DEFAULT_TEMPLATES

    doc = paged.print_document(built["briefing"], content_files(built["briefing"]), None)
    cost = pdfcost.estimate(paged.render_print_html(doc, DEFAULT_TEMPLATES))
    assert abs(cost.pages - len(reader.pages)) <= max(1, len(reader.pages) / 4), (cost, len(reader.pages))


def test_metadata(built, reader):
    info = _info(built["pdf"])
    assert info["Title"] == "Northport's desalination plant"
    assert info["Author"] == "Briefings Desk, Rhiannon Pryce"
    assert info["Subject"].startswith("The council's decision to build a desalination plant")
    assert info["Keywords"] == "Northport, desalination, water supply, council"
    assert info["CreationDate"].startswith("2025-03-14T00:00:00")
    assert info["Tagged"] == "yes"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_pdfa_identification_in_xmp(reader):
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2025-03-14T00:00:00Z</xmp:CreateDate>" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_qpdf_check_passes(built):
    result = subprocess.run(["qpdf", "--check", str(built["pdf"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_outline_has_every_section_on_its_page(built, reader, pages_text):
    briefing = built["briefing"]
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles == [s.title for s in briefing.sections] + ["Where the sources differ", "Evidence"]
    for item in top:
        page = reader.get_destination_page_number(item)
        assert re.search(rf"^\s*{re.escape(item.title)}\s*$", pages_text[page], re.M), item.title
    nested = [i.title for group in reader.outline if isinstance(group, list) for i in group]
    assert [d.topic for d in briefing.disagreements] == nested[: len(briefing.disagreements)]
    assert [s.title for s in briefing.sources] == nested[len(briefing.disagreements):]


def test_one_live_link_per_citation_landing_in_its_sections_notes(built, reader):
    briefing = built["briefing"]
    notes = {n.label: n for n in paged.notes(briefing)}
    dests, links = _dest_pages(reader), _links(reader)
    to_note = {(page, dest) for page, dest in links if dest.startswith("note-")}
    assert len(to_note) == len(briefing.all_citations()) == len(notes)
    section_starts = sorted(dests[s.id] for s in briefing.sections) + [dests["where-the-sources-differ"],
                                                                        dests["evidence"]]
    for note in notes.values():
        call_page, note_page = dests[note.call_id], dests[note.note_id]
        # the call links to its note, which closes the call's own section
        assert (call_page, note.note_id) in to_note
        next_section = min(p for p in section_starts if p > call_page) if any(
            p > call_page for p in section_starts) else len(reader.pages)
        assert call_page <= note_page <= next_section
        # the note's number links back to the call
        assert (note_page, note.call_id) in links


def test_notes_are_numbered_in_reading_order(pages_text):
    numbers = []
    for text in pages_text:
        numbers += [int(m) for m in re.findall(r"^\s*(\d+)\s+(?:Northport Borough Council|The Northport Post"
                                              r"|ClearWater Utilities):", text, re.M)]
    assert numbers == list(range(1, 47))


def test_evidence_links_both_ways(built, reader, pages_text):
    evidence, _ = paged.appendix(built["briefing"], paged.notes(built["briefing"]))
    dests, links = _dest_pages(reader), _links(reader)
    passages = [p for _, ps in evidence for p in ps]
    for p in passages:
        page = dests[p.anchor]
        assert f"E{p.number} " in pages_text[page].replace("\n", " ")
        for note in p.notes:
            assert (page, note.call_id) in links  # "cited in note N" links back
            assert (dests[note.note_id], p.anchor) in links  # the note links to the passage
    # Every distinct cited span is in exactly one passage; spans cited in one paragraph share it.
    spans = {(c.span.source, c.span.start, c.span.end) for c in built["briefing"].all_citations()}
    in_passages = [(p.source.id, s.start, s.end) for p in passages for s in p.spans]
    assert sorted(in_passages) == sorted(spans)
    assert len(passages) < len(spans)
    for p in passages:  # each cited span is highlighted in its passage
        marked = [text for text, cited in p.pieces if cited]
        assert all(any(p.source.text[s.start:s.end] in run for run in marked) for s in p.spans)


def test_footer_page_n_of_m_and_running_header(pages_text):
    total = len(pages_text)
    for n, text in enumerate(pages_text, 1):
        assert f"Page {n} of {total}" in text
        if n > 1:
            assert "Northport's desalination plant" in text.splitlines()[0]


def test_title_block_toc_and_marks(built, pages_text):
    first = " ".join(pages_text[0].split())
    assert "27 facts · 46 citations · 3 sources" in first
    assert "every cited passage verified against the pinned sources at build time" in first
    files = content_files(built["briefing"])
    assert f"sha256:{content_digest(files)[:12]}" in first
    for section in built["briefing"].sections:
        assert re.search(rf"{re.escape(section.title)}[ .]+\d+", pages_text[0]), section.title
    single = sum(1 for f in built["briefing"].facts if len(f.source_ids) == 1)
    body = "\n".join(pages_text)
    assert body.count("SINGLE SOURCE") == single + 1  # each such fact, and the legend
    assert "Where the sources differ" in body and "Reading the difference:" in body


def test_appendix_lists_each_source_with_hash_and_url(built, pages_text):
    body = "".join(" ".join(t.split()) for t in pages_text)
    for source in built["briefing"].sources:
        assert source.sha256 in body.replace(" ", "")
    assert "https://northport.example/council/minutes/2025-03-12" in body


def test_attachments_are_the_content_files(built, reader):
    content = built["content"]
    expected = {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()}
    attached = {name: data[0] for name, data in reader.attachments.items()}
    assert attached == expected
    # dated SOURCE_DATE_EPOCH, not the build's clock, and related to the PDF as its source
    for spec in reader.trailer["/Root"]["/AF"]:
        spec = spec.get_object()
        params = spec["/EF"]["/F"].get_object()["/Params"]
        assert params["/CreationDate"] == params["/ModDate"] == "D:20250314000000Z"
        assert spec["/AFRelationship"] == "/Source"


def test_two_builds_in_different_folders_are_byte_identical(built):
    for name in OUTPUTS:
        first, second = (built["out"] / name).read_bytes(), (built["out2"] / name).read_bytes()
        assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest(), name


def test_bad_source_date_epoch_is_a_usage_error(small, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run(capsys, "build", "--content", str(small), "--out", "out")
    assert code == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds" in err
    assert not (small.parent / "out").exists()


def test_long_unbroken_token_wraps_inside_the_page(small, tmp_path, monkeypatch):
    token = "".join("abcdefghij"[i % 10] for i in range(3000))
    facts = small / "facts" / "vote.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("The bridge will cost £12 million, the Gazette reported.",
                                  f"<b>Not bold</b> & {{{{ raw }}}} {token}"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    build(small, tmp_path / "out", TEMPLATES)
    pdf = tmp_path / "out" / "briefing.pdf"
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox)
    # The token's lines (a call's number may follow the last), read across the page break.
    pieces = [w[2].rstrip("0123456789,") for w in words]
    pieces = [p for p in pieces if len(p) > 1 and set(p) <= set(token)]
    assert "".join(pieces) == token  # every character is there, in order
    assert len(pieces) > 10  # on many lines
    for x_min, x_max, _ in words:
        assert float(x_min) >= 0 and float(x_max) <= width - 50  # inside the right margin
    plain = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "<b>Not bold</b> & {{ raw }}" in plain  # curated text is shown, never interpreted


def _sentence_context(text: str, start: int, end: int) -> tuple[str, str]:
    source = Source("s", "s.txt", "S", None, None, None, "0" * 64, None, Location("s", 1, 1), text=text)
    p = sentence_context(source, Span("s", start, end, text[start:end]))
    return ("… " if p.cut_before else "") + p.before, p.after + (" …" if p.cut_after else "")


def test_surrounding_sentence_context():
    text = "First one. The council voted 7-2. It was late.\nNext paragraph here."
    start = text.index("voted")
    before, after = _sentence_context(text, start, start + len("voted 7-2"))
    assert before.endswith("The council ") and after.startswith(".")
    # short context: one more sentence each side, never across the paragraph break
    assert before == "First one. The council " and after == ". It was late."


def test_surrounding_is_cut_at_word_boundaries_when_long():
    text = "word " * 400 + "TARGET" + " more" * 400
    start = text.index("TARGET")
    before, after = _sentence_context(text, start, start + 6)
    assert before.startswith("… ") and after.endswith(" …")
    assert len(before) <= MAX_SIDE + 2 and len(after) <= MAX_SIDE + 2
    assert "  " not in before


def test_spans_of_one_paragraph_share_a_passage():
    text = "One. Two three four.\nFive six.\n\nSeven eight. " + "x " * MAX_GAP + "Nine."
    source = Source("s", "s.txt", "S", None, None, None, "0" * 64, None, Location("s", 1, 1), text=text)
    two, six, seven = text.index("Two"), text.index("six"), text.index("Seven")
    nine = text.index("Nine")
    spans = [(nine, nine + 4), (two, two + 9), (six, six + 3), (two, two + 3), (seven, seven + 5)]
    # a line break is not a paragraph break; a blank line is; so is a gap longer than MAX_GAP
    assert group_spans(source, spans) == [[(two, two + 3), (two, two + 9), (six, six + 3)],
                                          [(seven, seven + 5)], [(nine, nine + 4)]]


def test_overlapping_spans_are_highlighted_as_one_run():
    text = "abcdefghij"
    assert highlighted(text, 1, 9, [(1, 3), (2, 5), (7, 9)]) == [("bcde", True), ("fg", False), ("hi", True)]
    assert highlighted(text, 0, 10, [(2, 4)]) == [("ab", False), ("cd", True), ("efghij", False)]
    assert highlighted(text, 0, 6, [(0, 3), (3, 6)]) == [("abcdef", True)]


def test_content_digest_ignores_folder_and_order():
    a = [NamedBytes("briefing.yaml", b"x"), NamedBytes("sources/a.txt", b"y")]
    assert content_digest(a) == content_digest(list(reversed(a)))
    assert content_digest(a) != content_digest([a[0], NamedBytes("sources/a.txt", b"z")])


def test_long_date():
    assert long_date("2025-03-14", "en-GB") == "14 March 2025"
    assert long_date("2025-03", "en") == "March 2025"
    assert long_date("2025", "en") == "2025"
    assert long_date("2025-03-14", "fr") == "2025-03-14"
    assert long_date(None, "en") is None
