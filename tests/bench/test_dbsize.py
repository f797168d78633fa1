"""bench/dbsize.py counts every index, SQLite's own key indexes too, with its table's group."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

from lagebild.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_every_index_is_counted_with_its_table(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_dbsize", ROOT / "bench" / "dbsize.py")
    assert spec is not None and spec.loader is not None
    dbsize = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dbsize)
    Store(tmp_path / "x.db").close()
    db = sqlite3.connect(tmp_path / "x.db")
    indexes = db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index'").fetchall()
    db.close()
    assert any(name.startswith("sqlite_autoindex_") for name, _ in indexes)
    wrong = [
        (name, table) for name, table in indexes if dbsize.group_of(name) != dbsize.group_of(table)
    ]
    assert wrong == []
    index_rows = ("story_vocab", "story_archive", "story_seen")
    assert {dbsize.group_of(t) for t in index_rows} == {dbsize.group_of("state")}
    # side tables of a compacted table count with it (migrations 56, 57)
    assert dbsize.group_of("change_passes") == dbsize.group_of("story_changes")
    assert dbsize.group_of("stage_sets") == dbsize.group_of("docs")
    articles, total, tables = dbsize.sizes(tmp_path / "x.db")
    assert articles == 0 and total >= sum(tables.values()) > 0
