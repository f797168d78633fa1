"""Date windows and timelines on small hand-made stories (no third-party data needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lagebild import text as text_stage
from lagebild import time as time_stage
from lagebild.model import Article, Doc
from lagebild.time.value import parse, sort_key


def test_dated_doc_window_is_its_date(doc_of) -> None:
    doc = doc_of("Der Minister sagte am Montag, die Lage sei ernst.")
    w = time_stage.infer_date_window(doc, [doc])
    assert w is not None and w.earliest == w.latest == date(2023, 9, 13) and w.confidence == 1.0


def test_past_weekday_puts_undated_doc_shortly_after_it(doc_of) -> None:
    dated = doc_of("Der Gipfel begann heute in Wien.", doc_id="d")
    undated = doc_of("Der Minister traf am Montag in Wien ein.", published=None, doc_id="u")
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None
    assert w.earliest == date(2023, 9, 11)  # the Monday of the story's week
    assert w.latest <= date(2023, 9, 13)
    assert any("Montag" in e for e in w.evidence)


def test_future_weekday_bounds_the_window_from_above(doc_of) -> None:
    dated = doc_of("Der Gipfel begann heute in Wien.", doc_id="d")
    undated = doc_of(
        "Der Minister ist am Dienstag eingetroffen. Das Treffen soll am Mittwoch stattfinden.",
        published=None,
        doc_id="u",
    )
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None and w.earliest == date(2023, 9, 12) and w.latest <= date(2023, 9, 13)


def test_story_alone_gives_a_low_confidence_window(doc_of) -> None:
    dated = doc_of("Der Gipfel begann heute in Wien.", doc_id="d")
    undated = doc_of("Die Gespräche dauern an.", published=None, doc_id="u")
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None and w.contains(date(2023, 9, 13)) and w.confidence < 0.5


def test_no_evidence_no_window(doc_of) -> None:
    undated = doc_of("Die Gespräche dauern an.", published=None, doc_id="u")
    assert time_stage.infer_date_window(undated, [undated]) is None


def test_timeline_merges_the_same_event_across_articles(doc_of) -> None:
    a = doc_of(
        "Der Krieg dauerte von 1950 bis 1953. Putin traf Kim im April 2019 in Wladiwostok.",
        doc_id="a",
    )
    b = doc_of(
        "Im April 2019 kam Kim zum Gipfel mit Putin nach Wladiwostok.",
        published="2023-09-10",
        doc_id="b",
    )
    events = time_stage.timeline([a, b])
    assert [(e.date, e.date_end) for e in events][:2] == [("1950", "1953"), ("2019-04", None)]
    summit = events[1]
    assert {c.article_id for c in summit.citations} == {"a", "b"}
    assert summit.granularity == "month" and events[0].granularity == "range"
    for c in summit.citations:
        doc = a if c.article_id == "a" else b
        assert "2019" in doc.article.text[c.start : c.end]


def test_timeline_keeps_different_events_apart_and_marks_inferred(doc_of) -> None:
    dated = doc_of("Putin empfing Kim am Mittwoch in Wostotschny.", doc_id="d")
    undated = doc_of(
        "Südkoreas Militär meldete am Dienstag einen Raketenstart bei Pjöngjang.",
        published=None,
        doc_id="u",
    )
    windows, events = time_stage.story_timeline([dated, undated])
    assert "u" in windows
    by_article = {c.article_id: e for e in events for c in e.citations}
    assert by_article["u"].inferred and not by_article["d"].inferred
    assert by_article["u"] is not by_article["d"]
    assert [e.date for e in events] == sorted((e.date for e in events), key=sort_key)


def test_granularity_and_sort_key() -> None:
    assert parse("2023-09-13").granularity == "day"
    assert parse("2023-09-13TMO").granularity == "time"
    assert parse("2023-07").granularity == "month"
    assert parse("2023-SU").granularity == "month"
    assert parse("2019").granularity == "year"
    assert parse("195").granularity == "decade"
    assert sort_key("195") < sort_key("1953") < sort_key("2023-SU") < sort_key("2023-07")


def test_a_day_and_its_hour_in_one_sentence_are_one_event(doc_of) -> None:
    doc = doc_of("Der Streik soll am Freitag um 6 Uhr beginnen.")  # published Wednesday 2023-09-13
    events = time_stage.timeline([doc])
    assert [e.date for e in events if e.date.startswith("2023-09-15")] == ["2023-09-15T06:00"]


def test_a_deadline_in_the_present_tense_lies_ahead(doc_of) -> None:
    doc = doc_of(
        "Nach Angaben des Unternehmens fallen bis Donnerstagabend 180 Flüge aus, "
        "etwa 40.000 Passagiere sind betroffen."
    )  # Wednesday: the coming Thursday, although "sind betroffen" reads like a perfect
    assert [t.value for t in doc.times] == ["2023-09-14TEV"]
    past = doc_of("Bis Donnerstagabend fielen 180 Flüge aus.", published="2023-09-16")
    assert [t.value for t in past.times] == ["2023-09-14TEV"]


def test_an_undated_article_is_read_on_the_day_its_weekdays_lie_closest(doc_of) -> None:
    dated = doc_of("Die Flut erreichte heute die Altstadt.", published="2023-09-11", doc_id="d")
    undated = doc_of(
        "In der Stadt hat am Mittwoch das Aufräumen begonnen. "
        "Die Polizei fand am Dienstagabend einen Toten.",
        published=None,
        doc_id="u",
    )
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None and w.likely == date(2023, 9, 13)  # Tuesday evening, then Wednesday
    events = time_stage.timeline([dated, undated], {"u": w})
    values = {e.date for e in events if "Aufräumen" in e.label}
    assert values == {"2023-09-13"}  # not the Wednesday a week before


def test_english_future_clauses_point_weekdays_forward(doc_of) -> None:
    doc = doc_of(
        "Voss is expected to meet the chancellor in Berlin on Tuesday, a spokesman said. "
        "The agreement could be signed on Wednesday.",
        published="2026-06-05",  # a Friday
        lang="en",
    )
    values = {doc.article.text[t.start : t.end]: t.value for t in doc.times}
    assert values["Tuesday"] == "2026-06-09" and values["Wednesday"] == "2026-06-10"


def test_the_day_a_dated_message_was_reported_is_no_second_event(doc_of) -> None:
    import dataclasses

    from lagebild.model import Quote, Span

    text = "Ein Auto wurde am Montag erfasst, teilte die Polizei am Dienstag mit."
    doc = doc_of(text)  # published Wednesday 2023-09-13
    alone = {e.date for e in time_stage.timeline([doc])}
    assert alone == {"2023-09-11", "2023-09-12"}  # without the quote: both days
    message = Span(0, text.index(", teilte"))
    quote = Quote(doc.id, "indirect", message, text[: message.end], Span(41, 47), "teilte")
    events = time_stage.timeline([dataclasses.replace(doc, quotes=(quote,))])
    assert [e.date for e in events] == ["2023-09-11"]


def test_two_days_in_a_row_are_one_span(doc_of) -> None:
    doc = doc_of("Der Streik hatte am Montag und Dienstag viele Flüge gekostet.")
    assert [(e.date, e.date_end) for e in time_stage.timeline([doc])] == [
        ("2023-09-11", "2023-09-12")
    ]
    apart = doc_of("Der Streik hatte am Montag und Mittwoch viele Flüge gekostet.")
    assert [e.date_end for e in time_stage.timeline([apart])] == [None, None]


def test_a_range_opened_by_zwischen_dem_is_one_event(doc_of) -> None:
    doc = doc_of("Die Umfragen wurden zwischen dem 24. und 26. Juni gemacht.")
    assert [(e.date, e.date_end) for e in time_stage.timeline([doc])] == [
        ("2023-06-24", "2023-06-26")
    ]


def test_a_range_written_with_clock_times_is_one_event(doc_of) -> None:
    doc = doc_of(  # published Wednesday 2023-09-13
        "Die Gewerkschaft hat einen Streik von Montag, 18. September, 2 Uhr bis Mittwoch, "
        "20. September, 18 Uhr angekündigt."
    )
    events = time_stage.timeline([doc])
    assert [(e.date, e.date_end) for e in events] == [("2023-09-18T02:00", "2023-09-20T18:00")]
    # a date and its hour with other words between are still two points, not one expression
    apart = doc_of("Am 18. September wird gestreikt, der Zug fährt dann erst um 18 Uhr.")
    assert [e.date_end for e in time_stage.timeline([apart])] == [None]


def test_one_articles_sentences_are_events_of_their_own(doc_of) -> None:
    lead = "Nordwind Air ruft zum Streik auf."
    later = "Nordwind Air will bis Mittwochabend einen Flugplan zeigen."  # the same day
    one = doc_of(f"{lead} {later}")  # published Wednesday 2023-09-13: the lead is that day
    events = time_stage.timeline([one])
    assert len(events) == 2 and all(len(e.citations) == 1 for e in events)
    other = doc_of("Der neue Flugplan von Nordwind kommt am Mittwochabend.", doc_id="b")
    merged = time_stage.timeline([one, other])
    shared = [e for e in merged if len(e.citations) == 2]
    assert len(merged) == 2 and len(shared) == 1  # across articles shared words make one event
    assert {c.article_id for c in shared[0].citations} == {"a1", "b"}
    assert shared[0].label == later


def test_a_forecast_of_the_month_is_no_citation_of_the_day_it_happened(doc_of) -> None:
    done = doc_of(
        "Die Ministerin eröffnete am 14. September in Graz die neue Murbrücke.", doc_id="d"
    )
    plan = doc_of(
        "Die Ministerin plant im September in Graz die neue Murbrücke zu eröffnen.",
        published="2023-08-28",
        doc_id="p",
    )
    told = doc_of(
        "Im September eröffnete die Ministerin in Graz die neue Murbrücke.",
        published="2023-10-02",
        doc_id="t",
    )
    events = time_stage.timeline([done, plan, told])
    by_date = {e.date: {c.article_id for c in e.citations} for e in events}
    # the report of the month joins the day; the plan for the month stays a forecast of its own
    assert by_date["2023-09-14"] == {"d", "t"}
    assert by_date["2023-09"] == {"p"}
    # two forecasts of one event at two precisions are one expected event
    soon = doc_of("Die Ministerin will am 14. September in Graz die neue Murbrücke eröffnen.")
    merged = time_stage.timeline([soon, plan])
    assert [sorted(c.article_id for c in e.citations) for e in merged] == [["a1", "p"]]


def _month_only(text: str, doc_id: str, year: int = 2019) -> Doc:
    """A doc whose publication date is known to the month only ("2019-09")."""
    article = Article(id=doc_id, title="", text=text, source=doc_id, format="text",
                      published=datetime(year, 9, 1, tzinfo=UTC), published_precision="month",
                      language="de")  # fmt: skip
    return time_stage.analyze(text_stage.analyze(Doc(article=article)))


def test_month_only_article_is_not_dated_to_the_first_of_its_month() -> None:
    doc = _month_only(
        "Der Fluss trat über die Ufer. Am Donnerstag stehen ganze Straßen unter Wasser. "
        "Am 10. September war die Brücke gesperrt worden.",
        "m",
    )
    _, events = time_stage.story_timeline([doc])
    lead = next(e for e in events if e.label.startswith("Der Fluss"))
    # the lead has no date of its own: it is the month the source states, not "2019-09-01"
    assert (lead.date, lead.granularity, lead.inferred) == ("2019-09", "month", False)
    # "am Donnerstag" in an unnarrowed month is one of four Thursdays: no day is invented
    assert not any("Donnerstag" in e.label for e in events), events
    # a day and month without a year still gets the year every day of the month gives
    assert any(e.date == "2019-09-10" for e in events)


def test_month_only_article_narrowed_by_its_story_is_an_inferred_day(doc_of) -> None:
    dated = doc_of("Heute stehen in Ontinyent ganze Straßen unter Wasser.", doc_id="d")
    month = _month_only(
        "Die Küste von Valencia steht unter Wasser. Am Dienstag hatte das Unwetter Mallorca "
        "erreicht.",
        "m",
        2023,
    )
    windows, events = time_stage.story_timeline([dated, month])
    assert windows["m"].likely is not None  # "am Dienstag" and the story narrow the month
    lead = next(e for e in events if e.label.startswith("Die Küste"))
    assert lead.granularity == "day" and lead.inferred  # a day the source does not state


def test_a_weekday_every_week_fits_is_the_one_nearest_the_story(doc_of) -> None:
    """Every Tuesday of the month fits "am Dienstag" and "am gestrigen Montag" equally; the
    story's dated report (Wednesday 25 September) makes the days around it the likeliest,
    not the month's first week."""
    dated = doc_of("Nach dem Beben suchen Helfer weiter nach Verschütteten.",
                   published="2019-09-25", doc_id="d")  # fmt: skip
    month = _month_only(
        "Das Erdbeben hat am Dienstag schwere Schäden angerichtet. Dort lag bereits das "
        "Zentrum des Bebens vom gestrigen Montag.",
        "m",
    )
    windows, events = time_stage.story_timeline([dated, month])
    likely = windows["m"].likely
    assert likely is not None and abs((likely - date(2019, 9, 25)).days) <= 1, windows["m"]
    lead = next(e for e in events if e.label.startswith("Das Erdbeben"))
    assert lead.date == "2019-09-24"


