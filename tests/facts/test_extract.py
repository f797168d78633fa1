"""Facts read off sentences written for these tests (floods, elections, company results …)."""

from __future__ import annotations

import pytest


def one(doc, kind):
    found = [f for f in doc.facts if f.kind == kind]
    assert found, [(f.kind, f.text) for f in doc.facts]
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "unit", "approx"),
    [
        ("Das Dorf liegt rund 900 km nordwestlich von Ussurijsk.", "distance", 900, "km", "about"),
        ("Der Deich brach auf einer Länge von 3,5 Kilometern.", "distance", 3.5, "km", None),
        (
            "Mehr als siebzig Prozent der Stimmen gingen an die Amtsinhaberin.",
            "percent",
            70,
            "%",
            "more-than",
        ),
        ("Die Partei erreichte 31,5 % der Stimmen.", "percent", 31.5, "%", None),
        ("Der Konzern meldete einen Gewinn von 1,2 Milliarden Euro.", "money", 1.2e9, "EUR", None),
        ("Die Firma zahlte knapp 500.000 Dollar Strafe.", "money", 500_000, "USD", "at-most"),
        ("Der Händedruck dauerte rund 40 Sekunden.", "duration", 40, "s", "about"),
        ("Das Hochwasser dauerte vier Tage.", "duration", 4, "d", None),
        ("Der Zug fährt nur etwa 59 km/h.", "speed", 59, "km/h", "about"),
        ("Der Bürgermeister ist 54 Jahre alt.", "age", 54, "a", None),
        ("Die 70 Jahre alten Eheleute wurden gerettet.", "age", 70, "a", None),
        ("Ein 30 Jahre alter Mann wurde festgenommen.", "age", 30, "a", None),
        ("Der 39-Jährige wurde festgenommen.", "age", 39, "a", None),
        ("Die Flut zerstörte mindestens 20 Häuser.", "count", 20, "", "at-least"),
    ],
)
def test_kinds(doc_of, sentence, kind, value, unit, approx):
    f = one(doc_of(sentence), kind)
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert f.approx == approx


def test_offsets_give_back_the_expression(doc_of):
    doc = doc_of("Einleitung.\n\nDie Anlage liegt etwa 900 km nordwestlich von Ussurijsk.")
    f = one(doc, "distance")
    assert doc.article.text[f.start : f.end] == f.text == "etwa 900 km"
    assert f.sentence is not None
    assert doc.article.text[f.sentence.start : f.sentence.end].startswith("Die Anlage")
    assert f.measures == "distance nordwestlich von Ussurijsk"
    assert f.subject == "Anlage"


def test_count_measures_its_noun(doc_of):
    f = one(doc_of("Der Zug verfügt über mindestens 20 kugelsichere Waggons."), "count")
    assert (f.value, f.approx, f.measures) == (20, "at-least", "Waggons")
    assert f.text == "mindestens 20 kugelsichere Waggons"


def test_a_count_of_two_joined_nouns_counts_both(doc_of):
    """ "379 Passagiere und Crewmitglieder" are not 379 passengers: another report's "367
    Passagiere und zwölf Besatzungsmitglieder" gives each noun its own number."""
    f = one(doc_of("Alle 379 Passagiere und Crewmitglieder wurden evakuiert."), "count")
    assert (f.value, f.measures, f.text) == (
        379,
        "Passagiere und Crewmitglieder",
        "379 Passagiere und Crewmitglieder",
    )
    counts = [
        (f.value, f.measures)
        for f in doc_of("An Bord waren 367 Passagiere und zwölf Besatzungsmitglieder.").facts
        if f.kind == "count"
    ]
    assert counts == [(367, "passengers"), (12, "Besatzungsmitglieder")]
    f = one(doc_of("Es kamen 300 Gäste und Kanzler Scholz."), "count")
    assert f.measures == "Gäste"  # a name after "und" is no second counted noun


