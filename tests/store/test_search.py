"""Search: the query language, folding, true totals, paging, snippets with whole words."""

from __future__ import annotations

import pytest

from lagebild.app import Lagebild
from lagebild.errors import StoreError
from lagebild.model import Article, article_id
from lagebild.store.search import find, parse, snippet

TEXTS = [
    (
        "Erdoğan in München",
        "Präsident Recep Tayyip Erdoğan traf am Montag in München ein. Die Straße war gesperrt.",
    ),
    ("Erdogan besucht Wien", "Recep Tayyip Erdogan sprach in Wien mit dem Kanzler über die Lage."),
    (
        "Muenchen plant",
        "Die Stadt Muenchen plant eine neue Strasse zum Flughafen und mehr Radwege.",
    ),
    ("Graz wählt", "In Graz wählten am Sonntag die Bürger einen neuen Gemeinderat, nicht in Wien."),
    (
        "Van der Bellen",
        "Bundespräsident Alexander Van der Bellen sprach auf der Webseite der Präsidentschaftskanzlei.",
    ),
]


@pytest.fixture(scope="module")
def lb(tmp_path_factory) -> Lagebild:
    lb = Lagebild(tmp_path_factory.mktemp("search") / "s.db")
    arts = [
        Article(
            id=article_id(t, x), title=t, text=x, source=f"t{i}.txt", format="text", language="de"
        )
        for i, (t, x) in enumerate(TEXTS)
    ]
    lb.store.add_articles(arts)
    yield lb
    lb.close()


def titles(lb: Lagebild, q: str, **kw) -> set[str]:
    return {h.article.title for h in lb.find(q, limit=50, **kw).hits}


def test_diacritics_and_umlaut_spellings_fold_both_ways(lb):
    assert (
        titles(lb, "Erdogan")
        == titles(lb, "Erdoğan")
        == titles(lb, "ERDOGAN")
        == {
            "Erdoğan in München",
            "Erdogan besucht Wien",
        }
    )
    assert (
        titles(lb, "Muenchen") == titles(lb, "München") == {"Erdoğan in München", "Muenchen plant"}
    )
    assert titles(lb, "Strasse") == titles(lb, "Straße") == {"Erdoğan in München", "Muenchen plant"}


def test_phrases_or_negation_and_prefixes(lb):
    assert titles(lb, '"Van der Bellen"') == {"Van der Bellen"}
    assert titles(lb, '"der Van Bellen"') == set()  # a phrase keeps its order
    assert titles(lb, "Graz OR Muenchen") == {"Graz wählt", "Muenchen plant", "Erdoğan in München"}
    assert titles(lb, "Wien") == {"Erdogan besucht Wien", "Graz wählt"}
    assert titles(lb, "Erdogan -Wien") == {"Erdoğan in München"}  # -Wien excludes
    assert titles(lb, "Erdogan NOT Wien") == {"Erdoğan in München"}
    assert titles(lb, 'Präsident* -"Van der Bellen"') == {"Erdoğan in München"}
    assert titles(lb, "Gemeinde*") == {"Graz wählt"}
    assert titles(lb, "Gemeinde") == set()  # whole words unless a prefix is asked for


def test_true_total_and_paging(lb):
    page = lb.find("die OR der", limit=2)
    assert page.total == 5 and len(page.hits) == 2 and page.next_cursor
    seen = [h.article.id for h in page.hits]
    while page.next_cursor:
        page = lb.find("die OR der", limit=2, cursor=page.next_cursor)
        seen += [h.article.id for h in page.hits]
    assert len(seen) == len(set(seen)) == 5
    with pytest.raises(StoreError):
        lb.find("Wien", cursor="nonsense!")


def test_queries_that_cannot_find_anything_are_errors():
    for q in ("-Wien", "NOT Wien", "", "OR", "- ---"):
        with pytest.raises(StoreError):
            parse(q)
    assert parse("a OR b c").fts() == '("a" OR "b") AND ("c")'


def test_snippets_keep_words_whole_and_mark_every_hit():
    text = (
        ("Vorspann ohne Treffer. " * 20)
        + "Auf der Webseite von Alexander Van der Bellen steht es."
        + (" Nachspann ohne Treffer." * 20)
    )
    q = parse('"Van der Bellen" Webseite')
    s = snippet(text, q)
    assert s.text.startswith("…") and s.text.endswith("…")
    inner = s.text.strip("…")
    assert all(w in text for w in inner.split())  # no word cut or dropped
    assert "Auf der Webseite von Alexander Van der Bellen" in s.text
    assert [s.text[a:b] for a, b in s.marks] == ["Webseite", "Van der Bellen"]
    assert s.bracketed().count("[") == 2
    # offsets stay right where folding changes length (ß -> ss) before a hit
    t = "Die Straße nach München"
    assert [t[a:b] for a, b in find(t, parse("Muenchen Strasse"))] == ["Straße", "München"]


