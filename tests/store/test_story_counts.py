"""The in-memory totals and facets of filtered story lists equal what SQL counts."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lagebild.dossier.card import StoryCard
from lagebild.model import Story, to_dict
from lagebild.store import Store
from lagebild.store.listing import StoryQuery, query_stories, refresh
from lagebild.store.story_counts import StoryCounts, generation

OUTLETS = ["Der Standard", "Die Presse", "ORF", "Krone", "Kurier"]
LANGS = ["de", "en", "fr"]
# spellings that fold to one key stay one facet value; many names give ties in the counts
ENTITIES = ["Erdoğan", "Erdogan", "München", "Muenchen", "Wien", "Graz"] + [
    f"Name {i}" for i in range(30)
]


def _stories(rng: random.Random, n: int) -> list[StoryCard]:
    cards = []
    start = datetime(2016, 1, 1, tzinfo=UTC)
    for i in range(n):
        first = start + timedelta(hours=rng.randrange(0, 24 * 200))
        last = first + timedelta(hours=rng.randrange(0, 24 * 20))
        dated = rng.random() > 0.1  # some stories have no date at all
        st = Story(
            id=f"{i:016x}",
            article_ids=tuple(f"a{i}-{j}" for j in range(rng.randint(1, 6))),
            title=f"Story {i}",
            first=first if dated else None,
            last=last if dated else None,
        )
        ents = rng.sample(ENTITIES, rng.randint(0, 8))
        cards.append(
            StoryCard(
                st,
                tuple(rng.sample(OUTLETS, rng.randint(1, 3))),
                tuple(rng.sample(LANGS, rng.randint(1, 2))),
                tuple((e, "PER", rng.randint(1, 5)) for e in ents),
                rng.choice([0, 0, 0, 1, 2]),
            )
        )
    return cards


def _query(rng: random.Random) -> StoryQuery:
    day = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 230))
    return StoryQuery(
        date_from=day if rng.random() < 0.3 else None,
        date_to=day + timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.3 else None,
        outlets=tuple(rng.sample(OUTLETS, rng.randint(0, 2))) if rng.random() < 0.4 else (),
        languages=tuple(rng.sample(LANGS, 1)) if rng.random() < 0.3 else (),
        entities=tuple(rng.sample(ENTITIES, rng.randint(1, 2))) if rng.random() < 0.4 else (),
        divergent=rng.random() < 0.2,
        changed_since=datetime(2016, 1, 1, tzinfo=UTC) if rng.random() < 0.1 else None,
        sort=rng.choice(["latest", "largest", "outlets", "changed"]),
    )


def _put(store: Store, stories: list[Story]) -> None:
    """Story rows without their articles (the list reads only the rows; triggers mark them)."""
    with store.db:
        store.db.executemany(
            "INSERT INTO stories (id, title, first, last, size, data) VALUES (?,?,?,?,?,?)",
            [
                (st.id, st.title, None, None, len(st.article_ids), json.dumps(to_dict(st)))
                for st in stories
            ],
        )


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "x.db")
    cards = {c.story.id: c for c in _stories(random.Random(3), 400)}
    _put(s, [c.story for c in cards.values()])
    refresh(s, lambda st: cards[st.id])
    yield s
    s.close()


def test_memory_counts_equal_sql_counts_for_random_filters(store):
    counts = StoryCounts()
    rng = random.Random(11)
    checked = 0
    for _ in range(150):
        q = _query(rng)
        sql = query_stories(store, q)
        mem = query_stories(store, q, counts=counts)
        assert mem.total == sql.total, q
        assert mem.facets == sql.facets, q
        assert mem.items == sql.items and mem.next_cursor == sql.next_cursor
        checked += bool(sql.total)
    assert checked > 50  # most random filters keep some stories


def test_a_refresh_moves_the_generation_and_the_counts_follow(store):
    counts = StoryCounts()
    q = StoryQuery(entities=("erdogan",))
    before = query_stories(store, q, counts=counts).total
    gen = generation(store.db)
    st = Story(id="f" * 16, article_ids=("new",), title="Neu", first=datetime(2016, 3, 1))
    _put(store, [st])
    card = StoryCard(st, ("ORF",), ("de",), (("Erdoğan", "PER", 2),), 0)
    assert refresh(store, lambda s: card) == 1
    assert generation(store.db) != gen
    assert query_stories(store, q, counts=counts).total == before + 1
    assert query_stories(store, q).total == before + 1


def test_a_refresh_moves_the_facets_it_touched_and_they_equal_a_full_count(store):
    """Each refresh moves the facet counts by the terms its stories lost and gained (no
    count over the whole term table); after changes, additions and deletions, with two
    spellings of one name coming and going, they equal one count of all terms."""
    from lagebild.store.listing import _count_facets

    def facets() -> list[tuple]:
        return [tuple(r) for r in store.db.execute("SELECT * FROM story_facets ORDER BY 1, 2")]

    first = facets()
    with store.db:
        _count_facets(store.db)
    assert facets() == first and len(first) > 40
    rng = random.Random(5)
    cards = {c.story.id: c for c in _stories(random.Random(3), 400)}
    statements: list[str] = []
    for round_ in range(12):
        ids = rng.sample(sorted(cards), 12)
        for sid in ids[:4]:  # 4 stories gone
            store.db.execute("DELETE FROM stories WHERE id=?", (sid,))
            del cards[sid]
        fresh = _stories(random.Random(100 + round_), 8)  # 8 stories changed (new terms)
        for sid, other in zip(ids[4:], fresh, strict=True):
            cards[sid] = replace(other, story=replace(other.story, id=sid))
            store.db.execute("UPDATE stories SET title=title WHERE id=?", (sid,))
        store.db.commit()
        store.db.set_trace_callback(statements.append)
        assert refresh(store, lambda st: cards[st.id]) == 12
        store.db.set_trace_callback(None)
        incremental = facets()
        with store.db:
            _count_facets(store.db)
        assert facets() == incremental, round_
    # every "Erdogan" becomes "Erdoğan": the facet's shown spelling goes, the other stays
    for sid, card in list(cards.items()):
        names = tuple(("Erdoğan" if e == "Erdogan" else e, t, n) for e, t, n in card.entities)
        if names != card.entities:
            cards[sid] = replace(card, entities=names)
            store.db.execute("UPDATE stories SET title=title WHERE id=?", (sid,))
    store.db.commit()
    store.db.set_trace_callback(statements.append)
    refresh(store, lambda st: cards[st.id])
    store.db.set_trace_callback(None)
    shown = store.db.execute("SELECT value FROM story_facets WHERE key='erdogan'").fetchone()
    assert shown[0] == "Erdoğan"
    incremental = facets()
    with store.db:
        _count_facets(store.db)
    assert facets() == incremental
    # no refresh counted over the whole term table
    assert not [s for s in statements if "GROUP BY" in s and "WHERE" not in s]
    assert any("story_facets" in s and "WHERE kind=" in s for s in statements)
    assert "GROUP BY" not in " ".join(statements)
    # a shown spelling that went was looked for among the remaining terms
    assert any(s.startswith("SELECT MIN(value) FROM story_terms") for s in statements)


def test_story_rows_stored_as_json_migrate_and_list_the_same(tmp_path):
    """Schema 22: a story row's data is one MessagePack array; rows written as JSON objects
    (schema 21) are rewritten by the migration and every list page reads the same."""
    import sqlite3

    from lagebild.store.listing import row_data

    path = tmp_path / "x.db"
    s = Store(path)
    cards = {c.story.id: c for c in _stories(random.Random(3), 300)}
    _put(s, [c.story for c in cards.values()])
    refresh(s, lambda st: cards[st.id])
    rng = random.Random(7)
    queries = [_query(rng) for _ in range(20)] + [StoryQuery()]
    before = [query_stories(s, q) for q in queries]
    packed = s.db.execute("SELECT SUM(LENGTH(data)) FROM story_index").fetchone()[0]
    s.close()
    db = sqlite3.connect(path)
    with db:
        for sid, title, data in db.execute(
            "SELECT i.story_id, s.title, i.data FROM story_index i JOIN stories s ON s.id = i.story_id"
        ).fetchall():
            old = {"title": title, **row_data(data)}
            db.execute(
                "UPDATE story_index SET data=? WHERE story_id=?",
                (json.dumps(old, ensure_ascii=False), sid),
            )
        as_json = db.execute("SELECT SUM(LENGTH(data)) FROM story_index").fetchone()[0]
        db.execute("PRAGMA user_version=21")
    db.close()
    assert packed < 0.75 * as_json
    s = Store(path)
    assert {r[0] for r in s.db.execute("SELECT typeof(data) FROM story_index")} == {"blob"}
    assert [query_stories(s, q) for q in queries] == before
    assert any(p.items and any(i.entities for i in p.items) for p in before)
    s.close()


def test_story_rows_without_their_title_migrate_and_list_the_same(tmp_path):
    """Schema 59: a story row keeps no copy of its story's title (a page joins
    ``stories``); rows of schema 58 with the title are copied without it (same row
    numbers, the same indexes) and every list page, sort and page after it reads the same;
    a story whose title alone changes shows the new one without its row being written."""
    import sqlite3

    path = tmp_path / "x.db"
    s = Store(path)
    cards = {c.story.id: c for c in _stories(random.Random(5), 300)}
    _put(s, [c.story for c in cards.values()])
    refresh(s, lambda st: cards[st.id])
    rng = random.Random(9)
    queries = [_query(rng) for _ in range(20)]
    queries += [
        StoryQuery(sort=sort, limit=7) for sort in ("latest", "largest", "outlets", "changed")
    ]
    before = [query_stories(s, q) for q in queries]
    second = query_stories(s, StoryQuery(limit=7, cursor=before[-1].next_cursor))
    assert "title" not in {r[1] for r in s.db.execute("PRAGMA table_info(story_index)")}
    indexes = s.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name='story_index' ORDER BY name"
    ).fetchall()
    rows = s.db.execute("SELECT rowid, * FROM story_index ORDER BY rowid").fetchall()
    s.close()
    db = sqlite3.connect(path)
    with db:  # the rows as schema 58 kept them, with the title
        db.execute("ALTER TABLE story_index ADD COLUMN title TEXT NOT NULL DEFAULT ''")
        db.execute("UPDATE story_index SET title = (SELECT title FROM stories WHERE id = story_id)")
        db.execute("PRAGMA user_version=58")
    db.close()
    for _ in range(2):  # migrated, then the migration run again on the new form
        s = Store(path)
        assert "title" not in {r[1] for r in s.db.execute("PRAGMA table_info(story_index)")}
        assert s.db.execute("SELECT rowid, * FROM story_index ORDER BY rowid").fetchall() == rows
        got = s.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name='story_index' ORDER BY name"
        ).fetchall()
        assert got == indexes
        assert [query_stories(s, q) for q in queries] == before
        assert query_stories(s, StoryQuery(limit=7, cursor=before[-1].next_cursor)) == second
        s.db.execute("PRAGMA user_version=58")
        s.close()
    s = Store(path)
    first = before[0].items[0]
    with s.db:
        s.db.execute("UPDATE stories SET title = 'Ein neuer Titel' WHERE id=?", (first.story_id,))
    refresh(s, lambda st: cards[st.id])
    item = next(i for i in query_stories(s, queries[0]).items if i.story_id == first.story_id)
    assert item.title == "Ein neuer Titel"
    s.close()
