"""The SQLite store: idempotent ingest, search, analyses, stories, schema versions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from lagebild.errors import NotFound, StoreError
from lagebild.model import Article, Doc, Sentence, Story, TimeExpr, article_id
from lagebild.store import Store
from lagebild.store.sqlite import SCHEMA_VERSION

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _art(title: str, text: str) -> Article:
    return Article(
        id=article_id(title, text), title=title, text=text, source=f"{title}.txt", format="text"
    )


def test_same_article_twice_is_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    a, b = (
        _art("Eins", "Wostotschny liegt im Osten."),
        _art("Zwei", "Anderer Text über Wladiwostok."),
    )
    first = store.add_articles([a, b, a])
    assert first.added == (a.id, b.id) and first.duplicates == (a.id,)
    second = store.add_articles([a, b])
    assert second.added == () and second.duplicates == (a.id, b.id)
    assert store.count() == 2 and store.check() == []


def test_search_and_prefix_lookup(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    a, b = (
        _art("Eins", "Wostotschny liegt im Osten."),
        _art("Zwei", "Anderer Text über Wladiwostok."),
    )
    store.add_articles([a, b])
    assert [x.id for x, _ in store.search("Wostotschny")] == [a.id]
    assert [x.id for x, _ in store.search("Wladi*")] == [b.id]
    assert store.article(a.id[:6]).title == "Eins"
    with pytest.raises(NotFound, match="no article"):
        store.article("zzzz")
    with pytest.raises(NotFound, match="no story"):
        store.story("zzzz")
    with pytest.raises(StoreError, match="bad search query") as refused:
        store.search("NOT")
    assert not isinstance(refused.value, NotFound)


def test_docs_and_stories_roundtrip(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    a = _art("Eins", "Am Dienstag kam er an.")
    store.add_articles([a])
    doc = Doc(
        article=a,
        sentences=(Sentence(0, 22, a.text),),
        times=(TimeExpr(a.id, 0, 11, "Am Dienstag", "DATE", "2023-09-12"),),
        stages=("text@1", "time@1"),
    )
    store.put_docs([doc])
    assert store.doc(a.id, ("text@1", "time@1")) == doc
    assert store.doc(a.id, ("text@2",)) is None
    story = Story(id="s1", article_ids=(a.id,), title="Eins")
    store.put_stories([story])
    assert store.story("s1") == story and store.story_of(a.id) == story


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == SCHEMA_VERSION


def test_a_file_that_is_no_lagebild_database_is_refused_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 100)
    with pytest.raises(StoreError, match="not a lagebild database"):
        Store(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE invoices (id INTEGER)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Store(other)
    assert other.read_bytes() == before and text.read_text().startswith("not a database")
    Store(tmp_path / "fresh.db").close()  # an empty or new file is fine
    Store(tmp_path / "fresh.db").close()  # and so is our own, opened again


def test_the_same_input_read_with_other_rules_is_a_duplicate(tmp_path: Path) -> None:
    import dataclasses

    store = Store(tmp_path / "x.db")
    raw = "Eins\n\nWostotschny liegt im Osten. Mehr Text.\n\nKommentare"
    old = dataclasses.replace(_art("Eins", "Wostotschny liegt im Osten. Mehr Text."), raw=raw)
    new = dataclasses.replace(_art("Eins", "Wostotschny liegt im Osten."), raw=raw)  # new rules
    assert old.id != new.id
    assert store.add_articles([old]).added == (old.id,)
    assert store.add_articles([new]).duplicates == (new.id,) and store.count() == 1
    moved = dataclasses.replace(new, source="elsewhere/Eins.txt")  # another input, same words
    assert store.add_articles([moved]).added == (moved.id,)


def test_articles_stored_before_input_keys_get_theirs(tmp_path: Path) -> None:
    import dataclasses
    import json

    from lagebild.model import to_dict
    from lagebild.store.migrations import MIGRATIONS

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0])
    raw = "Eins\n\nText"
    art = dataclasses.replace(_art("Eins", "Text"), raw=raw)
    con.execute(
        "INSERT INTO articles (id, seq, title, text, source, format, ingested_at, data)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (art.id, 1, art.title, art.text, art.source, art.format, "now", json.dumps(to_dict(art))),
    )
    con.execute("PRAGMA user_version=1")
    con.commit()
    con.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    again = dataclasses.replace(_art("Eins", "Text, anders gereinigt"), raw=raw)
    assert store.add_articles([again]).duplicates == (again.id,)


def _plans(store: Store, statements: list[str]) -> list[str]:
    """The query plans of the SELECTs traced from ``store``."""
    return [
        " ".join(str(tuple(r)) for r in store.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]


def test_id_lookups_use_the_index_and_take_the_typed_id_literally(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    arts = [_art(f"Titel {n}", f"Text Nummer {n}.") for n in range(30)]
    store.add_articles(arts)
    stories = [Story(id="s1", article_ids=(arts[0].id,), title="A"), Story("s10", (), "B")]
    store.put_stories(stories)
    traced: list[str] = []
    store.db.set_trace_callback(traced.append)
    assert store.article(arts[3].id[:8]).id == arts[3].id
    assert store.article(f"  {arts[4].id} ").id == arts[4].id
    assert store.story("s1").title == "A"  # an exact id wins over the longer ids it starts
    assert store.story_of(arts[0].id) == stories[0]
    assert store.doc(arts[5].id) is None
    for wildcard in ("%", "_", arts[6].id[:3] + "%"):
        with pytest.raises(NotFound):
            store.article(wildcard)
    with pytest.raises(StoreError, match="ambiguous"):
        store.story("s")
    store.db.set_trace_callback(None)
    plans = _plans(store, traced)
    assert plans and not [p for p in plans if "SCAN" in p], plans


def test_analysed_tells_current_analyses_without_reading_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    a, b, c = (_art(t, f"{t} kam am Dienstag an.") for t in ("Eins", "Zwei", "Drei"))
    store.add_articles([a, b, c])
    store.put_docs([Doc(article=a, stages=("text@1",)), Doc(article=b, stages=("text@2",))])
    assert store.analysed([a.id, b.id, c.id], ("text@1",)) == {a.id}


def test_analyses_name_their_stage_list_by_number_and_older_rows_read_the_same(
    tmp_path: Path,
) -> None:
    """Schema 57: ``docs.stages`` holds the number of its stage list (``stage_sets``, each
    list once); a table of schema 56 (the list in every row) is written anew with the same
    row numbers and triggers and answers alike: which analyses are current, which are
    stale, the last one's stages, the dossier and card keys (hashed from the list)."""
    from lagebild.store.dossiers import version_key
    from lagebild.store.listing import card_key

    path = tmp_path / "x.db"
    store = Store(path)
    arts = [_art(t, f"{t} kam am Dienstag an.") for t in ("Eins", "Zwei", "Drei", "Vier")]
    store.add_articles(arts)
    one, two = ("text@1", "time@2"), ("text@2", "time@2")
    store.put_docs([Doc(article=a, stages=one) for a in arts[:3]])
    store.put_docs([Doc(article=arts[1], stages=two)])
    story = Story(id="s1", title="Eins", article_ids=[a.id for a in arts[:3]])
    store.put_stories([story])
    ids = [a.id for a in arts]

    def seen(st: Store) -> tuple[object, ...]:
        return (
            st.analysed(ids, one),
            st.analysed(ids, two),
            st.analysed(ids, ("text@3",)),
            st.stale(one),
            st.stale(two),
            st.latest_stages(),
            [st.doc(i, one) is not None for i in ids],
            version_key(st, "s1"),
            card_key(st.db, story),
            st.db.execute("SELECT rowid, article_id, data FROM docs ORDER BY rowid").fetchall(),
            st.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'docs' ORDER BY name"
            ).fetchall(),
        )

    before = seen(store)
    assert before[:6] == (
        {arts[0].id, arts[2].id},
        {arts[1].id},
        set(),
        [arts[1].id],
        [arts[0].id, arts[2].id],
        two,
    )
    assert [tuple(r) for r in store.db.execute("SELECT stages FROM docs ORDER BY rowid")] == [
        (1,),
        (1,),
        (2,),
    ]
    assert store.db.execute("SELECT count(*) FROM stage_sets").fetchone()[0] == 2
    store.close()
    raw = sqlite3.connect(path)
    with raw:  # docs as schema 56 kept them: the list in every row
        _docs_with_stage_lists(raw, "DELETE FROM stage_sets;", 56)
    assert raw.execute("SELECT count(*) FROM docs WHERE typeof(stages) = 'text'").fetchone()[0]
    raw.close()
    for _ in range(2):  # migrated, then the migration run again on the new form
        again = Store(path)
        assert seen(again) == before
        kinds = {r[0] for r in again.db.execute("SELECT typeof(stages) FROM docs")}
        assert kinds == {"integer"}
        assert again.db.execute("SELECT count(*) FROM stage_sets").fetchone()[0] == 2
        assert again.check() == []
        again.db.execute("PRAGMA user_version=56")
        again.close()


