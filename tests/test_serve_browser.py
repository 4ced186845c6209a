"""``factsheet serve`` in real headless Chromium (Debian's, driven by Playwright), at desktop and
phone sizes: words selected with the mouse become a citation that ``check`` passes with exactly
those characters, a statement edit shows the rule that fires, undo gives back the file's bytes, a
hostile statement stays text, foreign pages and hosts are refused, and the page asks nothing of
any server but the app. One server and one browser for the module; every request is recorded.

Screenshots of each screen go to ``FACTSHEET_SHOTS`` (a folder) when it is set.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factsheet.pipeline import verify
from factsheet.serve import start
from tests import clients

from conftest import FIXTURES, run

try:
    from playwright import sync_api as playwright
except ImportError:  # the test extra installs it: a missing driver is a failure, not a skip
    pytest.fail("Playwright is not installed: pip install -e '.[test]'", pytrace=False)

PHONE, DESKTOP = (390, 844), (1280, 860)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP rebind.test 127.0.0.1"]

# The rectangle of the character at a UTF-16 offset of the source text (its last one for an end).
CHAR_RECT = """([offset, isEnd]) => {
  const pre = document.getElementById("source-text");
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  let pos = 0, node;
  const want = isEnd ? offset - 1 : offset;
  while ((node = walker.nextNode())) {
    if (want < pos + node.data.length) {
      let o = want - pos, len = 1;
      const code = node.data.charCodeAt(o);
      if (code >= 0xDC00 && code <= 0xDFFF) { o -= 1; len = 2; }
      else if (code >= 0xD800 && code <= 0xDBFF) { len = 2; }
      const range = document.createRange();
      range.setStart(node, o); range.setEnd(node, o + len);
      const r = range.getClientRects()[0];
      return {x: isEnd ? r.right - 1 : r.left + 1, y: r.top + r.height / 2};
    }
    pos += node.data.length;
  }
  return null;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    content = tmp_path_factory.mktemp("serve") / "content"
    shutil.copytree(FIXTURES / "small", content)
    running = start(content, port=0, pdf=False)
    running.content = content
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        # Debian's Chromium, never a downloaded one (`playwright install` is not needed).
        chromium = p.chromium.launch(executable_path=clients.require("chromium"), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def requests_seen():
    return []


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("FACTSHEET_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_app(browser, app, size, requests_seen, hash_=""):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.on("request", lambda r: requests_seen.append(r.url))
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    page.goto(app.url)
    page.wait_for_selector("#source-text")
    if hash_:
        page.evaluate("h => { location.hash = h; }", hash_)
    return context, page


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def select_words(page, text: str, start: int, end: int) -> None:
    """Drag the mouse from the first character to the last, as a curator would."""
    page.wait_for_selector("#source-text")
    a = page.evaluate(CHAR_RECT, [utf16(text, start), False])
    b = page.evaluate(CHAR_RECT, [utf16(text, end), True])
    page.mouse.move(a["x"], a["y"])
    page.mouse.down()
    page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2, steps=3)
    page.mouse.move(b["x"], b["y"], steps=3)
    page.mouse.up()
    page.wait_for_function("want => document.getElementById('span') && document.getElementById('span').textContent.startsWith(want)",
                           arg=f"{start}–{end}")


def show_source(page, source_id: str) -> None:
    page.select_option("#source-picker", source_id)
    # The text shown must be this source's: the picker changes the address before the text arrives.
    page.wait_for_function("id => location.hash === '#sources/' + id && document.getElementById('source-text')"
                           " && document.getElementById('source-text').dataset.source === id", arg=source_id)
    page.wait_for_timeout(50)


def saved(page) -> str:
    page.wait_for_selector(".result .ok", timeout=15000)
    return page.inner_text(".result")


def source(app, source_id):
    briefing, _ = verify(app.content)
    return briefing.source(source_id).text if briefing else None


@pytest.mark.parametrize("name,size", [("desktop", DESKTOP), ("phone", PHONE)])
def test_selected_words_across_crlf_and_emoji_become_a_citation_check_passes(app, browser, requests_seen, shots, name, size, capsys):
    text = source(app, "herald")
    start, end = text.index("approved"), text.index("the e\u0301quipe") + len("the e\u0301quipe")
    facts = app.content / "facts" / "reactions.yaml"
    before = facts.read_bytes()
    context, page = open_app(browser, app, size, requests_seen, "#sources/herald")
    try:
        show_source(page, "herald")
        assert page.evaluate("document.getElementById('source-text').textContent") == text  # CR LF, emoji, NFD kept
        # Each citation is marked; hovering shows the fact (its number, id and statement).
        assert page.get_attribute("mark.cited >> nth=0", "title") == "[5] mayor-good-day: The mayor called it “a good day for the city”."
        select_words(page, text, start, end)
        assert page.inner_text("#quote") == " ".join(text[start:end].split())
        page.check("input[value=new]")
        page.fill("#new-id", f"approval-{name}")
        page.select_option("#new-section", "reactions")
        page.fill("#new-statement", "The Herald reported the approval.")
        page.select_option("#new-file", "facts/reactions.yaml")
        page.screenshot(path=str(shots / f"cite-{name}.png"))
        page.click("#cite-button")
        result = saved(page)
        assert "facts/reactions.yaml" in result and f"+- id: approval-{name}" in result
        page.screenshot(path=str(shots / f"saved-{name}.png"))
        code, _, err = run(capsys, "check", "--content", str(app.content))
        assert code == 0, err
        briefing, _ = verify(app.content)
        span = next(f for f in briefing.facts if f.id == f"approval-{name}").citations[0].span
        assert (span.start, span.end, span.text) == (start, end, text[start:end])
        page.click("button.undo")
        page.wait_for_selector(".result >> text=Undone")
        assert facts.read_bytes() == before
    finally:
        context.close()


def test_a_statement_edit_shows_the_rule_that_fires_and_undo_restores_the_bytes(app, browser, requests_seen, shots):
    vote = app.content / "facts" / "vote.yaml"
    before = vote.read_bytes()
    context, page = open_app(browser, app, DESKTOP, requests_seen, "#facts/bridge-cost")
    try:
        page.wait_for_selector("#statement")
        page.fill("#statement", "The bridge will cost £12 million, “a bargain”, the Gazette reported.")
        page.wait_for_selector("#findings li.error >> text=quotes-in-statement")
        assert "quoted words “a bargain” are not in any cited span" in page.inner_text("#findings")
        page.wait_for_selector("#rendered >> text=a bargain")
        page.screenshot(path=str(shots / "fact-desktop.png"))
        page.click("#save-fact")
        assert "1 error" in saved(page)
        assert vote.read_bytes() != before
        page.click("button.undo")
        page.wait_for_selector(".result >> text=Undone")
        assert vote.read_bytes() == before
    finally:
        context.close()


def test_a_hostile_statement_shows_as_text_everywhere(app, browser, requests_seen, shots):
    hostile = "<script>alert(1)</script> {{ x }} <img src=x onerror=alert(2)>"
    vote = app.content / "facts" / "vote.yaml"
    before = vote.read_bytes()
    context, page = open_app(browser, app, PHONE, requests_seen, "#facts/bridge-cost")
    try:
        page.wait_for_selector("#statement")
        page.fill("#statement", hostile)
        page.wait_for_selector("#rendered >> text=<script>")
        page.click("#save-fact")
        saved(page)
        page.wait_for_function("s => [...document.querySelectorAll('.fact-list a')].some(a => a.textContent.includes(s))", arg=hostile)
        page.wait_for_selector("#rendered p.fact")
        assert page.inner_text("#rendered").startswith("Tuesday: " + hostile)
        assert page.evaluate("document.querySelectorAll('main script, main img').length") == 0
        page.screenshot(path=str(shots / "hostile-phone.png"))
        page.evaluate("location.hash = '#preview'")
        frame = page.frame_locator("iframe.preview-frame")
        assert hostile in frame.locator("#fact-bridge-cost").inner_text()
        assert frame.locator("#fact-bridge-cost script, #fact-bridge-cost img").count() == 0
        page.screenshot(path=str(shots / "preview-phone.png"))
        page.evaluate("location.hash = '#facts/bridge-cost'")
        page.click("button.undo")
        page.wait_for_selector(".result >> text=Undone")
        assert vote.read_bytes() == before
    finally:
        context.close()


class _Evil(BaseHTTPRequestHandler):
    """Another site on this machine, whose page tries to change the content through the app."""

    def do_GET(self):
        body = f"""<!doctype html><form id=f method=post action="{self.server.target}/api/fact" enctype="text/plain">
<input name='{{"id":"bridge-cost","statement":"forged","x":"' value='"}}'></form>
<script>
fetch("{self.server.target}/api/fact", {{method: "POST", credentials: "include", mode: "no-cors",
  headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{id: "bridge-cost", statement: "forged"}})}})
  .finally(() => document.getElementById("f").submit());
</script>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_foreign_pages_hosts_and_tokenless_visits_are_refused(app, browser, requests_seen):
    vote = app.content / "facts" / "vote.yaml"
    before = vote.read_bytes()
    context, _ = open_app(browser, app, DESKTOP, requests_seen)  # holds the cookie
    evil = ThreadingHTTPServer(("127.0.0.1", 0), _Evil)
    evil.target = app.origin
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        other = context.new_page()
        other.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        other.wait_for_url(f"{app.origin}/api/fact")
        assert "refused" in other.inner_text("body") or "needs the" in other.inner_text("body")
        assert vote.read_bytes() == before
        # DNS rebinding: a name that resolves to the loopback is not a Host the app answers.
        rebound = other.goto(f"http://rebind.test:{app.port}/?token={app.token}")
        assert rebound.status == 403 and "unknown Host" in other.inner_text("body")
        fresh = browser.new_context()
        try:
            visit = fresh.new_page().goto(f"{app.origin}/")
            assert visit.status == 403 and "no valid token" in visit.text()
        finally:
            fresh.close()
    finally:
        evil.shutdown()
        evil.server_close()
        context.close()
    requests_seen[:] = [u for u in requests_seen if "rebind.test" not in u and f":{evil.server_address[1]}/" not in u]


def test_drift_review_check_and_preview_screens(app, browser, requests_seen, shots, capsys):
    gazette = app.content / "sources" / "gazette.txt"
    gazette.write_bytes(b"By Jo Reporter. " + gazette.read_bytes())
    context, page = open_app(browser, app, DESKTOP, requests_seen, "#check")
    try:
        page.wait_for_selector("main >> text=has changed since it was pinned")
        page.screenshot(path=str(shots / "check-desktop.png"))
        page.evaluate("location.hash = '#drift'")
        page.wait_for_selector("button.accept")
        page.screenshot(path=str(shots / "drift-desktop.png"))
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.screenshot(path=str(shots / "drift-phone.png"))
        page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
        while (left := page.locator("button.accept").count()):
            page.locator("button.accept").first.click()
            page.wait_for_function("n => document.querySelectorAll('button.accept').length < n", arg=left)
        page.wait_for_selector("main >> text=No source has changed since it was pinned")
        code, _, err = run(capsys, "check", "--content", str(app.content))
        assert code == 0, err
        page.evaluate("location.hash = '#review'")
        page.fill("#reviewer", "Desk 2")
        page.dispatch_event("#reviewer", "change")
        first = page.inner_text("main h3")
        page.screenshot(path=str(shots / "review-desktop.png"))
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.screenshot(path=str(shots / "review-phone.png"))
        page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
        page.click("button[data-verdict=supported]")
        page.wait_for_selector("main >> text=4 of 5 facts not reviewed")
        assert page.inner_text("main h3") != first
        assert "verdict: supported" in (app.content / "reviews.yaml").read_text(encoding="utf-8")
        page.evaluate("location.hash = '#preview'")
        page.frame_locator("iframe.preview-frame").locator("h1").wait_for()
        page.screenshot(path=str(shots / "preview-desktop.png"))
        page.evaluate("location.hash = '#sources/gazette'")
        page.wait_for_selector("#source-text .furniture")
        page.screenshot(path=str(shots / "source-desktop.png"))
    finally:
        context.close()


def test_a_fact_of_three_citations_in_well_under_a_minute(app, browser, requests_seen, shots):
    herald, gazette = source(app, "herald"), source(app, "gazette")
    context, page = open_app(browser, app, DESKTOP, requests_seen, "#sources/herald")
    try:
        show_source(page, "herald")
        began = time.perf_counter()
        at = herald.index("The vote was 7-2.")
        select_words(page, herald, at, at + len("The vote was 7-2."))
        page.check("input[value=new]")
        page.fill("#new-id", "vote-three")
        page.fill("#new-statement", "The council voted 7–2 to fund the £12 million bridge.")
        page.select_option("#new-file", "")
        page.fill("#new-file-name", "facts/three.yaml")
        page.click("#cite-button")
        saved(page)
        show_source(page, "gazette")
        at = gazette.index("The council voted")
        select_words(page, gazette, at, gazette.index("the bridge.", at) + len("the bridge."))
        assert page.input_value("#cite-fact") == "vote-three"
        page.click("#cite-button")
        saved(page)
        at = gazette.index("The bridge will cost")
        select_words(page, gazette, at, at + len("The bridge will cost £12 million."))
        page.click("#cite-button")
        saved(page)
        seconds = time.perf_counter() - began
        page.screenshot(path=str(shots / "three-citations-desktop.png"))
        briefing, report = verify(app.content)
        assert briefing is not None, [d.format() for d in report.sorted()]
        fact = next(f for f in briefing.facts if f.id == "vote-three")
        assert [c.span.text for c in fact.citations] == ["The vote was 7-2.", "The council voted 7–2 on Tuesday to fund the bridge.",
                                                          "The bridge will cost £12 million."]
        print(f"\nthree citations written in {seconds:.1f} s of scripted use")
        assert seconds < 60
    finally:
        context.close()


def test_the_page_asked_nothing_of_any_server_but_the_app(app, browser, requests_seen):
    # Every request of the tests above, and of a walk through every screen.
    context, page = open_app(browser, app, PHONE, requests_seen)
    try:
        for screen in ("sources/herald", "facts/bridge-cost", "check", "preview", "drift", "review"):
            page.evaluate("h => { location.hash = h; }", "#" + screen)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert any(u.startswith(f"{app.origin}/preview") for u in requests_seen)
    assert [u for u in requests_seen if not u.startswith(app.origin + "/")] == []


def test_a_change_on_disk_waits_for_the_words_being_dragged(app, browser, requests_seen):
    herald = source(app, "herald")
    context, page = open_app(browser, app, DESKTOP, requests_seen, "#sources/herald")
    briefing_file = app.content / "briefing.yaml"
    original = briefing_file.read_bytes()
    try:
        show_source(page, "herald")
        at = herald.index("The vote was 7-2.")
        end = at + len("The vote was 7-2.")
        a = page.evaluate(CHAR_RECT, [utf16(herald, at), False])
        b = page.evaluate(CHAR_RECT, [utf16(herald, end), True])
        page.evaluate("() => { document.getElementById('source-text').dataset.drawn = 'before'; }")
        page.mouse.move(a["x"], a["y"])
        page.mouse.down()
        page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2, steps=3)
        briefing_file.write_bytes(original + b"\n# edited in another window\n")
        page.wait_for_timeout(2500)  # three of the page's polls: each sees the new version
        assert page.evaluate("() => document.getElementById('source-text').dataset.drawn") == "before"
        page.mouse.move(b["x"], b["y"], steps=3)
        page.mouse.up()
        # A redraw between the release and the selection being located (a poll can land there)
        # keeps the words selected.
        page.evaluate("() => render(true)")
        # Released: the page catches up with the change, and the words stay selected.
        page.wait_for_function("() => !document.getElementById('source-text').dataset.drawn")
        page.wait_for_function("want => document.getElementById('span') && "
                               "document.getElementById('span').textContent.startsWith(want)", arg=f"{at}–{end}")
        assert page.evaluate("() => getSelection().toString()") == "The vote was 7-2."
    finally:
        briefing_file.write_bytes(original)
        context.close()
