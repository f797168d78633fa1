"""The story index as a store keeps it: a small head read whole, the rest in rows by key.

Before schema 37 the whole index was one compressed JSON state, read and written by every
clustering run: ~44 MB at 82k articles (vocabulary 2.8 M terms, 20,000 dormant stories),
~10 s of an ingest of 1,000 articles. Now the state ``stories.index`` holds only what every
run needs whole (version 7, ``StoryIndex.head_json``: the active stories, outlets' words,
near-duplicate signatures, merges, counters), and tables hold the rest:

- ``story_vocab``: term -> its counts (``cluster.DF_MASK``: the document frequency in
  ``df``, the bits above in ``seen``) and the dormant stories it finds (``archive``: their
  ``seq`` as MessagePack deltas, NULL for none); a run reads the counts of its articles' terms
  (``StoredVocab.fetch``) and writes those that changed, and the postings its stories changed;
- ``story_archive`` (dormant stories, ``seq`` = the order they went dormant in): a run reads
  the postings and stories its lookups ask for (``StoredArchive``) and writes the stories
  that went dormant or left the archive;
- ``story_seen``: the articles the index has placed.

An evicted story (the archive keeps ARCHIVE_MAX, dropping the oldest) leaves its row only:
the head notes ``archive_low``, below which every seq is gone, and postings are read above it
(they shed the older seqs when next written). Reading each evicted row back for its ~30 terms
and rewriting their postings cost ~0.3 s per 1,000 articles once the archive was full (100k).

Until schema 40 the postings were rows (term, seq) of their own: the terms were stored twice
(0.39 of 3.15 MB per 1,000 10kGNAD articles), and the counts took 8 bytes where ``df`` and
``seen`` take ~3 (most terms have ``df`` 1, which SQLite stores in no bytes).

What a run changes stays in memory until ``save``, in the transaction that writes the
stories it made, so a run that fails leaves the store as it was, and a run against a
read-only connection (a bench probe) works. Every lookup answers what the whole index in
memory would: a run gives the stories a run over the old single state gave.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

import msgspec

from lagebild.config import StoriesConfig
from lagebild.store.state import decode_state, encode_state
from lagebild.stories import cluster
from lagebild.stories.archive import Archive
from lagebild.stories.cluster import (
    ActiveStory,
    StoryIndex,
    dormant_form,
    loaded,
    packed_vocab,
)
from lagebild.stories.packed import pack_story, unpack_story

STATE_KEY = "stories.index"
FETCH = 500  # terms asked for in one statement

_pack = msgspec.msgpack.Encoder().encode
_unpack = msgspec.msgpack.Decoder().decode
_IN = "term IN (SELECT value FROM json_each(?))"
_VOCAB = f"SELECT term, df | (seen << 32), archive FROM story_vocab WHERE {_IN}"
_POSTINGS = f"SELECT term, archive FROM story_vocab WHERE {_IN}"
_COUNTS = (  # (term, counts): split as ``cluster.DF_MASK`` packs them; the posting stays
    f"INSERT INTO story_vocab (term, df, seen) VALUES (?1, ?2 & {cluster.DF_MASK},"
    f" ?2 >> {cluster.WEEK_SHIFT})"
    " ON CONFLICT (term) DO UPDATE SET df = excluded.df, seen = excluded.seen"
)
_IDS = "SELECT seq, id FROM story_archive WHERE seq IN (SELECT value FROM json_each(?))"
_PUT_POSTING = (  # a term without counts (none is expected) gets df 0: read as absent
    "INSERT INTO story_vocab (term, df, seen, archive) VALUES (?,0,0,?)"
    " ON CONFLICT (term) DO UPDATE SET archive = excluded.archive"
)


def _insert_archived(db: sqlite3.Connection, seq: int, story: ActiveStory) -> None:
    """A dormant story's row (``seq``: when it went dormant)."""
    db.execute(
        "INSERT INTO story_archive (seq, id, data) VALUES (?,?,?)",
        (seq, story.id, pack_story(story)),
    )


def pack_posting(seqs: list[int]) -> bytes | None:
    """A term's dormant stories (their ``seq``, ascending) as ``story_vocab.archive`` keeps
    them: MessagePack of the first and the gaps (1-3 bytes each); None for none."""
    if not seqs:
        return None
    return _pack([seqs[0], *(b - a for a, b in pairwise(seqs))])


def unpack_posting(data: bytes | None) -> list[int]:
    return list(accumulate(_unpack(data))) if data else []


