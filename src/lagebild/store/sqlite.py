"""SQLite store: articles, rejections, per-article analyses, stories; WAL, FTS5, migrations.

One writer, many readers (WAL). Every write method is one transaction, so a batch is either
stored whole or not at all, and a crash never leaves half an article behind. Articles and
analyses are kept in the compact form of ``store/codec.py`` (rows of databases older than
schema 10 are converted on opening); stories and state as JSON (a large state compressed). The columns beside the
records exist for queries; an article's title and text are kept only in theirs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from lagebild.errors import NotFound, Rejection, StoreError
from lagebild.model import Article, Doc, Story, from_dict, to_dict
from lagebild.store.codec import (
    ARTICLE_COLUMNS,
    ARTICLE_SELECT,
    LEARN_LEMMAS,
    LEARN_TEXTS,
    STAGES_OF_DOC,
    LemmaTable,
    decode_article,
    decode_doc,
    decode_story,
    decode_text,
    encode_article,
    encode_doc,
    encode_story,
    encode_text,
    learn_lemma_table,
    learn_raw_dict,
    learn_text_dict,
    pack_detail,
    pack_id,
    pack_json,
    pack_kind,
    repack_doc,
    unpack_detail,
    unpack_id,
    unpack_json,
    unpack_kind,
    upgrade_doc,
)
from lagebild.store.lock import Notify, WriterLock
from lagebild.store.migrations import MIGRATIONS
from lagebild.store.state import decode_state, encode_state
from lagebild.text.fold import index_form

SCHEMA_VERSION = len(MIGRATIONS)
TERM_CHUNK = 5000  # story list terms a migration rewrites at a time (memory stays flat)
PAGE_SIZE = 8192  # of a new database
BUSY_TIMEOUT = 30.0  # seconds one write waits for another process's transaction to end
BUSY_TRIES = 20  # ... and how often, before it gives up with a clear error


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one ``add_articles`` call did."""

    added: tuple[str, ...]
    duplicates: tuple[str, ...]


def input_key(source: str, raw: str) -> bytes | None:
    """What identifies an input as read: its source and its raw text (None without raw); 16
    bytes of a SHA-256 (stored as 32 hex digits before schema 47)."""
    if not raw:
        return None
    return hashlib.sha256(f"{source}\x00{raw}".encode()).digest()[:16]


def _unhex(text: str) -> bytes | None:
    """SQLite's ``unhex`` (3.41) for older libraries: the bytes of a hex text, else NULL."""
    try:
        return bytes.fromhex(text)
    except (TypeError, ValueError):
        return None


