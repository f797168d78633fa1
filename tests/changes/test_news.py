"""The change log: what each ingest brought a story, read back with `lagebild news`."""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.changes import track
from lagebild.changes.commands import parse_since
from lagebild.cli import main
from lagebild.errors import LagebildError


def _news(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["--db", str(db), "news", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_news_since_last_lists_the_story_its_new_articles_and_new_outlet(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    first = lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    (story,) = [s for s in lb.stories() if len(s.article_ids) == 2]
    lb.close()
    seen = _news(db, "--since-last")
    assert [n["story"]["id"] for n in seen] == [story.id] and seen[0]["new_story"]
    assert sorted(seen[0]["articles"]) == sorted(first.added)

    lb = Lagebild(db)
    second = lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND])])
    assert len(second.added) == 2
    assert lb.story_of(second.added[0]).id == story.id  # the story keeps its id
    lb.close()
    (news,) = _news(db, "--since-last")
    assert news["story"]["id"] == story.id and not news["new_story"]
    assert sorted(news["articles"]) == sorted(second.added)
    assert news["outlets"] == ["Radio Ilmwelle"]  # the Anzeiger was there before
    assert _news(db, "--since-last") == []  # seen now

    text = CliRunner().invoke(main, ["--db", str(db), "news", "--since", "1h"]).output
    assert "4 new articles" in text and "new outlet: Radio Ilmwelle" in text
    assert CliRunner().invoke(main, ["--db", str(db), "news"]).output == text  # default: 24h


def test_news_since_a_time_and_an_unrelated_story(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    mark = datetime.now(UTC)
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    later = lb.news(mark)
    assert len(later) == 1 and later[0].new_story
    assert {n.story.title for n in lb.news()} >= {later[0].story.title}
    assert lb.news(datetime.now(UTC) + timedelta(seconds=1)) == []


def test_a_merge_keeps_the_log_and_logs_no_article_twice(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    big, small = sorted(lb.stories(), key=lambda s: -len(s.article_ids))
    before = {c.item for c in lb.story_changes(big.id) + lb.story_changes(small.id)}
    merged = replace(big, article_ids=big.article_ids + small.article_ids,
                     outlets=tuple(dict.fromkeys(big.outlets + small.outlets)))  # fmt: skip
    lb.store.put_stories([merged], replace_all=True)  # as a merge by the stories stage would
    track(lb)
    log = lb.story_changes(big.id)
    assert {c.item for c in log} >= before  # the small story's changes moved along
    assert [c.item for c in log if c.kind == "merged"] == [small.id]
    assert sum(c.kind == "article" for c in log) == 3  # none logged twice


def test_a_corpus_from_before_the_log_is_taken_as_known(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.store.db.execute("DELETE FROM story_changes")
    lb.store.db.execute("DELETE FROM story_digests")
    lb.store.db.execute("DELETE FROM tracked_articles")
    lb.store.put_state("changes.baseline", True)
    assert track(lb) == 0 and lb.news() == []
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND)])
    (n,) = lb.news()
    assert len(n.of("article")) == 2 and not n.new_story


def test_parse_since() -> None:
    now = datetime(2024, 6, 4, 15, 30, tzinfo=UTC)
    assert parse_since("2d", now) == now - timedelta(days=2)
    assert parse_since("90m", now) == now - timedelta(minutes=90)
    assert parse_since("yesterday", now) == datetime(2024, 6, 3, tzinfo=UTC)
    assert parse_since("2024-06-01", now) == datetime(2024, 6, 1, tzinfo=UTC)
    assert parse_since("2024-06-01T10:00+02:00", now).hour == 10
    with pytest.raises(LagebildError, match="--since 'soon'"):
        parse_since("soon", now)


def test_the_dossier_shows_what_the_last_update_brought(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    (story,) = lb.stories()
    run = CliRunner().invoke
    assert "## Since" not in run(main, ["--db", str(db), "dossier", story.id]).output
    second = lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND)])
    md = run(main, ["--db", str(db), "dossier", story.id]).output
    assert "## Since " in md and "new outlet: Radio Ilmwelle" in md
    assert md.count("**new**") == 2  # the two new articles are marked in the list
    html = run(main, ["--db", str(db), "dossier", story.id, "--format", "html"]).output
    assert html.count('class="badge new"') == 2 and 'id="since"' in html
    data = json.loads(run(main, ["--db", str(db), "dossier", story.id, "--format", "json"]).output)
    assert {c["item"] for c in data["since"]["changes"] if c["kind"] == "article"} == set(
        second.added
    )
    everything = run(main, ["--db", str(db), "dossier", story.id, "--since", "2000-01-01"]).output
    assert everything.count("**new**") == 4


