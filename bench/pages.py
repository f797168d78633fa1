"""Every page of the web app, timed on a large database: p50/p95 per page.

Usage: ``python bench/pages.py --db /tmp/web/gnad10k.db [--rounds 20]`` (build the database
with bench/web_db.py). Pages are answered in-process (``lagebild.web.get``, the app without
a server), one at a time, each kind of page with varied ids, words and filters from the
corpus. Both wall time and CPU time (``time.process_time``) are reported; CPU time is the
figure to trust when other jobs load the machine. One warm-up pass comes first (it opens
the database, fills the story list and reads the counts of filtered lists into memory, as
``lagebild serve`` does on start). The dossier cache is emptied first: "/story/ID" is each
story's first (cold) build, "/story/ID kept" asks for the same stories again (read from the
cache). The story list is timed with each filter and sorting on its own, search with paging
and within a story, and the entity list and pages. The load average is printed at the start
and the end (wall times mean little when it is high).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from lagebild.app import Lagebild
from lagebild.web import WebApp, get

WORDS = ["Wien", "Regierung", "Erdogan", "Muenchen", "Flüchtlinge", "Wien -Graz",
         '"Van der Bellen"', "Bank*", "Polizei OR Feuerwehr", "Euro"]  # fmt: skip


def urls(web: WebApp, rng: random.Random, n: int, skip: set[str]) -> dict[str, list[str]]:
    """``n`` URLs per kind of page, drawn from what the corpus holds."""
    lb = web.lagebild()
    api = json.loads(get(web, "/api/stories?limit=200&sort=largest").text)
    stories = [s["id"] for s in api["stories"]]
    outlets = [f["value"] for f in api["facets"]["outlet"]]
    entities = [f["value"] for f in api["facets"]["entity"]]
    arts = [a["id"] for a in json.loads(get(web, "/api/articles?limit=500").text)["articles"]]
    nxt = json.loads(get(web, "/api/stories?limit=50").text)["next_cursor"]
    ents = entities if "/entity/NAME" in skip else [e.entity.name for e in lb.entities(limit=100)]

    def pick(xs: list[str]) -> str:
        return quote(rng.choice(xs), safe="")

    deep = []  # the third page of each word's hits (20 a page)
    for w in WORDS:
        got = json.loads(get(web, f"/api/search?q={quote(w)}&limit=40").text)
        if got.get("next_cursor"):
            deep.append(f"/search?q={quote(w)}&cursor={got['next_cursor']}")
    langs = [f["value"] for f in api["facets"]["language"]] + ["en"]
    days = sorted({s["first"][:10] for s in api["stories"] if s.get("first")})

    def span() -> str:
        a, b = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
        return f"from={a}&to={b}"

    kinds = {
        "/ (stories)": lambda: "/",
        "/?outlet=": lambda: f"/?outlet={pick(outlets)}",
        "/?lang=": lambda: f"/?lang={pick(langs)}",
        "/?entity=": lambda: f"/?entity={pick(entities)}",
        "/?entity=A&B": lambda: f"/?entity={pick(entities)}&entity={pick(entities)}",
        "/?divergent=1": lambda: "/?divergent=1",
        "/?from=&to=": lambda: f"/?{span()}",
        "/?changed=": lambda: f"/?changed={rng.choice(['24h', '7d', '30d'])}",
        "/?sort=": lambda: f"/?sort={rng.choice(['largest', 'outlets', 'changed'])}",
        "/?outlet=&sort=": lambda: f"/?outlet={pick(outlets)}&sort=largest",
        "/ page 2": lambda: f"/?cursor={nxt}",
        "/api/stories": lambda: f"/api/stories?entity={pick(entities)}",
        "/story/ID": lambda: f"/story/{rng.choice(stories)}",
        "/story/ID kept": lambda: "",  # the same URLs as /story/ID, again
        "/article/ID": lambda: f"/article/{rng.choice(arts)}",
        "/articles": lambda: rng.choice(["/articles", f"/articles?outlet={pick(outlets)}"]),
        "/api/articles": lambda: "/api/articles?limit=100",
        "/search": lambda: f"/search?q={quote(rng.choice(WORDS))}",
        "/search page 3": lambda: rng.choice(deep),
        "/search?story=": lambda: (
            f"/search?q={quote(rng.choice(WORDS))}&story={rng.choice(stories)}"
        ),
        "/api/search": lambda: f"/api/search?q={quote(rng.choice(WORDS))}",
        "/entities": lambda: "/entities",
        "/api/entities": lambda: "/api/entities?limit=100",
        "/entities?story=": lambda: f"/entities?story={rng.choice(stories)}",
        "/entity/NAME": lambda: f"/entity/{pick(ents)}",
    }
    plan = {k: [f() for _ in range(n)] for k, f in kinds.items() if k not in skip}
    if "/story/ID kept" in plan:
        plan["/story/ID kept"] = list(plan.get("/story/ID", []))
    return plan


def pct(xs: list[float], q: int) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[q - 1] if len(xs) > 1 else xs[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip", default="", help="kinds of page to leave out, comma-separated")
    args = ap.parse_args()
    lb = Lagebild(args.db)
    web = WebApp(lb)
    from lagebild.store.dossiers import clear

    clear(lb.store)
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    t0 = time.process_time()
    lb.refresh_listing()
    lb.story_counts.snapshot(lb.store.db)  # as `lagebild serve` does before it answers
    skip = {k for k in args.skip.split(",") if k}
    if "/entities" not in skip:
        get(web, "/entities")
    print(f"articles {lb.store.count()}, stories {len(lb.stories())}; "
          f"warm-up {time.process_time() - t0:.1f} s CPU")  # fmt: skip
    plan = urls(web, random.Random(args.seed), args.rounds, skip)
    results = {}
    print(f"{'page':<16}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}{'max':>8}")
    for kind, paths in plan.items():
        wall, cpu = [], []
        for path in paths:
            w0, c0 = time.perf_counter(), time.process_time()
            r = get(web, path)
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            if r.status != 200:
                raise SystemExit(f"{path}: HTTP {r.status}: {r.text[:200]}")
        row = {
            "n": len(wall),
            "p50_ms": round(pct(wall, 50), 1),
            "p95_ms": round(pct(wall, 95), 1),
            "cpu_p50_ms": round(pct(cpu, 50), 1),
            "cpu_p95_ms": round(pct(cpu, 95), 1),
            "max_ms": round(max(wall), 1),
        }
        results[kind] = row
        print(f"{kind:<16}{row['n']:>4}{row['p50_ms']:>9}{row['p95_ms']:>9}"
              f"{row['cpu_p50_ms']:>9}{row['cpu_p95_ms']:>9}{row['max_ms']:>8}")  # fmt: skip
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    worst = max(r["cpu_p95_ms"] for r in results.values())
    print(f"slowest p95 (CPU): {worst} ms; target 300 ms: {'met' if worst <= 300 else 'NOT met'}")
    print(json.dumps({"db": str(args.db), "articles": lb.store.count(), "pages": results}))


if __name__ == "__main__":
    main()
