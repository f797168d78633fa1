"""`lagebild watch` against a local HTTP server (127.0.0.1) and a folder that gain items."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flood_corpus import FIRST, OTHER, SECOND
from local_server import LocalServer, page

from lagebild.app import Lagebild
from lagebild.cli import main
from lagebild.config import Config, WatchSource
from lagebild.watch import SourceStates, Watcher

INTERVAL = 60.0
LAGEBILD = str(Path(sys.executable).with_name("lagebild"))  # the installed command


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _dump(folder: Path, name: str, record: dict[str, str]) -> None:
    (folder / name).write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")


def _config(**fetch: object) -> Config:
    return Config().with_("watch", settle=0.0).with_("fetch", **fetch)


def test_watch_reads_each_new_item_once_honours_304_and_backs_off(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _dump(folder, "a.txt", OTHER)
    with LocalServer() as server:
        server.add_entry(FIRST[0])
        server.add_entry(
            FIRST[1], summary_only=True, page=page(FIRST[1]["title"], FIRST[1]["text"])
        )
        sources = [
            WatchSource(url=f"{server.base}/feed.xml", interval=INTERVAL),
            WatchSource(url=f"{server.base}/broken.xml", interval=INTERVAL),
            WatchSource(path=str(folder), interval=INTERVAL, outlet="Kornhausener Blatt"),
        ]
        clock = Clock()
        lb = Lagebild(tmp_path / "c.db", _config(allow_private=True))  # loopback allowed here only
        watcher = Watcher(lb, sources, clock=clock)

        first = watcher.run(once=True)
        assert first.added == 3 and first.errors == 1
        linked = lb.article(
            next(a for a in first.added_ids if "Katastrophenfall" in lb.article(a).title)
        )
        assert "summary-only" not in linked.flags and "Keller zu räumen" in linked.text
        assert server.hits["/article/2.html"] == 1
        assert {a.outlet for a in lb.articles()} >= {"Kornhausener Blatt", "Wendelstädter Anzeiger"}

        assert watcher.run(once=True).polls == 0  # nothing due yet: nothing fetched
        assert server.hits["/feed.xml"] == 1

        clock.advance(INTERVAL)
        second = watcher.run(once=True)
        assert second.added == 0 and server.not_modified == 1  # 304: nothing read
        assert server.hits["/broken.xml"] == 1  # backing off: due after 2 intervals only

        server.add_entry(SECOND[0])
        _dump(folder, "b.txt", SECOND[1])
        clock.advance(INTERVAL)
        third = watcher.run(once=True)
        assert third.added == 2 and third.duplicates == 0
        assert server.hits["/broken.xml"] == 2 and server.hits["/article/2.html"] == 1

        states = {s.source: s for s in SourceStates(lb.store).all()}
        broken = states[f"{server.base}/broken.xml"]
        assert broken.failures == 2 and "HTTP 500" in (broken.last_error or "")
        assert broken.next_due == clock.now + timedelta(seconds=INTERVAL * 4)
        feed = states[f"{server.base}/feed.xml"]
        assert (feed.kind, feed.added, feed.not_modified, feed.failures) == ("feed", 3, 1, 0)
        assert states[str(folder.resolve())].added == 2
        assert lb.store.count() == 5  # every item once

        result = CliRunner().invoke(
            main, ["--db", str(tmp_path / "c.db"), "sources", "--format", "json"]
        )
        shown = {s["source"]: s for s in json.loads(result.output)}
        assert shown[f"{server.base}/broken.xml"]["failures"] == 2


def test_loopback_is_refused_unless_allowed(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.add_entry(FIRST[0])
        lb = Lagebild(tmp_path / "c.db", _config())
        report = Watcher(lb, [WatchSource(url=f"{server.base}/feed.xml")], clock=Clock()).run(
            once=True
        )
        assert report.errors == 1 and server.hits["/feed.xml"] == 0
        (state,) = SourceStates(lb.store).all()
        assert "loopback" in (state.last_error or "")


def test_sigterm_stops_cleanly_and_a_restart_fetches_nothing_twice(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    db = tmp_path / "c.db"
    with LocalServer() as server:
        server.add_entry(FIRST[0])
        args = [LAGEBILD, "--db", str(db), "watch", "--allow-private",
                "--interval", "0.3", f"{server.base}/feed.xml", str(folder)]  # fmt: skip
        env = {**os.environ, "LAGEBILD_DB": str(db)}
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        try:
            deadline = time.monotonic() + 120
            while server.hits["/feed.xml"] < 3 and time.monotonic() < deadline:
                assert proc.poll() is None, proc.communicate()[0]
                time.sleep(0.1)
            assert server.hits["/feed.xml"] >= 3 and server.not_modified >= 1
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=60)
        finally:
            proc.kill()
        assert proc.returncode == 0, out
        assert "SIGTERM: stopping after the current batch" in out and "stopped:" in out
        assert "Traceback" not in out
        fetched, unchanged = server.hits["/feed.xml"], server.not_modified

        lb = Lagebild(db)
        assert lb.store.count() == 1
        dues = [s.next_due for s in SourceStates(lb.store).all() if s.next_due is not None]
        lb.close()
        # `--once` polls what is due: wait out the interval the last poll scheduled (a quick
        # restart came within it and polled nothing)
        time.sleep(max([(d - datetime.now(UTC)).total_seconds() for d in dues] + [0.0]))
        # a restart sends the stored validators: the feed answers 304 and nothing is read again
        once = [*args[:5], "--once", *args[-2:]]
        done = subprocess.run(once, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.hits["/feed.xml"] == fetched + 1 and server.not_modified == unchanged + 1
        assert "0 new articles" in done.stdout


@pytest.mark.parametrize("bad", ["[[watch.sources]]\ninterval = 5\n", "[watch]\nsources = 3\n"])
def test_bad_watch_sources_in_config(tmp_path: Path, bad: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--config", str(f), "--db", str(tmp_path / "c.db"), "watch", "--once"]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "watch" in result.output + result.stderr


def test_watch_sources_from_config(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _dump(folder, "a.txt", OTHER)
    f = tmp_path / "c.toml"
    f.write_text(
        f'[watch]\nsettle = 0\n[[watch.sources]]\npath = "{folder}"\noutlet = "Kornhausener Blatt"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["--config", str(f), "--db", str(tmp_path / "c.db"), "watch", "--once"]
    )
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    assert Lagebild(tmp_path / "c.db").store.articles().__next__().outlet == "Kornhausener Blatt"


def test_a_kill_during_analysis_reads_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    with LocalServer() as server:
        server.add_entry(FIRST[0])
        sources = [WatchSource(url=f"{server.base}/feed.xml", interval=INTERVAL)]
        real = Lagebild.finish

        def killed(self: Lagebild, *args: object, **kw: object) -> object:
            if kw.get("added"):
                raise KeyboardInterrupt  # the process dies while it analyses
            return real(self, *args, **kw)

        monkeypatch.setattr(Lagebild, "finish", killed)
        with pytest.raises(KeyboardInterrupt):
            Watcher(Lagebild(db, _config(allow_private=True)), sources, clock=Clock()).run(
                once=True
            )
        monkeypatch.undo()

        clock = Clock()
        clock.advance(INTERVAL)
        lb = Lagebild(db, _config(allow_private=True))
        report = Watcher(lb, sources, clock=clock).run(once=True)
        assert report.added == 0 and server.not_modified == 1  # remembered: a 304, nothing read
        assert lb.store.count() == 1 and len(lb.stories()) == 1  # analysed on restart
