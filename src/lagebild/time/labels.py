"""TIMEX3 values written the way a reader writes dates ("195" → "1950s").

The timeline CLI, the dossier exports and the web pages all show the same labels, so they
are worked out here once, from the one parsed value type (``time/value.py``).
"""

from __future__ import annotations

from lagebild.time.value import parse


def timex_label(value: str, mod: str | None = None) -> str:
    """A TIMEX3 value as a reader writes it: "2023-09-12TMO" → "2023-09-12 morning",
    "2023-SU" → "2023 summer", "195" → "1950s", "2023-W37" → "2023 week 37"; with a MOD,
    "2023" START → "early 2023"."""
    return parse(value, mod).label(with_mod=mod is not None)


def when(value: str, end: str | None) -> str:
    """An event's date or range, the end shortened by the year it shares with the start:
    "2023-09-12 – 09-14"."""
    start = timex_label(value)
    if not end or end == value:
        return start
    a, b = parse(value), parse(end)
    stop = b.label()
    if a.shape == b.shape == "day" and a.year is not None and a.year == b.year:
        stop = stop[5:]
    return f"{start} – {stop}"
