"""Schema 26: a story row keeps the names behind its list terms, so the terms are found from
the row when it is replaced and need no index by story. A store of schema 25 is converted and
lists the same; rewrites leave exactly the terms a fresh build has."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from lagebild.dossier.card import StoryCard
from lagebild.model import Story, to_dict
from lagebild.store import Store
from lagebild.store.listing import (
    StoryQuery,
    _count_facets,
    query_stories,
    refresh,
    term_story,
)
from lagebild.store.story_counts import StoryCounts

OUTLETS = ["Der Standard", "Die Presse", "ORF"]
# two spellings of some keys, and more names than a row shows (12)
NAMES = ["Erdoğan", "Erdogan", "NATO", "Nato", "München", "Muenchen"] + [
    f"Name {i}" for i in range(40)
]


def _cards(rng: random.Random, n: int, prefix: str = "") -> dict[str, StoryCard]:
    cards = {}
    start = datetime(2016, 1, 1, tzinfo=UTC)
    for i in range(n):
        first = start + timedelta(hours=rng.randrange(0, 24 * 100))
        st = Story(
            id=f"{prefix}{i:016x}"[-16:],
            article_ids=tuple(f"a{i}-{j}" for j in range(rng.randint(1, 4))),
            title=f"Story {i}",
            first=first,
            last=first + timedelta(days=rng.randrange(0, 9)),
        )
        names = rng.sample(NAMES, rng.choice([0, 3, 11, 12, 13, 20, 30]))
        cards[st.id] = StoryCard(
            st,
            tuple(rng.sample(OUTLETS, rng.randint(1, 2))),
            ("de",),
            tuple((name, "PER", rng.randint(1, 5)) for name in names),
            0,
        )
    return cards


def _put(store: Store, stories: list[Story]) -> None:
    with store.db:
        store.db.executemany(
            "INSERT OR REPLACE INTO stories (id, title, first, last, size, data)"
            " VALUES (?,?,?,?,?,?)",
            [
                (st.id, st.title, None, None, len(st.article_ids), json.dumps(to_dict(st)))
                for st in stories
            ],
        )


def _terms(store: Store) -> list[tuple]:
    return [tuple(r) for r in store.db.execute("SELECT * FROM story_terms ORDER BY 1, 2, 3")]


def _facets(store: Store) -> list[tuple]:
    return [tuple(r) for r in store.db.execute("SELECT * FROM story_facets ORDER BY 1, 2")]


def _queries() -> list[StoryQuery]:
    return [
        StoryQuery(),
        StoryQuery(sort="largest"),
        StoryQuery(entities=("erdogan",)),
        StoryQuery(entities=("Nato", "Name 3")),
        StoryQuery(entities=("Name 25",)),  # names past the 12 a row shows
        StoryQuery(outlets=("ORF",), entities=("München",)),
    ]


def _lists(store: Store) -> list:
    return [query_stories(store, q) for q in _queries()] + [
        query_stories(store, q, counts=StoryCounts()) for q in _queries()
    ]


def _indexes(store: Store) -> set[str]:
    return {r[1] for r in store.db.execute("PRAGMA index_list(story_terms)")}


def _to_schema_25(path: Path) -> None:
    """The rows as schema 25 wrote them (six fields, no names beyond the shown ones) and
    the terms' index by story."""
    db = sqlite3.connect(path)
    with db:
        for sid, data in db.execute("SELECT story_id, data FROM story_index").fetchall():
            fields = msgspec.msgpack.decode(data)
            assert len(fields) == 8
            db.execute(
                "UPDATE story_index SET data=? WHERE story_id=?",
                (msgspec.msgpack.encode(fields[:6]), sid),
            )
        db.execute("CREATE INDEX story_terms_story ON story_terms (story_id)")
        db.execute("PRAGMA user_version=25")
    db.close()


