"""TIMEX3 values as readers write them, shared by the timeline CLI and the exports."""

from __future__ import annotations

import pytest

from lagebild.time.labels import timex_label, when


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("195", "1950s"),
        ("19", "1900s"),
        ("2023-SU", "2023 summer"),
        ("2023-09-12TMO", "2023-09-12 morning"),
        ("2023-09-12T14:30", "2023-09-12 14:30"),
        ("2023-W37", "2023 week 37"),
        ("2023-09-13", "2023-09-13"),
    ],
)
def test_timex_label(value: str, label: str) -> None:
    assert timex_label(value) == label


def test_when_shortens_the_end_of_a_range_within_one_year() -> None:
    assert when("2023-09-12", "2023-09-14") == "2023-09-12 – 09-14"
    assert when("195", None) == "1950s"
