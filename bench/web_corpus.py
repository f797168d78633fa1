"""A real-text corpus for the web benchmarks: 10kGNAD's 1,028 test articles as JSONL.

Usage: ``python bench/web_corpus.py OUT.jsonl [--copies N]``. Each copy gets distinct URLs
and publication dates shifted by 61 days per copy (so 10 copies make a 10k-article corpus that
spans 20 months); the title is the first sentence, the outlet ``derStandard-<section>`` (the
corpus's nine sections, so outlet filters and facets have something to count). The texts are
read from ../shared at run time and written outside the repository only.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

GNAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories" / "10kgnad" / "test.csv"
START = datetime(2016, 1, 4, 6, 0, tzinfo=UTC)


def gnad_rows(path: Path = GNAD) -> list[tuple[str, str, str]]:
    """(section, title, body) of every 10kGNAD test article."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";", quotechar="'"):
            label, text = row[0], ";".join(row[1:])
            first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
            if len(first) == 2 and first[1].strip():
                rows.append((label, first[0], first[1]))
            else:
                rows.append((label, text[:80], text))
    return rows


def records(copies: int = 1, path: Path = GNAD) -> Iterator[dict[str, str]]:
    """JSONL records: ``copies`` passes over the corpus, one article every ~85 minutes."""
    rows = gnad_rows(path)
    step = timedelta(days=60) / len(rows)
    for copy in range(copies):
        for n, (label, title, body) in enumerate(rows):
            when = START + timedelta(days=61 * copy) + n * step
            yield {
                "title": title,
                "text": body,
                "url": f"https://bench.invalid/{copy}/{n}",
                "outlet": f"derStandard-{label}",
                "published": when.isoformat(),
                "language": "de",
            }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as fh:
        for rec in records(args.copies):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
