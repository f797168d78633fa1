"""Comparison across outlets on small invented stories with dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lagebild.facts import compare
from lagebild.model import DateWindow


def day(d: int) -> datetime:
    return datetime(2024, 6, d, 12, tzinfo=UTC)


def check_citations(docs, groups=(), divs=()):
    texts = {d.id: d.article.text for d in docs}
    spans = {(d.id, f.start, f.end): f.text for d in docs for f in d.facts}
    cites = [c for g in groups for c in g.citations]
    cites += [c for dv in divs for _, cs in dv.values for c in cs]
    assert cites
    for c in cites:
        assert texts[c.article_id][c.start : c.end] == spans[(c.article_id, c.start, c.end)]
        assert c.outlet


def test_grouping_converts_units_and_respects_precision(doc_of):
    docs = [
        doc_of("Der Damm liegt rund 900 km nördlich von Lyon.", "A", day(1)),
        doc_of("Der Damm liegt 900 Kilometer nördlich von Lyon.", "B", day(2)),
        doc_of("Der Damm liegt 900.000 Meter nördlich von Lyon.", "C", day(3)),
        doc_of("Der Damm liegt knapp 1000 km nördlich von Lyon.", "D", day(3)),
    ]
    groups = [g for g in compare.group_facts(docs) if g.kind == "distance"]
    by_outlets = sorted(g.outlets for g in groups)
    assert by_outlets == [("A", "B", "C"), ("D",)]
    big = next(g for g in groups if len(g.outlets) == 3)
    assert big.first_seen == day(1) and big.citations[0].outlet == "A"
    assert not big.single_source
    check_citations(docs, groups)
    divs = compare.divergences(docs, {})
    assert [d.kind for d in divs] == ["divergence"]  # 900 vs knapp 1000 on the same day


def test_a_number_written_with_decimals_keeps_their_precision(doc_of):
    """ "5,0" was given to tenths: it is not the 4,8 or 5,2 of another report, while a
    plain "5" may stand for either."""
    docs = [
        doc_of("Das Beben hatte eine Stärke von 5,0 auf der Richterskala.", "A", day(1)),
        doc_of("Das Beben hatte eine Stärke von 4,8.", "B", day(1)),
        doc_of("Das Beben hatte eine Stärke von 5,2.", "C", day(1)),
        doc_of("Das Beben hatte eine Stärke von 5,0.", "D", day(1)),
    ]
    groups = [g for g in compare.group_facts(docs) if g.kind == "scale"]
    assert sorted(g.outlets for g in groups) == [("A", "D"), ("B",), ("C",)]


def test_one_report_giving_two_values_says_two_things(doc_of):
    """A report naming 310 votes now and 305 votes in 1953 keeps them apart, though 310 may
    be a number rounded to tens; another report's 310 still joins its 310."""
    docs = [
        doc_of("Merz erhielt 310 Stimmen. Adenauer erreichte 1953 nur 305 Stimmen.", "A", day(1)),
        doc_of("Der Kandidat erhielt 310 Stimmen.", "B", day(1)),
    ]
    groups = [g for g in compare.group_facts(docs) if g.kind == "count"]
    assert sorted((g.value, g.outlets) for g in groups) == [(305.0, ("A",)), (310.0, ("A", "B"))]


def test_rising_death_toll_is_an_update(doc_of):
    docs = [
        doc_of("Bei dem Hochwasser kamen mindestens 12 Menschen ums Leben.", "A", day(1)),
        doc_of("Bei dem Hochwasser kamen mindestens 42 Menschen ums Leben.", "B", day(3)),
    ]
    (d,) = compare.divergences(docs, {})
    assert d.kind == "update"
    assert [v for v, _ in d.values] == ["mindestens 12 Menschen", "mindestens 42 Menschen"]
    check_citations(docs, divs=[d])


def test_same_day_different_tolls_diverge(doc_of):
    docs = [
        doc_of("Bei dem Hochwasser kamen 40 Menschen ums Leben.", "A", day(2)),
        doc_of("Bei dem Hochwasser kamen 55 Menschen ums Leben.", "B", day(2)),
    ]
    (d,) = compare.divergences(docs, {})
    assert d.kind == "divergence"


def test_forecast_contradicted_later_is_an_update_using_windows(doc_of):
    early = doc_of("Das Treffen soll nach Angaben der Regierung in Genf stattfinden.", "A")
    late = doc_of("Die Präsidenten trafen sich am Dienstag in Wien.", "B")
    windows = {
        early.id: DateWindow(date(2024, 6, 1), date(2024, 6, 2), 0.8),
        late.id: DateWindow(date(2024, 6, 5), date(2024, 6, 5), 0.9),
    }
    (d,) = compare.divergences([late, early], windows)
    assert d.slot == "meeting place"
    assert d.kind == "update"
    assert [v for v, _ in d.values] == ["Genf", "Wien"]  # in date order
    assert "superseded" in d.note


