"""Every writer waits its turn: the watch state, the change log, the alerts and the story lists
write through ``Store.transaction()`` (BEGIN IMMEDIATE, waited for and retried), so another
process's write transaction delays them and never ends them with "database is locked".

The busy timeout is cut to 50 ms here so that a write held for 0.3 s by another connection is
longer than one wait: a plain ``with db:`` transaction gave up with ``OperationalError``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagebild.alerts.book import AlertBook
from lagebild.app import Lagebild
from lagebild.changes.log import ChangeLog, NewRow
from lagebild.store import Store
from lagebild.store import sqlite as store_sqlite
from lagebild.store.listing import refresh
from lagebild.watch.runner import Watcher, WatchSource
from lagebild.watch.state import SourceState, SourceStates


@pytest.fixture(autouse=True)
def _short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT", 0.05)
    monkeypatch.setattr(store_sqlite, "BUSY_TRIES", 400)  # 20 s in all


def _while_another_writes(db: Path, write: Callable[[], object]) -> None:
    """Run ``write`` while another connection holds the write lock for 0.3 s: it must wait for
    the other's commit and then write."""
    holding, committed = threading.Event(), threading.Event()

    def other_writer() -> None:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('other', 'was here')")
        holding.set()
        threading.Event().wait(0.3)
        committed.set()
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert holding.wait(30)
    write()
    assert committed.is_set()  # it did wait for the other writer
    thread.join(30)


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "c.db")


def test_the_watch_state_waits_for_another_writer(tmp_path: Path) -> None:
    store = _store(tmp_path)
    states = SourceStates(store)
    state = SourceState("/feeds/a", kind="folder", polls=3)
    _while_another_writes(store.path, lambda: states.save(state, [("a.txt", "fp1")]))
    assert states.get("/feeds/a").polls == 3 and states.items("/feeds/a") == {"a.txt": "fp1"}
    _while_another_writes(store.path, lambda: states.forget("/feeds/a"))
    assert states.items("/feeds/a") == {}
    store.close()


def test_the_change_log_waits_for_another_writer(tmp_path: Path) -> None:
    store = _store(tmp_path)
    log = ChangeLog(store)
    row = NewRow("s1", "new-story", "s1", {"title": "Hochwasser"})
    at = datetime(2024, 6, 3, tzinfo=UTC)
    _while_another_writes(store.path, lambda: log.write(at, [row], [], [("a1", "s1", "X")], [], []))
    assert [c.kind for c in log.changes(story_ids=["s1"])] == ["new-story"]
    _while_another_writes(store.path, lambda: log.rename([("a1", "a2")]))
    assert store.db.execute("SELECT article_id FROM tracked_articles").fetchone()[0] == "a2"
    store.close()


def test_the_alerts_wait_for_another_writer(tmp_path: Path) -> None:
    store = _store(tmp_path)
    book = AlertBook(store)
    _while_another_writes(
        store.path, lambda: book.add("flut", "query", "Hochwasser", (), ("stdout",), 0)
    )
    alert = book.get("flut")
    _while_another_writes(store.path, lambda: book.checked(alert, 7))
    assert book.get("flut").checked_through == 7
    at = datetime(2024, 6, 3, tzinfo=UTC)
    claimed: list[bool] = []
    _while_another_writes(store.path, lambda: claimed.append(book.claim(alert, "k", at, {})))
    assert claimed == [True]
    _while_another_writes(store.path, lambda: book.delivered(alert, "k", {"stdout": "ok"}))
    assert [f.delivered for f in book.firings(alert)] == [{"stdout": "ok"}]
    _while_another_writes(store.path, lambda: book.remove("flut"))
    assert book.all() == []
    store.close()


def test_the_story_lists_wait_for_another_writer(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.transaction():
        store.db.execute("INSERT INTO story_dirty (story_id) VALUES ('gone')")
    _while_another_writes(store.path, lambda: refresh(store, lambda story: None))
    assert store.db.execute("SELECT COUNT(*) FROM story_dirty").fetchone()[0] == 0
    store.close()


def _folder(path: Path, prefix: str, n: int) -> Path:
    path.mkdir()
    for i in range(n):
        (path / f"{prefix}-{i}.txt").write_text(
            f"{prefix} Meldung {i}\n\nIn {prefix}stadt wurde am Montag die Brücke Nummer {i} "
            f"eröffnet. Der Bürgermeister sagte, man sei stolz auf die Arbeit. Die Bauzeit "
            f"betrug {i + 2} Jahre, die Kosten lagen bei {i + 3} Millionen Euro. Anwohner "
            f"hatten lange auf die neue Verbindung über den Fluss gewartet.\n",
            encoding="utf-8",
        )
        os.utime(path / f"{prefix}-{i}.txt", (1.7e9, 1.7e9))  # settled: a watch reads it
    return path


def test_a_watch_round_and_an_ingest_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    watched = [_folder(tmp_path / f"w{k}", f"Nord{k}", 2) for k in range(6)]
    ingested = _folder(tmp_path / "in", "Sued", 12)
    Store(db).close()
    errors: list[BaseException] = []

    def guarded(work: Callable[[Lagebild], object]) -> Callable[[], None]:
        def run() -> None:
            lb = Lagebild(db, notify=lambda message: None)
            try:
                work(lb)
            except BaseException as exc:  # collected: the test names it
                errors.append(exc)
            finally:
                lb.close()

        return run

    sources = [WatchSource(path=str(w)) for w in watched]
    threads = [
        threading.Thread(target=guarded(lambda lb: Watcher(lb, sources).run(once=True))),
        threading.Thread(target=guarded(lambda lb: lb.ingest([ingested]))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    lb = Lagebild(db)
    try:
        assert lb.store.count() == 24
        assert lb.pending() == (0, 0)  # all analysed and in a story
        states = SourceStates(lb.store)
        for w in watched:
            assert len(states.items(str(w))) == 2 and states.get(str(w)).added == 2
    finally:
        lb.close()
