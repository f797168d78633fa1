"""A 10k-article database for the page benchmarks, without analysing 10k articles.

Usage: ``python bench/web_db.py --from /tmp/web/gnad1k.db --out /tmp/web/gnad10k.db
[--copies 10]``. The corpus is 10kGNAD's 1,028 test articles ``--copies`` times over
(bench/web_corpus.py: distinct URLs, dates shifted by 61 days per copy). The articles are
stored without analysis; each copy then gets the analysis its text already has in the
analysed 1k database (the same text gives the same sentences, entities, quotes and facts;
only the article id inside is rewritten), and the stories are clustered from scratch, which
also fills the change log, the entity index and the story list. Time expressions keep the
values resolved against the first copy's dates: a page costs the same either way.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_corpus import records

from lagebild.app import Lagebild


def build(source: Path, out: Path, copies: int) -> None:
    if out.exists():
        raise SystemExit(f"{out} exists; remove it first")
    t0 = time.process_time()
    jsonl = out.with_suffix(".jsonl")
    with open(jsonl, "w", encoding="utf-8") as fh:
        for rec in records(copies):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    lb = Lagebild(out)
    lb.ingest([jsonl], analyze=False)
    print(f"stored {lb.store.count()} articles ({time.process_time() - t0:.0f} s CPU)")

    src = sqlite3.connect(source)
    by_text = {
        (title, text): (aid, stages, data)
        for aid, title, text, stages, data in src.execute(
            "SELECT a.id, a.title, a.text, d.stages, d.data FROM articles a"
            " JOIN docs d ON d.article_id = a.id"
        )
    }
    rows = []
    for aid, title, text in lb.store.db.execute("SELECT id, title, text FROM articles"):
        found = by_text.get((title, text))
        if found is not None:
            old, stages, data = found
            rows.append((aid, stages, data.replace(old, aid)))
    with lb.store.db:
        lb.store.db.executemany(
            "INSERT OR REPLACE INTO docs (article_id, stages, data) VALUES (?,?,?)", rows
        )
    print(f"copied {len(rows)} analyses ({time.process_time() - t0:.0f} s CPU)")
    lb.cluster(from_scratch=True)
    print(f"{len(lb.stories())} stories; database ready ({time.process_time() - t0:.0f} s CPU)")
    lb.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="source", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    build(args.source, args.out, args.copies)


if __name__ == "__main__":
    main()
