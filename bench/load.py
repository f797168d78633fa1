"""Load on ``lagebild serve``: 8 concurrent clients, with and without one stalled client.

Usage: ``python bench/load.py --db /tmp/web/gnad1k.db [--requests 400] [--clients 8]``.
Without the database it is built first from 10kGNAD (bench/web_corpus.py, analysed, 1,028
articles; a few minutes on one core). The server runs as its own process on 127.0.0.1 with
a free port. Two rounds, each ``--requests`` requests spread over ``--clients`` threads, each
thread cycling through the pages below: first plain, then while one more client holds a
connection with an unfinished request (headers never completed) and another idles with a
connection open, and one more asks for the slowest page (/entities) again and again.
"story" asks for one story again and again (its dossier is built once, then read from the
store's dossier cache); "story.cold" asks for a story not asked for before at every request
(each one a cold build). The dossier cache is emptied before the first round.
Prints p50/p99 wall-clock latency per page and round and ends with one JSON
line. Wall time is what a user waits; it is noisy when other jobs load the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_corpus import records


def build_db(db: Path) -> None:
    """The 1k corpus, ingested and analysed with the ``lagebild`` on PATH next to python."""
    jsonl = db.with_suffix(".jsonl")
    with open(jsonl, "w", encoding="utf-8") as fh:
        for rec in records(1):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    exe = Path(sys.executable).with_name("lagebild")
    print(f"building {db} (analysing 1,028 articles) …", file=sys.stderr)
    subprocess.run([str(exe), "--db", str(db), "ingest", str(jsonl)], check=True)


def start_server(db: Path, config: Path | None = None) -> tuple[subprocess.Popen[str], str, int]:
    exe = Path(sys.executable).with_name("lagebild")
    options = ["--config", str(config)] if config else []
    proc = subprocess.Popen(
        [str(exe), "--db", str(db), *options, "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # drain
            return proc, m.group(1), int(m.group(2))
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("server did not start")


def fetch(host: str, port: int, path: str, timeout: float = 30) -> tuple[int, int]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, len(body)
    finally:
        conn.close()


COLD = "story.cold"  # a story nobody asked for before, at every request


def cold_stories(host: str, port: int, skip: str) -> list[str]:
    """Every story id of the corpus but ``skip``, latest first."""
    ids: list[str] = []
    path: str | None = "/api/stories?limit=500"
    while path:
        page = json.loads(_get(host, port, path))
        ids.extend(s["id"] for s in page["stories"] if s["id"] != skip)
        path = page.get("next")
    return ids


def pages(host: str, port: int) -> dict[str, str]:
    """One URL per kind of page, with ids and words taken from the served corpus."""
    big = json.loads(_get(host, port, "/api/stories?sort=largest&limit=1"))["stories"][0]
    article = json.loads(_get(host, port, "/api/articles?limit=1"))["articles"][0]["id"]
    return {
        "stories": "/",
        "stories.json": "/api/stories?limit=50",
        "story": f"/story/{big['id']}",
        "article": f"/article/{article}",
        "articles.json": "/api/articles?outlet=derStandard-Inland",
        "search": "/search?q=" + quote("Wien"),
        "search.json": "/api/search?q=" + quote("Regierung"),
        "articles": "/articles",
        COLD: "/story/",  # + the next unseen story id
    }


LONG = "/entities"  # the slowest page: one client keeps asking for it during the second round


def _get(host: str, port: int, path: str) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", path)
    return conn.getresponse().read().decode()


def run_round(
    host: str,
    port: int,
    urls: dict[str, str],
    n_requests: int,
    clients: int,
    cold: list[str],
) -> dict[str, list[float]]:
    """``cold``: unseen story ids, taken one per COLD request."""
    names = list(urls)
    times: dict[str, list[float]] = {name: [] for name in names}
    errors: list[str] = []
    lock = threading.Lock()
    per_client = n_requests // clients

    def client(k: int) -> None:
        for i in range(per_client):
            name = names[(k + i) % len(names)]
            url = urls[name]
            if name == COLD:
                with lock:
                    url += cold.pop()
            t0 = time.perf_counter()
            try:
                status, _ = fetch(host, port, url)
            except OSError as exc:
                errors.append(f"{name}: {exc}")
                continue
            dt = time.perf_counter() - t0
            with lock:
                times[name].append(dt)
                if status != 200:
                    errors.append(f"{name}: HTTP {status}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:3]}", file=sys.stderr)
    return times


def long_client(host: str, port: int, stop: threading.Event, times: list[float]) -> None:
    """Asks for the slowest page again and again until ``stop``: it must not hold the others."""
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            fetch(host, port, LONG, timeout=300)
        except OSError:
            return
        times.append(time.perf_counter() - t0)


def stalled_clients(host: str, port: int) -> list[socket.socket]:
    """One connection with headers begun and never finished, one with nothing sent at all."""
    half = socket.create_connection((host, port))
    half.sendall(b"GET /entities HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    idle = socket.create_connection((host, port))
    return [half, idle]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def report(label: str, times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    out = {}
    print(f"\n{label} (load average {os.getloadavg()[0]:.1f})")
    print(f"  {'page':<14}{'n':>5}{'p50 ms':>10}{'p99 ms':>10}")
    for name, ts in times.items():
        p50, p99 = pct(ts, 50) * 1000, pct(ts, 99) * 1000
        out[name] = {"n": len(ts), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1)}
        print(f"  {name:<14}{len(ts):>5}{p50:>10.1f}{p99:>10.1f}")
    every = [t for ts in times.values() for t in ts]
    out["all"] = {
        "n": len(every),
        "p50_ms": round(pct(every, 50) * 1000, 1),
        "p99_ms": round(pct(every, 99) * 1000, 1),
    }
    print(f"  {'all':<14}{len(every):>5}{out['all']['p50_ms']:>10.1f}{out['all']['p99_ms']:>10.1f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/lagebild-bench/gnad1k.db"))
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument(
        "--config",
        type=Path,
        help="TOML config of the server (e.g. [dossier] cache_mb = 0: no dossier cache)",
    )
    args = ap.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build_db(args.db)
    proc, host, port = start_server(args.db, args.config)
    long_times: list[float] = []
    try:
        with sqlite3.connect(args.db) as db:  # every dossier starts cold
            if db.execute("SELECT 1 FROM sqlite_master WHERE name='dossier_cache'").fetchone():
                db.execute("DELETE FROM dossier_cache")
        urls = pages(host, port)
        cold = cold_stories(host, port, urls["story"].rsplit("/", 1)[1])
        for name, path in urls.items():  # warm: first touches of the database and caches
            fetch(host, port, path + (cold.pop() if name == COLD else ""))
        plain = report("8 clients", run_round(host, port, urls, args.requests, args.clients, cold))
        stalled = stalled_clients(host, port)
        stop = threading.Event()
        longer = threading.Thread(target=long_client, args=(host, port, stop, long_times))
        longer.start()
        t0 = time.monotonic()
        slow = run_round(host, port, urls, args.requests, args.clients, cold)
        held = time.monotonic() - t0
        stop.set()
        longer.join()
        with_stall = report(
            f"8 clients + 1 stalled request + 1 idle connection + {LONG} in a loop ({held:.0f} s)",
            slow,
        )
        answers = ", ".join(f"{t:.1f} s" for t in long_times)
        print(f"  {LONG} meanwhile: {len(long_times)} answers ({answers})")
        for s in stalled:
            s.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    result = {
        "db": str(args.db),
        "clients": args.clients,
        "requests": args.requests,
        "cpus": os.cpu_count(),
        "load_average_end": round(os.getloadavg()[0], 1),
        "plain": plain,
        "stalled": with_stall,
        "long_page": {"path": LONG, "seconds": [round(t, 2) for t in long_times]},
    }
    ok = with_stall["all"]["p99_ms"] <= 1000
    print(f"\nstalled client keeps p99 under 1 s: {'yes' if ok else 'NO'}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
