"""URL downloads: one deadline on the whole download, no private addresses unless allowed.

The servers here listen on 127.0.0.1 (never the internet); the fetcher is told to allow
loopback where a test needs to reach them, or its address policy is narrowed to one range.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from lagebild.cli import main
from lagebild.config import Config
from lagebild.errors import IngestError, Rejection
from lagebild.ingest import fetch as fetch_mod
from lagebild.ingest import read_sources
from lagebild.ingest.fetch import UrllibFetcher, refused_reason


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(40):  # 10 s in all
                try:
                    self.wfile.write(b"abcd")
                    self.wfile.flush()
                except OSError:
                    self.server.drip.append("cut")  # type: ignore[attr-defined]
                    return
                time.sleep(0.25)
            self.server.drip.append("all sent")  # type: ignore[attr-defined]
            return
        if self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.255.255.1/meta")
            self.end_headers()
            return
        if self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            return
        body = b"Hallo Welt"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _server(drip: list[str] | None = None) -> Iterator[str]:
    """A local server; what became of a /drip download is appended to ``drip``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.drip = drip if drip is not None else []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "address"),
        ("100.64.0.1", "non-public"),
    ],
)
def test_non_public_addresses_are_named(address: str, word: str) -> None:
    reason = refused_reason(address)
    assert reason is not None and word in reason


def test_public_addresses_pass() -> None:
    assert refused_reason("93.184.215.14") is None
    assert refused_reason("2a00:1450:4001:82b::200e") is None


def test_loopback_and_metadata_urls_are_refused_by_default() -> None:
    fetcher = UrllibFetcher()
    for url in (
        "http://127.0.0.1:9/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ):
        with pytest.raises(IngestError) as err:
            fetcher.fetch(url)
        assert err.value.reason.startswith("refused:")
        assert "--allow-private" in err.value.reason


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    fetcher = UrllibFetcher(resolver=lambda host, port: ["10.0.0.7"])
    with pytest.raises(IngestError, match=r"refused: intranet\.example is a private address"):
        fetcher.fetch("http://intranet.example/page")


def test_other_schemes_are_refused() -> None:
    with pytest.raises(IngestError, match="only http and https"):
        UrllibFetcher(allow_private=True).fetch("file:///etc/passwd")


def test_allowed_private_address_is_fetched() -> None:
    with _server() as base:
        response = UrllibFetcher(allow_private=True).fetch(base + "/hello")
    assert response.body == b"Hallo Welt"


def test_the_socket_actually_connected_is_checked() -> None:
    # the name check passes (a resolver claiming a public address) but the connection goes
    # to loopback, as after DNS rebinding: refused all the same
    with _server() as base:
        port = base.rsplit(":", 1)[1]
        fetcher = UrllibFetcher(resolver=lambda host, p: ["93.184.215.14"])
        with pytest.raises(IngestError, match=r"refused: .* loopback"):
            fetcher.fetch(f"http://127.0.0.1:{port}/hello")


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # the policy narrowed to 10.0.0.0/8, so the loopback test server is reachable
    def only_ten(address: str) -> str | None:
        return "private address " + address if address.startswith("10.") else None

    monkeypatch.setattr(fetch_mod, "refused_reason", only_ten)
    with _server() as base, pytest.raises(IngestError) as err:
        UrllibFetcher().fetch(base + "/to-private")
    assert "redirect to http://10.255.255.1/meta refused" in err.value.reason


def test_a_dripping_server_is_cut_at_the_deadline() -> None:
    # 4 bytes every 0.25 s for 10 s: each read is quick, the whole download is not; the
    # fetcher gives up at its deadline and hangs up while the server is still dripping
    drip: list[str] = []
    with _server(drip) as base:
        with pytest.raises(IngestError, match="deadline of 1 s"):
            UrllibFetcher(timeout=5, deadline=1, allow_private=True).fetch(base + "/drip")
        for _ in range(100):  # the server notices the hang-up at its next write
            if drip:
                break
            time.sleep(0.1)
    assert drip == ["cut"]


def test_size_cap() -> None:
    with _server() as base, pytest.raises(IngestError, match="larger than 1000 bytes"):
        UrllibFetcher(max_bytes=1000, allow_private=True).fetch(base + "/big")


def test_read_sources_uses_the_fetch_config() -> None:
    items = list(read_sources(["http://127.0.0.1:9/a"]))
    assert isinstance(items[0], Rejection) and "refused" in items[0].reason
    config = Config.load(fetch={"allow_private": True, "timeout": 2})
    items = list(read_sources(["http://127.0.0.1:9/a"], config))
    assert isinstance(items[0], Rejection) and "cannot fetch" in items[0].reason


def test_ingest_flag_allows_private_addresses(tmp_path) -> None:
    with _server() as base:
        runner = CliRunner()
        db = str(tmp_path / "x.db")
        refused = runner.invoke(main, ["--db", db, "ingest", "--no-analyze", base + "/hello"])
        assert "refused" in refused.output and refused.exit_code == 1
        allowed = runner.invoke(
            main, ["--db", db, "ingest", "--no-analyze", "--allow-private", base + "/hello"]
        )
    assert "refused" not in allowed.output
    assert "rejected 1" in allowed.output  # 'Hallo Welt' is too short for an article
    assert "characters of article text" in allowed.output
