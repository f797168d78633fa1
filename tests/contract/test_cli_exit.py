"""The ``lagebild`` process ends without the interpreter's teardown, with the command's exit
status, its output flushed, its store closed and the ``atexit`` handlers run."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lagebild import cli


class _Exited(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, events: list[str] | None = None) -> int:
    """``cli.run`` in this process as if it were alone in its own: one thread (pytest's
    workers may keep others), and the exit handlers recorded, not run (running the test
    process's own handlers, such as logging's shutdown, would break the tests after it)."""
    events = [] if events is None else events

    def fake_exit(status: int) -> None:
        events.append("exit")
        raise _Exited(status)

    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: events.append("handlers"))
    monkeypatch.setattr(sys, "argv", ["lagebild", *args])
    with pytest.raises(_Exited) as exited:
        cli.run()
    return exited.value.status


def test_the_process_exits_with_the_commands_status(monkeypatch, capsys) -> None:
    events: list[str] = []
    assert _run(monkeypatch, "--version", events=events) == 0
    assert "version" in capsys.readouterr().out
    assert events == ["handlers", "exit"]  # the atexit handlers ran before the exit
    assert _run(monkeypatch, "no-such-command") == 2  # click's usage error


def test_with_other_threads_running_the_process_ends_the_usual_way(monkeypatch) -> None:
    monkeypatch.setattr(os, "_exit", lambda status: pytest.fail("exited without teardown"))
    monkeypatch.setattr(sys, "argv", ["lagebild", "--version"])
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as exc:
            cli.run()
        assert exc.value.code == 0
    finally:
        stop.set()
        worker.join()


def test_a_command_closes_its_store(tmp_path: Path) -> None:
    """SQLite removes the write-ahead log when the last connection closes; a process that
    ended with its connection open would leave it behind."""
    db = tmp_path / "c.db"
    env = {k: v for k, v in os.environ.items() if k != "LAGEBILD_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "lagebild", "--db", str(db), "stories"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert not Path(f"{db}-wal").exists()
