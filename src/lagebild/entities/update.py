"""The store's entity tables kept current in time proportional to what changed.

Rebuilding the canonical entities from every stored analysis after each clustering costs
seconds per thousand articles, so repeated small ingests (``lagebild watch``) would grow
quadratic. Instead the tables remember what each story contributed (a *part*: one story's
group of mentions of one entity, summed up in a *tally* of texts, labels, keys, citations
and articles) and which keys each entity can be found by. Triggers mark a story dirty when
it is written or deleted or one of its analyses is rewritten; an update takes the dirty
stories' old parts out of their entities, resolves the stories again, and links their groups
to the entities found by key with the same ``canon.merge`` the full build uses (each
existing entity standing in as one group). Entities are never split again by an update;
the full build (``rebuild``) runs when the entity rules change and when most stories are
dirty (a first ingest, a recluster from scratch), and gives what ``store_entities`` gives;
in a store of more than ``REBUILD_ARTICLES`` articles it resolves the stories in steps of
about that many, each linked to the steps before as an update is, so that its memory stays
bounded (what ingests of those steps would have given).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from lagebild.entities.canon import (
    Group,
    _genitives_folded,
    _most,
    _name,
    _spelt,
    _unique_ids,
    article_groups,
    cited_name,
    merge,
)
from lagebild.entities.exonyms import territory_key
from lagebild.entities.index import (
    article_ids,
    article_key,
    article_of,
    pack_data,
    source_code,
    source_of,
)
from lagebild.entities.lexicon import tagger_words
from lagebild.entities.names import NameForm, entity_id, name_form
from lagebild.model import Doc, Entity, EntityType, Mention, Story

if TYPE_CHECKING:
    from lagebild.app import Lagebild

LOOSE = "~"  # part owner prefix of an article in no story (built by ``rebuild`` only)
# entity_mentions is keyed by (entity, rowid) without SQLite's own row numbers (schema 55: the
# table is its index by entity): its ``rowid`` column numbers the mentions in the order they
# are written, as the row numbers did (and under their name, for every query and migration
# that reads them), so an entity's mentions, and those of an entity merged into it, read in
# that order. The last number given out is kept in the state under this key
ROWID_KEY = "entities.mention_rowid"
MAX_FORMS = 40  # distinct forms an entity keeps to be compared by (``merge`` reads 20)
_ENC = msgspec.msgpack.Encoder()
_DEC = msgspec.msgpack.Decoder()
_HEX = re.compile(r"[0-9a-f]+")
# a tagger mention below this confidence is more often wrong than right: where the CRF trained
# without GermEval dev (``models/ner-de/heldout-dev``) tags dev, P(span and type right | its
# least sure token's marginal) crosses 1/2 at 0.796 (logistic fit on one half of dev's
# documents). Kept: 83 % right (held-out half 0.831, was 0.726); 12 % of the right spans are
# below it. An entity all of whose mentions are below it is listed only on request
DOUBT_BELOW = 0.8
# a name its story gives only once has no repetition to back the tagger's guess: of 40 such
# listed entities of a 10kGNAD run (1,016 articles) with a best score in [0.8, 0.95), 20 were
# no name, a cut name or the wrong type, of 20 in [0.95, 0.99) 5, of 20 at >= 0.99 none
# (issue 17, session 8 notes). Below this bar such a name is doubtful too. Neither
# has a name one article repeats: its repetitions are the same reading of the same text
# (the stage copies a name it found to every place the article writes it); of 24 listed
# entities of that run named only in one article, twice or more, with a best score in
# [0.8, 0.95), 10 were right (session 9)
LONE_DOUBT_BELOW = 0.95


def is_sure(m: Mention, lone: bool = False, word_person: bool = False) -> bool:
    """Whether ``m`` counts as evidence of its entity: a rule's mention, or a tagger's above
    the floor (the higher one for a name only one article of its story gives, ``lone``),
    and, in such an article, not a word of a one-word person (``word_person``: a person
    group never named in full) that the silver data does not know (``unbacked``)."""
    if m.score is None:
        return True
    floor = max(DOUBT_BELOW, LONE_DOUBT_BELOW) if lone else DOUBT_BELOW
    return m.score >= floor and not (lone and word_person and unbacked(m))


def word_person(g: Group) -> bool:
    """Whether ``g`` is a person only ever named with one word ("Neddy", "Draufhin")."""
    return g.label == "PER" and not any(f.full for f in g.forms)


def unbacked(m: Mention) -> bool:
    """A one-word name the tagger found whose word (or genitive base) the silver data never
    saw in a name: of 30 listed one-word persons of a 10kGNAD run named in one article,
    ~20 were no person ("Draufhin", "Heels", "Anwälten", "Tinder", "Philae", "Attac",
    "Übergizmo"; issue 17, session 11 notes). A surname the article also gives
    with a first name is backed by that full name (``word_person``)."""
    word = m.text.strip()
    if m.source == "coref" or " " in word:
        return False
    named = tagger_words().named
    return word not in named and not (word.endswith("s") and word[:-1] in named)


def is_lone(mentions: Iterable[Mention]) -> bool:
    """Whether the named (not coreferent) mentions of a story group all stand in one
    article: nothing but that article's own reading backs the tagger's guess."""
    return len({m.article_id for m in mentions if m.source != "coref"}) == 1


# ------------------------------------------------------------------ tallies


def _add(a: dict[str, int], b: dict[str, int], sign: int = 1) -> None:
    for k, n in b.items():
        v = a.get(k, 0) + sign * n
        if v > 0:
            a[k] = v
        else:
            a.pop(k, None)


@dataclass(slots=True)
class Tally:
    """What a group of mentions adds to an entity; entities are sums of their parts'."""

    n: int = 0  # mentions, with coreferent ones
    texts: dict[str, int] | None = None  # named mentions per text, in first-seen order
    labels: dict[str, int] | None = None  # named mentions per label
    fkeys: dict[str, int] | None = None  # keys of names of several words
    akeys: dict[str, int] | None = None  # keys of all names
    cited: dict[str, int] | None = None  # "as written\x1fname form" -> count
    forms: list[list[Any]] | None = None  # distinct forms (NameForm fields), first seen first
    articles: dict[str, list[Any]] | None = None  # article id -> [mentions, outlet or ""]
    sure: int = 0  # named mentions a rule made or the tagger was sure of (``DOUBT_BELOW``)

    def __post_init__(self) -> None:
        for name in ("texts", "labels", "fkeys", "akeys", "cited", "articles"):
            if getattr(self, name) is None:
                setattr(self, name, {})
        if self.forms is None:
            self.forms = []

    def add(self, other: Tally, sign: int = 1) -> None:
        self.n += sign * other.n
        self.sure += sign * other.sure
        for name in ("texts", "labels", "fkeys", "akeys", "cited"):
            _add(getattr(self, name), getattr(other, name), sign)
        arts = self.articles
        assert arts is not None and other.articles is not None
        for aid, (n, outlet) in other.articles.items():
            v = arts.get(aid, [0, outlet])[0] + sign * n
            if v > 0:
                arts[aid] = [v, outlet]
            else:
                arts.pop(aid, None)
        assert self.forms is not None and other.forms is not None
        if sign > 0:
            seen = {(f[0], f[2]) for f in self.forms}
            for f in other.forms:
                if len(self.forms) >= MAX_FORMS:
                    break
                if (f[0], f[2]) not in seen:
                    seen.add((f[0], f[2]))
                    self.forms.append(f)
        else:
            texts = self.texts or {}
            self.forms = [f for f in self.forms if f[0] in texts]

    def encode(self, forms: bool = True) -> tuple[bytes, bytes]:
        """(the tally without its articles, the articles): a stand-in reads only the first.
        A story's part is kept without forms (only entities are compared by them); an
        entity's, with them, compressed (its forms repeat its words: half the bytes)."""
        keep = self.forms if forms else []
        light = [self.n, self.texts, self.labels, self.fkeys, self.akeys, self.cited, keep]
        data = _ENC.encode([*light, self.sure])
        return (zlib.compress(data) if forms else data), pack_articles(self.articles or {})

    @classmethod
    def decode(cls, light: bytes, articles: bytes | None = None) -> Tally:
        if light[:1] == b"x":  # compressed (a MessagePack array never starts with "x")
            light = zlib.decompress(light)
        n, texts, labels, fkeys, akeys, cited, forms, *rest = _DEC.decode(light)
        arts = unpack_articles(articles) if articles is not None else {}
        sure = rest[0] if rest else n  # a tally from before scores: nothing in doubt
        return cls(n, texts, labels, fkeys, akeys, cited, forms, arts, sure)

    @property
    def doubtful(self) -> bool:
        """Only tagger mentions below ``DOUBT_BELOW`` (``LONE_DOUBT_BELOW`` for a name its
        story gives once): listed on request only."""
        return self.n > 0 and self.sure <= 0

    @property
    def label(self) -> EntityType:
        return _most(self.labels) if self.labels else "OTH"  # type: ignore[return-value]

    @property
    def key(self) -> str:
        keys = self.fkeys or self.akeys or {}
        return _most(keys) if keys else ""

    def name_forms(self) -> list[NameForm]:
        return [
            NameForm(f[0], tuple(f[1]), f[2], f[3], f[4], f[5], tuple(f[6]), tuple(f[7]))
            for f in self.forms or ()
        ]

    def entity(self, eid: str) -> Entity:
        """The entity record (no mentions) as ``canon.to_entity`` makes it from the mentions."""
        counts = Counter(self.texts)
        first_seen = {t: i for i, t in enumerate(self.texts or {})}
        variants = sorted(
            _genitives_folded(counts).items(), key=lambda kv: (-kv[1], first_seen[kv[0]])
        )
        name = _name([], counts, first_seen) if counts else ""
        cited: Counter[tuple[str, str]] = Counter()
        for k, n in (self.cited or {}).items():
            w, s = k.split("\x1f", 1)
            cited[w, s] += n
        return Entity(eid, cited_name(name, cited), self.label, tuple(variants))