def test_a_time_told_again_in_another_zone_is_one_event(doc_of) -> None:
    doc = doc_of(
        "Die für 14:05 Uhr Ortszeit (8:05 Uhr deutscher Zeit) geplante Unterzeichnung in "
        "Seoul fällt aus. Um 16 Uhr (10 Uhr MEZ) beginnt die Pressekonferenz.",
        published="2019-02-28",
    )
    times = sorted(e.date for e in time_stage.timeline([doc]))
    assert times == ["2019-02-28T14:05", "2019-02-28T16:00"]
    two = doc_of("Der Zug fuhr um 8 Uhr ab und kam um 14 Uhr (nach sechs Stunden) an.")
    assert len(time_stage.timeline([two])) == 2  # two times of the day, not one told twice


def test_one_article_telling_a_happening_twice_is_one_event(doc_of) -> None:
    text = (
        "Am Montag trat der Bürgermeister von Linz überraschend zurück. "
        "Die Opposition verlangt Neuwahlen im Herbst. "
        "Der Bürgermeister von Linz war am Montag nach einem Streit zurückgetreten. "
        "Am Montag regnete es in Wels den ganzen Tag."
    )
    events = [e for e in time_stage.timeline([doc_of(text)]) if e.date == "2023-09-11"]
    assert sorted(len(e.citations) for e in events) == [1, 2]  # the rain is another event