def _terms_in(db: sqlite3.Connection, query: str, terms: list[str]) -> Iterator[tuple]:
    """The rows of ``query`` (its ``?``: a JSON list of terms) for ``terms``, FETCH a time."""
    for i in range(0, len(terms), FETCH):
        yield from db.execute(query, (json.dumps(terms[i : i + FETCH]),))


class StoredVocab:
    """Fills an index's ``vocab`` from ``story_vocab`` as terms come, and knows which
    counts changed since."""

    def __init__(self, db: sqlite3.Connection, vocab: dict[str, int], *, fresh: bool) -> None:
        self.db = db
        self.vocab = vocab
        self.fresh = fresh  # nothing stored counts: a run from scratch replaces the table
        self.read: dict[str, int] = {}  # counts as stored, of the terms read
        self.absent: set[str] = set()  # terms asked for that the table does not hold
        # the stored postings (``archive``) of the terms asked for, read with their counts
        # from the same row: ``StoredArchive`` need not look them up again
        self.postings: dict[str, bytes] = {}

    def fetch(self, terms: Iterable[str]) -> None:
        """Read the stored counts of ``terms`` not read yet (in term order: a caller with
        many terms at once, ``build.run``, spares statements and page reads)."""
        if self.fresh:
            return
        vocab, absent = self.vocab, self.absent
        missing = sorted({t for t in terms if t not in vocab and t not in absent})
        for term, counts, posting in _terms_in(self.db, _VOCAB, missing):
            if counts & cluster.DF_MASK:  # a row with df 0 holds only a posting
                vocab[term] = self.read[term] = counts
            if posting is not None:
                self.postings[term] = posting
        absent.update(t for t in missing if t not in vocab)

    def posting(self, term: str) -> bytes | bool | None:
        """The stored posting of a term asked for (None: it has none); False: not asked."""
        if term in self.read or term in self.absent:
            return self.postings.get(term)
        return False

    def changed(self) -> list[tuple[str, int]]:
        read = self.read
        return sorted((t, v) for t, v in self.vocab.items() if read.get(t) != v)


