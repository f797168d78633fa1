"""A local HTTP server for the watch and alert tests (127.0.0.1, a free port, a thread).

It serves an RSS feed that gains entries when a test adds them (with an ETag, answering a
matching ``If-None-Match`` with 304), article pages that summary-only entries link to, a
source that always fails, and takes webhook POSTs. It counts what it was asked.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class LocalServer:
    def __init__(self, title: str = "Wendelstädter Anzeiger", port: int = 0) -> None:
        self.title = title
        self.entries: list[dict[str, str]] = []
        self.pages: dict[str, str] = {}
        self.hits: Counter[str] = Counter()  # path -> requests
        self.not_modified = 0
        self.posts: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.get(self)

            def do_POST(self) -> None:
                server.post(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_entry(
        self, entry: dict[str, str], *, summary_only: bool = False, page: str = ""
    ) -> None:
        """A feed entry (title, text, published ISO); summary-only ones link to ``page``."""
        with self.lock:
            n = len(self.entries) + 1
            link = f"{self.base}/article/{n}.html"
            self.entries.insert(0, {**entry, "link": link, "guid": f"entry-{n}",
                                    "summary_only": "1" if summary_only else ""})  # fmt: skip
            if page:
                self.pages[f"/article/{n}.html"] = page

    def feed(self) -> bytes:
        items = []
        for e in self.entries:
            from datetime import datetime

            date = format_datetime(datetime.fromisoformat(e["published"].replace("Z", "+00:00")))
            body = e["text"][:120] + " …" if e["summary_only"] else e["text"]
            content = (
                ""
                if e["summary_only"]
                else f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded>"
            )
            items.append(
                f"<item><title>{e['title']}</title><link>{e['link']}</link>"
                f"<guid>{e['guid']}</guid><pubDate>{date}</pubDate>"
                f"<description><![CDATA[{e['text'][:120]} …]]></description>{content}</item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{self.title}</title><link>{self.base}/</link><language>de</language>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()

    def get(self, req: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.hits[req.path] += 1
            if req.path == "/feed.xml":
                body = self.feed()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if req.headers.get("If-None-Match") == etag:
                    self.not_modified += 1
                    req.send_response(304)
                    req.send_header("ETag", etag)
                    req.end_headers()
                    return
                self._send(req, 200, body, "application/rss+xml", etag)
            elif req.path in self.pages:
                self._send(req, 200, self.pages[req.path].encode(), "text/html; charset=utf-8")
            elif req.path == "/broken.xml":
                self._send(req, 500, b"server error", "text/plain")
            else:
                self._send(req, 404, b"not found", "text/plain")

    def post(self, req: BaseHTTPRequestHandler) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        data = req.rfile.read(length)
        with self.lock:
            self.hits[req.path] += 1
            self.posts.append(
                {"path": req.path, "headers": dict(req.headers), "body": json.loads(data)}
            )
        self._send(req, 204, b"", "text/plain")

    @staticmethod
    def _send(
        req: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, etag: str = ""
    ) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        if etag:
            req.send_header("ETag", etag)
        req.end_headers()
        if body:
            req.wfile.write(body)


def page(title: str, text: str, outlet: str = "") -> str:
    """An article page as a news site would serve it (what a summary-only entry links to)."""
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    site = f'<meta property="og:site_name" content="{outlet}">' if outlet else ""
    return (
        f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{title}</title>{site}"
        f"</head><body><nav>Startseite | Lokales</nav><article><h1>{title}</h1>{paras}</article>"
        "<footer>Impressum | Datenschutz</footer></body></html>"
    )