def test_ranges_with_number_words(doc_of):
    f = one(
        doc_of("Im Krieg sollen zwischen zwei und vier Millionen Koreaner getötet worden sein."),
        "count",
    )
    assert (f.value, f.value_max, f.measures) == (2e6, 4e6, "Koreaner")
    assert f.modality == ""  # "sollen … getötet worden sein" is hearsay about the past
    g = one(doc_of("Die Pegel stiegen um 10 bis 12 Zentimeter."), "distance")
    assert (g.value, g.value_max, g.unit) == (10, 12, "cm")


@pytest.mark.parametrize(
    ("sentence", "durations"),
    [
        ("Vor zwei Jahren hat sie im Interview gesagt, dass es so ist.", []),
        ("Er kam vor rund drei Wochen nach Wien.", []),
        ("Zwei Tage später war der Mann tot.", []),
        ("Seit zwei Jahren wohnt er in Wien.", ["zwei Jahren"]),
        ("Die Verhandlungen dauerten 17 Stunden.", ["17 Stunden"]),
    ],
)
def test_a_span_that_names_a_point_in_time_is_no_duration_fact(doc_of, sentence, durations):
    assert [f.text for f in doc_of(sentence).facts if f.kind == "duration"] == durations


def test_a_falling_pair_of_numbers_is_no_range(doc_of):
    doc = doc_of("Die Zahl der Todesopfer liegt bei 217 – 213 allein in der Provinz Valencia.")
    deaths = [f for f in doc.facts if f.measures == "deaths"]
    assert [(f.value, f.value_max) for f in deaths] == [(217, None)]
    assert deaths[0].text == "Zahl der Todesopfer liegt bei 217"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Das Konzert fällt mit dem 25-jährigen Jubiläum des Mauerfalls zusammen.", "duration"),
        ("Die Firma feiert ihr 100-jähriges Bestehen.", "duration"),
        ("Er muss eine 10-jährige Haftstrafe absitzen.", "duration"),
        ("Die 25-jährige Frau kam ums Leben.", "age"),
        ("Der 28-jährige Deutsche hat die Tat gestanden.", "age"),
    ],
)
def test_years_before_a_period_noun_are_a_span_not_an_age(doc_of, sentence, kind):
    facts = [f for f in doc_of(sentence).facts if f.unit == "a"]
    assert [f.kind for f in facts] == [kind]


@pytest.mark.parametrize(
    ("sentence", "lang", "kinds"),
    [
        ("Tarek Obaid, 48 ans, et Patrick Mahony, 47 ans, sont jugés.", "fr", ["age", "age"]),
        ("Le défenseur âgé de 27 ans est mort.", "fr", ["age"]),
        ("Le parquet a requis 10 ans de prison.", "fr", ["duration"]),
        ("The player, aged 27 years, died.", "en", ["age"]),
        ("Er starb im Alter von 78 Jahren.", "de", ["age"]),
    ],
)
def test_an_age_told_by_its_marker_or_between_commas_after_a_name(doc_of, sentence, lang, kinds):
    facts = [f for f in doc_of(sentence, language=lang).facts if f.unit == "a"]
    assert [f.kind for f in facts] == kinds


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("zwei", 2),
        ("siebzig", 70),
        ("einundzwanzig", 21),
        ("dreihundertfünfzig", 350),
        ("zweitausend", 2000),
    ],
)
def test_number_words(word, value):
    from lagebild.facts.extract import word_value
    from lagebild.facts.lexicon import lexicon

    assert word_value(word, lexicon("de")) == value


def test_years_dates_and_ordinals_are_not_facts(doc_of):
    doc = doc_of(
        "Am 13. September 2023 jährte sich der 70. Jahrestag. Seit 2019 gab es kein Treffen."
    )
    assert [f for f in doc.facts if f.kind != "claim"] == []


