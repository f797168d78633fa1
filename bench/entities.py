"""Entity lists on a large store: building the precomputed rows, then reading them.

    python bench/entities.py DB [--scale 10000] [--repeat 5]

DB is an analysed and clustered lagebild database (e.g. the 1,028 10kGNAD articles:
``python eval/stories/build_shared.py seeds-10kgnad x.jsonl`` then ``lagebild --db DB ingest
x.jsonl``). ``--scale N`` first copies DB to a temporary one grown to N articles by cloning
its articles, analyses and stories under new ids (the clones name the same entities, so
each entity's mentions and articles grow tenfold, not the number of entities). Then it times, in CPU seconds (user+sys of this process, so other load on
the machine does not count):

- ``refresh``: building the entity rows (what ``Lagebild.cluster`` does after an ingest);
- ``list``: ``lagebild entities`` (the library call behind it: 50 rows and the count);
- ``page``: the web app's ``/entities`` page (200 rows);
- ``cli``: ``lagebild --db DB entities`` as a separate process (start-up included; user+sys
  of the child).

Target (issue 17): ``list``, ``page`` and ``cli`` under 0.3 s on 10,000 articles.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _clone(src: Path, dst: Path, n: int) -> int:
    """Copy ``src`` to ``dst`` and grow it to about ``n`` articles by cloning."""
    shutil.copy(src, dst)
    for ext in ("-wal", "-shm"):
        if Path(str(src) + ext).exists():
            shutil.copy(str(src) + ext, str(dst) + ext)
    db = sqlite3.connect(dst)
    db.row_factory = sqlite3.Row
    base = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    top = db.execute("SELECT max(seq) FROM articles").fetchone()[0] or 0
    arts = [dict(r) for r in db.execute("SELECT * FROM articles")]
    docs = {r["article_id"]: dict(r) for r in db.execute("SELECT * FROM docs")}
    stories = [dict(r) for r in db.execute("SELECT * FROM stories")]
    links = [dict(r) for r in db.execute("SELECT * FROM story_articles")]
    copies = max(0, -(-n // base) - 1)
    with db:
        for k in range(1, copies + 1):
            sfx = f"c{k}"
            for a in arts:
                if base * k + arts.index(a) >= n:
                    break
                row = dict(a, id=a["id"] + sfx, seq=a["seq"] + k * (top + 1))
                data = json.loads(a["data"])
                data["id"] = row["id"]
                row["data"] = json.dumps(data, ensure_ascii=False)
                row["input_key"] = (a.get("input_key") or a["id"]) + sfx
                cols = ",".join(row)
                db.execute(f"INSERT INTO articles ({cols}) VALUES ({','.join('?' * len(row))})",
                           list(row.values()))  # fmt: skip
                d = docs.get(a["id"])
                if d is not None:
                    text = d["data"].replace(f'"article_id": "{a["id"]}"', f'"article_id": "{row["id"]}"')
                    db.execute("INSERT INTO docs (article_id, stages, data) VALUES (?,?,?)",
                               (row["id"], d["stages"], text))  # fmt: skip
            have = {r[0] for r in db.execute("SELECT id FROM articles")}
            for s in stories:
                data = json.loads(s["data"])
                ids = [x + sfx for x in data.get("article_ids", []) if x + sfx in have]
                if not ids:
                    continue
                data.update(id=s["id"] + sfx, article_ids=ids,
                            duplicates=[[c + sfx, o + sfx] for c, o in data.get("duplicates", [])])  # fmt: skip
                db.execute("INSERT INTO stories (id, title, first, last, size, data) VALUES (?,?,?,?,?,?)",
                           (s["id"] + sfx, s["title"], s["first"], s["last"], len(ids),
                            json.dumps(data, ensure_ascii=False)))  # fmt: skip
            db.executemany("INSERT INTO story_articles (story_id, article_id) VALUES (?,?)",
                           [(x["story_id"] + sfx, x["article_id"] + sfx) for x in links
                            if x["article_id"] + sfx in have])  # fmt: skip
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    return total


def _cpu(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("db", type=Path)
    ap.add_argument("--scale", type=int, default=0, help="grow a copy to this many articles")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from lagebild.app import Lagebild
    from lagebild.entities import index
    from lagebild.web import WebApp, get

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if args.scale:
            db = Path(tmp) / "bench.db"
            print(f"cloned to {_clone(args.db, db, args.scale)} articles")
        lb = Lagebild(db)
        articles = lb.store.count()
        t = time.process_time()
        index.refresh(lb)
        refresh = time.process_time() - t
        n = lb.entity_count()
        listing, _ = _cpu(lambda: (lb.entities(limit=50), lb.entity_count()), args.repeat)
        web = WebApp(lb)
        page, resp = _cpu(lambda: get(web, "/entities"), args.repeat)
        assert resp.status == 200
        lb.close()
        cli = []
        for _ in range(max(1, args.repeat // 2)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            exe = Path(sys.executable).parent / "lagebild"
            subprocess.run([str(exe), "--db", str(db), "entities"], check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cli.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{articles} articles, {n} entities (CPU seconds, median of {args.repeat})")
        print(f"  refresh {refresh:.2f} s ({refresh / max(1, articles) * 1000:.2f} ms/article)")
        print(f"  list    {listing:.3f} s   (lagebild entities: 50 rows + count)")
        print(f"  page    {page:.3f} s   (/entities, 200 rows)")
        print(f"  cli     {statistics.median(cli):.3f} s   (lagebild entities as a process)")


if __name__ == "__main__":
    main()