def pack_articles(arts: dict[str, list[Any]]) -> bytes:
    """An entity's articles (id -> [mentions, outlet or ""]) as [ids, counts, outlet numbers,
    outlets]: the 16-hex-digit ids as 8 bytes each in one string, every outlet name once
    (was a map repeating both: 32 bytes per article and entity, now ~11)."""
    ids = list(arts)
    outlets: dict[str, int] = {}
    where = [outlets.setdefault(o, len(outlets)) for _, o in arts.values()]
    packed: bytes | list[str] = ids
    if all(len(a) == 16 and _HEX.fullmatch(a) for a in ids):
        packed = b"".join(bytes.fromhex(a) for a in ids)
    return _ENC.encode([packed, [n for n, _ in arts.values()], where, list(outlets)])


def unpack_articles(data: bytes) -> dict[str, list[Any]]:
    """What ``pack_articles`` packed, in its order."""
    raw = _DEC.decode(data)
    if isinstance(raw, dict):  # the map of an earlier layout
        return raw
    ids, counts, where, outlets = raw
    if isinstance(ids, bytes):
        ids = [ids[i : i + 8].hex() for i in range(0, len(ids), 8)]
    return {a: [n, outlets[w]] for a, n, w in zip(ids, counts, where, strict=True)}


# a part stored as this (data and articles both) is its entity's whole tally: the entity has
# no other part. Most entities are named in one story only (5,926 of 7,196 in a 1k 10kGNAD
# store), and their one part repeated the tally (~0.5 MB per 1k articles). Written where the
# part's bytes equal the tally's (``Tally.encode(forms=False)``); spelled out again before
# the entity's tally is written anew (``_Writer.settle``), so it always reads what it held
WHOLE = b""


def part_tally(db: sqlite3.Connection, n: int, light: bytes, arts: bytes) -> Tally:
    """The tally of entity row ``n``'s part stored as ``light``, ``arts`` (``WHOLE``: read
    from the entity's stored tally)."""
    if light == WHOLE:
        row = db.execute("SELECT data, articles FROM entity_tally WHERE entity=?", (n,)).fetchone()
        t = Tally.decode(row[0], row[1])
        t.forms = []  # a part keeps none
        return t
    return Tally.decode(light, arts)


def tally_of(group: Group, mentions: Sequence[Mention], outlet: dict[str, str]) -> Tally:
    """The tally of ``group``, its ``mentions`` in entity order (``to_entity``'s)."""
    t = Tally(n=len(mentions))
    named = [m for m in group.mentions if m.source != "coref"]
    lone = is_lone(named)
    single = word_person(group)
    sure = [m for m in named if is_sure(m, lone, single)]
    t.sure = len(sure) if named else len(mentions)
    labels = Counter(m.label for m in named) or Counter(m.label for m in group.mentions)
    t.labels = dict(labels)
    t.fkeys = dict(Counter(f.key for f in group.forms if f.full))
    t.akeys = dict(Counter(f.key for f in group.forms))
    t.cited = {f"{w}\x1f{s}": n for (w, s), n in group.cited.items()}
    texts: dict[str, int] = {}
    arts: dict[str, list[Any]] = {}
    for m in mentions:
        if m.source != "coref":
            texts[m.text] = texts.get(m.text, 0) + 1
        row = arts.setdefault(m.article_id, [0, outlet.get(m.article_id) or ""])
        row[0] += 1
    t.texts, t.articles = texts, arts
    seen: set[tuple[str, str]] = set()
    forms = []
    for f in group.forms:  # one per spelling and key ("Paris" may be read as a genitive too)
        if (f.text, f.key) not in seen and len(forms) < MAX_FORMS:
            seen.add((f.text, f.key))
            forms.append([f.text, f.words, f.key, f.base, f.core, f.kind, f.plain, f.weak])
    t.forms = forms
    return t


# ------------------------------------------------------------------ keys


def _tokens(f: NameForm) -> set[str]:
    out = {f.key, f.base, f.core, territory_key(f.key) or "", _spelt(f)[0]}
    return out - {""}


def entity_keys(t: Tally) -> set[str]:
    """What an entity is found by: every key its forms can be merged by (``canon.merge``
    indexes groups by key, genitive base, core, territory, and persons by name words: a
    person's first words as ``f:``, its last words as ``l:`` (schema 33), so that a bare
    name, which only ever joins a surname across stories, asks for surnames alone). A person
    named in full is not found by its one-word forms (schema 45): across stories only a bare
    name can join it through them, as its surname, and finds it by that (``l:``)."""
    out: set[str] = set()
    person = t.label == "PER"
    forms = t.name_forms()
    named = person and any(f.full for f in forms)
    for f in forms:
        if named and not f.full:
            continue
        out |= _tokens(f)
        if person and f.full:
            out |= {f"f:{f.first}", f"l:{f.last}", f"p:{f.first}|{f.last}"}
            if f.plain:
                _, first, last = _spelt(f)
                out |= {f"f:{first}", f"l:{last}"}
            out |= _tokens(name_form(f.text, "ORG"))  # a "person" of another type's name
    return out