def test_attribution(doc_of):
    f = one(doc_of("Laut Polizei kamen mindestens 12 Menschen ums Leben."), "count")
    assert f.attributed_to == "Polizei"
    f = one(
        doc_of("Die Wahlbeteiligung lag bei 61 Prozent, sagte der Landeswahlleiter."), "percent"
    )
    assert f.attributed_to == "Landeswahlleiter"
    f = one(doc_of("Der Sprecher sagte, der Damm sei 40 Meter hoch."), "distance")
    assert f.attributed_to == "Sprecher"
    f = one(
        doc_of("Die Raketen flogen nach Angaben des Generalstabs 650 Kilometer weit."), "distance"
    )
    assert f.attributed_to == "Generalstabs"
    f = one(doc_of("Der Umsatz stieg auf 4 Milliarden Euro."), "money")
    assert f.attributed_to is None


def test_reported_speech_carries_the_source_over(doc_of):
    doc = doc_of(
        "Zwei Raketen seien gestartet, teilte der Generalstab mit. "
        "Sie seien jeweils etwa 650 Kilometer weit geflogen. Das Meer ist 300 Meter tief."
    )
    by = {f.value: f.attributed_to for f in doc.facts if f.kind == "distance"}
    assert by == {650: "Generalstab", 300: None}


def test_quote_spans_from_the_quotes_stage_win(doc_of):
    import dataclasses

    from lagebild import facts
    from lagebild.model import Quote, Span

    doc = doc_of("„Der Schaden liegt bei 3 Millionen Euro“, erklärte die Bürgermeisterin.")
    q = Quote(doc.id, "direct", Span(1, 40), doc.article.text[1:40], speaker_name="Anna Beispiel")
    doc = facts.analyze(dataclasses.replace(doc, quotes=(q,), facts=()))
    assert one(doc, "money").attributed_to == "Anna Beispiel"


def test_forecasts(doc_of):
    doc = doc_of(
        "Das Treffen werde voraussichtlich in Genf stattfinden. Das Treffen fand in Wien statt. "
        "Die Regierung will 5 Milliarden Euro investieren."
    )
    places = {f.value_text: f.modality for f in doc.facts if f.measures == "meeting place"}
    assert places == {"Genf": "forecast", "Wien": ""}
    assert one(doc, "money").modality == "forecast"


def test_meeting_and_region_claims(doc_of):
    doc = doc_of(
        "Die Außenminister treffen sich am Freitag im Schloss Elmau in Bayern. "
        "Der Gipfel findet vier Jahre nach dem ersten Treffen in Hanoi statt."
    )
    claims = {(f.measures, f.value_text) for f in doc.facts if f.kind == "claim"}
    assert ("meeting place", "Schloss Elmau") in claims
    assert ("region of Elmau", "Bayern") in claims
    assert ("meeting place (earlier)", "Hanoi") in claims
    assert not any(v in {"Freitag"} for _, v in claims)


def test_no_place_from_common_nouns(doc_of):
    doc = doc_of("Er kam in seinem Privatzug zu einem Treffen in den kommenden Tagen.")
    assert [f for f in doc.facts if f.measures == "meeting place"] == []


def test_first_since_claim(doc_of):
    doc = doc_of("Die Kanzlerin reist erstmals seit Ausbruch der Corona-Pandemie nach China.")
    f = one(doc, "claim")
    assert (f.measures, f.value_text) == ("first since", "Pandemie")


def test_works_without_sentences_or_other_stages(doc_of):
    from lagebild import facts
    from lagebild.model import Doc

    doc = doc_of("Rund 40 Menschen.")
    assert facts.analyze(Doc(article=doc.article)).facts == ()
    assert doc.stages[-1] == f"facts@{facts.VERSION}"


