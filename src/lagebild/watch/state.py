"""Per-source state of ``lagebild watch`` in the database: schedule, validators, errors, and
the items read so far. Each write is one short transaction (safe beside ``lagebild serve``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from lagebild.store import Store


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the database knows of one watched source."""

    source: str  # the URL, or the absolute path of a folder or file
    kind: str = ""  # feed, page, folder, file (what it turned out to be)
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_new: datetime | None = None  # when it last brought a new article
    last_status: str | None = None  # new, not-modified, unchanged, error
    next_due: datetime | None = None
    failures: int = 0  # errors in a row (the backoff grows with them)
    last_error: str | None = None
    polls: int = 0
    not_modified: int = 0  # polls answered 304
    added: int = 0  # articles stored from it so far

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "kind": self.kind,
            "last_fetched": _iso(self.last_fetched),
            "last_new": _iso(self.last_new),
            "last_status": self.last_status,
            "next_due": _iso(self.next_due),
            "failures": self.failures,
            "last_error": self.last_error,
            "polls": self.polls,
            "not_modified": self.not_modified,
            "added": self.added,
        }


_COLUMNS = (
    "source", "kind", "etag", "last_modified", "last_fetched", "last_new", "last_status",
    "next_due", "failures", "last_error", "polls", "not_modified", "added",
)  # fmt: skip
_TIMES = {"last_fetched", "last_new", "next_due"}


class SourceStates:
    """The ``watch_sources`` and ``watch_items`` tables of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def get(self, source: str) -> SourceState:
        row = self.db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM watch_sources WHERE source=?", (source,)
        ).fetchone()
        return _state(row) if row else SourceState(source)

    def all(self) -> list[SourceState]:
        rows = self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM watch_sources ORDER BY source")
        return [_state(r) for r in rows]

    def items(self, source: str) -> dict[str, str]:
        """Item -> fingerprint of everything read from ``source`` so far."""
        rows = self.db.execute(
            "SELECT item, fingerprint FROM watch_items WHERE source=?", (source,)
        )
        return {r[0]: r[1] for r in rows}

    def save(self, state: SourceState, items: Iterable[tuple[str, str]] = ()) -> None:
        """The source's new state and the items it has now read, in one transaction."""
        values = [_iso(getattr(state, c)) if c in _TIMES else getattr(state, c) for c in _COLUMNS]
        stamp = _iso(state.last_fetched) or ""
        with self.store.transaction():
            self.db.execute(
                f"INSERT OR REPLACE INTO watch_sources ({', '.join(_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(_COLUMNS))})",
                values,
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO watch_items (source, item, fingerprint, at)"
                " VALUES (?,?,?,?)",
                [(state.source, item, fp, stamp) for item, fp in items],
            )

    def forget(self, source: str) -> bool:
        """Drop a source's state and items (it is read from scratch when watched again)."""
        with self.store.transaction():
            n = self.db.execute("DELETE FROM watch_sources WHERE source=?", (source,)).rowcount
            self.db.execute("DELETE FROM watch_items WHERE source=?", (source,))
        return n > 0


def _state(row: object) -> SourceState:
    data = {c: row[c] for c in _COLUMNS}  # type: ignore[index]
    for c in _TIMES:
        data[c] = datetime.fromisoformat(data[c]) if data[c] else None
    return replace(SourceState(data.pop("source")), **data)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