class StoredArchive(Archive):
    """The archive of a store's index: the stored dormant stories, minus those taken out and
    plus those put in during this run (``stories`` / ``postings`` of the base class hold
    only the latter). Stored stories are read when asked for, once (the same object every
    time: callers hold and compare them)."""

    def __init__(
        self, db: sqlite3.Connection, max_posting: int, *, fresh: bool, low: int = 0
    ) -> None:
        super().__init__(max_posting)
        self.db = db
        self.fresh = fresh  # nothing stored counts (a run from scratch replaces it)
        self.gone: set[str] = set()  # stored stories taken out
        self.evicted: set[str] = set()  # those of them evicted (below ``low`` when saved)
        self.read: dict[str, ActiveStory] = {}  # stored stories read (and not gone)
        self.absent: set[str] = set()  # ids asked for that are not stored
        self.terms: dict[str, tuple[list[str], bool]] = {}  # stored postings read, complete?
        self.count = 0 if fresh else db.execute("SELECT COUNT(*) FROM story_archive").fetchone()[0]
        # Every seq below ``low`` has left the archive by eviction (always the oldest), so a
        # posting's seqs below it are no story: ``save`` deletes an evicted story's row
        # without reading it back for its terms and rewriting their postings (~30 each,
        # ~1,000 stories per 1,000 articles once the archive is full); a posting sheds them
        # when it is next written.
        self.low = 0 if fresh else low
        self._next = self.low - 1  # seq after which the oldest stored story not gone is looked for
        self.vocab: StoredVocab | None = None  # postings it read with the counts (``load``)

    def _stored(self, sid: str) -> bool:
        if self.fresh or sid in self.gone or sid in self.absent:
            return False
        if sid in self.read:
            return True
        row = self.db.execute("SELECT data FROM story_archive WHERE id=?", (sid,)).fetchone()
        if row is None:
            self.absent.add(sid)
            return False
        self.read[sid] = unpack_story(row[0])
        return True

    def __contains__(self, sid: object) -> bool:
        return sid in self.stories or (isinstance(sid, str) and self._stored(sid))

    def __getitem__(self, sid: str) -> ActiveStory:
        story = self.stories.get(sid)
        if story is not None:
            return story
        if not self._stored(sid):
            raise KeyError(sid)
        return self.read[sid]

    def __len__(self) -> int:
        return self.count - len(self.gone) + len(self.stories)

    def __iter__(self) -> Iterator[str]:
        return (s.id for s in self.values())

    def values(self) -> Iterator[ActiveStory]:
        if not self.fresh:
            for sid, data in self.db.execute("SELECT id, data FROM story_archive ORDER BY seq"):
                if sid not in self.gone:
                    yield self.read.get(sid) or unpack_story(data)
        yield from self.stories.values()

    def posting(self, term: str) -> list[str] | dict[str, None] | None:
        new = self.postings.get(term)
        if self.fresh:
            return super().posting(term)
        stored, complete = self.terms.get(term) or self._posting(term, self.max_posting + 1)
        if not complete and len(stored) - len(self.gone) <= self.max_posting:
            stored, complete = self._posting(term, len(stored) + len(self.gone) + 64)
        if not complete:
            return None  # more than max_posting stored stories not gone
        found = [s for s in stored if s not in self.gone] if self.gone else list(stored)
        if new:
            found.extend(new)
        return found if found and len(found) <= self.max_posting else None

    def _posting(self, term: str, limit: int) -> tuple[list[str], bool]:
        """The first ``limit`` stored stories ``term`` finds, and whether that is all."""
        data = self.vocab.posting(term) if self.vocab is not None else False
        if data is False:
            row = self.db.execute("SELECT archive FROM story_vocab WHERE term=?", (term,))
            data = next(row, (None,))[0]
        seqs = unpack_posting(data)
        if self.low:
            del seqs[: bisect_left(seqs, self.low)]
        first = seqs[:limit]
        ids: dict[int, str] = {}
        if len(first) > 1:
            ids = dict(self.db.execute(_IDS, (json.dumps(first),)))
        elif first:
            ids = dict(self.db.execute("SELECT seq, id FROM story_archive WHERE seq=?", first))
        got = ([ids[s] for s in first if s in ids], len(seqs) < limit)
        self.terms[term] = got
        return got

    def pop(self, sid: str) -> ActiveStory:
        if sid in self.stories:
            return super().pop(sid)
        story = self[sid]
        self.gone.add(sid)
        del self.read[sid]
        return story

    def evict_oldest(self) -> ActiveStory | None:
        if not self.fresh:
            while len(self.gone) < self.count:
                row = self.db.execute(
                    "SELECT seq, id FROM story_archive WHERE seq > ? ORDER BY seq LIMIT 1",
                    (self._next,),
                ).fetchone()
                self._next = row[0]
                if row[1] not in self.gone:
                    self.gone.add(row[1])
                    self.evicted.add(row[1])
                    return self.read.pop(row[1], None)
        return super().pop(next(iter(self.stories)))

    def save(self) -> None:
        """Write what this run changed (in the caller's transaction)."""
        db = self.db
        if self.fresh:  # (``save`` empties story_vocab first: then no posting is left)
            db.execute("DELETE FROM story_archive")
            db.execute("UPDATE story_vocab SET archive = NULL WHERE archive IS NOT NULL")
        low = self.low = max(self.low, self._next + 1)  # evicted: every seq up to _next
        db.execute("DELETE FROM story_archive WHERE seq < ?", (low,))
        removed: dict[str, set[int]] = {}
        for sid in sorted(self.gone - self.evicted):  # woke or merged: out of its postings
            row = db.execute("SELECT seq, data FROM story_archive WHERE id=?", (sid,)).fetchone()
            if row is None:  # below ``low``: deleted above
                continue
            seq, data = row
            for t in unpack_story(data).centroid:
                removed.setdefault(t, set()).add(seq)
            db.execute("DELETE FROM story_archive WHERE seq=?", (seq,))
        (seq,) = db.execute("SELECT COALESCE(MAX(seq), -1) FROM story_archive").fetchone()
        seq = max(seq, low - 1)  # a new story never takes the seq of an evicted one
        added: dict[str, list[int]] = {}
        for story in self.stories.values():
            seq += 1
            _insert_archived(db, seq, story)
            for t in story.centroid:
                added.setdefault(t, []).append(seq)
        terms = sorted(removed.keys() | added.keys())
        stored = dict(_terms_in(db, _POSTINGS, terms))
        puts = []
        for t in terms:  # gone seqs out first: a new story may take the highest seq again
            gone = removed.get(t, ())
            seqs = [s for s in unpack_posting(stored.get(t)) if s >= low and s not in gone]
            puts.append((t, pack_posting(seqs + added.get(t, []))))
        db.executemany(_PUT_POSTING, puts)


@dataclass(slots=True)
class Loaded:
    """A store's index as ``load`` gives it, and what ``save`` needs to write it back."""

    index: StoryIndex
    placed: Placed  # the articles placed before this run
    vocab: StoredVocab
    archive: StoredArchive


