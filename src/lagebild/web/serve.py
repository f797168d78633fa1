"""Running the app: on wsgiref's single-threaded server, or for one request in-process."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import setup_testing_defaults

from lagebild.web.app import WebApp


@dataclass(frozen=True, slots=True)
class Reply:
    """What one in-process request returned."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def get(app: Callable[..., Any], url: str) -> Reply:
    """GET ``url`` (a path with optional query) from the WSGI ``app`` without a server."""
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        # as a server hands it over: percent-decoded bytes as latin-1 text
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "wsgi.errors": io.StringIO(),
    }
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(headers)

    body = b"".join(app(environ, start_response))
    return Reply(seen["status"], seen["headers"], body)


class _QuietHandler(WSGIRequestHandler):
    """Logs one line per request to stderr, without a reverse DNS lookup."""

    def address_string(self) -> str:
        return str(self.client_address[0])


def serve(
    app: WebApp,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``app`` until interrupted; ``ready`` gets the URL once the socket is bound."""
    with make_server(host, port, app, handler_class=_QuietHandler) as server:
        url = f"http://{host}:{server.server_port}/"
        if ready:
            ready(url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)


__all__ = ["Reply", "get", "serve"]
