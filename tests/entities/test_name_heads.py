"""The learnt table of nouns before person names is what its builder makes of the silver data."""

from __future__ import annotations

from pathlib import Path

from lagebild.entities.name_heads import build, learn, shipped_path
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


def test_the_shipped_table_is_a_rebuild_of_the_silver_pool(shared: Path) -> None:
    assert shipped_path().read_text(encoding="utf-8") == build(shared / "data" / "ner")