def one_word_keys(t: Tally) -> set[str]:
    """The keys a person named in full had for its one-word forms before schema 45 (what
    its migration takes away where no other form gives them)."""
    forms = t.name_forms()
    if t.label != "PER" or not any(f.full for f in forms):
        return set()
    return set().union(*(_tokens(f) for f in forms if not f.full))


def probe_keys(g: Group) -> set[str]:
    """The keys of entities a new group may be merged with. A bare person asks for the
    persons of its word as a surname (``canon.merge`` across stories: ``_surname_of(first=
    False)``); a one-word place for those of its word as a first or last name, and only when
    it may be a surname at all (``canon._surname_places``): asking every bare name for every
    person with that word anywhere in the name grew with the store (at 30k articles, 333k
    surname checks per 1k new articles). A person named in full asks for its last word alone
    (a stored bare surname joins it), not its first: across stories a bare name joins a
    person only as a surname, so the one-word entities of a first name took part in no merge
    (at 100k articles 3,421 of 20,436 stand-ins were found by nothing else); and it asks for
    no surnames for its own one-word forms: across stories only a bare person joins one."""
    out: set[str] = set()
    person = g.label == "PER"
    bare = person and not any(f.full for f in g.forms)
    for f in g.forms:
        out |= _tokens(f)
        if person and f.full:
            out |= {f"p:{f.first}|{f.last}", f.last}
            if f.plain:
                out.add(_spelt(f)[2])
            out |= _tokens(name_form(f.text, "ORG"))  # ``canon._persons_of_other_type``
    if bare:
        words = _words(g, bare=True)
        out |= {f"l:{w}" for w in words}
    elif g.label == "LOC" and _may_be_surname(g):
        words = _words(g, bare=False)
        out |= {f"{kind}:{w}" for w in words for kind in ("f", "l")}
    return out


def _words(g: Group, *, bare: bool) -> set[str]:
    """The keys, genitive bases and spellings of ``g``'s forms (of its one-word forms only
    with ``bare``): what ``merge`` looks persons up by."""
    out: set[str] = set()
    for f in g.forms:
        if bare and f.full:
            continue
        out |= {f.key, f.base, _spelt(f)[0]}
    return out - {""}


def _may_be_surname(g: Group) -> bool:
    """Whether a place group passes what ``canon._surname_places`` asks before it looks for
    a person: never a place of its own, no form of several words or known as a place. A
    group it joins inherits each (``Group.absorb``), so one that fails stays failed."""
    if g.placed or any(f.full for f in g.forms):
        return False
    places = tagger_words().places
    return not any(f.text in places or f.text.rstrip("s") in places for f in g.forms)


@dataclass(slots=True, eq=False)
class _StandIn(Group):
    """An entity of the store as one group in ``merge``: its forms, its type and key."""

    entity: str = ""
    fixed_key: str = ""
    fixed_label: str = "OTH"

    @property
    def key(self) -> str:  # type: ignore[override]
        return self.fixed_key

    @property
    def label(self) -> EntityType:  # type: ignore[override]
        return self.fixed_label  # type: ignore[return-value]


def _stand_in(eid: str, t: Tally) -> _StandIn:
    marker = Mention("", 0, 0, "", t.label, eid)
    return _StandIn(
        [marker] * max(t.n, 1), t.name_forms(), entity=eid, fixed_key=t.key, fixed_label=t.label
    )


def _root(g: Group) -> Group:
    while g.into is not None:
        g = g.into
    return g


# ------------------------------------------------------------------ writing


def _row(eid: str, t: Tally) -> tuple[Any, ...]:
    e = t.entity(eid)
    arts = t.articles or {}
    outlets = sorted({o for _, o in arts.values() if o})
    # the article ids are read from the tally (``article_ids``), not kept twice
    data = pack_data(e.variants, outlets, sum(1 for _, o in arts.values() if not o))
    row = (eid, -t.n, e.name, e.type, t.n, len(arts), data)
    return (*row, int(t.doubtful))


