"""The watch loop: poll each source when it is due, store what is new, repeat until stopped.

A source's schedule lives in the database (``next_due``), so a restart polls only what is
due and nothing twice. A failing source waits ``interval * 2^failures`` (at most
``max_backoff``) before it is tried again; one success resets it. The loop checks its stop
event between sources and between batches: a signal lets the batch being stored finish, then
the loop ends with everything it read stored and remembered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.alerts.engine import retry
from lagebild.config import WatchSource
from lagebild.errors import ConfigError, Rejection
from lagebild.ingest.fetch import Fetcher, UrllibFetcher
from lagebild.watch.poll import Poll, poll_path, poll_url
from lagebild.watch.state import SourceState, SourceStates

if TYPE_CHECKING:
    from lagebild.app import Lagebild

Clock = Callable[[], datetime]
Notify = Callable[[str, str], None]  # (source, what happened)


@dataclass(slots=True)
class WatchReport:
    """What one watch run did, summed over its polls."""

    polls: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: int = 0
    not_modified: int = 0
    added_ids: list[str] = field(default_factory=list)


def source_key(source: WatchSource) -> str:
    """How a source is known in the database: its URL, or its absolute path."""
    if source.url:
        return source.url
    return str(Path(source.path).expanduser().resolve())


def sources_from(args: Sequence[str], interval: float = 0.0, outlet: str = "") -> list[WatchSource]:
    """Sources named on the command line: http(s) URLs and paths."""
    found = []
    for arg in args:
        if arg.startswith(("http://", "https://")):
            found.append(WatchSource(url=arg, interval=interval, outlet=outlet))
        else:
            found.append(WatchSource(path=arg, interval=interval, outlet=outlet))
    return found


class Watcher:
    """Polls sources into one corpus."""

    def __init__(
        self,
        app: Lagebild,
        sources: Sequence[WatchSource],
        *,
        fetcher: Fetcher | None = None,
        clock: Clock | None = None,
        stop: threading.Event | None = None,
        notify: Notify | None = None,
    ) -> None:
        for s in sources:
            if bool(s.url) == bool(s.path):
                raise ConfigError(f"a watch source needs a url or a path (one of them): {s}")
        self.app = app
        self.config = app.config.watch
        self.sources = list({source_key(s): s for s in sources}.values())
        self.fetcher = fetcher or UrllibFetcher.from_config(app.config.fetch)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.stop = stop or threading.Event()
        self.notify = notify or (lambda source, message: None)
        self.states = SourceStates(app.store)

    def interval(self, source: WatchSource) -> float:
        return source.interval or self.config.interval

    def run(self, *, once: bool = False) -> WatchReport:
        """Poll due sources until the stop event is set (``once``: one round, then return)."""
        report = WatchReport()
        self.app.finish()  # articles a stopped run stored but did not analyse or cluster
        while not self.stop.is_set():
            for source in self.due():
                if self.stop.is_set():
                    break
                self.poll(source, report)
            retry(self.app)  # alerts a sink missed (a webhook that was down) go out again
            if once:
                break
            self.stop.wait(self.wait_time())
        return report

    def due(self) -> list[WatchSource]:
        now = self.clock()
        return [
            s
            for s in self.sources
            if (due := self.states.get(source_key(s)).next_due) is None or due <= now
        ]

    def wait_time(self) -> float:
        """Seconds until the next source is due (at least a moment, at most a minute)."""
        now = self.clock()
        dues = [self.states.get(source_key(s)).next_due for s in self.sources]
        waits = [(d - now).total_seconds() for d in dues if d is not None] or [0.0]
        return min(max(min(waits), 0.05), 60.0)

    def poll(self, source: WatchSource, report: WatchReport) -> SourceState:
        """Poll one source now, store what it brought, and schedule its next poll."""
        key = source_key(source)
        state = self.states.get(key)
        known = self.states.items(key)
        if source.url:
            result = poll_url(
                key, self.fetcher, known, self.app.config, (state.etag, state.last_modified)
            )
        else:
            result = poll_path(Path(key), known, self.app.config)
        report.polls += 1
        now = self.clock()
        if result.status == "error":
            state = self._failed(source, state, result, now)
            report.errors += 1
            self.notify(key, f"error: {result.error} (next try in {_span(state, now)})")
            return state
        # store, remember what was read, then analyse: a kill during the (long) analysis
        # reads nothing again; the next run finishes the analysis (``Lagebild.finish``)
        stored = (
            self.app.add(result.items, outlet=source.outlet or None, analyze=False)
            if result.items
            else None
        )
        added = len(stored.added) if stored else 0
        state = replace(
            state,
            kind=result.kind or state.kind,
            etag=result.etag or (state.etag if result.status == "not-modified" else None),
            last_modified=result.last_modified
            or (state.last_modified if result.status == "not-modified" else None),
            last_fetched=now,
            last_new=now if added else state.last_new,
            last_status=result.status,
            next_due=now + timedelta(seconds=self.interval(source)),
            failures=0,
            last_error=None,
            polls=state.polls + 1,
            not_modified=state.not_modified + (result.status == "not-modified"),
            added=state.added + added,
        )
        self.states.save(state, result.seen)
        if stored and stored.added:
            for failure in self.app.finish(added=stored.added).failed:
                self.notify(key, str(failure))
        if stored:
            report.added += added
            report.added_ids.extend(stored.added)
            report.duplicates += len(stored.duplicates)
            report.rejected += len(stored.rejected)
            self.notify(key, _said(stored.added, stored.duplicates, stored.rejected))
        else:
            report.not_modified += result.status == "not-modified"
            self.notify(key, "not modified" if result.status == "not-modified" else "nothing new")
        return state

    def _failed(
        self, source: WatchSource, state: SourceState, result: Poll, now: datetime
    ) -> SourceState:
        failures = state.failures + 1
        delay = min(self.interval(source) * 2**failures, self.config.max_backoff)
        state = replace(
            state,
            kind=state.kind or result.kind,
            last_fetched=now,
            last_status="error",
            next_due=now + timedelta(seconds=delay),
            failures=failures,
            last_error=result.error,
            polls=state.polls + 1,
        )
        self.states.save(state)
        self.app.store.add_rejections([Rejection(state.source, "watch", result.error or "error")])
        return state


def _said(added: Sequence[str], dups: Sequence[str], rejected: Sequence[Rejection]) -> str:
    parts = [f"{len(added)} new"]
    if dups:
        parts.append(f"{len(dups)} already stored")
    if rejected:
        parts.append(f"{len(rejected)} rejected")
    return ", ".join(parts)


def _span(state: SourceState, now: datetime) -> str:
    seconds = (state.next_due - now).total_seconds() if state.next_due else 0.0
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


__all__ = ["WatchReport", "Watcher", "source_key", "sources_from"]
