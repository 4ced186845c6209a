"""The standalone page in headless Chromium: screenshots at phone and desktop widths, every request
the browser makes seen by a local proxy (so an external request would be caught, not just a
local one), and the citation tooltip exercised by keyboard focus.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import struct
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factsheet.model import Location, Source, Span
from factsheet.outputs.environment import DEFAULT_TEMPLATES
from factsheet.outputs.passages import text_fragment_url
from factsheet.pipeline import render, verify
from tests import clients

ORIGIN = "http://briefing.test"
PHONE, DESKTOP = (390, 844), (1280, 900)

# Appended to a copy of the page only: focuses the first citation as a keyboard user would (the
# real key handler is exercised with a synthetic Escape) and writes what it saw into the DOM.
PROBE = """<script>
function probe(wait) {
  // A headless window may get system focus a moment after load, and :focus needs it.
  if (!document.hasFocus() && wait > 0) { setTimeout(function () { probe(wait - 1); }, 20); return; }
  var link = document.querySelector(".cite > a");
  var tip = document.getElementById(link.getAttribute("aria-describedby"));
  var shown = function () { return getComputedStyle(tip).display !== "none"; };
  var result = {before: shown()};
  link.focus();
  result.focused = document.activeElement === link;
  result.after = shown();
  var r = tip.getBoundingClientRect();
  result.inViewport = r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight;
  result.tip = tip.textContent;
  result.href = link.getAttribute("href");
  result.overflow = document.documentElement.scrollWidth - innerWidth;
  // The single-source mark: a badge a reader sees on every fact that rests on one source only.
  var badges = Array.prototype.slice.call(document.querySelectorAll(".fact.single-source .badge.single"));
  result.single = {
    facts: document.querySelectorAll(".fact.single-source").length,
    seen: badges.filter(function (b) {
      var r = b.getBoundingClientRect(), st = getComputedStyle(b);
      return r.width > 0 && r.height > 0 && st.visibility === "visible" && st.display !== "none";
    }).map(function (b) { return b.textContent; }),
    elsewhere: document.querySelectorAll(".fact:not(.single-source) .badge.single").length,
    rule: getComputedStyle(document.querySelector(".fact.single-source")).borderLeftStyle
  };
  document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape"}));
  result.afterEscape = shown();
  document.body.classList.remove("tips-off");
  document.body.setAttribute("data-probe", JSON.stringify(result));
}
window.addEventListener("load", function () { probe(100); });
</script>"""


class Proxy(BaseHTTPRequestHandler):
    """An HTTP proxy that logs every request and serves only the pages it was given."""

    def _serve(self):
        self.server.log.append(f"{self.command} {self.path}")
        body = self.server.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _serve

    def do_CONNECT(self):
        self.server.log.append(f"CONNECT {self.path}")
        self.send_response(403)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def page(small_build: Path) -> str:
    return (small_build / "out" / "briefing.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def proxy(page):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.pages = {f"{ORIGIN}/briefing.html": page.encode("utf-8"),
                    f"{ORIGIN}/probe.html": page.replace("</body>", PROBE + "\n</body>").encode("utf-8")}
    server.log = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


# Chromium's own services (component updates, account checks) call home at start-up whatever the
# page is; they are sent around the proxy to a host name that never resolves, so nothing leaves
# the machine and the proxy sees exactly what the page asks for. The network clock is turned off.
BROWSER_SERVICES = ["update.googleapis.com", "accounts.google.com"]
QUIET = ["--disable-features=NetworkTimeServiceQuerying",
         "--host-resolver-rules=" + ", ".join(f"MAP {h} ~NOTFOUND" for h in BROWSER_SERVICES)]


def chromium(proxy, url: str, size: tuple[int, int], *extra: str) -> str:
    """Run headless Chromium through the recording proxy; returns stdout. Asserts the only request
    made was for ``url``."""
    proxy.log.clear()
    with tempfile.TemporaryDirectory() as profile:
        argv = [clients.require("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
                f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}", "--proxy-bypass-list=" + ";".join(["<-loopback>", *BROWSER_SERVICES]), *QUIET,
                f"--window-size={size[0]},{size[1]}", *extra, url]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert proxy.log == [f"GET {url}"]
    return done.stdout


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("name,size", [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshot_makes_no_request_but_the_page(proxy, shots, name, size):
    shot = shots / f"briefing-{name}.png"
    chromium(proxy, f"{ORIGIN}/briefing.html", size, "--virtual-time-budget=5000", f"--screenshot={shot}")
    assert png_size(shot) == size
    assert png_size(_probe(proxy, size, shots)["shot"]) == size  # the probe page, shot in the run that reads the probe


_PROBED: dict[tuple[int, int], dict] = {}


def _probe(proxy, size, shots: Path) -> dict:
    """What the probe saw at this window size, and the screenshot of the probe page: one browser
    run per size (asserted to request nothing but the page), read by several tests."""
    if size not in _PROBED:
        shot = shots / f"probe-{size[0]}x{size[1]}.png"
        dom = chromium(proxy, f"{ORIGIN}/probe.html", size, "--virtual-time-budget=5000", f"--screenshot={shot}",
                       "--dump-dom")
        seen = json.loads(htmllib.unescape(re.search(r'data-probe="([^"]*)"', dom).group(1)))
        _PROBED[size] = {**seen, "shot": shot}
    return _PROBED[size]


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_focus_shows_the_cited_words_and_escape_hides_them(proxy, shots, size):
    seen = _probe(proxy, size, shots)
    assert seen["focused"] and not seen["before"] and seen["after"] and not seen["afterEscape"]
    assert seen["inViewport"]
    assert seen["tip"] == "The Gazette: “The council voted 7–2 on Tuesday to fund the bridge.”"
    assert seen["href"] == "#ev-vote-result-1"
    assert seen["overflow"] <= 0  # nothing wider than the screen


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_single_source_facts_show_their_mark(proxy, shots, size):
    # The small fixture has three facts resting on one source, and two on several.
    single = _probe(proxy, size, shots)["single"]
    assert single["facts"] == 3 and single["seen"] == ["single source"] * 3
    assert single["elsewhere"] == 0 and single["rule"] == "solid"


def test_page_has_no_external_resource(page):
    # Links to the sources are the only URLs; nothing is loaded from anywhere (src, CSS url(), @import).
    assert not re.search(r"\bsrc=|url\(|@import", page)
    links = re.findall(r'href="([^"]+)"', page)
    assert {link.split("#")[0] for link in links if not link.startswith("#")} == {"data:,", "https://gazette.example/bridge"}


def test_evidence_shows_each_passage_in_context(page):
    items = re.findall(r'<li id="ev-([^"]+)">(.*?)</li>', page, re.S)
    assert len(items) == 8
    label, item = next(i for i in items if i[0] == "residents-overdue-1")
    passage = re.search(r'<blockquote class="passage">(.*?)</blockquote>', item, re.S).group(1)
    assert passage == "Residents said “<mark>the bridge</mark>” was overdue. Critics said the bridge was too expensive."
    assert 'href="#cite-residents-overdue-1"' in item
    crlf = dict(items)["vote-result-2"]  # the Herald's capture has CRLF line ends: the title stays out
    assert re.search(r'<blockquote class="passage">The mayor called it &#34;a good day for the city&#34;\. '
                     r'<mark>The vote was 7-2\.</mark> Café', crlf)
    assert ('href="https://gazette.example/bridge#:~:text=Residents%20said%20%E2%80%9C-,the%20bridge"'
            in item)


def test_curated_text_is_escaped_in_the_page(small):
    facts = small / "facts" / "vote.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "The bridge will cost £12 million, the Gazette reported.",
        "<img src=x onerror=alert(1)> costs & {{ x }}"), encoding="utf-8")
    briefing, report = verify(small)
    assert briefing is not None, report.sorted()
    page = render(briefing, DEFAULT_TEMPLATES, ("web",))["briefing.html"].decode("utf-8")  # what build writes
    assert "&lt;img src=x onerror=alert(1)&gt; costs &amp; {{ x }}" in page and "<img" not in page


def _source(text: str) -> Source:
    return Source("s", "s.txt", "S", None, "https://x.example/a", None, "0" * 64, None,
                  Location("s", 1, 1), text=text)


@pytest.mark.parametrize("text,quote,url,fragment", [
    ("One two three.", "two", "https://x.example/a", "#:~:text=two"),
    ("A b. A b.", "A b.", "https://x.example/a", "#:~:text=A%20b."),
    ("A b. x A b.", "A b.", "https://x.example/a#top", "#top:~:text=A%20b.%20x-,A%20b."),
    ("Some well-known, long passage that goes on for more than eight words.",
     "well-known, long passage that goes on for more than eight words.", "https://x.example/a",
     "#:~:text=well%2Dknown%2C%20long%20passage%20that,more%20than%20eight%20words."),
    ("Para one ends.\r\n\r\nPara two starts", "ends.\r\n\r\nPara two", "https://x.example/a",
     "#:~:text=ends.,Para%20two"),
])
def test_text_fragment(text, quote, url, fragment):
    start = text.rindex(quote) if "top" in url else text.index(quote)
    span = Span("s", start, start + len(quote), quote)
    link = text_fragment_url(url, _source(text), span)
    assert link == url.split("#")[0] + fragment
