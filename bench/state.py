"""CPU and peak memory of one incremental clustering against a big story index (issue 21).

Every ingest resumes the story index from the store, places the new articles and writes the
index back. Up to schema 36 that was one state read and written whole (at 25k+ articles the
largest transient of the process and ~10 s at 82k); since 37 a run reads the head and the
rows it touches (``stories.state``). The bench copies the story index of ``DB`` (a store of
``bench/grow.py build``: the head and tables, or the single state of an older schema, then
converted as migrations 37 and 40 do) into a scratch store, adds one article dated after the last
one in ``DB`` and runs ``cluster_store`` on it: the resume/write cycle alone, without the
analysis models. It prints CPU, RSS before and the peak after; run it under
``/usr/bin/time -v`` for the process's peak.

Usage: ``python bench/state.py DB [--work DIR]``.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.model import Article, article_id
from lagebild.store.migrations import MIGRATIONS
from lagebild.store.sqlite import _statements
from lagebild.stories.build import STATE_KEY, cluster_store
from lagebild.stories.features import ArticleFeatures
from lagebild.stories.state import convert, postings_into_vocab

TABLES = ("story_vocab", "story_archive", "story_seen")  # schema 40
WORDS = [
    "Regierung",
    "Haushalt",
    "Parlament",
    "Abstimmung",
    "Minister",
    "Budget",
    "Opposition",
    "Wien",
    "Koalition",
]


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scratch(db: Path, work: Path) -> tuple[Lagebild, ArticleFeatures]:
    """A store holding ``db``'s story index (its bytes as stored) and one new article."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    blob = src.execute("SELECT value FROM state WHERE key=?", (STATE_KEY,)).fetchone()[0]
    last = src.execute("SELECT MAX(published) FROM articles").fetchone()[0]
    tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    src.close()
    app = Lagebild(work / "state.db", Config(languages=("de", "en")))
    target = app.store.db
    target.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (STATE_KEY, blob))
    del blob
    old = "story_vocab" not in tables or "story_archive_terms" in tables  # schema 39 or older
    if old:  # converted as migrations 37 (a single state) and 40 convert it
        target.execute("DROP TABLE story_vocab")
        for statement in _statements(MIGRATIONS[36]):  # schema 37's tables
            target.execute(statement)
    if "story_vocab" in tables:
        target.commit()
        target.execute("ATTACH DATABASE ? AS src", (str(db),))
        for table in (*TABLES, "story_archive_terms") if old else TABLES:
            target.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
        target.commit()
        target.execute("DETACH DATABASE src")
    else:
        convert(target)
    if old:
        postings_into_vocab(target)
    target.commit()
    when = datetime.fromisoformat(last) + timedelta(hours=1)
    title, text = "Koalition streitet über das Budget", " ".join(WORDS * 3)
    url = "https://bench.invalid/state/1"
    aid = article_id(title, text, url)
    art = Article(id=aid, title=title, text=text, source="bench", format="jsonl", url=url,
                  outlet="bench.invalid", published=when, language="de")  # fmt: skip
    app.store.add_articles([art])
    feat = ArticleFeatures(id=aid, terms={w.casefold(): 1.0 for w in WORDS}, shingles=(),
                           published=when, outlet="bench.invalid", language="de", title=title,
                           span=(when.date(), when.date()))  # fmt: skip
    return app, feat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lagebild-state-", dir=args.work) as tmp:
        app, feat = scratch(args.db, Path(tmp))
        before, peak_before = _rss_mb(), _peak_mb()
        cpu = time.process_time()
        written = cluster_store(app, features={feat.id: feat})
        cpu = time.process_time() - cpu
        print(
            f"cluster_store of 1 article: {cpu:.1f} s CPU; RSS before {before:.0f} MB "
            f"(peak so far {peak_before:.0f}), after {_rss_mb():.0f} MB, peak {_peak_mb():.0f} MB; "
            f"{written} stories written"
        )
        app.close()


if __name__ == "__main__":
    main()