class _Writer:
    """The entity tables of one store; the tallies of the entities an update changes.
    Entities are public by their id (``entity_index.id``); the other tables name them by
    their row number there (``n``, migration 19), which stays when an entity is renamed."""

    def __init__(self, app: Lagebild) -> None:
        self.db = app.store.db
        self.touched: dict[str, Tally] = {}  # entity id -> full tally, as changed so far
        self.was: dict[str, str] = {}  # entity id -> the id its tally gave when loaded
        # entity id -> row number, as written or read here: an update asked the same
        # entity's number for each of its parts and mention rows (~4 lookups a new entity)
        self._n: dict[str, int] = {}
        # entity id -> tally as written by this update (``settle``, ``create_all``): a part
        # equal to it is stored as ``WHOLE`` (``put_parts``)
        self.written: dict[str, Tally] = {}
        self._rowid: int | None = None  # the last mention number given out (``put_rows``)

    def number(self, eid: str) -> int | None:
        """The row number of entity ``eid`` (None when it is not stored)."""
        n = self._n.get(eid)
        if n is None:
            row = self.db.execute("SELECT n FROM entity_index WHERE id=?", (eid,)).fetchone()
            if row is None:
                return None
            n = self._n[eid] = int(row[0])
        return n

    def _stored(self, eid: str) -> int:
        n = self.number(eid)
        if n is None:
            raise LookupError(f"entity {eid!r} has no row in entity_index")
        return n

    def full(self, eid: str) -> Tally:
        """The entity's whole tally, kept to be written back by ``settle``."""
        t = self.touched.get(eid)
        if t is None:
            row = self.db.execute(
                "SELECT t.data, t.articles FROM entity_index e"
                " JOIN entity_tally t ON t.entity = e.n WHERE e.id=?",
                (eid,),
            ).fetchone()
            t = Tally.decode(row[0], row[1]) if row is not None else Tally()
            self.touched[eid] = t
            self.was[eid] = entity_id(t.label, t.key) if t.n else eid
        return t

    def settle(self) -> dict[str, str]:
        """Write the changed entities back: gone when nothing is left of them, renamed when
        their main key or type changed; returns old id -> new id of those renamed."""
        renamed: dict[str, str] = {}
        kept = [self.number(e) for e, t in self.touched.items() if t.n > 0]
        self._spell_out([n for n in kept if n is not None])
        for eid, t in list(self.touched.items()):
            if t.n <= 0:
                self.drop_entity(eid)
                continue
            want = entity_id(t.label, t.key)
            if want != self.was.get(eid, want):
                new = self._free_id(want, t)
                self.rename(eid, new)
                renamed[eid] = eid = new
            self.put_entity(eid, t)
            self.written[eid] = t
        self.touched.clear()
        return renamed

    def _spell_out(self, numbers: list[int]) -> None:
        """The parts stored as ``WHOLE`` of entity rows ``numbers`` written out from their
        stored tallies, before those are written anew. Such a part is an entity's only one,
        so two parts are read at most (all parts of the touched entities, "Wien" with its
        thousands among them, took ~0.25 s per update at 100k articles)."""
        select = "SELECT story_id, data FROM entity_parts WHERE entity=? LIMIT 2"
        for n in numbers:
            rows = self.db.execute(select, (n,)).fetchall()
            if len(rows) != 1 or rows[0][1] != WHOLE:
                continue
            light, arts = part_tally(self.db, n, WHOLE, WHOLE).encode(forms=False)
            self.db.execute(
                "UPDATE entity_parts SET data=?, articles=? WHERE story_id=? AND entity=?",
                (light, arts, rows[0][0], n),
            )

    def create(self, t: Tally) -> str:
        """A new entity; its id."""
        eid = self._free_id(entity_id(t.label, t.key), t)
        self.put_entity(eid, t)
        return eid

    def create_all(self, tallies: Sequence[Tally]) -> list[str]:
        """New entities, as ``create`` one by one would make them (ids, row numbers: one
        above the highest, in turn), each table written at once and the keys in key order:
        a new entity's keys went one by one to random places of the biggest index."""
        wanted = [entity_id(t.label, t.key) for t in tallies]
        taken = self._stored_ids(set(wanted))
        top = self.db.execute("SELECT coalesce(max(n), 0) FROM entity_index").fetchone()[0]
        made, rows, keys = [], [], []
        for t, eid in zip(tallies, wanted, strict=True):
            if eid in taken:
                eid = self._free_id(eid, t, taken)
            taken.add(eid)
            top += 1
            rows.append((top, *_row(eid, t)))
            keys.extend((k, top) for k in entity_keys(t))
            self._n[eid] = top
            self.written[eid] = t
            made.append(eid)
        self.db.executemany(
            "INSERT INTO entity_index (n, id, rank, name, type, mentions, articles, data,"
            " doubtful) VALUES (?,?,?,?,?,?,?,?,?)",
            sorted(rows, key=lambda r: r[1]),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO entity_tally (entity, data, articles) VALUES (?,?,?)",
            [(r[0], *t.encode()) for r, t in zip(rows, tallies, strict=True)],
        )
        keys.sort()
        self.db.executemany("INSERT OR IGNORE INTO entity_keys (key, entity) VALUES (?,?)", keys)
        return made

    def _stored_ids(self, ids: set[str]) -> set[str]:
        """Those of ``ids`` an entity of the store has."""
        return {r[0] for r in _rows_in(self.db, "SELECT id FROM entity_index WHERE id IN", ids)}

    def _free_id(self, eid: str, t: Tally, taken: set[str] | None = None) -> str:
        """``eid``, or an id of its own when another entity has it (as ``canon._unique_ids``),
        or one of ``taken`` (ids given out but not written yet)."""
        base, n = eid, 1
        name = None  # made only when the id is taken (seldom: a name is 1/4 of a new entity)
        while (taken is not None and eid in taken) or self.db.execute(
            "SELECT 1 FROM entity_index WHERE id=?", (eid,)
        ).fetchone():
            if name is None:
                name = t.entity(base).name
            eid = entity_id(t.label, f"{base}|{name}|{n}")
            n += 1
        return eid

    def put_entity(self, eid: str, t: Tally, n: int | None = None) -> int:
        """Write entity ``eid`` (as row ``n`` when given: a build numbers them by rank);
        its row number."""
        row = _row(eid, t)
        if n is None:
            n = self.db.execute(
                "INSERT INTO entity_index"
                " (id, rank, name, type, mentions, articles, data, doubtful)"
                " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET rank=excluded.rank,"
                " name=excluded.name, type=excluded.type, mentions=excluded.mentions,"
                " articles=excluded.articles, data=excluded.data, doubtful=excluded.doubtful"
                " RETURNING n",
                row,
            ).fetchall()[0][0]
        else:
            self.db.execute(
                "INSERT INTO entity_index"
                " (n, id, rank, name, type, mentions, articles, data, doubtful)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (n, *row),
            )
        light, arts = t.encode()
        self.db.execute(
            "INSERT OR REPLACE INTO entity_tally (entity, data, articles) VALUES (?,?,?)",
            (n, light, arts),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, entity) VALUES (?,?)",
            [(k, n) for k in entity_keys(t)],
        )
        self._n[eid] = int(n)
        return int(n)

    def drop_entity(self, eid: str) -> None:
        n = self.number(eid)
        if n is None:
            return
        del self._n[eid]
        for table, col in (
            ("entity_index", "n"),
            ("entity_tally", "entity"),
            ("entity_keys", "entity"),
            ("entity_parts", "entity"),
            ("entity_mentions", "entity"),
        ):
            self.db.execute(f"DELETE FROM {table} WHERE {col}=?", (n,))

    def rename(self, old: str, new: str) -> None:
        """Every row of entity ``old`` now belongs to ``new`` (merged into it or re-keyed)."""
        n_old, n_new = self.number(old), self.number(new)
        if n_old is not None and n_new is None:  # a new id: the rows keep their number
            self.db.execute("UPDATE entity_index SET id=? WHERE n=?", (new, n_old))
            del self._n[old]
            self._n[new] = n_old
        elif n_old is not None and n_new is not None:
            self.db.execute("UPDATE entity_mentions SET entity=? WHERE entity=?", (n_new, n_old))
            self.db.execute(
                "UPDATE OR IGNORE entity_keys SET entity=? WHERE entity=?", (n_new, n_old)
            )
            parts = self.db.execute(
                "SELECT story_id, data, articles FROM entity_parts WHERE entity=?", (n_old,)
            ).fetchall()
            for owner, light, arts in parts:
                self.put_part(article_of(owner), new, part_tally(self.db, n_old, light, arts))
            self.drop_entity(old)
        if old in self.touched:
            t = self.touched.pop(old)
            if new not in self.touched:
                self.touched[new] = t
                self.was[new] = self.was.get(old, new)

    def put_part(self, owner: str, eid: str, t: Tally) -> None:
        n = self._stored(eid)
        row = self.db.execute(
            "SELECT data, articles FROM entity_parts WHERE story_id=? AND entity=?",
            (article_key(owner), n),
        ).fetchone()
        if row is not None:
            old = part_tally(self.db, n, row[0], row[1])
            old.add(t)
            t = old
        light, arts = t.encode(forms=False)
        self.db.execute(
            "INSERT OR REPLACE INTO entity_parts (story_id, entity, data, articles)"
            " VALUES (?,?,?,?)",
            (article_key(owner), n, light, arts),
        )

    def put_parts(self, parts: dict[tuple[str, str], Tally]) -> None:
        """Write the parts (owner, entity) -> tally of owners that have no parts stored; a
        part equal to its entity's tally as this update wrote it as ``WHOLE``."""
        rows = []
        for (owner, eid), t in parts.items():
            light, arts = t.encode(forms=False)
            whole = self.written.get(eid)
            if whole is not None and whole.n == t.n and whole.encode(forms=False) == (light, arts):
                light = arts = WHOLE
            rows.append((article_key(owner), self._stored(eid), light, arts))
        rows.sort(key=lambda r: (r[0], r[1]))
        self.db.executemany(
            "INSERT INTO entity_parts (story_id, entity, data, articles) VALUES (?,?,?,?)", rows
        )

    def put_mentions(self, groups: Iterable[tuple[str, Sequence[Mention]]]) -> None:
        """The mentions of each (entity id, mentions) in turn, in one statement (one per
        group took ~32k statements per 1k new articles); numbered as one by one."""
        self.put_rows(
            [
                (
                    n,
                    article_key(m.article_id),
                    m.start,
                    m.end,
                    m.text,
                    source_code(m.source),
                    m.caption,
                )
                for eid, mentions in groups
                for n in (self._stored(eid),)
                for m in mentions
            ]
        )

    def put_rows(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Mention rows (entity row, article key, start, end, text, source code, caption),
        numbered in turn after the last number given out (``ROWID_KEY``)."""
        if not rows:
            return
        if self._rowid is None:
            self._rowid = last_rowid(self.db)
        first = self._rowid + 1
        self._rowid += len(rows)
        self.db.executemany(
            "INSERT INTO entity_mentions"
            ' (entity, rowid, article, start, "end", text, source, caption)'
            " VALUES (?,?,?,?,?,?,?,?)",
            [(r[0], first + i, *r[1:]) for i, r in enumerate(rows)],
        )
        _note_rowid(self.db, self._rowid)


# ------------------------------------------------------------------ building


def _story_groups(docs: Sequence[Doc]) -> list[Group]:
    return merge(g for d in docs for g in article_groups(d))


def _owners(app: Lagebild, story_ids: Sequence[str] | None) -> Iterator[tuple[str, list[Doc]]]:
    """(story id, its original articles' docs) of ``story_ids`` (all stories when None, with
    each article in no story as its own owner), in the store's story order. One story's docs
    at a time: all 2,750 analyses of the real corpus at once took 760 MB."""
    store = app.store
    if story_ids is None:
        stories = sorted(store.stories(), key=_story_order)
    else:
        stories = []
        for sid in story_ids:
            row = store.db.execute("SELECT data FROM stories WHERE id=?", (sid,)).fetchone()
            if row is not None:
                stories.append(store.story(sid))
    for s in stories:
        yield s.id, list(app.docs(s.original_ids))
    if story_ids is None:
        seen = {a for s in stories for a in s.article_ids}
        loose = [a for a, _ in store.article_dates() if a not in seen]
        for d in app.docs(loose):
            yield LOOSE + d.id, [d]


def _story_order(s: Story) -> tuple[int, str, str]:
    """The store's story order (biggest first, then oldest) with the id as the last word:
    stories of one size and date come from the store in the order they were written, which
    follows the clustering's set iteration, i.e. ``PYTHONHASHSEED``."""
    return (-len(s.article_ids), s.first.isoformat() if s.first else "", s.id)


def _few_full_collections(build: Callable[..., None]) -> Callable[..., None]:
    """``build`` with CPython's full collections rarer while it runs (as an ingest has them
    after its first doc, ``pipeline.FULL_COLLECTION_EVERY``), the thresholds restored after.
    A build holds every story group and name form it merges, and each full collection walks
    them all: at 3k respelt articles 16 full collections took 5.1 of 33.9 s, 3 took 1.9."""

    @functools.wraps(build)
    def run(*args: Any, **kwargs: Any) -> None:
        from lagebild.pipeline import FULL_COLLECTION_EVERY

        young, middle, old = gc.get_threshold()
        gc.set_threshold(young, middle, max(old, FULL_COLLECTION_EVERY))
        try:
            build(*args, **kwargs)
        finally:
            gc.set_threshold(young, middle, old)

    return run


# articles a rebuild resolves at once: a store of more is built in steps of stories of about
# this many, each linked to the entities of the steps before it by the update's merge (the
# whole store's merge held ~60 MB per 1,000 articles, its groups percolating through
# shared words: ~5 GB at 100k respelt articles); biggest stories first, as the whole build.
# 10k respelt bench articles: peak RSS 650 -> 444 MB, CPU 137 -> 124 s; 99.1 % of the
# entities the same mentions, 4.4 % of the mentions elsewhere (session 14 notes)
REBUILD_ARTICLES = 2_000


@_few_full_collections
def rebuild(app: Lagebild) -> None:
    """The entity tables from every stored story: at once (``_rebuild_whole``) in a store of
    up to ``REBUILD_ARTICLES`` articles, else in steps of stories of about that many, each
    resolved as an update resolves the stories that changed, so memory stays bounded by the
    step; the mentions and each entity's texts and articles then in ingest order, as the
    whole build keeps them."""
    store = app.store
    if store.db.execute("SELECT count(*) FROM articles").fetchone()[0] <= REBUILD_ARTICLES:
        _rebuild_whole(app)
        return
    order = {a: i for i, (a, _) in enumerate(store.article_dates())}
    with _page_cache(store.db), store.transaction() as db:
        for table in _TABLES:
            db.execute(f"DELETE FROM {table}")
        for step in _steps(app):
            _resolve(_Writer(app), step, order)
        _in_ingest_order(db, order)
    _set_built(app)


_TABLES = (
    "entity_index",
    "entity_mentions",
    "entity_tally",
    "entity_keys",
    "entity_parts",
    "entity_dirty",
    "entity_analysed",
)


def _steps(app: Lagebild) -> Iterator[Iterator[tuple[str, list[Doc]]]]:
    """The owners of a rebuild (as ``_owners``: stories biggest first, then the articles of
    no story) in steps of about ``REBUILD_ARTICLES`` articles, each read when resolved."""
    seen: set[str] = set()  # articles in some story
    stories = []
    for s in app.store.stories():
        stories.append((_story_order(s), s.id, s.original_ids))
        seen.update(s.article_ids)
    stories.sort(key=lambda x: x[0])
    step: list[tuple[str, Sequence[str]]] = []
    n = 0
    for _, sid, ids in stories:
        step.append((sid, ids))
        n += len(ids)
        if n >= REBUILD_ARTICLES:
            yield ((o, list(app.docs(a))) for o, a in step)
            step, n = [], 0
    for a, _ in app.store.article_dates():
        if a not in seen:
            step.append((LOOSE + a, [a]))
            n += 1
            if n >= REBUILD_ARTICLES:
                yield ((o, list(app.docs(a))) for o, a in step)
                step, n = [], 0
    if step:
        yield ((o, list(app.docs(a))) for o, a in step)


def _in_ingest_order(db: sqlite3.Connection, order: dict[str, int]) -> None:
    """Each entity's mentions in ingest order (``_sorted``), and its tally's texts and
    articles in the order they are first seen there, as ``_rebuild_whole`` writes them:
    a rebuild in steps adds them story by story (a name's most common spelling ties are
    broken by the first seen, ``Tally.entity``)."""
    db.execute("CREATE TEMP TABLE lb_seq (article PRIMARY KEY, seq INTEGER)")
    db.executemany(
        "INSERT INTO temp.lb_seq VALUES (?,?)", ((article_key(a), i) for a, i in order.items())
    )
    cols = 'entity, article, start, "end", text, source, caption'
    db.execute(
        f"CREATE TEMP TABLE lb_mentions AS SELECT {', '.join('m.' + c for c in cols.split(', '))}"
        " FROM entity_mentions m LEFT JOIN temp.lb_seq o ON o.article = m.article"
        " ORDER BY m.entity, o.seq IS NULL, o.seq, m.article, m.start, m.rowid"
    )
    db.execute("DELETE FROM entity_mentions")
    db.execute(
        f"INSERT INTO entity_mentions (rowid, {cols}) SELECT rowid, {cols}"
        " FROM temp.lb_mentions ORDER BY rowid"
    )
    last = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM temp.lb_mentions").fetchone()[0]
    _note_rowid(db, last)
    db.execute("DROP TABLE temp.lb_mentions")
    db.execute("DROP TABLE temp.lb_seq")
    rows = db.execute(
        "SELECT entity, article, text, source FROM entity_mentions ORDER BY entity, rowid"
    )
    cur: int | None = None
    texts: dict[str, int] = {}
    arts: dict[str, int] = {}
    for e, art, text, source in rows:
        if e != cur:
            if cur is not None:
                _reorder(db, cur, texts, arts)
            cur, texts, arts = e, {}, {}
        if source_of(source) != "coref":
            texts.setdefault(text, len(texts))
        arts.setdefault(article_of(art), len(arts))
    if cur is not None:
        _reorder(db, cur, texts, arts)


def _reorder(db: sqlite3.Connection, n: int, texts: dict[str, int], arts: dict[str, int]) -> None:
    """Entity row ``n``'s tally with its texts and articles in the order of ``texts`` and
    ``arts`` (first seen), written back with its row when that changed anything."""
    eid, light, packed = db.execute(
        "SELECT e.id, t.data, t.articles FROM entity_index e"
        " JOIN entity_tally t ON t.entity = e.n WHERE e.n=?",
        (n,),
    ).fetchone()
    t = Tally.decode(light, packed)
    assert t.texts is not None and t.articles is not None
    if list(t.texts) == sorted(t.texts, key=texts.__getitem__) and list(t.articles) == sorted(
        t.articles, key=arts.__getitem__
    ):
        return
    t.texts = {k: t.texts[k] for k in sorted(t.texts, key=texts.__getitem__)}
    t.articles = {k: t.articles[k] for k in sorted(t.articles, key=arts.__getitem__)}
    light, packed = t.encode()
    db.execute("UPDATE entity_tally SET data=?, articles=? WHERE entity=?", (light, packed, n))
    row = _row(eid, t)
    db.execute("UPDATE entity_index SET name=?, data=? WHERE n=?", (row[2], row[6], n))


@_few_full_collections
def _rebuild_whole(app: Lagebild) -> None:
    """The entity tables from every stored story, as ``store_entities`` resolves them.
    An entity's mentions and articles are in ingest order (not story order, which varies
    with the clustering), so two builds of one store list them alike.

    Memory stays flat in the corpus size: only what ``merge`` compares by stays in memory
    (each story group's name forms and, per mention, a pointer to one of a few shared
    markers of its type and source); the mentions themselves and what each story group
    brings to its entity wait on disk in a scratch database until the merge has placed
    them (holding them took ~24 KB per article, 2.4 GB at 100k)."""
    order = {a: i for i, (a, _) in enumerate(app.store.article_dates())}
    outlet: dict[str, str] = {}
    groups: list[Group] = []  # story groups, their mentions replaced by markers
    forms: dict[NameForm, NameForm] = {}  # one object per distinct form
    with _Scratch(outlet) as tmp:
        for owner, docs in _owners(app, None):
            for d in docs:
                outlet[d.id] = d.article.outlet or ""
            for g in _story_groups(docs):
                seq = len(groups)
                tmp.add_group(seq, owner, g, order)
                groups.append(_light(g, seq, forms))
        forms.clear()
        final = merge(groups, story=False)
        gidx = {id(g): i for i, g in enumerate(final)}
        tmp.place(((seq, gidx[id(_root(g))]) for seq, g in enumerate(groups)), final)
        # names first (to rank the entities as ``to_entity`` sorts them), then the rows
        made = []
        for i, n, texts, _ in tmp.entities(None):
            g = final[i]
            name = _tally(g, n, texts, {}).entity("").name
            made.append((Entity(entity_id(g.label, g.key), name, g.label), n, i))
        made.sort(key=lambda x: (-x[1], x[0].name))
        ids = _unique_ids([e for e, _, _ in made])
        rank = {i: (r, e.id) for r, (e, (_, _, i)) in enumerate(zip(ids, made, strict=True))}
        n_of = [rank[gidx[id(_root(g))]][0] + 1 for g in groups]
        w = _Writer(app)
        with app.store.transaction() as db:
            for table in _TABLES:
                db.execute(f"DELETE FROM {table}")
            # an entity's tally as its parts keep it, to tell a part that is all of it
            whole: dict[int, tuple[bytes, bytes]] = {}
            for i, n, texts, arts in tmp.entities(rank, w):  # row number = rank + 1
                r, eid = rank[i]
                t = _tally(final[i], n, texts, arts)
                w.put_entity(eid, t, r + 1)
                whole[r + 1] = t.encode(forms=False)
            for owner, brought in tmp.parts():
                parts: dict[int, tuple[bytes, bytes]] = {}
                for seq, light, arts in brought:
                    e = n_of[seq]
                    if e in parts:  # two groups of one story in one entity: their sum
                        t = Tally.decode(*parts[e])
                        t.add(Tally.decode(light, arts))
                        light, arts = t.encode(forms=False)
                    parts[e] = (light, arts)
                db.executemany(
                    "INSERT INTO entity_parts (story_id, entity, data, articles) VALUES (?,?,?,?)",
                    [
                        (article_key(owner), e, *((WHOLE, WHOLE) if whole[e] == p else p))
                        for e, p in parts.items()
                    ],
                )
    _set_built(app)


def _light(g: Group, seq: int, forms: dict[NameForm, NameForm]) -> Group:
    """``g`` as ``merge`` reads it: its forms (shared objects) and, per mention, one of a
    few markers with its type, whether it is a coreferent one and whether the tagger was
    sure of it (what ``Group.label`` and ``tally_of`` count); the marker's ``start`` is the
    story group's number, so the blocks of a merged group can be told apart."""
    marks: dict[tuple[str, bool, bool], Mention] = {}
    mentions = []
    lone = is_lone(g.mentions)
    single = word_person(g)
    for m in g.mentions:
        sure = is_sure(m, lone, single)
        k = (m.label, m.source == "coref", sure)
        mark = marks.get(k)
        if mark is None:
            source = "coref" if k[1] else "ner"
            mark = marks[k] = Mention(
                "", seq, 0, "", m.label, None, source, None, None if sure else 0.0
            )
        mentions.append(mark)
    shared = [forms.setdefault(f, f) for f in g.forms]
    return Group(mentions, shared, g.cited, g.placed)


def _tally(g: Group, n: int, texts: dict[str, int], arts: dict[str, list[Any]]) -> Tally:
    """``tally_of`` for a merged group whose ``n`` mentions are on disk: ``texts`` and
    ``arts`` counted from them in entity order."""
    t = tally_of(g, (), {})
    t.n = n
    if not any(m.source != "coref" for m in g.mentions):
        t.sure = n
    t.texts, t.articles = texts, arts
    return t


class _Scratch:
    """A private temporary database (deleted on close) for what the build does not hold:
    every mention with its story group's number, what each story group brings to its
    entity, and where each story group's mentions stand in its merged group."""

    def __init__(self, outlet: dict[str, str]) -> None:
        self.outlet = outlet  # article id -> outlet, filled while the groups are added
        self.db = sqlite3.connect("")
        self.db.executescript(
            """
            CREATE TABLE m (seq INTEGER, ord INTEGER, article_id TEXT, start INTEGER,
                "end" INTEGER, text TEXT, source TEXT, caption INTEGER);
            CREATE TABLE part (seq INTEGER PRIMARY KEY, owner TEXT, light BLOB, arts BLOB);
            CREATE TABLE place (seq INTEGER PRIMARY KEY, gidx INTEGER, block INTEGER);
            CREATE TABLE rank (gidx INTEGER PRIMARY KEY, rank INTEGER, eid TEXT);
            """
        )
        self._parts: list[tuple[Any, ...]] = []
        self._mentions: list[tuple[Any, ...]] = []

    def __enter__(self) -> _Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def add_group(self, seq: int, owner: str, g: Group, order: dict[str, int]) -> None:
        """A story group's mentions (in the group's order) and its part, written in batches
        (two statements per group were a tenth of a build's CPU)."""
        light, arts = tally_of(g, _sorted(g.mentions, order), self.outlet).encode(False)
        self._parts.append((seq, owner, light, arts))
        end = len(order)
        self._mentions.extend(
            (seq, order.get(m.article_id, end), m.article_id, m.start, m.end, m.text, m.source,
             m.caption)
            for m in g.mentions
        )  # fmt: skip
        if len(self._mentions) >= 20_000:
            self.flush()

    def flush(self) -> None:
        """Write the groups added since the last time (in the order they came)."""
        self.db.executemany("INSERT INTO part VALUES (?,?,?,?)", self._parts)
        self.db.executemany("INSERT INTO m VALUES (?,?,?,?,?,?,?,?)", self._mentions)
        self._parts, self._mentions = [], []

    def place(self, roots: Iterable[tuple[int, int]], final: Sequence[Group]) -> None:
        """Each story group's merged group and its block there: ``absorb`` appends whole
        mention lists, so a merged group's mentions are its story groups' in blocks."""
        self.flush()
        block: dict[int, int] = {}
        for g in final:
            seen: dict[int, int] = {}
            for m in g.mentions:
                seen.setdefault(m.start, len(seen))
            block.update(seen)
        self.db.executemany(
            "INSERT INTO place VALUES (?,?,?)", ((s, i, block[s]) for s, i in roots)
        )

    def entities(
        self, rank: dict[int, tuple[int, str]] | None, w: _Writer | None = None
    ) -> Iterator[tuple[int, int, dict[str, int], dict[str, list[Any]]]]:
        """Per merged group (in ``rank`` order when given, writing its mentions with ``w``):
        its number, its mention count, named texts and articles counted in entity order
        (``to_entity``'s sort, ties in the merged group's order)."""
        if rank is not None:
            self.db.executemany(
                "INSERT INTO rank VALUES (?,?,?)", ((i, r, e) for i, (r, e) in rank.items())
            )
            sql = (
                'SELECT p.gidx, m.article_id, m.start, m."end", m.text, m.source, m.caption'
                " FROM m JOIN place p USING (seq) JOIN rank r ON r.gidx = p.gidx"
                " ORDER BY r.rank, m.ord, m.article_id, m.start, p.block, m.rowid"
            )
        else:
            sql = (
                'SELECT p.gidx, m.article_id, m.start, m."end", m.text, m.source, m.caption'
                " FROM m JOIN place p USING (seq)"
                " ORDER BY p.gidx, m.ord, m.article_id, m.start, p.block, m.rowid"
            )
        cur: int | None = None
        n, texts, arts, rows = 0, {}, {}, []
        for row in self.db.execute(sql):
            if row[0] != cur:
                if cur is not None:
                    if w is not None and rank is not None:
                        _put_rows(w, rank[cur][0] + 1, rows)
                    yield cur, n, texts, arts
                cur, n, texts, arts, rows = row[0], 0, {}, {}, []
            _, aid, _, _, text, source, _ = row
            n += 1
            if source != "coref":
                texts[text] = texts.get(text, 0) + 1
            a = arts.get(aid)
            if a is None:
                a = arts[aid] = [0, self.outlet.get(aid) or ""]
            a[0] += 1
            if w is not None:
                rows.append(row[1:])
        if cur is not None:
            if w is not None and rank is not None:
                _put_rows(w, rank[cur][0] + 1, rows)
            yield cur, n, texts, arts

    def parts(self) -> Iterator[tuple[str, list[tuple[int, bytes, bytes]]]]:
        """(owner, its story groups' (number, part)) in build order."""
        cur: str | None = None
        brought: list[tuple[int, bytes, bytes]] = []
        for seq, owner, light, arts in self.db.execute(
            "SELECT seq, owner, light, arts FROM part ORDER BY seq"
        ):
            if owner != cur:
                if cur is not None:
                    yield cur, brought
                cur, brought = owner, []
            brought.append((seq, light, arts))
        if cur is not None:
            yield cur, brought


def _put_rows(w: _Writer, n: int, rows: list[tuple[Any, ...]]) -> None:
    """Mentions (article id, start, end, text, source, caption) of entity row ``n``."""
    w.put_rows([(n, article_key(r[0]), r[1], r[2], r[3], source_code(r[4]), r[5]) for r in rows])


def last_rowid(db: sqlite3.Connection) -> int:
    """The last mention number given out (``ROWID_KEY``; a store without the note: the
    highest stored, one scan)."""
    row = db.execute("SELECT value FROM state WHERE key=?", (ROWID_KEY,)).fetchone()
    if row is not None:
        return int(row[0])
    return int(db.execute("SELECT COALESCE(MAX(rowid), 0) FROM entity_mentions").fetchone()[0])


def _note_rowid(db: sqlite3.Connection, last: int) -> None:
    db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?,?)", (ROWID_KEY, str(last)))