def _docs_with_stage_lists(raw: sqlite3.Connection, then: str, version: int) -> None:
    """Rewind ``docs`` to the form before schema 57 (each row's stage list as text, its
    triggers made again), run ``then`` and set the schema ``version``."""
    triggers = raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'docs'"
    ).fetchall()
    raw.executescript(
        "CREATE TABLE old (article_id TEXT PRIMARY KEY REFERENCES articles (id),"
        " stages TEXT NOT NULL, data TEXT NOT NULL);"
        " INSERT INTO old (rowid, article_id, stages, data) SELECT d.rowid, d.article_id,"
        " s.stages, d.data FROM docs d JOIN stage_sets s ON s.id = d.stages;"
        f" DROP TABLE docs; {then} ALTER TABLE old RENAME TO docs;"
    )
    for (sql,) in triggers:
        raw.execute(sql)
    raw.execute(f"PRAGMA user_version={version}")


def test_a_store_from_before_schema_39_stamps_its_cards_from_text_stage_lists(
    tmp_path: Path,
) -> None:
    """Migration 39 stamps every story row with its ``card_key``, which reads each analysis's
    stage list; in a store that old, ``docs.stages`` holds the list itself and there is no
    ``stage_sets`` (schema 57) yet: the upgrade runs through and stamps the keys the current
    code makes (so the next ingest keeps those cards)."""
    from lagebild.app import Lagebild
    from lagebild.store.listing import card_key

    path = tmp_path / "x.db"
    app = Lagebild(path)
    app.ingest([DEMO / "elbe-zeitung", DEMO / "morning-ledger"])
    stories = app.store.stories()
    keys = {st.id: card_key(app.store.db, st, "salt") for st in stories}
    stamped = dict(app.store.db.execute("SELECT story_id, card FROM story_index").fetchall())
    assert len(stories) > 2 and all(stamped.values())
    app.close()
    raw = sqlite3.connect(path)
    with raw:  # docs and story rows as schema 38 kept them
        _docs_with_stage_lists(
            raw, "DROP TABLE stage_sets; UPDATE story_index SET card = NULL;", 38
        )
    raw.close()
    again = Store(path)
    assert dict(again.db.execute("SELECT story_id, card FROM story_index").fetchall()) == stamped
    assert {st.id: card_key(again.db, st, "salt") for st in again.stories()} == keys
    assert {r[0] for r in again.db.execute("SELECT typeof(stages) FROM docs")} == {"integer"}
    again.close()