@dataclass
class Placed:
    """The articles an index has placed (``story_seen``) and ``upto``: an ``articles.seq``
    up to which every article is among them (kept in the head). A run looks for new
    articles after ``upto`` only (``since``): reading every article and every placed id
    cost ~0.45 s per run at 100k articles."""

    db: sqlite3.Connection | None  # None: nothing placed (a run from scratch)
    upto: int | None
    scanned: int | None = None  # the last seq the run looked at (``save`` keeps it)

    def since(self) -> tuple[int | None, Container[str], str | None]:
        """Where to look for new articles (after this seq; None: from the first), which of
        the articles there are placed, and the last publication date before it. ``upto`` is
        trusted when the count of placed articles says every article up to it is placed
        (an article read again under a new id in its old place is not: its old id left
        ``story_seen`` with it, ``Store.replace_article``); else every article is looked at."""
        db = self.db
        if db is None:
            return None, set(), None
        if self.upto is not None:
            after = db.execute(
                "SELECT a.id FROM articles a JOIN story_seen s ON s.id = a.id WHERE a.seq > ?",
                (self.upto,),
            ).fetchall()
            (placed,) = db.execute("SELECT COUNT(*) FROM story_seen").fetchone()
            (before,) = db.execute(
                "SELECT COUNT(*) FROM articles WHERE seq <= ?", (self.upto,)
            ).fetchone()
            if placed == before + len(after):
                row = db.execute(
                    "SELECT published FROM articles WHERE seq <= ? AND published IS NOT NULL"
                    " ORDER BY seq DESC LIMIT 1",
                    (self.upto,),
                ).fetchone()
                return self.upto, {r[0] for r in after}, row[0] if row else None
        return None, {r[0] for r in db.execute("SELECT id FROM story_seen")}, None


def load(db: sqlite3.Connection, config: StoriesConfig, settings: Any) -> Loaded | None:
    """The index a store keeps, None when it keeps none or one made with other settings (a
    run from scratch then makes it anew, ``fresh``)."""
    row = db.execute("SELECT value FROM state WHERE key=?", (STATE_KEY,)).fetchone()
    if row is None:
        return None
    state = decode_state(row[0])
    if state.get("settings") != settings or state.get("index", {}).get("version") != 7:
        return None
    archive = StoredArchive(db, cluster.MAX_POSTING, fresh=False, low=state.get("archive_low", 0))
    try:
        index = StoryIndex.from_json(state["index"], config, own=True, archive=archive)
    except (ValueError, KeyError, TypeError):  # not what this version writes: start over
        return None
    vocab = StoredVocab(db, index.vocab, fresh=False)
    index.fetch = vocab.fetch
    archive.vocab = vocab
    return Loaded(index, Placed(db, state.get("placed_upto")), vocab, archive)


def fresh(db: sqlite3.Connection, config: StoriesConfig) -> Loaded:
    """An empty index that replaces whatever the store keeps when saved."""
    archive = StoredArchive(db, cluster.MAX_POSTING, fresh=True)
    index = StoryIndex(config=config, archive=archive)
    return Loaded(index, Placed(None, None), StoredVocab(db, index.vocab, fresh=True), archive)


def save(db: sqlite3.Connection, state: Loaded, settings: Any, placed: Iterable[str]) -> None:
    """Write the index back (in the caller's transaction): the head whole, in the tables
    what changed; ``placed``: the articles this run placed."""
    fresh = state.vocab.fresh
    if fresh:
        db.execute("DELETE FROM story_vocab")
        db.execute("DELETE FROM story_seen")
    db.executemany(_COUNTS, state.vocab.changed())
    state.archive.save()
    db.executemany("INSERT OR IGNORE INTO story_seen (id) VALUES (?)", ((a,) for a in placed))
    head: dict[str, Any] = {"settings": settings, "index": state.index.head_json()}
    upto = state.placed.scanned if state.placed.scanned is not None else state.placed.upto
    if upto is not None:  # every article up to it is placed now
        head["placed_upto"] = upto
    if state.archive.low:
        head["archive_low"] = state.archive.low
    _put(db, encode_state(head))


def note_placed(db: sqlite3.Connection) -> None:
    """Migration 42: the head notes up to which ``articles.seq`` every article is placed
    (``Placed.upto``), so that the next run looks only at the articles after it."""
    row = db.execute("SELECT value FROM state WHERE key=?", (STATE_KEY,)).fetchone()
    if row is None:
        return
    head = decode_state(row[0])
    if "placed_upto" in head or head.get("index", {}).get("version") != 7:
        return
    (first,) = db.execute(
        "SELECT MIN(seq) FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM story_seen s WHERE s.id = a.id)"
    ).fetchone()
    (last,) = db.execute("SELECT MAX(seq) FROM articles").fetchone()
    upto = last if first is None else first - 1
    if upto is None:
        return
    head["placed_upto"] = upto
    _put(db, encode_state(head))


