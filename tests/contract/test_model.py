"""Records survive the trip to JSON and back; ids are stable."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lagebild.model import (
    Article,
    Citation,
    DateWindow,
    Doc,
    Dossier,
    Entity,
    Mention,
    Quote,
    Removed,
    Span,
    Story,
    article_id,
    from_dict,
    to_dict,
)


def test_article_id_is_stable_and_normalised() -> None:
    a = article_id("Titel", "Ein  Text\nmit Zeilen.")
    assert a == article_id("titel", "Ein Text mit Zeilen.")
    assert a != article_id("Titel", "Ein Text mit Zeilen.", url="https://x.example/a")
    assert len(a) == 16


def test_roundtrip_nested_records() -> None:
    art = Article(
        id="a1", title="T", text="Kim sagte: „Ja.“", source="x.txt", format="text",
        published=datetime(2023, 9, 13, 12, 0, tzinfo=UTC), authors=("A B",),
        removed=(Removed("ttn-de-1", "aggregator-tag"),),
    )  # fmt: skip
    m = Mention("a1", 0, 3, "Kim", "PER", entity_id="e1")
    doc = Doc(
        article=art, mentions=(m,),
        quotes=(Quote("a1", "direct", Span(12, 15), "Ja.", speaker=Span(0, 3), speaker_text="Kim"),),
        date_window=DateWindow(date(2023, 9, 11), date(2023, 9, 13), 0.8, ("am Dienstag",)),
    )  # fmt: skip
    assert from_dict(Doc, to_dict(doc)) == doc
    dossier = Dossier(
        story=Story("s", ("a1",), duplicates=(("a2", "a1"),)), headline="H", articles=(art,),
        entities=(Entity("e1", "Kim Jong-un", "PER", (("Kim", 1),), (m,)),),
    )  # fmt: skip
    assert from_dict(Dossier, to_dict(dossier)) == dossier


def test_offsets_slice_the_text() -> None:
    text = "Kim sagte: „Ja.“"
    assert Span(12, 15).slice(text) == "Ja."
    c = Citation("a1", 0, 3)
    assert text[c.start : c.end] == "Kim"


def test_outlet_label_fallbacks() -> None:
    base = {"id": "x", "title": "t", "text": "b", "format": "text"}
    assert Article(**base, source="/d/seed_000.txt").outlet_label == "seed_000.txt"
    assert (
        Article(**base, source="u", url="https://www.zeitung.example/a/b").outlet_label
        == "zeitung.example"
    )
    assert Article(**base, source="u", outlet="Bote").outlet_label == "Bote"
