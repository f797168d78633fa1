"""Which entity a speaker span resolves to when it holds several names."""

from __future__ import annotations

from lagebild.model import Article
from lagebild.pipeline import Pipeline


def test_speaker_with_an_organisation_compound_is_the_person() -> None:
    text = (
        "Die Pilotengewerkschaft Aerosyn hat zum Streik aufgerufen. "
        "„Die Geduld unserer Mitglieder ist am Ende“, sagte Aerosyn-Chefin Jana Petersen in Hamburg."
    )
    art = Article(id="a", title="Streik", text=text, source="a", format="text", language="de")
    doc = Pipeline()(art)
    direct = [q for q in doc.quotes if q.form == "direct"]
    assert direct and direct[0].speaker_name == "Jana Petersen"
    petersen = {m.entity_id for m in doc.mentions if m.text == "Jana Petersen"}
    aerosyn = {m.entity_id for m in doc.mentions if m.text.endswith("Aerosyn")}
    assert petersen and direct[0].speaker_entity in petersen
    assert direct[0].speaker_entity not in aerosyn


def test_english_quote_then_subject_then_verb() -> None:
    text = '"Our members\' patience has run out," union leader Jana Petersen said in Hamburg.'
    art = Article(id="b", title="Strike", text=text, source="b", format="text", language="en")
    quotes = Pipeline()(art).quotes
    assert [(q.form, q.speaker_name) for q in quotes] == [("direct", "Jana Petersen")]
    assert quotes[0].message_text.startswith('"Our members')
