"""Dates counted from another date: "vier Tage vor Heiligabend", "two weeks after 3 May".

TimeML tags such a phrase as two expressions, a duration ("vier Tage", P4D) and the date it
counts from ("Heiligabend", 12-24), and that is what the tagger and its scorer keep. The day
the phrase names (20 December) is what a timeline needs: this module reads it from the pair
and the word between them, listed per language in the ``[shift]`` table of ``tables.txt``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from datetime import date, timedelta

from lagebild.model import TimeExpr
from lagebild.time.rules import tables
from lagebild.time.value import parse

_DAYS = {"D": 1, "W": 7}
_GAP = re.compile(r"\s+(?P<word>\w+)\s+(?:\w{2,3}\s+)?$")  # " vor dem ", " after ", " avant le "


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _table(lang: str) -> dict[str, str]:
    """The language's ``[shift]`` words and their direction; empty for a language without."""
    try:
        return tables(lang).get("shift", {})
    except ValueError:
        return {}


def shifted(text: str, times: Sequence[TimeExpr], lang: str) -> list[TimeExpr]:
    """``times`` with each "N days/weeks before|after DATE" pair replaced by one DATE of the day
    it names (spanning both); everything else as it was."""
    table = _table(lang)
    out: list[TimeExpr] = []
    i = 0
    while i < len(times):
        merged = _merge(text, times[i], times[i + 1], table) if i + 1 < len(times) else None
        out.append(merged or times[i])
        i += 2 if merged is not None else 1
    return out


def counting_durations(text: str, times: Sequence[TimeExpr], lang: str) -> list[TimeExpr]:
    """The durations that count from a date ("vier Tage" of "vier Tage vor Heiligabend"),
    resolved or not: part of a date, no amount of time anything took."""
    table = _table(lang)
    return [d for d, at in itertools.pairwise(times) if _sign(text, d, at, table) is not None]


def _sign(text: str, dur: TimeExpr, at: TimeExpr, table: dict[str, str]) -> str | None:
    """The direction ``dur`` counts from ``at`` ("-1" before, "1" after), None if it does not."""
    if dur.type != "DURATION" or at.type != "DATE" or dur.mod is not None:
        return None
    gap = _GAP.fullmatch(" " + text[dur.end : at.start]) if at.start - dur.end <= 16 else None
    return table.get(gap["word"].casefold()) if gap else None


def _merge(text: str, dur: TimeExpr, at: TimeExpr, table: dict[str, str]) -> TimeExpr | None:
    sign = _sign(text, dur, at, table)
    day = _day(at.value)
    if sign is None or day is None:
        return None
    parts = parse(dur.value).duration
    if len(parts) != 1:
        return None
    amount, unit = parts[0]
    if amount is None or unit not in _DAYS or amount != int(amount):
        return None
    d = day + timedelta(days=int(sign) * int(amount) * _DAYS[unit])
    return dataclasses.replace(
        at, start=dur.start, text=text[dur.start : at.end], value=d.isoformat(), mod=None
    )


__all__ = ["counting_durations", "shifted"]