class Store:
    """The embedded database of one lagebild corpus."""

    def __init__(self, path: str | Path = "lagebild.db", *, notify: Notify | None = None) -> None:
        self.path = str(path)
        self.notify = notify  # hears what a write waits for (another process's work)
        self.lock = WriterLock(None if self.path == ":memory:" else self.path)
        self._text_dicts: dict[int, bytes] = {}  # text dictionaries by Adler-32, as read
        self._zdict: bytes | None = None  # the one new texts are packed with (None: unread)
        self._lemma_tables: dict[int, LemmaTable] = {}  # lemma tables by id, as read
        self._lemmas: LemmaTable | None = None  # the one new analyses use (None: none or unread)
        self._lemmas_read = False
        # analyses this process stored without a lemma table (article id -> the bytes and the
        # doc): learning the table reads them from here, not by decoding them back
        self._unlearned: dict[str, tuple[bytes, Doc]] = {}
        self._raw_dict: bytes | None = None  # the one new raw records use (None: unread)
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        except sqlite3.Error as exc:  # pragma: no cover - depends on the file system
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        if sqlite3.sqlite_version_info < (3, 41):  # unhex() came with 3.41 (listing's term ids)
            self.db.create_function("unhex", 1, _unhex, deterministic=True)
        try:
            self._check_foreign_or_wait()  # before the pragmas: WAL would change their file
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if self._needs_setup():
                # two processes opening a new database at once: one sets it up, the other
                # waits and finds it done
                with self.lock.hold("setting up the database", notify=notify):
                    if not self.db.execute("PRAGMA user_version").fetchone()[0]:
                        # a new file: rows of ~2 KB fill 8 KB pages better (-0.3 MB per
                        # 1,000 articles); an existing one keeps its pages until a VACUUM
                        self.db.execute(f"PRAGMA page_size={PAGE_SIZE}")
                    if self.path != ":memory:":
                        self.db.execute("PRAGMA journal_mode=WAL")
                    self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{self.path} is not a lagebild database: {exc}") from exc
        except StoreError:
            self.db.close()
            raise

    # ------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding SQLite's write lock from its start (BEGIN
        IMMEDIATE), so nothing it reads can change before it writes (two ingests once both
        took the same next ``seq``). Nested calls join the outer transaction. A writer that
        finds the database busy waits (``BUSY_TIMEOUT`` per try) and says so; after
        ``BUSY_TRIES`` tries it gives up with a StoreError, never a traceback."""
        if self.db.in_transaction:
            yield self.db
            return
        self._begin()
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def _begin(self) -> None:
        for attempt in range(BUSY_TRIES):
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if attempt == 0 and self.notify is not None:
                    self.notify(f"waiting for another process writing to {self.path} …")
        raise StoreError(
            f"{self.path} stayed locked by another process for "
            f"{BUSY_TIMEOUT * BUSY_TRIES:.0f} s; try again when it has finished"
        )

    # ------------------------------------------------------------------ schema

    def _needs_setup(self) -> bool:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            return True
        mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
        return self.path != ":memory:" and str(mode).lower() != "wal"

    def _check_foreign_or_wait(self) -> None:
        """``_check_foreign``; a new database that another lagebild process is setting up
        (tables there, schema version not yet written, our lock file beside it) is looked at
        again once that process is done."""
        try:
            self._check_foreign()
        except StoreError:
            if self.lock.path is None or not self.lock.path.exists():
                raise
            with self.lock.hold("setting up the database", notify=self.notify):
                self._check_foreign()

    def _check_foreign(self) -> None:
        """Refuse an SQLite file of another program: lagebild does not write into it."""
        if self.db.execute("PRAGMA user_version").fetchone()[0]:
            return
        query = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        tables = [r[0] for r in self.db.execute(query)]
        if tables:
            raise StoreError(
                f"{self.path} is an SQLite database of another program "
                f"(tables: {', '.join(tables[:5])}); choose another --db"
            )

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this lagebild "
                f"({SCHEMA_VERSION}); upgrade lagebild"
            )
        for number in range(version, SCHEMA_VERSION):
            if number + 1 in MIGRATION_STEPS:
                self._migrate_with_step(number)
                continue
            with self.db:
                self.db.executescript(MIGRATIONS[number])
                self.db.execute(f"PRAGMA user_version={number + 1}")
        if version < 2 <= SCHEMA_VERSION:
            self._fill_input_keys()
        if version < 10 <= SCHEMA_VERSION:
            self._compact()

    def _migrate_with_step(self, number: int) -> None:
        """Migration ``number`` and the rows it rewrites in Python, in one transaction: a
        crash in between leaves the database as it was, never half converted."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number]):
                self.db.execute(statement)
            MIGRATION_STEPS[number + 1](self)
            self.db.execute(f"PRAGMA user_version={number + 1}")
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    @contextlib.contextmanager
    def _triggers_set_aside(self, table: str, *, naming: bool = False) -> Iterator[None]:
        """The triggers on ``table`` dropped while a migration rewrites rows in another form
        (the content stays, so nothing they mark is stale) and made again as they were;
        with ``naming`` every trigger whose body names ``table`` too (a table cannot be
        renamed to a name that triggers name while it is missing)."""
        where = "sql LIKE '%' || ? || '%'" if naming else "tbl_name=?"
        triggers = self.db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='trigger' AND {where}", (table,)
        ).fetchall()
        for row in triggers:
            self.db.execute(f'DROP TRIGGER "{row["name"]}"')
        yield
        for row in triggers:
            self.db.execute(row["sql"])

    def _compress_texts(self) -> None:
        """Schema 20: every article's text compressed and put in the (now contentless)
        search index. The table's update triggers (the dossier cache's) are set aside
        meanwhile: the texts do not change, so no cached dossier is stale."""
        with self._triggers_set_aside("articles"):
            self._compress_text_rows()

    def _compress_text_rows(self) -> None:
        last = -1
        query = "SELECT seq, title, text FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000"
        while batch := self.db.execute(query, (last,)).fetchall():
            for row in batch:
                text = decode_text(row["text"], self.text_dict)
                self._index(row["seq"], row["title"], text)
                self.db.execute(
                    "UPDATE articles SET text=? WHERE seq=?", (encode_text(text), row["seq"])
                )
            last = batch[-1]["seq"]

    def _compact_stories(self) -> None:
        """Schema 21: story records from JSON to ``encode_story``'s form. The triggers on
        stories (story list, entities, dossier cache) are set aside: the stories stay."""
        rows = self.db.execute(
            "SELECT id, title, data FROM stories WHERE typeof(data)='text'"
        ).fetchall()  # JSON records hold their dates
        with self._triggers_set_aside("stories"):
            for row in rows:
                story = decode_story(row["id"], row["title"], row["data"])
                self.db.execute(
                    "UPDATE stories SET data=? WHERE id=?", (encode_story(story), row["id"])
                )

    def _compact_story_rows(self) -> None:
        """Schema 22: the story list's rows keep their data as ``listing.pack_row_data``
        makes it (derived rows, no triggers: rewritten in place, nothing marked)."""
        from lagebild.store.listing import pack_row_data

        rows = self.db.execute(
            "SELECT story_id, data FROM story_index WHERE typeof(data)='text'"
        ).fetchall()
        for row in rows:
            self.db.execute(
                "UPDATE story_index SET data=? WHERE story_id=?",
                (pack_row_data(json.loads(row["data"])), row["story_id"]),
            )

    def _name_terms_in_rows(self) -> None:
        """Schema 26: each story row keeps the names of the entities it does not show (its
        list terms are made of them), taken from its stored terms: the terms are then found
        from the row, and their index by story (~0.5 MB per 1,000 articles) goes."""
        from lagebild.store.listing import rows_with_terms

        rows_with_terms(self.db)

    def _pack_entity_rows(self) -> None:
        """Schema 27: entity rows' data from JSON objects to ``index.pack_data``'s array
        (derived rows, no triggers: rewritten in place)."""
        from lagebild.entities.index import pack_data, unpack_data

        last = 0
        query = "SELECT n, data FROM entity_index WHERE n > ? ORDER BY n LIMIT 5000"
        while batch := self.db.execute(query, (last,)).fetchall():
            self.db.executemany(
                "UPDATE entity_index SET data=? WHERE n=?",
                [(pack_data(*unpack_data(r[1])), r[0]) for r in batch if isinstance(r[1], str)],
            )
            last = batch[-1][0]

    def _person_word_keys_apart(self) -> None:
        """Schema 45: a person named in full is no longer found by the keys of its one-word
        forms (``entities.update.one_word_keys``): they go unless another of its forms still
        gives them (``entity_keys`` of its tally)."""
        from lagebild.entities.update import Tally, entity_keys, one_word_keys

        last = 0
        query = (
            "SELECT e.n, t.data FROM entity_index e JOIN entity_tally t ON t.entity = e.n"
            " WHERE e.n > ? AND e.type = 'PER' ORDER BY e.n LIMIT 5000"
        )
        while batch := self.db.execute(query, (last,)).fetchall():
            gone = []
            for n, data in batch:
                t = Tally.decode(data)
                words = one_word_keys(t)
                if words:
                    gone += [(k, n) for k in words - entity_keys(t)]
            self.db.executemany("DELETE FROM entity_keys WHERE key=? AND entity=?", sorted(gone))
            last = batch[-1][0]

    def _repack_analyses(self) -> None:
        """Schema 23: analyses stored before the codec's dictionary packed with it (the same
        MessagePack inside: ~20 % smaller)."""
        for row in self._stored_analyses("a.title, a.text"):
            data = repack_doc(row["doc"], row["title"], decode_text(row["text"], self.text_dict))
            if data is not None:
                self.db.execute(
                    "UPDATE docs SET data=? WHERE article_id=?", (data, row["article_id"])
                )

    def _analyses_v2(self) -> None:
        """Schema 31: analyses rewritten in the codec's format 2 (``codec.upgrade_doc``: the
        same analyses, ~42 % smaller)."""
        self._rewrite_analyses(None)  # the lemma table (schema 33) comes later

    def _rewrite_analyses(self, lemmas: LemmaTable | None) -> None:
        """Every stored analysis not yet in the current format with ``lemmas`` rewritten so
        (inside the caller's transaction); one this process stored as it still is
        (``_unlearned``) encoded again from its doc, without decoding it."""
        columns = ", ".join(f"a.{c}" for c in ARTICLE_SELECT.split(", "))
        for row in self._stored_analyses(columns):
            if (doc := self._held(row["article_id"], row["doc"])) is not None:
                data = encode_doc(doc, lemmas=lemmas)
            else:
                data = upgrade_doc(row["doc"], self._article(row), lemmas, self.lemma_table)
            if data is not None:
                self.db.execute(
                    "UPDATE docs SET data=? WHERE article_id=?", (data, row["article_id"])
                )

    def _stored_analyses(self, columns: str) -> Iterator[sqlite3.Row]:
        """Every stored analysis (``doc``, a blob) with ``columns`` of its article, 500 read
        at a time in id order, for a migration that rewrites them in place: they stay what
        they were, so the triggers on ``docs`` (story list, entities, dossier cache) are set
        aside meanwhile."""
        query = (
            f"SELECT d.article_id, d.data AS doc, {columns} FROM docs d"
            " JOIN articles a ON a.id = d.article_id"
            " WHERE d.article_id > ? AND typeof(d.data) = 'blob'"
            " ORDER BY d.article_id LIMIT 500"
        )
        last = ""
        with self._triggers_set_aside("docs"):
            while batch := self.db.execute(query, (last,)).fetchall():
                yield from batch
                last = batch[-1]["article_id"]

    def _pack_change_log(self) -> None:
        """Schema 32: the change log's JSON details and digests' outlet lists as
        ``codec.pack_json`` stores them (the same values; no trigger fires on an update)."""
        for table, key, column, first in (
            ("story_changes", "id", "detail", -1),
            ("story_digests", "story_id", "outlets", ""),
        ):
            query = (
                f"SELECT {key}, {column} FROM {table} WHERE {key} > ?"
                f" AND typeof({column}) = 'text' ORDER BY {key} LIMIT 5000"
            )
            last: object = first
            while rows := self.db.execute(query, (last,)).fetchall():
                self.db.executemany(
                    f"UPDATE {table} SET {column}=? WHERE {key}=?",
                    [(pack_json(unpack_json(r[1])), r[0]) for r in rows],
                )
                last = rows[-1][0]

    def _change_details_by_shape(self) -> None:
        """Schema 46: change-log details of the usual shapes stored by place
        (``codec.pack_detail``; the same values; no trigger fires on an update)."""
        query = "SELECT id, detail FROM story_changes WHERE id > ? ORDER BY id LIMIT 5000"
        last = -1
        while rows := self.db.execute(query, (last,)).fetchall():
            self.db.executemany(
                "UPDATE story_changes SET detail=? WHERE id=?",
                [
                    (packed, r[0])
                    for r in rows
                    if (packed := pack_detail(unpack_detail(r[1]))) != r[1]
                ],
            )
            last = rows[-1][0]

    def _change_passes(self) -> None:
        """Schema 56: each change names its pass (``change_passes``, numbered in the order
        of their first change) instead of holding the time; the table is copied in id order
        (rows stream) with its triggers and indexes made again. A log already in this form
        (a migration run again) is left as it is."""
        if "at" not in {r[1] for r in self.db.execute("PRAGMA table_info(story_changes)")}:
            return
        self.db.execute(
            "INSERT INTO change_passes (at) SELECT at FROM story_changes GROUP BY at"
            " ORDER BY MIN(id)"
        )
        self.db.execute(
            "CREATE TEMP TABLE lb_pass (at TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID"
        )
        self.db.execute(
            "INSERT INTO temp.lb_pass SELECT at, MAX(id) FROM change_passes GROUP BY at"
        )
        with self._triggers_set_aside("story_changes"):
            self.db.execute(
                "CREATE TABLE story_changes_new (id INTEGER PRIMARY KEY, story_id TEXT NOT NULL,"
                " pass INTEGER NOT NULL, kind TEXT NOT NULL, item TEXT NOT NULL,"
                " detail TEXT NOT NULL)"
            )
            self.db.execute(
                "INSERT INTO story_changes_new SELECT c.id, c.story_id, p.id, c.kind, c.item,"
                " c.detail FROM story_changes c JOIN temp.lb_pass p ON p.at = c.at ORDER BY c.id"
            )
            self.db.execute("DROP TABLE story_changes")
            self.db.execute("ALTER TABLE story_changes_new RENAME TO story_changes")
            self.db.execute("CREATE INDEX story_changes_story ON story_changes (story_id, id)")
            self.db.execute("CREATE INDEX story_changes_pass ON story_changes (pass)")
        self.db.execute("DROP TABLE temp.lb_pass")

    def _docs_by_stage_set(self) -> None:
        """Schema 57: each analysis names its stage list by number (``stage_sets``, numbered
        in the order each list was first stored); the table is copied in row order (rows
        stream, row numbers kept: ``latest_stages`` reads the last) with its triggers. A
        table already in this form (a migration run again) is left as it is."""
        kinds = {r[1]: r[2] for r in self.db.execute("PRAGMA table_info(docs)")}
        if kinds.get("stages") != "TEXT":
            return
        self.db.execute(
            "INSERT INTO stage_sets (stages) SELECT stages FROM docs GROUP BY stages"
            " ORDER BY MIN(rowid)"
        )
        with self._triggers_set_aside("docs"):
            self.db.execute(
                "CREATE TABLE docs_new (article_id TEXT PRIMARY KEY REFERENCES articles (id),"
                " stages INTEGER NOT NULL, data TEXT NOT NULL)"
            )
            self.db.execute(
                "INSERT INTO docs_new (rowid, article_id, stages, data)"
                " SELECT d.rowid, d.article_id, s.id, d.data FROM docs d"
                " JOIN stage_sets s ON s.stages = d.stages ORDER BY d.rowid"
            )
            self.db.execute("DROP TABLE docs")
            self.db.execute("ALTER TABLE docs_new RENAME TO docs")

    def _change_log_ids_packed(self) -> None:
        """Schema 58: the change log's story and item ids and kinds as ``pack_id`` and
        ``pack_kind`` keep them, 5,000 rows at a time in id order (the same values; no
        trigger fires on an update; a packed row stays as it is)."""
        query = "SELECT id, story_id, kind, item FROM story_changes WHERE id > ? ORDER BY id"
        last = -1
        while rows := self.db.execute(query + " LIMIT 5000", (last,)).fetchall():
            packed = [
                (pack_id(unpack_id(r[1])), pack_kind(unpack_kind(r[2])), pack_id(unpack_id(r[3])))
                for r in rows
            ]
            self.db.executemany(
                "UPDATE story_changes SET story_id=?, kind=?, item=? WHERE id=?",
                [(*p, r[0]) for p, r in zip(packed, rows, strict=True) if p != tuple(r[1:])],
            )
            last = rows[-1][0]

    def _story_rows_without_titles(self) -> None:
        """Schema 59: the story list's rows without the title column, copied in row order
        (rows stream) with their indexes made again. Rows already without it (a migration
        run again) are left as they are."""
        columns = [r[1] for r in self.db.execute("PRAGMA table_info(story_index)")]
        if "title" not in columns:
            return
        keep = ", ".join(c for c in columns if c != "title")
        indexes = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='story_index'"
            " AND sql IS NOT NULL"
        ).fetchall()
        with self._triggers_set_aside("story_index"):
            self.db.execute(
                "CREATE TABLE story_index_new (story_id TEXT PRIMARY KEY, first TEXT, last TEXT,"
                " articles INTEGER NOT NULL, originals INTEGER NOT NULL,"
                " outlets INTEGER NOT NULL, divergences INTEGER NOT NULL, changed TEXT,"
                " data TEXT NOT NULL, card BLOB)"
            )
            self.db.execute(
                f"INSERT INTO story_index_new (rowid, {keep})"
                f" SELECT rowid, {keep} FROM story_index ORDER BY rowid"
            )
            self.db.execute("DROP TABLE story_index")
            self.db.execute("ALTER TABLE story_index_new RENAME TO story_index")
            for (sql,) in indexes:
                self.db.execute(sql)

    def _story_articles_by_key(self) -> None:
        """Schema 60: ``story_articles`` WITHOUT ROWID, copied in key order (rows stream);
        its index made again, and every trigger that names it (its own, and those on docs
        and articles that look up a story's articles) set aside while it is replaced (a
        table cannot be renamed to a name that triggers name while it is missing). A table
        already in this form (a migration run again) is left as it is."""
        sql = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE type='table' AND name='story_articles'"
        ).fetchone()[0]
        if "WITHOUT ROWID" in sql.upper():
            return
        indexes = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='story_articles'"
            " AND sql IS NOT NULL"
        ).fetchall()
        with self._triggers_set_aside("story_articles", naming=True):
            self.db.execute(
                "CREATE TABLE story_articles_new ("
                " story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
                " article_id TEXT NOT NULL REFERENCES articles (id),"
                " PRIMARY KEY (story_id, article_id)) WITHOUT ROWID"
            )
            self.db.execute(
                "INSERT INTO story_articles_new SELECT story_id, article_id FROM story_articles"
                " ORDER BY story_id, article_id"
            )
            self.db.execute("DROP TABLE story_articles")
            self.db.execute("ALTER TABLE story_articles_new RENAME TO story_articles")
            for (index,) in indexes:
                self.db.execute(index)

    def _input_keys_as_bytes(self) -> None:
        """Schema 47: input keys as their 16 bytes instead of 32 hex digits (in the table and
        in its index). The articles stay what they were, so their triggers are set aside."""
        query = (
            "SELECT seq, input_key FROM articles WHERE seq > ? AND typeof(input_key) = 'text'"
            " ORDER BY seq LIMIT 5000"
        )
        last = -1
        with self._triggers_set_aside("articles"):
            while rows := self.db.execute(query, (last,)).fetchall():
                self.db.executemany(
                    "UPDATE articles SET input_key=? WHERE seq=?",
                    [(bytes.fromhex(r[1]), r[0]) for r in rows],
                )
                last = rows[-1][0]

    def _term_stories_as_bytes(self) -> None:
        """Schema 49: story list terms name their story by ``listing.term_story`` (8 bytes
        for a 16-hex-digit id). The terms are rewritten ``TERM_CHUNK`` at a time in key order (all at
        once held ~1.8 GB at 100k articles); a rewritten term sorts after every text id of its
        key, and only text ids are read, so each is read once."""
        from lagebild.store.listing import term_story

        query = (
            "SELECT kind, key, story_id, value FROM story_terms WHERE typeof(story_id) = 'text'"
            " AND (kind, key, story_id) > (?, ?, ?) ORDER BY kind, key, story_id LIMIT ?"
        )
        last: tuple[str, str, str] = ("", "", "")
        while rows := self.db.execute(query, (*last, TERM_CHUNK)).fetchall():
            last = (rows[-1][0], rows[-1][1], rows[-1][2])
            moved = [(k, key, sid, v) for k, key, sid, v in rows if term_story(sid) != sid]
            self.db.executemany(
                "DELETE FROM story_terms WHERE kind=? AND key=? AND story_id=?",
                [(k, key, sid) for k, key, sid, _ in moved],
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO story_terms (kind, key, story_id, value) VALUES (?,?,?,?)",
                [(k, key, term_story(sid), v) for k, key, sid, v in moved],
            )

    def _note_placed(self) -> None:
        """Migration 41: the story index's head notes up to where every article is placed."""
        from lagebild.stories.state import note_placed

        note_placed(self.db)

    def _story_card_column(self) -> None:
        """Schema 39: story rows get a column for the digest of what their card was made
        from (``listing.card_key``; added only where missing: a store taken back to an older
        version), filled for the rows that are up to date, so that the next ingest keeps
        the cards of the stories that only go dormant (``listing.stamp_cards``)."""
        from lagebild.dossier.cache import code_fingerprint
        from lagebild.store.listing import stamp_cards

        columns = {r[1] for r in self.db.execute("PRAGMA table_info(story_index)")}
        if "card" not in columns:
            self.db.execute("ALTER TABLE story_index ADD COLUMN card BLOB")
        # an analysis names its stage list by number from schema 57 on (``stage_sets``);
        # before, the column holds the list: the keys are the same
        kinds = {r[1]: r[2] for r in self.db.execute("PRAGMA table_info(docs)")}
        stages = STAGES_OF_DOC if kinds.get("stages") == "INTEGER" else "d.stages"
        stamp_cards(self.db, code_fingerprint(), stages)

    def _stories_without_dates(self) -> None:
        """Schema 35: story records without the first and last dates their columns hold
        (``codec.encode_story``). The stories stay, so the triggers on stories are set
        aside."""
        query = (
            "SELECT id, title, first, last, data FROM stories"
            " WHERE id > ? AND typeof(data) = 'blob' ORDER BY id LIMIT 1000"
        )
        last = ""
        with self._triggers_set_aside("stories"):
            while batch := self.db.execute(query, (last,)).fetchall():
                self.db.executemany(
                    "UPDATE stories SET data=? WHERE id=?",
                    [(encode_story(_story(r)), r["id"]) for r in batch],
                )
                last = batch[-1]["id"]

    def _index(self, seq: int, title: str, text: str) -> None:
        """Put one article in the search index (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO articles_search (rowid, title, text) VALUES (?,?,?)",
            (seq, index_form(title), index_form(text)),
        )

    def _unindex(self, seq: int, title: str, text: str) -> None:
        """Take one article out of the contentless search index, which needs the very
        title and text it was given."""
        self.db.execute(
            "INSERT INTO articles_search (articles_search, rowid, title, text)"
            " VALUES ('delete', ?, ?, ?)",
            (seq, index_form(title), index_form(text)),
        )

    def _reindex(self) -> None:
        """Schema 25: the search index built anew from the stored texts, in ``index_form``
        (a contentless index cannot be told which rows held the unfolded letters)."""
        self.db.execute("INSERT INTO articles_search (articles_search) VALUES ('delete-all')")
        last = -1
        query = "SELECT seq, title, text FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000"
        while batch := self.db.execute(query, (last,)).fetchall():
            for row in batch:
                self._index(row["seq"], row["title"], decode_text(row["text"], self.text_dict))
            last = batch[-1]["seq"]

    def _reindex_text_first(self) -> None:
        """Schema 44: the search index (now text, then title) built anew from the stored
        texts and merged into one segment."""
        self._reindex()
        self.db.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")

    def _compact_entity_parts(self) -> None:
        """Schema 28: entity parts name their story by ``index.article_key`` (a story id's 8
        bytes instead of 16 characters, in the table and in its index by entity), and the
        search index is merged into one segment (``compact_search``)."""
        from lagebild.entities.index import article_key

        owners = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT story_id FROM entity_parts WHERE typeof(story_id)='text'"
            )
        ]
        self.db.executemany(
            "UPDATE entity_parts SET story_id=? WHERE story_id=?",
            [(key, o) for o in owners if isinstance(key := article_key(o), bytes)],
        )
        self.db.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")

    def _articles_without_columns(self) -> None:
        """Schema 29: article records without the fields their columns hold as well (each
        dropped only where it equals its column; one the record left at its default while
        the column holds a value is written out, so it still reads so). The table's update triggers (the dossier
        cache's) are set aside: the articles stay what they were."""
        packer, unpacker = msgspec.msgpack.Encoder(), msgspec.msgpack.Decoder()
        last = -1
        query = (
            f"SELECT seq, data, {', '.join(ARTICLE_COLUMNS)} FROM articles"
            " WHERE seq > ? AND typeof(data) = 'blob' ORDER BY seq LIMIT 1000"
        )
        with self._triggers_set_aside("articles"):
            while batch := self.db.execute(query, (last,)).fetchall():
                rows = []
                for row in batch:
                    data = unpacker.decode(row["data"])
                    if "id" not in data:  # written without them already (ids are required)
                        continue
                    kept = {
                        k: v for k, v in data.items() if k not in ARTICLE_COLUMNS or v != row[k]
                    }
                    for k in ARTICLE_COLUMNS:  # a default the record left out, said outright
                        if k not in data and row[k] is not None:
                            kept[k] = None
                    if kept != data:
                        rows.append((packer.encode(kept), row["seq"]))
                self.db.executemany("UPDATE articles SET data=? WHERE seq=?", rows)
                last = batch[-1]["seq"]

    def compact_search(self, added: int) -> bool:
        """Merge the search index into one segment after an ingest that added at least a
        tenth of the articles: FTS5 leaves a bulk load in many partly merged segments (~8 %
        more bytes on 1,000 10kGNAD articles). Costs a pass over the index (~30 ms per 1,000
        articles), so small ingests leave it to FTS5's own merging."""
        total = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        if not added or added * 10 < total:
            return False
        with self.transaction():
            self.db.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")
        return True

    def _fill_input_keys(self) -> None:
        """Input keys of articles stored before schema 2, from their stored source and raw."""
        rows = self.db.execute("SELECT id, data FROM articles WHERE input_key IS NULL").fetchall()
        with self.db:
            for row in rows:
                data = json.loads(row["data"])
                key = input_key(data.get("source", ""), data.get("raw", ""))
                self.db.execute("UPDATE articles SET input_key=? WHERE id=?", (key, row["id"]))

    def _compact(self) -> None:
        """Articles and analyses stored as JSON (before schema 10) in the compact form."""
        rows = self.db.execute("SELECT id, data FROM articles WHERE typeof(data)='text'")
        with self.db:
            for row in rows.fetchall():
                art = from_dict(Article, json.loads(row["data"]))
                self.db.execute(
                    "UPDATE articles SET data=? WHERE id=?", (_article_blob(art), row["id"])
                )
        query = (
            "SELECT d.article_id, d.data FROM docs d WHERE typeof(d.data)='text'"
            " AND d.article_id > ? ORDER BY d.article_id LIMIT 500"
        )
        last = ""
        while batch := self.db.execute(query, (last,)).fetchall():
            with self.db:
                for row in batch:
                    data = json.loads(row["data"])
                    data["article"] = to_dict(self._article_by_id(row["article_id"]))
                    blob = encode_doc(from_dict(Doc, data))
                    self.db.execute(
                        "UPDATE docs SET data=? WHERE article_id=?", (blob, row["article_id"])
                    )
            last = batch[-1]["article_id"]

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ articles

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store new articles in one transaction; ones already stored count as duplicates."""
        added: list[str] = []
        dups: list[str] = []
        now = datetime.now(UTC).isoformat()
        with self.transaction():
            self._zdict = None  # read inside the transaction: another writer may have learned it
            self._raw_dict = None
            for art in articles:
                key = input_key(art.source, art.raw)
                if art.id in added or self._has(art.id) or self._read_before(key):
                    dups.append(art.id)
                    continue
                seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[
                    0
                ]
                self._insert(art, seq, now)
                added.append(art.id)
            if added:
                self._learn_text_dict()
                self._learn_raw_dict()
        return AddResult(tuple(added), tuple(dups))

    def _article(self, row: sqlite3.Row) -> Article:
        """The article of a row with its title, text, data and ``ARTICLE_COLUMNS``."""
        return decode_article(row["title"], row["text"], row["data"], row, self.text_dict)

    def text_dict(self, dict_id: int) -> bytes:
        """The text dictionary with this Adler-32 (``codec.text_dict_id``); read again when
        not known (another process may have learned it since)."""
        if dict_id not in self._text_dicts:
            query = "SELECT dict FROM text_dicts"
            if self._has_table("raw_dicts"):  # the raw records' (schema 36)
                query += " UNION ALL SELECT dict FROM raw_dicts"
            self._text_dicts = {zlib.adler32(d): d for (d,) in self.db.execute(query)}
        if dict_id not in self._text_dicts:
            raise StoreError(f"{self.path}: a text was packed with a dictionary it lacks")
        return self._text_dicts[dict_id]

    def _has_table(self, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
        return self.db.execute(query, (name,)).fetchone() is not None

    def _write_raw_dict(self) -> bytes:
        """The dictionary new raw records are packed with (b"" until one is learned)."""
        if self._raw_dict is None:
            self._raw_dict = self._newest_dict("raw_dicts")
        return self._raw_dict

    def _learn_raw_dict(self) -> None:
        """Once a store holds ``LEARN_TEXTS`` articles: learn its raw-record dictionary from
        the first of them (``codec.learn_raw_dict``) and pack every stored raw record with it
        (inside the caller's transaction). The articles stay what they were, so the update
        triggers on articles (the dossier cache's) are set aside."""
        self._raw_dict = None  # read again inside the transaction: another writer may have it
        if self._write_raw_dict():
            return
        query = f"SELECT seq, {ARTICLE_SELECT} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?"
        first = self.db.execute(query, (-1, LEARN_TEXTS)).fetchall()
        if len(first) < LEARN_TEXTS:
            return
        raw_dict = learn_raw_dict(self._article(r) for r in first)
        if not raw_dict:
            return
        self.db.execute("INSERT INTO raw_dicts (dict) VALUES (?)", (raw_dict,))
        self._raw_dict = raw_dict
        last = -1
        with self._triggers_set_aside("articles"):
            while batch := self.db.execute(query, (last, 1000)).fetchall():
                self.db.executemany(
                    "UPDATE articles SET data=? WHERE seq=?",
                    [(encode_article(self._article(r), raw_dict), r["seq"]) for r in batch],
                )
                last = batch[-1]["seq"]

    def lemma_table(self, table_id: int) -> LemmaTable:
        """The lemma table with this id (``codec.LemmaTable``); read again when not known
        (another process may have learned it since)."""
        if table_id not in self._lemma_tables:
            tables = (LemmaTable.of(d) for (d,) in self.db.execute("SELECT data FROM lemma_tables"))
            self._lemma_tables = {t.id: t for t in tables}
        if table_id not in self._lemma_tables:
            raise StoreError(f"{self.path}: an analysis was encoded with a lemma table it lacks")
        return self._lemma_tables[table_id]

    def _write_lemmas(self) -> LemmaTable | None:
        """The lemma table new analyses are encoded with (None until one is learned)."""
        if not self._lemmas_read:
            row = self.db.execute(
                "SELECT data FROM lemma_tables ORDER BY id DESC LIMIT 1"
            ).fetchone()
            self._lemmas = LemmaTable.of(row[0]) if row else None
            self._lemmas_read = True
        return self._lemmas

    def _learn_lemma_table(self) -> None:
        """Once a store holds ``LEARN_LEMMAS`` analyses: learn its lemma table from those of
        its first articles (``codec.learn_lemma_table``) and rewrite every stored analysis
        with it (inside the caller's transaction; at most ~200 + a batch during an ingest)."""
        enough = "SELECT 1 FROM docs LIMIT 1 OFFSET ?"
        if self.db.execute(enough, (LEARN_LEMMAS - 1,)).fetchone() is None:
            return
        self._lemmas_read = False  # read inside the transaction: another writer may have it
        if self._write_lemmas() is not None:
            return
        columns = ", ".join(f"a.{c}" for c in ARTICLE_SELECT.split(", "))
        rows = self.db.execute(
            f"SELECT d.data AS doc, {columns} FROM docs d JOIN articles a ON a.id = d.article_id"
            " WHERE typeof(d.data) = 'blob' ORDER BY a.seq LIMIT ?",
            (LEARN_LEMMAS,),
        ).fetchall()
        if len(rows) < LEARN_LEMMAS:
            return
        docs = [
            self._held(r["id"], r["doc"])
            or decode_doc(r["doc"], self._article(r), self.lemma_table)
            for r in rows
        ]
        packed = learn_lemma_table(docs)
        self.db.execute("INSERT INTO lemma_tables (data) VALUES (?)", (packed,))
        self._lemmas = LemmaTable.of(packed)
        self._rewrite_analyses(self._lemmas)
        self._unlearned.clear()

    def _held(self, article_id: str, stored: bytes) -> Doc | None:
        """The doc this process stored as ``stored`` for the article, if it kept it: what
        decoding ``stored`` gives back (``encode_doc`` keeps every field it writes)."""
        held = self._unlearned.get(article_id)
        return held[1] if held is not None and held[0] == stored else None

    def _write_dict(self) -> bytes:
        """The dictionary new texts are packed with (b"" until one is learned)."""
        if self._zdict is None:
            self._zdict = self._newest_dict("text_dicts")
        return self._zdict

    def _newest_dict(self, table: str) -> bytes:
        """The newest dictionary learned into ``table`` (text_dicts, raw_dicts); b"" if none."""
        row = self.db.execute(f"SELECT dict FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else b""

    def _story_state_rows(self) -> None:
        """Migration 37: the story index's single state into its head and tables."""
        from lagebild.stories.state import convert

        convert(self.db)

    def _story_postings_in_vocab(self) -> None:
        """Migration 40: the story index's postings into its vocabulary's rows."""
        from lagebild.stories.state import postings_into_vocab

        postings_into_vocab(self.db)

    def _story_rows_packed(self) -> None:
        """Migration 41: the story index's dormant stories in row format 2."""
        from lagebild.stories.state import repack_archive

        repack_archive(self.db)

    def _learn_text_dict(self) -> None:
        """Once a store holds ``LEARN_TEXTS`` articles: learn its text dictionary from the
        first of them (``codec.learn_text_dict``) and pack every stored text with it (inside
        the caller's transaction). The texts stay what they were, so the update triggers on
        articles (the dossier cache's) are set aside."""
        self._zdict = None  # read again inside the transaction: another writer may have it
        if self._write_dict():
            return
        texts = [
            decode_text(t, self.text_dict)
            for (t,) in self.db.execute(
                "SELECT text FROM articles ORDER BY seq LIMIT ?", (LEARN_TEXTS,)
            )
        ]
        if len(texts) < LEARN_TEXTS or not (zdict := learn_text_dict(texts)):
            return
        self.db.execute("INSERT INTO text_dicts (dict) VALUES (?)", (zdict,))
        self._zdict = zdict
        last = -1
        query = "SELECT seq, text FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000"
        with self._triggers_set_aside("articles"):
            while batch := self.db.execute(query, (last,)).fetchall():
                self.db.executemany(
                    "UPDATE articles SET text=? WHERE seq=?",
                    [
                        (encode_text(decode_text(r["text"], self.text_dict), zdict), r["seq"])
                        for r in batch
                    ],
                )
                last = batch[-1]["seq"]

    def _insert(self, art: Article, seq: int, now: str) -> None:
        """One article row and its full-text row (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO articles (id, seq, title, text, url, outlet, published, language,"
            " source, format, ingested_at, data, input_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                art.id,
                seq,
                art.title,
                encode_text(art.text, self._write_dict()),
                art.url,
                art.outlet,
                art.published.isoformat() if art.published else None,
                art.language,
                art.source,
                art.format,
                now,
                encode_article(art, self._write_raw_dict()),
                input_key(art.source, art.raw),
            ),
        )
        self._index(seq, art.title, art.text)

    def replace_article(self, old: Article, new: Article) -> None:
        """Put ``new`` (the same input read again) in the place of ``old``, keeping ``old`` in
        the ``rereads`` table: nothing ingested is lost. Its analysis and story links go (the
        caller analyses and clusters again); its position in ingest order stays."""
        now = datetime.now(UTC).isoformat()
        row = self.db.execute(
            f"SELECT seq, ingested_at, {ARTICLE_SELECT} FROM articles WHERE id=?", (old.id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {old.id!r}")
        seq = row["seq"]
        before = self._article(row)
        stored = json.dumps(to_dict(before), ensure_ascii=False)
        with self.transaction():
            self.db.execute(
                "INSERT INTO rereads (old_id, new_id, at, old_data) VALUES (?,?,?,?)",
                (old.id, new.id, now, stored),
            )
            self.db.execute("DELETE FROM docs WHERE article_id=?", (old.id,))
            self.db.execute("DELETE FROM story_articles WHERE article_id=?", (old.id,))
            # the story index's placed articles name stored articles only (``stories.state.
            # Placed``: the new one, in the old one's place, is not placed yet)
            self.db.execute("DELETE FROM story_seen WHERE id=?", (old.id,))
            self.db.execute("DELETE FROM articles WHERE id=?", (old.id,))
            self._unindex(seq, before.title, before.text)
            if new.id == old.id or not self._has(new.id):  # else it now equals a stored one
                self._insert(new, seq, row["ingested_at"])

    def rereads(self, article_id: str) -> list[Article]:
        """Earlier versions of an article, oldest first."""
        rows = self.db.execute(
            "SELECT old_data FROM rereads WHERE new_id=? ORDER BY id", (article_id,)
        )
        return [from_dict(Article, json.loads(r["old_data"])) for r in rows]

    def _read_before(self, key: bytes | None) -> bool:
        """Whether the same input (source and raw text) is stored already, perhaps under another
        id because the cleaning rules changed since."""
        if key is None:
            return False
        row = self.db.execute("SELECT 1 FROM articles WHERE input_key=?", (key,)).fetchone()
        return row is not None

    def _has(self, article_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
            is not None
        )

    def add_rejections(self, rejections: Iterable[Rejection]) -> None:
        now = datetime.now(UTC).isoformat()
        with self.transaction():
            self.db.executemany(
                "INSERT INTO rejections (source, stage, reason, at) VALUES (?,?,?,?)",
                [(r.source, r.stage, r.reason, now) for r in rejections],
            )

    def rejections(self) -> list[Rejection]:
        rows = self.db.execute("SELECT source, stage, reason FROM rejections ORDER BY id")
        return [Rejection(r["source"], r["stage"], r["reason"]) for r in rows]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article(self, ref: str) -> Article:
        """The article whose id is ``ref`` or starts with it (unique prefix)."""
        return self._article(self._by_ref("articles", ref, "article"))

    def _article_by_id(self, article_id: str) -> Article:
        row = self.db.execute(
            f"SELECT {ARTICLE_SELECT} FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        return self._article(row)

    def _by_ref(self, table: str, ref: str, noun: str) -> sqlite3.Row:
        """The row of ``table`` whose id is ``ref``, else the one whose id starts with it.

        Both are lookups in the primary-key index (an id range for the prefix, never LIKE,
        which scans the table), so the cost does not grow with the corpus."""
        ref = ref.strip()
        row = self.db.execute(f"SELECT * FROM {table} WHERE id=?", (ref,)).fetchone()
        if row is not None:
            return row
        end = _prefix_end(ref)
        query = f"SELECT * FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2"
        if not ref:
            rows = []
        elif end is None:
            rows = self.db.execute(query.replace(" AND id < ?", ""), (ref,)).fetchall()
        else:
            rows = self.db.execute(query, (ref, end)).fetchall()
        if not rows:
            raise NotFound(f"no {noun} with id {ref!r}")
        if len(rows) > 1:
            raise StoreError(f"{noun} id prefix {ref!r} is ambiguous; give more characters")
        return rows[0]

    def articles(self, ids: Sequence[str] | None = None) -> Iterator[Article]:
        """Articles in ingest order (or in the order of ``ids``)."""
        if ids is None:
            for row in self.db.execute(f"SELECT {ARTICLE_SELECT} FROM articles ORDER BY seq"):
                yield self._article(row)
            return
        query = f"SELECT {ARTICLE_SELECT} FROM articles WHERE id=?"
        for article_id in ids:
            row = self.db.execute(query, (article_id,)).fetchone()
            if row is not None:
                yield self._article(row)

    def article_dates(self) -> Iterator[tuple[str, datetime | None]]:
        """(id, publication time) of every article in ingest order, without reading texts."""
        for _, article_id, published in self.articles_after(None):
            yield article_id, published

    def articles_after(self, seq: int | None) -> Iterator[tuple[int, str, datetime | None]]:
        """(seq, id, publication time) of the articles after the one at ``seq`` (None: of
        every article) in ingest order, without reading texts."""
        query = "SELECT seq, id, published FROM articles"
        rows = (
            self.db.execute(query + " ORDER BY seq")
            if seq is None
            else self.db.execute(query + " WHERE seq > ? ORDER BY seq", (seq,))
        )
        for row in rows:
            published = row["published"]
            yield row["seq"], row["id"], datetime.fromisoformat(published) if published else None

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search (``store.search``: words AND-ed, ``OR``, ``-word``, ``"phrase"``,
        ``prefix*``, diacritics and case folded); article and a snippet, matched words in
        [brackets]."""
        from lagebild.store.search import search

        try:
            page = search(self, query, limit=limit)
        except StoreError as exc:
            if str(exc).startswith("bad search query"):
                raise
            raise StoreError(f"bad search query {query!r}: {exc}") from exc
        return [(h.article, h.snippet.bracketed()) for h in page.hits]

    # ------------------------------------------------------------------ analyses

    def put_docs(self, docs: Iterable[Doc], encoded: Mapping[str, bytes] | None = None) -> None:
        """Store per-article analyses (one row per article, replaced when re-run). An analysis
        in ``encoded`` (article id -> what ``encode_doc`` made of it, e.g. a Spark job's
        output) is stored as those bytes, not encoded again."""
        known = encoded or {}
        with self.transaction():
            lemmas = self._write_lemmas()
            numbers: dict[str, int] = {}
            rows = []
            for d in docs:
                data = known.get(d.id)
                if data is None:
                    data = encode_doc(d, lemmas=lemmas)
                    if lemmas is None and len(self._unlearned) < 2 * LEARN_LEMMAS:
                        self._unlearned[d.id] = (data, d)
                rows.append((d.id, self.stage_set(",".join(d.stages), numbers), data))
            self.db.executemany(
                "INSERT OR REPLACE INTO docs (article_id, stages, data) VALUES (?,?,?)", rows
            )
            if lemmas is None:
                self._learn_lemma_table()

    def stage_set(self, stages: str, numbers: dict[str, int] | None = None) -> int:
        """The number ``docs.stages`` holds for the stage list ``stages`` (schema 57), made
        when new (inside the caller's transaction); ``numbers`` keeps those asked for in one
        transaction (a number made in one that is rolled back must not be used after it)."""
        number = None if numbers is None else numbers.get(stages)
        if number is None:
            number = self._stage_number(stages)
            if number is None:
                cur = self.db.execute("INSERT INTO stage_sets (stages) VALUES (?)", (stages,))
                number = int(cur.lastrowid or 0)
            if numbers is not None:
                numbers[stages] = number
        return number

    def _stage_number(self, stages: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM stage_sets WHERE stages=? ORDER BY id LIMIT 1", (stages,)
        ).fetchone()
        return None if row is None else int(row[0])

    def doc(self, article_id: str, stages: Sequence[str] | None = None) -> Doc | None:
        """The stored analysis of one article, or None when missing or made by other stages."""
        row = self.db.execute(
            f"SELECT {STAGES_OF_DOC} AS stages, d.data AS doc, a.title, a.text, a.data, a.id, a.source, a.format,"
            " a.url, a.outlet, a.published, a.language FROM docs d"
            " JOIN articles a ON a.id = d.article_id WHERE d.article_id=?",
            (article_id,),
        ).fetchone()
        if row is None or (stages is not None and row["stages"] != ",".join(stages)):
            return None
        article = self._article(row)
        if isinstance(row["doc"], str):  # a row not yet converted (kept readable)
            return from_dict(Doc, {**json.loads(row["doc"]), "article": to_dict(article)})
        return decode_doc(row["doc"], article, self.lemma_table)

    def latest_stages(self) -> tuple[str, ...]:
        """The stage versions of the analysis stored last, () when there is none."""
        row = self.db.execute(
            f"SELECT {STAGES_OF_DOC} AS stages FROM docs d ORDER BY d.rowid DESC LIMIT 1"
        ).fetchone()
        return tuple(row["stages"].split(",")) if row is not None and row["stages"] else ()

    def analysed(self, ids: Iterable[str], stages: Sequence[str]) -> set[str]:
        """Which of ``ids`` have an analysis made by ``stages`` (without reading it)."""
        want = self._stage_number(",".join(stages))
        out: set[str] = set()
        if want is None:  # no analysis was made by these stages
            return out
        query = "SELECT article_id FROM docs WHERE article_id=? AND stages=?"
        for article_id in ids:
            if self.db.execute(query, (article_id, want)).fetchone() is not None:
                out.add(article_id)
        return out

    def stale(self, stages: Sequence[str]) -> list[str]:
        """Ids of articles whose stored analysis was made by other stage versions than
        ``stages`` (an upgrade, another model, the other NER mode), in ingest order."""
        rows = self.db.execute(
            "SELECT d.article_id FROM docs d JOIN articles a ON a.id = d.article_id"
            " WHERE d.stages IS NOT ? ORDER BY a.seq",
            (self._stage_number(",".join(stages)),),
        )
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ stories

    def put_stories(
        self,
        stories: Iterable[Story],
        replace_all: bool = False,
        merged: Mapping[str, str] | None = None,
    ) -> None:
        """Write stories (all of them when ``replace_all``). ``merged`` maps story ids merged
        away to the story that took them; those rows go and their ids redirect. With
        ``replace_all``, a story id that does not come back redirects to the new story that
        holds most of its articles, so old links keep resolving."""
        stories = list(stories)
        now = datetime.now(UTC).isoformat()
        with self.transaction():
            redirects: dict[str, tuple[str, str]] = {
                old: (new, "merged") for old, new in (merged or {}).items()
            }
            if replace_all:
                before: dict[str, list[str]] = {}
                for row in self.db.execute("SELECT story_id, article_id FROM story_articles"):
                    before.setdefault(row["story_id"], []).append(row["article_id"])
                story_of = {a: st.id for st in stories for a in st.article_ids}
                kept = {st.id for st in stories}
                for old, arts in before.items():
                    if old in kept or old in redirects:
                        continue
                    votes = Counter(story_of[a] for a in arts if a in story_of)
                    if votes:
                        new = min(votes, key=lambda s: (-votes[s], s))
                        redirects[old] = (new, "reclustered")
                self.db.execute("DELETE FROM story_articles")
                self.db.execute("DELETE FROM stories")
            for old in redirects:
                self.db.execute("DELETE FROM story_articles WHERE story_id=?", (old,))
                self.db.execute("DELETE FROM stories WHERE id=?", (old,))
            for old, (new, reason) in redirects.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO story_redirects (old_id, new_id, reason, at)"
                    " VALUES (?,?,?,?)",
                    (old, new, reason, now),
                )
                # earlier redirects to ``old`` now point on to ``new``
                self.db.execute("UPDATE story_redirects SET new_id=? WHERE new_id=?", (new, old))
            self.db.execute("DELETE FROM story_redirects WHERE old_id IN (SELECT id FROM stories)")
            for st in stories:
                self.db.execute(
                    "INSERT OR REPLACE INTO stories (id, title, first, last, size, data)"
                    " VALUES (?,?,?,?,?,?)",
                    (
                        st.id,
                        st.title,
                        st.first.isoformat() if st.first else None,
                        st.last.isoformat() if st.last else None,
                        len(st.article_ids),
                        encode_story(st),
                    ),
                )
                self.db.execute("DELETE FROM story_articles WHERE story_id=?", (st.id,))
                self.db.executemany(
                    "INSERT OR REPLACE INTO story_articles (story_id, article_id) VALUES (?,?)",
                    [(st.id, a) for a in st.article_ids],
                )
                self.db.execute("DELETE FROM story_redirects WHERE old_id=?", (st.id,))

    def story_redirect(self, story_id: str) -> str | None:
        """The story an old (merged or reclustered) story id points to now, or None."""
        row = self.db.execute(
            "SELECT new_id FROM story_redirects WHERE old_id=?", (story_id,)
        ).fetchone()
        return row["new_id"] if row else None

    def stories(self) -> list[Story]:
        rows = self.db.execute(
            "SELECT id, title, first, last, data FROM stories ORDER BY size DESC, first"
        )
        return [_story(r) for r in rows]

    def story(self, ref: str) -> Story:
        """The story whose id is ``ref`` or starts with it (unique prefix); an id merged into
        another story (or gone in a clustering from scratch) resolves to the story that holds
        its articles now."""
        try:
            return _story(self._by_ref("stories", ref, "story"))
        except NotFound:
            new = self._redirect(ref)
            if new is None:
                raise
            return self.story(new)

    def _redirect(self, ref: str) -> str | None:
        """The story a redirected (old) story id or unique prefix of one points to now."""
        ref = ref.strip()
        row = self.db.execute(
            "SELECT new_id FROM story_redirects WHERE old_id=?", (ref,)
        ).fetchone()
        if row is not None or not ref:
            return row["new_id"] if row else None
        end = _prefix_end(ref)
        query = "SELECT DISTINCT new_id FROM story_redirects WHERE old_id >= ?"
        args: tuple[str, ...] = (ref,)
        if end is not None:
            query, args = query + " AND old_id < ?", (ref, end)
        rows = self.db.execute(query + " LIMIT 2", args).fetchall()
        if len(rows) > 1:
            raise StoreError(f"story id prefix {ref!r} is ambiguous; give more characters")
        return rows[0]["new_id"] if rows else None

    def story_of(self, article_id: str) -> Story | None:
        row = self.db.execute(
            "SELECT story_id FROM story_articles WHERE article_id=?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        story = self.db.execute(
            "SELECT id, title, first, last, data FROM stories WHERE id=?", (row["story_id"],)
        )
        return _story(story.fetchone())

    # ------------------------------------------------------------------ state of stages

    def get_state(self, key: str) -> Any:
        """JSON state a stage keeps between runs (e.g. the story index), or None."""
        rows = self.db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchall()
        # the stored bytes go to the decoder with no other reference, so it can drop them
        return decode_state(rows.pop()[0]) if rows else None

    def put_state(self, key: str, value: Any) -> None:
        """Keep ``value`` as JSON text; a large one (the story index: 6.6 MB of JSON per 1,000
        articles, ~150 MB at 50,000) zlib-compressed as a blob (1.9 and 45 MB), encoded and
        compressed piece by piece (``state.encode_state``). Both forms read back alike.
        A blob is written into a row made to its size (``blobopen``): bound as a parameter,
        SQLite copies it and builds its record with another copy (+70 MB at 50k)."""
        stored = encode_state(value)
        with self.transaction():
            if isinstance(stored, str):
                self.db.execute(
                    "INSERT OR REPLACE INTO state (key, value) VALUES (?,?)", (key, stored)
                )
                return
            self.db.execute(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, zeroblob(?))",
                (key, len(stored)),
            )
            (rowid,) = self.db.execute("SELECT rowid FROM state WHERE key=?", (key,)).fetchone()
            with self.db.blobopen("state", "value", rowid) as blob:
                blob.write(stored)

    # ------------------------------------------------------------------ unfinished work

    def unanalysed(self) -> list[str]:
        """Ids of articles without any stored analysis, in ingest order (an interrupted
        ingest leaves them; a stale analysis is redone when asked for, not listed here).

        Every analysis belongs to a stored article (a foreign key), so the counts say how
        many there are; they are looked for from the newest article back (where an ingest
        leaves them) and the look stops at the last one: ~1 ms instead of ~0.2-0.5 s for a
        look at every article of a 100k store."""
        articles = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        missing = articles - self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        if missing <= 0:
            return []
        rows = self.db.execute(
            "SELECT id FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM docs d WHERE d.article_id = a.id) ORDER BY seq DESC LIMIT ?",
            (missing,),
        )
        return [r[0] for r in rows][::-1]

    def unclustered(self) -> int:
        """How many articles are in no story (an interrupted ingest, or ``--no-analyze``)."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles s WHERE s.article_id = a.id)"
        ).fetchone()
        return int(row[0])

    def check(self) -> list[str]:
        """Problems found by an integrity check (empty when the database is consistent)."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        try:
            self.db.execute(
                "INSERT INTO articles_search (articles_search, rank) VALUES ('integrity-check', 1)"
            )
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index does not match the articles: {exc}")
        return problems


def _article_blob(art: Article) -> bytes:
    return encode_article(art)


def _story(row: sqlite3.Row) -> Story:
    """The story of a row with its id, title, first, last and data columns."""
    return decode_story(row["id"], row["title"], row["data"], row["first"], row["last"])


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, one by one (``executescript`` would commit
    the transaction a migration with a Python step runs in)."""
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            yield current.strip()
            current = ""
    if current.strip():
        yield current.strip()


# Python work a migration needs beyond its SQL, by the schema version it leads to
MIGRATION_STEPS: dict[int, Callable[[Store], None]] = {
    20: Store._compress_texts,
    21: Store._compact_stories,
    22: Store._compact_story_rows,
    23: Store._repack_analyses,
    25: Store._reindex,
    26: Store._name_terms_in_rows,
    27: Store._pack_entity_rows,
    28: Store._compact_entity_parts,
    29: Store._articles_without_columns,
    30: Store._learn_text_dict,
    31: Store._analyses_v2,
    32: Store._pack_change_log,
    34: Store._learn_lemma_table,
    35: Store._stories_without_dates,
    36: Store._learn_raw_dict,
    37: Store._story_state_rows,
    39: Store._story_card_column,
    40: Store._story_postings_in_vocab,
    41: Store._story_rows_packed,
    42: Store._note_placed,
    44: Store._reindex_text_first,
    45: Store._person_word_keys_apart,
    46: Store._change_details_by_shape,
    47: Store._input_keys_as_bytes,
    49: Store._term_stories_as_bytes,
    56: Store._change_passes,
    57: Store._docs_by_stage_set,
    58: Store._change_log_ids_packed,
    59: Store._story_rows_without_titles,
    60: Store._story_articles_by_key,
}


def _prefix_end(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (None: no bound).

    SQLite compares TEXT by its UTF-8 bytes, which order like the code points."""
    for i in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[i]) + 1
        code = 0xE000 if code == 0xD800 else code  # surrogates are not characters
        if code <= 0x10FFFF:
            return prefix[:i] + chr(code)
    return None