def _sorted(mentions: Iterable[Mention], order: dict[str, int]) -> list[Mention]:
    return sorted(
        mentions, key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.start)
    )


def _set_built(app: Lagebild) -> None:
    from lagebild.entities.index import STATE_KEY, scheme

    app.store.put_state(STATE_KEY, scheme())


@_few_full_collections
def update(app: Lagebild, dirty: Sequence[str]) -> None:
    """Bring the entities of the ``dirty`` stories up to date (see the module's doc)."""
    w = _Writer(app)
    with _page_cache(w.db), app.store.transaction():
        kept = _unchanged(app, dirty)
        todo = [s for s in dirty if s not in kept]
        _take_out(w, todo)
        _resolve(w, _owners(app, todo))
        for table in ("entity_dirty", "entity_analysed"):
            w.db.executemany(f"DELETE FROM {table} WHERE story_id=?", [(s,) for s in dirty])


def _unchanged(app: Lagebild, dirty: Sequence[str]) -> set[str]:
    """The ``dirty`` stories whose entity parts still hold: only their row was written (a
    story that went dormant; not in schema 43's ``entity_analysed``) and their original
    articles are the articles of their parts. Resolving them again would read and merge
    their analyses for nothing (at 100k articles 237 of an ingest's 1,202 dirty stories;
    every story goes dormant once) and could move their names to other entities by what the
    store holds by then. A story with an article that names nothing has no part for it: it
    is resolved again."""
    db = app.store.db
    analysed = {
        r[0] for r in _rows_in(db, "SELECT story_id FROM entity_analysed WHERE story_id IN", dirty)
    }
    out = set()
    for sid in dirty:
        if sid in analysed:
            continue
        if db.execute("SELECT 1 FROM stories WHERE id=?", (sid,)).fetchone() is None:
            continue  # deleted: its parts go
        named: set[str] = set()
        for (packed,) in db.execute(
            "SELECT CASE WHEN p.data = ? THEN (SELECT t.articles FROM entity_tally t"
            " WHERE t.entity = p.entity) ELSE p.articles END"
            " FROM entity_parts p WHERE p.story_id=?",
            (WHOLE, article_key(sid)),
        ):
            named.update(article_ids(packed))
        if named and named == set(app.store.story(sid).original_ids):
            out.add(sid)
    return out


