"""A name needs evidence: no lower-case trigger nouns, no lone common noun after one, no
inhabitant noun of a known place, and a word found again is as doubtful as where it was found."""

from __future__ import annotations

from lagebild.entities.places import place_fixes
from lagebild.entities.propagate import propagate
from lagebild.entities.rules import candidates
from lagebild.model import Article, Doc, Mention
from lagebild.text import analyze


def _doc(text: str) -> Doc:
    art = Article(id="a", title="t", text=text, source="s", format="text", language="de")
    return analyze(Doc(art))


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[c.start : c.end], c.label) for c in candidates(_doc(text))]


def test_a_lower_case_word_is_no_trigger_noun() -> None:
    # "wachsender" ends in "sender" (a broadcaster): an adjective, so no name follows it
    assert _found("Es gab wachsender Spannungen zwischen den Staaten.") == []
    assert _found("Das Smartphone mit passender App liegt da.") == []
    # the noun itself still announces a name
    assert ("Times Now", "ORG") in _found("Das berichtete der Nachrichtensender Times Now.")


def test_a_lone_common_noun_after_a_trigger_is_no_name_unless_said_twice() -> None:
    assert _found("Darüber schwieg der Korrespondenten Thema hier.") == []
    assert _found("Ich muss der Polizeigewerkschaft Recht geben.") == []
    twice = _found("Die Gewerkschaft Cockpit streikt. Die Gewerkschaft Cockpit klagt.")
    assert twice.count(("Cockpit", "ORG")) == 2
    assert ("Dmitri Peskow", "PER") in _found("Das sagte Kreml-Sprecher Dmitri Peskow.")


def test_inhabitant_nouns_of_a_known_place_are_no_places() -> None:
    text = "Die Mutter ist Serbin, die Freundin ist Polin. Sie wohnt in Berlin."
    doc = _doc(text)
    ms = [
        Mention("a", text.index(w), text.index(w) + len(w), w, "LOC")
        for w in ("Serbin", "Polin", "Berlin")
    ]
    assert [m.text for m in place_fixes(doc, ms)] == ["Berlin"]


def test_a_genitive_found_again_keeps_the_doubt_of_the_name() -> None:
    text = "Sie goss Setzlinge in Beton ein. Die Materialität des Betons bleibt."
    doc = _doc(text)
    beton = Mention("a", text.index("Beton"), text.index("Beton") + 5, "Beton", "LOC", score=0.7)
    out = {m.text: m.score for m in propagate(doc, [beton])}
    assert out == {"Beton": 0.7, "Betons": 0.7}