def test_a_sentence_naming_years_beside_other_dates_is_one_line(doc_of) -> None:
    years = doc_of("Der Verein wurde in den Jahren 1974 und 1990 Weltmeister im Fußball.")
    assert [e.date for e in time_stage.timeline([years])] == ["1990"]
    mixed = doc_of("Der Prozess um den Anschlag vom Oktober 2019 endete am Montag in Halle.")
    assert [e.date for e in time_stage.timeline([mixed])] == ["2023-09-11"]
    # a schedule of days stays a line per day
    days = doc_of("Am Montag streiken die Lokführer, am Donnerstag die Busfahrer in Kiel.")
    assert len(time_stage.timeline([days])) == 2


def test_a_day_told_twice_in_apposition_is_one_event_or_one_range(doc_of) -> None:
    twice = doc_of("Am kommenden Sonntag, am 17. September, beginnt der Streik der Lokführer.")
    assert [e.date for e in time_stage.timeline([twice])] == ["2023-09-17"]
    span = doc_of(
        "Die Bahn fuhr von Montag (11. September) bis Mittwoch (13. September) nach einem "
        "Notfahrplan."
    )
    assert [(e.date, e.date_end) for e in time_stage.timeline([span])] == [
        ("2023-09-11", "2023-09-13")
    ]


