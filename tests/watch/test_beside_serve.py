"""`watch` writes in short transactions: the web app answers from the same database meanwhile."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from flood_corpus import FIRST, OTHER, SECOND

from lagebild.app import Lagebild
from lagebild.config import Config, WatchSource
from lagebild.watch import Watcher
from lagebild.web import WebApp, get


def _get(app: WebApp, path: str) -> tuple[str, bytes]:
    reply = get(app, path)
    return f"{reply.status}", reply.body


def test_the_web_app_reads_while_watch_writes(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    folder = tmp_path / "inbox"
    folder.mkdir()
    Lagebild(db).close()  # the schema exists before both start
    web = WebApp(Lagebild(db))
    answers: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            status, body = _get(web, "/api/stories")
            answers.append(status)
            if status == "200":
                json.loads(body)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        lb = Lagebild(db, Config().with_("watch", settle=0.0))
        watcher = Watcher(lb, [WatchSource(path=str(folder))])
        for n, record in enumerate([*FIRST, *SECOND, OTHER]):
            (folder / f"{n}.txt").write_text(f"{record['title']}\n\n{record['text']}\n", "utf-8")
            lb.store.db.execute("DELETE FROM watch_sources")  # due again at once
            lb.store.db.commit()
            assert watcher.run(once=True).added == 1
    finally:
        done.set()
        reader.join(timeout=30)
    assert answers and set(answers) == {"200"}
    assert _get(web, "/api/stories")[0] == "200" and lb.store.count() == 5
