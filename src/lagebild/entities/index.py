"""The store's canonical entities, precomputed: what entity lists and pages read.

Merging every stored analysis into canonical entities takes seconds per thousand articles,
so it is done when the stories change (``Lagebild.cluster``) and written to two tables
(migration 7): one row per entity (name, type, counts, variants, outlets) and one per
mention. A fingerprint of the stories and analyses says whether the rows are current; a
reader finding them stale rebuilds them first, so a list is never out of date.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lagebild.model import Entity, Mention

if TYPE_CHECKING:
    from lagebild.app import Lagebild
    from lagebild.entities.catalog import EntityRow

STATE_KEY = "entities.index"


def fingerprint(app: Lagebild) -> str:
    """A digest of what the entities are built from: story membership, analyses, version."""
    from lagebild.entities import VERSION

    db = app.store.db
    h = hashlib.sha1(f"entities@{VERSION}".encode())
    links = db.execute(
        "SELECT group_concat(story_id || ':' || article_id, ';') FROM "
        "(SELECT story_id, article_id FROM story_articles ORDER BY 1, 2)"
    ).fetchone()[0]
    h.update((links or "").encode())
    docs = db.execute("SELECT count(*), max(rowid) FROM docs").fetchone()
    arts = db.execute("SELECT count(*), max(seq) FROM articles").fetchone()
    h.update(f"|{tuple(docs)}|{tuple(arts)}".encode())
    return h.hexdigest()


def refresh(app: Lagebild) -> None:
    """Rebuild the entity tables from the stored analyses and stories."""
    from lagebild.entities.catalog import compute_all_entities

    rows = compute_all_entities(app)
    db = app.store.db
    with db:
        db.execute("DELETE FROM entity_index")
        db.execute("DELETE FROM entity_mentions")
        db.executemany(
            "INSERT INTO entity_index (id, rank, name, type, mentions, articles, data) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (
                    r.entity.id,
                    rank,
                    r.entity.name,
                    r.entity.type,
                    len(r.entity.mentions),
                    len(r.entity.article_ids),
                    json.dumps(
                        {
                            "variants": r.entity.variants,
                            "outlets": r.outlets,
                            "unknown_outlet": r.unknown_outlet,
                            "article_ids": r.entity.article_ids,
                        },
                        ensure_ascii=False,
                    ),
                )
                for rank, r in enumerate(rows)
            ],
        )
        db.executemany(
            'INSERT INTO entity_mentions (entity_id, article_id, start, "end", text, source, '
            "caption) VALUES (?,?,?,?,?,?,?)",
            [
                (r.entity.id, m.article_id, m.start, m.end, m.text, m.source, m.caption)
                for r in rows
                for m in r.entity.mentions
            ],
        )
    app.store.put_state(STATE_KEY, fingerprint(app))


def ensure(app: Lagebild) -> None:
    """Rebuild the tables when the stories or analyses changed since they were built."""
    if app.store.get_state(STATE_KEY) != fingerprint(app):
        refresh(app)


def rows(app: Lagebild, types: Sequence[str] = (), limit: int | None = None) -> list[EntityRow]:
    """The store's entities, most mentioned first, without their mentions (counts only)."""
    from lagebild.entities.catalog import EntityRow

    ensure(app)
    sql = "SELECT id, name, type, mentions, articles, data FROM entity_index"
    args: list[object] = []
    if types:
        sql += f" WHERE type IN ({','.join('?' * len(types))})"
        args.extend(types)
    sql += " ORDER BY rank"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    out = []
    for r in app.store.db.execute(sql, args):
        data = json.loads(r["data"])
        e = Entity(r["id"], r["name"], r["type"], tuple(tuple(v) for v in data["variants"]))
        out.append(
            EntityRow(
                e,
                tuple(data["outlets"]),
                data["unknown_outlet"],
                n_mentions=r["mentions"],
                article_ids=tuple(data["article_ids"]),
            )
        )
    return out


def count(app: Lagebild, types: Sequence[str] = (), *, check: bool = True) -> int:
    """How many entities the store has (of ``types``); ``check=False`` right after ``rows``."""
    if check:
        ensure(app)
    sql = "SELECT count(*) FROM entity_index"
    if types:
        sql += f" WHERE type IN ({','.join('?' * len(types))})"
    return app.store.db.execute(sql, list(types)).fetchone()[0]


def mentions(app: Lagebild, entity_id: str) -> tuple[Mention, ...]:
    """Every mention of one entity, in article order."""
    ensure(app)
    cur = app.store.db.execute(
        'SELECT m.article_id, m.start, m."end", m.text, m.source, m.caption, e.type '
        "FROM entity_mentions m JOIN entity_index e ON e.id = m.entity_id "
        "WHERE m.entity_id = ? ORDER BY m.rowid",
        (entity_id,),
    )
    return tuple(
        Mention(r[0], r[1], r[2], r[3], r[6], entity_id, r[4], r[5]) for r in cur.fetchall()
    )


def cooccurring(app: Lagebild, entity_id: str, limit: int = 20) -> list[tuple[str, str, str, int]]:
    """Entities named in the same articles: (id, name, type, shared articles), most first."""
    ensure(app)
    cur = app.store.db.execute(
        "SELECT o.entity_id, e.name, e.type, count(DISTINCT o.article_id) AS n "
        "FROM (SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?) a "
        "JOIN entity_mentions o ON o.article_id = a.article_id "
        "JOIN entity_index e ON e.id = o.entity_id "
        "WHERE o.entity_id != ? GROUP BY o.entity_id ORDER BY n DESC, e.rank LIMIT ?",
        (entity_id, entity_id, limit),
    )
    return [(r[0], r[1], r[2], r[3]) for r in cur.fetchall()]


__all__ = ["STATE_KEY", "cooccurring", "count", "ensure", "fingerprint", "mentions", "refresh", "rows"]
