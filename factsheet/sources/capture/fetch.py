"""Fetching the one URL the curator names, within limits, keeping every request and answer.

Only ``http`` and ``https``; redirects are followed here, one by one, and only to ``http(s)``
(at most ``MAX_REDIRECTS``); every read has a timeout and the whole fetch a deadline; an answer
larger than the size limit is refused (by its Content-Length, else while reading); an error
answer (4xx, 5xx) is an error, never a source. Nothing the page names is fetched.
"""

from __future__ import annotations

import datetime
import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from factsheet import __version__
from factsheet.errors import CaptureError
from factsheet.sources.capture.clean import size

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Hop:
    """One request and its answer, as the WARC file records them."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def media_type(self) -> str:
        value = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        return value.split(";")[0].strip().lower() or "application/octet-stream"

    @property
    def charset(self) -> str | None:
        value = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        for part in value.split(";")[1:]:
            key, _, val = part.partition("=")
            if key.strip().lower() == "charset":
                return val.strip().strip('"') or None
        return None


@dataclass(frozen=True)
class Fetched:
    hops: list[Hop]
    time: str  # when the fetch started, UTC, YYYY-MM-DDTHH:MM:SSZ


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaptureError(f"only http:// and https:// URLs can be fetched, not {url!r}")
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        raise CaptureError(f"the URL {url!r} holds white space or control characters")
    return url


def fetch(url: str, *, timeout: float, limit: int) -> Fetched:
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    deadline = time.monotonic() + timeout
    opener = urllib.request.OpenerDirector()
    # No redirect handler and no error processor: every answer, 3xx and 4xx too, comes back here
    # to be recorded, checked and (a redirect to http or https) followed.
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(), urllib.request.ProxyHandler()):
        opener.add_handler(handler)
    hops: list[Hop] = []
    for _ in range(MAX_REDIRECTS + 1):
        hop = _one(opener, check_url(url), timeout, deadline, limit)
        hops.append(hop)
        if hop.status in _REDIRECTS:
            target = next((v for k, v in hop.headers if k.lower() == "location"), None)
            if not target:
                raise CaptureError(f"{url} answered {hop.status} {hop.reason} without saying where to")
            following = urljoin(url, target)
            if urlsplit(following).scheme not in ("http", "https"):
                raise CaptureError(f"{url} redirects to {following!r}; only http(s) redirects are followed")
            url = following
            continue
        if hop.status >= 400:
            raise CaptureError(f"{url} answered {hop.status} {hop.reason}: an error page is not a source; "
                               "nothing was written")
        if not 200 <= hop.status < 300:
            raise CaptureError(f"{url} answered {hop.status} {hop.reason}, not a page")
        return Fetched(hops, started)
    raise CaptureError(f"more than {MAX_REDIRECTS} redirects from {hops[0].url}; nothing was written")


def _one(opener: urllib.request.OpenerDirector, url: str, timeout: float, deadline: float, limit: int) -> Hop:
    request = urllib.request.Request(url, headers={
        "User-Agent": f"factsheet/{__version__} (source capture)",
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1",
        "Accept-Encoding": "identity"})
    try:
        answer = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as e:
        answer = e
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            reason = f"no answer within {timeout:g} seconds"
        raise CaptureError(f"cannot fetch {url}: {reason}") from None
    with answer:
        length = answer.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise CaptureError(f"{url} is {size(int(length))}; the limit is {size(limit)}")
        body = _read(answer, url, timeout, deadline, limit)
        status = getattr(answer, "status", None) or answer.code
        return Hop(url, list(request.header_items()), status, answer.reason or "",
                   list(answer.headers.items()), body)


def _read(answer, url: str, timeout: float, deadline: float, limit: int) -> bytes:
    chunks, received = [], 0
    try:
        while chunk := answer.read(CHUNK):
            received += len(chunk)
            if received > limit:
                raise CaptureError(f"{url} is larger than the limit of {size(limit)}")
            if time.monotonic() > deadline:
                raise CaptureError(f"{url} took longer than {timeout:g} seconds to arrive")
            chunks.append(chunk)
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise CaptureError(f"cannot fetch {url}: {e!r}") from None
    return b"".join(chunks)