def test_story_articles_keyed_without_row_numbers_migrate_with_their_triggers(
    tmp_path: Path,
) -> None:
    """Schema 60: ``story_articles`` is one B-tree by (story, article) (WITHOUT ROWID); a
    table of schema 59 is copied into it with its index and every trigger that names it
    (its own and those on docs and articles), and still cascades a deleted story."""
    path = tmp_path / "x.db"
    store = Store(path)
    arts = [_art(t, f"{t} kam am Dienstag an.") for t in ("Eins", "Zwei", "Drei")]
    store.add_articles(arts)
    stories = [
        Story(id="s1", title="Eins", article_ids=[arts[0].id, arts[1].id]),
        Story(id="s2", title="Drei", article_ids=[arts[2].id]),
    ]
    store.put_stories(stories)
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql LIKE '%story_articles%'"
    members = "SELECT story_id, article_id FROM story_articles ORDER BY 1, 2"
    before = sorted(tuple(r) for r in store.db.execute(schema))
    rows = [tuple(r) for r in store.db.execute(members)]
    assert len(rows) == 3 and any(r[0] == "trigger" and r[2] == "docs" for r in before)
    assert "WITHOUT ROWID" in next(r[3] for r in before if r[1] == "story_articles")
    store.close()
    raw = sqlite3.connect(path)
    with raw:  # as schema 59 kept it: a table of row numbers and the index of its key
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND sql LIKE '%story_articles%'"
        ).fetchall()
        for name, _ in triggers:
            raw.execute(f'DROP TRIGGER "{name}"')
        raw.executescript(
            "CREATE TABLE old (story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
            " article_id TEXT NOT NULL REFERENCES articles (id),"
            " PRIMARY KEY (story_id, article_id));"
            " INSERT INTO old SELECT * FROM story_articles; DROP TABLE story_articles;"
            " ALTER TABLE old RENAME TO story_articles;"
            " CREATE INDEX story_articles_article ON story_articles (article_id);"
        )
        for _, sql in triggers:
            raw.execute(sql)
        raw.execute("PRAGMA user_version=59")
    assert raw.execute("SELECT count(*) FROM story_articles WHERE rowid > 0").fetchone()[0] == 3
    raw.close()
    for _ in range(2):  # migrated, then the migration run again on the new form
        again = Store(path)
        assert sorted(tuple(r) for r in again.db.execute(schema)) == before
        assert [tuple(r) for r in again.db.execute(members)] == rows
        assert again.story_of(arts[1].id).id == "s1"  # type: ignore[union-attr]
        assert again.check() == []
        again.db.execute("PRAGMA user_version=59")
        again.close()
    again = Store(path)
    with again.transaction():
        again.db.execute("DELETE FROM stories WHERE id = 's1'")
    assert [tuple(r) for r in again.db.execute(members)] == [("s2", arts[2].id)]
    again.close()


