"""What a reader sees of a statement: its words and its speaker, not the seams around a
speaker set off by commas inside it."""

from __future__ import annotations

import pytest

from lagebild.config import Config
from lagebild.model import Article, Quote
from lagebild.pipeline import Pipeline


def _quotes(text: str) -> list[Quote]:
    art = Article(id="t", title="t", text=text, source="t", format="text", language="de")
    doc, _ = Pipeline(Config(fast=True)).run(art)
    return list(doc.quotes)


def test_a_statement_is_not_cut_at_a_comma() -> None:
    got = _quotes(
        "Der Attentäter von Halle, er ist verurteilt. Eigentlich, so die Vorsitzende Richterin "
        "Ursula Mertens, halte sie ihre Urteilsbegründungen immer frei. „Aber hier musste ich "
        "mich zwingen, die Begründung aufzuschreiben.“"
    )
    assert got[0].message_text == "halte sie ihre Urteilsbegründungen immer frei"


@pytest.mark.parametrize(
    ("text", "speaker", "opens"),
    [
        (
            "Die Lage, sagte Innenminister Karl Huber, sei unter Kontrolle.",
            "Karl Huber",
            "Die Lage",
        ),
        ("Die Gespräche, sagte sie, seien konstruktiv gewesen.", "sie", "Die Gespräche"),
        ("Die Lage, sagte er am Montag, sei ernst.", "er", "Die Lage"),
        ("Der Schaden, teilte die Polizei am Abend mit, gehe in die Millionen.", "Polizei", "Der"),
    ],
)
def test_a_speaker_set_off_by_commas_inside_the_statement_speaks(
    text: str, speaker: str, opens: str
) -> None:
    (q,) = _quotes(text)
    assert q.speaker_text.endswith(speaker), q
    assert q.message_text.startswith(opens), q  # the words before the speaker are kept


def test_a_pronoun_asked_is_no_speaker() -> None:
    (q,) = _quotes("Die Lage, fragte sie der Reporter, sei doch ernst?")
    assert q.speaker_text != "sie"
