"""A speaker is a person, an organisation, a role noun or a pronoun resolved to one: never an
adverb, a prepositional phrase or a document (issue 16), in both modes."""

from __future__ import annotations

import pytest

from lagebild.config import Config
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.quotes import quotes_of
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speaker_type import speaker_tokens
from lagebild.quotes.speakers import describe
from lagebild.quotes.view import View


def _kept(sentence: str, phrase: str, lang: str = "de") -> str:
    """What ``speaker_tokens`` keeps of ``phrase`` inside ``sentence`` (tokens split on spaces)."""
    toks = tuple(sentence.split())
    doc = doc_of(GoldDoc("t", (toks,), ()))
    v = View.of(doc, lexicon(lang))
    words = phrase.split()
    i = next(i for i in range(len(toks)) if list(toks[i : i + len(words)]) == words)
    return " ".join(v.text[k] for k in speaker_tokens(v, range(i, i + len(words))))


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Bisher sei das nicht geschehen .", "Bisher"),
        ("Gemeinhin gilt , dass das lange dauert .", "Gemeinhin"),
        ("Bisher sagte er nichts dazu .", "Bisher"),
        ("Zwar behaupten zeitzeugige Herren gerne , es sei gut .", "Zwar"),
        ("Dabei meldeten sich vor allem Männer zu Wort .", "Dabei"),
        (
            "Diese Pressemitteilung betont , dass die Straße gesperrt bleibe .",
            "Diese Pressemitteilung",
        ),
        ("Das sei gut , heißt es in der Studie .", "in der Studie"),
        ("Das sei gut , laut Klage .", "Klage"),
        ("Das Urteil sei gefallen , heißt es im Rundschreiben .", "Rundschreiben"),
        ("Das sei ernst , wie der Foulpfiff zeigt .", "der Foulpfiff"),
        ("Es wurde kalt , als der Regen am Abend nachließ .", "der Regen"),  # no verb of saying
        # a time in subject position before or after the verb names no one
        ("Sonntagfrüh gab es Razzien , wie die Polizei mitteilte .", "Sonntagfrüh"),
        ("Gestiegen ist dem Bericht vom Donnerstag zufolge die Zahl .", "vom Donnerstag"),
        # a source run over a verb: the phrase next to "zufolge" is a report without owner
        (
            "In der Stadt Suzu stürzten Berichten zufolge viele Häuser ein .",
            "der Stadt Suzu stürzten Berichten",
        ),
        # "nach eigenen Angaben": what follows is the statement's object, not an owner
        (
            "Die Bahn bereitet nach eigenen Angaben einen Notfahrplan vor .",
            "eigenen Angaben einen Notfahrplan",
        ),
        (
            "Sie kann nach eigenen Angaben dessen Tod nicht bestätigen .",
            "eigenen Angaben dessen Tod",
        ),
    ],
)
def test_adverbs_documents_and_things_name_no_speaker(sentence: str, phrase: str) -> None:
    assert _kept(sentence, phrase) == ""


