"""Migration 19: a store with the entity tables of schema 18 (text ids in every table) opens
in the compact layout and lists the same entities, mentions and co-occurrences."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.entities import index, update
from lagebild.model import Mention

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"

# the entity tables as migrations 7, 13, 17 and 18 left them
SCHEMA_18 = """
CREATE TABLE entity_index (id TEXT PRIMARY KEY, rank INTEGER NOT NULL, name TEXT NOT NULL,
    type TEXT NOT NULL, mentions INTEGER NOT NULL, articles INTEGER NOT NULL,
    data TEXT NOT NULL, doubtful INTEGER NOT NULL DEFAULT 0);
CREATE INDEX entity_index_order ON entity_index (rank, name);
CREATE TABLE entity_mentions (entity_id TEXT NOT NULL, article_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL,
    caption INTEGER);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
CREATE INDEX entity_mentions_article_entity ON entity_mentions (article_id, entity_id);
CREATE TABLE entity_tally (entity_id TEXT PRIMARY KEY, data BLOB NOT NULL, articles BLOB NOT NULL);
CREATE TABLE entity_parts (story_id TEXT NOT NULL, entity_id TEXT NOT NULL, data BLOB NOT NULL,
    articles BLOB NOT NULL, PRIMARY KEY (story_id, entity_id));
CREATE INDEX entity_parts_entity ON entity_parts (entity_id);
CREATE TABLE entity_keys (key TEXT NOT NULL, entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);
"""


def _seen(app: Lagebild) -> tuple[list[object], dict[str, object], dict[str, object]]:
    rows = index.rows(app, doubtful=True)
    listed = [(r.entity, r.outlets, r.unknown_outlet, r.n_mentions, r.article_ids) for r in rows]
    mentions = {r.entity.id: index.mentions(app, r.entity.id) for r in rows}
    together = {r.entity.id: index.cooccurring(app, r.entity.id) for r in rows[:25]}
    return listed, mentions, together


def _to_schema_18(path: Path) -> None:
    """The store's entity tables rewritten in the layout of schema 18, marked built."""
    db = sqlite3.connect(path)
    ids = dict(db.execute("SELECT n, id FROM entity_index"))
    index_rows = db.execute(
        "SELECT id, rank, name, type, mentions, articles, data, doubtful FROM entity_index"
        " ORDER BY n"
    ).fetchall()
    mentions = [
        (ids[e], index.article_of(a), s, t, x, src, c)
        for e, a, s, t, x, src, c in db.execute(
            'SELECT entity, article, start, "end", text, source, caption FROM entity_mentions'
            " ORDER BY rowid"
        )
    ]
    tallies = [(ids[e], d, a) for e, d, a in db.execute("SELECT * FROM entity_tally")]
    parts = [(s, ids[e], d, a) for s, e, d, a in db.execute("SELECT * FROM entity_parts")]
    keys = [(k, ids[e]) for k, e in db.execute("SELECT key, entity FROM entity_keys")]
    for table in ("entity_index", "entity_mentions", "entity_tally", "entity_parts", "entity_keys"):
        db.execute(f"DROP TABLE {table}")
    db.executescript(SCHEMA_18)
    db.executemany("INSERT INTO entity_index VALUES (?,?,?,?,?,?,?,?)", index_rows)
    db.executemany("INSERT INTO entity_mentions VALUES (?,?,?,?,?,?,?)", mentions)
    db.executemany("INSERT INTO entity_tally VALUES (?,?,?)", tallies)
    db.executemany("INSERT INTO entity_parts VALUES (?,?,?,?)", parts)
    db.executemany("INSERT INTO entity_keys VALUES (?,?)", keys)
    db.execute("PRAGMA user_version=18")
    db.commit()
    db.close()


