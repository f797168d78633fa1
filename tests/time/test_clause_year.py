"""A day or month without a year takes the year its clause told just before it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Im Jahr 2019 kam er am 15. August nach Berlin.", "2019-08-15"),
        ("Taleb A. raste im Vorjahr wenige Tage vor Weihnachten über den Markt.", "2024-12-25"),
        ("Er raste im Vorjahr am 20. Dezember über den Markt.", "2024-12-20"),
        ("Am 3. März 2019 und am 15. August kam er.", "2019-08-15"),
        # another clause: the report's year rules as before
        ("Im Jahr 2019 war er dort, am 15. August kam er zurück.", "2025-08-15"),
    ],
)
def test_the_clause_year(doc_of, text: str, expected: str) -> None:
    doc = doc_of(text, published="2025-11-10")
    last = [t for t in doc.times if t.type == "DATE"][-1]
    assert last.value == expected, [(t.text, t.value) for t in doc.times]


def test_date_of_the_year_before_is_one_expression(doc_of) -> None:
    doc = doc_of("Er soll am 20. Dezember des Vorjahres gefahren sein.", published="2025-11-10")
    assert [(t.text, t.value) for t in doc.times] == [("20. Dezember des Vorjahres", "2024-12-20")]


def test_without_the_text_no_clause_is_known() -> None:
    """The window inference resolves expressions without the text: a year told in one
    sentence must not reach a date in another ('im April 2019' … '13. September')."""
    from lagebild.time.rules import ruleset
    from lagebild.time.tagger import find, resolve_found

    text = "Dort trafen sie sich im April 2019. Das Forum findet am 13. September statt."
    rs = ruleset("de")
    found = find(text, rs)
    values = [r.value.value for r in resolve_found(found, ["none"] * len(found), rs, None)]
    assert values[-1] == "XXXX-09-13", values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vom 3. März bis 15. August 2019 lief die Ausstellung.", ["2019-03-03", "2019-08-15"]),
        ("Zwischen dem 3. März und dem 15. August 2019 lief sie.", ["2019-03-03", "2019-08-15"]),
        ("Vom 3. Dezember bis 15. Januar 2019 lief sie.", ["2018-12-03", "2019-01-15"]),
        ("Sie lief vom 3. März 2018 bis 15. August 2019.", ["2018-03-03", "2019-08-15"]),
        # not one range: the report's year rules the first date as before
        ("Er kam am 3. März, am 15. August 2019 ging er.", ["2025-03-03", "2019-08-15"]),
    ],
)
def test_a_range_gives_its_year_to_its_first_end(doc_of, text: str, expected: list[str]) -> None:
    doc = doc_of(text, published="2025-11-10")
    assert [t.value for t in doc.times if t.type == "DATE"] == expected, [
        (t.text, t.value) for t in doc.times
    ]