def test_letters_nfkd_cannot_fold_are_found_by_their_base_letter(tmp_path):
    """FTS5 folds ó but not ł, ø or đ: Lodz, łódź and Łódź must all find Łódź."""
    lb = Lagebild(tmp_path / "l.db")
    texts = [
        ("Streik in Łódź", "In Łódź streiken die Fahrer; Ørsted baut vor Gdańsk."),
        ("Sieg für Đoković", "Novak Đoković gewann in Wien, die Halle war voll."),
        ("Wetter in Linz", "In Linz regnet es; in Odense scheint die Sonne."),
    ]
    arts = [
        Article(id=article_id(t, x), title=t, text=x, source=f"l{i}.txt", format="text")
        for i, (t, x) in enumerate(texts)
    ]
    lb.store.add_articles(arts)
    for q in ("Lodz", "łódź", "Łódź", "LODZ"):
        assert titles(lb, q) == {"Streik in Łódź"}, q
    assert titles(lb, "orsted") == titles(lb, "Ørsted") == {"Streik in Łódź"}
    assert titles(lb, "Djokovic") == set()  # dj is a transliteration, not a folding
    assert titles(lb, "Dokovic") == titles(lb, "đoković") == {"Sieg für Đoković"}
    hit = lb.find("lodz").hits[0]
    marked = {hit.snippet.text[s:e] for s, e in hit.snippet.marks}
    assert marked == {"Łódź"}
    # replacing an article takes its folded form out of the index again
    new = Article(
        id=arts[0].id,
        title="Streik beendet",
        text="Die Fahrer fahren wieder.",
        source="l0.txt",
        format="text",
    )
    lb.store.replace_article(arts[0], new)
    raw = "SELECT COUNT(*) FROM articles_search WHERE articles_search MATCH ?"
    assert lb.store.db.execute(raw, ("lodz",)).fetchone()[0] == 0
    assert lb.store.db.execute(raw, ("fahrer",)).fetchone()[0] == 1
    lb.close()


def test_schema_24_search_index_is_rebuilt_folded(tmp_path):
    """A database indexed before schema 25 (ł kept) is re-indexed on opening."""
    import sqlite3

    from lagebild.store.sqlite import Store

    path = tmp_path / "old.db"
    art = Article(
        id="x1", title="Łódź", text="Ein Bericht aus Łódź.", source="x.txt", format="text"
    )
    with Store(path) as store:
        store.add_articles([art])
    db = sqlite3.connect(path)
    with db:
        db.execute("INSERT INTO articles_search (articles_search) VALUES ('delete-all')")
        db.execute(
            "INSERT INTO articles_search (rowid, title, text) SELECT seq, ?, ? FROM articles",
            (art.title, art.text),
        )
        db.execute(
            "INSERT INTO story_terms (kind, key, story_id, value) VALUES"
            " ('entity', 'łodz', 's1', 'Łódź'), ('entity', 'wien', 's2', 'Wien')"
        )
        db.execute("PRAGMA user_version=24")
    db.close()
    with sqlite3.connect(path) as raw:
        assert (
            raw.execute(
                "SELECT COUNT(*) FROM articles_search WHERE articles_search MATCH 'lodz'"
            ).fetchone()[0]
            == 0
        )
    with Store(path) as store:  # the story naming Łódź is listed anew under "lodz"
        dirty = {r[0] for r in store.db.execute("SELECT story_id FROM story_dirty")}
        assert dirty == {"s1"}
        store.db.execute("DELETE FROM story_terms")
        store.db.execute("DELETE FROM story_dirty")
        store.db.commit()
    lb = Lagebild(path)
    assert titles(lb, "Lodz") == {"Łódź"}
    assert lb.store.db.execute("PRAGMA user_version").fetchone()[0] >= 25
    lb.close()


