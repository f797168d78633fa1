"""A name needs evidence: no lower-case trigger nouns, no lone common noun after one, no
inhabitant noun of a known place, and a word found again is as doubtful as where it was found."""

from __future__ import annotations

import pytest

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


def test_a_compound_that_describes_a_business_or_a_country_s_one_is_no_name() -> None:
    found = _found(
        "Der Smartphone-Hersteller baut einen GPS-Sender ein, die Offshore-Firma zahlt. "
        "Der US-Konzern kam in die US-Hauptstadt. Die Bild-Zeitung und die Fidesz-Partei "
        "schrieben aus Mexiko-Stadt an die Sogang-Universität."
    )
    names = {n for n, _ in found}
    for description in ("Smartphone-Hersteller", "GPS-Sender", "Offshore-Firma", "US-Konzern"):
        assert description not in names
    assert "US-Hauptstadt" not in names
    for name in ("Bild-Zeitung", "Fidesz-Partei", "Mexiko-Stadt", "Sogang-Universität"):
        assert name in names


def _entities(text: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """(name, type) of the article's entities, the tagger finding exactly ``names``."""
    from tests.entities.test_canon_entities import ListTagger

    from lagebild.entities import analyze as entities_analyze
    from lagebild.entities import canonical_entities

    doc = entities_analyze(_doc(text), None, ListTagger(names))
    return sorted((e.name, e.type) for e in canonical_entities([doc]))


def test_an_inflected_name_is_listed_as_cited_on_its_own() -> None:
    got = _entities(
        "Verdi streikt bei der Deutschen Post. Neben Francis Poulencs Klavierkonzert spielt "
        "das Duo Musik. Tommy Haas gewann.",
        {"Deutschen Post": "ORG", "Francis Poulencs": "PER", "Tommy Haas": "PER"},
    )
    assert got == [("Deutsche Post", "ORG"), ("Francis Poulenc", "PER"), ("Tommy Haas", "PER")]


def test_a_noun_that_ends_like_an_adjective_keeps_its_ending_in_the_cited_name() -> None:
    from lagebild.entities.lexicon import tagger_words

    if "Hanks" not in tagger_words().named:
        pytest.skip("the shipped tagger's gazetteer does not know 'Hanks'")
    got = _entities(
        "Ein Sprecher der Porsche Holding schwieg. Der Sprecher der Deutschen Post auch. "
        "Danach lief Tom Hanks Film.",
        {"Porsche Holding": "ORG", "Deutschen Post": "ORG", "Tom Hanks": "PER"},
    )
    assert ("Porsche Holding", "ORG") in got  # not "Porscher Holding"
    assert ("Deutsche Post", "ORG") in got  # an adjective news German writes in lower case
    assert ("Tom Hanks", "PER") in got  # a name the silver data knows with its "s"


def test_a_person_genitive_before_an_adjective_and_its_noun_is_cited_without_its_s() -> None:
    from lagebild.entities.lexicon import tagger_words

    known = tagger_words()
    if "Fischer" not in known.surnames or "Fischers" in known.named:
        pytest.skip("the shipped tagger's gazetteer does not know the surname 'Fischer'")
    got = _entities(
        "Heinz Fischers neues Buch erschien. Ray Kurzweils  Theorien sind bekannt. "
        "Todd Haynes lesbisches Liebesdrama lief. Tommy Haas neue Schläger.",
        {
            "Heinz Fischers": "PER",
            "Ray Kurzweils": "PER",
            "Todd Haynes": "PER",
            "Tommy Haas": "PER",
        },
    )
    assert ("Heinz Fischer", "PER") in got  # a surname the silver data knows, plus "s"
    assert ("Ray Kurzweil", "PER") in got  # before a noun, after two spaces
    assert ("Todd Haynes", "PER") in got  # "Hayne" is no surname the silver data knows
    assert ("Tommy Haas", "PER") in got


def test_a_name_after_a_noun_announcing_a_work_is_a_title() -> None:
    got = _entities(
        "Sie schrieb das Drehbuch für den Film Hiroshima. In Hiroshima lebt sie nicht. "
        "Regisseur Roman Polanski kam.",
        {"Hiroshima": "LOC", "Roman Polanski": "PER"},
    )
    assert ("Roman Polanski", "PER") in got
    types = {t for n, t in got if n == "Hiroshima"}
    assert "OTH" in types


def test_a_role_noun_or_common_noun_alone_is_no_person() -> None:
    got = _entities(
        "Entweder der Vizekanzler hat es nicht bemerkt, sagt Frey. Es gibt keine Maske in der "
        "Ausstellung, Frau Haag? Hans Richter kam. Richter lachte.",
        {"Vizekanzler": "PER", "Frey": "PER", "Hans Richter": "PER", "Richter": "PER"},
    )
    names = {n for n, _ in got}
    assert "Vizekanzler" not in names and "Ausstellung" not in names
    assert {"Frey", "Hans Richter"} <= names


def test_a_name_ends_before_a_time_or_decimal_value() -> None:
    got = _entities(
        "Weiter: 12. Max Verstappen (NED) Toro Rosso 1:45,718 – 16. Carlos Sainz. Das Update "
        "auf Bluetooth 4.1 kam.",
        {"Toro Rosso 1:45,718": "ORG", "Max Verstappen": "PER", "Bluetooth 4.1": "OTH"},
    )
    names = {n for n, _ in got}
    assert "Toro Rosso" in names and "Toro Rosso 1:45,718" not in names
    assert "Bluetooth 4.1" in names  # a version number is part of the name


def test_a_number_after_a_name_ends_it_or_counts_something() -> None:
    assert ("Tunis", "LOC") in _found("Damals wurden in der Hauptstadt Tunis 21 Touristen getötet.")
    assert ("Puls 4", "ORG") in _found("Das zeigte der Sender Puls 4 am Abend.")


def test_a_title_starts_after_the_noun_that_announces_it() -> None:
    got = _entities(
        "Nominiert wurde auch Steven Spielbergs Thriller Bridge of Spies.",
        {"Steven Spielbergs": "PER", "Thriller Bridge of Spies": "ORG"},
    )
    assert ("Bridge of Spies", "OTH") in got
    assert not any(n.startswith("Thriller") for n, _ in got)


def test_an_organisation_guessed_from_a_role_compound_alone_is_unsure() -> None:
    from lagebild.entities.propagate import GUESSED_ORG
    from lagebild.entities.update import DOUBT_BELOW

    text = (
        "Der frühere Straßen-Radweltmeister kam. Der ÖVP-Chef kam. Die Zeitung Falter "
        "schrieb, Falter-Journalistin Nina Horaczek fragte."
    )
    found = {m.text: m for m in propagate(_doc(text), [])}
    falter = Mention("a", text.index("Falter"), text.index("Falter") + 6, "Falter", "ORG")
    with_falter = {m.text: m for m in propagate(_doc(text), [falter])}
    assert found["Straßen"].label == "ORG" and found["Straßen"].score == GUESSED_ORG < DOUBT_BELOW
    assert found["ÖVP"].score is None  # an acronym is evidence of a name
    assert [m.score for m in with_falter.values() if m.text == "Falter"] == [None]


def test_a_common_noun_or_compound_of_one_before_a_name_is_no_part_of_it() -> None:
    got = _entities(
        "Das sagt Jagdleiter Koller. Es spielen Die Toten Hosen. Sie sprach mit der "
        "Bundesvereinigung Logistik.",
        {"Jagdleiter Koller": "PER", "Die Toten Hosen": "OTH", "Bundesvereinigung Logistik": "ORG"},
    )
    assert ("Koller", "PER") in got and not any(n.startswith("Jagdleiter") for n, _ in got)
    assert ("Die Toten Hosen", "OTH") in got  # an article opens the name
    assert ("Bundesvereinigung Logistik", "ORG") in got  # an institution's own name


def test_a_one_word_name_loses_only_to_a_longer_form_that_holds_it() -> None:
    from collections import Counter

    from lagebild.entities.canon import _name

    def name(counts: dict[str, int]) -> str:
        return _name([], Counter(counts), {t: i for i, t in enumerate(counts)})

    assert name({"Großbritannien": 46, "Vereinigten Königreich": 1}) == "Großbritannien"
    assert name({"Merkel": 9, "Angela Merkel": 2}) == "Angela Merkel"
    assert name({"Wostotschny": 5, "Kosmodrom Wostotschny": 1}) == "Kosmodrom Wostotschny"
    # a second space is no case ending, nor are capitals added to an acronym
    spaced = {"Red Bull Salzburg": 14, "Salzburg": 3, "Red Bull  Salzburg": 1}
    assert name(spaced) == "Red Bull Salzburg"
    assert name({"USA": 160, "US": 24}) == "USA"
    assert name({"Kims": 3, "Kim": 1}) == "Kim"


def test_a_role_word_inside_an_organisation_the_tagger_is_sure_of_names_no_person() -> None:
    got = _entities(
        "Beschäftigte protestierten beim Konzern General Electric. Dann spielte die Premier "
        "League.",
        {"General Electric": "ORG", "Premier League": "ORG"},
    )
    assert ("General Electric", "ORG") in got and ("Premier League", "ORG") in got
    assert not any(t == "PER" for _, t in got)  # not "Electric", "League" after a role word


def test_a_part_of_a_compound_is_no_name() -> None:
    got = _entities(
        "Die Wälder schrumpfen in Nord- und Südamerika.\n\nFrankfurt am Main- Die Lufthansa fliegt.",
        {"Nord-": "LOC", "Südamerika": "LOC", "Frankfurt am Main-": "LOC", "Lufthansa": "ORG"},
    )
    names = {n for n, _ in got}
    assert "Nord-" not in names and "Südamerika" in names
    assert "Frankfurt am Main" in names  # a dateline's dash is no part of the place


def test_a_name_is_listed_as_cited_in_another_case_of_it() -> None:
    got = _entities(
        "Helfer kamen vom Roten Kreuz. Das Rote Kreuz half. Im Roten Kreuz arbeiten viele.",
        {"Roten Kreuz": "ORG", "Rote Kreuz": "ORG"},
    )
    assert ("Rotes Kreuz", "ORG") in got
    from collections import Counter

    from lagebild.entities.canon import cited_name

    assert cited_name("Zweiten Weltkrieg", Counter()) == "Zweiten Weltkrieg"  # no evidence
    other = Counter({("Zweite Weltkrieg", "Zweiter Weltkrieg"): 1})
    assert cited_name("Zweiten Weltkrieg", other) == "Zweiter Weltkrieg"
    assert cited_name("Roten Armee", other) == "Roten Armee"  # another name


def test_a_compound_that_describes_the_next_name_is_none_itself() -> None:
    got = _entities(
        "Das berichtete das US-Magazin Wired. Der TV-Sender RTS meldete es. Die "
        "Sogang-Universität in Seoul lehrt.",
        {"Wired": "ORG", "RTS": "ORG", "Seoul": "LOC"},
    )
    names = {n for n, _ in got}
    assert {"Wired", "RTS", "Sogang-Universität", "Seoul"} <= names
    assert "US-Magazin" not in names and "TV-Sender" not in names


def test_a_name_introduced_as_a_work_is_that_work_throughout_the_article() -> None:
    got = _entities(
        "Bekannt wurde er durch die Miniserie Braunschlag. Wie Braunschlag spielt auch das neue "
        "Stück in der Provinz. Sein Vater war ein Mitglied Hamas. Das Mitglied Türkei stimmte zu. "
        "Die Türkei lehnte ab.",
        {"Braunschlag": "LOC", "Hamas": "ORG", "Türkei": "LOC"},
    )
    assert ("Braunschlag", "OTH") in got and ("Braunschlag", "LOC") not in got
    # "Mitglied" ends in "lied" but announces no song; a frequent place stays a place
    assert ("Hamas", "ORG") in got and ("Türkei", "LOC") in got


def test_an_outlet_of_the_media_list_after_a_work_noun_stays_the_outlet() -> None:
    """EXPECTED.md (seed 000): "in einer Talkshow Rossija 1" names the channel (ORG)."""
    got = _entities(
        "Das sagte der Politologe Nikolai Starikow in einer Talkshow Rossija 1. Er lobte Kim.",
        {"Nikolai Starikow": "PER", "Kim": "PER"},
    )
    assert ("Rossija 1", "ORG") in got, got


def test_a_letter_standing_for_a_name_is_none() -> None:
    got = _entities(
        "Die Partei B will Steuern senken. Partei B liegt bei zehn Prozent, die Partei C auch.",
        {"B": "ORG", "C": "ORG"},
    )
    assert got == []


def test_a_sentence_opening_function_word_or_article_is_no_part_of_a_name() -> None:
    got = _entities(
        "Nachdem CDU und SPD sich geeinigt hatten, kam der Bundesrat. Das Amtsgericht Essen "
        "entschied. Sie hören gern die Band Die Toten Hosen. Die Presse berichtete.",
        {
            "Nachdem CDU": "ORG", "SPD": "ORG", "Bundesrat": "ORG",
            "Das Amtsgericht Essen": "ORG", "Die Toten Hosen": "ORG", "Die Presse": "ORG",
        },
    )  # fmt: skip
    names = {n for n, _ in got}
    assert {"CDU", "Amtsgericht Essen"} <= names
    assert not {"Nachdem CDU", "Das Amtsgericht Essen"} & names
    # inside a sentence an article belongs to the name; a medium keeps its own
    assert {"Die Toten Hosen", "Die Presse"} <= names


def test_a_relative_clause_after_a_comma_is_no_apposition() -> None:
    from lagebild.entities.context import context_candidates

    def found(text: str) -> list[tuple[str, str]]:
        return [(text[c.start : c.end], c.label) for c in context_candidates(_doc(text))]

    # "der die Stadt … besucht" is a relative clause with its own object: no apposition
    assert found("Er ist der erste Papst, der die Stadt im Osten besucht.") == []
    # a role or common noun before the comma names nobody
    assert found("Sein Vertreter, der Kanzleramtsminister, kam.") == []
    # an apposition says what the name is
    assert ("Ussurijsk", "LOC") in found("Sie flogen nach Ussurijsk, einer Stadt im Osten.")


def test_a_persons_name_goes_on_over_a_capitalised_particle() -> None:
    got = _entities(
        "Gewählt wurde Alexander Van der Bellen. Vor der Wahl lag Van der Bellen vorn.",
        {"Alexander Van": "PER", "Van": "PER"},
    )
    assert ("Alexander Van der Bellen", "PER") in got
    assert not any(n in ("Alexander Van", "Van") for n, _ in got)


def test_every_gender_table_example_is_cited_in_its_strong_form() -> None:
    """The ``EXAMPLE:`` lines of genders.tsv: "im Roten Kreuz => Rotes Kreuz"; the name is
    the last words of the left side, as many as the right side has."""
    from importlib import resources

    from lagebild.entities.canon import name_form_of
    from lagebild.model import Mention

    path = resources.files("lagebild").joinpath("resources", "entities", "de", "genders.tsv")
    examples = [
        line.split("EXAMPLE:", 1)[1].split(" => ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "EXAMPLE:" in line
    ]
    assert len(examples) >= 5
    for left, right in examples:
        n = len(right.split())
        name = " ".join(left.split()[-n:])
        text = f"Es hieß {left.strip()} gestern."
        start = text.index(name)
        m = Mention("a", start, start + len(name), name, "ORG")
        assert name_form_of(text, m) == right.strip(), left
    # a head noun the table does not list, and a name with no weak adjective, stay as written
    for text, name in (
        ("im Neuen Pferdeschwanz stand", "Neuen Pferdeschwanz"),
        ("im Roten", "Roten"),
    ):
        start = text.index(name)
        assert name_form_of(text, Mention("a", start, start + len(name), name, "ORG")) == ""


def test_english_and_french_sentence_openers_are_no_part_of_a_name() -> None:
    got = _entities(
        "While CrowdStrike fixed the update, airlines waited. As Europe slept, While was"
        " nobody. Selon Keystone-ATS, la panne a duré. AS Rom siegte.",
        {"While CrowdStrike": "PER", "As Europe": "ORG", "While": "PER",
         "Selon Keystone-ATS": "ORG", "AS Rom": "ORG"},
    )  # fmt: skip
    names = {n for n, _ in got}
    assert {"CrowdStrike", "Europe", "Keystone-ATS", "AS Rom"} <= names  # an acronym stays
    assert not {"While CrowdStrike", "As Europe", "While", "Selon Keystone-ATS"} & names


def test_closed_class_words_that_open_an_english_heading_are_no_name() -> None:
    """Title-case headings and sentence openers: a determiner, preposition, wh-word or
    pronoun is cut from the name after it, or dropped when it stands alone; a work's title
    inside a sentence keeps its first word."""
    got = _entities(
        "Within Delhi prices rose again. Every React developer knows it. Each was new. Why"
        " Gucci Wins. Fans still quote That Thing You Do! every year.",
        {"Within Delhi": "LOC", "Every React": "ORG", "Each": "PER", "Why Gucci": "ORG",
         "That Thing You Do!": "OTH"},
    )  # fmt: skip
    names = {n for n, _ in got}
    assert {"Delhi", "React", "Gucci", "That Thing You Do!"} <= names
    assert not {"Within Delhi", "Every React", "Each", "Why Gucci", "Thing You Do!"} & names
