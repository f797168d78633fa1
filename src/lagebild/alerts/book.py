"""Saved alerts and their firings in the database (short transactions)."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lagebild.errors import LagebildError, NotFound
from lagebild.store import Store

TARGETS = ("query", "entity", "story")
CONDITIONS = ("new-article", "new-outlet", "new-divergence")  # and "count:N/Th"
_COUNT = re.compile(r"^count:(\d+)/(\d+(?:\.\d+)?)h$")
_SINK = re.compile(
    r"^(stdout|jsonl:.+|webhook:https?://.+|email:[^@\s]+@[^@\s]+(,[^@\s]+@[^@\s]+)*)$"
)


@dataclass(frozen=True, slots=True)
class Alert:
    """A saved watch: what it looks at, when it fires, where it tells."""

    id: int
    name: str
    target_kind: str  # query, entity, story
    target: str
    conditions: tuple[str, ...]
    sinks: tuple[str, ...]
    created: datetime
    checked_through: int = 0  # the last change-log id it has looked at

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "target": {"kind": self.target_kind, "value": self.target},
            "conditions": list(self.conditions),
            "sinks": list(self.sinks),
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Firing:
    alert_id: int
    key: str
    at: datetime
    payload: dict[str, Any]
    delivered: dict[str, str]  # sink -> "ok" or the reason it failed


def count_condition(condition: str) -> tuple[int, float] | None:
    """(N, hours) of a "count:N/Th" condition, else None."""
    m = _COUNT.match(condition)
    return (int(m.group(1)), float(m.group(2))) if m else None


def check_condition(condition: str) -> str:
    if condition in CONDITIONS or count_condition(condition):
        return condition
    raise LagebildError(
        f"unknown alert condition {condition!r} (known: {', '.join(CONDITIONS)}, "
        "count:N/Th for N articles within T hours, e.g. count:5/6h)"
    )


def check_sink(sink: str) -> str:
    if _SINK.match(sink):
        return sink
    raise LagebildError(
        f"unknown alert sink {sink!r} (known: stdout, jsonl:PATH, webhook:http(s)://URL, "
        "email:ADDRESS[,ADDRESS])"
    )


class AlertBook:
    """The ``alerts`` and ``alert_firings`` tables of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(
        self,
        name: str,
        target_kind: str,
        target: str,
        conditions: tuple[str, ...],
        sinks: tuple[str, ...],
        checked_through: int,
    ) -> Alert:
        if target_kind not in TARGETS:
            raise LagebildError(
                f"an alert watches a query, an entity or a story, not {target_kind!r}"
            )
        if not sinks:
            raise LagebildError("an alert needs at least one sink (--sink stdout, jsonl:PATH, …)")
        if target_kind == "query":  # read as a search reads it: refused as a search would be
            from lagebild.store.search import parse

            parse(target)
        conditions = tuple(check_condition(c) for c in conditions) or ("new-article",)
        sinks = tuple(check_sink(s) for s in sinks)
        now = datetime.now(UTC)
        try:
            with self.store.transaction():
                self.db.execute(
                    "INSERT INTO alerts (name, target_kind, target, conditions, sinks, created,"
                    " checked_through) VALUES (?,?,?,?,?,?,?)",
                    (
                        name,
                        target_kind,
                        target,
                        json.dumps(conditions),
                        json.dumps(sinks),
                        now.isoformat(),
                        checked_through,
                    ),
                )
        except sqlite3.IntegrityError:
            raise LagebildError(f"an alert called {name!r} exists already") from None
        return self.get(name)

    def get(self, name: str) -> Alert:
        row = self.db.execute("SELECT * FROM alerts WHERE name=?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no alert called {name!r}")
        return _alert(row)

    def all(self) -> list[Alert]:
        return [_alert(r) for r in self.db.execute("SELECT * FROM alerts ORDER BY id")]

    def remove(self, name: str) -> None:
        alert = self.get(name)
        with self.store.transaction():
            self.db.execute("DELETE FROM alert_firings WHERE alert_id=?", (alert.id,))
            self.db.execute("DELETE FROM alerts WHERE id=?", (alert.id,))

    def checked(self, alert: Alert, through: int) -> None:
        with self.store.transaction():
            self.db.execute("UPDATE alerts SET checked_through=? WHERE id=?", (through, alert.id))

    def claim(self, alert: Alert, key: str, at: datetime, payload: dict[str, Any]) -> bool:
        """Record a firing before it is delivered; False when this alert fired for ``key``
        already (each change fires once, also when two processes check at the same time)."""
        try:
            with self.store.transaction():
                self.db.execute(
                    "INSERT INTO alert_firings (alert_id, key, at, payload, delivered)"
                    " VALUES (?,?,?,?,?)",
                    (alert.id, key, at.isoformat(), json.dumps(payload, ensure_ascii=False), "{}"),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def delivered(self, alert: Alert, key: str, results: dict[str, str]) -> None:
        with self.store.transaction():
            self.db.execute(
                "UPDATE alert_firings SET delivered=? WHERE alert_id=? AND key=?",
                (json.dumps(results, ensure_ascii=False), alert.id, key),
            )

    def firings(self, alert: Alert) -> list[Firing]:
        rows = self.db.execute(
            "SELECT key, at, payload, delivered FROM alert_firings WHERE alert_id=? ORDER BY id",
            (alert.id,),
        )
        return [
            Firing(
                alert.id,
                r["key"],
                datetime.fromisoformat(r["at"]),
                json.loads(r["payload"]),
                json.loads(r["delivered"]),
            )
            for r in rows
        ]

    def undelivered(self, since: datetime) -> list[tuple[Alert, Firing]]:
        """Firings after ``since`` that some sink has not taken yet."""
        alerts = {a.id: a for a in self.all()}
        rows = self.db.execute(
            "SELECT alert_id, key, at, payload, delivered FROM alert_firings"
            " WHERE at > ? AND delivered LIKE '%\"failed: %' ORDER BY id",
            (since.isoformat(),),
        )
        return [
            (
                alerts[r["alert_id"]],
                Firing(
                    r["alert_id"],
                    r["key"],
                    datetime.fromisoformat(r["at"]),
                    json.loads(r["payload"]),
                    json.loads(r["delivered"]),
                ),
            )
            for r in rows
            if r["alert_id"] in alerts
        ]

    def fired_since(self, alert: Alert, prefix: str, since: datetime) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM alert_firings WHERE alert_id=? AND key >= ? AND key < ? AND at > ?",
            (alert.id, prefix, prefix + "\uffff", since.isoformat()),
        ).fetchone()
        return row is not None


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        row["id"],
        row["name"],
        row["target_kind"],
        row["target"],
        tuple(json.loads(row["conditions"])),
        tuple(json.loads(row["sinks"])),
        datetime.fromisoformat(row["created"]),
        row["checked_through"],
    )
