"""TIMEX3 values written the way a reader writes dates ("195" → "1950s").

The timeline CLI, the dossier exports and the web pages all show the same labels, so they
are worked out here once, beside the stage that produces the values.
"""

from __future__ import annotations

_TIMEX_PARTS = {
    "TMO": "morning", "TAF": "afternoon", "TEV": "evening", "TNI": "night", "-SP": "spring",
    "-SU": "summer", "-FA": "autumn", "-WI": "winter", "-Q1": "Q1", "-Q2": "Q2", "-Q3": "Q3",
    "-Q4": "Q4", "-H1": "first half", "-H2": "second half",
}  # fmt: skip


def timex_label(value: str) -> str:
    """A TIMEX3 value as a reader writes it: "2023-09-12TMO" → "2023-09-12 morning",
    "2023-SU" → "2023 summer", "195" → "1950s", "2023-W37" → "2023 week 37"."""
    if value.isdigit() and len(value) in (2, 3):
        return f"{value}{'0' * (4 - len(value))}s"
    for code, word in _TIMEX_PARTS.items():
        if value.endswith(code) and len(value) > len(code):
            return f"{value[: -len(code)]} {word}"
    if len(value) > 11 and value[10] == "T" and value[11:12].isdigit():
        return f"{value[:10]} {value[11:]}"
    if "-W" in value and value.split("-W", 1)[1].isdigit():
        year, week = value.split("-W", 1)
        return f"{year} week {int(week)}"
    return value


def when(value: str, end: str | None) -> str:
    """An event's date or range, the end shortened by what it shares with the start."""
    start = timex_label(value)
    if not end or end == value:
        return start
    stop = timex_label(end)
    if len(start) == len(stop) == 10 and start[:5] == stop[:5]:
        stop = stop[5:]
    return f"{start} – {stop}"
