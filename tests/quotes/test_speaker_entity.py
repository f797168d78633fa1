"""Which entity a speaker span resolves to when it holds several names."""

from __future__ import annotations

from lagebild.model import Article, Doc
from lagebild.pipeline import Pipeline


def _doc(text: str, lang: str = "de") -> Doc:
    """``text`` through every per-article stage (entities before quotes)."""
    art = Article(id="t", title="Titel", text=text, source="t", format="text", language=lang)
    return Pipeline()(art)


def test_speaker_with_an_organisation_compound_is_the_person() -> None:
    text = (
        "Die Pilotengewerkschaft Aerosyn hat zum Streik aufgerufen. "
        "„Die Geduld unserer Mitglieder ist am Ende“, sagte Aerosyn-Chefin Jana Petersen in Hamburg."
    )
    doc = _doc(text)
    direct = [q for q in doc.quotes if q.form == "direct"]
    assert direct and direct[0].speaker_name == "Jana Petersen"
    petersen = {m.entity_id for m in doc.mentions if m.text == "Jana Petersen"}
    aerosyn = {m.entity_id for m in doc.mentions if m.text.endswith("Aerosyn")}
    assert petersen and direct[0].speaker_entity in petersen
    assert direct[0].speaker_entity not in aerosyn


def test_english_quote_then_subject_then_verb() -> None:
    text = '"Our members\' patience has run out," union leader Jana Petersen said in Hamburg.'
    quotes = _doc(text, "en").quotes
    assert [(q.form, q.speaker_name) for q in quotes] == [("direct", "Jana Petersen")]
    assert quotes[0].message_text.startswith('"Our members')


def test_organisation_nouns_refer_to_the_organisation_introduced_with_that_kind() -> None:
    text = (
        "Die Pilotengewerkschaft Aerosyn hat zu einem Streik bei der Fluggesellschaft Nordwind "
        "Air aufgerufen. Der Ausstand soll am Mittwoch beginnen, teilte die Gewerkschaft mit. "
        "Nach Angaben des Unternehmens fallen 180 Flüge aus."
    )
    doc = _doc(text)
    names = {m.entity_id: m.text for m in doc.mentions}
    got = {q.speaker_text: names.get(q.speaker_entity or "") for q in doc.quotes}
    assert got["die Gewerkschaft"] == "Aerosyn"  # not the organisation named last
    assert got["Angaben des Unternehmens"] == "Nordwind Air"


def test_organisation_kinds_match_compounds_and_genitives() -> None:
    from lagebild.quotes.orgrefs import kind_of

    assert kind_of("Pilotengewerkschaft", "de") == kind_of("Gewerkschaft", "de") == "union"
    assert kind_of("Unternehmens", "de") == kind_of("Fluggesellschaft", "de") == "company"
    assert kind_of("Sprecher", "de") is None and kind_of("airline", "en") == "company"


def test_a_spokesman_speaks_for_the_organisation_named_just_before() -> None:
    text = (
        "„Die Geduld ist am Ende“, sagte Aerosyn-Chefin Jana Petersen. Die Fluggesellschaft "
        "Nordwind Air kritisierte den Aufruf. Das Angebot sei fair, sagte ein Sprecher."
    )
    doc = _doc(text)
    names = {m.entity_id: m.text for m in doc.mentions}
    spokes = [q for q in doc.quotes if q.speaker_text == "ein Sprecher"]
    assert spokes and names.get(spokes[0].speaker_entity or "") == "Nordwind Air"


def test_a_pronoun_speaker_is_the_person_named_in_the_sentence_before() -> None:
    text = (
        "„Die Geduld ist am Ende“, sagte Aerosyn-Chefin Jana Petersen. Der Unternehmenssprecher "
        "Martin Oehler reagierte gelassen. Die Gewerkschaft nehme Urlauber in Geiselhaft, sagte er."
    )
    doc = _doc(text)
    er = [q for q in doc.quotes if q.speaker_text == "er"]
    assert er and er[0].speaker_name == "Martin Oehler"  # not the last person quoted
