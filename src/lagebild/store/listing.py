"""The story list: filters, facets, sorting and paging over precomputed story rows.

One query layer for every list of stories (the web pages, ``/api/stories``, the CLI): a
``StoryQuery`` in, a ``StoryPage`` out. Each story has one row (its sort keys and card) and
one term per outlet, language and entity (``story_terms``), written when the story changes;
triggers on ``stories`` mark what to rewrite (migration 8). Paging is by keyset: the cursor
holds the sort key of the last row shown, so a page stays right while stories are added.
User input only ever reaches SQL as bound parameters, and matches whole values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec

from lagebild.errors import StoreError
from lagebild.model import Article, DatePrecision, Story, day_label
from lagebild.store.codec import (
    ARTICLE_SELECT,
    STAGES_OF_DOC,
    decode_article,
    decode_story,
    pack_id,
)
from lagebild.store.story_counts import StoryCounts, bump
from lagebild.text.fold import fold, spellings

if TYPE_CHECKING:
    from lagebild.dossier.card import StoryCard
    from lagebild.store.sqlite import Store

# sort name -> (first key, second key) of ORDER BY … DESC, story_id DESC
SORTS: dict[str, tuple[str, str]] = {
    "latest": ("COALESCE(s.last, '')", "s.articles"),
    "largest": ("s.articles", "COALESCE(s.last, '')"),
    "outlets": ("s.outlets", "s.articles"),
    "changed": ("COALESCE(s.changed, '')", "COALESCE(s.last, '')"),
}
FACETS = ("outlet", "language", "entity")
FACET_SIZE = 15
SHOWN_ENTITIES = 12  # entities a story row shows; its other names are kept for its terms
REFRESH_CACHE_KB = 64 * 1024  # SQLite's page cache while rows are rewritten (``refresh``)
_packer = msgspec.msgpack.Encoder()  # stateless: story rows' data (``pack_row_data``)
_unpacker = msgspec.msgpack.Decoder()


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Which stories, in which order, which page. Values of one facet are alternatives (any
    of these outlets); entities must all occur; different filters must all hold."""

    date_from: date | None = None  # stories with an article on or after this day
    date_to: date | None = None  # … on or before this day
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    divergent: bool = False  # only stories whose outlets diverge on a fact
    changed_since: datetime | None = None  # only stories whose change log has news since then
    sort: str = "latest"
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One story as a list shows it."""

    story_id: str
    title: str
    first: datetime | None
    last: datetime | None
    articles: int
    originals: int
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    entities: tuple[tuple[str, str, int], ...]  # (name, type, mentions)
    divergences: int
    changed: datetime | None
    dormant: bool
    first_precision: DatePrecision = "day"  # "month": ``first`` stands for an article's "2019-04"
    last_precision: DatePrecision = "day"

    @property
    def first_label(self) -> str:
        return day_label(self.first, self.first_precision)

    @property
    def last_label(self) -> str:
        return day_label(self.last, self.last_precision)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.story_id,
            "title": self.title,
            "articles": self.articles,
            "originals": self.originals,
            "outlets": list(self.outlets),
            "languages": list(self.languages),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "first_precision": self.first_precision if self.first else None,
            "last_precision": self.last_precision if self.last else None,
            "changed": self.changed.isoformat() if self.changed else None,
            "divergences": self.divergences,
            "dormant": self.dormant,
            "entities": [{"name": n, "type": t, "mentions": m} for n, t, m in self.entities],
        }


@dataclass(frozen=True, slots=True)
class StoryPage:
    items: tuple[StoryItem, ...]
    total: int  # stories matching the filters, on every page
    next_cursor: str | None
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Articles, latest published first (undated last), filtered like stories."""

    date_from: date | None = None
    date_to: date | None = None
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    limit: int = 100
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class ArticlePage:
    items: tuple[Article, ...]
    total: int
    next_cursor: str | None
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)


# ---------------------------------------------------------------------- writing