def test_contradicting_reports_diverge(doc_of):
    docs = [
        doc_of("Das Treffen fand in Genf statt.", "A", day(5)),
        doc_of("Das Treffen fand in Wien statt.", "B", day(5)),
    ]
    (d,) = compare.divergences(docs, {})
    assert (d.slot, d.kind) == ("meeting place", "divergence")


def test_region_divergence_and_containment(doc_of):
    docs = [
        doc_of("Die Minister trafen sich im Flughafen Nordstadt in Bayern.", "A", day(5)),
        doc_of("Der Flughafen Nordstadt in Hessen war abgesperrt.", "B", day(5)),
        doc_of("Die Minister trafen sich in Bayern.", "C", day(5)),
    ]
    divs = compare.divergences(docs, {})
    assert [(d.slot, d.kind) for d in divs] == [("region of Nordstadt", "divergence")]
    assert sorted(v for v, _ in divs[0].values) == ["Bayern", "Hessen"]
    # "in Bayern" (C) is not a divergence from "Flughafen Nordstadt" (A): A says it lies there


def test_corroborated_and_single_source(doc_of):
    docs = [
        doc_of(
            "Die Wahlbeteiligung lag bei 61 Prozent. Der Konzern meldete einen Gewinn von 1,2 Milliarden Euro.",
            "A",
            day(1),
        ),
        doc_of("Die Wahlbeteiligung lag bei rund 61 Prozent.", "B", day(2)),
        doc_of("Die Wahlbeteiligung lag bei 61,2 Prozent.", "C", day(2)),
    ]
    groups = compare.group_facts(docs)
    both = compare.corroborated(groups)
    assert [(g.kind, g.outlets) for g in both] == [("percent", ("A", "B", "C"))]
    single = compare.single_source(groups)
    assert [(g.kind, g.outlets) for g in single] == [("money", ("A",))]
    m = compare.coverage_matrix(docs, groups)
    assert m.outlets == ("A", "B", "C")
    assert m.as_bools() == [[True, True, True], [True, False, False]]
    assert m.rows[0].cells[1][0].outlet == "B"
    check_citations(docs, groups)


def test_unknown_outlet_is_an_unnamed_source_named_by_article(doc_of):
    doc = doc_of("Die Wahlbeteiligung lag bei 61 Prozent.", None)
    (g,) = compare.group_facts([doc])
    assert g.outlets == (f"unnamed source {doc.id[:8]}",)
    assert g.first_seen is None


def test_water_level_rising_is_an_update_but_a_fixed_distance_is_not(doc_of):
    docs = [
        doc_of("Der Pegel der Wiesach stand am Morgen bei 6,40 Meter.", "A", day(5)),
        doc_of("Der Pegel der Wiesach stand am Morgen bei 6,85 Meter.", "B", day(6)),
    ]
    (d,) = compare.divergences(docs, {})
    assert (d.kind, [v for v, _ in d.values]) == ("update", ["6,40 Meter", "6,85 Meter"])
    docs = [
        doc_of("Die Stadt liegt 690 Kilometer nördlich von Pjöngjang.", "A", day(5)),
        doc_of("Die Stadt liegt 720 Kilometer nördlich von Pjöngjang.", "B", day(6)),
    ]
    (d,) = compare.divergences(docs, {})
    assert d.kind == "divergence"


def test_death_toll_across_wordings_and_languages(doc_of):
    docs = [
        doc_of("Bei dem Hochwasser kamen zwei Menschen ums Leben.", "A", day(5)),
        doc_of(
            "Die Zahl der Todesopfer ist auf drei gestiegen. Zuvor waren zwei Menschen ums Leben gekommen.",
            "B",
        ),
        doc_of("Three people were killed in the floods.", "C", day(6), language="en"),
    ]
    groups = [g for g in compare.group_facts(docs) if g.measures == "deaths"]
    got = sorted((g.value, set(g.outlets)) for g in groups)
    assert got == [(2, {"A", "B"}), (3, {"B", "C"})]
    (d,) = compare.divergences(docs, {})
    assert (d.slot, d.kind) == ("deaths", "update")  # B itself reports the rise
    assert d.values[0][0] == "zwei Menschen"


def test_unrelated_counts_of_one_noun_are_not_compared(doc_of):
    docs = [
        doc_of("Die Airline beförderte im Jahr rund 9 Millionen Passagiere.", "A", day(1)),
        doc_of("Vom Streik sind etwa 40.000 Passagiere betroffen.", "B", day(3)),
    ]
    assert compare.divergences(docs, {}) == []


def test_first_report_dated_to_the_month_is_shown_as_the_month(doc_of):
    import dataclasses

    month = doc_of(
        "Bei dem Hochwasser kamen 12 Menschen ums Leben.", "A", datetime(2024, 6, 1, tzinfo=UTC)
    )
    month = dataclasses.replace(
        month, article=dataclasses.replace(month.article, published_precision="month")
    )
    docs = [month, doc_of("Bei dem Hochwasser kamen 12 Menschen ums Leben.", "B", day(20))]
    (g,) = [g for g in compare.group_facts(docs) if len(g.outlets) == 2]
    assert g.first_seen_precision == "month" and g.first_seen_label == "2024-06"
    only_days = compare.group_facts(docs[1:])
    assert [x.first_seen_label for x in only_days if x.outlets == ("B",)][:1] == ["2024-06-20"]


