"""The change log's tables: reading and writing them over the store's connection.

Every write is one short transaction, so a tracking pass beside ``lagebild serve`` or a second
writer holds the database only for a moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lagebild.store import Store
from lagebild.store.codec import (
    pack_detail,
    pack_id,
    pack_json,
    pack_kind,
    unpack_detail,
    unpack_id,
    unpack_json,
    unpack_kind,
)

BASELINE_KEY = "changes.baseline"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that became new in a story: an article, an outlet, a fact, a divergence, …"""

    id: int
    story_id: str
    at: datetime
    kind: str  # story, article, outlet, fact, divergence, statement, dates, merged
    item: str  # what it names: an article id, an outlet, a fact's key, a merged story's id
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story_id": self.story_id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "item": self.item,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Digest:
    """What a story looked like at its last tracking pass."""

    outlets: tuple[str, ...]
    first: str | None
    last: str | None
    size: int


@dataclass(frozen=True, slots=True)
class NewRow:
    """A change to be written (id and time are given when it is stored)."""

    story_id: str
    kind: str
    item: str
    detail: dict[str, Any]


class ChangeLog:
    """The change log of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def dirty(self) -> list[str]:
        """Stories written since the last pass (``changes_dirty``, marked by triggers on
        ``stories`` and ``story_articles``, schema 38): after a pass every article is tracked
        in its story and every story's digest matches it, so only these can differ; the
        passes look at them instead of scanning every story and article."""
        return [r[0] for r in self.db.execute("SELECT story_id FROM changes_dirty")]

    def memberships(
        self, story_ids: Sequence[str] | None = None
    ) -> dict[str, list[tuple[str, str | None]]]:
        """Story id -> (article id, story it was tracked in before, or None when never) for
        every article of these stories (None: of all) not yet tracked in the story that
        holds it now."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for chunk, where in _chunks(story_ids, "sa.story_id"):
            rows = self.db.execute(
                "SELECT sa.story_id, sa.article_id, t.story_id AS before"
                " FROM story_articles sa LEFT JOIN tracked_articles t"
                " ON t.article_id = sa.article_id"
                f" WHERE {where} (t.article_id IS NULL OR t.story_id != sa.story_id)",
                chunk,
            )
            for r in rows:
                found.setdefault(r["story_id"], []).append((r["article_id"], r["before"]))
        return found

    def redated(self, story_ids: Sequence[str] | None = None) -> set[str]:
        """Those of these stories (None: of all) whose size or dates differ from their
        digest (or that have none)."""
        return self._ids(
            "SELECT s.id FROM stories s LEFT JOIN story_digests d ON d.story_id = s.id"
            " WHERE {where} (d.story_id IS NULL OR d.size != s.size"
            " OR d.first IS NOT s.first OR d.last IS NOT s.last)",
            story_ids,
            "s.id",
        )

    def digest(self, story_id: str) -> Digest | None:
        row = self.db.execute(
            "SELECT outlets, first, last, size FROM story_digests WHERE story_id=?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return Digest(tuple(unpack_json(row["outlets"])), row["first"], row["last"], row["size"])

    def tracked_outlets(self, story_id: str) -> set[str]:
        """Outlets of the story's articles that were tracked already (in any story)."""
        rows = self.db.execute(
            "SELECT DISTINCT t.outlet FROM story_articles sa"
            " JOIN tracked_articles t ON t.article_id = sa.article_id"
            " WHERE sa.story_id=? AND t.outlet IS NOT NULL",
            (story_id,),
        )
        return {r[0] for r in rows}

    def story_exists(self, story_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone()
        return row is not None

    def write(
        self,
        at: datetime,
        rows: Sequence[NewRow],
        digests: Iterable[tuple[str, Digest]],
        tracked: Iterable[tuple[str, str, str | None]],
        merged: Iterable[tuple[str, str]],
        gone: Iterable[str],
        seen: Sequence[str] | None = (),
    ) -> None:
        """One pass's results in one transaction: changes, digests, tracked articles; the
        changes of merged stories move to the story that took them in; the marks of the
        stories the pass looked at (``seen``; None: all) are cleared."""
        with self.store.transaction():
            number = None  # the pass, noted with its first change (schema 56)
            if rows:
                number = self.db.execute(
                    "INSERT INTO change_passes (at) VALUES (?)", (at.isoformat(),)
                ).lastrowid
            for old, new in merged:
                self.db.execute(
                    "UPDATE story_changes SET story_id=? WHERE story_id=?",
                    (pack_id(new), pack_id(old)),
                )
                self.db.execute("DELETE FROM story_digests WHERE story_id=?", (old,))
            self.db.executemany("DELETE FROM story_digests WHERE story_id=?", [(g,) for g in gone])
            self.db.executemany(
                "INSERT INTO story_changes (story_id, pass, kind, item, detail) VALUES (?,?,?,?,?)",
                [
                    (
                        pack_id(r.story_id),
                        number,
                        pack_kind(r.kind),
                        pack_id(r.item),
                        pack_detail(r.detail),
                    )
                    for r in rows
                ],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO story_digests (story_id, outlets, first, last, size)"
                " VALUES (?,?,?,?,?)",
                [(sid, pack_json(list(d.outlets)), d.first, d.last, d.size) for sid, d in digests],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO tracked_articles (article_id, story_id, outlet)"
                " VALUES (?,?,?)",
                list(tracked),
            )
            self.db.execute("DELETE FROM state WHERE key=?", (BASELINE_KEY,))
            if seen is None:
                self.db.execute("DELETE FROM changes_dirty")
            for chunk, where in _chunks(seen or [], "story_id"):
                self.db.execute(f"DELETE FROM changes_dirty WHERE {where} 1", chunk)

    def rename(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Articles read again under new ids (``reread``) stay known: not logged as new. The
        stories that held or hold them are marked for the next pass (their articles'
        tracking changed without a write to the stories)."""
        renamed = [(new, old) for old, new in pairs if old != new]
        with self.store.transaction():
            for new, old in renamed:
                self.db.execute(
                    "INSERT OR IGNORE INTO changes_dirty SELECT story_id FROM tracked_articles"
                    " WHERE article_id IN (?, ?) UNION SELECT story_id FROM story_articles"
                    " WHERE article_id IN (?, ?)",
                    (new, old, new, old),
                )
            self.db.executemany(
                "UPDATE OR IGNORE tracked_articles SET article_id=? WHERE article_id=?", renamed
            )

    def vanished(self, story_ids: Sequence[str] | None = None) -> set[str]:
        """Those of these stories (None: of all) with a digest that the store no longer has."""
        return self._ids(
            "SELECT d.story_id FROM story_digests d LEFT JOIN stories s"
            " ON s.id = d.story_id WHERE {where} s.id IS NULL",
            story_ids,
            "d.story_id",
        )

    def _ids(self, sql: str, story_ids: Sequence[str] | None, column: str) -> set[str]:
        """The first column of ``sql`` over ``story_ids`` in chunks (``{where}`` in ``sql``
        keeps ``column`` to a chunk; None: one pass over everything)."""
        found: set[str] = set()
        for chunk, where in _chunks(story_ids, column):
            found.update(r[0] for r in self.db.execute(sql.format(where=where), chunk))
        return found

    def changes(
        self,
        *,
        since: datetime | None = None,
        after: int | None = None,
        story_ids: Sequence[str] | None = None,
    ) -> list[Change]:
        """Changes in log order: later than ``since``, with an id above ``after``, of stories."""
        where, args = [], []
        if since is not None:
            # the passes first (few), then their changes by the index on the pass
            where.append("c.pass IN (SELECT id FROM change_passes WHERE at > ?)")
            args.append(since.isoformat())
        if after is not None:
            where.append("c.id > ?")
            args.append(after)
        if story_ids is not None:
            where.append(f"c.story_id IN ({','.join('?' * len(story_ids))})")
            args.extend(pack_id(s) for s in story_ids)
        sql = (
            "SELECT c.id, c.story_id, p.at, c.kind, c.item, c.detail FROM story_changes c"
            " JOIN change_passes p ON p.id = c.pass"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY c.id", args)
        return [
            Change(
                r["id"],
                unpack_id(r["story_id"]),
                datetime.fromisoformat(r["at"]),
                unpack_kind(r["kind"]),
                unpack_id(r["item"]),
                unpack_detail(r["detail"]),
            )
            for r in rows
        ]

    def last_id(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM story_changes").fetchone()[0])


def _chunks(
    ids: Sequence[str] | None, column: str, size: int = 500
) -> Iterator[tuple[list[str], str]]:
    """``ids`` in chunks, each with the start of a WHERE clause that keeps ``column`` to
    them (``column IN (?,…) AND``); None: one pass over everything (no condition)."""
    if ids is None:
        yield [], ""
        return
    for start in range(0, len(ids), size):
        chunk = list(ids[start : start + size])
        yield chunk, f"{column} IN ({','.join('?' * len(chunk))}) AND"
