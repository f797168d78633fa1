"""The store's canonical entities, precomputed: what entity lists and pages read.

Merging every stored analysis into canonical entities takes seconds per thousand articles,
so it is done when the stories change (``Lagebild.cluster``) and written to two tables
(migration 7): one row per entity (name, type, counts, variants, outlets) and one per
mention. Triggers mark the stories that changed; a reader finding any brings the rows up to
date first (``entities.update``: only those stories are resolved again), so a list is never
out of date and keeping it so costs what changed, not the whole store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from lagebild.model import Entity, Mention

if TYPE_CHECKING:
    from lagebild.app import Lagebild
    from lagebild.entities.catalog import EntityRow

STATE_KEY = "entities.index"
_packer = msgspec.msgpack.Encoder()  # stateless: entity rows' data (``pack_data``)
_unpacker = msgspec.msgpack.Decoder()


# the store-level merge and listing rules (``canon.merge``, ``update.is_sure``): a change
# rebuilds the tables once
RULES = 17  # 10: genitive full names, persons of another type's name (``canon``)
# 11: a lone one-word person the silver data does not know is doubtful (``update``)
# 12: cited names: nouns ending like adjectives, -s names the silver data knows
# 13: a one-word name after a noun announcing an organisation or place takes its type
# 14: a name after im/vom/dem/des … is cited in the strong form of its head's gender
# 15: a person of several words joins an organisation or thing of its name, not a place
# 16: one spelling is one name whatever languages keyed it (fr/de "Lynch"; ``names.alike``)
# 17: within a story "Stephan B." is the one "Stephan B…" named in full (``canon``)
REBUILD_AT = 200  # dirty stories beyond which (and beyond half the stories) all is rebuilt


def scheme() -> str:
    """What the tables were built by: the entity rules' version and the parts layout."""
    from lagebild.entities import VERSION

    return f"parts@{VERSION}.{RULES}"


def refresh(app: Lagebild, *, full: bool = False) -> None:
    """Bring the entity tables up to date: the stories marked dirty since the last time are
    resolved again (``entities.update``), or everything when the rules changed, when most
    stories are dirty, or with ``full``."""
    db = app.store.db
    if full or app.store.get_state(STATE_KEY) != scheme():
        from lagebild.entities import update  # here: it loads the rules (~0.1 s of imports)

        _say_stale(app)
        update.rebuild(app)
        return
    dirty = [r[0] for r in db.execute("SELECT story_id FROM entity_dirty ORDER BY story_id")]
    if not dirty:
        return
    from lagebild.entities import update

    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    if len(dirty) > max(REBUILD_AT, stories // 2):
        _say_stale(app)
        update.rebuild(app)
    else:
        update.update(app, dirty)


def _say_stale(app: Lagebild) -> None:
    """Say why the first entity list after an upgrade takes a while: a rebuild reads every
    analysis, and those made by older stage versions are redone first (minutes at 10k)."""
    stale = len(app.store.stale(app.pipeline.versions))
    if stale:
        app.notify(
            f"{stale} stored analyses were made by other stage versions (an upgrade or a mode "
            "switch): redoing them before the entity lists are built; `lagebild reanalyse` "
            "does this ahead of time …"
        )


def article_ids(data: bytes | None) -> tuple[str, ...]:
    """The ids of an entity's articles from its packed tally articles, in first-seen order.
    Here, not in ``entities.update``: a list reads them without loading the entity rules."""
    if data is None:
        return ()
    import msgspec

    raw = msgspec.msgpack.decode(data)
    if isinstance(raw, dict):
        return tuple(raw)
    ids = raw[0]
    if isinstance(ids, bytes):
        return tuple(ids[i : i + 8].hex() for i in range(0, len(ids), 8))
    return tuple(ids)


Variants = tuple[tuple[str, int], ...]


def pack_data(variants: Sequence[Sequence[Any]], outlets: Sequence[str], unknown: int) -> bytes:
    """What an entity row keeps beside its columns (variants with counts, known outlets,
    articles of no known outlet) as one MessagePack array: a third of the JSON object rows
    held before schema 27, whose keys repeated in every row."""
    return _packer.encode([[list(v) for v in variants], list(outlets), unknown])


def unpack_data(stored: bytes | str) -> tuple[Variants, tuple[str, ...], int]:
    """(variants, outlets, articles of no known outlet) of ``pack_data``'s form or of a
    JSON row written before schema 27."""
    if isinstance(stored, str):
        data = json.loads(stored)
        variants, outlets, unknown = data["variants"], data["outlets"], data["unknown_outlet"]
    else:
        variants, outlets, unknown = _unpacker.decode(stored)
    return tuple((v[0], v[1]) for v in variants), tuple(outlets), unknown


def article_key(article_id: str) -> bytes | str:
    """How ``entity_mentions`` keeps an article id (and ``entity_parts`` a story id, schema
    28): a 16-hex-digit id as its 8 bytes (half the room in the table and in its index),
    any other id as it is (one with capitals too: its bytes would come back in lower case)."""
    if len(article_id) == 16 and article_id == article_id.lower():
        try:
            return bytes.fromhex(article_id)
        except ValueError:
            pass
    return article_id


def article_of(key: bytes | str) -> str:
    """The article id ``article_key`` kept."""
    return key.hex() if isinstance(key, bytes) else key


# what made a mention (``Mention.source``), kept in ``entity_mentions.source`` as its place
# here (schema 52): 0 and 1 take no bytes in an SQLite record, the words 3-9 (~0.07 MB per 1k
# 10kGNAD articles); a source not listed is kept as its word
SOURCES = ("ner", "rule", "gazetteer", "coref")
_SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}