def test_a_weekday_that_ends_a_range_lies_after_its_start(doc_of) -> None:
    doc = doc_of("Die Lokführer streiken von Donnerstag bis Montag im ganzen Land.")
    events = time_stage.timeline([doc])  # published Wednesday 2023-09-13
    assert [(e.date, e.date_end) for e in events] == [("2023-09-14", "2023-09-18")]


def test_the_days_an_undated_report_names_without_a_year_keep_their_weekday() -> None:
    from lagebild.model import Article, Doc
    from lagebild.time.infer import nearest_day, yearless_days

    text = (
        "Am Mittwoch, 24. Januar, beginnt der Streik im Personenverkehr. In der Nacht auf "
        "Dienstag (26. März) stürzte die Brücke ein. Am 20. Dezember des Vorjahres war "
        "Schluss. Am 9. November wurde gefeiert."
    )
    doc = Doc(article=Article(id="y", title="T", text=text, source="y", format="text"))
    days = yearless_days(doc)
    assert days == ((1, 24, 3), (3, 26, 2), (11, 9, None))  # no "des Vorjahres"
    # a Wednesday 24 January near a story of 10–12 January 2024 is 2024's
    assert nearest_day(days[:1], date(2024, 1, 10), date(2024, 1, 12)) == date(2024, 1, 24)
    # near March 2019 the nearest Wednesday 24 January is 2018's (2019's was a Thursday)
    assert nearest_day(days[:1], date(2019, 3, 1), date(2019, 3, 5)) == date(2018, 1, 24)
    assert nearest_day(days[2:], date(2014, 11, 4), date(2014, 11, 8)) == date(2014, 11, 9)
    assert nearest_day((), date(2014, 11, 4), date(2014, 11, 8)) is None


