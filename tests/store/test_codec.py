"""The compact stored analysis: lossless, small, and older JSON databases converted."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lagebild.model import (
    Article,
    DateWindow,
    Doc,
    Fact,
    Mention,
    Quote,
    Sentence,
    Span,
    TimeExpr,
    Token,
    article_id,
    to_dict,
)
from lagebild.pipeline import Pipeline
from lagebild.store import Store
from lagebild.store.codec import decode_doc, decode_record, encode_article, encode_doc

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _art(title: str, text: str) -> Article:
    return Article(
        id=article_id(title, text), title=title, text=text, source=f"{title}.txt", format="text"
    )


def test_analyses_of_real_articles_read_back_equal_and_small() -> None:
    pipe = Pipeline()
    paths = sorted((DEMO / "rheinischer-kurier").glob("*.txt"))[:2]
    from lagebild.ingest.textdump import read_text_dump

    for path in paths:
        art = read_text_dump(path.read_bytes(), str(path), pipe.config)
        assert isinstance(art, Article)
        doc = pipe(art)
        assert doc.sentences and doc.mentions
        blob = encode_doc(doc)
        assert decode_doc(blob, art) == doc
        as_json = json.dumps(to_dict(replace(doc, article=_art("", ""))), ensure_ascii=False)
        assert len(blob) * 5 < len(as_json.encode())


def test_what_the_offsets_do_not_give_is_kept() -> None:
    text = "Kirby sagte: „Wir kommen.“ Am Dienstag."
    art = _art("T", text)
    toks = (
        Token(0, 5, "Kirby", "Kirby", "NE", False),  # space after is there: flipped
        Token(6, 11, "SAGTE", "sagen", "VVFIN"),  # text other than its slice
        Token(13, 26, "„Wir kommen.“", "", "", True),
    )
    doc = Doc(
        article=art,
        sentences=(Sentence(0, 26, "Kirby sagte: „Wir kommen.“", toks), Sentence(27, 39, "x")),
        mentions=(
            Mention(art.id, 0, 5, "Kirby", "PER", "e1"),
            Mention("other-article", 0, 5, "John Kirby", "PER", source="coref"),
        ),
        times=(TimeExpr(art.id, 27, 38, "Am Dienstag", "DATE", "2023-09-12", anchor="2023-09-10"),),
        quotes=(
            Quote(
                art.id,
                "direct",
                Span(13, 26),
                "„Wir kommen.“",
                Span(6, 11),
                "sagte …",
                Span(0, 5),
                "Kirby",
            ),
        ),
        facts=(Fact(art.id, 27, 38, "Am Dienstag", "claim", sentence=Span(27, 39), value=None),),
        date_window=DateWindow(date(2023, 9, 1), date(2023, 9, 30), 0.5),
        stages=("text@1", "entities@2"),
    )
    assert decode_doc(encode_doc(doc), art) == doc


def test_a_record_reads_with_fields_added_or_gone() -> None:
    text = "Kirby kam."
    stored = {"start": 0, "end": 5, "label": "PER", "field_of_the_future": 1}
    assert decode_record(Mention, stored, text, "a1") == Mention("a1", 0, 5, "Kirby", "PER")


def test_a_json_database_of_schema_9_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = Store(path)
    a = _art("Eins", "Wostotschny liegt im Osten. Am Dienstag kam er an.")
    store.add_articles([a])
    doc = Doc(
        article=a,
        sentences=(Sentence(0, 27, a.text[:27], (Token(0, 11, "Wostotschny", "Wostotschny"),)),),
        times=(TimeExpr(a.id, 28, 39, "Am Dienstag", "DATE", "2023-09-12"),),
        stages=("text@1", "time@1"),
    )
    store.put_docs([doc])
    store.close()
    # what schema 9 stored: JSON records, the texts twice, a full-text index with a copy
    db = sqlite3.connect(path)
    data = to_dict(doc)
    data.pop("article")
    with db:
        db.execute("UPDATE articles SET data=?", (json.dumps(to_dict(a), ensure_ascii=False),))
        db.execute("UPDATE docs SET data=?", (json.dumps(data, ensure_ascii=False),))
        db.execute("DROP TABLE IF EXISTS articles_fts")
        db.execute("CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text)")
        db.execute(
            "INSERT INTO articles_fts (rowid, title, text) SELECT seq, title, text FROM articles"
        )
        db.execute("PRAGMA user_version=9")
    db.close()
    store = Store(path)
    assert store.schema_version >= 10
    assert store.doc(a.id, doc.stages) == doc and store.article(a.id) == a
    kinds = store.db.execute(
        "SELECT typeof(a.data), typeof(d.data) FROM articles a JOIN docs d ON d.article_id=a.id"
    ).fetchone()
    assert tuple(kinds) == ("blob", "blob")
    assert [x.id for x, _ in store.search("Wostotschny")] == [a.id]
    assert store.check() == []


def test_a_reread_keeps_the_old_version_and_the_index_follows(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    old = replace(_art("Eins", "Wostotschny liegt im Osten."), raw="<p>Wostotschny liegt</p>")
    new = _art("Eins", "Wostochny liegt im Osten.")
    store.add_articles([old])
    store.replace_article(old, new)
    assert store.rereads(new.id) == [old]
    assert store.search("Wostotschny") == [] and store.search("Wostochny")[0][0] == new
    assert store.check() == []


def test_encoder_states_are_not_stored() -> None:
    """The encode stage's states (with the e5 vector, a numpy array) live for one run only:
    storing a doc that carries them works (it crashed with ``stories.embeddings`` on)."""
    import numpy as np

    from lagebild.text.states import DocStates

    art = _art("T", "Kirby kam.")
    doc = Doc(article=art, stages=("text@1",))
    states = DocStates((12,), (), np.ones(384, dtype=np.float32))
    assert decode_doc(encode_doc(replace(doc, encoding=states)), art) == doc


def test_analyses_are_packed_with_their_text_and_older_ones_still_read() -> None:
    """An analysis is compressed with its article's text and the codec's words as zlib
    dictionary (smaller than alone); one stored before that (plain zlib) reads the same."""
    import zlib

    import msgspec

    from lagebild.store.codec import _unpack_doc

    pipe = Pipeline()
    path = sorted((DEMO / "rheinischer-kurier").glob("*.txt"))[0]
    from lagebild.ingest.textdump import read_text_dump

    art = read_text_dump(path.read_bytes(), str(path), pipe.config)
    assert isinstance(art, Article)
    doc = pipe(art)
    blob = encode_doc(doc)
    packed = _unpack_doc(blob, art)
    before = zlib.compress(packed, 1)  # what schema 19's lagebild stored
    assert decode_doc(before, art) == doc == decode_doc(blob, art)
    assert len(blob) < 0.9 * len(before)
    assert msgspec.msgpack.decode(packed)["st"] == list(doc.stages)
    other = replace(art, text=art.text.replace("e", "a"))
    with pytest.raises(zlib.error):  # the dictionary is this article's: no other one fits
        decode_doc(blob, other)


def test_a_schema_22_database_repacks_its_analyses_with_the_dictionary(tmp_path: Path) -> None:
    """Migration 23 repacks analyses stored before the dictionary: every one then reads the
    same, is smaller, and nothing is marked stale (a kept dossier stays); a new database
    gets 8 KB pages."""
    import zlib

    from lagebild.ingest.textdump import read_text_dump
    from lagebild.model import Story
    from lagebild.store.codec import _unpack_doc
    from lagebild.store.sqlite import PAGE_SIZE, SCHEMA_VERSION

    pipe = Pipeline()
    arts = []
    for path in sorted((DEMO / "rheinischer-kurier").glob("*.txt"))[:3]:
        art = read_text_dump(path.read_bytes(), str(path), pipe.config)
        assert isinstance(art, Article)
        arts.append(art)
    docs = [pipe(a) for a in arts]
    path = tmp_path / "old.db"
    store = Store(path)
    assert store.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    store.add_articles(arts)
    store.put_docs(docs)
    story = Story(id="s" * 16, article_ids=tuple(a.id for a in arts), title="Drei")
    store.put_stories([story])
    new = {r[0]: r[1] for r in store.db.execute("SELECT article_id, data FROM docs")}
    store.close()
    db = sqlite3.connect(path)  # what schema 19 to 22 stored: plain zlib
    with db:
        for art in arts:
            old = zlib.compress(_unpack_doc(new[art.id], art), 1)
            db.execute("UPDATE docs SET data=? WHERE article_id=?", (old, art.id))
        db.execute("PRAGMA user_version=22")
        db.execute(  # a kept dossier (a rewrite of its analyses would drop it)
            "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
            " VALUES (?, 'html', 'k', x'00', 1, 'now')",
            (story.id,),
        )
    before = sum(len(d) for (d,) in db.execute("SELECT data FROM docs"))
    db.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION >= 23
    after = {r[0]: r[1] for r in store.db.execute("SELECT article_id, data FROM docs")}
    assert all(d[1] & 0x20 for d in after.values())  # zlib's preset-dictionary flag
    assert sum(len(d) for d in after.values()) < 0.9 * before
    for art, doc in zip(arts, docs, strict=True):
        assert store.doc(art.id, doc.stages) == doc
    assert store.db.execute("SELECT count(*) FROM dossier_cache").fetchone()[0] == 1
    triggers = store.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='docs'"
    ).fetchone()[0]
    assert triggers >= 3  # set aside and made again
    assert store.check() == []


def test_a_schema_28_database_keeps_article_fields_only_in_their_columns(tmp_path: Path) -> None:
    """Migration 29: article records lose the fields their columns hold (id, source, format,
    url, outlet, published, language); every read gives the same articles, a record that
    differs from its column still reads as it did, and new articles are stored without them."""
    from datetime import UTC, datetime

    import msgspec

    from lagebild.store.codec import ARTICLE_COLUMNS, encode_record

    arts = [
        replace(
            _art("Erdoğan in Wien", "Ein Text über Wien."),
            url="https://example.org/a",
            outlet="Der Bote",
            published=datetime(2016, 3, 1, 8, 30, tzinfo=UTC),
            language="de",
            authors=("A. B.",),
            raw="<p>Ein Text über Wien.</p>",
        ),
        _art("Ohne alles", "Kein Datum, kein Ort, keine Sprache."),
        replace(_art("Nur Datum", "Ein Text."), published=datetime(2017, 1, 2, tzinfo=UTC)),
    ]
    path = tmp_path / "x.db"
    store = Store(path)
    store.add_articles(arts)
    fields = {
        k
        for (d,) in store.db.execute("SELECT data FROM articles")
        for k in msgspec.msgpack.decode(d)
    }
    assert not fields & set(ARTICLE_COLUMNS) and "authors" in fields
    assert list(store.articles()) == arts
    store.close()
    db = sqlite3.connect(path)  # the records as schema 28 wrote them: every field kept
    with db:
        for art in arts:
            old = encode_record(art)
            raw = msgspec.msgpack.decode(
                db.execute("SELECT data FROM articles WHERE id=?", (art.id,)).fetchone()[0]
            )
            old = {k: v for k, v in old.items() if k not in ("title", "text", "raw")}
            if "raw~z" in raw:
                old["raw~z"] = raw["raw~z"]
            db.execute(
                "UPDATE articles SET data=? WHERE id=?", (msgspec.msgpack.encode(old), art.id)
            )
        db.execute(  # a column the record disagrees with: the record is read, as it was
            "UPDATE articles SET outlet='Anderswo' WHERE id=?", (arts[2].id,)
        )
        db.execute("PRAGMA user_version=28")
    before = sum(len(d) for (d,) in db.execute("SELECT data FROM articles"))
    db.close()
    store = Store(path)
    assert store.schema_version >= 29
    assert sum(len(d) for (d,) in store.db.execute("SELECT data FROM articles")) < 0.7 * before
    assert list(store.articles()) == arts
    assert [store.article(a.id) for a in arts] == arts
    assert (
        store.db.execute("SELECT outlet FROM articles WHERE id=?", (arts[2].id,)).fetchone()[0]
        == "Anderswo"
    )
    store.close()


def _texts(n: int, seed: int = 1) -> list[Article]:
    """Articles of words drawn from one vocabulary (common words often, as in news)."""
    import random

    rng = random.Random(seed)
    vocab = [f"{w}{i}" for i, w in enumerate(["Regierung", "sagte", "Bundes", "die", "und"] * 80)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    arts = []
    for i in range(n):
        words = rng.choices(vocab, weights, k=rng.randint(60, 160))
        arts.append(_art(f"Bericht {i}", " ".join(words) + "."))
    return arts


def test_texts_are_packed_with_the_dictionary_the_store_learned(tmp_path: Path) -> None:
    """Schema 30: once a store holds 200 articles it learns a zlib dictionary from the first
    200 texts and packs every text with it (named in the text's zlib header); the texts read
    back the same, in this process and in another one that had opened the store before."""
    import zlib

    from lagebild.store.codec import LEARN_TEXTS, decode_text, learn_text_dict, text_dict_id

    arts = _texts(262)
    store = Store(tmp_path / "x.db")
    other = Store(tmp_path / "x.db")
    other.add_articles(arts[:1])  # another writer, before anything is learned
    store.add_articles(arts[1:150])
    assert store.db.execute("SELECT count(*) FROM text_dicts").fetchone()[0] == 0
    assert {text_dict_id(t) for (t,) in store.db.execute("SELECT text FROM articles")} == {None}
    store.add_articles(arts[150:260])
    other.add_articles(arts[260:])  # finds the dictionary learned meanwhile, learns none
    [(zdict,)] = store.db.execute("SELECT dict FROM text_dicts").fetchall()  # one only
    assert zdict == learn_text_dict(a.text for a in arts[:LEARN_TEXTS]) and len(zdict) <= 32768
    packed = [t for (t,) in store.db.execute("SELECT text FROM articles ORDER BY seq")]
    assert {text_dict_id(t) for t in packed} == {zlib.adler32(zdict)}
    plain = sum(len(zlib.compress(a.text.encode(), 6)) for a in arts)
    assert sum(len(t) for t in packed) < 0.9 * plain
    assert list(store.articles()) == arts
    assert list(other.articles()) == arts
    assert decode_text(packed[0], store.text_dict) == arts[0].text
    with pytest.raises(ValueError):
        decode_text(packed[0])
    store.close()
    other.close()


def test_a_schema_29_store_learns_its_dictionary_and_reads_the_same(tmp_path: Path) -> None:
    import zlib

    from lagebild.store.codec import text_dict_id
    from lagebild.store.search import search

    arts = _texts(230, seed=2)
    path = tmp_path / "x.db"
    store = Store(path)
    store.add_articles(arts)
    queries = ["Regierung0", '"sagte1 Bundes2"', "und4 -die3"]
    hits = [[h.article.id for h in search(store, q, limit=300).hits] for q in queries]
    assert all(hits)
    store.close()
    db = sqlite3.connect(path)  # the texts as schema 29 stored them: zlib, no dictionary
    with db:
        for art in arts:
            db.execute(
                "UPDATE articles SET text=? WHERE id=?",
                (zlib.compress(art.text.encode(), 6), art.id),
            )
        db.execute("DROP TABLE text_dicts")
        db.execute("PRAGMA user_version=29")
    db.close()
    store = Store(path)
    assert store.schema_version >= 30
    ids = {text_dict_id(t) for (t,) in store.db.execute("SELECT text FROM articles")}
    assert len(ids) == 1 and None not in ids
    assert list(store.articles()) == arts
    assert [[h.article.id for h in search(store, q, limit=300).hits] for q in queries] == hits
    store.close()


def _demo_docs(n: int) -> list[Doc]:
    from lagebild.ingest.textdump import read_text_dump

    pipe = Pipeline()
    docs = []
    for path in sorted((DEMO / "rheinischer-kurier").glob("*.txt"))[:n]:
        art = read_text_dump(path.read_bytes(), str(path), pipe.config)
        assert isinstance(art, Article)
        docs.append(pipe(art))
    return docs


def test_format_2_reads_as_format_1_and_is_smaller() -> None:
    """Format 2 (tokens guessed from the text, lemma edits, records as columns) gives back
    the analysis format 1 gave, byte for byte when written again, in ~60 % of the bytes."""
    import msgspec

    from lagebild.store.codec import FORMAT, _unpack_doc

    assert FORMAT == 2
    v1_bytes = v2_bytes = 0
    for doc in _demo_docs(3):
        art = doc.article
        v1, v2 = encode_doc(doc, 1), encode_doc(doc)
        assert msgspec.msgpack.decode(_unpack_doc(v2, art))["v"] == 2
        assert decode_doc(v1, art) == doc == decode_doc(v2, art)
        assert encode_doc(decode_doc(v2, art), 1) == v1
        v1_bytes += len(v1)
        v2_bytes += len(v2)
    assert v2_bytes < 0.75 * v1_bytes


def test_lemma_edits_give_back_every_lemma() -> None:
    """A lemma is stored as an edit of its token's text only where the edit gives it back;
    lemmas that look like edits (control characters first), empty ones and long cuts stay."""
    import random

    from lagebild.store.codec import _lemma_code, _lemma_of

    rng = random.Random(7)
    letters = "aeinrstuäöüßAEIOUZ\x00\x01\x0f\x10-"
    pairs = [
        ("Regierungen", "Regierung"),
        ("ist", "sein"),
        ("Häuser", "Haus"),
        ("gegangen", "gehen"),
        ("X", ""),
        ("\x03ab", "\x03a"),
        ("abc", "\x02abc"),
        ("a" * 40, "a"),
        ("Bundeskanzlerinnen", "bundeskanzlerin"),
    ]
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(1, 20)))
        cut = rng.randint(0, len(text))
        lemma = text[: len(text) - cut] + "".join(
            rng.choice(letters) for _ in range(rng.randint(0, 8))
        )
        pairs.append((text, lemma))
    codes = set()
    for text, lemma in pairs:
        code = _lemma_code(text, lemma)
        assert _lemma_of(text, code) == lemma, (text, lemma, code)
        codes.add(type(code).__name__)
    assert codes == {"int", "str", "list"}
    assert _lemma_code("Regierungen", "Regierung") == 3  # two characters cut
    assert _lemma_code("ist", "sein") == "sein"


def test_float_fields_come_back_exactly() -> None:
    """Float fields are stored short (integral as int, short repr as text) and read back as
    the very floats; a value of another type in a float field keeps its type."""
    import math

    art = _art("T", "Es waren rund 900 km, sagte er.")
    values = [900.0, 0.991, -0.0, 0.1 + 0.2, 1e300, -3.0, 2.5e-7, math.inf, 7, None, 2**60 + 0.0]
    facts = tuple(
        Fact(art.id, 9, 20, art.text[9:20], "distance", value=v, value_max=v, unit="km")
        for v in values
    )
    mentions = tuple(
        Mention(art.id, 0, 2, "Es", "PER", score=v) for v in values if not isinstance(v, int)
    )
    doc = Doc(article=art, facts=facts, mentions=mentions, stages=("facts@1",))
    back = decode_doc(encode_doc(doc), art)
    assert back == doc
    got = [(repr(f.value), type(f.value)) for f in back.facts]
    assert got == [(repr(v), type(v)) for v in values]
    assert repr(back.mentions[2].score) == "-0.0"
    nan = Doc(article=art, facts=(Fact(art.id, 9, 20, "rund 900 km", "x", value=math.nan),))
    assert math.isnan(decode_doc(encode_doc(nan), art).facts[0].value or 0.0)


def test_tokens_the_guess_misses_and_records_out_of_order() -> None:
    """Tokens the word pattern does not find (an abbreviation with its period, a token
    across a space, overlapping or empty ones), sentences whose bounds are not their tokens',
    and records not in text order all read back."""
    text = "Laut z.B. Dr. Müller-Lüdenscheidt kam er am 3. März 2023 um 14:30 Uhr an."
    art = _art("T", text)

    def tok(start: int, end: int, lemma: str = "") -> Token:
        return Token(start, end, text[start:end], lemma or text[start:end])

    tokens = (
        tok(0, 4),
        tok(5, 9, "zum Beispiel"),
        tok(10, 13),
        tok(14, 33, "Müller-Lüdenscheidt"),
        tok(34, 40),  # "kam er": across a space
        tok(38, 40),  # overlaps the one before
        tok(41, 41),  # empty
        tok(41, 43),
        tok(44, 46),
        tok(47, 51, "März"),
        tok(len(text) - 1, len(text)),
    )
    doc = Doc(
        article=art,
        sentences=(
            Sentence(0, 40, text[:40], tokens[:5]),
            Sentence(36, len(text), text[36:], tokens[5:]),  # starts before its first token
            Sentence(len(text), len(text), ""),
        ),
        mentions=(
            Mention(art.id, 14, 33, "Müller-Lüdenscheidt", "PER", "e1", score=0.98),
            Mention(art.id, 0, 4, "Laut", "ORG", source="rule"),  # before the one above
            Mention("other", 5, 9, "Zoo", "LOC"),
        ),
        times=(TimeExpr(art.id, 44, 57, text[44:57], "DATE", "2023-03-03", anchor="2023-01-01"),),
        stages=("text@1",),
    )
    assert decode_doc(encode_doc(doc), art) == doc


def test_a_schema_30_database_rewrites_its_analyses_in_format_2(tmp_path: Path) -> None:
    """The migration to format 2 rewrites every analysis (smaller, read back the same) and
    marks nothing stale: a kept dossier stays, the triggers on docs are made again."""
    import msgspec

    from lagebild.model import Story
    from lagebild.store.codec import _unpack_doc
    from lagebild.store.sqlite import MIGRATION_STEPS, SCHEMA_VERSION

    number = next(k for k, step in MIGRATION_STEPS.items() if step is Store._analyses_v2)
    docs = _demo_docs(3)
    arts = [d.article for d in docs]
    path = tmp_path / "old.db"
    store = Store(path)
    store.add_articles(arts)
    store.put_docs(docs)
    story = Story(id="s" * 16, article_ids=tuple(a.id for a in arts), title="Drei")
    store.put_stories([story])
    store.close()
    db = sqlite3.connect(path)
    with db:
        for doc in docs:
            db.execute(
                "UPDATE docs SET data=? WHERE article_id=?", (encode_doc(doc, 1), doc.article.id)
            )
        db.execute(f"PRAGMA user_version={number - 1}")
        db.execute(
            "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
            " VALUES (?, 'html', 'k', x'00', 1, 'now')",
            (story.id,),
        )
    before = sum(len(d) for (d,) in db.execute("SELECT data FROM docs"))
    db.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION >= number
    rows = dict(store.db.execute("SELECT article_id, data FROM docs").fetchall())
    for art, doc in zip(arts, docs, strict=True):
        assert msgspec.msgpack.decode(_unpack_doc(rows[art.id], art))["v"] == 2
        assert store.doc(art.id, doc.stages) == doc
    assert sum(len(d) for d in rows.values()) < 0.75 * before
    assert store.db.execute("SELECT count(*) FROM dossier_cache").fetchone()[0] == 1
    triggers = store.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='docs'"
    ).fetchone()[0]
    assert triggers >= 3
    assert store.check() == []


def test_a_learned_lemma_table_gives_back_every_lemma_in_fewer_bytes() -> None:
    """With a lemma table learned from other analyses, an analysis stores 0 where the
    table's code is right: the same analysis reads back, smaller; without the table it
    cannot be read."""
    from lagebild.store.codec import LemmaTable, learn_lemma_table

    docs = _demo_docs(4)
    table = LemmaTable.of(learn_lemma_table(docs[:2]))
    assert table.codes and all(code != 0 for code in table.codes.values())
    with_table = without = 0
    for doc in docs:
        art = doc.article
        plain, packed = encode_doc(doc), encode_doc(doc, lemmas=table)
        assert decode_doc(packed, art, {table.id: table}.__getitem__) == doc
        assert encode_doc(decode_doc(packed, art, {table.id: table}.__getitem__)) == plain
        with pytest.raises(ValueError, match="lemma table"):
            decode_doc(packed, art)
        with_table += len(packed)
        without += len(plain)
    assert with_table < 0.97 * without
    # a token whose lemma is its text where the table says otherwise, and one it does not know
    word = next(w for w, c in table.codes.items() if isinstance(c, int) and c > 1)
    text = f"{word} {word} Quxx."
    art = _art("T", text)
    n = len(word)
    toks = (
        Token(0, n, word, word),  # "same", though the table cuts
        Token(n + 1, 2 * n + 1, word, "anders"),
        Token(2 * n + 2, 2 * n + 6, "Quxx", "quxx"),
        Token(2 * n + 6, 2 * n + 7, ".", "."),
    )
    doc = Doc(article=art, sentences=(Sentence(0, len(text), text, toks),), stages=("t@1",))
    assert decode_doc(encode_doc(doc, lemmas=table), art, lambda _: table) == doc


def test_a_store_learns_its_lemma_table_once_it_holds_enough_analyses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below the threshold nothing is learned; the batch that reaches it learns the table
    from the first articles' analyses and rewrites the stored ones with it; later analyses
    use it; all read back as they were. The migration does the same for a store that has
    its analyses already."""
    import msgspec

    from lagebild.store import sqlite as store_sqlite
    from lagebild.store.codec import _unpack_doc
    from lagebild.store.sqlite import MIGRATION_STEPS

    monkeypatch.setattr(store_sqlite, "LEARN_LEMMAS", 3)
    docs = _demo_docs(5)
    path = tmp_path / "s.db"
    store = Store(path)

    def tables() -> dict[str, int | None]:
        rows = store.db.execute("SELECT article_id, data FROM docs").fetchall()
        arts = {d.article.id: d.article for d in docs}
        return {
            aid: msgspec.msgpack.decode(_unpack_doc(data, arts[aid])).get("lt")
            for aid, data in rows
        }

    store.add_articles([d.article for d in docs])
    store.put_docs(docs[:2])
    assert set(tables().values()) == {None}
    store.put_docs(docs[2:4])
    (learned,) = set(tables().values())
    assert learned is not None
    store.put_docs(docs[4:])
    assert set(tables().values()) == {learned}
    for doc in docs:
        assert store.doc(doc.article.id, doc.stages) == doc
    assert Store(path).doc(docs[0].article.id) == docs[0]  # another process reads it too

    number = next(k for k, step in MIGRATION_STEPS.items() if step is Store._learn_lemma_table)
    with store.db:
        store.db.execute("DELETE FROM lemma_tables")
        for doc in docs:
            store.db.execute(
                "UPDATE docs SET data=? WHERE article_id=?", (encode_doc(doc), doc.article.id)
            )
        store.db.execute(f"PRAGMA user_version={number - 1}")
    store.close()
    store = Store(path)
    (again,) = set(tables().values())
    assert again == learned  # learned from the same first analyses
    for doc in docs:
        assert store.doc(doc.article.id, doc.stages) == doc
    assert store.check() == []


def test_learning_the_lemma_table_decodes_none_of_the_analyses_it_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch that reaches the threshold learns from the docs this process stored and
    encodes them again from those docs: no analysis is decoded, and the store holds the
    same bytes as one that decodes them back (the path of another process's analyses)."""
    from lagebild.store import sqlite as store_sqlite

    monkeypatch.setattr(store_sqlite, "LEARN_LEMMAS", 3)
    docs = _demo_docs(5)
    decoded: list[str] = []
    inner = store_sqlite.decode_doc

    def counted(data: bytes, article: Article, *args: object) -> Doc:
        decoded.append(article.id)
        return inner(data, article, *args)

    def stored(path: Path) -> list[tuple[str, bytes]]:
        store = Store(path)
        store.add_articles([d.article for d in docs])
        for start in (0, 2, 4):
            store.put_docs(docs[start : start + 2])
        rows = store.db.execute("SELECT article_id, data FROM docs ORDER BY 1").fetchall()
        assert store.db.execute("SELECT count(*) FROM lemma_tables").fetchone()[0] == 1
        store.close()
        return [tuple(r) for r in rows]

    monkeypatch.setattr(store_sqlite, "decode_doc", counted)
    kept = stored(tmp_path / "kept.db")
    assert decoded == []
    monkeypatch.setattr(Store, "_held", lambda self, article_id, data: None)
    read_back = stored(tmp_path / "read.db")
    assert len(decoded) == 3  # the three the table was learned from (the rewrite decodes too)
    assert kept == read_back and len(kept) == 5


def _with_raw(arts: list[Article]) -> list[Article]:
    """The articles with the JSON line each was read from as raw input (as JSONL gives it)."""
    out = []
    for i, a in enumerate(arts):
        line = {"title": a.title, "text": a.text, "url": f"https://example.org/news/{1000 + i}",
                "outlet": "Rheinischer Kurier", "published": f"2024-03-{1 + i % 28:02d}T08:00:00"}  # fmt: skip
        out.append(replace(a, raw=json.dumps(line, ensure_ascii=False)))
    return out


def test_raw_records_are_packed_with_the_dictionary_the_store_learned(tmp_path: Path) -> None:
    """Schema 36: once a store holds 200 articles it learns a dictionary of their raw records
    without title and text and packs every raw record with it (named in the record): the
    articles read back the same, here and in another process, in fewer bytes than without;
    the migration learns it for a store that has its articles already."""
    import zlib

    import msgspec

    from lagebild.store.codec import LEARN_TEXTS, decode_article, learn_raw_dict
    from lagebild.store.sqlite import MIGRATION_STEPS

    arts = _with_raw(_texts(260, seed=3))
    raw_dict = learn_raw_dict(arts[:LEARN_TEXTS])
    assert b"example.org/news/" in raw_dict and b"Regierung0" not in raw_dict
    path = tmp_path / "x.db"
    store = Store(path)
    store.add_articles(arts[:150])
    assert store.db.execute("SELECT count(*) FROM raw_dicts").fetchone()[0] == 0
    plain = store.db.execute("SELECT SUM(LENGTH(data)) FROM articles").fetchone()[0]
    store.add_articles(arts[150:])
    [(learned,)] = store.db.execute("SELECT dict FROM raw_dicts").fetchall()
    assert learned == raw_dict
    records = [msgspec.msgpack.decode(d) for (d,) in store.db.execute("SELECT data FROM articles")]
    assert all("rd" in r for r in records)
    packed = store.db.execute("SELECT SUM(LENGTH(data)) FROM articles WHERE seq <= 150")
    assert packed.fetchone()[0] < 0.8 * plain
    assert list(store.articles()) == arts
    assert list(Store(path).articles()) == arts
    row = store.db.execute("SELECT * FROM articles WHERE seq = 1").fetchone()
    text_only = dict(
        (zlib.adler32(d), d) for (d,) in store.db.execute("SELECT dict FROM text_dicts")
    )
    with pytest.raises(KeyError):  # the record needs the raw dictionary too
        decode_article(row["title"], row["text"], row["data"], row, text_only.__getitem__)
    number = next(k for k, f in MIGRATION_STEPS.items() if f is Store._learn_raw_dict)
    with store.db:  # the records as schema 35 packed them: no dictionary of their own
        store.db.execute("DELETE FROM raw_dicts")
        for a in arts:
            store.db.execute("UPDATE articles SET data=? WHERE id=?", (encode_article(a), a.id))
        store.db.execute(f"PRAGMA user_version={number - 1}")
    store.close()
    store = Store(path)
    [(again,)] = store.db.execute("SELECT dict FROM raw_dicts").fetchall()
    assert again == raw_dict
    assert list(store.articles()) == arts
    assert store.check() == []


def test_decoded_sentences_make_their_tokens_when_read_and_act_as_sentences(monkeypatch) -> None:
    import copy
    import dataclasses
    import pickle

    from lagebild.store import codec

    pipe = Pipeline()
    path = sorted((DEMO / "rheinischer-kurier").glob("*.txt"))[0]
    from lagebild.ingest.textdump import read_text_dump

    art = read_text_dump(path.read_bytes(), str(path), pipe.config)
    assert isinstance(art, Article)
    doc = pipe(art)
    made: list[int] = []
    real = codec._make_tokens

    def counting(*args):
        made.append(args[-1])
        return real(*args)

    monkeypatch.setattr(codec, "_make_tokens", counting)
    back = decode_doc(encode_doc(doc), art)
    assert made == []  # bounds and texts without a single token
    assert [(s.start, s.end, s.text) for s in back.sentences] == [
        (s.start, s.end, s.text) for s in doc.sentences
    ]
    first = back.sentences[1]
    assert first.tokens == doc.sentences[1].tokens and made == [len(first.tokens)]
    assert first.tokens is first.tokens and len(made) == 1  # made once
    later = back.sentences[-1]  # made alone, out of order
    assert later.tokens == doc.sentences[-1].tokens
    for lazy, plain in zip(back.sentences, doc.sentences, strict=True):
        assert lazy == plain and plain == lazy and hash(lazy) == hash(plain)
        assert lazy != replace(plain, text=plain.text + "x")
        assert repr(lazy) == repr(plain)
        for again in (pickle.loads(pickle.dumps(lazy)), copy.deepcopy(lazy)):
            assert type(again) is Sentence and again == plain
        moved = dataclasses.replace(lazy, start=lazy.start + 1)
        assert moved.start == plain.start + 1 and moved.tokens == plain.tokens
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.sentences[0].start = 3  # type: ignore[misc]
    assert back == doc