def _put(db: sqlite3.Connection, stored: str | bytearray) -> None:
    db.execute(
        "INSERT OR REPLACE INTO state (key, value) VALUES (?,?)",
        (STATE_KEY, stored if isinstance(stored, str) else bytes(stored)),
    )


def convert(db: sqlite3.Connection) -> None:
    """Migration 37: a whole-index state (version 4–6) into head and tables; an older or
    unreadable one is dropped (the next run clusters from scratch, as it would have)."""
    row = db.execute("SELECT value FROM state WHERE key=?", (STATE_KEY,)).fetchone()
    if row is None:
        return
    state = decode_state(row[0])
    del row
    data = state.get("index") if isinstance(state, dict) else None
    version = data.get("version") if isinstance(data, dict) else None
    if version not in (4, 5, 6) or "seen" not in state:
        db.execute("DELETE FROM state WHERE key=?", (STATE_KEY,))
        return
    assert isinstance(data, dict)
    vocab = packed_vocab(data.pop("df"), data.pop("weeks")) if version == 4 else data.pop("vocab")
    db.executemany("INSERT INTO story_vocab (term, counts) VALUES (?,?)", sorted(vocab.items()))
    del vocab
    archive = data.pop("archive", [])
    archive.reverse()
    seq = 0
    while archive:  # oldest first, each let go once written
        story = loaded(archive.pop())
        dormant_form(story)
        _insert_archived(db, seq, story)
        db.executemany(  # schema 37's postings: migration 40 moves them into story_vocab
            "INSERT INTO story_archive_terms (term, seq) VALUES (?,?)",
            [(t, seq) for t in story.centroid],
        )
        seq += 1
    db.executemany(
        "INSERT OR IGNORE INTO story_seen (id) VALUES (?)", ((a,) for a in state["seen"])
    )
    head = data | {"version": 7}
    _put(db, encode_state({"settings": state.get("settings"), "index": head}))


def postings_into_vocab(db: sqlite3.Connection) -> None:
    """Migration 40: schema 39's story_vocab (term, counts) and postings (rows of
    story_archive_terms) into one story_vocab (term, df, seen, archive). A story_vocab
    already so (a store set back to an older schema) stays."""
    if "counts" in {r[1] for r in db.execute("PRAGMA table_info(story_vocab)")}:
        _vocab_40(db)
    db.execute("DROP TABLE IF EXISTS story_archive_terms")


def _vocab_40(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE story_vocab_40 (term TEXT PRIMARY KEY, df INTEGER NOT NULL,"
        " seen INTEGER NOT NULL, archive BLOB) WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO story_vocab_40 (term, df, seen) SELECT term, counts & ?, counts >> ?"
        " FROM story_vocab ORDER BY term",
        (cluster.DF_MASK, cluster.WEEK_SHIFT),
    )
    rows = db.execute("SELECT term, seq FROM story_archive_terms ORDER BY term, seq")
    puts: list[tuple[str, bytes | None]] = []
    term, seqs = None, []
    for t, seq in rows:
        if t != term:
            if seqs:
                puts.append((term, pack_posting(seqs)))
            term, seqs = t, []
        seqs.append(seq)
        if len(puts) >= FETCH:
            db.executemany(_PUT_40, puts)
            puts.clear()
    if seqs:
        puts.append((term, pack_posting(seqs)))
    db.executemany(_PUT_40, puts)
    db.execute("DROP TABLE story_vocab")
    db.execute("ALTER TABLE story_vocab_40 RENAME TO story_vocab")


_PUT_40 = _PUT_POSTING.replace("story_vocab", "story_vocab_40")


def repack_archive(db: sqlite3.Connection) -> None:
    """Migration 41: every dormant story's row in the current format (``packed``)."""
    last = -1
    while rows := db.execute(
        "SELECT seq, data FROM story_archive WHERE seq > ? ORDER BY seq LIMIT ?", (last, FETCH)
    ).fetchall():
        db.executemany(
            "UPDATE story_archive SET data=? WHERE seq=?",
            [(pack_story(unpack_story(data)), seq) for seq, data in rows],
        )
        last = rows[-1][0]


__all__ = [
    "STATE_KEY",
    "Loaded",
    "StoredArchive",
    "StoredVocab",
    "convert",
    "fresh",
    "load",
    "pack_posting",
    "pack_story",
    "postings_into_vocab",
    "repack_archive",
    "save",
    "unpack_posting",
    "unpack_story",
]
