"""The network behind one method, so feed and URL tests swap in a fake and never go online."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from lagebild.errors import IngestError


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    body: bytes
    content_type: str = ""


class Fetcher(Protocol):
    def fetch(self, url: str) -> Response:
        """The body at ``url``; raises IngestError with a clear reason on failure."""
        ...


class UrllibFetcher:
    """Plain HTTP(S) GET with a timeout and a size cap (used only when the user gives a URL)."""

    def __init__(self, timeout: float = 20.0, max_bytes: int = 50_000_000) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes

    def fetch(self, url: str) -> Response:
        req = urllib.request.Request(
            url, headers={"User-Agent": "lagebild/0.1 (+offline news analysis)"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                body = resp.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise IngestError(url, f"response larger than {self.max_bytes} bytes")
                return Response(resp.geturl(), body, resp.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            raise IngestError(url, f"HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise IngestError(url, f"cannot fetch: {reason}") from exc
