"""A story row marked for what only its story gives (it went dormant, its title changed)
keeps its card: the card is made again only when its articles or their analyses changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.dossier import card as card_module
from lagebild.store.listing import mark_articles, refresh


def _rows(app: Lagebild) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in app.store.db.execute(
            "SELECT story_id, first, last, articles, originals, outlets, divergences,"
            " changed, data, card FROM story_index ORDER BY story_id"
        )
    ]


def _made_anew(app: Lagebild) -> list[tuple[Any, ...]]:
    """The rows as a refresh that keeps no card writes them (every card made again)."""
    with app.store.transaction():
        app.store.db.execute("UPDATE story_index SET card = NULL")
        app.store.db.execute("INSERT OR IGNORE INTO story_dirty SELECT id FROM stories")
    app.refresh_listing()
    return _rows(app)


def test_a_story_that_only_went_dormant_keeps_its_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = card_module.story_card
    monkeypatch.setattr(card_module, "story_card", lambda s, d: made.append(s.id) or real(s, d))
    app = Lagebild(tmp_path / "c.db")
    app.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    app.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    stories = {s.id: s for s in app.stories()}
    assert len(stories) == 2 and all(k for *_, k in _rows(app))
    big = max(stories.values(), key=lambda s: len(s.article_ids))
    made.clear()
    # the big story goes dormant and is retitled: written again, its card stays
    app.store.put_stories([replace(big, dormant=True, title="Ilm-Hochwasser")])
    assert app.refresh_listing() == 1 and made == []
    (item,) = [i for i in app.list_stories().items if i.story_id == big.id]
    assert item.dormant and item.title == "Ilm-Hochwasser"
    kept = _rows(app)
    assert _made_anew(app) == kept and sorted(made) == sorted(stories)  # as made from scratch
    # a new article: the card is made again
    made.clear()
    (new,) = app.ingest([write_jsonl(tmp_path / "c.jsonl", SECOND[:1])]).added
    assert app.story_of(new).id in made
    # an analysis that changed (re-analysed on use marks its story): made again
    made.clear()
    (doc,) = app.docs([big.article_ids[0]])
    app.store.put_docs([replace(doc, quotes=())])
    with app.store.transaction():
        mark_articles(app.store, [big.article_ids[0]])
    app.refresh_listing()
    assert made == [app.story_of(big.article_ids[0]).id]
    # other code makes cards: every marked one is made again
    made.clear()
    with app.store.transaction():
        app.store.db.execute("INSERT OR IGNORE INTO story_dirty SELECT id FROM stories")
    refresh(app.store, lambda s: card_module.story_card(s, list(app.docs(s.article_ids))), "x")
    assert sorted(made) == sorted(s.id for s in app.stories())
    app.close()


def test_the_migration_gives_up_to_date_rows_their_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of a schema-38 store get the key of their story as it is, so the first ingest
    after the upgrade keeps the cards of stories that only go dormant; a row marked for
    rewriting gets none (it is made anew)."""
    import sqlite3

    from lagebild.store.migrations import MIGRATIONS

    db = tmp_path / "c.db"
    app = Lagebild(db)
    app.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    app.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    keys = {r[0]: r[-1] for r in _rows(app)}
    stories = {s.id: s for s in app.stories()}
    app.close()
    marked = min(stories)
    con = sqlite3.connect(db)
    with con:  # the rows as schema 38 left them, one marked for rewriting
        con.execute("UPDATE story_index SET card = NULL")
        con.execute("INSERT INTO story_dirty VALUES (?)", (marked,))
        number = next(i for i, m in enumerate(MIGRATIONS) if "Store._story_card_column" in m)
        con.execute(f"PRAGMA user_version={number}")
    con.close()
    app = Lagebild(db)
    stamped = {r[0]: r[-1] for r in _rows(app)}
    assert stamped == {**keys, marked: None}
    made: list[str] = []
    real = card_module.story_card
    monkeypatch.setattr(card_module, "story_card", lambda s, d: made.append(s.id) or real(s, d))
    other = next(s for s in stories if s != marked)
    app.store.put_stories([replace(stories[other], dormant=True)])
    app.refresh_listing()
    assert made == [marked] and {r[0]: r[-1] for r in _rows(app)} == keys
    app.close()
