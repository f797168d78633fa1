"""The story index a store keeps in rows (schema 37, postings in the vocabulary since 40): runs that read and write only what they
touch end with the index one run over everything in memory makes, and a whole-index state of
an older store converts into rows that go on the same way."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from pathlib import Path

import msgspec
import pytest
from tests.stories.test_clustering import DEV, feats

from lagebild.config import StoriesConfig
from lagebild.store import Store
from lagebild.store.state import encode_state
from lagebild.stories import cluster
from lagebild.stories import state as stored
from lagebild.stories.build import run, untimed
from lagebild.stories.cluster import StoryIndex, dumped
from lagebild.stories.evaluate import read_gold
from lagebild.stories.features import ArticleFeatures

CONFIG = StoriesConfig(quiet_days=2)  # stories go dormant within the dev set's days
SETTINGS = asdict(CONFIG)


@pytest.fixture(scope="module")
def stream() -> list[ArticleFeatures]:
    """The dev set's articles (dated and undated) in file order, as features."""
    return feats([item.article for item in read_gold(DEV)])


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """An archive that overflows and postings that get too long within the dev set."""
    monkeypatch.setattr(cluster, "ARCHIVE_MAX", 2)
    monkeypatch.setattr(cluster, "MAX_POSTING", 1)


def _in_memory(fs: list[ArticleFeatures], size: int | None = None, start: int = 0) -> StoryIndex:
    """One index in memory over ``fs`` in runs of ``size`` articles (None: one run), after a
    first run of ``start`` articles: the runs ingests make. (An undated article is placed
    after the dated ones of its run, so runs of other sizes may differ, see
    ``test_without_undated_articles_runs_of_any_size_end_with_the_index_of_one_run``.)"""
    index = StoryIndex(config=CONFIG)
    parts = [fs[:start]] if start else []
    step = size or len(fs) or 1
    parts += [fs[k : k + step] for k in range(start, len(fs), step)]
    for part in parts:
        for _ in run(index, part):
            pass
    return index


def _runs(db: sqlite3.Connection, fs: list[ArticleFeatures], size: int) -> None:
    """Runs of ``size`` articles, each from the stored index on, as ingests make them."""
    for k in range(0, len(fs), size):
        state = stored.load(db, CONFIG, SETTINGS) or stored.fresh(db, CONFIG)
        part = fs[k : k + size]
        for _ in run(state.index, part):
            pass
        with db:
            stored.save(db, state, SETTINGS, [f.id for f in part])


def _assert_same(db: sqlite3.Connection, want: StoryIndex) -> None:
    """The stored index is ``want``: head, vocabulary, dormant stories in order, postings."""
    state = stored.load(db, CONFIG, SETTINGS)
    assert state is not None
    enc = msgspec.json.encode
    assert enc(state.index.head_json()) == enc(want.head_json())
    assert dict(db.execute("SELECT term, df | (seen << 32) FROM story_vocab")) == want.vocab
    got = [enc(dumped(s)) for s in state.archive.values()]
    assert got == [enc(dumped(s)) for s in want.archive.values()]
    ids = dict(db.execute("SELECT seq, id FROM story_archive"))
    low = state.archive.low  # below it postings may still name evicted stories (no rows)
    assert all(s >= low for s in ids)
    postings = {  # every stored posting, its stories in the order they went dormant
        t: [ids[s] for s in stored.unpack_posting(data) if s >= low]  # KeyError: a seq gone
        for t, data in db.execute("SELECT term, archive FROM story_vocab")
    }
    postings = {t: p for t, p in postings.items() if p}
    assert postings == {t: list(p) for t, p in want.archive.postings.items()}
    for t in postings:
        assert sorted(state.archive.posting(t) or ()) == sorted(want.archive.posting(t) or ())


@pytest.mark.parametrize("size", [1, 3, 10])
def test_runs_from_the_stored_rows_end_with_the_index_of_one_run_in_memory(
    tmp_path: Path, stream: list[ArticleFeatures], small: None, size: int
) -> None:
    want = _in_memory(stream, size)
    assert len(want.archive) == cluster.ARCHIVE_MAX  # the oldest dormant stories were dropped
    assert any(len(p) > cluster.MAX_POSTING for p in want.archive.postings.values())
    db = Store(tmp_path / "s.db").db
    _runs(db, stream, size)
    _assert_same(db, want)
    seen = {r[0] for r in db.execute("SELECT id FROM story_seen")}
    assert seen == {f.id for f in stream}


def test_without_undated_articles_runs_of_any_size_end_with_the_index_of_one_run(
    tmp_path: Path, stream: list[ArticleFeatures], small: None
) -> None:
    # An article with no time at all waits for the dated ones of its run (``build.run``):
    # with such articles, two runs may end otherwise than one over the same articles. Without
    # them an ingest in runs equals one from scratch.
    dated = [f for f in stream if not untimed(f)]
    assert len(dated) < len(stream)
    want = _in_memory(dated)
    for size in (1, 4):
        db = Store(tmp_path / f"s{size}.db").db
        _runs(db, dated, size)
        _assert_same(db, want)


