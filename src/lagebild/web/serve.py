"""Running the app: on waitress (threaded WSGI), or for one request in-process.

Why waitress: its one I/O thread reads each request whole (headers and body) before a worker
thread sees it, and writes answers from a buffer, so a client that never finishes its
headers, or reads its answer slowly, holds a socket but no worker; idle connections are closed
after ``timeout`` seconds. Thread-per-connection servers (wsgiref's threading mix-in, cheroot)
give such a client a worker until it times out, and ASGI (uvicorn) would need an async app
over a blocking SQLite store. Waitress is pure Python with no dependencies of its own.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
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


def serve(
    app: WebApp,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
    *,
    threads: int = 8,
    timeout: float = 15.0,
) -> None:
    """Serve ``app`` until interrupted; ``ready`` gets the URL once the socket is bound.

    ``threads`` workers answer requests; a connection idle for ``timeout`` seconds (one that
    never finishes its headers included) is closed.
    """
    from waitress.server import create_server

    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        channel_timeout=max(1, round(timeout)),
        cleanup_interval=max(1, round(timeout / 3)),
        connection_limit=200,
        max_request_header_size=64 * 1024,
        max_request_body_size=1024 * 1024,
        ident="lagebild",
        clear_untrusted_proxy_headers=True,
    )
    name = f"[{host}]" if ":" in host else host
    url = f"http://{name}:{server.effective_port}/"  # type: ignore[union-attr]
    if ready:
        ready(url)
    try:
        server.run()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.close()


__all__ = ["Reply", "get", "serve"]
