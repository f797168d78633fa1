"""The store's entity tables are brought up to date from the stories that changed only, and
end as a full build of the same stories leaves them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.entities import index, update
from lagebild.store import Store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _tables(app: Lagebild) -> tuple[set[tuple[object, ...]], set[frozenset[tuple[object, ...]]]]:
    """(entity rows without ids, mentions grouped per entity): what a reader sees."""
    db = app.store.db
    rows = {
        (r[0], r[1], r[2], r[3], json.dumps(index.unpack_data(r[4])[0]))
        for r in db.execute("SELECT name, type, mentions, articles, data FROM entity_index")
    }
    groups: dict[str, set[tuple[object, ...]]] = {}
    for r in db.execute('SELECT entity, article, start, "end", text FROM entity_mentions'):
        groups.setdefault(r[0], set()).add(tuple(r[1:]))
    return rows, {frozenset(g) for g in groups.values()}


# the demo's stories in the order of their dates (a later ingest of older news reclusters all)
TOPICS = (
    "migration",
    "nordwind",
    "valdoria meseberg marquardt",
    "lumetra",
    "hochwasser flut floods",
)


def _by_topic(tmp_path: Path) -> list[Path]:
    """The demo corpus as one folder per story (each ingested after the other), outlets kept."""
    out = []
    for n, words in enumerate(TOPICS):
        for src in DEMO.glob("*/*.*"):
            if any(w in src.name for w in words.split()):
                dst = tmp_path / "in" / str(n) / src.parent.name / src.name
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(src, dst)
        out.append(tmp_path / "in" / str(n))
    return out


def test_small_ingests_update_the_entities_as_a_full_build_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Lagebild(tmp_path / "x.db")
    folders = _by_topic(tmp_path)
    app.ingest(folders[:2])
    assert app.store.db.execute("SELECT count(*) FROM entity_index").fetchone()[0] > 0

    reads: list[str] = []
    real_doc, real_update = Store.doc, update.update
    updated_stories: list[str] = []

    def counting_doc(self: Store, article_id: str, stages: object = None) -> object:
        reads.append(article_id)
        return real_doc(self, article_id, stages)  # type: ignore[arg-type]

    def watched_update(app: Lagebild, dirty: list[str]) -> None:
        updated_stories.extend(dirty)
        monkeypatch.setattr(Store, "doc", counting_doc)
        try:
            real_update(app, dirty)
        finally:
            monkeypatch.setattr(Store, "doc", real_doc)

    monkeypatch.setattr(update, "update", watched_update)
    for folder in folders[2:]:
        reads.clear()
        updated_stories.clear()
        before = {r[0] for r in app.store.db.execute("SELECT id FROM articles")}
        app.ingest([folder])
        new = {r[0] for r in app.store.db.execute("SELECT id FROM articles")} - before
        assert new and updated_stories  # the stories that changed were updated, not rebuilt
        # ... reading the analyses of those stories only, not of the whole store
        holding = {a for s in app.stories() if s.id in updated_stories for a in s.article_ids}
        assert new <= holding and set(reads) <= holding
        assert len(holding) < len(before | new)
        assert not app.store.db.execute("SELECT 1 FROM entity_dirty").fetchone()

    updated = _tables(app)
    index.refresh(app, full=True)
    assert _tables(app) == updated


def test_a_story_that_grows_or_goes_is_counted_once(tmp_path: Path) -> None:
    app = Lagebild(tmp_path / "x.db")
    folders = _by_topic(tmp_path)
    app.ingest(folders[:3])
    index.refresh(app, full=True)
    stories = app.stories()
    grown = max(stories, key=lambda s: len(s.article_ids))
    # the story is written again (as clustering does when it grows): its old part goes
    app.store.put_stories([grown])
    assert _dirty(app) == [grown.id]
    index.refresh(app)
    after_rewrite = _tables(app)
    index.refresh(app, full=True)
    assert _tables(app) == after_rewrite
    # a story deleted takes its mentions along
    with app.store.db:
        app.store.db.execute("DELETE FROM stories WHERE id=?", (grown.id,))
    index.refresh(app)
    left = {
        index.article_of(r[0])
        for r in app.store.db.execute("SELECT DISTINCT article FROM entity_mentions")
    }
    assert not left & set(grown.article_ids)
    counts = app.store.db.execute(
        "SELECT e.mentions, (SELECT count(*) FROM entity_mentions m WHERE m.entity = e.n) "
        "FROM entity_index e"
    ).fetchall()
    assert counts and all(a == b for a, b in counts)


def test_entities_of_a_rewritten_analysis_are_resolved_again(tmp_path: Path) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest(_by_topic(tmp_path)[:2])
    story = app.stories()[0]
    doc = app.store.doc(story.article_ids[0])
    assert doc is not None
    app.store.put_docs([doc])
    assert _dirty(app) == [story.id]


def _dirty(app: Lagebild) -> list[str]:
    return [r[0] for r in app.store.db.execute("SELECT story_id FROM entity_dirty")]


def test_an_update_joins_one_spelling_keyed_by_two_languages(tmp_path: Path) -> None:
    """A French report and, later, a German one of another story both name Mike Lynch: the
    update finds the stored entity by its spelling (fr keys "Lynch" linS, de linC), as the
    full build does."""

    def report(name: str, **record: str) -> Path:
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps({"id": name, **record}) + "\n", encoding="utf-8")
        return path

    fr = report(
        "fr1", title="Naufrage en Sicile", language="fr", published="2024-08-20",
        url="https://example.fr/a",
        text="Le yacht de Mike Lynch a coulé près de Palerme. Mike Lynch était un "
             "entrepreneur britannique. La police enquête sur le naufrage du yacht.",
    )  # fmt: skip
    de = report(
        "de1", title="Prozess in London", language="de", published="2024-06-07",
        url="https://example.de/b",
        text="Der Unternehmer Mike Lynch ist in London freigesprochen worden. Das Gericht "
             "in London sah keinen Betrug. Mike Lynch hatte die Vorwürfe stets bestritten.",
    )  # fmt: skip
    app = Lagebild(tmp_path / "x.db")
    app.ingest([fr])
    app.ingest([de])
    assert len(app.stories()) == 2
    names = [r[0] for r in app.store.db.execute("SELECT name FROM entity_index")]
    assert names.count("Mike Lynch") == 1, names
    incremental = _tables(app)
    update.rebuild(app)
    assert _tables(app) == incremental


def test_the_writers_row_numbers_follow_renames_and_drops(tmp_path: Path) -> None:
    from lagebild.entities.update import Tally, _Writer

    app = Lagebild(tmp_path / "w.db")
    w = _Writer(app)

    def stored(eid: str) -> int | None:
        row = app.store.db.execute("SELECT n FROM entity_index WHERE id=?", (eid,)).fetchone()
        return None if row is None else int(row[0])

    t = Tally(n=2, texts={"Wien": 2}, labels={"LOC": 2}, akeys={"vien": 2})
    a, b = w.create(t), w.create(Tally(n=1, texts={"Graz": 1}, labels={"LOC": 1}))
    assert w.number(a) == stored(a) is not None and w.number(b) == stored(b) != stored(a)
    w.rename(a, "renamed")  # a new id: the row keeps its number
    assert w.number("renamed") == stored("renamed") and w.number(a) is None is stored(a)
    w.rename("renamed", b)  # into another entity: its rows move, the old row goes
    assert w.number("renamed") is None is stored("renamed") and w.number(b) == stored(b)
    w.drop_entity(b)
    assert w.number(b) is None is stored(b)
    app.close()


def _stored_person(w: object, text: str) -> str:
    """A person named ``text`` in full, stored as an entity by the update's writer."""
    from lagebild.entities.names import name_form
    from lagebild.entities.update import Tally, _Writer

    assert isinstance(w, _Writer)
    f = name_form(text, "PER")
    form = [f.text, list(f.words), f.key, f.base, f.core, f.kind, list(f.plain), list(f.weak)]
    t = Tally(n=3, texts={text: 3}, labels={"PER": 3}, fkeys={f.key: 3}, akeys={f.key: 3})
    t.forms = [form]
    return w.create(t)


