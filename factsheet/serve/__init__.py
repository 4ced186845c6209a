"""``factsheet serve``: a local web app for curators, over the library's API.

Read a source exactly as pinned, select words and cite them (the citation is written into the
facts file by inserting text at the places the loader recorded, checked before and after the
write, undoable); edit a fact with every rule's findings live; see the web page re-rendered on
every save and the PDF built in the background; accept re-anchoring proposals for changed
sources; walk the facts not yet reviewed. Everything is also a JSON API (docs/serve.md).

The modules, in the order a request meets them::

    http        the server on the loopback, the token, Host and Origin checks, routing
    api         one function per endpoint, JSON in and out
    views       the model as JSON
    spans       a browser's selection (UTF-16) -> a citable span of code points and its citation
    edits       each write, computed from the briefing as loaded
    yamledit    text inserted into a YAML file at recorded positions (comments and layout kept)
    changes     check in memory, write atomically, load again; undo
    workspace   the examined briefing, the preview page, the PDF in the background, reloading
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from factsheet.errors import UsageError

DEFAULT_PORT = 8765


@dataclass
class Running:
    """A started app: its address (with the token), and how to stop it."""

    url: str
    token: str
    port: int
    workspace: object
    servers: list

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop both servers (127.0.0.1 and ::1) and the background PDF; returns once they have
        stopped. A server's loop sees a shutdown only when it next wakes, at a connection or its
        half-second poll: both are asked at once, and each is woken by a connection that sends
        nothing (one after the other, that was a second's wait)."""
        self.workspace.stop()  # type: ignore[attr-defined]
        stopping = [threading.Thread(target=server.shutdown) for server in self.servers]
        for thread in stopping:
            thread.start()
        for server, thread in zip(self.servers, stopping, strict=True):
            while thread.is_alive():
                with contextlib.suppress(OSError):
                    socket.create_connection(server.server_address[:2], timeout=1).close()
                thread.join(0.02)
            server.server_close()


def start(content: str | Path, *, port: int = DEFAULT_PORT, templates: Path | None = None,
          pdf: bool = True) -> Running:
    """Load the content and start serving it on the loopback, in background threads."""
    from factsheet.outputs.environment import DEFAULT_TEMPLATES
    from factsheet.serve.http import App
    from factsheet.serve.http import start as listen
    from factsheet.serve.workspace import Workspace

    if not 0 <= port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    workspace = Workspace(Path(content), templates or DEFAULT_TEMPLATES, pdf=pdf)
    token = secrets.token_urlsafe(24)
    try:
        servers = listen(lambda p: App(workspace, token, p), port)
    except OSError as e:
        raise UsageError(f"cannot listen on 127.0.0.1:{port} ({e.strerror}); choose another --port") from None
    for target in (workspace.watch, workspace.build_pdfs):
        threading.Thread(target=target, daemon=True).start()
    bound = servers[0].server_address[1]
    return Running(f"http://127.0.0.1:{bound}/?token={token}", token, bound, workspace, servers)


def serve(content: str | Path, *, port: int = DEFAULT_PORT, open_browser: bool = True,
          say: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C)."""
    running = start(content, port=port)
    say(f"factsheet serve: {running.workspace.report.summary()}")  # type: ignore[attr-defined]
    say(f"open {running.url}")
    say("(only this machine can connect; the token in the address is the key: keep it to yourself)")
    if open_browser:
        import webbrowser

        webbrowser.open(running.url)
    try:
        threading.Event().wait()
    finally:
        running.stop()
