"""Two writers on one database finish with nothing lost and no traceback.

Store writes take SQLite's write lock from their start (no two ingests take the same
``seq``); work longer than one transaction (clustering) holds the writer lock, and whoever
waits for it is told for whom.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lagebild.model import Article, article_id
from lagebild.store import Store
from lagebild.store.lock import WriterLock


def _article(prefix: str, n: int) -> Article:
    title, text = f"{prefix} {n}", f"Text {prefix} {n}. " * 20
    return Article(
        id=article_id(title, text), title=title, text=text, source=f"{prefix}.jsonl:{n}",
        format="jsonl", raw=f"{prefix}-{n}",
    )  # fmt: skip


def test_two_writers_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Store(db).close()
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        store = Store(db)
        try:
            for batch in range(60):
                store.add_articles([_article(prefix, batch * 3 + i) for i in range(3)])
        except BaseException as exc:  # collected: the test names it
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("links", "rechts")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(db) as store:
        assert store.count() == 360
        seqs = [r[0] for r in store.db.execute("SELECT seq FROM articles ORDER BY seq")]
        assert seqs == list(range(1, 361))
        assert not store.check()


def test_two_stores_opening_a_new_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            Store(db).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(db) as store:
        assert store.schema_version > 0


def test_the_writer_lock_says_whom_it_waits_for(tmp_path: Path) -> None:
    path = str(tmp_path / "x.db")
    first, second = WriterLock(path), WriterLock(path)
    heard: list[str] = []
    with first.hold("clustering stories") as got:
        assert got
        with second.hold("clustering stories", wait=False) as got_second:
            assert not got_second
        done, told = threading.Event(), threading.Event()

        def notify(message: str) -> None:
            heard.append(message)
            told.set()

        def waiter() -> None:
            with second.hold("analysing", notify=notify):
                done.set()

        thread = threading.Thread(target=waiter)
        thread.start()
        assert told.wait(10)  # the waiter says whom it waits for …
        assert not done.is_set()  # … and does wait
        assert heard and heard[0].startswith("waiting for pid ")
        assert "clustering stories" in heard[0]
    thread.join(5)
    assert done.is_set()


def test_the_writer_lock_is_reentrant(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "x.db"))
    with lock.hold("outer"), lock.hold("inner") as got:
        assert got and lock.held
    assert not lock.held
