"""`factsheet add URL`: a page served on 127.0.0.1, kept as a WARC file that reads back; the
fetch limits; and `add --refresh` through drift and reanchor."""

from __future__ import annotations

import gzip
import io
import re

import pytest

from capturekit import ARTICLE, report_pdf, serve, slow
from conftest import repin, run, tree_hashes

PAGE = ARTICLE.read_bytes()


@pytest.fixture(scope="module")
def server():
    routes = {
        "/news/bridge": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
        "/short": (302, {"Location": "/moved"}, b""),
        "/moved": (301, {"Location": "/news/bridge"}, b""),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, report_pdf()),
        "/gone": (410, {"Content-Type": "text/html"}, b"<html><body><p>This story has been removed.</p></body></html>"),
        "/crash": (500, {"Content-Type": "text/html"}, b"<html><body><p>Internal error</p></body></html>"),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/escape": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/huge": (200, {"Content-Type": "text/html", "Content-Length": str(200 * 2**20)}, b"<html>"),
        "/slow": slow(2.0),
    }
    server = serve(routes)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_kept_as_a_warc_file_that_reads_back(small, capsys, server):
    from warcio.archiveiterator import ArchiveIterator

    code, out, err = run(capsys, "add", f"{server}/short", "--content", "content")
    assert (code, err) == (0, ""), err
    source_id = "council-approves-12m-bridge-after-late-night-vote"
    assert out.splitlines()[:3] == [f"wrote content/sources/{source_id}.txt",
                                    f"wrote content/sources/{source_id}.warc.gz", "wrote content/sources/sources.yaml"]
    entry = (small / "sources" / "sources.yaml").read_text(encoding="utf-8").split(f"- id: {source_id}\n")[1]
    assert '  url: "https://gazette.example/news/2024/05/07/council-approves-bridge"\n' in entry  # canonical
    assert "    media_type: application/warc\n" in entry
    assert f'    url: "{server}/news/bridge"\n    status: 200\n    fetched: "' in entry
    warc = (small / "sources" / f"{source_id}.warc.gz").read_bytes()
    gzip.decompress(warc)  # every record a gzip member
    records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers.get_statuscode() if r.rec_type == "response" else None,
                r.content_stream().read() if r.rec_type == "response" else None)
               for r in ArchiveIterator(io.BytesIO(warc))]
    assert [(kind, uri and uri.removeprefix(server), status) for kind, uri, status, _ in records] == [
        ("warcinfo", None, None), ("response", "/short", "302"), ("request", "/short", None),
        ("response", "/moved", "301"), ("request", "/moved", None),
        ("response", "/news/bridge", "200"), ("request", "/news/bridge", None)]
    assert records[5][3] == PAGE
    code, out, _ = run(capsys, "locate", source_id, "wishful thinking", "--content", "content")
    assert code == 0 and "1 occurrence" in out
    # The WARC file itself can be added elsewhere: the same page comes out of it.
    text = (small / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")
    run(capsys, "init", "other")
    code, _, err = run(capsys, "add", str(small / "sources" / f"{source_id}.warc.gz"), "--content", "other")
    assert code == 0, err
    assert (small.parent / "other" / "sources" / f"{source_id}.txt").read_text(encoding="utf-8") == text


def test_a_pdf_url(small, capsys, server):
    code, out, err = run(capsys, "add", f"{server}/report.pdf", "--content", "content", "--id", "appraisal")
    assert code == 0, err
    entry = (small / "sources" / "sources.yaml").read_text(encoding="utf-8").split("- id: appraisal\n")[1]
    assert '  pages:\n    - {label: "12", start: 0}\n' in entry and '    extractor: "pypdfium2 ' in entry


@pytest.mark.parametrize("path,args,message", [
    ("/gone", [], "/gone answered 410 Gone: an error page is not a source; nothing was written"),
    ("/crash", [], "/crash answered 500 Internal Server Error: an error page is not a source"),
    ("/logo.png", [], "unsupported media type image/png"),
    ("/escape", [], "/escape redirects to 'file:///etc/passwd'; only http(s) redirects are followed"),
    ("/loop", [], "more than 5 redirects"),
    ("/huge", [], "/huge is 200.0 MB; the limit is 50.0 MB"),
    ("/slow", ["--timeout", "0.5"], "no answer within 0.5 seconds"),
])
def test_fetch_limits_and_error_pages(small, capsys, server, path, args, message):
    before = tree_hashes(small)
    code, out, err = run(capsys, "add", f"{server}{path}", "--content", "content", *args)
    assert code == 1 and out == "" and message in err, err
    assert tree_hashes(small) == before


@pytest.mark.parametrize("url,message", [
    ("file:///etc/passwd", "only http:// and https:// URLs can be fetched, not 'file:///etc/passwd'"),
    ("ftp://example.org/x.pdf", "only http:// and https:// URLs can be fetched"),
])
def test_only_http_urls(small, capsys, url, message):
    code, _, err = run(capsys, "add", url, "--content", "content")
    assert code == 1 and message in err


def test_refresh_re_extracts_and_the_change_goes_through_drift_and_reanchor(small, capsys, server, tmp_path):
    pdf = tmp_path / "appraisal.pdf"
    pdf.write_bytes(report_pdf())
    assert run(capsys, "add", str(pdf), "--content", "content")[0] == 0
    text_path = small / "sources" / "appraisal.txt"
    text = text_path.read_text(encoding="utf-8")
    (small / "facts" / "pdf.yaml").write_text(
        "- id: grant\n  section: vote\n  statement: \"A grant pays the rest.\"\n  citations:\n"
        "    - source: appraisal\n      quote: \"a regional transport grant pays the remaining\"\n", encoding="utf-8")
    # As an older extractor might have written it: another first line, pinned as it was.
    text_path.write_text("FOOTBRIDGE APPRAISAL (draft)\n" + text, encoding="utf-8")
    repin(small, "appraisal.txt")
    sources = small / "sources" / "sources.yaml"
    sources.write_text(re.sub(r'extractor: "pypdfium2 [^"]*"', 'extractor: "pypdfium2 4.0"',
                              sources.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(capsys, "check", "--content", "content")[0] == 0
    code, out, err = run(capsys, "add", "--refresh", "appraisal", "--content", "content")
    assert code == 0, err
    assert re.search(r"extracted with pypdfium2 \S+ \(PDFium \d+\) \(was pypdfium2 4\.0\)\n", out)
    assert "the text changed: " in out and "  -FOOTBRIDGE APPRAISAL (draft)\n" in out
    assert text_path.read_text(encoding="utf-8") == text
    code, _, err = run(capsys, "check", "--content", "content")
    assert code == 1 and "source 'appraisal' has changed since it was pinned" in err
    code, out, _ = run(capsys, "reanchor", "--content", "content", "--write")
    assert code == 0 and "1 of 1 citation(s) of 1 changed source(s) placed" in _
    assert run(capsys, "check", "--content", "content")[0] == 0
    # Nothing to do a second time; a text added as is has no original to extract from.
    code, out, _ = run(capsys, "add", "--refresh", "appraisal", "--content", "content")
    assert code == 0 and out.endswith("the text is unchanged\n")
    code, _, err = run(capsys, "add", "--refresh", "herald", "--content", "content")
    assert code == 1 and "source 'herald' has no original" in err


def test_refetch_writes_a_new_capture(small, capsys, server):
    assert run(capsys, "add", f"{server}/news/bridge", "--content", "content", "--id", "bridge")[0] == 0
    first = (small / "sources" / "bridge.warc.gz").read_bytes()
    code, out, err = run(capsys, "add", "--refresh", "bridge", "--refetch", "--content", "content")
    assert code == 0, err
    assert re.search(r"wrote content/sources/bridge\.\d{8}T\d{6}Z\.warc\.gz\n", out)
    assert "the text is unchanged" in out
    assert (small / "sources" / "bridge.warc.gz").read_bytes() == first  # the old capture is kept
    entry = (small / "sources" / "sources.yaml").read_text(encoding="utf-8").split("- id: bridge\n")[1]
    assert re.search(r"  original:\n    file: bridge\.\d{8}T\d{6}Z\.warc\.gz\n", entry)
    assert run(capsys, "check", "--content", "content")[0] == 0