@pytest.mark.parametrize(
    ("sentence", "phrase", "kept"),
    [
        ("Das sei gut , sagte der Fraktionschef .", "der Fraktionschef", "der Fraktionschef"),
        ("Das sei gut , sagte Mitterlehner .", "Mitterlehner", "Mitterlehner"),
        ("Das sei gut , sagte Schäuble .", "Schäuble", "Schäuble"),
        ("Das sei gut , laut Polizeiangaben .", "Polizeiangaben", "Polizeiangaben"),
        ("Das sei gut , so der EuGH .", "der EuGH", "der EuGH"),
        ("Die Caritas teilte mit , dass Kleidung fehle .", "Die Caritas", "Die Caritas"),
        ("Das sei gut , sagte der Däne .", "der Däne", "der Däne"),
        ("Kurz sagte am Montag , das sei nicht hinzunehmen .", "Kurz", "Kurz"),
        ("Das sei gut , heißt es im Bericht der Polizei .", "Bericht der Polizei", "der Polizei"),
        ("Das sei ernst , aus ihrer Sicht .", "aus ihrer Sicht", "ihrer"),
        ("Dann gab er per Schreiben bekannt , er sei krank .", "er per Schreiben", "er"),
        ("Das sei gut , hieß es von der Polizei .", "von der Polizei", "der Polizei"),
        ("Das sei nicht hinnehmbar , so Gall .", "Gall", "Gall"),
        ("Besorgt äußerte sich Kofi Annan über die Lage .", "Kofi Annan", "Kofi Annan"),
        ("Das sei gut , heißt es auf faz.net .", "faz.net", "faz.net"),
        ("Das sei gut , sagte die Bank .", "die Bank", "die Bank"),
        # a subordinate clause puts its verb last, after an adverbial
        (
            "Wie die Franzosen am Mittwoch mitteilten , stieg der Gewinn .",
            "die Franzosen",
            "die Franzosen",
        ),
        # the addressee or object after the speaker is cut off
        (
            "Dazu fordert Ryanair-Chef Michael O'Leary ein Getränke-Limit .",
            "Ryanair-Chef Michael O'Leary ein Getränke-Limit",
            "Ryanair-Chef Michael O'Leary",
        ),
        ("Das gehe nicht , sagte einst Witali Smirnow .", "einst Witali Smirnow", "Witali Smirnow"),
        (
            "Das sei gut , sagte der Sprecher dem Sender .",
            "der Sprecher dem Sender",
            "der Sprecher",
        ),
        (
            "Er sei eingeschlafen , teilte die Familie einem Bericht des Magazins Kicker mit .",
            "die Familie einem Bericht des Magazins Kicker",
            "die Familie",
        ),
        (
            "Das Wasser lief nach Feuerwehrangaben Abhänge hinunter .",
            "Feuerwehrangaben Abhänge",
            "Feuerwehrangaben",
        ),
        # owners of a report stay: genitive, "aus", a possessive, a genitive without article
        (
            "Das sei gut , sagte der Sprecher der Polizei .",
            "der Sprecher der Polizei",
            "der Sprecher der Polizei",
        ),
        (
            "Das sei gut , nach Angaben aus Justizkreisen .",
            "Angaben aus Justizkreisen",
            "Angaben aus Justizkreisen",
        ),
        (
            "Das sei gut , laut Angaben ihrer Witwen .",
            "Angaben ihrer Witwen",
            "Angaben ihrer Witwen",
        ),
        (
            "Das sei gut , nach Angaben lokaler Medien .",
            "Angaben lokaler Medien",
            "Angaben lokaler Medien",
        ),
        (
            "Laut Angaben der beteiligten Wissenschafter sei das gut .",
            "Angaben der beteiligten Wissenschafter",
            "Angaben der beteiligten Wissenschafter",
        ),
        # a verb splits a source only next to a report ("laut Angaben … stürzten")
        (
            "Gleich nach Bekanntwerden der Vorwürfe forderte Staatschef Klaus Johannis den Rücktritt .",
            "Bekanntwerden der Vorwürfe forderte Staatschef Klaus Johannis",
            "Bekanntwerden der Vorwürfe forderte Staatschef Klaus Johannis",
        ),
        ("Laut Rabl lagen die Ausgaben bei 269.000 Euro .", "Rabl lagen die Ausgaben", "Rabl"),
        # a coordinated owner is the speaker
        (
            "Fernsehberichten und der örtlichen Feuerwehr zufolge brannten Häuser .",
            "Fernsehberichten und der örtlichen Feuerwehr",
            "der örtlichen Feuerwehr",
        ),
        (
            "Das sei gut , sagten die verletzten Passagiere .",
            "die verletzten Passagiere",
            "die verletzten Passagiere",
        ),
    ],
)
def test_people_bodies_names_and_owners_are_speakers(sentence: str, phrase: str, kept: str) -> None:
    assert _kept(sentence, phrase) == kept


def test_a_possessive_speaker_is_resolved_like_its_pronoun() -> None:
    sp = describe("ihrer", 10, lexicon("de"))
    assert not sp.named and sp.kind == lexicon("de").pronouns["sie"]


def test_a_language_without_the_word_classes_keeps_its_sources() -> None:
    assert (
        _kept("So far , the report said , nothing happened .", "the report", "en") == "the report"
    )


def test_both_modes_give_a_document_owner_not_the_document() -> None:
    text = (
        "Die Studie zeigt, dass die Preise steigen werden. Laut Bericht der BBC sei die Lage "
        "ernst. Diese Pressemitteilung betont, dass die Straße gesperrt bleibe."
    )
    art = Article(id="s", title="", text=text, source="s", format="text", language="de")
    doc = Pipeline(Config(fast=True))(art)
    for fast in (True, False):
        speakers = {q.speaker_text for q in quotes_of(doc, fast=fast)}
        assert "der BBC" in speakers
        assert not speakers & {"Bericht der BBC", "Diese Pressemitteilung"}


def test_a_name_the_tagger_ran_into_the_addressee_ends_before_it() -> None:
    text = (
        "Die Stellen sollen um ein Drittel reduziert werden, sagte Galeria-Chef Miguel "
        "Müllenbach der Frankfurter Allgemeinen Zeitung. Das sei gut, sagte Bundespräsident "
        "Alexander Van der Bellen."
    )
    art = Article(id="s", title="", text=text, source="s", format="text", language="de")
    doc = Pipeline(Config(fast=True))(art)
    for fast in (True, False):
        speakers = {q.speaker_text: q.speaker_name for q in quotes_of(doc, fast=fast)}
        assert speakers.get("Galeria-Chef Miguel Müllenbach") == "Miguel Müllenbach"
        assert (
            speakers.get("Bundespräsident Alexander Van der Bellen") == "Alexander Van der Bellen"
        )


def test_a_measure_after_a_number_is_no_name() -> None:
    lex = lexicon("de")
    assert describe("Eine 39 Jahre alte Frau", 0, lex).name != "Jahre"
    assert describe("Der 68 Jahre alte Zekeriya Gunes", 0, lex).name == "Zekeriya Gunes"
