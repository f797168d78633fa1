"""Alerts fire once per change, to a local webhook and a local SMTP server the test starts."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl
from local_server import LocalServer

from lagebild.alerts import AlertBook, check_alerts
from lagebild.app import Lagebild
from lagebild.cli import main
from lagebild.config import Config, WatchSource
from lagebild.errors import LagebildError
from lagebild.watch import Watcher

aiosmtpd = pytest.importorskip("aiosmtpd.controller")


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():
    box = Mailbox()
    controller = aiosmtpd.Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


def test_an_alert_fires_once_to_a_webhook_and_by_mail_while_watching(tmp_path: Path, smtp) -> None:
    box, port = smtp
    db = tmp_path / "c.db"
    config = (
        Config()
        .with_("fetch", allow_private=True)
        .with_("alerts", smtp_host="127.0.0.1", smtp_port=port, smtp_from="lagebild@test.example")
    )
    clock_now = [datetime(2024, 6, 4, 12, 0, tzinfo=UTC)]
    with LocalServer() as server:
        server.add_entry(FIRST[0])
        lb = Lagebild(db, config)
        watcher = Watcher(lb, [WatchSource(url=f"{server.base}/feed.xml", interval=60)],
                          clock=lambda: clock_now[0])  # fmt: skip
        assert watcher.run(once=True).added == 1
        jsonl = tmp_path / "alerts.jsonl"
        result = CliRunner().invoke(main, [
            "--db", str(db), "alerts", "add", "pegel", "--query", "Pegel sinkt",
            "--sink", f"webhook:{server.base}/hook", "--sink", "email:desk@test.example",
            "--sink", f"jsonl:{jsonl}",
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        server.add_entry(SECOND[0])  # matches the query
        server.add_entry(OTHER)  # does not
        clock_now[0] += timedelta(seconds=60)
        assert watcher.run(once=True).added == 2
        clock_now[0] += timedelta(seconds=60)
        watcher.run(once=True)  # 304: nothing new
        assert check_alerts(lb) == []  # checked again: nothing fires twice

        (post,) = server.posts
        body = post["body"]
        assert post["path"] == "/hook" and post["headers"]["Content-Type"] == "application/json"
        assert body["lagebild"] == "alert" and body["version"] == 1 and body["test"] is False
        assert body["alert"]["name"] == "pegel" and body["condition"] == "article"
        (article,) = body["articles"]
        assert article["title"] == SECOND[0]["title"]
        assert body["story"]["id"] == lb.story_of(article["id"]).id

        (mail,) = box.messages
        assert mail.rcpt_tos == ["desk@test.example"]
        msg = message_from_bytes(mail.content)
        assert "[lagebild] pegel: new article" in msg["Subject"]
        assert [json.loads(line) for line in jsonl.read_text().splitlines()] == [body]

        (alert,) = AlertBook(lb.store).all()
        (firing,) = AlertBook(lb.store).firings(alert)
        assert set(firing.delivered.values()) == {"ok"}


def test_new_outlet_and_count_conditions_on_a_story(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    story = lb.stories()[0]
    out = tmp_path / "fired.jsonl"
    book = AlertBook(lb.store)
    from lagebild.changes.log import ChangeLog

    last = ChangeLog(lb.store).last_id()
    book.add("outlets", "story", story.id, ("new-outlet",), (f"jsonl:{out}",), last)
    book.add("burst", "entity", "Karin Lohse", ("count:2/6h",), (f"jsonl:{out}",), last)
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND)])
    fired = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(f["key"].split(":")[0] for f in fired) == ["count", "outlet"]
    (outlet,) = [f for f in fired if f["condition"] == "outlet"]
    assert outlet["change"]["item"] == "Radio Ilmwelle"
    (burst,) = [f for f in fired if f["condition"] == "count"]
    assert len(burst["articles"]) >= 2
    lb.ingest(
        [
            write_jsonl(
                tmp_path / "c.jsonl",
                [
                    dict(
                        SECOND[1],
                        title="Ilm: Pegel sinkt weiter",
                        text=SECOND[1]["text"] + " Die Lage entspannt sich.",
                    )
                ],
            )
        ]
    )
    again = [json.loads(line) for line in out.read_text().splitlines()]
    assert len([f for f in again if f["condition"] == "count"]) == 1  # once per window
    lb.ingest([write_jsonl(tmp_path / "d.jsonl", [OTHER])])  # a new story: no alert, no error
    assert len(out.read_text().splitlines()) == len(again)


def test_alert_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    run = CliRunner().invoke
    out = tmp_path / "t.jsonl"
    assert (
        run(
            main, ["--db", db, "alerts", "add", "a", "--query", "Ilm", "--sink", f"jsonl:{out}"]
        ).exit_code
        == 0
    )
    bad = run(
        main,
        ["--db", db, "alerts", "add", "b", "--query", "x", "--on", "sometimes", "--sink", "stdout"],
    )
    assert bad.exit_code == 2 and "unknown alert condition 'sometimes'" in bad.output + bad.stderr
    dup = run(main, ["--db", db, "alerts", "add", "a", "--query", "x", "--sink", "stdout"])
    assert dup.exit_code == 2 and "exists already" in dup.stderr
    tested = run(main, ["--db", db, "alerts", "test", "a"])
    assert tested.exit_code == 0 and json.loads(out.read_text())["test"] is True
    listed = json.loads(run(main, ["--db", db, "alerts", "list", "--format", "json"]).output)
    assert [a["name"] for a in listed] == ["a"] and listed[0]["firings"] == 0
    assert run(main, ["--db", db, "alerts", "remove", "a"]).exit_code == 0
    with pytest.raises(LagebildError):
        AlertBook(Lagebild(db).store).add("c", "query", "x", (), ("ftp://nowhere",), 0)


def test_a_failed_webhook_gets_the_firing_later_and_the_other_sinks_nothing_twice(
    tmp_path: Path,
) -> None:
    from lagebild.alerts.engine import retry
    from lagebild.changes.log import ChangeLog

    port = _free_port()  # nothing listens there yet
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    out = tmp_path / "fired.jsonl"
    book = AlertBook(lb.store)
    sinks = (f"webhook:http://127.0.0.1:{port}/hook", f"jsonl:{out}")
    book.add("flood", "query", "Ilm", ("new-article",), sinks, ChangeLog(lb.store).last_id())
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", SECOND[:1])])
    (firing,) = book.firings(book.get("flood"))
    assert firing.delivered[sinks[0]].startswith("failed:") and firing.delivered[sinks[1]] == "ok"
    with LocalServer(port=port) as server:
        assert len(retry(lb)) == 1
        assert retry(lb) == []  # delivered now: nothing more to send
    assert [p["body"]["key"] for p in server.posts] == [firing.key]
    assert len(out.read_text().splitlines()) == 1  # the file sink got it once