def test_a_large_stage_state_is_stored_compressed_and_reads_back_equal(tmp_path: Path) -> None:
    """The story index's state (~5 MB of JSON per 1,000 articles) is kept zlib-compressed;
    small states stay readable JSON text, and a state stored as text before still reads."""
    store = Store(tmp_path / "x.db")
    big = {"df": {f"wort{i}": i for i in range(5000)}, "seen": [f"{i:016x}" for i in range(2000)]}
    store.put_state("big", big)
    store.put_state("small", {"n": 1})
    raw = dict(store.db.execute("SELECT key, value FROM state WHERE key IN ('big', 'small')"))
    assert isinstance(raw["big"], bytes) and len(raw["big"]) < len(json.dumps(big)) / 3
    assert isinstance(raw["small"], str) and json.loads(raw["small"]) == {"n": 1}
    assert store.get_state("big") == big and store.get_state("small") == {"n": 1}
    store.db.execute("UPDATE state SET value=? WHERE key='big'", (json.dumps(big),))
    assert store.get_state("big") == big


def test_a_stage_state_reads_back_exactly_and_reads_what_json_dumps_wrote(tmp_path: Path) -> None:
    """Floats come back bit for bit (a story index resumed must score as the one that ran
    on), non-ASCII words as they were; states that ``json.dumps`` wrote before, NaN
    included, still read."""
    store = Store(tmp_path / "x.db")
    value = {"centroid": {"straße": 0.1 + 0.2, "köln": 1e-300, "x": 2.0 / 3.0}, "clock": 738000}
    store.put_state("index", value)
    back = store.get_state("index")
    assert back == value and all(
        back["centroid"][k].hex() == v.hex() for k, v in value["centroid"].items()
    )
    old = {"p": float("nan"), "w": "Grüße"}
    store.db.execute("UPDATE state SET value=? WHERE key='index'", (json.dumps(old),))
    got = store.get_state("index")
    assert got["w"] == "Grüße" and got["p"] != got["p"]  # NaN


