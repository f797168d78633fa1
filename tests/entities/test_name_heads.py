"""The learnt tables of nouns before person names and before titles of works are what their
builder makes of the silver data."""

from __future__ import annotations

from pathlib import Path

from lagebild.entities.name_heads import build_all, learn, learn_works, shipped_path
from lagebild.entities.ner.data import Tagged


def test_nouns_before_person_names_are_learnt_from_silver_spans() -> None:
    def sent(*pairs: str) -> Tagged:
        return Tagged(tuple(pairs[::2]), tuple(pairs[1::2]))

    data = [
        sent("Trainer", "O", "Peter", "B-PER", "Stöger", "I-PER"),
        sent("Trainer", "O", "Adi", "B-PER", "Hütter", "I-PER"),
        sent("Peter", "B-PER", "lacht", "O"),
        sent("Peter", "O", "Pan", "O"),  # "Peter" starts names far more often than it precedes one
        sent("Peter", "O", "Müller", "B-PER"),
        sent("Nach", "O", "Anna", "B-PER"),
        sent("Nach", "O", "Ben", "B-PER"),
        sent("nach", "O", "x", "O"),
        sent("nach", "O", "y", "O"),
        sent("nach", "O", "z", "O"),  # a capitalised function word: its lower-case form is commoner
    ]
    assert learn(data, frozenset()) == ["trainer"]


def test_nouns_before_titles_are_learnt_from_silver_spans() -> None:
    def sent(*pairs: str) -> Tagged:
        return Tagged(tuple(pairs[::2]), tuple(pairs[1::2]))

    data = [
        sent("den", "O", "Film", "O", "Casablanca", "B-OTH"),
        sent("den", "O", "Film", "O", "„", "O", "Metropolis", "B-MISC"),
        sent("Roman", "O", "Vogel", "B-OTH"),
        sent("Roman", "O", "Ulysses", "B-OTH"),
        sent("Roman", "B-PER", "Polanski", "I-PER"),
        sent("Roman", "B-PER", "Abramowitsch", "I-PER"),  # inside names too often: a first name
        sent("Nach", "O", "Wien", "B-LOC"),
        sent("Nach", "O", "X", "B-OTH"),
        sent("Nach", "O", "Y", "B-OTH"),  # before places too
    ]
    assert learn_works(data, frozenset()) == ["film"]


def test_the_shipped_tables_are_a_rebuild_of_the_silver_pool(shared: Path) -> None:
    for name, text in build_all(shared / "data" / "ner").items():
        assert shipped_path(name).read_text(encoding="utf-8") == text, name
