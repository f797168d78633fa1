"""A date counted from another date names its own day on the timeline, while the tagger keeps
TimeML's two expressions (the duration and the date it counts from)."""

from __future__ import annotations

from lagebild import time as time_stage


def test_days_before_a_holiday_date_the_event(doc_of) -> None:
    doc = doc_of(
        "In Magdeburg ist vier Tage vor Heiligabend ein Anschlag verübt worden.",
        published="2024-12-21",
    )
    # what the tagger (and its TempEval scorer) sees: two expressions, as KRAUTS annotates
    assert [(t.text, t.type) for t in doc.times] == [
        ("vier Tage", "DURATION"),
        ("Heiligabend", "DATE"),
    ]
    (event,) = time_stage.timeline([doc])
    assert event.date == "2024-12-20"


def test_weeks_after_a_date_and_english(doc_of) -> None:
    de = doc_of("Zwei Wochen nach dem 3. Mai wurde das Urteil verkündet.", published="2024-06-01")
    assert [e.date for e in time_stage.timeline([de])] == ["2024-05-17"]
    en = doc_of("The bridge was reopened two weeks after May 3.", published="2024-06-01", lang="en")
    assert [e.date for e in time_stage.timeline([en])] == ["2024-05-17"]


def test_a_duration_before_a_date_it_does_not_count_from_stays_apart(doc_of) -> None:
    doc = doc_of("Vier Tage lang wurde gestreikt, am 3. Mai endete der Streik.",
                 published="2024-06-01")  # fmt: skip
    assert [e.date for e in time_stage.timeline([doc])] == ["2024-05-03"]
