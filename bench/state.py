"""Peak memory of one incremental clustering against a big story index (issue 21: 1.5 GB at 100k).

Every ingest resumes the story index from the store's state, places the new articles and
writes the index back; at 25k+ articles that cycle (decode, rebuild, encode, compress) is the
largest transient in the process. The bench copies the ``stories.index`` state of ``DB`` (a
store of ``bench/grow.py build``) into a scratch store, adds one article dated after the
last one in ``DB`` and runs ``cluster_store`` on it: the resume/write cycle alone, without
the analysis models. It prints RSS before and the peak after; run it under
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
from lagebild.stories.build import STATE_KEY, cluster_store
from lagebild.stories.features import ArticleFeatures

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
    """A store holding ``db``'s story-index state (its bytes as stored) and one new article."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    blob = src.execute("SELECT value FROM state WHERE key=?", (STATE_KEY,)).fetchone()[0]
    last = src.execute("SELECT MAX(published) FROM articles").fetchone()[0]
    src.close()
    app = Lagebild(work / "state.db", Config(languages=("de", "en")))
    app.store.db.execute(
        "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (STATE_KEY, blob)
    )
    app.store.db.commit()
    del blob
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