def test_amounts_and_jobs_group_across_languages(doc_of):
    from lagebild.facts import group_facts

    de = doc_of(
        "Lumetra baut rund 1.200 seiner 4.800 Stellen ab. Der Umsatz sank um 14 Prozent auf "
        "310 Millionen Euro. Die Aktie verlor sechs Prozent.",
        outlet="Kurier",
    )
    en_article = doc_of(
        "Lumetra will cut 1,200 jobs. Second-quarter revenue fell 14 percent to 310 million "
        "euros. Shares in Lumetra fell 6 percent.",
        outlet="Ledger",
        language="en",
    )
    groups = group_facts([de, en_article])
    both = {(g.kind, g.measures) for g in groups if set(g.outlets) == {"Kurier", "Ledger"}}
    assert both >= {("count", "jobs"), ("money", "money revenue"), ("percent", "percent revenue"),
                    ("percent", "percent share price")}  # fmt: skip
    assert not any(f.value == 4800 for f in de.facts)  # the total is no fact of its own


def test_a_person_with_a_country_before_the_name_is_no_place(doc_of):
    """ "Nordkoreas Machthaber Kim Jong Un in Hanoi": a place-typed genitive before a role
    and a name does not make the person a place that lies in Hanoi."""
    from lagebild.pipeline import Pipeline

    text = (
        "Der Gipfel zwischen Kanzlerin Petra Lindholm und Finnlands Regierungschef "
        "Mikko Virtanen in Helsinki ist ohne Einigung zu Ende gegangen."
    )
    doc = Pipeline()(doc_of(text).article)
    people = [m for m in doc.mentions if m.label == "PER" and m.text == "Mikko Virtanen"]
    assert people, [(m.text, m.label) for m in doc.mentions]
    regions = [f.measures for f in doc.facts if f.measures.startswith("region of")]
    assert regions == []


def test_a_place_described_by_its_country_is_no_second_name_for_it(doc_of):
    """ "in Finnlands Hauptstadt" describes Helsinki; as a meeting place it would diverge
    from "Helsinki" in every story that names both."""
    from lagebild.pipeline import Pipeline

    doc = Pipeline()(doc_of(
        "Die Außenminister treffen sich am Freitag in Finnlands Hauptstadt. "
        "Das Treffen in Helsinki soll zwei Tage dauern."
    ).article)  # fmt: skip
    places = {f.value_text for f in doc.facts if f.measures.startswith("meeting place")}
    assert "Helsinki" in places
    assert not any("Hauptstadt" in p for p in places), places


def test_a_venue_noun_takes_a_place_not_the_object_of_a_later_verb(doc_of):
    doc = doc_of("Vor dem Tagungsort sagte er der Presse, man sei sich einig.")
    assert [f.value_text for f in doc.facts if f.measures.startswith("meeting place")] == []
    doc = doc_of("Als Treffpunkt gewählt wurde der Kurort Bad Elster im Vogtland.")
    assert "Kurort Bad Elster" in {f.value_text for f in doc.facts if f.measures == "meeting place"}


def _tagged(doc_of, text: str):
    """A doc through the whole pipeline, so the claims see the tagger's names."""
    from lagebild.pipeline import Pipeline

    return Pipeline()(doc_of(text).article)


def claims_of(doc) -> set[tuple[str, str]]:
    return {(f.measures, f.value_text) for f in doc.facts if f.kind == "claim"}


def test_a_lone_common_noun_is_no_place_once_a_tagger_has_read_the_text(doc_of):
    text = (
        "Die Gespräche wurden in erweiterter Runde fortgesetzt. Seitdem liegen die "
        "Verhandlungen auf Eis. Das Treffen fand in Tallinn statt."
    )
    tagged = claims_of(_tagged(doc_of, text))
    assert ("meeting place", "Tallinn") in tagged
    assert not {v for _, v in tagged} & {"Runde", "Eis"}, tagged
    # without a tagger, capitalisation is all there is: a bare name still counts
    assert ("meeting place", "Tallinn") in claims_of(doc_of(text))


def test_no_region_from_a_genitive_or_a_destination(doc_of):
    doc = _tagged(doc_of, (
        "Die Flaggen der USA und Finnlands standen in einem Hotel in Helsinki. "
        "Der Mann wurde nach der Anhörung in Karlsruhe in die JVA Düsseldorf gebracht. "
        "Das Dorf Kallio in Lappland hat dreihundert Einwohner."
    ))  # fmt: skip
    regions = {(m, v) for m, v in claims_of(doc) if m.startswith("region of")}
    assert ("region of Kallio", "Lappland") in regions
    assert not any(m in {"region of Finnlands", "region of Karlsruhe"} for m, _ in regions), regions


