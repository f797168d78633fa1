"""A 10k-article database for the page benchmarks, without analysing 10k articles.

Usage: ``python bench/web_db.py --from /tmp/web/gnad1k.db --out /tmp/web/gnad10k.db
[--copies 10]``. The corpus is 10kGNAD's 1,028 test articles ``--copies`` times over
(bench/web_corpus.py: distinct URLs, dates shifted by 61 days per copy). The articles are
stored without analysis; each copy then gets the analysis its text already has in the
analysed 1k database (the same text gives the same sentences, entities, quotes and facts;
only the article id inside is rewritten, and it is marked as made by the current stage
versions, so nothing is analysed again), and the stories are clustered from scratch, which
also fills the change log, the entity index and the story list. Time expressions keep the
values resolved against the first copy's dates: a page costs the same either way.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_corpus import records

from lagebild.app import Lagebild
from lagebild.model import Doc, from_dict, to_dict
from lagebild.store import Store


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

    src = Store(source)  # read through the store: it knows its own format (and migrates)
    by_text = {(a.title, a.text): a.id for a in src.articles()}
    current = tuple(lb.pipeline.versions)  # the copies pass for current analyses
    batch = []
    done = 0
    for art in lb.store.articles():
        old = by_text.get((art.title, art.text))
        doc = src.doc(old) if old else None
        if doc is None:
            continue
        data = to_dict(replace(doc, stages=current))
        data.pop("article")
        data = json.loads(json.dumps(data).replace(old, art.id))
        batch.append(from_dict(Doc, {**data, "article": to_dict(art)}))
        if len(batch) >= 200:
            lb.store.put_docs(batch)
            done += len(batch)
            batch.clear()
    lb.store.put_docs(batch)
    done += len(batch)
    print(f"copied {done} analyses ({time.process_time() - t0:.0f} s CPU)")
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
