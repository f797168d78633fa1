"""A dossier names a speaker in the nominative, whatever case the sentence gave the phrase."""

from __future__ import annotations

import pytest

from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speakers import describe, heading

DE = lexicon("de")


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Beobachtern", "Beobachter"),  # "Beobachtern zufolge"
        ("Medienberichten", "Medienberichte"),
        ("Russischen Medien", "Russische Medien"),
        ("des russischen Verteidigungsministeriums", "russische Verteidigungsministerium"),
        ("einem Kripo-Beamten", "Kripo-Beamte"),
        ("der Deutschen Bahn", "Deutsche Bahn"),
        ("den Herstellern", "Hersteller"),
        ("Angaben lokaler Medien", "lokale Medien"),
        ("Angaben des Berliner Tagesspiegels", "Berliner Tagesspiegel"),
        # number and names kept, genitive attributes stay genitive
        ("die Menschen in Deutschland", "Menschen"),
        ("Experten", "Experten"),
        ("Kommentatoren", "Kommentatoren"),  # a plural in -en is the same in the dative
        ("den Autoren des Berichts", "Autoren des Berichts"),
        ("Die Terrororganisation „Islamischer Staat“", "Islamischer Staat"),
        ("ein Sprecher des Airports", "Sprecher des Airports"),
        ("Olaf Scholz", "Olaf Scholz"),
        ("Franziskus", "Franziskus"),
    ],
)
def test_speaker_names_are_in_the_nominative(phrase: str, name: str) -> None:
    assert describe(phrase, 0, DE).name == name


def test_an_unresolved_phrase_is_headed_in_its_base_form() -> None:
    assert heading("Angaben des Ministers", DE) == "Minister"
    assert heading("der Sprecher des Krisenstabes", DE) == "Sprecher des Krisenstabes"
    assert heading("er", DE) == "er"


def test_an_indefinite_role_is_a_new_speaker_not_the_last_one_quoted() -> None:
    sp = describe("ein Unternehmenssprecher", 0, DE)
    assert sp.named and sp.name == "Unternehmenssprecher"
    assert not describe("die Zeitung", 0, DE).named  # definite: resolved in the article


def test_a_possessive_genitive_is_named_in_the_nominative() -> None:
    assert describe("Auskunft seines Arztes", 0, DE).name == "Arzt"


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("Medienberichte", "Medien"),  # "Medienberichten zufolge"
        ("Behördenangaben von Freitag", "Behörden"),
        ("Regierungsangaben", "Regierung"),  # the linking s
        ("Unternehmensangaben", "Unternehmen"),
        ("UNO-Angaben", "UNO"),
        ("Aussagen von Zeugen", "Zeugen"),
        ("Angaben", ""),  # "nach Angaben": told, by nobody named
        ("Angaben vom Freitag", ""),
        ("Einschätzung", ""),
        # a group of people, a person, a body: as they are
        ("Regierungskreise", "Regierungskreise"),
        ("Olaf Scholz", "Olaf Scholz"),
        ("Sprecher des Airports", "Sprecher des Airports"),
    ],
)
def test_a_report_is_headed_by_its_owner_never_as_a_speaker(name: str, owner: str) -> None:
    from lagebild.quotes.speakers import source_owner

    assert source_owner(name, DE) == owner
