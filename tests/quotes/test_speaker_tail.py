"""A speaker phrase ends where the phrase does: no adverb, verb, time or object after it."""

from __future__ import annotations

import pytest

from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speaker_type import tail_cut
from lagebild.quotes.view import View


def cut(phrase: str) -> str:
    """The phrase as the source of "PHRASE sagte , es sei ernst ." after ``tail_cut``."""
    words = phrase.split()
    gold = GoldDoc("d", ((*words, "sagte", ",", "es", "sei", "ernst", "."),), ())
    v = View.of(doc_of(gold), lexicon("de"))
    return " ".join(v.text[k] for k in tail_cut(v, tuple(range(len(words)))))


@pytest.mark.parametrize(
    ("phrase", "speaker"),
    [
        ("Svindal weiters", "Svindal"),
        ("Zahlreiche Kritiker halten das", "Zahlreiche Kritiker"),
        ("die Veranstalter immer wieder", "die Veranstalter"),
        ("die mazedonischen Behörden am Mittwochvormittag", "die mazedonischen Behörden"),
        ("Vizekanzler Reinhold Mitterlehner Montagmittag", "Vizekanzler Reinhold Mitterlehner"),
        ("Gauland in der ARD", "Gauland"),
        ("Havranek ( er", "Havranek"),
        # what belongs to the phrase stays
        ("der Sprecher des russischen Ministeriums", "der Sprecher des russischen Ministeriums"),
        ("Angaben lokaler Medien", "Angaben lokaler Medien"),
        ("Angaben aus Moskau", "Angaben aus Moskau"),
        ("Die Energieministerin in Wien", "Die Energieministerin in Wien"),
        ("Informationen der dpa", "Informationen der dpa"),
        (
            "Igor Konaschenkow vom Verteidigungsministerium",
            "Igor Konaschenkow vom Verteidigungsministerium",
        ),
        ("Bundeskanzler Olaf Scholz ( SPD )", "Bundeskanzler Olaf Scholz ( SPD )"),
        ("die Polizei und die Feuerwehr", "die Polizei und die Feuerwehr"),
        ("Die türkische Regierung", "Die türkische Regierung"),
        (
            "Peter Kolba , Leiter der Rechtsabteilung in Wien",
            "Peter Kolba , Leiter der Rechtsabteilung in Wien",
        ),
    ],
)
def test_tail_cut(phrase: str, speaker: str) -> None:
    assert cut(phrase) == speaker


@pytest.mark.parametrize(
    "phrase",
    [
        "Angaben der nationalen türkischen Katastrophenbehörde",
        "Mehrere japanische TV-Sender",
        "das im US-Bundesstaat Hawaii ansässige Warnzentrum",
        "Die Unterhändler beider Seiten",
    ],
)
def test_a_whole_phrase_stays_whole(phrase: str) -> None:
    assert cut(phrase) == phrase
