"""A tiny HTTP server for rendered pages, with the headers the signed-link routes send.

The browser tests open pages from it, so a page that breaks its own Content-Security-Policy
fails there as it would for a member. It runs in a thread, so the synchronous Playwright API
can drive a browser against it from an ordinary test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from adapters.web_pages.render import RenderedPage


def content_security_policy(page: RenderedPage) -> str:
    """Only the page's own inline style and script, by their hashes; nothing else at all."""

    def sources(hashes: tuple[str, ...]) -> str:
        return " ".join(f"'{h}'" for h in hashes) or "'none'"

    return (
        "default-src 'none'; img-src 'self' data:; "
        f"style-src {sources(page.style_hashes)}; script-src {sources(page.script_hashes)}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def page_headers(page: RenderedPage) -> dict[str, str]:
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": content_security_policy(page),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
    }


@contextmanager
def serving(pages: Mapping[str, tuple[int, RenderedPage]]) -> Iterator[str]:
    """Serve ``pages`` (path to status and page) on a free loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(self.path)
            if found is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            status, page = found
            body = page.html.encode()
            self.send_response(status)
            for name, value in page_headers(page).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            del format, args  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