def test_a_bare_name_asks_the_store_for_surnames_a_place_for_any_name_word(
    tmp_path: Path,
) -> None:
    """Across stories a bare name only joins a surname (``canon.merge``), so the update
    brings in the stored persons of its word as a last name, not every "Simon Keller" of
    the store; a one-word place may be a surname (or a first name: ``_surname_places``)
    unless it is a place of its own."""
    from lagebild.entities.canon import Group
    from lagebild.entities.names import name_form
    from lagebild.entities.update import _candidates, _Writer
    from lagebild.model import Mention

    app = Lagebild(tmp_path / "p.db")
    w = _Writer(app)
    surname, first = _stored_person(w, "Paul Simon"), _stored_person(w, "Simon Keller")
    other = _stored_person(w, "Anna Berger")

    def asks(label: str, placed: bool = False) -> set[str]:
        g = Group([Mention("a", 0, 5, "Simon", label)], [name_form("Simon", label)])  # type: ignore[arg-type]
        g.placed = placed
        return {s.entity for s in _candidates(w, [g])}

    assert asks("PER") == {surname}
    assert asks("LOC") == {surname, first}
    assert asks("LOC", placed=True) == set()
    assert other not in asks("LOC")
    app.close()


def test_a_full_name_asks_for_one_word_entities_of_its_last_word_only(tmp_path: Path) -> None:
    """A stored bare "Simon" may join a new "Paul Simon" (a surname), a stored bare "Paul"
    never does across stories: the update does not bring in the one-word entities of a
    full name's first word (3,421 of 20,436 stand-ins at 100k articles took part in no
    merge), and the bare surname still joins."""
    from lagebild.entities.canon import Group, merge
    from lagebild.entities.names import name_form
    from lagebild.entities.update import Tally, _candidates, _Writer
    from lagebild.model import Mention

    app = Lagebild(tmp_path / "p.db")
    w = _Writer(app)

    def bare(text: str) -> str:
        f = name_form(text, "PER")
        t = Tally(n=2, texts={text: 2}, labels={"PER": 2}, akeys={f.key: 2})
        t.forms = [[f.text, list(f.words), f.key, f.base, f.core, f.kind, list(f.plain), []]]
        return w.create(t)

    first, last = bare("Paul"), bare("Simon")
    g = Group([Mention("a", 0, 10, "Paul Simon", "PER")], [name_form("Paul Simon", "PER")])
    found = _candidates(w, [g])
    assert {s.entity for s in found} == {last}
    assert merge([*found, g], story=False) == [g] and found[0].into is g  # the surname joins
    assert first != last
    app.close()