def test_a_figure_of_an_earlier_event_is_no_divergence(doc_of):
    """ "Im März … 40 verletzt" in a December report tells an earlier quake's toll."""
    from lagebild import time as time_stage

    dec = datetime(2020, 12, 29, tzinfo=UTC)
    now = doc_of("Bei dem Erdbeben wurden mehr als 24 Menschen verletzt.", "A", dec)
    then = time_stage.analyze(
        doc_of("Im März hatte ein Beben in Zagreb mehr als 40 Menschen verletzt.", "B", dec)
    )
    assert then.times  # the month is found and resolved to March 2020
    assert compare.divergences([now, then], {}) == []
    # the same sentence without its date is today's figure, and diverges
    today = doc_of("Ein Beben in Zagreb hat mehr als 40 Menschen verletzt.", "B", dec)
    assert [d.slot for d in compare.divergences([now, today], {})] == ["injured"]
    # "seit März" runs up to now: not an earlier event
    since = time_stage.analyze(
        doc_of("Seit März wurden in Zagreb mehr als 40 Menschen verletzt.", "B", dec)
    )
    assert len(compare.divergences([now, since], {})) == 1


def test_a_figure_told_as_then_is_no_divergence_under_the_background_rules(doc_of):
    from lagebild.dossier.sections import told_before

    docs = [
        doc_of("Der Konzern hat derzeit 17.000 Mitarbeiter.", "A", day(2)),
        doc_of("Damals wurden 4.000 Mitarbeiter abgebaut.", "B", day(2)),
    ]
    assert len(compare.divergences(docs, {})) == 1  # without rules: two values
    assert compare.divergences(docs, {}, told_before) == []


def test_a_place_spelled_with_and_without_its_diacritics_is_one_value():
    from lagebild.facts.keys import place_key

    assert place_key("Krško") == place_key("Krsko")
    assert place_key("São Paulo") == place_key("Sao Paulo")
    assert place_key("Krško") != place_key("Kursk")


def test_magnitudes_diverge_between_agencies_but_an_aftershock_is_another_quake(doc_of):
    docs = [
        doc_of("Das Erdbeben hatte eine Stärke von 6,3.", "A", day(2)),
        doc_of("Ein Beben der Stärke 6,4 erschütterte das Land.", "B", day(2)),
        doc_of("Das Erdbeben der Stärke 6,3 zerstörte Häuser.", "C", day(2)),
        doc_of("Ein Nachbeben hatte eine Stärke von 4,8.", "D", day(2)),
    ]
    facts = [f for d in docs for f in d.facts]
    assert {(f.kind, f.measures, f.unit) for f in facts} == {("scale", "magnitude", "M")}
    assert sorted(f.value for f in facts) == [4.8, 6.3, 6.3, 6.4]
    (d,) = compare.divergences(docs, {})
    assert d.kind == "divergence" and d.slot == "magnitude"
    assert len(d.values) == 2
    cited = {c.outlet for _, cs in d.values for c in cs}
    assert cited == {"A", "B", "C"}
    check_citations(docs, divs=[d])


def test_an_article_dated_in_year_one_is_compared_without_overflow(doc_of):
    """An input's "0001-01-01" (seen in a real JSONL) once made the background check
    subtract two weeks from the first date there is (OverflowError in the dossier stage)."""
    first = datetime(1, 1, 1, tzinfo=UTC)
    docs = [
        doc_of("Am 3. Januar starben 12 Menschen.", "A", first),
        doc_of("Am 3. Januar starben 14 Menschen.", "B", first),
    ]
    divs = compare.divergences(docs, {})
    assert {o for dv in divs for _, cs in dv.values for o in (c.outlet for c in cs)} <= {"A", "B"}


def test_one_age_told_as_a_noun_and_as_an_adjective_is_one_fact(doc_of):
    """ "der 47-Jährige" and "ein 47 Jahre alter Mann" in one story: one age, three outlets;
    another age stays apart."""
    docs = [
        doc_of("Nach Angaben der Polizei wurde der 47-Jährige festgenommen.", "A", day(5)),
        doc_of("In Sorge um die Familie stellte sich der 47-Jährige.", "B", day(5)),
        doc_of("Ein 47 Jahre alter Mann wurde festgenommen.", "C", day(6)),
        doc_of("Ein 48 Jahre alter Mann wurde festgenommen.", "E", day(6)),
    ]
    ages = sorted(
        (g.value, sorted(g.outlets)) for g in compare.group_facts(docs) if g.kind == "age"
    )
    assert ages == [(47, ["A", "B", "C"]), (48, ["E"])]
