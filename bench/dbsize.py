"""Where a lagebild database's bytes go: MB per 1,000 stored articles by group of tables
(with their indexes), measured on a VACUUMed copy (the file as a fresh ingest leaves it
carries free pages). Target (issue 21): <= 15 MB per 1k articles.

Usage: ``python bench/dbsize.py DB [--tables]`` (``--tables``: every table and index too).
Needs SQLite's ``dbstat`` table (compiled into the sqlite3 of CPython's usual builds).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

# group of a table or index by the start of its name (first match wins)
GROUPS = (
    ("entity", "entity tables"),
    ("sqlite_autoindex_entity", "entity tables"),
    ("sqlite_autoindex_story_index", "story list rows"),
    ("sqlite_autoindex_story_digests", "change log"),
    ("sqlite_autoindex_tracked_articles", "change log"),
    ("articles_search", "search index"),
    ("articles", "articles"),
    ("sqlite_autoindex_articles", "articles"),
    ("docs", "analyses"),
    ("sqlite_autoindex_docs", "analyses"),
    ("state", "stage state (story index)"),
    ("sqlite_autoindex_state", "stage state (story index)"),
    ("story_vocab", "stage state (story index)"),  # the index's rows (migration 37)
    ("story_archive", "stage state (story index)"),
    ("sqlite_autoindex_story_archive", "stage state (story index)"),
    ("story_seen", "stage state (story index)"),
    ("story_terms", "story list terms"),
    ("story_facets", "story list terms"),
    ("story_index", "story list rows"),
    ("stories", "stories"),
    ("sqlite_autoindex_stories", "stories"),
    ("story_articles", "stories"),
    ("sqlite_autoindex_story_articles", "stories"),
    ("story_changes", "change log"),
    ("change_passes", "change log"),  # the passes' times (migration 56)
    ("stage_sets", "analyses"),  # the analyses' stage lists (migration 57)
    ("story_digests", "change log"),
    ("tracked_articles", "change log"),
    ("dossier_cache", "dossier cache"),
    ("dossier_parts", "dossier cache"),  # per-article parts of big stories (migration 61)
)


def group_of(name: str) -> str:
    return next((group for prefix, group in GROUPS if name.startswith(prefix)), "other")


def sizes(db_path: Path) -> tuple[int, int, dict[str, int]]:
    """Articles, file bytes and bytes per table/index of a VACUUMed copy of ``db_path``."""
    with tempfile.TemporaryDirectory(prefix="lagebild-dbsize-") as tmp:
        copy = Path(tmp) / "copy.db"
        src = sqlite3.connect(db_path)
        dst = sqlite3.connect(copy)
        src.backup(dst)  # a consistent copy, WAL included
        src.close()
        dst.execute("VACUUM")
        articles = dst.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        tables = dict(dst.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
        dst.close()
        return articles, copy.stat().st_size, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--tables", action="store_true", help="every table and index too")
    args = parser.parse_args()
    articles, total, tables = sizes(args.db)
    per_1k = 1000 / max(articles, 1) / 1e6
    groups: dict[str, int] = {}
    for name, size in tables.items():
        groups[group_of(name)] = groups.get(group_of(name), 0) + size
    print(f"{articles} articles, {total / 1e6:.1f} MB after VACUUM: {total * per_1k:.2f} MB per 1k")
    for group, size in sorted(groups.items(), key=lambda g: -g[1]):
        print(f"  {group:28s} {size * per_1k:6.2f}")
    if args.tables:
        for name, size in sorted(tables.items(), key=lambda t: -t[1]):
            print(f"    {name:40s} {size * per_1k:6.2f}")


if __name__ == "__main__":
    main()
