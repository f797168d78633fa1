"""German expressions with the values a reader expects, anchored on Wed 2023-09-13."""

from __future__ import annotations

import pytest

from lagebild import time as time_stage

CASES = [
    # weekday + tense: past -> previous, future -> next, present -> same week
    ("Kim ist am Dienstag in Russland eingetroffen.", "Dienstag", "2023-09-12"),
    ("Kim traf Putin am Montag.", "Montag", "2023-09-11"),
    ("Putin hatte Kim am Freitag getroffen.", "Freitag", "2023-09-08"),
    ("Kim wird Putin am Freitag treffen.", "Freitag", "2023-09-15"),
    ("Das Treffen soll am Montag stattfinden.", "Montag", "2023-09-18"),
    ("Am Donnerstag beginnt das Forum.", "Donnerstag", "2023-09-14"),
    ("Kirby sagte vergangenen Mittwoch in Washington.", "vergangenen Mittwoch", "2023-09-06"),
    ("Schoigu war Ende Juli nach Nordkorea gereist.", "Ende Juli", "2023-07"),
    ("Letzten Monat startete Russland eine Rakete.", "Letzten Monat", "2023-08"),
    ("Sie würden sich in den kommenden Tagen treffen.", "den kommenden Tagen", "PXD"),
    ("Das Land wird seit den 1950er Jahren geführt.", "den 1950er Jahren", "195"),
    ("In dem Krieg zwischen 1950 und 1953 starben viele.", "1950", "1950"),
    ("In dem Krieg zwischen 1950 und 1953 starben viele.", "1953", "1953"),
    ("Vom 10. bis 13. September findet ein Forum statt.", "10", "2023-09-10"),
    ("Vom 10. bis 13. September findet ein Forum statt.", "13. September", "2023-09-13"),
    ("Die Stelle gibt es seit vier Jahren.", "vier Jahren", "P4Y"),
    ("Der Markt ist jeden Montag geöffnet.", "jeden Montag", "XXXX-WXX-1"),
    ("Das Treffen war am 13.09.23 in Wostotschny.", "13.09.23", "2023-09-13"),
    (
        "Südkoreas Militär habe am Mittwochvormittag (Ortszeit) zwei Raketen erfasst.",
        "Mittwochvormittag",
        "2023-09-13TMO",
    ),
    ("Im April 2019 trafen sie sich in Wladiwostok.", "April 2019", "2019-04"),
    ("Der Besuch findet mehr als vier Jahre nach dem Gipfel statt.", "mehr als vier Jahre", "P4Y"),
    ("Gestern Abend brannte ein Stadel.", "Gestern Abend", "2023-09-12TEV"),
    ("Heuer gab es mehr Schnee als im Vorjahr.", "Vorjahr", "2022"),
    ("Am 1. Jänner 2024 tritt das Gesetz in Kraft.", "1. Jänner 2024", "2024-01-01"),
    ("Im Jänner wurde gewählt.", "Jänner", "2023-01"),
    ("Im Jänner wird gewählt.", "Jänner", "2024-01"),
]


@pytest.mark.parametrize(("sentence", "span", "value"), CASES)
def test_value(doc_of, sentence: str, span: str, value: str) -> None:
    got = {(t.text, t.value) for t in doc_of(sentence).times}
    assert (span, value) in got, got


def test_mod_and_type(doc_of) -> None:
    doc = doc_of("Schoigu war Ende Juli dort, seit vier Jahren jeden Montag um 20 Uhr.")
    by_text = {t.text: t for t in doc.times}
    assert by_text["Ende Juli"].mod == "END"
    assert by_text["vier Jahren"].type == "DURATION"
    assert by_text["jeden Montag"].type == "SET"
    assert by_text["20 Uhr"].type == "TIME"


def test_ages_are_not_durations(doc_of) -> None:
    assert not doc_of("Die beiden Männer sind 31 und 22 Jahre alt.").times


def test_undated_keeps_values_relative_and_resolve_reanchors(doc_of) -> None:
    doc = doc_of(
        "Kim ist am Dienstag eingetroffen. Das Treffen ist am 13. September.", published=None
    )
    values = {t.text: t.value for t in doc.times}
    assert values == {"Dienstag": "XXXX-WXX-2", "13. September": "XXXX-09-13"}
    assert all(t.anchor is None for t in doc.times)
    from datetime import date

    resolved = time_stage.resolve(doc, date(2023, 9, 13))
    assert {t.text: t.value for t in resolved.times} == {
        "Dienstag": "2023-09-12",
        "13. September": "2023-09-13",
    }
    assert {t.anchor for t in resolved.times} == {"2023-09-13"}


def test_render_times_marks_values(doc_of) -> None:
    doc = doc_of("Kim ist am Dienstag eingetroffen.")
    assert time_stage.render_times(doc) == "Kim ist am Dienstag[2023-09-12] eingetroffen."


def test_stage_contract(doc_of) -> None:
    doc = doc_of("Heute ist Mittwoch.")
    assert doc.stages[-1] == f"time@{time_stage.VERSION}"
    assert time_stage.VERSION >= 1
    for t in doc.times:
        assert doc.article.text[t.start : t.end] == t.text
        assert t.article_id == doc.id


def test_unknown_language_yields_nothing(doc_of) -> None:
    assert doc_of("Hoy es miércoles 13 de septiembre.", lang="es").times == ()


def test_english(doc_of) -> None:
    got = {
        (t.text, t.value)
        for t in doc_of(
            "Kim arrived on Tuesday and met Putin on September 13, 2023.", lang="en"
        ).times
    }
    assert ("Tuesday", "2023-09-12") in got
    assert ("September 13, 2023", "2023-09-13") in got


@pytest.mark.parametrize(
    "sentence",
    [
        "Auf Twitter (heute X) teilte das Unternehmen mit, es gebe Verzögerungen.",
        "Konstantinopel (heute Istanbul) war lange die Hauptstadt.",
    ],
)
def test_a_name_s_present_name_in_brackets_is_no_date(doc_of, sentence: str) -> None:
    """ "(heute X)" says what a place or service is called now, not that anything happened
    today; "(heute Mittwoch)" and "(heute Abend)" still are days."""
    assert [t.text for t in doc_of(sentence).times] == []
    kept = doc_of("Das Büro bleibt (heute Abend) und (heute Mittwoch) zu.").times
    assert [t.text for t in kept][:1] == ["heute Abend"] and len(kept) >= 2
