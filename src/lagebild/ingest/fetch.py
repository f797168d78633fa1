"""The network behind one method, so feed and URL tests swap in a fake and never go online.

``UrllibFetcher`` is what a user's URL goes through: one deadline on the whole download
(redirects included, however slowly the server drips its bytes), a size cap, and no request
to a private, loopback, link-local or otherwise non-public address unless the user allows it
(``--allow-private`` / ``[fetch] allow_private``). The address is checked before every
connection, every redirect included, and again on the socket actually connected, so a name
that resolves differently the second time (DNS rebinding) gets no further either.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from lagebild.errors import IngestError

ALLOW_HINT = "allow with --allow-private or [fetch] allow_private = true"
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    body: bytes
    content_type: str = ""
    status: int = 200  # 304: not modified since the validators sent (the body is empty)
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None


class Fetcher(Protocol):
    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """The body at ``url``; raises IngestError with a clear reason on failure.

        ``headers`` are sent with the request (``If-None-Match``, ``If-Modified-Since``); an
        answer 304 is a Response with status 304 and no body, not an error."""
        ...


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def refused_reason(address: str) -> str | None:
    """Why lagebild does not fetch from ``address`` by default, or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {address}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"loopback address {address}"
    if ip.is_link_local:
        return f"link-local address {address}"
    if ip.is_private:
        return f"private address {address}"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return f"non-public address {address}"
    return None


class UrllibFetcher:
    """Plain HTTP(S) GET with a per-read timeout, a deadline, a size cap and an address check.

    ``timeout`` bounds each connect and read; ``deadline`` bounds the whole download; a body
    over ``max_bytes`` is refused. Used only when the user gives a URL (or a feed to watch).
    """

    def __init__(
        self,
        timeout: float = 20.0,
        max_bytes: int = 50_000_000,
        *,
        deadline: float = 60.0,
        allow_private: bool = False,
        resolver: Resolver = resolve,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.allow_private = allow_private
        self.resolver = resolver

    @classmethod
    def from_config(cls, config: Any) -> UrllibFetcher:
        """A fetcher with the ``[fetch]`` settings (a ``FetchConfig``)."""
        return cls(
            config.timeout,
            config.max_bytes,
            deadline=config.deadline,
            allow_private=config.allow_private,
        )

    def check(self, url: str) -> None:
        """Raise IngestError unless ``url`` is http(s) on a host this fetcher may reach."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise IngestError(
                url, f"refused: only http and https URLs are fetched, not {parts.scheme!r}"
            )
        host = parts.hostname
        if not host:
            raise IngestError(url, "refused: the URL names no host")
        if self.allow_private:
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = self.resolver(host, port)
        except (OSError, ValueError) as exc:
            raise IngestError(url, f"cannot fetch: cannot resolve {host}: {exc}") from exc
        for address in addresses:
            reason = refused_reason(address)
            if reason:
                raise IngestError(url, f"refused: {host} is a {reason} ({ALLOW_HINT})")

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        self.check(url)
        download = _Download(self)
        opener = urllib.request.build_opener(
            _RedirectHandler(self),
            _HTTPHandler(download),
            _HTTPSHandler(download),
        )
        req = urllib.request.Request(
            url, headers={"User-Agent": "lagebild/0.1 (+offline news analysis)", **(headers or {})}
        )
        timer = threading.Timer(self.deadline, download.expire)
        timer.daemon = True
        timer.start()
        try:
            with opener.open(req, timeout=min(self.timeout, self.deadline)) as resp:
                body = download.read(resp, url)
                return Response(
                    resp.geturl(),
                    body,
                    resp.headers.get("Content-Type", ""),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                )
        except IngestError as exc:
            raise IngestError(url, exc.reason) from None
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                exc.close()
                return Response(
                    exc.geturl() or url,
                    b"",
                    status=304,
                    etag=exc.headers.get("ETag"),
                    last_modified=exc.headers.get("Last-Modified"),
                )
            raise IngestError(url, f"HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            if download.expired:
                raise IngestError(url, download.late_reason()) from exc
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, IngestError):
                raise reason from exc
            raise IngestError(url, f"cannot fetch: {reason}") from exc
        finally:
            timer.cancel()
            download.close()


class _Download:
    """The sockets of one fetch, so the deadline can cut them, and the body read in chunks."""

    def __init__(self, fetcher: UrllibFetcher) -> None:
        self.fetcher = fetcher
        self.started = time.monotonic()
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        """The deadline passed: cut every socket, so a blocked read returns at once."""
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def close(self) -> None:
        with self._lock:
            self._sockets.clear()

    def late_reason(self) -> str:
        return f"download not finished within the deadline of {self.fetcher.deadline:g} s"

    def read(self, resp: Any, url: str) -> bytes:
        cap = self.fetcher.max_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = resp.read(_CHUNK)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                if self.expired:
                    raise IngestError(url, self.late_reason()) from exc
                raise IngestError(
                    url, f"cannot fetch: connection failed while reading ({exc})"
                ) from exc
            if self.expired:
                raise IngestError(url, self.late_reason())
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > cap:
                raise IngestError(url, f"response larger than {cap} bytes")
            chunks.append(chunk)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _checked_connection(base: type[http.client.HTTPConnection], download: _Download) -> type:
    """A connection class of ``base`` that registers its socket with the download and checks
    the address it actually connected to (when no proxy stands between)."""

    class Connection(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            download.add(self.sock)
            fetcher = download.fetcher
            proxied = self._tunnel_host is not None or getattr(self, "_lagebild_proxied", False)
            if fetcher.allow_private or proxied:
                return
            try:
                address = self.sock.getpeername()[0]
            except OSError:
                return
            reason = refused_reason(str(address))
            if reason:
                self.close()
                raise IngestError(
                    f"http://{self.host}/", f"refused: {self.host} is a {reason} ({ALLOW_HINT})"
                )

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, download: _Download) -> None:
        super().__init__()
        self._conn = _checked_connection(http.client.HTTPConnection, download)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        conn = self._conn
        proxied = req.has_proxy()

        def make(host: str, **kw: Any) -> http.client.HTTPConnection:
            c = conn(host, **kw)
            c._lagebild_proxied = proxied
            return c

        return self.do_open(make, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, download: _Download) -> None:
        super().__init__()
        self._conn = _checked_connection(http.client.HTTPSConnection, download)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req, context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) URLs that pass the fetcher's address check."""

    def __init__(self, fetcher: UrllibFetcher) -> None:
        super().__init__()
        self.fetcher = fetcher

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            self.fetcher.check(newurl)
        except IngestError as exc:
            raise IngestError(req.full_url, f"redirect to {newurl} {exc.reason}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)