def refresh(store: Store, card_of: Callable[[Story], StoryCard], salt: str | None = None) -> int:
    """Rewrite the rows of every story marked dirty; returns how many were rewritten.

    With ``salt`` (what names the code that makes cards), a story whose card inputs did not
    change since its row was written (``card_key``: its articles and their stored analyses)
    keeps its card: only what the story itself gives (title, dates, dormant) is written
    again. A story going dormant is marked but keeps its card, and making it again would
    read and decode every analysis of the story (~1 ms/article at 100k articles). Without
    one every marked row is made anew.

    The rows, terms and facets of a big store are B-trees far larger than SQLite's default
    page cache (2 MB): each story's writes land on pages of their own, read again from the
    file for every statement. A larger cache while the rows are written keeps the pages a
    refresh touches (82k bench store: write CPU 1.51 -> 1.07 s for 1,222 rows at 64 MB)."""
    db = store.db
    ids = [r[0] for r in db.execute("SELECT story_id FROM story_dirty")]
    if not ids:
        return 0
    done = 0
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-REFRESH_CACHE_KB}")
    try:
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            marks = ",".join("?" * len(chunk))
            keys = dict(
                db.execute(
                    f"SELECT story_id, card FROM story_index WHERE story_id IN ({marks})", chunk
                ).fetchall()
            )
            cards: list[tuple[StoryCard, bytes | None]] = []
            kept: list[tuple[Story, bytes]] = []
            for sid in chunk:
                row = db.execute(
                    "SELECT title, first, last, data FROM stories WHERE id=?", (sid,)
                ).fetchone()
                if row is None:
                    continue
                story = decode_story(sid, row["title"], row["data"], row["first"], row["last"])
                key = None if salt is None else card_key(db, story, salt)
                if key is not None and keys.get(sid) == key:
                    kept.append((story, key))
                else:
                    cards.append((card_of(story), key))
            with store.transaction():
                _write(db, chunk, cards, kept)
            done += len(chunk)
        with store.transaction():
            bump(db)  # the in-memory counts of filtered lists are read again
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")  # its pages are let go
    return done


def stamp_cards(db: sqlite3.Connection, salt: str, stages: str = STAGES_OF_DOC) -> None:
    """Give every story row without one the ``card_key`` of its story as it is now, except
    the rows marked for rewriting (those are made anew by the next ``refresh``): a row not
    marked was made from what its story holds now (every change of a story, and of an
    analysis a card is made from, marks it). ``stages``: how the store's docs name their
    stage list (``card_key``)."""
    last = ""
    while rows := db.execute(
        "SELECT i.story_id, s.title, s.first, s.last, s.data FROM story_index i"
        " JOIN stories s ON s.id = i.story_id WHERE i.story_id > ? AND i.card IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM story_dirty d WHERE d.story_id = i.story_id)"
        " ORDER BY i.story_id LIMIT 1000",
        (last,),
    ).fetchall():
        keys = []
        for sid, title, first, last_day, data in rows:
            story = decode_story(sid, title, data, first, last_day)
            keys.append((card_key(db, story, salt, stages), sid))
        db.executemany("UPDATE story_index SET card=? WHERE story_id=?", keys)
        last = rows[-1][0]