def test_a_stage_state_read_back_holds_each_distinct_key_once(tmp_path: Path) -> None:
    """The story index keeps its terms as keys of thousands of dicts (centroids, members,
    document frequencies): read back, one term is one str object, not one per dict."""
    store = Store(tmp_path / "x.db")
    words = [f"wort{i}" for i in range(3000)]
    store.put_state("index", {"a": dict.fromkeys(words, 1.0), "b": dict.fromkeys(words[::-1], 2.0)})
    back = store.get_state("index")
    first = {k: k for k in back["a"]}
    assert all(first[k] is k for k in back["b"])


def test_unanalysed_lists_the_articles_without_analysis_in_ingest_order(tmp_path: Path) -> None:
    """Found from the newest back, as many as the counts say: an old article left without
    analysis (an interrupted run long ago) is found too."""
    store = Store(tmp_path / "x.db")
    arts = [
        Article(id=f"{i:016x}", title=f"T{i}", text=f"Text {i}.", source=f"{i}.txt", format="text")
        for i in range(12)
    ]
    store.add_articles(arts)
    assert store.unanalysed() == [a.id for a in arts]
    done = [a for i, a in enumerate(arts) if i not in (1, 7, 10)]
    store.put_docs([Doc(article=a, stages=("text@1",)) for a in done])
    every = store.db.execute(
        "SELECT id FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM docs d WHERE d.article_id = a.id) ORDER BY seq"
    ).fetchall()
    assert store.unanalysed() == [arts[1].id, arts[7].id, arts[10].id] == [r[0] for r in every]
    store.put_docs([Doc(article=a, stages=("text@1",)) for a in arts if a not in done])
    assert store.unanalysed() == []
    store.close()


def test_input_keys_are_stored_as_16_bytes_and_hex_keys_are_converted(tmp_path: Path) -> None:
    """An input key is 16 bytes (half the 32 hex digits stored before schema 47); the
    migration converts stored hex keys, so an input read before is still found as read."""
    import dataclasses

    from lagebild.store.migrations import MIGRATIONS
    from lagebild.store.sqlite import input_key

    path = tmp_path / "k.db"
    arts = [dataclasses.replace(_art(f"T{i}", f"Text {i}"), raw=f"raw {i}") for i in range(3)]
    with Store(path) as store:
        store.add_articles(arts)
        keys = store.db.execute("SELECT input_key FROM articles ORDER BY seq").fetchall()
    assert [k[0] for k in keys] == [input_key(a.source, a.raw) for a in arts]
    assert all(isinstance(k[0], bytes) and len(k[0]) == 16 for k in keys)
    number = next(i for i, sql in enumerate(MIGRATIONS) if "_input_keys_as_bytes" in sql)
    con = sqlite3.connect(path)
    with con:  # the keys as the schema before stored them
        con.execute("UPDATE articles SET input_key=lower(hex(input_key))")
        con.execute(f"PRAGMA user_version={number}")
    con.close()
    with Store(path) as store:
        after = store.db.execute("SELECT input_key FROM articles ORDER BY seq").fetchall()
        assert [k[0] for k in after] == [k[0] for k in keys]
        again = dataclasses.replace(_art("T1", "Text 1, anders gereinigt"), raw="raw 1")
        assert store.add_articles([again]).duplicates == (again.id,)
        assert store.check() == []
