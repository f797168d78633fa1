"""The reference time tracked through a text (TimeML anchoring): programmes over several days,
times told before their day, days something was said on, tense cues, anaphoric years."""

from __future__ import annotations

import pytest
from tests.time.conftest import make_doc


def _values(text: str, published: str = "2015-06-10") -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in make_doc(text, published).times]


def test_a_programme_over_several_days_keeps_each_time_on_its_day() -> None:
    text = (
        "Samstag, 13. Juni: 10 Uhr Markt, 15 Uhr Umzug. Sonntag: 10 Uhr Gottesdienst, "
        "14 Uhr Konzert."
    )
    assert _values(text) == [
        ("Samstag, 13. Juni", "2015-06-13"), ("10 Uhr", "2015-06-13T10:00"),
        ("15 Uhr", "2015-06-13T15:00"), ("Sonntag", "2015-06-14"),
        ("10 Uhr", "2015-06-14T10:00"), ("14 Uhr", "2015-06-14T14:00"),
    ]  # fmt: skip


def test_times_of_one_day_stay_there_when_the_next_day_follows() -> None:
    text = "Die Sammlung findet am 9. Juni von 16 bis 17.30 Uhr und am 11. Juni von 10 bis 12 Uhr statt."
    values = dict(_values(text, "2015-06-04"))
    assert values["17.30 Uhr"] == "2015-06-09T17:30"
    assert values["12 Uhr"] == "2015-06-11T12:00"


def test_a_time_told_before_its_day_takes_that_day() -> None:
    assert ("10 Uhr", "2015-06-13T10:00") in _values("Um 10 Uhr beginnt am Samstag der Umzug.")


def test_the_day_something_was_said_on_is_no_day_for_the_times_of_what_was_said() -> None:
    text = (
        "Der Unfall ereignete sich am Montag gegen 17 Uhr. Die Polizei teilte am Dienstag mit, "
        "dass der Fahrer um 18 Uhr ins Krankenhaus gebracht wurde."
    )
    assert ("18 Uhr", "2015-06-08T18:00") in _values(text)
    said = "Dies berichtete die Tagesschau am Donnerstag in ihrer 17 Uhr Ausgabe."
    assert ("17 Uhr", "2015-06-11T17:00") in _values(said, "2015-06-11")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Im Stadtteil ist am Donnerstag eine Autobombe explodiert.", "2015-06-04"),
        ("Im Ort brach am Montag ein Großbrand aus.", "2015-06-08"),
        ("Am Sonntag begannen die Sicherheitskräfte mit Razzien.", "2015-06-07"),
        ("Der Absturz soll sich am Samstag ereignet haben.", "2015-06-06"),
        ("Entgegen erster Befürchtungen kann er am Samstag abreisen.", "2015-06-13"),
        ("Seit Donnerstag halten die Demonstranten den Platz besetzt.", "2015-06-04"),
        ("Weitere Aktionen sind für Montag angekündigt.", "2015-06-15"),
    ],
)
def test_the_direction_of_a_bare_weekday_follows_the_verb(text: str, value: str) -> None:
    """Published on Wednesday, 10 June 2015."""
    assert [v for _, v in _values(text)] == [value]


def test_the_weekend_told_in_the_past_is_the_one_before() -> None:
    assert _values("Die Feuerwehr hatte noch am Wochenende die Brandstelle untersucht.") == [
        ("Wochenende", "2015-W23-WE")
    ]
    assert _values("Am Wochenende findet das Fest statt.") == [("Wochenende", "2015-W24-WE")]


def test_words_that_point_back_take_the_narrative_year_and_bare_months_do_not() -> None:
    text = "Nixon trat im August 1974 zurück, im Dezember desselben Jahres begann ein Prozess."
    assert ("Dezember desselben Jahres", "1974-12") in _values(text)
    other = "Bereits im Dezember 2005 war der Betrieb beendet worden, und am 9. September kreiste der Satellit tiefer."
    assert ("9. September", "2011-09-09") in _values(other, "2011-09-23")


def test_the_night_before_a_named_day_is_not_a_night_of_the_day_told_before(doc_of) -> None:
    """ "in der Nacht auf Samstag" points at the Saturday, not at a date the sentence named
    before it ("zwischen dem 24. und 26. Juni ... in der Nacht auf Samstag")."""
    text = (
        "Die Umfragen wurden zwischen dem 24. und 26. Juni gemacht, kurz vor der Ankündigung "
        "in der Nacht auf Samstag."
    )
    got = {(t.text, t.value) for t in doc_of(text).times}
    assert ("Samstag", "2023-09-09") in got
    assert not any(v.startswith("2023-06-26T") for _, v in got), got


def test_then_sets_a_month_in_the_year_told_just_before() -> None:
    text = (
        "Bereits im April 2020 hatte der Konzern Rettung im Schutzschirmverfahren gesucht. "
        "Das Verfahren dauerte damals bis Ende September."
    )
    assert ("Ende September", "2020-09") in _values(text, "2022-10-31")
    plain = (
        "Bereits im April 2020 hatte der Konzern Rettung im Schutzschirmverfahren gesucht. "
        "Das neue Verfahren dauert bis Ende Januar."
    )
    assert ("Ende Januar", "2023-01") in _values(plain, "2022-10-31")