def test_a_person_named_in_full_is_not_found_by_its_one_word_forms(tmp_path: Path) -> None:
    """A stored "Paul Simon" that took in a bare "Simon", and a "Peter Keller" that took in a
    bare "Peter", are found by a new bare "Simon" as its surname ("l:"), not through those
    one-word forms: not by a new bare "Peter", a new "Peter Simon" or a new "Simon" of
    another type (across stories none of them can join a person named in full through
    them). A stored bare "Simon" is still found by all but "Peter"."""
    from lagebild.entities.canon import Group
    from lagebild.entities.names import name_form
    from lagebild.entities.update import Tally, _candidates, _Writer
    from lagebild.model import Mention

    app = Lagebild(tmp_path / "p.db")
    w = _Writer(app)

    def stored(*texts: str) -> str:
        forms = [name_form(x, "PER") for x in texts]
        t = Tally(n=2 * len(texts), texts={x: 2 for x in texts}, labels={"PER": 2 * len(texts)})
        t.fkeys = {f.key: 2 for f in forms if f.full}
        t.akeys = {f.key: 2 for f in forms}
        t.forms = [
            [f.text, list(f.words), f.key, f.base, f.core, f.kind, list(f.plain), []] for f in forms
        ]
        return w.create(t)

    paul, peter = stored("Paul Simon", "Simon"), stored("Peter Keller", "Peter")
    bare = stored("Simon")

    def asks(text: str, label: str) -> set[str]:
        g = Group([Mention("a", 0, len(text), text, label)], [name_form(text, label)])  # type: ignore[arg-type]
        return {s.entity for s in _candidates(w, [g])}

    assert asks("Simon", "PER") == {paul, bare}
    assert asks("Peter", "PER") == set() and peter
    assert asks("Peter Simon", "PER") == {bare}
    assert asks("Simon", "ORG") == {bare}
    app.close()