def test_a_store_of_schema_18_lists_the_same_entities_in_the_compact_layout(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.db"
    app = Lagebild(path)
    app.ingest([DEMO / "elbe-zeitung", DEMO / "morning-ledger", DEMO / "tagesblatt-nord"])
    before = _seen(app)
    assert len(before[0]) > 20 and any(len(m) > 5 for m in before[1].values())
    assert any(before[2].values())  # some entities share articles
    app.close()
    _to_schema_18(path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM entity_mentions WHERE article_id != ''").fetchone()[
        0
    ] == sum(len(m) for m in before[1].values())
    raw.close()

    again = Lagebild(path)
    db = again.store.db
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 19
    columns = {r[1] for r in db.execute("PRAGMA table_info(entity_mentions)")}
    assert {"entity", "article"} <= columns and "entity_id" not in columns
    assert _seen(again) == before
    # the compact layout: numbers for entities, 8 bytes per article id, no rowid for parts
    assert {type(r[0]) for r in db.execute("SELECT article FROM entity_mentions")} == {bytes}
    assert {type(r[0]) for r in db.execute("SELECT entity FROM entity_parts")} == {int}
    assert not db.execute(
        "SELECT 1 FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_entity_parts%'"
    ).fetchone()
    again.close()


def test_entity_rows_stored_as_json_migrate_and_read_the_same(tmp_path: Path) -> None:
    """Schema 27: an entity row's data is one MessagePack array; rows of schema 26 (JSON
    objects) are rewritten by the migration, and lists, pages and lookups read the same."""
    import json

    path = tmp_path / "x.db"
    app = Lagebild(path)
    app.ingest([DEMO / "elbe-zeitung", DEMO / "morning-ledger", DEMO / "tagesblatt-nord"])
    before = _seen(app)
    names = [r.entity.name for r in index.rows(app)[:8]]
    pages = [app.entity(n) for n in names]
    packed = app.store.db.execute("SELECT SUM(LENGTH(data)) FROM entity_index").fetchone()[0]
    assert any(len(r.entity.variants) > 1 for r in index.rows(app))
    app.close()
    db = sqlite3.connect(path)
    with db:
        for n, data in db.execute("SELECT n, data FROM entity_index").fetchall():
            variants, outlets, unknown = index.unpack_data(data)
            old = {"variants": variants, "outlets": outlets, "unknown_outlet": unknown}
            db.execute(
                "UPDATE entity_index SET data=? WHERE n=?",
                (json.dumps(old, ensure_ascii=False), n),
            )
        as_json = db.execute("SELECT SUM(LENGTH(data)) FROM entity_index").fetchone()[0]
        db.execute("PRAGMA user_version=26")
    db.close()
    assert packed < 0.6 * as_json
    again = Lagebild(path)
    kinds = {r[0] for r in again.store.db.execute("SELECT typeof(data) FROM entity_index")}
    assert kinds == {"blob"}
    assert _seen(again) == before
    assert [again.entity(n) for n in names] == pages
    assert all(p is not None and p.row.entity.variants for p in pages)
    again.close()


def _parts(app: Lagebild) -> set[tuple[object, ...]]:
    db = app.store.db
    return {
        (index.article_of(s), e, d, a)
        for s, e, d, a in db.execute("SELECT story_id, entity, data, articles FROM entity_parts")
    }


def test_entity_parts_keyed_by_story_text_migrate_and_update_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schema 28: entity parts name their story by its 8 bytes; a store of schema 27 (story
    ids as text) is converted, reads the same and, given more articles, updates its
    entities as a store written by this schema does."""
    first = [DEMO / "elbe-zeitung", DEMO / "morning-ledger"]
    old, ref = Lagebild(tmp_path / "old.db"), Lagebild(tmp_path / "ref.db")
    for app in (old, ref):
        app.ingest(first)
    before, parts = _seen(old), _parts(old)
    assert {type(r[0]) for r in old.store.db.execute("SELECT story_id FROM entity_parts")} == {
        bytes
    }
    old.close()
    db = sqlite3.connect(tmp_path / "old.db")
    with db:
        db.execute("UPDATE entity_parts SET story_id = lower(hex(story_id))")
        db.execute("PRAGMA user_version=27")
    db.close()
    again = Lagebild(tmp_path / "old.db")
    assert {r[0] for r in again.store.db.execute("SELECT typeof(story_id) FROM entity_parts")} == {
        "blob"
    }
    assert _seen(again) == before and _parts(again) == parts
    # every story resolved again: its parts are found by the converted keys and taken out,
    # as in a store written by this schema
    for app in (again, ref):
        update.update(app, [r[0] for r in app.store.db.execute("SELECT id FROM stories")])
    assert _seen(again) == _seen(ref) and _parts(again) == _parts(ref)
    monkeypatch.setattr(index, "REBUILD_AT", 10**6)  # the update path, not a rebuild
    calls: list[int] = []
    real = update.update
    monkeypatch.setattr(update, "update", lambda app, dirty: calls.append(1) or real(app, dirty))
    for app in (again, ref):
        app.ingest([DEMO / "tagesblatt-nord"])
    assert len(calls) == 2
    assert _seen(again) == _seen(ref) and _parts(again) == _parts(ref)
    assert _parts(again) != parts  # the update changed parts
    again.close()
    ref.close()


def test_person_word_keys_of_one_kind_migrate_to_first_and_last_words(tmp_path: Path) -> None:
    """Schema 31: a person's name words are keyed as first ("f:") or last ("l:") words;
    a store that keyed both as "w:" gets the same keys as one written by this schema."""
    from lagebild.store.migrations import MIGRATIONS

    app = Lagebild(tmp_path / "k.db")
    app.ingest([DEMO / "elbe-zeitung", DEMO / "morning-ledger"])
    db = app.store.db
    keys = set(db.execute("SELECT key, entity FROM entity_keys").fetchall())
    kinds = {k[:2] for k, _ in keys}
    assert {"f:", "l:", "p:"} <= kinds and "w:" not in kinds
    assert any(k.startswith("l:=") for k, _ in keys)  # spellings too
    app.close()
    before = next(i for i, m in enumerate(MIGRATIONS) if "'l:' ||" in m)
    old = {("w:" + k[2:] if k[:2] in ("f:", "l:") else k, e) for k, e in keys}
    raw = sqlite3.connect(tmp_path / "k.db")
    with raw:
        raw.execute("DELETE FROM entity_keys")
        raw.executemany("INSERT INTO entity_keys (key, entity) VALUES (?,?)", sorted(old))
        raw.execute(f"PRAGMA user_version={before}")
    raw.close()
    again = Lagebild(tmp_path / "k.db")
    assert set(again.store.db.execute("SELECT key, entity FROM entity_keys").fetchall()) == keys
    again.close()


def test_one_word_keys_of_persons_named_in_full_go_in_migration(tmp_path: Path) -> None:
    """Schema 45: a person named in full is not found by the keys of its one-word forms; a
    store that had them as keys of their own (before 45), or kept apart as "o:" keys (45's
    first version; 50 drops those), gets the keys a store written by this schema has, the
    others kept."""
    from lagebild.entities.update import Tally, entity_keys, one_word_keys

    app = Lagebild(tmp_path / "k.db")
    app.ingest([DEMO])
    db = app.store.db
    keys = {(k, n) for k, n in db.execute("SELECT key, entity FROM entity_keys")}
    extra = set()
    for n, data in db.execute("SELECT entity, data FROM entity_tally"):
        t = Tally.decode(data)
        extra |= {(k, n) for k in one_word_keys(t) - entity_keys(t)}
    assert len(extra) > 3 and not extra & keys
    app.close()
    for version, old in ((44, keys | extra), (49, keys | {("o:" + k, n) for k, n in extra})):
        raw = sqlite3.connect(tmp_path / "k.db")
        with raw:
            raw.execute("DELETE FROM entity_keys")
            raw.executemany("INSERT INTO entity_keys (key, entity) VALUES (?,?)", sorted(old))
            raw.execute(f"PRAGMA user_version={version}")
        raw.close()
        again = Lagebild(tmp_path / "k.db")
        found = {(k, n) for k, n in again.store.db.execute("SELECT key, entity FROM entity_keys")}
        assert found == keys, version
        again.close()


def test_mention_sources_kept_as_codes_migrate_and_read_the_same(tmp_path: Path) -> None:
    """Schema 52: a mention's source is kept as its place in ``index.SOURCES``; a store that
    kept the words gets the same rows (row numbers: the mentions' order) and reads the same
    mentions, words and all."""
    app = Lagebild(tmp_path / "m.db")
    app.ingest([DEMO])
    db = app.store.db
    query = (
        'SELECT rowid, entity, article, start, "end", text, source, caption FROM entity_mentions'
    )
    rows = [tuple(r) for r in db.execute(query + " ORDER BY rowid")]
    assert {type(r[6]) for r in rows} == {int} and {0, 1} <= {r[6] for r in rows}
    ids = [r[0] for r in db.execute("SELECT id FROM entity_index ORDER BY rank LIMIT 20")]
    before = {e: index.mentions(app, e) for e in ids}
    assert {"ner", "rule"} <= {m.source for ms in before.values() for m in ms}
    app.close()
    raw = sqlite3.connect(tmp_path / "m.db")
    with raw:
        raw.execute("DROP TABLE entity_mentions")
        raw.execute(
            "CREATE TABLE entity_mentions (entity INTEGER NOT NULL, article BLOB NOT NULL,"
            ' start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,'
            " source TEXT NOT NULL, caption INTEGER)"
        )
        raw.executemany(
            'INSERT INTO entity_mentions (rowid, entity, article, start, "end", text, source,'
            " caption) VALUES (?,?,?,?,?,?,?,?)",
            [(*r[:6], index.SOURCES[r[6]], r[7]) for r in rows],
        )
        raw.execute("PRAGMA user_version=51")
    raw.close()
    again = Lagebild(tmp_path / "m.db")
    assert [tuple(r) for r in again.store.db.execute(query + " ORDER BY rowid")] == rows
    assert {e: index.mentions(again, e) for e in ids} == before
    again.close()


MENTIONS = 'SELECT rowid, entity, article, start, "end", text, source, caption FROM entity_mentions'


def test_mentions_keyed_by_entity_and_row_number_migrate_and_update_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schema 55: mentions are keyed by (entity, rowid), the ``rowid`` column holding the row
    number each had: no table of row numbers and no index by entity beside it. A store of
    schema 54 gets the same rows and reads the same, and an update numbers its new mentions
    after the last one, as in a store written by this schema."""
    first = [DEMO / "elbe-zeitung", DEMO / "morning-ledger"]
    old, ref = Lagebild(tmp_path / "old.db"), Lagebild(tmp_path / "ref.db")
    for app in (old, ref):
        app.ingest(first)
    before = _seen(old)
    rows = [tuple(r) for r in old.store.db.execute(MENTIONS + " ORDER BY rowid")]
    assert len(rows) > 20 and [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert old.store.get_state(update.ROWID_KEY) == len(rows)
    old.close()
    raw = sqlite3.connect(tmp_path / "old.db")
    with raw:  # the table as migration 52 made it
        raw.execute("DROP TABLE entity_mentions")
        raw.executescript(
            "CREATE TABLE entity_mentions (entity INTEGER NOT NULL, article BLOB NOT NULL,"
            ' start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,'
            " source INTEGER NOT NULL, caption INTEGER);"
            " CREATE INDEX entity_mentions_entity ON entity_mentions (entity);"
            " CREATE INDEX entity_mentions_article_entity ON entity_mentions (article, entity);"
        )
        raw.executemany(  # last first: the row numbers, not the order of writing, count
            'INSERT INTO entity_mentions (rowid, entity, article, start, "end", text, source,'
            " caption) VALUES (?,?,?,?,?,?,?,?)",
            reversed(rows),
        )
        raw.execute("DELETE FROM state WHERE key=?", (update.ROWID_KEY,))
        raw.execute("PRAGMA user_version=54")
    raw.close()
    again = Lagebild(tmp_path / "old.db")
    db = again.store.db
    assert [tuple(r) for r in db.execute(MENTIONS + " ORDER BY rowid")] == rows
    assert again.store.get_state(update.ROWID_KEY) == len(rows)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "entity_mentions_entity" not in indexes
    assert "entity_mentions_article_entity" in indexes
    assert (
        "WITHOUT ROWID"
        in db.execute("SELECT sql FROM sqlite_master WHERE name = 'entity_mentions'").fetchone()[0]
    )
    assert _seen(again) == before
    monkeypatch.setattr(index, "REBUILD_AT", 10**6)  # the update path, not a rebuild
    for app in (again, ref):
        app.ingest([DEMO / "tagesblatt-nord"])
    assert _seen(again) == _seen(ref)
    after = [tuple(r) for r in db.execute(MENTIONS + " ORDER BY rowid")]
    assert after == [tuple(r) for r in ref.store.db.execute(MENTIONS + " ORDER BY rowid")]
    assert len(after) > len(rows) and max(r[0] for r in after) > len(rows)
    assert again.store.get_state(update.ROWID_KEY) == max(r[0] for r in after)
    again.close()
    ref.close()


def test_an_entity_merged_into_another_reads_its_mentions_in_the_order_written(
    tmp_path: Path,
) -> None:
    """Mention numbers go on across updates (``ROWID_KEY``), so an entity that takes in
    another reads their mentions as they were written, interleaved, not one after the
    other, and no two of its mentions share a number."""
    app = Lagebild(tmp_path / "w.db")
    app.ingest([DEMO / "elbe-zeitung"])
    a, b = (r.entity.id for r in index.rows(app, doubtful=True)[:2])
    art = next(iter(app.store.articles())).id
    written = []
    with app.store.transaction():
        for i in range(4):  # each by a writer of its own, as successive updates
            eid = (a, b)[i % 2]
            m = Mention(art, 1000 + i, 1001 + i, f"<{i}>", "PER", eid)
            update._Writer(app).put_mentions([(eid, [m])])
            written.append(m.text)
        w = update._Writer(app)
        w.full(a).add(w.full(b))
        w.rename(b, a)
    assert [m.text for m in index.mentions(app, a) if m.text in written] == written
    numbers = [r[0] for r in app.store.db.execute("SELECT rowid FROM entity_mentions")]
    assert len(numbers) == len(set(numbers))
    app.close()
