"""The app's HTTP server: the standard library's ``ThreadingHTTPServer``, on the loopback only.

Every request passes ``_refusal`` before anything else:

- the ``Host`` header must name this server on the loopback (no DNS rebinding);
- an ``Origin`` header, when sent, must be this server's own, and ``Sec-Fetch-Site`` must not
  say another site (a page elsewhere cannot drive the app, even from another local port);
- the secret token must come with it: in the URL printed at start (``/?token=…``, exchanged at
  once for an HttpOnly, SameSite=Strict cookie), in that cookie, or in the ``X-Factsheet-Token``
  header; requests that change anything are POSTs of JSON that need the header itself, which
  only the app's own page can read (no cross-site request forgery).

Responses carry a Content-Security-Policy that allows nothing but the app itself; the app's page
shows every value with ``textContent``, never as markup.
"""

from __future__ import annotations

import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from factsheet.serve import api
from factsheet.serve.changes import Refused
from factsheet.serve.workspace import Workspace

MAX_BODY = 1 << 20
TOKEN_HEADER = "X-Factsheet-Token"
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
# The briefing page inlines its CSS and script; sandboxed, it runs in an origin of its own.
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; "
               "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox")
STATIC = {"/static/app.js": "text/javascript; charset=utf-8", "/static/app.css": "text/css; charset=utf-8"}

NO_PREVIEW = (b"<!doctype html><title>No preview</title>"
              b"<p>No version of the content without errors has been loaded yet.</p>")


class App:
    """What every request handler shares: the workspace, the token and the names this server has."""

    def __init__(self, workspace: Workspace, token: str, port: int):
        self.workspace, self.token, self.port = workspace, token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = f"factsheet-{port}"

    def valid(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token.encode(), self.token.encode())


class Handler(BaseHTTPRequestHandler):
    server_version = "factsheet"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and errors, not every request

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _other(self) -> None:
        self._send(405, b"method not allowed\n", "text/plain; charset=utf-8", {"Allow": "GET, POST"})

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _other

    # --- the guard ------------------------------------------------------------------------------

    def _cookie_token(self) -> str | None:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == self.app.cookie:
                return value
        return None

    def _refusal(self, method: str, path: str, query: dict) -> str | None:
        app = self.app
        if self.headers.get("Host", "") not in app.hosts:
            return "unknown Host: open the address factsheet serve printed"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in app.origins:
            return "requests from other origins are refused"
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return "requests from other sites are refused"
        if method == "POST":
            if not app.valid(self.headers.get(TOKEN_HEADER)):
                return f"a POST needs the {TOKEN_HEADER} header"
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                return "a POST sends JSON (Content-Type: application/json)"
            return None
        if app.valid(self._cookie_token()) or app.valid(self.headers.get(TOKEN_HEADER)):
            return None
        if path == "/" and app.valid(query.get("token")):
            return None
        return "no valid token: open the address factsheet serve printed (it ends in ?token=…)"

    # --- routing --------------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        refusal = self._refusal(method, url.path, query)
        if refusal:
            self._drain()
            self._send(403, (refusal + "\n").encode(), "text/plain; charset=utf-8")
            return
        try:
            if method == "POST":
                self._post(url.path)
            else:
                self._get(url.path, query)
        except Refused as e:
            self._json({"error": str(e)}, e.status)
        except Exception as e:  # noqa: BLE001 - a bug: answer, and keep serving
            self._json({"error": f"internal error: {type(e).__name__}: {e}"}, 500)

    def _get(self, path: str, query: dict) -> None:
        if path == "/" and "token" in query:
            # The token leaves the address bar (and the history) at once, for a cookie.
            self._send(303, b"", "text/plain", {"Location": "/", "Set-Cookie":
                       f"{self.app.cookie}={self.app.token}; HttpOnly; SameSite=Strict; Path=/"})
        elif path == "/":
            page = _asset("app.html").replace("{{token}}", self.app.token)
            self._send(200, page.encode(), "text/html; charset=utf-8")
        elif path in STATIC:
            self._send(200, _asset(path.rsplit("/", 1)[1]).encode(), STATIC[path])
        elif path == "/preview":
            built = self.app.workspace.preview.page
            body = built if built is not None else NO_PREVIEW
            self._send(200, body, "text/html; charset=utf-8", {"Content-Security-Policy": PREVIEW_CSP,
                                                                "X-Frame-Options": "SAMEORIGIN"})
        elif path == "/briefing.pdf":
            data = self.app.workspace.pdf.data
            if data is None:
                raise Refused("the PDF is not built yet (GET /api/status says when it is)", status=404)
            self._send(200, data, "application/pdf", {"Content-Disposition": 'attachment; filename="briefing.pdf"'})
        elif path in api.GET:
            self._json(api.GET[path](self.app.workspace, query))
        elif path in api.POST:
            raise Refused(f"{path} changes the content: POST it", status=405)
        else:
            raise Refused(f"no such page: {path}", status=404)

    def _post(self, path: str) -> None:
        if path not in api.POST:
            raise Refused(f"no such endpoint: POST {path}", status=404)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused("request too large", status=413)
        try:
            params = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Refused("the body is not JSON", status=400) from None
        if not isinstance(params, dict):
            raise Refused("the body is a JSON object", status=400)
        self._json(api.POST[path](self.app.workspace, params))

    # --- answers --------------------------------------------------------------------------------

    def _drain(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": kind, "Content-Length": str(len(body)), "Cache-Control": "no-store",
                   "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                   "Cross-Origin-Resource-Policy": "same-origin", "X-Frame-Options": "DENY",
                   "Content-Security-Policy": APP_CSP, **(extra or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _asset(name: str) -> str:
    return resources.files("factsheet.serve").joinpath("static", name).read_text(encoding="utf-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class Server6(Server):
    address_family = socket.AF_INET6


def start(app_for_port, port: int) -> list[Server]:
    """Listen on 127.0.0.1 and, where the machine has IPv6, on ::1, at the same port (0: any free
    one); each server answers on its own thread. ``app_for_port`` makes the App once the port is known."""
    v4 = Server(("127.0.0.1", port), Handler)
    servers = [v4]
    port = v4.server_address[1]
    try:
        servers.append(Server6(("::1", port), Handler))
    except OSError:
        pass  # no IPv6 loopback here
    app = app_for_port(port)
    for server in servers:
        server.app = app  # type: ignore[attr-defined]
        family = socket.AddressFamily(server.address_family).name
        threading.Thread(target=server.serve_forever, name=f"factsheet-serve-{family}", daemon=True).start()
    return servers
