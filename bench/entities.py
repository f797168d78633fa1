"""Entity lists on a large store: building the precomputed rows, then reading them.

    python bench/entities.py DB [--repeat 5]

DB is an analysed and clustered lagebild database; for 10,000 articles build one with
``python bench/web_db.py --from GNAD1K.db --out GNAD10K.db`` (10kGNAD's 1,028 articles ten
times; GNAD1K.db from ``python eval/stories/build_shared.py seeds-10kgnad x.jsonl`` and
``lagebild --db GNAD1K.db ingest x.jsonl``). It times, in CPU seconds (user+sys of this process, so other load on
the machine does not count):

- ``refresh``: building the entity rows (what ``Lagebild.cluster`` does after an ingest);
- ``list``: the library calls behind ``lagebild entities`` (50 rows and the count);
- ``page``: the web app's ``/entities`` page (200 rows);
- ``cli``: ``lagebild --db DB entities`` as a separate process (start-up included; user+sys
  of the child).

Target (issue 17): ``list``, ``page`` and ``cli`` under 0.3 s on 10,000 articles.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


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
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from lagebild.app import Lagebild
    from lagebild.entities import index
    from lagebild.web import WebApp, get

    db = args.db
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