def test_a_whole_index_state_converts_to_rows_that_go_on_alike(
    tmp_path: Path, stream: list[ArticleFeatures], small: None
) -> None:
    half = len(stream) // 2
    before = _in_memory(stream[:half])
    path = tmp_path / "old.db"
    Store(path).close()
    db = sqlite3.connect(path)  # as a schema-36 store kept it: one state, no rows
    for table in ("story_vocab", "story_archive", "story_seen"):
        db.execute(f"DROP TABLE {table}")
    value = {"settings": SETTINGS, "seen": [f.id for f in stream[:half]], "index": before.to_json()}
    db.execute(
        "INSERT INTO state (key, value) VALUES (?,?)",
        (stored.STATE_KEY, bytes(encode_state(value))),
    )
    db.execute("PRAGMA user_version=36")
    db.commit()
    db.close()
    store = Store(path)  # migrations 37 (rows) and 40 (postings into the vocabulary's rows)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 40
    _assert_same(store.db, before)
    _runs(store.db, stream[half:], 5)
    _assert_same(store.db, _in_memory(stream, 5, start=half))


def test_a_run_reads_and_writes_the_rows_of_its_articles_not_the_whole_index(
    tmp_path: Path, stream: list[ArticleFeatures]
) -> None:
    db = Store(tmp_path / "s.db").db
    *before, last = stream
    # one article a run: the undated reports are placed where they come, so none is still
    # provisional in a story the last article sends to sleep (its move would read its words)
    _runs(db, before, 1)
    (terms,) = db.execute("SELECT COUNT(*) FROM story_vocab").fetchone()
    state = stored.load(db, CONFIG, SETTINGS)
    assert state is not None and not state.index.vocab and not state.archive.read
    for _ in run(state.index, [last]):
        pass
    assert set(state.vocab.read) <= set(last.terms) and len(state.index.vocab) < terms / 4
    assert len(state.archive.read) <= cluster.CANDIDATES
    changes = db.total_changes
    with db:
        stored.save(db, state, SETTINGS, [last.id])
    # each changed count, the stories that went dormant or woke with their postings, the
    # article, the head: not the stored vocabulary (and archive) again
    dormant = len(state.archive.stories) + len(state.archive.gone)
    assert db.total_changes - changes <= len(last.terms) + dormant * 32 + 2 < terms


def test_a_stored_posting_counts_the_stories_left_when_some_woke(tmp_path: Path) -> None:
    """A term shared by more than MAX_POSTING stored stories is found again once stories
    that had it left the archive (the stored rows are read past the first MAX_POSTING + 1)."""
    db = Store(tmp_path / "s.db").db
    state = stored.fresh(db, CONFIG)
    for i in range(5):
        state.archive.add(
            cluster.ActiveStory(id=f"s{i}", article_ids=[f"a{i}"], title="t", centroid={"x": 1.0})
        )
    with db:
        state.archive.save()
    archive = stored.StoredArchive(db, 3, fresh=False)
    assert archive.posting("x") is None and len(archive) == 5  # 5 stories > 3
    archive.pop("s1")
    assert archive.posting("x") is None  # 4 left
    archive.pop("s3")
    assert sorted(archive.posting("x") or ()) == ["s0", "s2", "s4"] and len(archive) == 3
    assert archive.evict_oldest() is None and "s0" not in archive and len(archive) == 2
    assert [s.id for s in archive.values()] == ["s2", "s4"]


def _dormant(sid: str, *terms: str) -> cluster.ActiveStory:
    return cluster.ActiveStory(
        id=sid, article_ids=[sid], title=sid, centroid=dict.fromkeys(terms, 1.0)
    )


def test_an_evicted_story_is_not_read_back_and_its_seq_never_comes_again(tmp_path: Path) -> None:
    """Eviction takes the oldest stories: their rows go without being read for their terms,
    the postings that still name them are read as if they did not, and a story that goes
    dormant later never takes an evicted one's seq, even when the archive was emptied."""
    db = Store(tmp_path / "s.db").db
    with db:
        archive = stored.StoredArchive(db, 3, fresh=False)
        for i in range(3):
            archive.add(_dormant(f"s{i}", "x", f"only{i}"))
        archive.save()
    archive = stored.StoredArchive(db, 3, fresh=False)
    assert archive.evict_oldest() is None and archive.evict_oldest() is None
    reads: list[str] = []
    db.set_trace_callback(reads.append)
    with db:
        archive.save()
    db.set_trace_callback(None)
    assert not [q for q in reads if "SELECT seq, data FROM story_archive" in q]
    assert archive.low == 2  # s0 and s1 (seqs 0, 1) evicted
    assert stored.unpack_posting(  # not rewritten: it still names s0
        db.execute("SELECT archive FROM story_vocab WHERE term='only0'").fetchone()[0]
    ) == [0]
    later = stored.StoredArchive(db, 3, fresh=False, low=archive.low)
    assert later.posting("only0") is None and later.posting("x") == ["s2"]
    assert later.evict_oldest() is None and len(later) == 0  # the archive is empty now
    later.add(_dormant("s3", "y"))
    with db:
        later.save()
    (seq,) = db.execute("SELECT seq FROM story_archive WHERE id='s3'").fetchone()
    assert seq == 3 and later.low == 3
    again = stored.StoredArchive(db, 3, fresh=False, low=later.low)
    assert again.posting("only0") is None and again.posting("only2") is None
    assert again.posting("y") == ["s3"] and again.posting("x") is None
