"""Ingest throughput and memory: text-dump cleaning + SQLite storage at growing corpus sizes.

Usage: ``python bench/ingest.py [--sizes 1000,10000]``. Prints articles/s (one core) and peak
RSS per size; the cost per article should stay flat as the database grows.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from lagebild.config import Config
from lagebild.ingest.textdump import read_text_dump
from lagebild.model import Article
from lagebild.store import Store

WORDS = [
    "Regierung",
    "Stadt",
    "Minister",
    "sagte",
    "Montag",
    "Dienstag",
    "Millionen",
    "Prozent",
    "Treffen",
    "Bericht",
    "Polizei",
    "Gericht",
    "Unternehmen",
    "Streik",
    "Wahl",
    "Hochwasser",
    "Präsident",
    "Abkommen",
    "Grenze",
    "Armee",
    "Flughafen",
]


def synthetic_dump(rng: random.Random, n: int) -> bytes:
    """A text dump with the furniture real dumps carry, different for every ``n``."""
    paras = []
    for _ in range(6):
        sent = [" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(3)]
        paras.append(" ".join(sent))
    return (
        f"Meldung {n}: {' '.join(rng.choices(WORDS, k=6))}\n\n"
        f"{1_700_000_000 + n * 60} meldung-{n}\n\nVon: Eva Beispiel\n\n"
        + "\n\n".join(paras)
        + "\n\nSchreibe einen Kommentar\nttn-de-1\n"
    ).encode()


def run(size: int, config: Config) -> tuple[float, float]:
    rng = random.Random(size)
    dumps = [synthetic_dump(rng, n) for n in range(size)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        start = time.process_time()
        batch: list[Article] = []
        for n, data in enumerate(dumps):
            art = read_text_dump(data, f"bench/{n}.txt", config)
            assert isinstance(art, Article)
            batch.append(art)
            if len(batch) == 500:
                store.add_articles(batch)
                batch.clear()
        store.add_articles(batch)
        elapsed = time.process_time() - start
        store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return size / elapsed, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    # one language keeps language identification cheap and comparable across sizes
    config = Config(languages=("de", "en"))
    print(f"{'articles':>9} {'articles/s':>11} {'peak RSS MB':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        rate, rss = run(size, config)
        print(f"{size:>9} {rate:>11.0f} {rss:>12.0f}")


if __name__ == "__main__":
    main()
