"""Bench corpora from real news: 10kGNAD's 1,028 test articles replicated to any size.

Replica ``r`` of an article gets its own URL (so its own id) and dates shifted by ``r`` times
90 days; each replica spreads over 30 days, so the stories of one replica have gone dormant
before the next begins and a bigger corpus is more of the same news, not bigger stories.
The text stays in /tmp (``../shared`` is third-party data; nothing of it enters the repo).
Usage: ``python bench/corpus.py N OUT.jsonl``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

GNAD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "10kgnad"
START = datetime(2015, 1, 1, 6, tzinfo=UTC)
REPLICA_DAYS = 90
SPREAD_DAYS = 30
_FIRST = re.compile(r"^(.{20,200}?[.!?])\s+(?=[A-ZÄÖÜ])")  # the teaser: first sentence


def gnad_rows(folder: Path = GNAD) -> list[str]:
    """The article texts of 10kGNAD's test split, in file order."""
    with open(folder / "test.csv", encoding="utf-8", newline="") as fh:
        return [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]


def record(texts: list[str], i: int) -> dict[str, str]:
    """The ``i``-th article of the replicated corpus, as a JSONL record."""
    r, k = divmod(i, len(texts))
    raw = texts[k]
    m = _FIRST.match(raw)
    title, text = (m.group(1), raw[m.end() :]) if m else (raw[:80], raw)
    when = START + timedelta(days=r * REPLICA_DAYS + SPREAD_DAYS * k / len(texts))
    return {
        "title": title,
        "text": text,
        "url": f"https://bench.example/{r}/{k}",
        "outlet": "Der Standard",
        "language": "de",
        "published": when.isoformat(),
    }


def write_corpus(n: int, out: Path, folder: Path = GNAD) -> Path:
    """Write ``n`` articles to ``out`` (JSONL) and return it."""
    texts = gnad_rows(folder)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(record(texts, i), ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    write_corpus(args.n, args.out)


if __name__ == "__main__":
    main()