def test_articles_read_again_under_new_ids_are_not_news(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lagebild.model import article_id

    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    mark = datetime.now(UTC)

    def cleaner(old, config):  # newer rules that read every article a little differently
        text = old.text + "\n\nMehr in Kürze."
        return replace(old, id=article_id(old.title, text, old.url), text=text)

    monkeypatch.setattr("lagebild.ingest.reread.reread", cleaner)
    report = lb.reread()
    assert len(report.changed) == 2
    assert [c for n in lb.news(mark) for c in n.of("article")] == []


def test_the_web_story_page_and_api_show_what_is_new(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND)])
    (story,) = lb.stories()
    lb.close()
    run = CliRunner().invoke
    page = run(main, ["--db", str(db), "serve", "--get", f"/story/{story.id}"]).output
    assert 'id="since"' in page and page.count('class="badge new"') == 2
    news = json.loads(run(main, ["--db", str(db), "serve", "--get", "/api/news?since=1h"]).output)
    assert [n["story"]["id"] for n in news["stories"]] == [story.id]
    bad = run(main, ["--db", str(db), "serve", "--get", "/api/news?since=soon"])
    assert '"status": 400' in bad.output


def test_a_growing_story_is_compared_with_what_the_last_pass_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second growth of a story works out its facts, divergences and statements once
    (for all its articles), not again for the earlier ones; what it logs is the same."""
    tracking = importlib.import_module("lagebild.changes.track")
    calls: list[int] = []
    real = tracking._content
    monkeypatch.setattr(tracking, "_content", lambda docs: calls.append(len(docs)) or real(docs))
    logged = []
    for forget in (False, True):
        lb = Lagebild(tmp_path / f"{forget}.db")
        lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
        lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND[:1])])
        assert lb.store.db.execute("SELECT count(*) FROM story_content").fetchone()[0] == 1
        if forget:
            with lb.store.db:
                lb.store.db.execute("DELETE FROM story_content")
        calls.clear()
        lb.ingest([write_jsonl(tmp_path / "c.jsonl", SECOND[1:])])
        assert calls == ([4, 3] if forget else [4])  # all articles (and the earlier ones)
        last = lb.store.db.execute("SELECT max(pass) FROM story_changes").fetchone()[0]
        logged.append(
            lb.store.db.execute(
                "SELECT kind, item, detail FROM story_changes WHERE pass=? ORDER BY id", (last,)
            ).fetchall()
        )
        lb.close()
    remembered, worked_out = ([tuple(r) for r in rows] for rows in logged)
    assert remembered == worked_out and any(k == "f" for k, _, _ in remembered)  # a fact


def test_one_ingests_news_lists_the_biggest_change_first_and_the_table_is_limited(
    tmp_path: Path,
) -> None:
    from lagebild.changes import StoryNews
    from lagebild.changes import _newest_and_biggest as order
    from lagebild.changes.log import Change
    from lagebild.model import Story

    now = datetime(2024, 6, 4, 12, 0, 30, tzinfo=UTC)

    def story_news(sid: str, n_articles: int, last_id: int, at: datetime) -> StoryNews:
        changes = [Change(last_id - n_articles + k, sid, at, "article", f"{sid}{k}")
                   for k in range(1, n_articles + 1)]  # fmt: skip
        return StoryNews(Story(id=sid, article_ids=()), tuple(changes))

    big = story_news("big", 3, 10, now)
    small = story_news("small", 1, 11, now + timedelta(seconds=5))  # same ingest, logged later
    later = story_news("later", 1, 12, now + timedelta(hours=1))
    assert [n.story.id for n in sorted([small, big, later], key=order)] == ["later", "big", "small"]

    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", [*FIRST, OTHER])])
    lb.close()
    assert len(_news(db)) == 2  # JSON: every story unless --limit is given
    assert len(_news(db, "--limit", "1")) == 1
    text = CliRunner().invoke(main, ["--db", str(db), "news", "--limit", "1"]).output
    assert "2 stories changed" in text and "1 more story: --limit 0" in text
    assert "Hochwasser" in text and "Kornhausen" not in text  # the two-article story first


def test_a_new_article_is_one_line_even_when_its_title_is_a_paragraph() -> None:
    from datetime import UTC, datetime

    from lagebild.changes.describe import describe
    from lagebild.changes.log import Change

    lead = (
        "Mit einem historischen Handschlag haben die beiden Staatschefs ihr Treffen begonnen. "
        "Nach jahrzehntelangen Feindseligkeiten wollen beide Länder einen Neuanfang versuchen, "
        "und später sind noch Gespräche in größerer Runde und ein Arbeitsessen geplant."
    )
    at = datetime(2024, 1, 2, tzinfo=UTC)
    detail = {"outlet": "nordblatt.de", "published": "2024-01-02", "title": lead}
    lines = describe([Change(1, "s", at, "article", "a" * 16, detail)])
    assert lines[0] == "+ 1 new article:"
    assert lines[1].endswith(": Mit einem historischen Handschlag haben die beiden Staatschefs "
                             "ihr Treffen begonnen.")  # fmt: skip
    short = dict(detail, title="Gipfel beginnt")
    assert describe([Change(1, "s", at, "article", "a" * 16, short)])[1].endswith(
        "2024-01-02: Gipfel beginnt"
    )


def test_a_new_article_known_to_the_month_is_listed_with_its_month() -> None:
    from datetime import UTC, datetime

    from lagebild.changes.describe import describe
    from lagebild.changes.log import Change
    from lagebild.changes.track import _article_row
    from lagebild.model import Article

    at = datetime(2024, 1, 2, tzinfo=UTC)
    month = Article(id="m" * 16, title="Gipfel beginnt", text="x", source="m", format="text",
                    outlet="nordblatt.de", published=datetime(2018, 6, 1, tzinfo=UTC),
                    published_precision="month")  # fmt: skip
    row = _article_row("s", month)
    (_, line) = describe([Change(1, "s", at, "article", month.id, row.detail)])
    assert line.endswith("nordblatt.de, 2018-06: Gipfel beginnt"), line
    old = {k: v for k, v in row.detail.items() if k != "published_label"}  # a log before labels
    assert describe([Change(1, "s", at, "article", month.id, old)])[1].endswith(
        "2018-06-01: Gipfel beginnt"
    )


def test_the_log_is_stored_compact_and_a_schema_31_log_reads_the_same(tmp_path: Path) -> None:
    """Details and digests' outlet lists are stored as MessagePack (smaller than the JSON
    text) and read back as JSON gave them; the migration rewrites a log stored as JSON,
    and a value MessagePack cannot hold stays JSON."""
    import sqlite3

    from lagebild.changes.log import ChangeLog
    from lagebild.store import Store
    from lagebild.store.codec import pack_json, unpack_json
    from lagebild.store.sqlite import MIGRATION_STEPS

    odd = {"n": 2**70, "t": (1, 2), 3: "drei", "f": 0.1 + 0.2, "s": "„Zitat“"}
    assert pack_json(odd) == json.dumps(odd, ensure_ascii=False)  # too big for MessagePack
    del odd["n"]
    assert isinstance(pack_json(odd), bytes)
    assert (
        unpack_json(pack_json(odd))
        == json.loads(json.dumps(odd))
        == {
            "t": [1, 2],
            "3": "drei",
            "f": 0.1 + 0.2,
            "s": "„Zitat“",
        }
    )

    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND])])
    log = ChangeLog(lb.store)
    changes = log.changes()
    digests = {s.id: log.digest(s.id) for s in lb.stories()}
    kinds = lb.store.db.execute("SELECT DISTINCT typeof(detail) FROM story_changes").fetchall()
    assert [k[0] for k in kinds] == ["blob"] and len(changes) >= 5
    lb.close()

    number = next(k for k, step in MIGRATION_STEPS.items() if step is Store._pack_change_log)
    con = sqlite3.connect(db)
    with con:  # the log as schema 31 stored it
        for c in changes:
            text = json.dumps(c.detail, ensure_ascii=False)
            con.execute("UPDATE story_changes SET detail=? WHERE id=?", (text, c.id))
        for sid, d in digests.items():
            assert d is not None
            text = json.dumps(list(d.outlets), ensure_ascii=False)
            con.execute("UPDATE story_digests SET outlets=? WHERE story_id=?", (text, sid))
        con.execute(f"PRAGMA user_version={number - 1}")
    json_bytes = con.execute("SELECT SUM(length(CAST(detail AS BLOB))) FROM story_changes")
    before = json_bytes.fetchone()[0]
    con.close()
    store = Store(db)
    log = ChangeLog(store)
    assert log.changes() == changes
    assert {sid: log.digest(sid) for sid in digests} == digests
    after = store.db.execute("SELECT SUM(length(detail)), COUNT(*) FROM story_changes")
    size, rows = after.fetchone()
    assert rows == len(changes) and size < 0.95 * before
    assert store.check() == []


def test_details_of_the_usual_shapes_are_stored_by_place_and_an_older_log_reads_the_same(
    tmp_path: Path,
) -> None:
    """A detail with one of ``DETAIL_SHAPES``' keys (in that order) is stored as [shape,
    values] and reads back as the map it was; any other detail as ``pack_json`` stores it.
    The migration rewrites a log of maps so, and the tracked articles and digests go into
    tables keyed by their id alone (tracked articles without the unread time of their pass),
    every change, digest and tracked article read as before."""
    import sqlite3

    import msgspec

    from lagebild.changes.log import ChangeLog
    from lagebild.store import Store
    from lagebild.store.codec import DETAIL_SHAPES, pack_detail, pack_json, unpack_detail
    from lagebild.store.migrations import MIGRATIONS

    article = {
        "title": "Streik „beendet“",
        "outlet": "nordblatt.de",
        "published": None,
        "published_label": None,
        "url": "https://nordblatt.de/a",
        "language": "de",
    }
    stored = pack_detail(article)
    assert msgspec.msgpack.decode(stored)[0] == 0 and len(stored) < 0.6 * len(pack_json(article))
    assert unpack_detail(stored) == article and list(unpack_detail(stored)) == list(article)
    for other in (
        dict(reversed(article.items())),  # other order: no shape
        {**article, "extra": 1},
        {"first": [None, "2024-01-02"], "last": ["x", {"t": (1, 2)}]},
        {},
        {"first": 2**70, "last": 1},  # too big for MessagePack: JSON text
    ):
        back = json.loads(json.dumps(other))
        assert unpack_detail(pack_detail(other)) == back and list(
            unpack_detail(pack_detail(other))
        ) == list(back)
    assert isinstance(pack_detail({"first": 2**70, "last": 1}), str)
    assert len({keys for keys in DETAIL_SHAPES}) == len(DETAIL_SHAPES)

    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND])])
    log = ChangeLog(lb.store)
    changes = log.changes()
    ids = [s.id for s in lb.stories()]
    digests = {sid: log.digest(sid) for sid in ids}
    outlets = {sid: log.tracked_outlets(sid) for sid in ids}
    tracked = lb.store.db.execute("SELECT * FROM tracked_articles ORDER BY 1").fetchall()
    kinds = {c.kind for c in changes}
    assert {"story", "article"} <= kinds and len(changes) >= 5
    shaped = lb.store.db.execute("SELECT detail FROM story_changes").fetchall()
    assert all(isinstance(msgspec.msgpack.decode(d), list) for (d,) in shaped)
    lb.close()

    number = next(i for i, sql in enumerate(MIGRATIONS) if "tracked_articles_new" in sql)
    con = sqlite3.connect(db)
    with con:  # the log as the schema before stored it
        for c in changes:
            con.execute("UPDATE story_changes SET detail=? WHERE id=?", (pack_json(c.detail), c.id))
        con.executescript(
            """
            CREATE TABLE t (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, outlet TEXT,
                at TEXT NOT NULL);
            INSERT INTO t SELECT article_id, story_id, outlet, '2024-01-01' FROM tracked_articles;
            DROP TABLE tracked_articles;
            ALTER TABLE t RENAME TO tracked_articles;
            CREATE INDEX tracked_articles_story ON tracked_articles (story_id);
            CREATE TABLE d (story_id TEXT PRIMARY KEY, outlets TEXT NOT NULL, first TEXT,
                last TEXT, size INTEGER NOT NULL);
            INSERT INTO d SELECT * FROM story_digests;
            DROP TABLE story_digests;
            ALTER TABLE d RENAME TO story_digests;
            """
        )
        con.execute(f"PRAGMA user_version={number}")
    before = con.execute("SELECT SUM(length(detail)) FROM story_changes").fetchone()[0]
    con.close()
    store = Store(db)
    log = ChangeLog(store)
    assert log.changes() == changes
    assert {sid: log.digest(sid) for sid in ids} == digests
    assert {sid: log.tracked_outlets(sid) for sid in ids} == outlets
    rows = store.db.execute("SELECT * FROM tracked_articles ORDER BY 1").fetchall()
    assert [tuple(r) for r in rows] == [tuple(r) for r in tracked]
    assert [r[1] for r in store.db.execute("PRAGMA table_info(tracked_articles)")] == [
        "article_id",
        "story_id",
        "outlet",
    ]
    for table in ("tracked_articles", "story_digests"):
        sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name=?", (table,)).fetchone()
        assert "WITHOUT ROWID" in sql[0]
    after = store.db.execute("SELECT SUM(length(detail)) FROM story_changes").fetchone()[0]
    assert after < 0.8 * before
    assert store.check() == []
    store.close()


def test_tracked_articles_are_only_read_by_their_id(tmp_path: Path) -> None:
    """Tracked articles keep no index by story (migration 54): every statement the change
    log runs on them finds rows by the article id (the key), none scans the table."""
    lb = Lagebild(tmp_path / "c.db")
    indexes = lb.store.db.execute("PRAGMA index_list(tracked_articles)").fetchall()
    assert not [r for r in indexes if r[1] == "tracked_articles_story"]
    statements: list[str] = []
    lb.store.db.set_trace_callback(statements.append)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND])])
    lb.store.db.set_trace_callback(None)
    reads = {s for s in statements if "tracked_articles" in s and not s.startswith("INSERT")}
    assert reads
    for sql in reads:
        plan = " ".join(r[3] for r in lb.store.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert not re.search(r"SCAN (t|tracked_articles)\b", plan), (sql, plan)
    lb.close()


def test_changes_name_their_pass_and_a_log_that_held_the_time_reads_the_same(
    tmp_path: Path,
) -> None:
    """Schema 56: a change names its tracking pass by number (``change_passes`` keeps each
    pass's time once); a log whose changes held the time (schema 55) is written anew with
    the same changes, times, story rows and answers to ``since``, its trigger kept."""
    import sqlite3

    from lagebild.changes.log import ChangeLog
    from lagebild.store import Store

    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND])])
    lb.ingest([write_jsonl(tmp_path / "c.jsonl", [OTHER])])
    log = ChangeLog(lb.store)
    changes = log.changes()
    times = sorted({c.at for c in changes})
    assert len(times) == 3 and len(changes) >= 6
    since = {t: log.changes(since=t) for t in [times[0] - timedelta(seconds=1), *times]}
    assert [len(v) for v in since.values()][-1] == 0 and all(list(since.values())[:3])
    rows = lb.store.db.execute("SELECT story_id, changed FROM story_index ORDER BY 1").fetchall()
    columns = {r[1] for r in lb.store.db.execute("PRAGMA table_info(story_changes)")}
    assert "pass" in columns and "at" not in columns
    assert lb.store.db.execute("SELECT count(*) FROM change_passes").fetchone()[0] == 3
    lb.close()

    con = sqlite3.connect(db)
    with con:  # the log as schema 55 kept it: each change with its pass's time
        con.executescript(
            "CREATE TABLE old (id INTEGER PRIMARY KEY, story_id TEXT NOT NULL, at TEXT NOT NULL,"
            " kind TEXT NOT NULL, item TEXT NOT NULL, detail TEXT NOT NULL);"
            " INSERT INTO old SELECT c.id, c.story_id, p.at, c.kind, c.item, c.detail"
            " FROM story_changes c JOIN change_passes p ON p.id = c.pass;"
            " DROP TABLE story_changes; DROP TABLE change_passes;"
            " ALTER TABLE old RENAME TO story_changes;"
            " CREATE INDEX story_changes_story ON story_changes (story_id, id);"
            " CREATE INDEX story_changes_at ON story_changes (at);"
            " CREATE TRIGGER dossier_cache_change AFTER INSERT ON story_changes"
            " BEGIN DELETE FROM dossier_cache WHERE story_id = new.story_id; END;"
            " PRAGMA user_version=55;"
        )
    con.close()
    for _ in range(2):  # migrated, then the migration run again on the new form
        store = Store(db)
        log = ChangeLog(store)
        assert log.changes() == changes
        assert {t: log.changes(since=t) for t in since} == since
        got = store.db.execute("SELECT story_id, changed FROM story_index ORDER BY 1").fetchall()
        assert got == rows
        columns = {r[1] for r in store.db.execute("PRAGMA table_info(story_changes)")}
        assert "pass" in columns and "at" not in columns
        indexes = {r[1] for r in store.db.execute("PRAGMA index_list(story_changes)")}
        assert indexes == {"story_changes_story", "story_changes_pass"}
        triggers = store.db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='story_changes'"
        ).fetchall()
        assert [t[0] for t in triggers] == ["dossier_cache_change"]
        assert store.db.execute("SELECT count(*) FROM change_passes").fetchone()[0] == 3
        assert store.check() == []
        store.db.execute("PRAGMA user_version=55")
        store.close()


def test_ids_and_kinds_are_kept_short_and_a_log_of_words_reads_the_same(tmp_path: Path) -> None:
    """Schema 58: the log keeps 16-hex-digit story and item ids as 8 bytes and its kinds as
    one letter; a log of schema 57 (ids and kinds as words) is rewritten to read the same,
    and a change logged for a story still drops that story's kept dossier."""
    import sqlite3

    from lagebild.changes.log import ChangeLog
    from lagebild.store import Store
    from lagebild.store.codec import CHANGE_KINDS, pack_id, unpack_id

    assert pack_id("00ff00ff00ff00ff") == bytes.fromhex("00ff00ff00ff00ff")
    for odd in ("00FF00FF00FF00FF", "00ff00ff00ff00f", "Der Standard", "a|b|1", ""):
        assert pack_id(odd) == odd and unpack_id(pack_id(odd)) == odd
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [*SECOND, OTHER])])
    log = ChangeLog(lb.store)
    changes = log.changes()
    story = changes[0].story_id
    mine = log.changes(story_ids=[story])
    raw = lb.store.db.execute("SELECT story_id, kind, item FROM story_changes").fetchall()
    assert {type(r[0]) for r in raw} == {bytes}
    assert {r[1] for r in raw} <= set(CHANGE_KINDS.values())
    assert {type(r[2]) for r in raw if r[1] == "a"} == {bytes}
    assert len({c.kind for c in changes}) >= 3 and 0 < len(mine) < len(changes)
    lb.close()
    con = sqlite3.connect(db)
    with con:  # the log as schema 57 kept it
        for c in changes:
            con.execute(
                "UPDATE story_changes SET story_id=?, kind=?, item=? WHERE id=?",
                (c.story_id, c.kind, c.item, c.id),
            )
        con.execute("PRAGMA user_version=57")
    con.close()
    store = Store(db)
    log = ChangeLog(store)
    assert log.changes() == changes and log.changes(story_ids=[story]) == mine
    assert store.db.execute("SELECT story_id, kind, item FROM story_changes").fetchall() == raw
    with store.transaction() as tx:  # a kept dossier goes with a new change of its story
        tx.execute(
            "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
            " VALUES (?, 'html', 'k', x'00', 1, 'now')",
            (story,),
        )
        tx.execute(
            "INSERT INTO story_changes (story_id, pass, kind, item, detail)"
            " VALUES (?, 1, 'a', 'x', '{}')",
            (pack_id(story),),
        )
    assert store.db.execute("SELECT count(*) FROM dossier_cache").fetchone()[0] == 0
    store.close()
