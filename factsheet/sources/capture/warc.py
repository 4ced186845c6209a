"""A fetch kept as a WARC file (ISO 28500), with warcio: a warcinfo record, then each request and
its response, gzipped record by record; and reading the last answer back out of one.

The response records hold the answers' bytes as they came (``Transfer-Encoding`` already undone
by the HTTP client, so that header is kept as ``X-Archive-Orig-Transfer-Encoding``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from factsheet import __version__
from factsheet.errors import CaptureError
from factsheet.sources.capture.fetch import Fetched


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    media_type: str
    body: bytes
    fetched: str


def write_warc(fetched: Fetched) -> bytes:
    from importlib.metadata import version

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    date = {"WARC-Date": fetched.time}
    writer.write_record(writer.create_warcinfo_record(
        "capture.warc.gz", {"software": f"factsheet {__version__} (warcio {version('warcio')})",
                            "format": "WARC File Format 1.1"}))
    for hop in fetched.hops:
        parts = urlsplit(hop.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = writer.create_warc_record(
            hop.url, "request", warc_headers_dict=date,
            http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", hop.request_headers, is_http_request=True))
        headers = [(f"X-Archive-Orig-{k}" if k.lower() == "transfer-encoding" else k, v) for k, v in hop.headers]
        response = writer.create_warc_record(
            hop.url, "response", payload=io.BytesIO(hop.body), length=None, warc_headers_dict=date,
            http_headers=StatusAndHeaders(f"{hop.status} {hop.reason}".strip(), headers, protocol="HTTP/1.1"))
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        for record in (response, request):
            writer.write_record(record)
            record.raw_stream.close()  # warcio buffers a record to digest it
    return buffer.getvalue()


def read_warc(data: bytes) -> Answer:
    """The last successful (2xx) response in a WARC file: its URL, status, media type and body."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = None
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = int(record.http_headers.get_statuscode() or 0)
            if 200 <= status < 300:
                kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                found = Answer(record.rec_headers.get_header("WARC-Target-URI") or "", status, kind,
                               record.content_stream().read(), record.rec_headers.get_header("WARC-Date") or "")
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as e:
        raise CaptureError(f"the WARC file cannot be read: {e}") from None
    if found is None:
        raise CaptureError("the WARC file holds no successful (2xx) response to extract")
    return found