def test_first_since_an_event_owned_by_a_person_is_the_event(doc_of):
    doc = _tagged(doc_of, (
        "Es ist das erste direkte Treffen der beiden seit dem Amtsantritt Joe Bidens."
    ))  # fmt: skip
    assert any(m == "PER" for m in (x.label for x in doc.mentions))
    assert ("first since", "Amtsantritt") in claims_of(doc)


def test_first_since_a_person_keeps_the_persons_name(doc_of):
    doc = _tagged(doc_of, "Sie ist die erste Spanierin im Finale seit Arantxa Sanchez Vicario.")
    values = [v for m, v in claims_of(doc) if m == "first since"]
    assert values in ([], ["Vicario"]), values  # never a first name alone


def test_digits_glued_to_a_capitalised_word_are_a_name_not_a_number(doc_of):
    doc = doc_of("Das bestätigte das Amtsgericht auf 24RHEIN-Nachfrage. Es kamen 24 Gläubiger.")
    values = [(f.value, f.measures) for f in doc.facts if f.value is not None]
    assert values == [(24, "Gläubiger")], values


def test_first_without_an_event_after_since_is_no_claim_and_no_failure(doc_of):
    from lagebild.pipeline import Pipeline

    text = "Es war das erste Mal seit langem, dass Anna Roth in Lindau sprach."
    doc, failures = Pipeline().run(doc_of(text).article)
    assert failures == []
    assert [v for m, v in claims_of(doc) if m == "first since"] == []


def test_a_duration_that_counts_from_a_date_is_part_of_the_date_not_a_fact() -> None:
    """ "vier Tage vor Heiligabend" names a day (the time stage's, see time/shift.py); "vier
    Tage" lang gestreikt is an amount of time."""
    from datetime import UTC, datetime

    from lagebild import facts as facts_stage
    from lagebild import text as text_stage
    from lagebild import time as time_stage
    from lagebild.model import Article, Doc

    text = (
        "In Magdeburg ist vier Tage vor Heiligabend ein Anschlag verübt worden. "
        "Zwei Wochen nach dem 3. Mai wurde das Urteil verkündet. Der Streik dauerte vier Tage."
    )
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de",
                  published=datetime(2024, 12, 21, 12, tzinfo=UTC))  # fmt: skip
    doc = facts_stage.analyze(time_stage.analyze(text_stage.analyze(Doc(article=art))))
    assert [(f.text, f.kind) for f in doc.facts] == [("vier Tage", "duration")]
    assert doc.facts[0].start == text.rindex("vier Tage")


@pytest.mark.parametrize(
    ("sentence", "whose"),
    [
        ("Nach Erkenntnissen der Polizei hatte die 17-Jährige die Insel verlassen.", ""),
        ("Der Richter verurteilte den 28-Jährigen zu lebenslanger Haft.", ""),
        ("Ein 28 Jahre alter Mann hatte die Synagoge angegriffen.", "Mann"),
        ("Die 40 Jahre alte Synagoge wurde beschädigt.", "Synagoge"),
        ("Nach Informationen der Zeitung wurde der 26-jährige Schütze festgenommen.", "Schütze"),
        ("Die Passantin war 20 Jahre alt.", "Passantin"),
        ("Beckenbauer starb im Alter von 78 Jahren.", "Beckenbauer"),
        ("Im Alter von 88 Jahren ist er gestorben.", ""),  # "Alter" only names the kind
    ],
)
def test_an_age_belongs_to_the_noun_it_names_not_the_clause_s_first_noun(doc_of, sentence, whose):
    (f,) = [f for f in doc_of(sentence).facts if f.kind == "age"]
    assert (f.measures, f.subject) == (f"age {whose}".strip(), whose)
