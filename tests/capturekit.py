"""Material for the capture tests: a multi-page report PDF made with WeasyPrint (page labels set
with pypdf), PDFs that are broken, encrypted or without a text layer, and a local HTTP server."""

from __future__ import annotations

import io
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "capture"
ARTICLE = FIXTURES / "gazette-bridge.html"

REPORT_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Footbridge over the River Wend: financial appraisal</title>
<style>@page { size: A6; margin: 12mm 10mm; }
body { font: 9pt/1.35 'Noto Serif', serif; hyphens: auto; text-align: justify; }</style></head><body>
<h1>Footbridge over the River Wend</h1>
<p>This appraisal sets out the ﬁnancial case for the footbridge. The council’s own capital budget
pays £4.5&nbsp;million; a regional transport grant pays the remaining £7.5&nbsp;million. The
transport grant is conditional on construction beginning before the end of the ﬁnancial year.</p>
<p>Contingency: the estimate includes a contingency of eight per cent. Notwithstanding the
comprehensive environmental investigations, flooding of the construction compound remains the
principal unquantified risk, and the appraisal recommends that the contingency be reviewed
quarterly by the programme board.</p>
<p>Maintenance responsibilities are transferred to the highways department once the bridge is
commissioned. Internationally comparable footbridges have incurred unanticipated maintenance
expenditure in their first decade, notably for resurfacing, lighting and the replacement of
expansion joints; the appraisal therefore recommends a sinking fund.</p>
<p>The ferry crossing continues to operate until the bridge opens. Its operating subsidy, currently
£210,000 a year, ends on the day the bridge is opened to the public, and the ferry’s
concessionary fares scheme is withdrawn at the same time, after consultation with its users.</p>
<p>Programme: construction is expected to begin in the spring of 2025 and to take eighteen months,
including the commissioning of the lighting and the landscaping of both approaches.</p>
</body></html>"""


def report_pdf(first_label: int = 12) -> bytes:
    """The appraisal as a PDF of several pages, labelled from ``first_label`` as printed."""
    import weasyprint
    from pypdf import PdfReader, PdfWriter

    data = weasyprint.HTML(string=REPORT_HTML).write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.set_page_label(0, len(writer.pages) - 1, style="/D", start=first_label)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    import weasyprint
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(weasyprint.HTML(string="<p>Secret.</p>").write_pdf())))
    writer.encrypt(user_password="open sesame", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A page with a drawing and no text at all: what a scan looks like to a text extractor."""
    import weasyprint

    return weasyprint.HTML(string='<div style="width:5cm;height:5cm;background:#345"></div>').write_pdf()


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            route = (404, {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>")
        if callable(route):
            route = route()
        status, headers, body = route
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that gave up (the timeout test's, after 0.5 s of a 2 s answer) has closed the
        # connection: no error of the server's. Printed from its thread when the late answer is
        # written, it would land in the captured output of whichever test the worker runs then.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def serve(routes: dict):
    """A server on 127.0.0.1 (a free port) serving ``routes``: {path: (status, headers, body)}."""
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def slow(seconds: float):
    def answer():
        time.sleep(seconds)
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>Late.</p></body></html>"
    return answer
