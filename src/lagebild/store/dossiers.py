"""Rendered dossiers kept per story version (table ``dossier_cache``, migration 12).

Building a dossier is the costly part of a story page (50-250 ms CPU for two articles, seconds
for hundreds); its text only changes when the story does. The rendered texts are kept in the
store itself rather than in files beside it, because SQLite already gives what sharing needs:
the web server's threads, ``lagebild dossier`` and a watcher on the same database read one
consistent snapshot each (WAL), and the triggers of migration 12 delete a story's texts in
the same transaction that changes the story, its articles, their analyses or its change log
(a file cache would only learn of a change by recomputing its key, and would keep the texts
of deleted stories for ever). Each row also carries the key it was built for (``version_key``:
the story record, every article record and analysis of it, its change-log position, and what
the caller adds: configuration and code), so a text built by another configuration or another
version of lagebild is never served either.

Writing a text is opportunistic: it waits at most ``WRITE_WAIT`` seconds for SQLite's write
lock and otherwise gives up (the page is answered all the same and built again next time), so
a reader never waits behind an ingest. Texts are zlib-compressed and the table is kept under a
size limit, the oldest built going first. A story whose texts went for room keeps an empty row
of format ``EVICTED`` until it changes (the triggers drop it with the rest), so that
``dossier.cache.precompute`` does not build it again at every ingest while the texts of all
big stories do not fit: it is built on its next view.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import zlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lagebild.store.codec import STAGES_OF_DOC, pack_id
from lagebild.store.sqlite import BUSY_TIMEOUT, Store

if TYPE_CHECKING:
    from lagebild.dossier.parts import Parts

WRITE_WAIT = 0.2  # seconds a cache write waits for another writer before giving up
EVICTED = "-"  # the format of the empty row left for a story whose texts were dropped for room

log = logging.getLogger(__name__)


def version_key(store: Store, story_id: str, salt: str = "") -> str:
    """What the story's dossier is built from, as one digest: the story record, every article
    record and stored analysis of its articles, the last entry of its change log, and ``salt``
    (configuration and code). Reads rows, decodes none of them."""
    db = store.db
    h = hashlib.blake2b(salt.encode(), digest_size=16)
    row = db.execute("SELECT data FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        return ""
    h.update(row[0].encode() if isinstance(row[0], str) else row[0])
    rows = db.execute(
        f"SELECT sa.article_id, a.data, {STAGES_OF_DOC}, d.data FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id LEFT JOIN docs d ON d.article_id = sa.article_id"
        " WHERE sa.story_id=? ORDER BY sa.article_id",
        (story_id,),
    )
    for art_id, art, stages, doc in rows:
        for part in (art_id, art, stages, doc):
            h.update(b"\x00")
            if part is not None:
                h.update(part.encode() if isinstance(part, str) else part)
    last = db.execute(
        "SELECT MAX(id) FROM story_changes WHERE story_id=?", (pack_id(story_id),)
    ).fetchone()[0]
    h.update(f"\x00changes:{last}".encode())
    return h.hexdigest()


def cached(store: Store, story_id: str, fmt: str, key: str) -> str | None:
    """The text kept for this story version and format, or None."""
    row = store.db.execute(
        "SELECT key, body FROM dossier_cache WHERE story_id=? AND format=?", (story_id, fmt)
    ).fetchone()
    if row is None or row[0] != key or not key:
        return None
    return zlib.decompress(row[1]).decode("utf-8")


def cached_key(store: Store, story_id: str) -> str | None:
    """The version key the story's kept texts were built for (None: none kept). All formats
    are kept together, so one row answers for them."""
    row = store.db.execute(
        "SELECT key FROM dossier_cache WHERE story_id=? AND format != ? ORDER BY format LIMIT 1",
        (story_id, EVICTED),
    ).fetchone()
    return None if row is None else row[0]


def read_parts(store: Store, story_id: str, fingerprint: str) -> Parts:
    """The kept per-article parts of the story's articles (``dossier.parts``), with the key
    each article's parts must have now (made of ``fingerprint``, its analysis, its text and
    the rest of its row: its date, language and outlet; reads rows, decodes no analysis)."""
    from lagebild.dossier.parts import part_key, read

    rows = store.db.execute(
        f"SELECT sa.article_id, {STAGES_OF_DOC}, d.data, a.text, a.title, a.data, a.published,"
        " a.language, a.outlet, p.key, p.data FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id LEFT JOIN docs d ON d.article_id = sa.article_id"
        " LEFT JOIN dossier_parts p ON p.article_id = sa.article_id WHERE sa.story_id=?",
        (story_id,),
    )
    return read(
        (aid, part_key(fingerprint, stages, doc, text, *article), kept_key, kept)
        for aid, stages, doc, text, *article, kept_key, kept in rows
        if doc is not None
    )


# zlib's level for the kept texts: a 500-article story's three texts (7.5 MB) take 0.034 s at
# 3 against 0.070 s at 6 (0.98 against 0.82 MB kept; reading back is 0.016 s either way), and
# each ingest that changes a big story writes them again
LEVEL = 3


def keep(
    store: Store,
    story_id: str,
    key: str,
    texts: Mapping[str, str],
    limit_bytes: int,
    parts: Sequence[tuple[str, bytes, bytes]] = (),
) -> bool:
    """Keep the rendered ``texts`` (format → text) of one story version, and the per-article
    ``parts`` (article id, key, data) its build made; False when the database was busy,
    read-only or full (nothing is kept then, nothing fails)."""
    if not key or limit_bytes <= 0:
        return False
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for fmt, text in texts.items():
        body = zlib.compress(text.encode("utf-8"), LEVEL)
        rows.append((story_id, fmt, key, body, len(body), now))
    db = store.db
    if db.in_transaction:  # inside another write: never hold it up
        return False
    try:
        db.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT * 1000)}")
        try:
            db.execute("BEGIN IMMEDIATE")
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        try:
            db.execute(
                "DELETE FROM dossier_cache WHERE story_id=? AND format=?", (story_id, EVICTED)
            )
            db.executemany(
                "INSERT OR REPLACE INTO dossier_cache (story_id, format, key, body, size, made)"
                " VALUES (?,?,?,?,?,?)",
                rows,
            )
            _trim(db, limit_bytes, story_id, now)
            db.executemany(
                "INSERT OR REPLACE INTO dossier_parts (article_id, key, data) VALUES (?,?,?)",
                parts,
            )
        except BaseException:
            db.rollback()
            raise
        db.commit()
    except sqlite3.OperationalError as exc:  # busy, locked, read-only, disk full
        log.debug("dossier of %s not kept: %s", story_id, exc)
        return False
    return True


def _trim(db: sqlite3.Connection, limit_bytes: int, keep_id: str, now: str) -> None:
    """Drop the oldest stories' texts (never ``keep_id``'s, just written) until the table
    holds at most ``limit_bytes``; each story dropped keeps an ``EVICTED`` row."""
    total = db.execute("SELECT COALESCE(SUM(size), 0) FROM dossier_cache").fetchone()[0]
    if total <= limit_bytes:
        return
    drop = []
    for story_id, size in db.execute(
        "SELECT story_id, SUM(size) FROM dossier_cache WHERE story_id != ? AND format != ?"
        " GROUP BY story_id ORDER BY MAX(made)",
        (keep_id, EVICTED),
    ):
        if total <= limit_bytes:
            break
        drop.append((story_id,))
        total -= size
    db.executemany("DELETE FROM dossier_cache WHERE story_id=?", drop)
    db.executemany(
        "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
        " VALUES (?, ?, '', x'', 0, ?)",
        [(story_id, EVICTED, now) for (story_id,) in drop],
    )


def clear(store: Store) -> int:
    """Forget every kept text; returns how many there were."""
    with store.transaction():
        return store.db.execute("DELETE FROM dossier_cache").rowcount