# SQLite's page cache while an update or a rebuild writes (as ``listing.REFRESH_CACHE_KB``):
# an update's new entities, keys, parts and mentions go to random places of indexes of
# millions of rows (100k articles: 7M keys, 4M mentions), and the default 2 MB cache read
# and wrote most of their pages again for each of them
CACHE_KB = 64 * 1024


@contextlib.contextmanager
def _page_cache(db: sqlite3.Connection) -> Iterator[None]:
    """``CACHE_KB`` of page cache while the block runs; the size it had after (its pages
    are let go)."""
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-CACHE_KB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")


def _resolve(
    w: _Writer, owners: Iterable[tuple[str, list[Doc]]], order: dict[str, int] | None = None
) -> None:
    """Resolve the stories of ``owners`` (whose parts are out) and link their groups to the
    stored entities found by key, or make new ones; mentions sorted by ``order`` (by default
    their articles' ``seq``)."""
    outlet: dict[str, str] = {}
    new: list[tuple[str, Group]] = []
    for owner, docs in owners:
        for d in docs:
            outlet[d.id] = d.article.outlet or ""
        new.extend((owner, g) for g in _story_groups(docs))
    if order is None:
        order = _ingest_order(w.db, outlet)
    brought = [Group(list(g.mentions), list(g.forms), g.cited.copy()) for _, g in new]
    stand_ins = _candidates(w, [g for _, g in new])
    merge([*stand_ins, *(g for _, g in new)], story=False)
    # each final group is a stored entity (the stand-ins it holds merged into the most
    # mentioned) or a new one
    holds: dict[int, list[_StandIn]] = {}
    for s in stand_ins:
        holds.setdefault(id(_root(s)), []).append(s)
    target: dict[int, str] = {}
    for root, members in holds.items():
        keep = max(members, key=lambda s: (len(s.mentions), s.entity))
        for s in members:
            if s is not keep:
                w.full(keep.entity).add(w.full(s.entity))
                w.rename(s.entity, keep.entity)
        target[root] = keep.entity
    fresh: dict[int, Tally] = {}
    adds: list[tuple[str, int, Tally, list[Mention]]] = []
    for (owner, src), g in zip(new, brought, strict=True):
        root = id(_root(src))
        mentions = _sorted(g.mentions, order)
        t = tally_of(g, mentions, outlet)
        if root in target:
            w.full(target[root]).add(t)
        else:
            fresh.setdefault(root, Tally()).add(t)
        adds.append((owner, root, t, mentions))
    renamed = w.settle()
    made = dict(zip(fresh, w.create_all(list(fresh.values())), strict=True))
    parts: dict[tuple[str, str], Tally] = {}  # (owner, entity) -> the owner's groups there
    placed: list[tuple[str, list[Mention]]] = []
    for owner, root, t, mentions in adds:
        eid = made[root] if root in made else renamed.get(target[root], target[root])
        parts.setdefault((owner, eid), Tally()).add(t)
        placed.append((eid, mentions))
    w.put_mentions(placed)
    # the owners' parts were taken out (or never stored): each is written once, not read
    # back and rewritten for each of its groups (~40k reads per 1k articles)
    w.put_parts(parts)


