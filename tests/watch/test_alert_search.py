"""An alert's query means what a search means: the same function decides both (folding,
umlaut spellings, phrases, OR, exclusion), and a query a search refuses is refused as an alert."""

from __future__ import annotations

from pathlib import Path

import pytest
from flood_corpus import write_jsonl

from lagebild.alerts import AlertBook
from lagebild.app import Lagebild
from lagebild.changes.log import ChangeLog
from lagebild.errors import LagebildError

BASE = {
    "outlet": "Donaupost",
    "published": "2024-03-01T08:00:00Z",
    "title": "Gemeinderat tagt im Rathaus",
    "text": "Der Gemeinderat hat am Freitag im Rathaus über den Haushalt beraten.",
}

NEW = [
    {
        "outlet": "Donaupost",
        "published": "2024-03-02T08:00:00Z",
        "title": "Erdoğan besucht Wien",
        "text": "Der türkische Präsident Recep Tayyip Erdoğan ist am Samstag in Wien eingetroffen.",
    },
    {
        "outlet": "Alpenblick",
        "published": "2024-03-02T09:00:00Z",
        "title": "Erdogan reist nach Ankara zurück",
        "text": "Präsident Erdogan kehrte am Sonntag nach Ankara zurück, meldete die Agentur.",
    },
    {
        "outlet": "Alpenblick",
        "published": "2024-03-02T10:00:00Z",
        "title": "Neue Radwege in Muenchen",
        "text": "Die Stadt München baut entlang der Isar neue Radwege, sagte ein Sprecher.",
    },
]

QUERIES = ["Erdogan", "Erdogan -Wien", "München", "Muenchen OR Ankara", '"Tayyip Erdogan"']


def test_alert_queries_fire_on_exactly_what_the_search_finds(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", [BASE])])
    book = AlertBook(lb.store)
    last = ChangeLog(lb.store).last_id()
    for i, q in enumerate(QUERIES):
        book.add(f"q{i}", "query", q, ("new-article",), ("stdout",), last)
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", NEW)])
    titles = {a.id: a.title for a in lb.articles()}
    fired = {}
    for i, q in enumerate(QUERIES):
        keys = [f.key for f in book.firings(book.get(f"q{i}"))]
        fired[q] = sorted(titles[k.split(":", 1)[1]] for k in keys)
    searched = {q: sorted(h.article.title for h in lb.find(q, limit=50).hits) for q in QUERIES}
    assert fired == searched
    assert fired["Erdogan"] == ["Erdogan reist nach Ankara zurück", "Erdoğan besucht Wien"]
    assert fired["Erdogan -Wien"] == ["Erdogan reist nach Ankara zurück"]
    assert fired["München"] == ["Neue Radwege in Muenchen"]
    assert len(fired["Muenchen OR Ankara"]) == 2
    assert fired['"Tayyip Erdogan"'] == ["Erdoğan besucht Wien"]


@pytest.mark.parametrize("query", ["-Wien", "NOT Wien", "  "])
def test_a_query_the_search_refuses_is_no_alert(tmp_path: Path, query: str) -> None:
    lb = Lagebild(tmp_path / "c.db")
    with pytest.raises(LagebildError, match=r"only excludes|no word"):
        AlertBook(lb.store).add("bad", "query", query, (), ("stdout",), 0)
    assert AlertBook(lb.store).all() == []