def source_code(source: str) -> int | str:
    """How ``entity_mentions`` keeps a mention's ``source``."""
    return _SOURCE_CODE.get(source, source)


def source_of(stored: int | str) -> str:
    """The ``source`` that ``source_code`` kept."""
    return SOURCES[stored] if isinstance(stored, int) else stored


def ensure(app: Lagebild) -> None:
    """Rebuild or update the tables when stories or analyses changed since they were built."""
    refresh(app)


def _where(types: Sequence[str], doubtful: bool, prefix: str = "") -> tuple[str, list[object]]:
    """The WHERE clause of a list of ``types`` (all when empty), without the entities the
    tagger alone named, below its confidence floor, unless ``doubtful``."""
    conds, args = [], list[object](types)
    if types:
        conds.append(f"{prefix}type IN ({','.join('?' * len(types))})")
    if not doubtful:
        conds.append(f"{prefix}doubtful = 0")
    return (" WHERE " + " AND ".join(conds) if conds else ""), args


def rows(
    app: Lagebild,
    types: Sequence[str] = (),
    limit: int | None = None,
    *,
    doubtful: bool = False,
) -> list[EntityRow]:
    """The store's entities, most mentioned first, without their mentions (counts only);
    with ``doubtful`` also those only the tagger named, each time unsure (``update.Tally``)."""
    from lagebild.entities.catalog import EntityRow

    ensure(app)
    sql = (
        "SELECT e.id, e.name, e.type, e.mentions, e.articles, e.data, t.articles AS arts"
        " FROM entity_index e LEFT JOIN entity_tally t ON t.entity = e.n"
    )
    where, args = _where(types, doubtful, "e.")
    sql += where + " ORDER BY e.rank, e.name"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    out = []
    for r in app.store.db.execute(sql, args):
        variants, outlets, unknown = unpack_data(r["data"])
        e = Entity(r["id"], r["name"], r["type"], variants)
        out.append(
            EntityRow(
                e,
                outlets,
                unknown,
                n_mentions=r["mentions"],
                article_ids=article_ids(r["arts"]),
            )
        )
    return out


def count(
    app: Lagebild, types: Sequence[str] = (), *, check: bool = True, doubtful: bool = False
) -> int:
    """How many entities the store lists (of ``types``; with ``doubtful`` also the unsure
    ones); ``check=False`` right after ``rows``."""
    if check:
        ensure(app)
    where, args = _where(types, doubtful)
    return app.store.db.execute("SELECT count(*) FROM entity_index" + where, args).fetchone()[0]


def mentions(app: Lagebild, entity_id: str) -> tuple[Mention, ...]:
    """Every mention of one entity, in article order."""
    ensure(app)
    cur = app.store.db.execute(
        'SELECT m.article, m.start, m."end", m.text, m.source, m.caption, e.type '
        "FROM entity_index e JOIN entity_mentions m ON m.entity = e.n "
        "WHERE e.id = ? ORDER BY m.rowid",
        (entity_id,),
    )
    return tuple(
        Mention(article_of(r[0]), r[1], r[2], r[3], r[6], entity_id, source_of(r[4]), r[5])
        for r in cur.fetchall()
    )


def cooccurring(app: Lagebild, entity_id: str, limit: int = 20) -> list[tuple[str, str, str, int]]:
    """Entities named in the same articles: (id, name, type, shared articles), most first."""
    ensure(app)
    row = app.store.db.execute("SELECT n FROM entity_index WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return []
    cur = app.store.db.execute(  # counted first, names joined to the counts only (1.7x faster)
        "WITH a AS (SELECT DISTINCT article FROM entity_mentions WHERE entity = ?), "
        "c AS (SELECT o.entity, count(DISTINCT o.article) AS k FROM a "
        "JOIN entity_mentions o ON o.article = a.article "
        "WHERE o.entity != ? GROUP BY o.entity) "
        "SELECT e.id, e.name, e.type, c.k FROM c JOIN entity_index e ON e.n = c.entity "
        "ORDER BY c.k DESC, e.rank, e.name LIMIT ?",
        (row[0], row[0], limit),
    )
    return [(r[0], r[1], r[2], r[3]) for r in cur.fetchall()]


__all__ = [
    "STATE_KEY",
    "article_ids",
    "article_key",
    "article_of",
    "cooccurring",
    "count",
    "ensure",
    "mentions",
    "refresh",
    "rows",
    "scheme",
    "source_code",
    "source_of",
]
