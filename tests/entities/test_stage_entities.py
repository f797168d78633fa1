"""The per-article entities stage: tagger + rules + gazetteers, linked within the article."""

from __future__ import annotations

import re

import pytest

from lagebild.config import Config
from lagebild.entities import NAME, VERSION, RulesOnly, analyze
from lagebild.entities.lexicon import examples
from lagebild.entities.rules import role_of
from lagebild.model import Article, Doc, Mention
from lagebild.text import analyze as text_analyze


class ListTagger:
    """A fake NER tagger: tags every occurrence of the given surface forms."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        text = doc.article.text
        out = []
        for name, label in self.names.items():
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                out.append(Mention(doc.id, m.start(), m.end(), name, label))  # type: ignore[arg-type]
        return tuple(out)


def _text_doc(text: str, lang: str = "de") -> Doc:
    art = Article(id="x", title="t", text=text, source="x", format="text", language=lang)
    return text_analyze(Doc(article=art))


RULE_EXAMPLES = [e for e in examples() if e.op == "=>"]


@pytest.mark.parametrize("ex", RULE_EXAMPLES, ids=lambda e: f"{e.source}:{e.left}")
def test_rule_examples(ex) -> None:
    doc = analyze(_text_doc(ex.left, ex.lang), None, RulesOnly())
    found = {(m.text, m.label) for m in doc.mentions if m.source != "coref"}
    if ex.right == "-":
        assert not found, ex.source
    else:
        text, label = ex.right.rsplit(" ", 1)
        assert (text, label) in found, (ex.source, found)


def test_stage_contract() -> None:
    doc = analyze(
        _text_doc("Laut Interfax traf Präsident Wladimir Putin in Moskau ein."),
        None,
        ListTagger({"Moskau": "LOC"}),
    )
    assert doc.stages[-1] == f"{NAME}@{VERSION}" and VERSION >= 1
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)
    for m in doc.mentions:
        assert doc.article.text[m.start : m.end] == m.text
        assert m.article_id == "x" and m.entity_id
    assert {(m.text, m.label, m.source) for m in doc.mentions} == {
        ("Interfax", "ORG", "gazetteer"),
        ("Wladimir Putin", "PER", "rule"),
        ("Moskau", "LOC", "ner"),
    }


def test_config_none_means_rules_only() -> None:
    config = Config().with_("entities", ner="none")
    doc = analyze(_text_doc("Die Nachrichtenagentur Yonhap meldete, Seoul sei besorgt."), config)
    assert [(m.text, m.label) for m in doc.mentions] == [("Yonhap", "ORG")]


def test_rules_win_over_the_tagger_where_they_overlap() -> None:
    tagger = ListTagger(
        {"New York": "LOC", "Rossija": "LOC", "Kreml-Sprecher Dmitri Peskow": "PER"}
    )
    doc = analyze(
        _text_doc(
            "Die „New York Times“ berichtete, Rossija 24 zeigte Bilder, sagte Kreml-Sprecher Dmitri Peskow."
        ),
        None,
        tagger,
    )
    got = {(m.text, m.label) for m in doc.mentions}
    assert ("New York Times", "ORG") in got and ("Rossija 24", "ORG") in got
    assert ("New York", "LOC") not in got


def test_role_rule_and_tagger_agree_on_extent_and_type() -> None:
    text = (
        "Der Staatschef Kim Jong Un reiste. Der Führer Nordkoreas schwieg. Präsident Lula sprach."
    )
    doc = analyze(_text_doc(text), None, ListTagger({"Kim Jong": "PER", "Nordkoreas": "LOC"}))
    got = {(m.text, m.label) for m in doc.mentions}
    assert ("Kim Jong Un", "PER") in got  # the longer of the two spans
    assert ("Nordkoreas", "LOC") in got and ("Lula", "PER") in got
    rules_only = analyze(_text_doc(text), None, RulesOnly())
    assert "Nordkoreas" not in {m.text for m in rules_only.mentions}


def test_role_nouns_refer_back_to_the_person_they_introduced() -> None:
    doc = analyze(
        _text_doc(
            "Kreml-Sprecher Dmitri Peskow sagte nichts. Später erklärte der Kreml-Sprecher, es gebe keinen Termin."
        ),
        None,
        RulesOnly(),
    )
    by_text = {(m.text, m.source): m for m in doc.mentions}
    name, ref = by_text[("Dmitri Peskow", "rule")], by_text[("Kreml-Sprecher", "coref")]
    assert ref.entity_id == name.entity_id and ref.label == "PER"
    assert ("Kreml", "rule") in by_text and by_text[("Kreml", "rule")].label == "ORG"


def test_role_nouns_in_compounds() -> None:
    assert role_of("Verteidigungsminister") == "PER"
    assert role_of("Präsidenten") == "PER"
    assert role_of("NATO-Generalsekretär") == "PER"
    assert role_of("Staatsagentur") == "ORG"
    assert role_of("Generalstab") is None and role_of("Waffenhandel") is None


def test_a_name_found_once_is_found_everywhere_in_the_article() -> None:
    text = (
        "Das Treffen findet im Kosmodrom Wostotschny statt. Putin will Wostochny besuchen. "
        "Kim Jong-un reist an. Kims Zug ist langsam. Putins Krieg gegen die Ukraine dauert an."
    )
    tagger = ListTagger(
        {
            "Kim Jong-un": "PER",
            "Kims": "LOC",
            "Putin": "PER",
            "Putins Krieg gegen die Ukraine": "OTH",
        }
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert ("Wostochny", "LOC") in got  # the tagger missed it; the article knows it
    assert ("Kims", "PER") in got and ("Kims", "LOC") not in got
    assert ("Putins", "PER") in got and not any(t.startswith("Putins Krieg") for t, _ in got)


def test_appositions_and_datelines_say_what_a_name_is() -> None:
    text = (
        "Uglegorsk – Der Zug hielt in Ussurijsk, einer Stadt im Osten. Das meldete Yonhap, die "
        "südkoreanische Nachrichtenagentur. „Nein“, sagte Kim Jae-chun, Professor an der Universität."
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, RulesOnly()).mentions}
    assert {
        ("Uglegorsk", "LOC"),
        ("Ussurijsk", "LOC"),
        ("Yonhap", "ORG"),
        ("Kim Jae-chun", "PER"),
    } <= got


def test_a_name_after_a_role_and_a_comma_is_a_person() -> None:
    text = "Das sagte der Kommunikationsdirektor des Nationalen Sicherheitsrats, John Kirby, am Mittwoch."
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, RulesOnly()).mentions}
    assert ("John Kirby", "PER") in got
    plain = "Er kam nach Berlin, Paris und Rom."
    assert not [
        m for m in analyze(_text_doc(plain), None, RulesOnly()).mentions if m.label == "PER"
    ]


def test_tagger_spans_that_read_as_clauses_are_dropped() -> None:
    text = "„Der Führer Nordkoreas zeigt großes Interesse an Raketen“, sagte er. Der Herr der Ringe lief."
    tagger = ListTagger(
        {
            "Der Führer Nordkoreas zeigt großes Interesse an Raketen": "OTH",
            "Der Herr der Ringe": "OTH",
        }
    )
    got = {m.text for m in analyze(_text_doc(text), None, tagger).mentions}
    assert got == {"Der Herr der Ringe"}


def test_role_references_agree_in_role_gender_and_number() -> None:
    text = (
        "Kanzler Werner Faymann sprach. Innenminister Ernst Strasser schwieg. "
        "Der Vizekanzler widersprach. Die Innenministerin war nicht da. Er traf die Ministern. "
        "Der Präsident des Verbands kam. Später sagte der Kanzler, es reiche. Der Minister nickte."
    )
    doc = analyze(_text_doc(text), None, RulesOnly())
    names = {m.entity_id: m.text for m in doc.mentions if m.source != "coref"}
    refs = [(m.text, names[m.entity_id]) for m in doc.mentions if m.source == "coref"]
    assert refs == [("Kanzler", "Werner Faymann"), ("Minister", "Ernst Strasser")]


class SpanTagger:
    """A fake NER tagger: the n-th occurrence of each surface form, with the type given."""

    def __init__(self, spans: list[tuple[str, int, str]]) -> None:
        self.spans = spans

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        text = doc.article.text
        out = []
        for surface, nth, label in self.spans:
            hits = list(re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text))
            m = hits[nth]
            out.append(Mention(doc.id, m.start(), m.end(), surface, label))  # type: ignore[arg-type]
        return tuple(sorted(out, key=lambda x: x.start))


def test_a_name_of_several_words_found_once_replaces_its_fragments() -> None:
    text = (
        "Die Piloten von Nordwind Air streiken. Die Gewerkschaft droht Nordwind Air. "
        "Nordwind Air wies das zurück."
    )
    tagger = SpanTagger([("Nordwind Air", 0, "LOC"), ("Air", 1, "ORG"), ("Air", 2, "ORG")])
    got = [(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions]
    assert got == [("Nordwind Air", "ORG")] * 3  # every occurrence whole, the majority type


def test_calendar_words_are_no_names_unless_a_person_is_called_so() -> None:
    text = "Theresa May spoke on Friday. May said the vote comes in March."
    tagger = SpanTagger(
        [("Theresa May", 0, "PER"), ("Friday", 0, "LOC"), ("May", 1, "PER"), ("March", 0, "PER")]
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text, "en"), None, tagger).mentions}
    assert ("May", "PER") in got and ("Theresa May", "PER") in got
    assert not {t for t, _ in got} & {"Friday", "March"}


def test_a_role_with_a_country_code_or_prefix_before_a_name_leaves_the_person() -> None:
    text = "US Vice President JD Vance met US President Donald Trump's staff on Monday."
    tagger = SpanTagger(
        [("US Vice President JD Vance", 0, "ORG"), ("US President Donald Trump's", 0, "ORG")]
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text, "en"), None, tagger).mentions}
    assert got == {("JD Vance", "PER"), ("Donald Trump", "PER")}
    plain = "Die US Army übt. US Airways fliegt."
    kept = SpanTagger([("US Army", 0, "ORG"), ("US Airways", 0, "ORG")])
    got = {(m.text, m.label) for m in analyze(_text_doc(plain), None, kept).mentions}
    assert got == {("US Army", "ORG"), ("US Airways", "ORG")}  # no role noun: names as tagged


def test_english_capitals_cut_grow_and_drop_tagger_spans() -> None:
    text = (
        "The government said Valdoria agreed on Wednesday to buy gas. Pilots of Nordwind Air "
        "will strike. Floods hit the north; the floods killed three."
    )
    tagger = SpanTagger(
        [("Valdoria agreed on Wednesday", 0, "ORG"), ("Air", 0, "ORG"), ("Floods", 0, "PER")]
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text, "en"), None, tagger).mentions}
    assert got == {("Valdoria", "ORG"), ("Nordwind Air", "ORG")}
    same_in_german = "Die Regierung sagte, Valdoria agreed on Wednesday."
    german = SpanTagger([("Valdoria agreed on Wednesday", 0, "ORG")])
    kept = [m.text for m in analyze(_text_doc(same_in_german), None, german).mentions]
    assert kept == ["Valdoria agreed on Wednesday"]  # German capitals say nothing of the kind


def test_french_capitals_only_opening_a_sentence_name_nothing() -> None:
    text = (
        "Pourtant, le procès contre Tarek Obaid reprend. Le parquet accuse de Tarek Obaid "
        "la fraude. Au Brésil, Juan Mora est mort. Le club de Mora joue en Brésil."
        " Moins de fans viennent."
    )
    tagger = SpanTagger(
        [
            ("Pourtant", 0, "PER"),  # an adverb opening a sentence
            ("Tarek Obaid", 0, "PER"),
            ("de Tarek Obaid", 0, "PER"),  # a preposition in front of the name
            ("Au Brésil", 0, "PER"),  # a capitalised preposition in front of a country
            ("Juan Mora", 0, "PER"),
            ("Brésil", 1, "PER"),
            ("la", 0, "PER"),  # a common word in lower case
            ("Moins", 0, "ORG"),
        ]
    )
    got = {
        (m.text, m.start, m.label) for m in analyze(_text_doc(text, "fr"), None, tagger).mentions
    }
    assert {(t, label) for t, _, label in got} == {
        ("Tarek Obaid", "PER"),
        ("Juan Mora", "PER"),
        ("Mora", "PER"),
        ("Brésil", "LOC"),  # "au"/"en" before it vote for a place
    }
    assert (text.index("Tarek Obaid", 60), "PER") in {(s, label) for t, s, label in got}
    german = "Pourtant ist ein Ort. Dort wohnt Tarek Obaid."
    kept = analyze(_text_doc(german), None, SpanTagger([("Pourtant", 0, "LOC")])).mentions
    assert [m.text for m in kept] == ["Pourtant"]  # German capitals say nothing of the kind


def test_a_common_word_opening_a_sentence_stays_a_name_written_so_inside_one() -> None:
    text = "Comprendre sera publié. Le livre Comprendre paraît demain."
    tagger = SpanTagger([("Comprendre", 0, "OTH"), ("Comprendre", 1, "OTH")])
    got = [m.text for m in analyze(_text_doc(text, "fr"), None, tagger).mentions]
    assert got == ["Comprendre", "Comprendre"]


def test_tagger_spans_do_not_end_in_a_verb_or_a_role() -> None:
    text = "Russland im Ukraine-Krieg erringt Erfolge. Nordkoreas Diktator will reisen."
    tagger = SpanTagger([("Ukraine-Krieg erringt", 0, "OTH"), ("Nordkoreas Diktator", 0, "LOC")])
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert ("Ukraine-Krieg", "OTH") in got and ("Nordkoreas", "LOC") in got
    assert not any(t.endswith(("erringt", "Diktator")) for t, _ in got)


@pytest.mark.parametrize(
    "text",
    [
        "Die Präsidentin von Valdoria traf Kanzler Olaf Scholz. Valdoria will Gas liefern.",
        "Deutschland und Valdoria unterzeichnen ein Abkommen. Valdoria will Gas liefern.",
        "Die valdorische Regierung tagte. Valdoria will Gas liefern.",
        "Tausende demonstrierten in Valdoria. Valdoria will Gas liefern.",
    ],
)
def test_a_name_the_article_treats_as_a_place_is_one(text: str) -> None:
    tagger = ListTagger({"Valdoria": "PER", "Deutschland": "LOC", "Olaf Scholz": "PER"})
    doc = analyze(_text_doc(text), None, tagger)
    assert {m.label for m in doc.mentions if m.text == "Valdoria"} == {"LOC"}


def test_a_person_cue_keeps_the_person() -> None:
    # "Präsidentin Valdoria" calls her by name, so "in Valdoria" alone does not make her a place
    text = "Präsidentin Valdoria sprach in Berlin. Die Rede von Valdoria dauerte lange."
    doc = analyze(_text_doc(text), None, ListTagger({"Valdoria": "PER", "Berlin": "LOC"}))
    assert {m.label for m in doc.mentions if m.text == "Valdoria"} == {"PER"}
    plain = "Valdoria sprach lange. Danach ging Valdoria."
    doc = analyze(_text_doc(plain), None, ListTagger({"Valdoria": "PER"}))
    assert {m.label for m in doc.mentions if m.text == "Valdoria"} == {"PER"}


def test_english_nationality_words_are_no_names() -> None:
    text = (
        "Germany and Valdoria agreed a pact for 5,000 Valdorian care workers, "
        "the German government said. German Chancellor Olaf Scholz signed it."
    )
    tagger = ListTagger({"Germany": "LOC", "Valdoria": "LOC", "Valdorian": "PER", "German": "PER"})
    doc = analyze(_text_doc(text, "en"), None, tagger)
    found = {m.text for m in doc.mentions}
    assert "Germany" in found and "Olaf Scholz" in found
    assert not found & {"Valdorian", "German"}


def test_a_place_is_no_nationality_word_of_itself() -> None:
    text = "Voss will visit Berlin. Germany and Valdoria agreed a pact in Berlin."
    tagger = ListTagger({"Germany": "LOC", "Valdoria": "LOC", "Berlin": "LOC"})
    doc = analyze(_text_doc(text, "en"), None, tagger)
    assert [m.text for m in doc.mentions].count("Berlin") == 2


def test_a_possessive_or_adjective_of_a_named_place_is_no_longer_name() -> None:
    text = (
        "Kim glaubt an Moskaus Sieg. Pjöngjang werde Moskau beistehen. "
        "Er unterstützt den Moskauer Krieg nicht."
    )
    tagger = ListTagger({"Moskaus Sieg": "LOC", "Moskau": "LOC", "Moskauer Krieg": "OTH"})
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert ("Moskaus", "LOC") in got and ("Moskau", "LOC") in got
    assert not {t for t, _ in got} & {"Moskaus Sieg", "Moskauer Krieg", "Moskauer"}


def test_a_name_always_written_after_the_same_capitalised_word_includes_it() -> None:
    text = (
        "Die Piloten von Nordwind Air streiken. Welche Flüge fallen aus? Nordwind Air will "
        "umbuchen. Laut Hersteller Lumetra und Hersteller Lumetra ist alles gut."
    )
    doc = analyze(_text_doc(text), None, ListTagger({"Air": "ORG", "Lumetra": "ORG"}))
    found = [m.text for m in doc.mentions]
    assert found.count("Nordwind Air") == 2 and "Air" not in found
    assert found.count("Lumetra") == 2  # "Hersteller" is a common noun, not part of the name
    once = "Die Piloten von Nordwind Air streiken."
    doc = analyze(_text_doc(once), None, ListTagger({"Air": "ORG"}))
    assert [m.text for m in doc.mentions] == ["Air"]  # once is no evidence


def test_rules_follow_the_germeval_conventions_they_are_measured_on() -> None:
    def found(text: str, names: dict[str, str]) -> set[tuple[str, str]]:
        doc = analyze(_text_doc(text), None, ListTagger(names))
        return {(m.text, m.label) for m in doc.mentions if m.source != "coref"}

    # plurals of forms of address announce no name; titles stand between a role and a name
    assert not found("Sprintwertung Frauen Sprintwertung Männer", {})
    assert ("Klaus Murjahn", "PER") in found("mit dem Vorstandschef Dr. Klaus Murjahn", {})
    # a role word inside a longer name the tagger found starts no person
    got = found("der GNU General Public License folgen", {"GNU General Public License": "OTH"})
    assert got == {("GNU General Public License", "OTH")}
    # particles and name heads stay in the span; a person's role is cut, and an adjective
    # left over from it is no name
    assert ("Ali al-Nuaimi", "PER") in found(
        "Minister Ali al-Nuaimi sagte", {"Ali al-Nuaimi": "PER"}
    )
    assert ("Berliner Zeitung", "ORG") in found(
        "laut Berliner Zeitung", {"Berliner Zeitung": "ORG"}
    )
    assert not found("sein Amt als Regensburger Erzbischof", {"Regensburger Erzbischof": "ORG"})
    assert ("Nordkoreas", "LOC") in found(
        "Nordkoreas Diktator reist", {"Nordkoreas Diktator": "LOC"}
    )


def test_foreign_words_and_longer_tagged_names_stay_whole() -> None:
    def found(text: str, names: dict[str, str]) -> set[tuple[str, str]]:
        doc = analyze(_text_doc(text), None, ListTagger(names))
        return {(m.text, m.label) for m in doc.mentions if m.source != "coref"}

    assert ("Luzenské údolí", "LOC") in found(
        "im Luzenské údolí wandern", {"Luzenské údolí": "LOC"}
    )
    dpa = found("mit der Deutschen Presse-Agentur", {"Deutschen Presse-Agentur": "ORG"})
    assert dpa == {("Deutschen Presse-Agentur", "ORG")}


def test_english_capitals_with_a_place_cue_are_places_the_tagger_missed() -> None:
    text = (
        "Germany and Valdoria agreed a pact on Monday. Three people died after the river "
        "Wiesach burst its banks in the town of Altmühlbrück. Valdoria's president will travel "
        "to Germany. Opposition lawmakers criticised the deal."
    )
    doc = analyze(_text_doc(text, "en"), None, ListTagger({}))
    places = {m.text for m in doc.mentions if m.label == "LOC"}
    assert {"Germany", "Valdoria", "Wiesach", "Altmühlbrück"} <= places
    assert not {m.text for m in doc.mentions} & {"Monday", "Three", "Opposition"}
    from lagebild.entities.capitals import capital_places

    assert capital_places(_text_doc("Er fuhr nach Altmühlbrück in Bayern."), []) == []  # German


def test_an_organisation_takes_the_head_word_the_tagger_left_out() -> None:
    text = (
        "Putin und Kim treffen sich nach dem Eastern Economic Forum. Die Nordwind Gruppe schweigt."
    )
    doc = analyze(_text_doc(text), None, ListTagger({"Eastern Economic": "ORG", "Nordwind": "LOC"}))
    found = {(m.text, m.label) for m in doc.mentions}
    assert ("Eastern Economic Forum", "ORG") in found
    assert ("Nordwind", "LOC") in found  # only organisations grow: a place is no "Gruppe"


def test_an_office_takes_its_remit() -> None:
    text = "Das teilte das Landesamt für Umwelt mit. Die Firma für Fenster wirbt."
    doc = analyze(_text_doc(text), None, ListTagger({"Landesamt": "ORG", "Firma": "ORG"}))
    found = {m.text for m in doc.mentions}
    assert "Landesamt für Umwelt" in found
    assert "Firma" in found and "Firma für Fenster" not in found  # no office head word


def test_an_office_s_remit_holds_its_adjective_and_noun() -> None:
    text = (
        "Er forscht am Zentrum für Integrierte Quantenwissenschaften. Das Ministerium für "
        "Religiöse Angelegenheiten und die Kommission für Menschenrechte und Nationale "
        "Versöhnung schweigen. Das Amt für Umwelt Ende Juni blieb zu."
    )
    doc = analyze(_text_doc(text), None, ListTagger({}))
    found = {m.text for m in doc.mentions}
    assert "Zentrum für Integrierte Quantenwissenschaften" in found
    assert "Ministerium für Religiöse Angelegenheiten" in found
    assert "Kommission für Menschenrechte und Nationale Versöhnung" in found
    assert "Amt für Umwelt" in found  # a noun is no adjective: "Ende" is no part of it


def test_an_organisation_noun_makes_the_name_after_it_an_organisation() -> None:
    text = "Der Konzern Lumetra meldete Verluste. Die Firma Germany GmbH wirbt."
    doc = analyze(_text_doc(text), None, ListTagger({"Lumetra": "PER", "Germany GmbH": "ORG"}))
    found = {(m.text, m.label) for m in doc.mentions}
    assert ("Lumetra", "ORG") in found  # the tagger's person is overruled
    assert ("Germany GmbH", "ORG") in found  # its legal form stays in the name


def test_an_office_with_its_remit_is_an_organisation_the_tagger_may_extend() -> None:
    doc = analyze(
        _text_doc("Das teilte das Landesamt für Umwelt und Geologie mit."), None, ListTagger({})
    )
    assert ("Landesamt für Umwelt und Geologie", "ORG") in {(m.text, m.label) for m in doc.mentions}
    text = "Das Bayerische Staatsministerium für Unterricht warnte."
    tagger = ListTagger({"Bayerische Staatsministerium für Unterricht": "ORG"})
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert got == {("Bayerische Staatsministerium für Unterricht", "ORG")}
    tagger = ListTagger({"Bayerische Staatsministerium": "ORG"})
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert got == {("Bayerische Staatsministerium für Unterricht", "ORG")}


def test_a_name_inside_a_list_of_places_is_a_place() -> None:
    text = "Die Reise führte über Moskau, Tscheljabinsk, Kirow, Workuta bis Charp."
    tagger = SpanTagger(
        [
            ("Moskau", 0, "LOC"),
            ("Tscheljabinsk", 0, "LOC"),
            ("Kirow", 0, "PER"),
            ("Workuta", 0, "LOC"),
        ]
    )
    got = {(m.text, m.label) for m in analyze(_text_doc(text), None, tagger).mentions}
    assert ("Kirow", "LOC") in got and ("Kirow", "PER") not in got
    people = "Die Gäste aus Moskau, Petrow, Iwanow und Sidorow kamen."
    tagger = SpanTagger([("Moskau", 0, "LOC"), ("Petrow", 0, "PER"), ("Iwanow", 0, "PER")])
    got = {(m.text, m.label) for m in analyze(_text_doc(people), None, tagger).mentions}
    assert ("Petrow", "PER") in got  # a place on one side only is no list of places