def test_an_update_reads_the_ingest_order_of_its_own_articles_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-resolving two stories sorts their mentions by their articles' ingest order without
    reading every article's (0.2-0.5 s per update at 82k articles), and lists the same."""
    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    before = _tables(app)
    dirty = [r[0] for r in app.store.db.execute("SELECT id FROM stories ORDER BY id LIMIT 2")]

    def every_article(self: Store) -> object:
        raise AssertionError("read the ingest order of every article")

    monkeypatch.setattr(Store, "article_dates", every_article)
    update.update(app, dirty)
    assert _tables(app) == before
    app.close()


def test_new_entities_made_at_once_are_those_made_one_by_one(tmp_path: Path) -> None:
    """``create_all`` writes what ``create`` called in turn writes: the same ids (one taken
    by a stored entity and one by an earlier new one get ids of their own), row numbers,
    rows, tallies and keys."""
    from lagebild.entities.names import name_form
    from lagebild.entities.update import Tally, _Writer

    def tally(text: str, label: str, n: int) -> Tally:
        f = name_form(text, label)  # type: ignore[arg-type]
        t = Tally(n=n, texts={text: n}, labels={label: n}, akeys={f.key: n})
        t.forms = [[f.text, list(f.words), f.key, f.base, f.core, f.kind, list(f.plain), []]]
        return t

    made = []
    for name in ("one", "all"):
        app = Lagebild(tmp_path / f"{name}.db")
        w = _Writer(app)
        w.create(tally("Wien", "LOC", 5))
        w.drop_entity(w.create(tally("Linz", "LOC", 1)))  # the highest number freed again
        new = [tally("Wien", "LOC", 2), tally("Graz", "LOC", 3), tally("Graz", "LOC", 1)]
        new += [tally("Graz", "ORG", 4), tally("Anna Berger", "PER", 2)]
        ids = [w.create(t) for t in new] if name == "one" else w.create_all(new)
        db = app.store.db
        made.append(
            (
                ids,
                [w.number(e) for e in ids],
                [tuple(r) for r in db.execute("SELECT * FROM entity_index ORDER BY n")],
                [tuple(r) for r in db.execute("SELECT * FROM entity_tally ORDER BY entity")],
                [tuple(r) for r in db.execute("SELECT * FROM entity_keys ORDER BY key, entity")],
            )
        )
        app.close()
    one, at_once = made
    assert len(set(one[0])) == 5 and len(one[4]) > 10 and one == at_once


def _parts(app: Lagebild) -> dict[tuple[str, str], tuple[object, ...]]:
    """Each story's part of each entity (by entity id): what a later update takes out."""
    from lagebild.entities.update import part_tally

    out: dict[tuple[str, str], tuple[object, ...]] = {}
    for sid, eid, n, data, arts in app.store.db.execute(
        "SELECT p.story_id, e.id, p.entity, p.data, p.articles FROM entity_parts p"
        " JOIN entity_index e ON e.n = p.entity"
    ):
        t = part_tally(app.store.db, n, data, arts)
        out[index.article_of(sid), eid] = (t.n, t.sure, t.texts, t.labels, t.akeys, t.articles)
    return out


def test_updates_write_the_parts_a_full_build_writes(tmp_path: Path) -> None:
    """The parts an update writes (once per story and entity, summed in memory) are those
    of a full build of the same stories, and SQLite's page cache is given back after."""
    app = Lagebild(tmp_path / "x.db")
    folders = _by_topic(tmp_path)
    app.ingest(folders[:2])
    cache = app.store.db.execute("PRAGMA cache_size").fetchone()[0]
    for folder in folders[2:]:
        app.ingest([folder])
    updated = _parts(app)
    assert app.store.db.execute("PRAGMA cache_size").fetchone()[0] == cache
    whole = _whole(app)
    index.refresh(app, full=True)
    assert len(updated) > 20 and _parts(app) == updated
    # an entity named in one story only keeps no second copy of its tally as its part
    assert 0 < whole == _whole(app) < len(updated)


