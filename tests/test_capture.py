"""`factsheet add` on files: a news page, a generated multi-page PDF, a real-world PDF, plain text;
page numbers in every output; and bad input refused with nothing written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from factsheet.pipeline import verify
from factsheet.sources.capture import capture_file
from factsheet.verification.anchor import Index

from capturekit import ARTICLE, encrypted_pdf, image_only_pdf, report_pdf
from conftest import run, tree_hashes

REAL_PDF = Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf")  # Debian's libtasn1-doc (Texinfo, pdfTeX)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "wend-appraisal.pdf"
    path.write_bytes(report_pdf())
    return path


def cite(content: Path, source: str, *quotes: str) -> None:
    lines = [f"    - source: {source}\n      quote: {json.dumps(q, ensure_ascii=False)}\n" for q in quotes]
    (content / "facts" / "captured.yaml").write_text(
        "- id: captured\n  section: vote\n  statement: \"Captured.\"\n  citations:\n" + "".join(lines),
        encoding="utf-8")


def test_a_news_page_gives_its_article_and_metadata(small, capsys):
    sources = small / "sources" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    code, out, err = run(capsys, "add", str(ARTICLE), "--content", "content")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["wrote content/sources/gazette-bridge.txt", "wrote content/sources/gazette-bridge.html",
                                "wrote content/sources/sources.yaml",
                                "added source 'gazette-bridge'; next: factsheet locate gazette-bridge \"WORDS\" "
                                "--content content"]
    text = (small / "sources" / "gazette-bridge.txt").read_text(encoding="utf-8")
    assert text.startswith("Council approves £12m bridge after late-night vote\n\nRiverside’s councillors voted")
    for furniture in ("cookies", "Subscribe", "Related stories", "Ferry timetable", "riversider42", "lost the plot",
                      "Share this story", "newsletter", "Join the conversation"):
        assert furniture not in text
    assert (small / "sources" / "gazette-bridge.html").read_bytes() == ARTICLE.read_bytes()
    after = sources.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: the file's comments and layout are untouched
    entry = after[len(before):]
    assert entry.startswith('- id: gazette-bridge\n  file: gazette-bridge.txt\n'
                            '  title: "Council approves £12m bridge after late-night vote"\n'
                            '  publisher: "The Riverside Gazette"\n'
                            '  url: "https://gazette.example/news/2024/05/07/council-approves-bridge"\n'
                            '  published: "2024-05-07"\n')
    assert re.search(r'  original:\n    file: gazette-bridge.html\n    sha256: [0-9a-f]{64}\n'
                     r'    media_type: text/html\n    extractor: "trafilatura [0-9.]+, htmldate [0-9.]+"\n$', entry)
    # Ligatures, a soft hyphen and no-break spaces of the page: the reader's words find them.
    cite(small, "gazette-bridge", "the financial plan", "no contingency for flooding", "£12 million")
    briefing, report = verify(small)
    assert not report.errors, [d.format() for d in report.errors]
    spans = [c.span.text for f in briefing.facts if f.id == "captured" for c in f.citations]
    assert spans[0] == "the ﬁnancial plan" and spans[1].endswith("ﬂooding")


def test_the_command_line_wins_over_the_metadata(small, capsys):
    code, _, _ = run(capsys, "add", str(ARTICLE), "--content", "content", "--id", "rg.2024.05", "--title",
                     "Bridge vote", "--publisher", "Riverside Gazette", "--published", "2024-05-08", "--label", "RG")
    assert code == 0
    text = (small / "sources" / "sources.yaml").read_text(encoding="utf-8")
    assert ('- id: rg.2024.05\n  file: rg.2024.05.txt\n  title: "Bridge vote"\n  label: "RG"\n'
            '  publisher: "Riverside Gazette"\n') in text
    assert '  published: "2024-05-08"\n' in text


def test_a_pdf_gives_its_text_and_page_map_and_notes_show_pages(small, capsys, report, tmp_path):
    code, _, err = run(capsys, "add", str(report), "--content", "content")
    assert (code, err) == (0, "")
    entry = (small / "sources" / "sources.yaml").read_text(encoding="utf-8").split("- id: wend-appraisal\n")[1]
    assert '  title: "Footbridge over the River Wend: financial appraisal"\n' in entry
    assert "    media_type: application/pdf\n" in entry and '    extractor: "pypdfium2 ' in entry
    assert '  pages:\n    - {label: "12", start: 0}\n    - {label: "13", start: ' in entry
    briefing, _ = verify(small)
    source = briefing.source("wend-appraisal")
    text = source.text
    assert len(source.pages) >= 2 and text[source.pages[1].start - 2:source.pages[1].start] == "\n\n"
    # A word hyphenated at a line end, found as the reader writes it.
    wrapped = re.search(r"(\w+)[‐-]\n(\w+)", text)
    assert wrapped, "the justified, hyphenated layout breaks a word at a line end"
    word = wrapped.group(1) + wrapped.group(2)
    assert [(m.start, m.end) for m in Index(text).find_all(word)][0][1] >= wrapped.end()
    # A span across the page break: the last words of page 12 and the first of page 13.
    page2 = source.pages[1].start
    across = " ".join(text[:page2].split()[-3:] + text[page2:].split()[:3])
    cite(small, "wend-appraisal", "the financial case for the footbridge", across,
         text[:wrapped.start()].split()[-1] + " " + word)
    code, out, err = run(capsys, "build", "--content", "content", "--out", str(tmp_path / "out"))
    assert code == 0, err
    md = (tmp_path / "out" / "briefing.md").read_text(encoding="utf-8")
    assert "[^captured-1]: Footbridge over the River Wend: financial appraisal, p. 12: “the financial case" in md
    assert re.search(r"\[\^captured-2\]: [^\n]*, pp\. 12–13: ", md)
    data = json.loads((tmp_path / "out" / "briefing.json").read_text(encoding="utf-8"))
    cited = next(f for f in data["facts"] if f["id"] == "captured")["citations"]
    assert [c["pages"] for c in cited[:2]] == [["12"], ["12", "13"]]
    assert data["sources"][-1]["pages"][0] == {"label": "12", "start": 0}
    assert data["sources"][-1]["original"]["media_type"] == "application/pdf"
    assert all("pages" not in c for f in data["facts"] if f["id"] != "captured" for c in f["citations"])
    csl = json.loads((tmp_path / "out" / "briefing.sources.csl.json").read_text(encoding="utf-8"))
    assert csl[-1]["page"] == f"12-{11 + len(source.pages)}" and "page" not in csl[0]
    annotations = json.loads((tmp_path / "out" / "briefing.annotations.jsonld").read_text(encoding="utf-8"))
    fragments = [a["target"]["selector"][2] for a in annotations["first"]["items"]
                 if len(a["target"]["selector"]) == 3]
    assert [f["value"] for f in fragments] == ["page=1", "page=1", fragments[2]["value"]]
    fragment = fragments[1]
    assert fragment["type"] == "FragmentSelector" and fragment["value"] == "page=1"
    assert fragment["conformsTo"] == "http://tools.ietf.org/rfc/rfc3778"
    assert fragment["refinedBy"]["type"] == "TextQuoteSelector"
    html = (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8")
    assert "financial appraisal, pp. 12–13:</span>" in html and "pp. 12–13 · characters" in html
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "out" / "briefing.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
    assert "pp. 12–13 · characters" in pdf_text
    assert re.search(r"financial appraisal, pp\. 12–13:", " ".join(pdf_text.split()))


@pytest.mark.skipif(not REAL_PDF.is_file(), reason="Debian's libtasn1-doc is not installed")
def test_a_real_world_pdf_keeps_its_printed_page_labels():
    capture = capture_file(REAL_PDF)
    labels = [p.label for p in capture.extraction.pages]
    assert labels[:4] == ["T-1", "T-2", "i", "1"]
    page_one = capture.extraction.pages[3].start
    assert capture.text[page_one:page_one + 21] == "1\n1 Introduction\nThis"  # the running head, then
    assert capture.extraction.extractor.startswith("pypdfium2 ")


def test_plain_text_is_copied_byte_for_byte(small, capsys, tmp_path):
    original = tmp_path / "Council Minutes 2024.1.txt"
    original.write_bytes("\ufeffMinutes of the meeting\r\n\r\nThe vote was 7\u20132.\r\n".encode("utf-8"))
    code, _, _ = run(capsys, "add", str(original), "--content", "content")
    assert code == 0
    assert (small / "sources" / "council-minutes-2024.1.txt").read_bytes() == original.read_bytes()
    entry = (small / "sources" / "sources.yaml").read_text(encoding="utf-8").split("- id: council-minutes-2024.1\n")[1]
    assert "original:" not in entry and "\ufeffMinutes" not in entry
    code, out, _ = run(capsys, "locate", "council-minutes-2024.1", "vote was 7-2", "--content", "content")
    assert code == 0 and "1 occurrence" in out


def test_check_verifies_the_originals_hash(small, capsys, report):
    run(capsys, "add", str(report), "--content", "content")
    (small / "sources" / "wend-appraisal.pdf").write_bytes(report.read_bytes() + b"\n%tampered\n")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert "error: the original of source 'wend-appraisal' (wend-appraisal.pdf) has changed since it was pinned" in err


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name,data,message", [
    ("scan.pdf", None, "the PDF has no text layer (1 page(s) of images, a scan?); factsheet extracts text, it does no OCR"),
    ("locked.pdf", "encrypted", "the PDF is encrypted and needs a password to open"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "the PDF cannot be read"),
    ("fake.pdf", b"<html>not a pdf</html>", "not a PDF (no %PDF- header)"),
    ("app.html", b"<html><head><title>App</title><script>render()</script></head><body><div id=app></div></body></html>",
     "no article text found in the page"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ("latin1.txt", "café".encode("latin-1"), "the text is not valid utf-8 (byte 0xe9 at byte offset 3)"),
    ("blank.txt", b" \n\n", "the text is empty"),
])
def test_bad_input_is_an_error_and_nothing_is_written(small, capsys, tmp_path, name, data, message):
    data = image_only_pdf() if data is None else encrypted_pdf() if data == "encrypted" else data
    before = tree_hashes(small)
    code, out, err = run(capsys, "add", str(_bad(tmp_path, name, data)), "--content", "content")
    assert code == 1 and out == ""
    assert err.startswith("factsheet: error: ") and message in err, err
    assert tree_hashes(small) == before


@pytest.mark.parametrize("args,message,exit_code", [
    (["--id", "gazette"], "a source with the id 'gazette' is already in sources.yaml", 1),
    (["--id", "../../outside"], "--id '../../outside': an id is ASCII letters", 2),
    (["--id", "herald"], "a source with the id 'herald' is already in sources.yaml", 1),
    (["--published", "May 2024"], "--published 'May 2024': a date is YYYY, YYYY-MM or YYYY-MM-DD", 2),
    (["--url", "javascript:alert(1)"], "--url 'javascript:alert(1)'", 2),
])
def test_duplicates_and_unsafe_names_are_refused(small, capsys, args, message, exit_code):
    before = tree_hashes(small)
    code, _, err = run(capsys, "add", str(ARTICLE), "--content", "content", *args)
    assert code == exit_code and message in err, err
    assert tree_hashes(small) == before


def test_a_file_or_content_already_there_is_refused(small, capsys, tmp_path):
    (small / "sources" / "gazette-bridge.txt").write_text("left over", encoding="utf-8")
    before = tree_hashes(small)
    code, _, err = run(capsys, "add", str(ARTICLE), "--content", "content")
    assert code == 1 and "content/sources/gazette-bridge.txt already exists" in err
    assert tree_hashes(small) == before
    copy = tmp_path / "again.txt"
    shutil.copy(small / "sources" / "herald.txt", copy)
    code, _, err = run(capsys, "add", str(copy), "--content", "content")
    assert code == 1 and "this source is already in sources.yaml, as 'herald'" in err


def test_a_file_over_the_size_limit_is_refused(small, capsys, monkeypatch):
    import factsheet.sources.capture as capture

    monkeypatch.setattr(capture, "MAX_SIZE", 1000)
    monkeypatch.setattr(capture.read_limited, "__defaults__", (1000,))
    code, _, err = run(capsys, "add", str(ARTICLE), "--content", "content")
    assert code == 1 and "gazette-bridge.html is 4,855 bytes" in err and "bytes; the limit is 1,000 bytes" in err


def test_a_source_without_sha256_gets_the_line_to_add(small, capsys):
    sources = small / "sources" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(re.sub(r"  sha256: 0b86[0-9a-f]+\n", "", text), encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1
    assert ("error: missing field 'sha256' [format]" in err and
            "note: add this line: sha256: 0b8650fa76ad10e735dde4053b87303d3f2f437a8bcef49adbc7a03781fa8746" in err)
