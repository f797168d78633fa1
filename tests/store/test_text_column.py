"""Article texts stored compressed with a contentless search index (schema 20): a database
of schema 19 (plain texts, an index over the articles table kept by triggers) migrates
without losing or changing an article, an analysis or a search answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import lagebild.store.sqlite as store_module
from lagebild.ingest import read_file
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.store import Store
from lagebild.store.codec import decode_text
from lagebild.store.migrations import MIGRATIONS
from lagebild.store.search import search

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
QUERIES = (
    "Altmühlbrück",
    "Altmuhlbruck",
    "Streik",
    '"am Mittwoch"',
    "Altmühlbrück -Flut",
    "Nordw*",
    "the",
)


def _schema_19(path: Path) -> None:
    """Rewrite a current database as schema 19 kept it: texts plain, the search index of
    migration 9 (external content over ``articles``, filled by triggers)."""
    db = sqlite3.connect(path)
    with db:
        for seq, text in db.execute("SELECT seq, text FROM articles").fetchall():
            db.execute("UPDATE articles SET text=? WHERE seq=?", (decode_text(text), seq))
        db.execute("DROP TABLE articles_search")
    db.executescript(MIGRATIONS[8])
    db.execute("PRAGMA user_version=19")
    db.commit()
    db.close()


def _answers(store: Store) -> dict[tuple[str, str], tuple[int, list[tuple[str, str]]]]:
    out = {}
    for query in QUERIES:
        for sort in ("relevance", "latest"):
            page = search(store, query, limit=50, sort=sort)
            out[query, sort] = (
                page.total,
                [(h.article.id, h.snippet.bracketed()) for h in page.hits],
            )
    return out


def _triggers(path: Path) -> set[tuple[str, str]]:
    db = sqlite3.connect(path)
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'").fetchall()
    db.close()
    return {(name, sql) for name, sql in rows if not name.startswith("articles_search")}


@pytest.fixture(scope="module")
def analysed() -> list:
    """Real analyses of demo articles from three outlets."""
    pipe = Pipeline()
    docs = []
    for outlet in ("rheinischer-kurier", "elbe-zeitung", "tagesblatt-nord", "morning-ledger"):
        for path in sorted((DEMO / outlet).iterdir())[:2]:
            for art in read_file(path, pipe.config):  # text dumps and HTML pages
                assert isinstance(art, Article)
                docs.append(pipe(art))
    assert len(docs) == 8
    return docs


def test_a_schema_19_database_migrates_with_every_text_analysis_and_answer(
    tmp_path: Path, analysed: list
) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.add_articles(d.article for d in analysed)
        store.put_docs(analysed)
        expected = _answers(store)
    triggers = _triggers(path)
    _schema_19(path)
    plain = sqlite3.connect(path)
    assert {r[0] for r in plain.execute("SELECT typeof(text) FROM articles")} == {"text"}
    plain.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert list(store.articles()) == [d.article for d in analysed]
        for doc in analysed:
            assert store.doc(doc.id, doc.stages) == doc
        assert _answers(store) == expected
        assert all(total for total, _ in expected.values()), expected
        assert store.check() == []
        kinds = {r[0] for r in store.db.execute("SELECT typeof(text) FROM articles")}
        assert kinds == {"blob"}
        stored = store.db.execute("SELECT SUM(LENGTH(text)) FROM articles").fetchone()[0]
        assert stored < 0.7 * sum(len(d.article.text.encode()) for d in analysed)
    # the other triggers on the articles (the dossier cache's) are back as they were
    assert _triggers(path) == triggers


def test_the_index_follows_new_and_replaced_articles_without_the_texts(
    tmp_path: Path, analysed: list
) -> None:
    store = Store(tmp_path / "x.db")
    first, second = analysed[0].article, analysed[1].article
    store.add_articles([first])
    word = first.title.split()[0].strip(":")
    assert [a.id for a, _ in store.search(word)] == [first.id]
    store.replace_article(first, second)
    assert first.id not in [a.id for a, _ in store.search(word)]
    assert store.article(second.id) == second
    assert store.check() == []
    # the search index holds no copy of a text
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert "articles_search_content" not in names
    store.close()


def test_a_migration_that_fails_halfway_leaves_schema_19_untouched(
    tmp_path: Path, analysed: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.add_articles(d.article for d in analysed)
    _schema_19(path)

    def fail_after_converting(store: Store) -> None:
        store._compress_texts()
        raise RuntimeError("power cut")

    monkeypatch.setitem(store_module.MIGRATION_STEPS, 20, fail_after_converting)
    with pytest.raises(RuntimeError, match="power cut"):
        Store(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 19
    assert {r[0] for r in raw.execute("SELECT typeof(text) FROM articles")} == {"text"}
    assert raw.execute("SELECT COUNT(*) FROM articles_search").fetchone()[0] == len(analysed)
    raw.close()
    monkeypatch.undo()
    with Store(path) as store:
        assert list(store.articles()) == [d.article for d in analysed]
        assert store.check() == []


def test_json_story_records_are_rewritten_compact_and_nothing_is_marked_stale(
    tmp_path: Path, analysed: list
) -> None:
    """Schema 21: story records in ``codec.encode_story``'s form; a database whose stories
    are JSON (as schema 20 wrote them) migrates with every story equal, smaller rows, and
    no story marked for the list, the entities or the dossier cache again."""
    import json

    from lagebild.model import Story, to_dict

    path = tmp_path / "old.db"
    arts = [d.article for d in analysed]
    stories = [
        Story("a" * 16, tuple(a.id for a in arts[:3]), "Hochwasser", ((arts[1].id, arts[0].id),),
              first=arts[0].published, last=arts[2].published, outlets=("Rheinischer Kurier",),
              languages=("de",), merged_ids=("b" * 16,), first_precision="month"),
        Story("c" * 16, (arts[3].id,), "Streik", dormant=True),
    ]  # fmt: skip
    with Store(path) as store:
        store.add_articles(arts)
        store.put_stories(stories)
        compact = store.db.execute("SELECT SUM(LENGTH(data)) FROM stories").fetchone()[0]
    db = sqlite3.connect(path)
    with db:
        for st in stories:
            data = json.dumps(to_dict(st), ensure_ascii=False)
            db.execute("UPDATE stories SET data=? WHERE id=?", (data, st.id))
        as_json = db.execute("SELECT SUM(LENGTH(data)) FROM stories").fetchone()[0]
        for table in ("story_dirty", "entity_dirty", "dossier_cache"):
            db.execute(f"DELETE FROM {table}")
        db.execute(
            "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
            " VALUES (?, 'html', 'k', x'00', 1, 'now')",
            (stories[0].id,),
        )
        db.execute("PRAGMA user_version=20")
    db.close()
    assert compact < 0.7 * as_json
    triggers = _triggers(path)
    with Store(path) as store:
        assert sorted(store.stories(), key=lambda s: s.id) == stories
        assert store.story("c" * 16) == stories[1] and store.story_of(arts[1].id) == stories[0]
        kinds = {r[0] for r in store.db.execute("SELECT typeof(data) FROM stories")}
        assert kinds == {"blob"}
        for table in ("story_dirty", "entity_dirty"):
            assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM dossier_cache").fetchone()[0] == 1
    assert _triggers(path) == triggers


def test_story_records_leave_their_dates_to_the_columns(tmp_path: Path, analysed: list) -> None:
    """Schema 35: a story record holds no first/last date (its row's columns do); a database
    whose records hold them (as schema 34 wrote them) migrates with every story equal,
    smaller rows, and nothing marked for the list, the entities or the dossier cache."""
    import msgspec

    from lagebild.model import Story
    from lagebild.store.codec import encode_record
    from lagebild.store.sqlite import MIGRATION_STEPS

    path = tmp_path / "old.db"
    arts = [d.article for d in analysed]
    dated = [a.published for a in arts if a.published is not None]
    stories = [
        Story("a" * 16, tuple(a.id for a in arts[:3]), "Hochwasser",
              first=arts[0].published, last=dated[-1], outlets=("Rheinischer Kurier",),
              first_precision="month"),
        Story("c" * 16, (arts[3].id,), "Streik", dormant=True),  # no dates
    ]  # fmt: skip
    assert stories[0].first is not None and stories[0].last is not None
    with Store(path) as store:
        store.add_articles(arts)
        store.put_stories(stories)
        records = [
            msgspec.msgpack.decode(r[0]) for r in store.db.execute("SELECT data FROM stories")
        ]
        assert all("first" not in r and "last" not in r for r in records)
        assert sorted(store.stories(), key=lambda s: s.id) == stories
        compact = store.db.execute("SELECT SUM(LENGTH(data)) FROM stories").fetchone()[0]
    number = next(k for k, f in MIGRATION_STEPS.items() if f is Store._stories_without_dates)
    db = sqlite3.connect(path)
    with db:  # the records as schema 34 wrote them: with their dates
        for st in stories:
            data = encode_record(st)
            data.pop("id"), data.pop("title")
            db.execute(
                "UPDATE stories SET data=? WHERE id=?", (msgspec.msgpack.encode(data), st.id)
            )
        before = db.execute("SELECT SUM(LENGTH(data)) FROM stories").fetchone()[0]
        for table in ("story_dirty", "entity_dirty", "dossier_cache"):
            db.execute(f"DELETE FROM {table}")
        db.execute(f"PRAGMA user_version={number - 1}")
    db.close()
    assert before > compact + 50  # two ISO dates
    with Store(path) as store:
        assert sorted(store.stories(), key=lambda s: s.id) == stories
        assert store.story("a" * 16) == stories[0] and store.story_of(arts[3].id) == stories[1]
        assert store.db.execute("SELECT SUM(LENGTH(data)) FROM stories").fetchone()[0] == compact
        for table in ("story_dirty", "entity_dirty"):
            assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