def _ingest_order(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """The ingest order (``seq``) of the articles ``ids``: what ``_sorted`` needs of the
    store's order (reading every article's took 0.2-0.5 s per update at 82k articles)."""
    return dict(_rows_in(db, "SELECT id, seq FROM articles WHERE id IN", ids))


def _rows_in(db: sqlite3.Connection, select: str, values: Iterable[Any]) -> Iterator[Any]:
    """The rows of ``select`` ending in "… IN" for ``values``, 500 at a time (SQLite limits
    the parameters of one statement)."""
    values = sorted(values)
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        yield from db.execute(f"{select} ({','.join('?' * len(chunk))})", chunk)


def _take_out(w: _Writer, dirty: Sequence[str]) -> None:
    """Subtract the dirty stories' parts (and parts of their articles when they were in no
    story) from their entities and delete their mentions."""
    db = w.db
    owners = list(dirty)
    for sid in dirty:
        owners.extend(
            LOOSE + r[0]
            for r in db.execute("SELECT article_id FROM story_articles WHERE story_id=?", (sid,))
        )
    gone: list[tuple[bytes | str, int]] = []  # (article, entity) of mentions to delete
    for owner in owners:
        rows = db.execute(
            "SELECT e.id, p.entity, p.data, p.articles FROM entity_parts p"
            " JOIN entity_index e ON e.n = p.entity WHERE p.story_id=?",
            (article_key(owner),),
        ).fetchall()
        for eid, n, light, arts in rows:
            part = part_tally(db, n, light, arts)  # the stored tally: not written yet
            w.full(eid).add(part, -1)
            gone.extend((article_key(a), n) for a in part.articles or {})
    # at once, in the index's order (one statement per part went to random pages each time)
    gone.sort(key=_key_order)
    db.executemany("DELETE FROM entity_mentions WHERE article=? AND entity=?", gone)
    keys = sorted(((article_key(o),) for o in owners), key=_key_order)
    db.executemany("DELETE FROM entity_parts WHERE story_id=?", keys)


def _key_order(row: tuple[Any, ...]) -> tuple[bool, tuple[Any, ...]]:
    """Rows whose first value is an ``article_key`` in SQLite's order: blobs after text."""
    return (isinstance(row[0], bytes), row)


def _candidates(w: _Writer, groups: Sequence[Group]) -> list[_StandIn]:
    """Stand-ins for the stored entities the new groups may merge with, most mentioned
    first (the full build meets big stories first)."""
    keys = set().union(*(probe_keys(g) for g in groups)) if groups else set()
    select = "SELECT DISTINCT entity FROM entity_keys WHERE key IN"
    found = {r[0] for r in _rows_in(w.db, select, keys)}
    # by row number (their ids were looked up in the id index one by one before)
    select = (
        "SELECT e.id, t.data FROM entity_tally t JOIN entity_index e ON e.n = t.entity"
        " WHERE t.entity IN"
    )
    lights: dict[str, Tally] = {}
    for eid, data in _rows_in(w.db, select, found):
        t = w.touched.get(eid)  # taken out of already: as it is now
        lights[eid] = t if t is not None else Tally.decode(data)
    out = []
    for eid, t in sorted(lights.items()):
        if t.n > 0 and t.forms:
            out.append(_stand_in(eid, t))
    out.sort(key=lambda s: (-len(s.mentions), s.entity))
    return out


__all__ = [
    "Tally",
    "article_ids",
    "entity_keys",
    "one_word_keys",
    "pack_articles",
    "part_tally",
    "probe_keys",
    "rebuild",
    "tally_of",
    "unpack_articles",
    "update",
]
