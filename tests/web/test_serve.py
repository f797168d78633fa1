"""``lagebild serve`` as a real server: concurrency, timeouts, Host allow-list, safety headers."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
from tests.web.conftest import TEXTS

from lagebild.app import Lagebild
from lagebild.model import Article
from lagebild.web import WebApp, get
from lagebild.web.guard import allowed_hosts, host_ok, is_id


def _get(host: str, port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read().decode()
    finally:
        conn.close()


def test_a_client_that_never_finishes_its_headers_stalls_nobody(served):
    stalled = socket.create_connection((served.host, served.port))
    idle = socket.create_connection((served.host, served.port))
    try:
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        for _ in range(5):
            status, _, body = _get(served.host, served.port, "/api/stories")
            assert status == 200 and '"stories"' in body
        # served while the stalled request is still pending: the server has neither answered
        # nor dropped it (wsgiref served the others only after timing it out)
        stalled.setblocking(False)
        with pytest.raises(BlockingIOError):
            stalled.recv(1)
    finally:
        stalled.close()
        idle.close()


def test_an_idle_connection_is_closed_after_the_timeout(corpus_db, start_server, tmp_path):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[web]\ntimeout = 2\n", encoding="utf-8")
    s = start_server(corpus_db, "--config", str(cfg))
    try:
        sock = socket.create_connection((s.host, s.port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.settimeout(15)
        t0 = time.monotonic()
        assert sock.recv(100) == b""  # closed by the server, no answer to a half request
        assert time.monotonic() - t0 >= 1  # not before its timeout (recv fails after 15 s)
        sock.close()
    finally:
        s.proc.terminate()
        s.proc.wait(timeout=10)


def test_safety_headers_and_host_allow_list(served):
    status, headers, _ = _get(served.host, served.port, "/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    status, _, _ = _get(served.host, served.port, "/", {"Host": f"localhost:{served.port}"})
    assert status == 200
    status, headers, body = _get(served.host, served.port, "/", {"Host": "attacker.example"})
    assert status == 400 and "attacker.example" in body
    assert "Content-Security-Policy" in headers
    status, _, body = _get(served.host, served.port, "/api/stories", {"Host": "rebind.example"})
    assert status == 400 and '"error"' in body


def test_allowed_hosts_rules():
    local = allowed_hosts("127.0.0.1")
    assert host_ok("127.0.0.1:8080", local) and host_ok("LOCALHOST", local)
    assert host_ok("[::1]:8080", local)
    assert not host_ok("example.org", local) and not host_ok("", local)
    named = allowed_hosts("0.0.0.0", ["news.lan"])
    assert host_ok("news.lan:80", named) and not host_ok("0.0.0.0", named)
    assert host_ok("lagebild.example", allowed_hosts("lagebild.example"))
    assert allowed_hosts("127.0.0.1", ["*"]) is None and host_ok("any", None)


def test_wildcards_and_odd_ids_match_nothing(corpus_db):
    from lagebild.app import Lagebild

    web = WebApp(Lagebild(corpus_db), allowed_hosts("127.0.0.1"))
    for path in (
        "/story/%25",
        "/story/_",
        "/story/%25.json",
        "/article/%25",
        "/article/_%25",
        "/api/story/%25",
        "/api/article/%25",
        "/entities?story=%25",
    ):
        r = get(web, path)
        assert r.status == 404, path
    assert is_id("0a3f") and not is_id("0a3%") and not is_id("") and not is_id("g1")


def test_serve_finishes_interrupted_work_before_it_serves(tmp_path, start_server):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (head, title, body) in TEXTS.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{head}\n\n{body}\n", encoding="utf-8")
    db = tmp_path / "half.db"
    lb = Lagebild(db)
    lb.ingest([folder], analyze=False)  # as an ingest killed before its analysis leaves it
    assert lb.pending() == (4, 4)
    lb.close()
    s = start_server(db)
    try:
        lb = Lagebild(db, finish_first=False)
        assert lb.pending() == (0, 0)  # done before it listened: no request pays for it
        lb.close()
        status, _, body = _get(s.host, s.port, "/api/stories")
        assert status == 200 and "GDL" in body
    finally:
        s.proc.terminate()
        s.proc.wait(timeout=10)


def test_a_request_thread_never_finishes_interrupted_work(tmp_path):
    db = tmp_path / "half.db"
    lb = Lagebild(db)
    text = "Die Gewerkschaft rief am Montag in Frankfurt zu einem Streik auf. " * 5
    lb.add([Article(id="a1", title="Streik", text=text, source="a.txt", format="text")],
           analyze=False)  # fmt: skip
    lb.close()
    web = WebApp(Lagebild(db), None)
    served_in: list[tuple[int, int]] = []

    def request() -> None:
        reply = get(web, "/api/stories")
        assert reply.status == 200
        served_in.append(web.lagebild().pending())

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(60)
    assert served_in == [(1, 1)]  # shown as it is; `serve` (or `resume`) finishes it