def card_key(
    db: sqlite3.Connection, story: Story, salt: str = "", stages: str = STAGES_OF_DOC
) -> bytes:
    """What a story's card is made of, as one digest: its articles in order, its originals,
    the outlets and languages it falls back on, and each article's record and stored analysis
    (stage labels and bytes), with ``salt``. Reads rows, decodes none. ``stages`` reads an
    analysis's stage list: by its number (schema 57), or ``d.stages`` in a store migrated
    before that (migration 39 stamps cards), the same list either way."""
    h = hashlib.blake2b(salt.encode(), digest_size=8)
    for part in (story.article_ids, story.original_ids, story.outlets, story.languages):
        h.update("\x00".join(part).encode() + b"\x01")
    for start in range(0, len(story.article_ids), 500):
        chunk = list(story.article_ids[start : start + 500])
        rows = {
            r[0]: r[1:]
            for r in db.execute(
                f"SELECT a.id, a.data, {stages}, d.data FROM articles a"
                " LEFT JOIN docs d ON d.article_id = a.id"
                f" WHERE a.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        }
        for article_id in chunk:
            h.update(article_id.encode())
            for part in rows.get(article_id, ()):
                h.update(b"\x00")
                if part is not None:
                    h.update(part.encode() if isinstance(part, str) else part)
            h.update(b"\x01")
    return h.digest()


def _count_facets(db: sqlite3.Connection) -> None:
    """The facet counts of the unfiltered list (the landing page) counted over all terms
    (``_update_facets`` keeps them current as stories change)."""
    rows = db.execute(
        f"SELECT t.kind, t.key, {_SHOWN_MIN}, COUNT(*) FROM story_terms t GROUP BY t.kind, t.key"
    ).fetchall()
    db.execute("DELETE FROM story_facets")
    db.executemany("INSERT INTO story_facets (kind, key, value, n) VALUES (?,?,?,?)", rows)


Term = tuple[str, str, str]  # kind, key, value

# a term's kind as stored (schema 53): one letter instead of the name in every term and facet
KIND_CODE = {"outlet": "o", "language": "l", "entity": "e"}
KIND_NAME = {code: name for name, code in KIND_CODE.items()}


def _code(kind: str) -> str:
    return KIND_CODE.get(kind, kind)


# A term whose value is its facet's shown value stores '' (schema 51: most terms, ~0.14 MB
# per 1,000 10kGNAD articles); a value is never empty (its key would be). These give a
# term's value or the smallest of a group's as the facet shows it.
_SHOWN = (
    "CASE t.value WHEN '' THEN (SELECT f.value FROM story_facets f"
    " WHERE f.kind = t.kind AND f.key = t.key) ELSE t.value END"
)
_SHOWN_MIN = (
    "CASE MIN(t.value) WHEN '' THEN (SELECT f.value FROM story_facets f"
    " WHERE f.kind = t.kind AND f.key = t.key) ELSE MIN(t.value) END"
)


def _update_facets(
    db: sqlite3.Connection, removed: Sequence[Term], added: Sequence[Term]
) -> dict[tuple[str, str], str]:
    """Bring the facet counts up to date with the terms some stories lost (already deleted)
    and gained (``added``, written after: counted here from the list): each count moves by
    the difference, and a facet's shown value (the smallest spelling) is looked for among
    its terms only when the one it showed is gone. So a change costs what it changed, not a
    count over every story (as a recount after each refresh did). Returns the shown value
    of each facet the terms touched (the added terms holding it are written as ''); where
    it changes, the stored '' terms are written out with the value they stood for first."""
    delta: Counter[tuple[str, str]] = Counter()
    low: dict[tuple[str, str], str] = {}  # smallest value added per key
    came: dict[tuple[str, str], set[str]] = {}
    gone: dict[tuple[str, str], set[str]] = {}
    for kind, key, value in added:
        delta[kind, key] += 1
        low[kind, key] = min(low.get((kind, key), value), value)
        came.setdefault((kind, key), set()).add(value)
    for kind, key, value in removed:
        delta[kind, key] -= 1
        gone.setdefault((kind, key), set()).add(value)
    shown: dict[tuple[str, str], str] = {}
    for kind, key in sorted(delta.keys() | gone.keys()):
        row = db.execute(
            "SELECT value, n FROM story_facets WHERE kind=? AND key=?", (_code(kind), key)
        ).fetchone()
        n = (row[1] if row else 0) + delta[kind, key]
        if n <= 0:
            db.execute("DELETE FROM story_facets WHERE kind=? AND key=?", (_code(kind), key))
            continue
        value = row[0] if row else low[kind, key]
        if (
            row
            and value in gone.get((kind, key), ())
            and value not in came.get((kind, key), ())
            and not db.execute(
                "SELECT 1 FROM story_terms WHERE kind=? AND key=? AND value IN (?, '') LIMIT 1",
                (_code(kind), key, value),
            ).fetchone()
        ):
            (stored,) = db.execute(  # no '' among them: none stands for the value gone
                "SELECT MIN(value) FROM story_terms WHERE kind=? AND key=?", (_code(kind), key)
            ).fetchone()
            value = min(v for v in (stored, low.get((kind, key))) if v is not None)
        elif (kind, key) in low:
            value = min(value, low[kind, key])
        shown[kind, key] = value
        if row and value != row[0]:  # the '' terms stood for the old value
            db.execute(
                "UPDATE story_terms SET value=? WHERE kind=? AND key=? AND value=''",
                (row[0], _code(kind), key),
            )
            db.execute(
                "UPDATE story_terms SET value='' WHERE kind=? AND key=? AND value=?",
                (_code(kind), key, value),
            )
        if row and (value, n) == (row[0], row[1]):
            continue  # a story rewritten with the terms it had: nothing to write
        db.execute(
            "INSERT OR REPLACE INTO story_facets (kind, key, value, n) VALUES (?,?,?,?)",
            (_code(kind), key, value, n),
        )
    return shown


def row_terms(outlets: Sequence[str], languages: Sequence[str], names: Sequence[str]) -> list[Term]:
    """A story's list terms: one per outlet, language and entity name, keyed as filters look
    them up; the first value of a key stays. Made from the card when the row is written and
    from the row when it is replaced, so the terms need no index by story."""
    terms = [("outlet", fold(o), o) for o in outlets]
    terms += [("language", lang.casefold(), lang) for lang in languages]
    terms += [("entity", fold(name), name) for name in names]
    kept: dict[tuple[str, str], str] = {}
    for kind, key, value in terms:
        if key:
            kept.setdefault((kind, key), value)
    return [(kind, key, value) for (kind, key), value in kept.items()]


_HEX16 = re.compile(r"[0-9a-f]{16}")
# a term's story as SQL gives it back as the story's id (``term_story``'s 8 bytes as hex)
TERM_STORY_ID = "CASE typeof({0}) WHEN 'blob' THEN lower(hex({0})) ELSE {0} END"
_TERM_ID = TERM_STORY_ID.format("story_id")
# a story id as its terms name it (``term_story``), in SQL: compared with the terms' column
# as it is, no expression per term (unhex: SQLite 3.41, or the store's own before)
TERM_FORM = "CASE WHEN length({0}) = 16 AND NOT {0} GLOB '*[^0-9a-f]*' THEN unhex({0}) ELSE {0} END"


def term_story(story_id: str) -> bytes | str:
    """A story as its terms name it (schema 49): the 8 bytes of a 16-hex-digit id (as the
    story ids lagebild makes are), any other id as it is; 8 instead of 17 bytes per term."""
    return bytes.fromhex(story_id) if _HEX16.fullmatch(story_id) else story_id


def term_story_id(stored: bytes | str) -> str:
    """The story id of a term's ``term_story``."""
    return stored.hex() if isinstance(stored, bytes) else stored


def _drop_terms(db: sqlite3.Connection, story_id: str, stored: bytes | str) -> list[Term]:
    """Delete the terms of a story's row (made from the row) and return them. Should they not
    all be found (a row from before schema 26 without its count, or keys made by an older
    ``fold``), the story's terms are looked for by a scan of the table instead."""
    data = row_data(stored)
    names = [e[0] for e in data["entities"]] + list(data["more"])
    terms = row_terms(data["outlets"], data["languages"], names)
    found: list[Term] = []
    story = term_story(story_id)
    for kind, key, value in terms:
        if db.execute(
            "DELETE FROM story_terms WHERE kind=? AND key=? AND story_id=?",
            (_code(kind), key, story),
        ).rowcount:
            found.append((kind, key, value))
    if len(found) == data["terms"]:
        return found
    rest = db.execute(
        f"SELECT t.kind, t.key, {_SHOWN} FROM story_terms t WHERE t.story_id=?", (story,)
    ).fetchall()
    db.execute("DELETE FROM story_terms WHERE story_id=?", (story,))
    return found + [(KIND_NAME.get(r[0], r[0]), r[1], r[2]) for r in rest]


def _write(
    db: sqlite3.Connection,
    ids: Sequence[str],
    cards: Sequence[tuple[StoryCard, bytes | None]],
    kept: Sequence[tuple[Story, bytes]] = (),
) -> None:
    """Rewrite the rows and terms of the stories ``ids`` and the facet counts with them: a
    new card (with its ``card_key``) for each of ``cards``; for each story ``kept`` its row
    with the card it has (terms unchanged), what the story gives made anew."""
    marks = ",".join("?" * len(ids))
    keep = {st.id for st, _ in kept}
    renew = [i for i in ids if i not in keep]
    removed: list[Term] = []
    added: list[Term] = []
    rows: list[tuple[str, str, str, str]] = []  # the new terms: kind, key, story, value
    for st, _ in kept:
        row = db.execute(
            f"SELECT {', '.join(_STORY_COLUMNS)}, data FROM story_index WHERE story_id=?", (st.id,)
        ).fetchone()
        data = row_data(row["data"])
        data.update(
            dormant=st.dormant, first_precision=st.first_precision, last_precision=st.last_precision
        )
        now = dict(zip(_STORY_COLUMNS, _story_columns(db, st), strict=True))
        now["data"] = pack_row_data(data)
        changed = {c: v for c, v in now.items() if row[c] != v}  # only these: fewer index writes
        if changed:
            db.execute(
                f"UPDATE story_index SET {', '.join(f'{c}=?' for c in changed)} WHERE story_id=?",
                [*changed.values(), st.id],
            )
    if renew:
        renew_marks = ",".join("?" * len(renew))
        for story_id, stored in db.execute(
            f"SELECT story_id, data FROM story_index WHERE story_id IN ({renew_marks})", renew
        ).fetchall():
            removed += _drop_terms(db, story_id, stored)
        db.execute(f"DELETE FROM story_index WHERE story_id IN ({renew_marks})", renew)
    for card, key in cards:
        st = card.story
        terms = row_terms(card.outlets, card.languages, [n for n, _, _ in card.entities])
        data = {
            "outlets": list(card.outlets),
            "languages": list(card.languages),
            "entities": [list(e) for e in card.entities[:SHOWN_ENTITIES]],
            "dormant": st.dormant,
            "first_precision": st.first_precision,
            "last_precision": st.last_precision,
            "more": [name for name, _, _ in card.entities[SHOWN_ENTITIES:]],
            "terms": len(terms),
        }
        first, last, articles, originals, changed = _story_columns(db, st)
        db.execute(
            "INSERT INTO story_index (story_id, first, last, articles, originals,"
            " outlets, divergences, changed, data, card) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                st.id,
                first,
                last,
                articles,
                originals,
                len(card.outlets),
                card.divergences,
                changed,
                pack_row_data(data),
                key,
            ),
        )
        rows += [(_code(kind), key_, term_story(st.id), value) for kind, key_, value in terms]
        added += terms
    shown = _update_facets(db, removed, added)
    shown = {(_code(k), key): v for (k, key), v in shown.items()}
    rows = [(k, key, sid, "" if shown.get((k, key)) == v else v) for k, key, sid, v in rows]
    rows.sort(key=lambda r: r[:2])  # in key order: neighbouring terms share their pages
    db.executemany(
        "INSERT OR IGNORE INTO story_terms (kind, key, story_id, value) VALUES (?,?,?,?)", rows
    )
    db.execute(f"DELETE FROM story_dirty WHERE story_id IN ({marks})", list(ids))


# a row's title is its story's (``stories.title``, joined when a page is read; schema 59)
_STORY_COLUMNS = ("first", "last", "articles", "originals", "changed")


def _story_columns(db: sqlite3.Connection, st: Story) -> tuple[Any, ...]:
    """A story row's columns that the story gives (not its card): first, last, articles,
    originals, and when its change log last changed."""
    changed = db.execute(
        "SELECT MAX(p.at) FROM story_changes c JOIN change_passes p ON p.id = c.pass"
        " WHERE c.story_id=?",
        (pack_id(st.id),),
    ).fetchone()
    return (
        st.first.isoformat() if st.first else None,
        st.last.isoformat() if st.last else None,
        len(st.article_ids),
        len(st.original_ids),
        changed[0],
    )


def rows_with_terms(db: sqlite3.Connection) -> None:
    """Every story row rewritten with the names of its entity terms that its shown entities
    do not give (schema 26), so ``row_terms`` of the row gives its stored terms again."""
    extra: dict[str, list[str]] = {}
    count: Counter[str] = Counter()
    for stored, kind, value in db.execute(
        f"SELECT t.story_id, t.kind, {_SHOWN} FROM story_terms t"
    ):
        story_id = term_story_id(stored)
        count[story_id] += 1
        if kind == KIND_CODE["entity"]:
            extra.setdefault(story_id, []).append(value)
    rows = db.execute("SELECT story_id, data FROM story_index").fetchall()
    for story_id, stored in rows:
        data = row_data(stored)
        shown = {fold(e[0]) for e in data["entities"]}
        data["more"] = [v for v in extra.pop(story_id, ()) if fold(v) not in shown]
        data["terms"] = count[story_id]
        db.execute(
            "UPDATE story_index SET data=? WHERE story_id=?", (pack_row_data(data), story_id)
        )


def mark_articles(store: Store, article_ids: Sequence[str]) -> None:
    """Mark the stories holding these articles for a new row: their analyses changed, and
    a story's card (entities, places, facet terms) is made from them."""
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        store.db.execute(
            "INSERT OR IGNORE INTO story_dirty SELECT DISTINCT story_id FROM story_articles"
            f" WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )


def dirty(store: Store) -> int:
    """How many stories wait for their row to be rewritten."""
    return int(store.db.execute("SELECT COUNT(*) FROM story_dirty").fetchone()[0])


# ---------------------------------------------------------------------- reading


def query_stories(
    store: Store, q: StoryQuery, facets: bool = True, counts: StoryCounts | None = None
) -> StoryPage:
    """The page of stories ``q`` asks for, the number of all that match, and facet counts.

    With ``counts`` (the story rows held in memory), a filtered list's total and facets are
    counted there instead of in SQL; the page itself is always read by SQL."""
    if q.sort not in SORTS:
        raise StoreError(f"unknown sort {q.sort!r} (one of: {', '.join(SORTS)})")
    where, args = _filters(q)
    db = store.db
    found: dict[str, tuple[tuple[str, int], ...]] = {}
    if counts is not None and where != "1":
        snap = counts.snapshot(db)
        keep = snap.mask(q)
        total = int(keep.sum())
        if facets:
            found = {kind: snap.facet(db, kind, keep, FACET_SIZE) for kind in FACETS}
    else:
        total = db.execute(f"SELECT COUNT(*) FROM story_index s WHERE {where}", args).fetchone()
        total = total[0]
        if facets:
            found = {kind: _facet(db, kind, where, args) for kind in FACETS}
    k1, k2 = SORTS[q.sort]
    page_where, page_args = where, list(args)
    if q.cursor:
        page_where += f" AND ({k1}, {k2}, s.story_id) < (?, ?, ?)"
        page_args += _decode_cursor(q.cursor, 3)
    rows = db.execute(
        f"SELECT s.*, t.title, {k1} AS k1, {k2} AS k2 FROM story_index s"
        f" JOIN stories t ON t.id = s.story_id WHERE {page_where}"
        f" ORDER BY {k1} DESC, {k2} DESC, s.story_id DESC LIMIT ?",
        [*page_args, q.limit + 1],
    ).fetchall()
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    cursor = (
        _encode_cursor([rows[-1]["k1"], rows[-1]["k2"], rows[-1]["story_id"]]) if more else None
    )
    return StoryPage(tuple(_item(r) for r in rows), int(total), cursor, found)


def query_articles(store: Store, q: ArticleQuery) -> ArticlePage:
    """A page of articles: the filters of ``q``, the total, and outlet/language counts."""
    clauses, args = ["1"], []
    if q.date_from:
        clauses.append("published >= ?")
        args.append(q.date_from.isoformat())
    if q.date_to:
        clauses.append("published < ?")
        args.append((q.date_to + timedelta(days=1)).isoformat())
    for column, values in (("outlet", q.outlets), ("language", q.languages)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            args += list(values)
    where = " AND ".join(clauses)
    db = store.db
    total = db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", args).fetchone()[0]
    page_where, page_args = where, list(args)
    if q.cursor:
        key = _decode_cursor(q.cursor, 2)
        page_where += " AND (COALESCE(published, ''), seq) < (?, ?)"
        page_args += key
    keys = db.execute(  # the page's keys by the index, then only the page's records
        f"SELECT COALESCE(published, '') AS k1, seq FROM articles WHERE {page_where}"
        " ORDER BY COALESCE(published, '') DESC, seq DESC LIMIT ?",
        [*page_args, q.limit + 1],
    ).fetchall()
    rows = [
        {
            **dict(k),
            **dict(
                db.execute(
                    f"SELECT {ARTICLE_SELECT} FROM articles WHERE seq=?", (k["seq"],)
                ).fetchone()
            ),
        }
        for k in keys[: q.limit]
    ] + [dict(k) for k in keys[q.limit :]]
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    cursor = _encode_cursor([rows[-1]["k1"], rows[-1]["seq"]]) if more else None
    facets = {}
    for kind, column in (("outlet", "outlet"), ("language", "language")):
        found = db.execute(
            f"SELECT {column} AS value, COUNT(*) AS n FROM articles WHERE {where}"
            f" AND {column} IS NOT NULL GROUP BY {column} ORDER BY n DESC, value LIMIT ?",
            [*args, FACET_SIZE],
        ).fetchall()
        facets[kind] = tuple((r["value"], int(r["n"])) for r in found)
    items = tuple(
        decode_article(r["title"], r["text"], r["data"], r, store.text_dict) for r in rows
    )
    return ArticlePage(items, int(total), cursor, facets)


def _filters(q: StoryQuery) -> tuple[str, list[Any]]:
    clauses = ["1"]
    args: list[Any] = []
    if q.date_from:
        clauses.append("s.last >= ?")
        args.append(q.date_from.isoformat())
    if q.date_to:
        clauses.append("s.first < ?")
        args.append((q.date_to + timedelta(days=1)).isoformat())
    if q.divergent:
        clauses.append("s.divergences > 0")
    if q.changed_since:
        clauses.append("s.changed > ?")
        args.append(q.changed_since.isoformat())
    for kind, values in (("outlet", q.outlets), ("language", q.languages)):
        keys = sorted({k for v in values for k in _keys(kind, v)})
        if keys:
            marks = ",".join("?" * len(keys))
            clauses.append(
                f"s.story_id IN (SELECT {_TERM_ID} FROM story_terms"
                f" WHERE kind=? AND key IN ({marks}))"
            )
            args += [_code(kind), *keys]
    for value in q.entities:
        keys = _keys("entity", value)
        marks = ",".join("?" * len(keys))
        clauses.append(
            f"s.story_id IN (SELECT {_TERM_ID} FROM story_terms"
            f" WHERE kind='{KIND_CODE['entity']}' AND key IN ({marks}))"
        )
        args += keys
    return " AND ".join(clauses), args


def _keys(kind: str, value: str) -> list[str]:
    """The stored keys a typed value matches: folded, with umlaut spellings for names."""
    if kind == "language":
        return [value.strip().casefold()]
    return list(spellings(value.strip()))


def _facet(
    db: sqlite3.Connection, kind: str, where: str, args: list[Any]
) -> tuple[tuple[str, int], ...]:
    if where == "1":  # the unfiltered list: counted when the stories changed
        order = "ORDER BY n DESC, value LIMIT ?"
        rows = db.execute(  # by the index of counts above 1 (migration 48)
            f"SELECT value, n FROM story_facets WHERE kind=? AND n > 1 {order}",
            (_code(kind), FACET_SIZE),
        ).fetchall()
        if len(rows) < FACET_SIZE:  # then the facets of one story: a small kind's, read all
            rows += db.execute(
                f"SELECT value, n FROM story_facets WHERE kind=? AND NOT n > 1 {order}",
                (_code(kind), FACET_SIZE - len(rows)),
            ).fetchall()
    else:  # the matching stories first (by their own indexes), then their terms
        rows = db.execute(
            f"WITH m AS (SELECT {TERM_FORM.format('s.story_id')} FROM story_index s WHERE {where})"
            f" SELECT {_SHOWN_MIN} AS value, COUNT(*) AS n FROM story_terms t"
            " WHERE t.story_id IN m AND t.kind=? GROUP BY t.key"
            " ORDER BY n DESC, value LIMIT ?",
            [*args, _code(kind), FACET_SIZE],
        ).fetchall()
    return tuple((r["value"], int(r["n"])) for r in rows)


def pack_row_data(data: dict[str, Any]) -> bytes:
    """The stored form of what ``row_data`` reads (a JSON row's object converts alike)."""
    return _packer.encode(
        [
            data["outlets"],
            data["languages"],
            data["entities"],
            bool(data.get("dormant")),
            data.get("first_precision", "day"),
            data.get("last_precision", "day"),
            data.get("more", []),
            data.get("terms", -1),
        ]
    )


def row_data(stored: bytes | str) -> dict[str, Any]:
    """What a story row keeps beside its columns: outlets, languages, its first 12 entities,
    dormant, date precisions, and (schema 26) the names of its other entities and the number
    of its list terms (``row_terms`` makes them from the row). Stored as one MessagePack array
    (the title is in its column); a row written before schema 22 holds a JSON object."""
    if isinstance(stored, str):
        return {"more": [], "terms": -1, **json.loads(stored)}
    outlets, languages, entities, dormant, first, last, *rest = _unpacker.decode(stored)
    more, terms = rest if rest else ([], -1)
    return {
        "outlets": outlets,
        "languages": languages,
        "entities": entities,
        "dormant": dormant,
        "first_precision": first,
        "last_precision": last,
        "more": more,
        "terms": terms,
    }


def _item(row: sqlite3.Row) -> StoryItem:
    data = row_data(row["data"])
    return StoryItem(
        story_id=row["story_id"],
        title=row["title"],
        first=_dt(row["first"]),
        last=_dt(row["last"]),
        articles=row["articles"],
        originals=row["originals"],
        outlets=tuple(data["outlets"]),
        languages=tuple(data["languages"]),
        entities=tuple((n, t, m) for n, t, m in data["entities"]),
        divergences=row["divergences"],
        changed=_dt(row["changed"]),
        dormant=bool(data.get("dormant")),
        first_precision=data.get("first_precision", "day"),
        last_precision=data.get("last_precision", "day"),
    )


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise StoreError(f"bad cursor {cursor!r}: take it from a page's next link") from exc
    if not (
        isinstance(key, list) and len(key) == size and all(isinstance(k, str | int) for k in key)
    ):
        raise StoreError(f"bad cursor {cursor!r}: take it from a page's next link")
    return key


__all__ = [
    "FACETS",
    "SORTS",
    "ArticlePage",
    "ArticleQuery",
    "StoryItem",
    "StoryPage",
    "StoryQuery",
    "dirty",
    "query_articles",
    "query_stories",
    "refresh",
]