def _whole(app: Lagebild) -> int:
    """How many parts are stored as their entity's whole tally (``update.WHOLE``)."""
    sql = "SELECT count(*) FROM entity_parts WHERE data = ? AND articles = ?"
    return int(app.store.db.execute(sql, (update.WHOLE, update.WHOLE)).fetchone()[0])


def test_a_story_written_again_with_its_articles_keeps_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story whose row is written again with the same articles (it went dormant) is
    marked for the entity lists, but its parts still hold: the update reads none of its
    analyses and lists the same; a story that gained an article is resolved again."""
    from dataclasses import replace

    app = Lagebild(tmp_path / "x.db")
    folders = _by_topic(tmp_path)
    app.ingest(folders[:3])
    index.refresh(app, full=True)
    before = _tables(app)
    stories = sorted(app.stories(), key=lambda s: -len(s.original_ids))
    slept = stories[0]
    app.store.put_stories([replace(slept, dormant=True)])
    assert _dirty(app) == [slept.id]

    def no_read(self: Store, article_id: str, stages: object = None) -> object:
        raise AssertionError(f"read the analysis of {article_id}")

    monkeypatch.setattr(Store, "doc", no_read)
    index.refresh(app)
    monkeypatch.undo()
    assert _tables(app) == before and not _dirty(app)
    # one article less: the story is resolved again, its articles' analyses read
    shrunk = replace(slept, article_ids=slept.article_ids[1:])
    assert shrunk.original_ids != slept.original_ids
    app.store.put_stories([shrunk])
    reads: list[str] = []
    real = Store.doc

    def counting(self: Store, article_id: str, stages: object = None) -> object:
        reads.append(article_id)
        return real(self, article_id, stages)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "doc", counting)
    index.refresh(app)
    assert set(reads) == set(shrunk.original_ids)
    gone = slept.article_ids[0]
    named = {
        index.article_of(r[0]) for r in app.store.db.execute("SELECT article FROM entity_mentions")
    }
    assert gone not in named and set(shrunk.original_ids) & named


def test_a_story_with_a_rewritten_analysis_is_resolved_again(tmp_path: Path) -> None:
    """An analysis written again marks its story as analysed anew (schema 43): with the same
    articles it is still resolved again, and the entity lists show the new analysis."""
    from dataclasses import replace

    app = Lagebild(tmp_path / "x.db")
    app.ingest(_by_topic(tmp_path)[:2])
    index.refresh(app, full=True)
    story = max(app.stories(), key=lambda s: len(s.original_ids))
    aid = story.original_ids[0]
    doc = app.store.doc(aid)
    assert doc is not None and doc.mentions
    app.store.put_docs([replace(doc, mentions=(), caption_mentions=())])
    assert _dirty(app) == [story.id]
    index.refresh(app)
    named = {
        index.article_of(r[0]) for r in app.store.db.execute("SELECT article FROM entity_mentions")
    }
    assert aid not in named
    updated = _tables(app)
    index.refresh(app, full=True)
    assert _tables(app) == updated


def test_stories_marked_before_schema_43_count_as_analysed_anew(tmp_path: Path) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest(_by_topic(tmp_path)[:1])
    index.refresh(app, full=True)
    sid = app.stories()[0].id
    db = app.store.db
    with db:
        db.execute("INSERT INTO entity_dirty VALUES (?)", (sid,))
        db.execute("DROP TABLE entity_analysed")
        db.execute("PRAGMA user_version=42")
    app.close()
    with Store(tmp_path / "x.db") as store:
        rows = store.db.execute("SELECT story_id FROM entity_analysed").fetchall()
        assert [r[0] for r in rows] == [sid]
