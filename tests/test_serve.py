"""``factsheet serve`` without a browser: the guard (token, Host, Origin, POST), the JSON API end
to end on a copy of the small fixture, edits that keep the YAML file's bytes, undo, drift and review.
The browser tests are in test_serve_browser.py."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factsheet.serve import start, yamledit
from factsheet.serve.spans import from_utf16, snap, to_utf16
from factsheet.sources.yamlread import read_yaml
from factsheet.verification.reanchor import edited

from conftest import FIXTURES, ROOT, run


@pytest.fixture
def app(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    running = start(content, port=0, pdf=False)
    running.content = content
    yield running
    running.stop()


def request(app, method: str, path: str, body=None, *, token=True, cookie=False, headers=None):
    """One request; returns (status, headers, parsed JSON or text)."""
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{app.port}"}
    if token:
        sent["X-Factsheet-Token"] = app.token
    if cookie:
        sent["Cookie"] = f"factsheet-{app.port}={app.token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    conn.request(method, path, body=data, headers=sent)
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    kind = resp.getheader("Content-Type", "")
    return resp.status, resp, json.loads(raw) if kind.startswith("application/json") else raw.decode("utf-8", "replace")


def get(app, path, **kw):
    status, _, body = request(app, "GET", path, **kw)
    assert status == 200, body
    return body


def post(app, path, body, status=200, **kw):
    got, _, answer = request(app, "POST", path, body, **kw)
    assert got == status, answer
    return answer


def source_text(app, source: str) -> str:
    return get(app, f"/api/source?id={source}")["text"]


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def check(content: Path, capsys) -> tuple[int, str]:
    code, _, err = run(capsys, "check", "--content", str(content))
    return code, err


# --- the guard ------------------------------------------------------------------------------------

def test_every_request_needs_the_token(app):
    assert request(app, "GET", "/api/briefing", token=False)[0] == 403
    assert request(app, "GET", "/", token=False)[0] == 403
    assert request(app, "GET", "/preview", token=False)[0] == 403
    assert request(app, "GET", "/api/briefing", token=False, headers={"X-Factsheet-Token": "x" * 32})[0] == 403
    # The token in the URL is taken on the first page only, and at once exchanged for a cookie.
    assert request(app, "GET", f"/api/briefing?token={app.token}", token=False)[0] == 403
    status, resp, _ = request(app, "GET", f"/?token={app.token}", token=False)
    assert status == 303 and resp.getheader("Location") == "/"
    cookie = resp.getheader("Set-Cookie")
    assert cookie == f"factsheet-{app.port}={app.token}; HttpOnly; SameSite=Strict; Path=/"
    assert request(app, "GET", "/api/briefing", token=False, cookie=True)[0] == 200
    page = request(app, "GET", "/", token=False, cookie=True)
    assert page[0] == 200 and app.token in page[2]


def test_a_foreign_host_is_refused(app):
    for host in ("evil.example", f"evil.example:{app.port}", f"127.0.0.1.nip.io:{app.port}", "127.0.0.1"):
        status, _, body = request(app, "GET", "/api/briefing", cookie=True, headers={"Host": host})
        assert (status, body) == (403, "unknown Host: open the address factsheet serve printed\n")
    for host in (f"localhost:{app.port}", f"[::1]:{app.port}"):
        assert request(app, "GET", "/api/status", headers={"Host": host})[0] == 200


def test_a_foreign_origin_or_site_is_refused(app):
    before = (app.content / "facts" / "vote.yaml").read_bytes()
    edit = {"id": "bridge-cost", "statement": "Changed."}
    for headers in ({"Origin": "http://evil.example"}, {"Origin": f"http://127.0.0.1:{app.port + 1}"},
                    {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
        assert request(app, "POST", "/api/fact", edit, headers=headers)[0] == 403
        assert request(app, "GET", "/api/briefing", cookie=True, headers=headers)[0] == 403
    assert (app.content / "facts" / "vote.yaml").read_bytes() == before
    own = {"Origin": f"http://127.0.0.1:{app.port}", "Sec-Fetch-Site": "same-origin"}
    assert request(app, "GET", "/api/status", headers=own)[0] == 200


def test_changes_need_a_post_of_json_with_the_token_header(app):
    edit = {"id": "bridge-cost", "statement": "Changed."}
    before = (app.content / "facts" / "vote.yaml").read_bytes()
    # A cookie alone (what a forged cross-site form would carry) is not enough.
    assert request(app, "POST", "/api/fact", edit, token=False, cookie=True)[0] == 403
    status, _, body = request(app, "POST", "/api/fact", edit, headers={"Content-Type": "text/plain"})
    assert status == 403 and "JSON" in body
    assert request(app, "GET", "/api/fact?id=bridge-cost&statement=x")[0] == 405
    assert request(app, "PUT", "/api/fact", edit)[0] == 405
    assert (app.content / "facts" / "vote.yaml").read_bytes() == before


def test_listens_on_the_loopback_only_with_a_strict_policy(app):
    addresses = {s.server_address[0] for s in app.servers}
    assert addresses <= {"127.0.0.1", "::1"} and "127.0.0.1" in addresses
    _, resp, _ = request(app, "GET", "/", cookie=True)
    policy = resp.getheader("Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    _, resp, page = request(app, "GET", "/preview")
    assert "sandbox" in resp.getheader("Content-Security-Policy")
    assert "http://" not in re.sub(r'href="https?://[^"]*"|<span class="url">[^<]*</span>', "", page)


def test_nothing_outside_the_content_folder_can_be_read_or_written(app, tmp_path):
    for path in ("/../../etc/passwd", "/static/../http.py", "/static/app.html", "/etc/passwd",
                 "/api/source?id=../../etc/passwd", "/api/source?id=gazette.txt"):
        assert request(app, "GET", path)[0] == 404, path
    text = source_text(app, "gazette")
    start = text.index("The bridge will")
    for name in ("../escape.yaml", "facts/../../escape.yaml", "/tmp/escape.yaml", "facts/x.yml.yaml/..",
                 "facts/sub/x.yaml", "briefing.yaml", "sources/sources.yaml"):
        new = {"id": "escape", "section": "vote", "statement": "x", "file": name}
        answer = post(app, "/api/cite", {"source": "gazette", "start": start, "end": start + 10, "new": new}, 400)
        assert "choose a facts file" in answer["error"]
    assert not list(tmp_path.rglob("escape.yaml"))
    # A facts folder that is a link to elsewhere: nothing is written through it.
    elsewhere = tmp_path / "elsewhere"
    (app.content / "facts").rename(elsewhere)
    (app.content / "facts").symlink_to(elsewhere)
    app.workspace.refresh()
    new = {"id": "escape", "section": "vote", "statement": "x", "file": "facts/escape.yaml"}
    answer = post(app, "/api/cite", {"source": "gazette", "start": start, "end": start + 10, "new": new}, 400)
    assert answer["error"] == "not saved: facts/escape.yaml is not inside the content folder"
    assert not list(tmp_path.rglob("escape.yaml"))


# --- offsets ----------------------------------------------------------------------------------------

def test_utf16_offsets_become_code_points_snapped_to_whole_characters():
    text = "a🎉b e\u0301x 🇫🇷!"
    assert [from_utf16(text, u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    assert from_utf16(text, 2) == 1 and from_utf16(text, 2, end=True) == 2  # inside the pair
    assert all(from_utf16(text, to_utf16(text, i)) == i for i in range(len(text) + 1))
    e = text.index("e\u0301")
    assert snap(text, e + 1, e + 3) == (e, e + 3)  # never between a letter and its accent
    flag = text.index("🇫")
    assert snap(text, flag + 1, flag + 2) == (flag, flag + 2)  # a flag is two code points, one character
    assert snap(text, 0, 8) == (0, 7) and snap(text, 3, 5) == (4, 6)  # outer white space left out


# --- citing -------------------------------------------------------------------------------------------

def test_a_selection_across_crlf_with_emoji_becomes_a_fact_that_checks(app, capsys):
    text = source_text(app, "herald")
    start, end = text.index("approved"), text.index("the e\u0301quipe") + len("the e\u0301quipe")
    assert "\r\n\r\n" in text[start:end] and "🎉" in text[start:end]
    located = post(app, "/api/locate", {"source": "herald", "start": utf16(text, start),
                                        "end": utf16(text, end), "units": "utf16"})
    assert (located["start"], located["end"], located["text"]) == (start, end, text[start:end])
    assert located["quote"] == " ".join(text[start:end].split())
    new = {"id": "whole-report", "section": "reactions", "statement": "The Herald reported the approval.",
           "file": "facts/reactions.yaml"}
    saved = post(app, "/api/cite", {"source": "herald", "start": start, "end": end, "new": new})
    assert saved["saved"] and saved["errors"] == 0
    assert "+- id: whole-report\n" in saved["diff"]
    code, err = check(app.content, capsys)
    assert code == 0, err
    from factsheet.pipeline import verify

    briefing, _ = verify(app.content)
    cite = next(f for f in briefing.facts if f.id == "whole-report").citations[0]
    assert (cite.span.start, cite.span.end, cite.span.text) == (start, end, text[start:end])


def test_a_selection_inside_a_word_is_cited_as_part_of_a_word(app, capsys):
    text = source_text(app, "herald")
    start = text.index("The vote was") + 4
    end = start + len("vote wa")  # "vote wa|s": it ends inside a word
    located = post(app, "/api/locate", {"source": "herald", "start": start, "end": end, "units": "codepoints"})
    assert located["citation"] == {"source": "herald", "quote": "vote wa", "partial": True, "start": start, "end": end}
    assert located["warnings"][0] == ("the selection starts or ends inside a word, so the citation says "
                                      "`partial: true`; select whole words to cite them")
    saved = post(app, "/api/cite", {"source": "herald", "start": start, "end": end, "fact": "bridge-cost"})
    assert saved["saved"] and saved["errors"] == 0
    assert f'+    - source: herald\n+      quote: "vote wa"\n+      partial: true\n+      start: {start}\n' in saved["diff"]
    code, err = check(app.content, capsys)
    assert code == 0, err


def test_adding_a_citation_keeps_every_other_byte_and_undo_restores_them(app, capsys):
    path = app.content / "facts" / "vote.yaml"
    before = path.read_bytes()
    text = source_text(app, "herald")
    start = text.index("The vote was")
    saved = post(app, "/api/cite", {"source": "herald", "start": start, "end": start + 17, "fact": "bridge-cost"})
    after = path.read_bytes()
    inserted = b'    - source: herald\n      quote: "The vote was 7-2."\n'
    assert after == before + inserted  # bridge-cost is the last fact: the citation goes after its last one
    assert saved["fact"]["citations"][-1]["text"] == "The vote was 7-2."
    assert b"# The vote itself." in after
    undone = post(app, "/api/undo", {"change": saved["change"]})
    assert undone["undone"] == saved["change"] and path.read_bytes() == before
    assert post(app, "/api/undo", {"change": saved["change"]}, 404)["error"] == f"no change {saved['change']} to undo"


def test_undo_refuses_when_an_editor_changed_the_file_since(app):
    path = app.content / "facts" / "reactions.yaml"
    text = source_text(app, "herald")
    start = text.index("The vote was")
    saved = post(app, "/api/cite", {"source": "herald", "start": start, "end": start + 17, "fact": "cafe-owners"})
    edited_by_hand = path.read_bytes() + b"# a note\n"
    path.write_bytes(edited_by_hand)
    answer = post(app, "/api/undo", {"change": saved["change"]}, 409)
    assert "has changed since this save" in answer["error"]
    assert path.read_bytes() == edited_by_hand


def test_a_repeated_quote_gets_its_context_and_short_or_furniture_spans_are_warned(app):
    text = source_text(app, "gazette")
    at = text.index("the bridge was too")
    located = post(app, "/api/locate", {"source": "gazette", "start": at, "end": at + 10})
    assert located["quote"] == "the bridge" and located["occurrences"] == 3
    assert located["prefix"] == "Critics said" or located["suffix"]
    assert any(w.startswith("short quote (10 characters)") for w in located["warnings"])
    share = text.index("Share this")
    located = post(app, "/api/locate", {"source": "gazette", "start": share - 30, "end": share + 5})
    assert any("page furniture" in w for w in located["warnings"])


def test_an_edit_that_would_break_the_file_is_refused_and_nothing_written(app):
    before = {p: p.read_bytes() for p in (app.content / "facts").iterdir()}
    text = source_text(app, "gazette")
    start = text.index("The bridge will")
    cite = {"source": "gazette", "start": start, "end": start + 15}
    answer = post(app, "/api/cite", {**cite, "new": {"id": "vote-result", "section": "vote", "statement": "x",
                                                     "file": "facts/vote.yaml"}}, 400)
    assert "exists already" in answer["error"]
    answer = post(app, "/api/fact", {"id": "bridge-cost", "statement": "Hidden \u202e text"}, 409)
    assert answer["error"].startswith("not saved: ") and "[control-character]" in answer["error"]
    assert {p: p.read_bytes() for p in (app.content / "facts").iterdir()} == before


# --- editing a fact -----------------------------------------------------------------------------------

def test_a_statement_edit_shows_the_findings_live_then_saves(app, capsys):
    statement = "The bridge will cost £15 million, “a bargain”, a record, the Gazette reported."
    tried = post(app, "/api/fact", {"id": "bridge-cost", "statement": statement, "dry_run": True})
    # The quoted words are in no cited span (the quotes rule's finding, so "bargain" is not reported
    # again), the figure is not either, and neither is "record".
    assert [(d["rule"], d["severity"]) for d in tried["findings"]] == [("quotes-in-statement", "error"),
                                                                        ("figures", "warning"),
                                                                        ("unsupported-terms", "warning")]
    assert "£15 million, “a bargain”, a record" in tried["rendered"] and tried["rendered"].startswith('<p class="fact')
    saved = post(app, "/api/fact", {"id": "bridge-cost", "statement": statement})
    assert saved["errors"] == 1 and [d["rule"] for d in saved["findings"]] == ["quotes-in-statement", "figures",
                                                                              "unsupported-terms"]
    assert f'-  statement: "The bridge will cost £12 million, the Gazette reported."\n+  statement: {json.dumps(statement, ensure_ascii=False)}\n' in saved["diff"]
    code, err = check(app.content, capsys)
    assert code == 1 and "quoted words “a bargain” are not in any cited span" in err


def test_a_hostile_statement_is_stored_and_shown_as_text(app):
    hostile = "<script>alert(1)</script> {{ x }} {% if %} &amp; <b>bold</b>"
    post(app, "/api/fact", {"id": "bridge-cost", "statement": hostile})
    facts = get(app, "/api/briefing")["facts"]
    assert next(f for f in facts if f["id"] == "bridge-cost")["statement"] == hostile
    page = get(app, "/preview")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} {% if %} &amp;amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


def test_moving_a_fact_to_another_section(app):
    saved = post(app, "/api/fact", {"id": "bridge-cost", "section": "reactions"})
    assert saved["fact"]["section"] == "reactions" and "+  section: reactions\n" in saved["diff"]


# --- outside changes, drift, review ---------------------------------------------------------------------

def test_a_file_saved_in_an_editor_is_picked_up_and_the_page_rendered_again(app):
    version = get(app, "/api/status")["version"]
    path = app.content / "facts" / "vote.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("£12 million, the", "£12 million, The"), encoding="utf-8")
    deadline = time.monotonic() + 10
    while get(app, "/api/status")["version"] == version and time.monotonic() < deadline:
        time.sleep(0.05)
    status = get(app, "/api/status")
    assert status["version"] > version and status["preview"]["current"]
    assert status["preview"]["seconds"] < 1.0
    assert "£12 million, The Gazette" in get(app, "/preview")


def test_drift_proposals_are_accepted_one_by_one(app, capsys):
    gazette = app.content / "sources" / "gazette.txt"
    gazette.write_bytes(b"By Jo Reporter. " + gazette.read_bytes())
    app.workspace.refresh()
    drift = get(app, "/api/drift")["sources"]
    assert [s["id"] for s in drift] == ["gazette"]
    proposals = drift[0]["proposals"]
    assert all(p["new"] and p["method"] in ("exact", "normalised") and p["score"] == 100 for p in proposals)
    assert all(p["old"] is None and p["new"][0] >= 16 for p in proposals)
    sources_yaml = app.content / "sources" / "sources.yaml"
    before = sources_yaml.read_bytes()
    for p in proposals[:-1]:
        answer = post(app, "/api/drift/accept", {"source": "gazette", "n": p["n"]})
        assert sources_yaml.read_bytes() == before  # the hash only once every one is accepted
        assert next(q for q in answer["drift"]["sources"][0]["proposals"] if q["n"] == p["n"])["accepted"]
    answer = post(app, "/api/drift/accept", {"source": "gazette", "n": proposals[-1]["n"]})
    assert answer["saved"] and answer["files"] == ["sources/sources.yaml"] and answer["drift"]["sources"] == []
    code, err = check(app.content, capsys)
    assert code == 0, err


def test_a_review_stamp_is_recorded_and_can_be_undone(app, capsys):
    todo = get(app, "/api/review")
    assert todo["to_review"] == 5 and todo["facts"][0]["passages"][0]["text"]
    stamped = post(app, "/api/review", {"fact": todo["facts"][0]["id"], "reviewer": "Desk 2", "verdict": "supported"})
    assert stamped["review"]["to_review"] == 4 and stamped["files"] == ["reviews.yaml"]
    assert check(app.content, capsys)[0] == 0
    post(app, "/api/undo", {"change": stamped["change"]})
    assert not (app.content / "reviews.yaml").exists()
    assert post(app, "/api/review", {"fact": "bridge-cost", "reviewer": "x", "verdict": "maybe"}, 400)


def test_the_pdf_is_built_in_the_background_and_downloadable(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    app = start(content, port=0)
    try:
        assert request(app, "GET", "/briefing.pdf")[0] == 404  # not yet: the page does not wait for it
        deadline = time.monotonic() + 240
        while get(app, "/api/status")["pdf"]["state"] != "ready" and time.monotonic() < deadline:
            time.sleep(0.2)
        pdf = get(app, "/api/status")["pdf"]
        assert pdf["state"] == "ready" and pdf["current"], pdf
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
        conn.request("GET", "/briefing.pdf", headers={"Host": f"127.0.0.1:{app.port}", "X-Factsheet-Token": app.token})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        assert resp.status == 200 and data.startswith(b"%PDF-")
        assert resp.getheader("Content-Disposition") == 'attachment; filename="briefing.pdf"'
    finally:
        app.stop()


# --- YAML edits ----------------------------------------------------------------------------------------

FACTS = ("# Facts, with comments kept.\r\n- id: a   # first\r\n  section: s\r\n  statement: |\r\n    Two\r\n"
         "    lines.\r\n\r\n  citations:\r\n  - source: x\r\n    quote: 'q'  # why\r\n  # between\r\n- id: b\r\n"
         "  section: s\r\n  statement: plain\r\n  citations: [{source: x, quote: q}]\r\n# the end\r\n")


def test_yaml_edits_insert_text_in_the_file_s_own_layout():
    file = read_yaml("facts/f.yaml", "facts/f.yaml", FACTS.encode()).file
    added = edited(file, [yamledit.append_citation(file, (0,), {"source": "x", "quote": "new 🎉\u2028"})])
    assert added.decode() == FACTS.replace("# why\r\n", '# why\r\n  - source: x\r\n    quote: "new 🎉\\u2028"\r\n')
    stated = edited(file, [yamledit.replace_scalar(file, (0, "statement"), "yes")])
    assert stated.decode() == FACTS.replace("|\r\n    Two\r\n    lines.\r\n\r\n", '"yes"\r\n\r\n')
    fact = edited(file, [yamledit.append_fact(file, {"id": "c", "section": "true", "statement": "x: y"},
                                              {"source": "x", "quote": "q", "start": 1, "end": 2})])
    assert fact.decode().endswith("  citations: [{source: x, quote: q}]\r\n- id: c\r\n  section: \"true\"\r\n"
                                  "  statement: \"x: y\"\r\n  citations:\r\n    - source: x\r\n      quote: q\r\n"
                                  "      start: 1\r\n      end: 2\r\n# the end\r\n")
    with pytest.raises(yamledit.EditError, match="flow"):
        yamledit.append_citation(file, (1,), {"source": "x", "quote": "q"})
    for data in (added, stated, fact):
        assert not read_yaml("f", "f", data).errors


def test_every_endpoint_is_documented():
    from factsheet.serve import api

    docs = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    for method, table in (("GET", api.GET), ("POST", api.POST)):
        for path in table:
            assert f"### `{method} {path}" in docs, (method, path)


# --- the command ---------------------------------------------------------------------------------------

def test_the_command_prints_an_address_with_a_token_and_serves_it(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "factsheet", "serve", "--content", str(content), "--port", "0", "--no-browser"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        try:
            lines = [proc.stdout.readline() for _ in range(3)]
            assert lines[0].startswith("factsheet serve: 5 facts, 8 citations, 2 sources: 0 errors")
            url = re.fullmatch(r"open (http://127\.0\.0\.1:(\d+)/\?token=([\w-]+))\n", lines[1])
            assert url, lines
            conn = http.client.HTTPConnection("127.0.0.1", int(url.group(2)), timeout=10)
            conn.request("GET", "/api/status", headers={"X-Factsheet-Token": url.group(3)})
            assert conn.getresponse().status == 200
            conn.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_stop_returns_once_both_servers_have_stopped(tmp_path):
    import shutil
    import socket
    import threading

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    running = start(content, port=0, pdf=False)
    addresses = [server.server_address[:2] for server in running.servers]
    assert request(running, "GET", "/api/briefing")[0] == 200
    running.stop()
    for address in addresses:
        with pytest.raises(OSError):
            socket.create_connection(address, timeout=1).close()
    assert not [t for t in threading.enumerate() if t.name.startswith("factsheet-serve-")]