def test_a_store_of_schema_25_is_converted_and_lists_the_same(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = Store(path)
    cards = _cards(random.Random(4), 300)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    assert "story_terms_story" not in _indexes(store)
    terms, facets, lists = _terms(store), _facets(store), _lists(store)
    assert any(len(c.entities) > 12 for c in cards.values())
    assert lists[4].total > 0  # a name only beyond the shown 12 filters too
    store.close()
    _to_schema_25(path)

    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 26
    assert "story_terms_story" not in _indexes(store)
    assert _terms(store) == terms and _facets(store) == facets and _lists(store) == lists
    # converted rows are replaced as rows written by this schema are: each story changed
    # ends with exactly the terms (and facet counts) of a store built from the new cards
    changed = _cards(random.Random(9), 300)
    for sid in random.Random(2).sample(sorted(cards), 150):
        cards[sid] = changed[sid]
    _put(store, [c.story for c in cards.values()])
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    assert refresh(store, lambda st: cards[st.id]) == 300
    store.db.set_trace_callback(None)
    assert not [s for s in statements if "story_terms WHERE story_id" in s]  # found by rows
    fresh = Store(tmp_path / "fresh.db")
    _put(fresh, [c.story for c in cards.values()])
    refresh(fresh, lambda st: cards[st.id])
    assert _terms(store) == _terms(fresh) and _facets(store) == _facets(fresh)
    assert _lists(store) == _lists(fresh)
    store.close()
    fresh.close()


def test_a_replaced_row_finds_its_terms_without_a_scan(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    cards = _cards(random.Random(5), 200)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    new = _cards(random.Random(6), 200)
    _put(store, [c.story for c in new.values()])
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    assert refresh(store, lambda st: new[st.id]) == 200
    store.db.set_trace_callback(None)
    assert not [s for s in statements if "story_terms WHERE story_id" in s]
    assert any("DELETE FROM story_terms WHERE kind=" in s for s in statements)
    with store.db:
        incremental = _facets(store)
        _count_facets(store.db)
    assert _facets(store) == incremental
    store.close()


def test_terms_under_keys_an_older_fold_made_are_found_by_a_scan(tmp_path: Path) -> None:
    """A term whose stored key the current ``fold`` no longer makes is not found from the
    row; the row's count of terms tells, and the story's terms are looked for by a scan."""
    store = Store(tmp_path / "x.db")
    cards = _cards(random.Random(7), 50)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    sid = next(s for s, c in cards.items() if len(c.entities) > 12)
    story = term_story(sid)  # as the terms name it
    with store.db:
        old = store.db.execute(
            "UPDATE story_terms SET key = key || ' (old)' WHERE story_id=? AND kind='e'"
            " AND key = (SELECT MAX(key) FROM story_terms WHERE story_id=? AND kind='e')",
            (story, story),
        )
        assert old.rowcount == 1
        _count_facets(store.db)
    card = cards[sid]
    cards[sid] = StoryCard(card.story, card.outlets, card.languages, (("Wien", "LOC", 1),), 0)
    _put(store, [card.story])
    refresh(store, lambda st: cards[st.id])
    left = store.db.execute("SELECT kind, key FROM story_terms WHERE story_id=?", (story,))
    assert sorted(tuple(r) for r in left) == sorted(
        [("e", "wien"), ("l", "de")] + [("o", o.casefold()) for o in card.outlets]
    )
    with store.db:
        incremental = _facets(store)
        _count_facets(store.db)
    assert _facets(store) == incremental
    store.close()


def test_a_story_rewritten_with_the_same_terms_writes_no_facet(tmp_path: Path) -> None:
    """A story whose row is rewritten with the terms it had (it went dormant, say) leaves
    every facet count as it was, so none is written; a changed one is, and the counts stay
    equal to a recount either way."""
    store = Store(tmp_path / "x.db")
    cards = _cards(random.Random(11), 120)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    same = sorted(cards)[:40]
    _put(store, [cards[sid].story for sid in same])
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    assert refresh(store, lambda st: cards[st.id]) == 40
    store.db.set_trace_callback(None)
    assert not [s for s in statements if "INTO story_facets" in s]
    sid = same[0]
    card = cards[sid]
    cards[sid] = StoryCard(card.story, card.outlets, card.languages, (("Graz", "LOC", 1),), 0)
    _put(store, [card.story])
    store.db.set_trace_callback(statements.append)
    refresh(store, lambda st: cards[st.id])
    store.db.set_trace_callback(None)
    assert [s for s in statements if "INTO story_facets" in s]
    with store.db:
        incremental = _facets(store)
        _count_facets(store.db)
    assert _facets(store) == incremental
    store.close()


def test_refresh_gives_back_the_page_cache_it_raised(tmp_path: Path) -> None:
    from lagebild.store import listing

    store = Store(tmp_path / "x.db")
    cards = _cards(random.Random(12), 30)
    _put(store, [c.story for c in cards.values()])
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    sizes: list[str] = []
    store.db.set_trace_callback(lambda s: sizes.append(s) if "cache_size =" in s else None)
    assert refresh(store, lambda st: cards[st.id]) == 30
    store.db.set_trace_callback(None)
    assert sizes[0].endswith(f"{-listing.REFRESH_CACHE_KB}")
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == before
    assert refresh(store, lambda st: cards[st.id]) == 0  # nothing dirty: nothing touched
    store.close()


def test_landing_facets_are_the_largest_then_the_rest_by_value(tmp_path: Path) -> None:
    """The index of facet counts holds counts above 1 only (migration 48): the unfiltered
    list's facets are still the largest by count, then by value, as a scan of every facet
    orders them, also for a kind with fewer than FACET_SIZE facets of two stories or more."""
    from lagebild.store.listing import FACET_SIZE, FACETS, KIND_CODE

    sql = "SELECT sql FROM sqlite_master WHERE name='story_facets_n'"
    scan = (
        "SELECT value, n FROM story_facets NOT INDEXED WHERE kind=? ORDER BY n DESC, value LIMIT ?"
    )
    kinds_short_of_shared = 0
    for n in (4, 200):  # few stories: most facets name one story; many
        store = Store(tmp_path / f"f{n}.db")
        assert store.db.execute(sql).fetchone()[0].endswith("WHERE n > 1")
        cards = _cards(random.Random(n), n)
        _put(store, [c.story for c in cards.values()])
        refresh(store, lambda st, cards=cards: cards[st.id])
        page = query_stories(store, StoryQuery())
        for kind in FACETS:
            want = store.db.execute(scan, (KIND_CODE[kind], FACET_SIZE)).fetchall()
            assert page.facets[kind] == tuple((r[0], r[1]) for r in want) and want
            shared = [r for r in want if r[1] > 1]
            kinds_short_of_shared += len(shared) < len(want)
        store.close()
    assert kinds_short_of_shared  # the second read was needed somewhere


@pytest.mark.parametrize("chunk", [5000, 7])
def test_terms_name_their_story_by_8_bytes_and_older_terms_are_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """A term names a story with a 16-hex-digit id by its 8 bytes (migration 49), any other
    id as it is; lists, filters and facets read the same from either form, and a store whose
    terms still hold the ids as text is converted, in one chunk or in many."""
    from lagebild.store import sqlite as store_sqlite
    from lagebild.store.migrations import MIGRATIONS

    monkeypatch.setattr(store_sqlite, "TERM_CHUNK", chunk)

    path = tmp_path / "x.db"
    store = Store(path)
    cards = _cards(random.Random(5), 120)
    st = Story(
        id="story-x", article_ids=("ax",), title="Odd", first=datetime(2016, 2, 1, tzinfo=UTC)
    )
    odd = StoryCard(st, ("ORF",), ("de",), (("Name 3", "PER", 2),), 0)
    cards[st.id] = odd
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    stored = {type(r[0]) for r in store.db.execute("SELECT story_id FROM story_terms")}
    assert stored == {bytes, str}
    assert {r[0] for r in store.db.execute("SELECT story_id FROM story_terms")} >= {"story-x"}
    lists, facets = _lists(store), _facets(store)
    for counts in (None, StoryCounts()):  # a filter finds the story of the odd id
        found = query_stories(store, StoryQuery(entities=("Name 3",), limit=200), counts=counts)
        assert "story-x" in {i.story_id for i in found.items}
    store.close()
    number = next(i for i, sql in enumerate(MIGRATIONS) if "_term_stories_as_bytes" in sql)
    db = sqlite3.connect(path)
    with db:  # the terms as the schema before stored them
        db.create_function("hexid", 1, lambda x: x.hex() if isinstance(x, bytes) else x)
        db.execute("UPDATE story_terms SET story_id = hexid(story_id)")
        db.execute(f"PRAGMA user_version={number}")
    text_bytes = db.execute("SELECT SUM(length(story_id)) FROM story_terms").fetchone()[0]
    db.close()
    store = Store(path)
    assert _lists(store) == lists and _facets(store) == facets
    size = store.db.execute("SELECT SUM(length(story_id)) FROM story_terms").fetchone()[0]
    assert size < 0.6 * text_bytes
    fresh = Store(tmp_path / "fresh.db")
    _put(fresh, [c.story for c in cards.values()])
    refresh(fresh, lambda st: cards[st.id])
    assert _terms(store) == _terms(fresh)


def _fresh_like(tmp_path: Path, name: str, cards: dict[str, StoryCard]) -> Store:
    fresh = Store(tmp_path / name)
    _put(fresh, [c.story for c in cards.values()])
    refresh(fresh, lambda st: cards[st.id])
    return fresh


def test_terms_of_the_shown_spelling_store_nothing_and_read_as_it(tmp_path: Path) -> None:
    """A term whose value is its facet's shown spelling stores '' (migration 51); lists,
    filters and facets read as before. When a smaller spelling comes (the shown one
    changes) the '' terms are written out with the spelling they stood for, and when it goes
    again they are blanked: the terms and facets always those of a store built anew."""
    from lagebild.store.migrations import MIGRATIONS

    path = tmp_path / "x.db"
    store = Store(path)
    cards = _cards(random.Random(11), 150)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    raw = _terms(store)
    shown = {(k, key): v for k, key, v, _ in _facets(store)}
    assert sum(v == "" for *_, v in raw) > 0.8 * len(raw)
    assert all(v != shown[k, key] for k, key, _, v in raw if v)  # '' where equal, only there
    assert any(v == "Erdoğan" for *_, v in raw) and shown["e", "erdogan"] == "Erdogan"
    lists = _lists(store)
    sid = sorted(cards)[3]
    for spelling, want in (("ERDOGAN", "ERDOGAN"), ("Wien", "Erdogan")):  # comes, then goes
        card = cards[sid]
        cards[sid] = StoryCard(card.story, card.outlets, card.languages, ((spelling, "PER", 1),), 0)
        store.db.execute("UPDATE stories SET title=title WHERE id=?", (sid,))
        store.db.commit()
        refresh(store, lambda st: cards[st.id])
        assert {(k, key): v for k, key, v, _ in _facets(store)}["e", "erdogan"] == want
        fresh = _fresh_like(tmp_path, f"{spelling}.db", cards)
        assert _terms(store) == _terms(fresh) and _facets(store) == _facets(fresh)
        assert _lists(store) == _lists(fresh)
        fresh.close()
    store.close()
    number = next(
        i for i, sql in enumerate(MIGRATIONS) if "UPDATE story_terms SET value = ''" in sql
    )
    db = sqlite3.connect(path)
    with db:  # the terms as the schema before stored them: every value written out
        db.execute(
            "UPDATE story_terms SET value = (SELECT f.value FROM story_facets f"
            " WHERE f.kind = story_terms.kind AND f.key = story_terms.key) WHERE value = ''"
        )
        db.execute(f"PRAGMA user_version={number}")
    db.close()
    store = Store(path)
    fresh = _fresh_like(tmp_path, "again.db", cards)
    assert _terms(store) == _terms(fresh) and _facets(store) == _facets(fresh)
    assert _lists(store) == _lists(fresh)
    assert lists and len(lists) == len(_lists(store))


def test_term_form_in_sql_is_term_story_and_snapshot_facets_read_shown_values_once(
    tmp_path: Path,
) -> None:
    """``TERM_FORM`` (SQL, with the store's ``unhex`` where SQLite lacks it) names a story as
    ``term_story`` does, so the filtered facets compare the terms' column as it is; the
    in-memory facets read the shown spellings of '' terms once per snapshot."""
    from lagebild.store.listing import TERM_FORM

    store = Store(tmp_path / "x.db")
    for sid in ("0123456789abcdef", "0123456789ABCDEF", "0123456789abcde", "s1", "story-x" * 3):
        got = store.db.execute(f"SELECT {TERM_FORM.format(':s')}", {"s": sid}).fetchone()[0]
        assert got == term_story(sid), sid
    cards = _cards(random.Random(12), 80)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    counts = StoryCounts()
    queries = [StoryQuery(entities=("Name 3",)), StoryQuery(outlets=("ORF",))]
    pages = [query_stories(store, q, counts=counts) for q in queries]
    assert pages == [query_stories(store, q) for q in queries]
    assert all(p.facets["entity"] for p in pages)
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    assert [query_stories(store, q, counts=counts) for q in queries] == pages
    store.db.set_trace_callback(None)
    assert not [s for s in statements if "story_facets" in s]  # read with the first pages


def test_kinds_are_stored_as_one_letter_and_named_ones_are_converted(tmp_path: Path) -> None:
    """Terms and facets store their kind as one letter (migration 53); a store whose terms
    and facets name it in full is converted and lists, filters and counts the same."""
    from lagebild.store.listing import KIND_CODE
    from lagebild.store.migrations import MIGRATIONS

    path = tmp_path / "x.db"
    store = Store(path)
    cards = _cards(random.Random(13), 90)
    _put(store, [c.story for c in cards.values()])
    refresh(store, lambda st: cards[st.id])
    kinds = {r[0] for r in store.db.execute("SELECT kind FROM story_terms")}
    assert kinds == set(KIND_CODE.values()) == {"o", "l", "e"}
    assert {r[0] for r in store.db.execute("SELECT kind FROM story_facets")} == kinds
    terms, facets, lists = _terms(store), _facets(store), _lists(store)
    store.close()
    number = next(i for i, sql in enumerate(MIGRATIONS) if "WHEN 'entity' THEN 'e'" in sql)
    db = sqlite3.connect(path)
    with db:  # kinds as the schema before stored them
        for name, code in KIND_CODE.items():
            db.execute("UPDATE story_terms SET kind=? WHERE kind=?", (name, code))
            db.execute("UPDATE story_facets SET kind=? WHERE kind=?", (name, code))
        db.execute(f"PRAGMA user_version={number}")
    db.close()
    store = Store(path)
    assert _terms(store) == terms and _facets(store) == facets and _lists(store) == lists
