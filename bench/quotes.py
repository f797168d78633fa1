"""Sentences per second of the quotes stage on one core (run by hand, not collected by pytest).

    nice .venv/bin/python bench/quotes.py [SPKATT_DIR] [--rules]

Times ``lagebild.quotes.analyze`` alone on docs whose text layer already ran (the SpkAtt gold
tokens, lemmatised), after one warm-up pass that loads the model and fills the lemma cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import lagebild.quotes
import lagebild.quotes.learned
from lagebild.quotes.evaluate import doc_of, read_gold

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/quotes/spkatt2023-task2/train"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    directory = Path(args[0]) if args else DEFAULT
    docs = [doc_of(g) for g in read_gold(directory)]
    if "--rules" in sys.argv:
        lagebild.quotes.learned.load.cache_clear()
        lagebild.quotes.learned.shipped = lambda lang: None  # type: ignore[assignment]
        lagebild.quotes.shipped = lambda lang: None  # type: ignore[attr-defined]
    for d in docs[:50]:
        lagebild.quotes.analyze(d)
    sentences = sum(len(d.sentences) for d in docs)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for d in docs:
            lagebild.quotes.analyze(d)
        best = min(best, time.process_time() - t0)
    print(
        f"{len(docs)} docs, {sentences} sentences, best of 3: {best:.2f} s CPU, "
        f"{sentences / best:.0f} sentences/s"
    )


if __name__ == "__main__":
    main()
