"""Per-article CPU of each analysis stage in fast mode (the CRF taggers) on 10kGNAD articles.

    nice .venv/bin/python bench/stages.py [--articles 1000] [--warmup 5] [--save OUT.pkl]
                                          [--compare BEFORE.pkl]

The articles are the 10kGNAD test split as ``bench/corpus.py`` replicates it (records
``warmup``…``warmup+articles``; the first ``warmup`` only load the models and caches). Each
stage's ``analyze`` is timed with ``time.process_time`` — CPU seconds of this process, which
a loaded machine inflates less than wall time; the load average is printed beside it.
``--save`` keeps every doc's sentences, mentions, times, quotes and facts; ``--compare``
counts the docs whose outputs differ from a saved run (a speed change must show 0).

CPU time on a shared machine varies by +-10 % from run to run; instructions do not. Under
callgrind, ``--instructions`` counts only the timed loop (model loading excluded):

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \
        .venv/bin/python bench/stages.py --articles 100 --instructions   # "Collected : N"
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FIELDS = ("sentences", "mentions", "times", "quotes", "facts")


def main() -> None:
    from corpus import gnad_rows, record

    from lagebild.config import Config
    from lagebild.model import Article, Doc
    from lagebild.pipeline import Pipeline

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--save", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--instructions", action="store_true", help="run under callgrind (above)")
    args = ap.parse_args()

    config = Config(fast=True)
    pipe = Pipeline(config)
    texts = gnad_rows()
    arts = []
    for i in range(args.warmup + args.articles):
        r = record(texts, i)
        arts.append(
            Article(id=f"a{i}", title=r["title"], text=r["text"], source=r["url"],
                    format="jsonl", language="de", outlet=r["outlet"])
        )  # fmt: skip
    for a in arts[: args.warmup]:
        pipe(a)
    per = {m.NAME: 0.0 for m in pipe._modules}
    docs = []
    load0 = os.getloadavg()[0]
    if args.instructions:
        _instrument("on")
    t0 = time.process_time()
    for a in arts[args.warmup :]:
        doc = Doc(article=a)
        for m in pipe._modules:
            s = time.process_time()
            doc = m.analyze(doc, config)
            per[m.NAME] += time.process_time() - s
        docs.append(doc)
    total = time.process_time() - t0
    if args.instructions:
        _instrument("off")
    n = args.articles
    print(
        f"{n} articles (fast mode): {total / n * 1000:.1f} ms CPU per article = "
        f"{n / total:.1f} articles/s/core; load average {load0:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    for name, sec in per.items():
        print(f"  {name:10s} {sec / n * 1000:6.2f} ms")
    outputs = [tuple(getattr(d, f) for f in FIELDS) for d in docs]
    if args.save:
        args.save.write_bytes(pickle.dumps(outputs))
    if args.compare:
        before = pickle.loads(args.compare.read_bytes())
        diff = {f: sum(a[k] != b[k] for a, b in zip(before, outputs, strict=True))
                for k, f in enumerate(FIELDS)}  # fmt: skip
        print(f"docs whose output differs from {args.compare.name}: {diff}")


def _instrument(state: str) -> None:
    """Switch callgrind's instrumentation of this process on or off."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True,
                   capture_output=True)  # fmt: skip


if __name__ == "__main__":
    main()
