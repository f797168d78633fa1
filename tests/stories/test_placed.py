"""A clustering run looks for new articles after those all placed already (schema 40: the
index's head notes up to which article every one is placed), and finds what a look at every
article and every placed id finds: the same new articles, the date before them, lateness."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.model import article_id
from lagebild.store.state import decode_state, encode_state
from lagebild.stories import build
from lagebild.stories import state as stored


def _everything(app: Lagebild, clock: int | None) -> tuple[list[str], datetime | None, bool]:
    """New articles as found before the note: every article against every placed id."""
    known = {r[0] for r in app.store.db.execute("SELECT id FROM story_seen")}
    new: list[str] = []
    carry = start = None
    late = False
    for aid, published in app.store.article_dates():
        if aid not in known:
            if not new:
                start = carry
            when = published or carry
            late = late or (clock is not None and (when is None or when.toordinal() < clock))
            new.append(aid)
        if published is not None:
            carry = published
    return new, start, late


def _dated(rows: list[dict[str, Any]], day: int) -> list[dict[str, Any]]:
    return [{**r, "published": f"2024-06-{day:02d}T{8 + i:02d}:00:00Z"} for i, r in enumerate(rows)]


def test_each_run_finds_what_a_look_at_everything_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[tuple[int | None, int]] = []  # (where the run looked from, articles looked at)
    real = build._new_articles

    def checked(app: Lagebild, placed: stored.Placed, clock: int | None) -> Any:
        want = _everything(app, clock) if placed.db is not None else None
        got = real(app, placed, clock)
        if want is not None:
            assert ([d.id for d in got[0]], got[1], got[2]) == want
        after = placed.since()[0] if placed.db is not None else None
        runs.append((after, len(list(app.store.articles_after(after)))))
        return got

    monkeypatch.setattr(build, "_new_articles", checked)
    app = Lagebild(tmp_path / "c.db")
    app.ingest([write_jsonl(tmp_path / "a.jsonl", _dated(FIRST, 3))])
    app.ingest([write_jsonl(tmp_path / "b.jsonl", _dated([OTHER], 4))])
    app.ingest([write_jsonl(tmp_path / "c.jsonl", [{**SECOND[0], "published": None}])])
    assert [n for _, n in runs[1:]] == [1, 1]  # only the articles after the placed ones
    # a backfill: dated before what the index has seen (from scratch)
    app.ingest([write_jsonl(tmp_path / "d.jsonl", _dated(SECOND[1:], 1))])

    # an article read again in its old place, not clustered yet (an interrupted reread)
    old = app.store.article(app.store.unanalysed() or next(iter(app.store.article_dates()))[0])
    text = old.text + "\n\nMehr in Kürze."
    app.store.replace_article(old, replace(old, id=article_id(old.title, text, old.url), text=text))
    runs.clear()
    app.ingest([write_jsonl(tmp_path / "e.jsonl", _dated([{**OTHER, "title": "Neu"}], 5))])
    assert runs[0][0] is None  # looked at everything: the new id sits in the old place
    assert app.store.unclustered() == 0
    app.close()


def test_the_migration_notes_where_every_article_is_placed(tmp_path: Path) -> None:
    from lagebild.store.migrations import MIGRATIONS

    db = tmp_path / "c.db"
    app = Lagebild(db)
    app.ingest([write_jsonl(tmp_path / "a.jsonl", _dated(FIRST, 3))])
    app.ingest([write_jsonl(tmp_path / "b.jsonl", _dated([OTHER], 4))], analyze=False)
    (last,) = app.store.db.execute("SELECT MAX(seq) FROM articles").fetchone()
    app.close()
    con = sqlite3.connect(db)
    with con:  # the head as schema 39 kept it
        row = con.execute("SELECT value FROM state WHERE key='stories.index'").fetchone()
        head = decode_state(row[0])
        del head["placed_upto"]
        stored._put(con, encode_state(head))
        number = next(i for i, m in enumerate(MIGRATIONS) if "Store._note_placed" in m)
        con.execute(f"PRAGMA user_version={number}")
    con.close()
    app = Lagebild(db, finish_first=False)
    row = app.store.db.execute("SELECT value FROM state WHERE key='stories.index'").fetchone()
    assert decode_state(row[0])["placed_upto"] == last - 1  # the unclustered one is not
    app.close()
