"""Bench corpora from real news: 10kGNAD's 1,028 test articles replicated to any size.

Replica ``r`` of an article gets its own URL (so its own id), dates shifted by ``r`` times
90 days (each replica spreads over 30 days, so the stories of one replica have gone dormant
before the next begins) and its own spelling of every capitalised word (``respell``): the
letters after the first go through a permutation of the alphabet drawn for the replica, and
so do the digits after the first two of every figure of three or more digits that is no year.
Dates alone did not keep replicas apart: a story going dormant met its identical twin of 90
days before (same words, names and figures) and merged with it, so a 100k corpus made ~1,000
stories of 50+ articles and clustering, entity tables and dossiers cost what giant stories
cost, not what 100k articles of distinct news cost. Respelt, a replica shares only lower-case
words (verbs, adjectives, function words) with the others: a new vocabulary of names and
nouns, as new news brings. Within a replica the permutation is one-to-one, so the stories
are those of the original; the respelling keeps every length, so an analysis made of one
replica (its offsets) fits every other. Replica 0 is the original text.
The text stays in /tmp (``../shared`` is third-party data; nothing of it enters the repo).
Usage: ``python bench/corpus.py N OUT.jsonl``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import string
from datetime import UTC, datetime, timedelta
from pathlib import Path

GNAD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "10kgnad"
START = datetime(2015, 1, 1, 6, tzinfo=UTC)
REPLICA_DAYS = 90
# Replica R is dated R x REPLICA_DAYS after START, so big corpora reach decades ahead of the
# clock (replica 97: ~2040); readers drop such dates unless told otherwise.
DAYS_AHEAD = 200 * REPLICA_DAYS
SPREAD_DAYS = 30
_FIRST = re.compile(r"^(.{20,200}?[.!?])\s+(?=[A-ZÄÖÜ])")  # the teaser: first sentence
# a capitalised word (its tail is respelt) or a figure of 3+ digits (a year is kept: the time
# stage reads it, and "2015" in a report dated 2040 is history, not a contradiction)
_RESPELT = re.compile(r"\b(?:[A-ZÄÖÜ][A-Za-zÄÖÜäöüß]+|(?!(?:19|20)\d\d\b)\d\d\d+)\b")


def _table(replica: int) -> dict[int, int]:
    """Replica ``replica``'s letter and digit permutation (the identity for replica 0)."""
    lower, digits = string.ascii_lowercase, string.digits
    if replica == 0:
        return {}
    rng = random.Random(replica)
    to_lower, to_digits = "".join(rng.sample(lower, 26)), "".join(rng.sample(digits, 10))
    return str.maketrans(lower + lower.upper() + digits,
                         to_lower + to_lower.upper() + to_digits)  # fmt: skip


def _inverse(table: dict[int, int]) -> dict[int, int]:
    return {v: k for k, v in table.items()}


def respell(text: str, replica: int, source: int = 0) -> str:
    """``text`` of replica ``source`` as replica ``replica`` spells it (see the module's
    docstring): same length, same word boundaries, every capitalised word's tail and every
    figure's tail (past its first two digits, so no figure becomes a year) mapped through the
    replica's permutation."""
    if replica == source:
        return text
    back, forth = _inverse(_table(source)), _table(replica)

    def one(m: re.Match[str]) -> str:
        word = m.group()
        keep = 2 if word[0].isdigit() else 1  # "19.." stays no year, "12.." no year either
        return word[:keep] + word[keep:].translate(back).translate(forth)

    return _RESPELT.sub(one, text)


def gnad_rows(folder: Path = GNAD) -> list[str]:
    """The article texts of 10kGNAD's test split, in file order."""
    with open(folder / "test.csv", encoding="utf-8", newline="") as fh:
        return [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) > 1]


def record(texts: list[str], i: int) -> dict[str, str]:
    """The ``i``-th article of the replicated corpus, as a JSONL record."""
    r, k = divmod(i, len(texts))
    raw = respell(texts[k], r)
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