def test_a_bulk_load_is_merged_into_one_segment_and_finds_the_same(tmp_path):
    """``compact_search`` after an ingest that added a tenth of the store or more: the
    index's segments merged (fewer bytes), every query answering as before; a small
    addition leaves the index to FTS5's own merging."""
    from lagebild.store.search import search
    from lagebild.store.sqlite import Store

    words = [f"wort{i}" for i in range(400)]
    store = Store(tmp_path / "x.db")
    for batch in range(30):  # one segment per transaction, as an ingest's batches leave it
        arts = []
        for i in range(10):
            n = batch * 10 + i
            text = " ".join(words[(n * 7 + k * 13) % 400] for k in range(60))
            arts.append(
                Article(id=f"{n:016x}", title=f"Titel {n}", text=text, source="x", format="text")
            )
        store.add_articles(arts)
    queries = ["wort7", '"wort20 wort33"', "wort1*", "titel", "wort5 -wort18"]

    def hits() -> list[list[str]]:
        return [[h.article.id for h in search(store, q, limit=500).hits] for q in queries]

    def size() -> int:
        return store.db.execute("SELECT SUM(LENGTH(block)) FROM articles_search_data").fetchone()[0]

    before, bytes_before = hits(), size()
    assert all(before)
    assert not store.compact_search(29)  # under a tenth of 300 articles: left as it is
    assert size() == bytes_before
    assert store.compact_search(30)
    assert size() < 0.95 * bytes_before and hits() == before
    store.close()


def test_a_title_first_search_index_is_rebuilt_text_first_with_the_same_ranks(tmp_path):
    """Migration 44 puts the text before the title in the search index: FTS5 marks every
    column's positions but the first's, so the index shrinks, and every query finds the same
    rows with the same bm25 rank (equal column weights, lengths summed over the columns)."""
    import sqlite3

    from lagebild.store.migrations import MIGRATIONS
    from lagebild.store.search import search
    from lagebild.store.sqlite import Store

    def _migration(marker: str) -> int:
        return next(i for i, sql in enumerate(MIGRATIONS) if marker in sql)

    path = tmp_path / "old.db"
    words = [f"wort{i}" for i in range(300)] + ["München", "Straße", "Erdoğan"]
    arts = []
    for n in range(120):
        text = " ".join(words[(n * 7 + k * k * 13) % len(words)] for k in range(50 + n % 40))
        title = " ".join(words[(n * 11 + k) % len(words)] for k in range(6))
        arts.append(Article(id=f"{n:016x}", title=title, text=text, source="x", format="text"))
    with Store(path) as store:
        store.add_articles(arts)
    db = sqlite3.connect(path)  # the index as migration 20 made it: title first
    with db:
        db.execute("DROP TABLE articles_search")
        db.execute(
            "CREATE VIRTUAL TABLE articles_search USING fts5 (title, text, content = '',"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.executemany(
            "INSERT INTO articles_search (rowid, title, text) VALUES (?,?,?)",
            [(i + 1, a.title, a.text) for i, a in enumerate(arts)],
        )
        db.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")
        db.execute(f"PRAGMA user_version={_migration('text, title')}")
    db.close()
    phrase = '"' + " ".join(arts[5].text.split()[2:4]) + '"'
    queries = ["wort7", phrase, "wort1*", "muenchen", "Strasse wort5", "wort5 -wort18"]
    rank_sql = (
        "SELECT rowid, rank FROM articles_search WHERE articles_search MATCH ? ORDER BY rowid"
    )
    size_sql = "SELECT SUM(LENGTH(block)) FROM articles_search_data"

    def answers(db) -> tuple[list, int]:
        from lagebild.store.search import parse

        ranks = [[tuple(r) for r in db.execute(rank_sql, (parse(q).fts(),))] for q in queries]
        return ranks, db.execute(size_sql).fetchone()[0]

    raw = sqlite3.connect(path)
    ranks_before, bytes_before = answers(raw)
    assert raw.execute("PRAGMA table_info(articles_search)").fetchone()[1] == "title"
    raw.close()
    assert all(ranks_before)
    with Store(path) as store:
        cols = [r[1] for r in store.db.execute("PRAGMA table_info(articles_search)")]
        assert cols == ["text", "title"]
        ranks_after, bytes_after = answers(store.db)
        assert ranks_after == ranks_before  # exact doubles, row by row
        assert bytes_after < 0.9 * bytes_before
        page = search(store, "wort7", limit=200)
        assert [h.article.id for h in page.hits] == [
            arts[rowid - 1].id for rowid, _ in sorted(ranks_before[0], key=lambda r: (r[1], r[0]))
        ]
        assert any(h.title_marks for h in page.hits)  # titles are still searched
