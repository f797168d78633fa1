"""The writer lock: work on a corpus that must not run twice at once.

SQLite serialises single transactions (and lagebild's write transactions take the write
lock from their start). Some work is longer than one transaction and must still run alone:
clustering reads the story index, adds articles to it and writes it back, and two of those
at once would each lose the other's articles. That work holds this lock, a file beside the
database (``corpus.db.lock``) locked with ``flock``: the operating system releases it when
its process ends, however it ends (kill -9 included), so a crash never leaves it stuck.
Whoever holds it writes who they are into it, so a second process can say what it waits for.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

Notify = Callable[[str], None]


class WriterLock:
    """An exclusive, re-entrant (per object), crash-safe lock on one database."""

    def __init__(self, db_path: str | None) -> None:
        self.path = Path(f"{db_path}.lock") if db_path else None  # None: in memory, no lock
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def hold(self, what: str, *, wait: bool = True, notify: Notify | None = None) -> Iterator[bool]:
        """Hold the lock for ``what``; yields False (without waiting) when ``wait`` is off
        and another process holds it. ``notify`` hears once what a wait is for."""
        if self._depth:
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
            return
        got = self._acquire(what, wait, notify)
        if not got:
            yield False
            return
        self._depth = 1
        try:
            yield True
        finally:
            self._depth = 0
            self._release()

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it (may be stale when nobody holds it)."""
        try:
            text = self.path.read_text(encoding="utf-8").strip() if self.path else ""
            return text or "another lagebild process"
        except OSError:
            return "another lagebild process"

    def _acquire(self, what: str, wait: bool, notify: Notify | None) -> bool:
        if self.path is None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return True  # a read-only folder: nothing can write here, so nothing to order
        if fcntl is None:  # pragma: no cover - no flock: order by SQLite transactions alone
            os.close(fd)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(fd)
                return False
            if notify is not None:
                notify(f"waiting for {self.holder()} to finish …")
            started = time.monotonic()
            fcntl.flock(fd, fcntl.LOCK_EX)
            if notify is not None:
                notify(f"… went on after {time.monotonic() - started:.0f} s")
        self._fd = fd
        command = " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:3]))
        note = f"pid {os.getpid()} ({what}; `{command}`, since {datetime.now():%H:%M:%S})"
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, note.encode("utf-8"), 0)
        return True

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
