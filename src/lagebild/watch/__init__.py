"""Keeping a corpus current: ``lagebild watch`` polls folders, RSS/Atom feeds and single pages.

``Watcher(app, sources).run()`` polls each source when due (``[watch]`` interval, per source
``interval``), stores what is new through the same readers, limits and address checks as
``ingest``, and keeps each source's state (validators, schedule, errors, items read) in the
database, so ``lagebild sources`` can show it and a restart fetches nothing twice.
"""

from __future__ import annotations

from lagebild.watch.poll import Poll, poll_path, poll_url
from lagebild.watch.runner import Watcher, WatchReport, source_key, sources_from
from lagebild.watch.state import SourceState, SourceStates

__all__ = [
    "Poll",
    "SourceState",
    "SourceStates",
    "WatchReport",
    "Watcher",
    "poll_path",
    "poll_url",
    "source_key",
    "sources_from",
]