@pytest.mark.parametrize(
    ("lang", "text", "weekday"),
    [
        ("de", "Die Brücke bleibt auch morgen (Donnerstag) gesperrt, teilte die Stadt mit.", 2),
        ("de", "Die Brücke bleibt auch morgen (Freitag) gesperrt, teilte die Stadt mit.", 3),
        ("de", "Die Stadt hat die Brücke heute, Montag, gesperrt.", 0),
        ("de", "Am heutigen Dienstag blieb die Brücke gesperrt.", 1),
        ("de", "Die Stadt hatte die Brücke gestern (Sonntag) gesperrt.", 0),
        ("en", "The city said the bridge stays closed tomorrow (Thursday).", 2),
        ("fr", "Le pont restera fermé demain (jeudi), a indiqué la ville.", 2),
    ],
)
def test_a_relative_day_with_its_weekday_names_the_publication_day(
    doc_of, lang: str, text: str, weekday: int
) -> None:
    """ "morgen (Donnerstag)" is only true on a Wednesday: the undated report is dated to the
    Wednesday nearest its story (dated Wednesday 13 September 2023), not just its week."""
    dated = doc_of("Die Brücke ist eingestürzt.", doc_id="d", lang=lang)
    undated = doc_of(text, published=None, doc_id="u", lang=lang)
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None and w.likely is not None
    assert w.likely.weekday() == weekday, w
    assert abs((w.likely - date(2023, 9, 13)).days) <= 3, w
    assert w.earliest == w.latest == w.likely  # one day, not a week of candidates


def test_a_relative_day_alone_or_far_from_a_weekday_pins_nothing(doc_of) -> None:
    dated = doc_of("Die Brücke ist eingestürzt.", doc_id="d")
    undated = doc_of(
        "Die Brücke bleibt morgen gesperrt. Die Arbeiten hatten am Donnerstag begonnen.",
        published=None,
        doc_id="u",
    )
    w = time_stage.infer_date_window(undated, [dated, undated])
    assert w is not None and not any("morgen" in e for e in w.evidence[1:]), w
    assert w.latest > w.earliest or w.likely is not None
