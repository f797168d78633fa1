"""One parsed TIMEX3 value: what a value string means, parsed once.

TIMEX3 values (TimeML 1.2.1) are strings of many shapes: "2023-09-13", "2023-SU", "2015-WI",
"2023-W37-WE", "195", "2023-09-12TMO", "P4Y", "XXXX-WXX-2", "PRESENT_REF". Everything that sorts,
compares, converts or renders a value goes through :func:`parse` and :class:`TimexValue`, so a
new shape is taught in one place and a string no rule expected (junk included) is an
``unknown`` value that sorts last and renders as written, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Shape = Literal[
    "century", "decade", "year", "half", "quarter", "season", "month", "week", "weekend",
    "day", "time", "duration", "ref", "unknown",
]  # fmt: skip
Kind = Shape | Literal["set"]

# coarse to fine: a value of a lower rank may contain one of a higher rank
_RANK: dict[str, int] = {
    "century": 0, "decade": 1, "year": 2, "half": 3, "quarter": 4, "season": 4, "month": 5,
    "week": 6, "weekend": 7, "day": 8, "time": 9,
}  # fmt: skip
_CALENDAR = frozenset(_RANK)
_SEASONS = {"SP": (3, 21), "SU": (6, 21), "FA": (9, 23), "WI": (12, 21)}
_SEASON_WORDS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_DAYTIME = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_DAYTIME_MINUTES = {"MO": 360, "DT": 600, "AF": 780, "EV": 1080, "NI": 1320}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "the past", "FUTURE_REF": "the future"}
_MODS = {
    "START": "early {}", "MID": "mid-{}", "END": "late {}", "APPROX": "about {}",
    "BEFORE": "before {}", "AFTER": "after {}", "ON_OR_BEFORE": "{} or before",
    "ON_OR_AFTER": "{} or after", "LESS_THAN": "less than {}", "MORE_THAN": "more than {}",
    "EQUAL_OR_LESS": "at most {}", "EQUAL_OR_MORE": "at least {}",
}  # fmt: skip
_UNITS = {
    "Y": "year", "M": "month", "W": "week", "D": "day", "WE": "weekend", "DE": "decade",
    "CE": "century", "ML": "millennium", "Q": "quarter", "H": "hour", "TM": "minute",
    "S": "second", "SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter",
    "MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night",
}  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_DATE = re.compile(
    r"(?P<year>[0-9X]{4})"
    r"(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?"
    r"|-W(?P<week>[0-9X]{2})(?:-(?P<weekday>[1-7X])|-(?P<weekend>WE))?"
    r"|-(?P<season>SP|SU|FA|WI)"
    r"|-Q(?P<quarter>[1-4X])"
    r"|-H(?P<half>[12X]))?"
    r"(?:T(?:(?P<daytime>MO|AF|EV|NI|DT)"
    r"|(?P<hour>[0-9X]{2})(?::?(?P<minute>[0-9X]{2})(?::?(?P<second>[0-9X]{2})(?:\.\d+)?)?)?)"
    r"(?P<tz>Z|[+-]\d\d(?::?\d\d)?)?)?"
)
_SHORT = re.compile(r"(?P<digits>[0-9X]{2,3})")
_DURATION = re.compile(
    r"P(?P<date>(?:(?:\d+(?:[.,]\d+)?|X+)(?:CE|DE|ML|WE|SP|SU|FA|WI|Y|Q|M|W|D|L))*)"
    r"(?:T(?P<time>(?:(?:\d+(?:[.,]\d+)?|X+)(?:MO|AF|EV|NI|H|M|S))+))?"
)
_PART = re.compile(r"(\d+(?:[.,]\d+)?|X+)([A-Z]+?)(?=\d|X|$)")


def _num(text: str | None) -> int | None:
    """Digits as a number; None for an unspecified ("XX") or absent field."""
    return int(text) if text and text.isdigit() else None


@dataclass(frozen=True, slots=True)
class TimexValue:
    """A TIMEX3 value with its fields; ``None`` marks a field the value leaves open (``X``)."""

    raw: str
    shape: Shape
    year: int | None = None  # the first year a century, decade or year covers
    month: int | None = None
    day: int | None = None
    week: int | None = None  # ISO week
    weekday: int | None = None  # 1 = Monday ("XXXX-WXX-2")
    part: str | None = None  # "SU", "Q2", "H1" for seasons, quarters, halves
    daytime: str | None = None  # "MO", "AF", "EV", "NI", "DT" for "2023-09-12TMO"
    hour: int | None = None
    minute: int | None = None
    duration: tuple[tuple[float | None, str], ...] = ()  # (amount, unit): P1Y6M -> (1,Y),(6,M)
    mod: str | None = None
    set: bool = False  # a TIMEX3 SET ("every Tuesday", "P1W" as "weekly")

    @property
    def kind(self) -> Kind:
        return "set" if self.set else self.shape

    @property
    def calendar(self) -> bool:
        """A value with a place in the calendar (a day, a month, a season, a decade …)."""
        return self.shape in _CALENDAR and not self.set

    @property
    def specified(self) -> bool:
        """A calendar value whose place is fully known (no ``X`` where it matters)."""
        return self.calendar and self.first_day() is not None

    @property
    def rank(self) -> int:
        """Coarse to fine: century 0 … day 8, time 9; non-calendar values 10."""
        return _RANK.get(self.shape, 10)

    @property
    def granularity(self) -> Literal["year", "month", "day", "time", "decade", "century"]:
        """The timeline's granularity: weeks, seasons, quarters and halves count as months."""
        if self.shape in {"century", "decade", "year", "day", "time"}:
            return self.shape  # type: ignore[return-value]
        if self.shape in {"half", "quarter", "season", "month", "week", "weekend"}:
            return "month"
        return "century"

    def first_day(self) -> date | None:
        """The first day the value covers; None when it has no (known) place in the calendar."""
        span = _span(self)
        return span[0] if span else None

    def last_day(self) -> date | None:
        span = _span(self)
        return span[1] if span else None

    def sort_key(self) -> tuple[int, int, int, str]:
        """Calendar order: by first day, coarser before finer on the same day ("2023" <
        "2023-01" < "2023-SU" < "2023-07"); values without a known place last, by text."""
        first = self.first_day()
        if first is None:
            return (1, 0, 0, self.raw)
        minutes = 0
        if self.shape == "time":
            minutes = _DAYTIME_MINUTES.get(
                self.daytime or "", (self.hour or 0) * 60 + (self.minute or 0)
            )
        return (0, first.toordinal() * 1440 + minutes, self.rank, self.raw)

    def contains(self, other: TimexValue) -> bool:
        """Whether this value's days include all of ``other``'s (and it is coarser)."""
        return spans_contain(self.rank, self.days(), other.rank, other.days())

    def days(self) -> tuple[date, date] | None:
        """First and last day of a calendar value with a known place (None otherwise)."""
        return _span(self)

    def date_part(self) -> str:
        """The value without its time of day ("2023-09-12T14:30" -> "2023-09-12")."""
        return self.raw.split("T", 1)[0] if self.shape == "time" else self.raw

    def label(self, with_mod: bool = False) -> str:
        """The value as a reader writes it: "2023-SU" -> "2023 summer", "195" -> "1950s"."""
        text = _label(self)
        if with_mod and self.mod in _MODS:
            return _MODS[self.mod].format(text)
        return text

    def __str__(self) -> str:
        return self.raw


def spans_contain(
    rank: int, days: tuple[date, date] | None, other_rank: int, other: tuple[date, date] | None
) -> bool:
    """``TimexValue.contains`` on precomputed ranks and days (for loops over many pairs)."""
    if days is None or other is None or rank >= other_rank:
        return False
    return days[0] <= other[0] and other[1] <= days[1]


def _span(v: TimexValue) -> tuple[date, date] | None:
    """First and last day of a calendar value with a known place (None otherwise)."""
    if not v.calendar or v.year is None:
        return None
    if v.shape == "time":  # "2024-W23-WET20:00": the days of its date part
        return _span(parse(v.date_part()))
    y = v.year
    try:
        if v.shape == "century":
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
        if v.shape == "decade":
            return date(max(y, 1), 1, 1), date(y + 9, 12, 31)
        if v.shape == "year":
            return date(y, 1, 1), date(y, 12, 31)
        if v.shape in {"half", "quarter"}:
            n = int(v.part[1:]) if v.part and v.part[1:].isdigit() else 0
            if not n:
                return None
            months = 6 if v.shape == "half" else 3
            first = 1 + (n - 1) * months
            return date(y, first, 1), _month_end(y, first + months - 1)
        if v.shape == "season":
            if v.part not in _SEASONS:
                return None
            m, d = _SEASONS[v.part]
            nxt = {"SP": "SU", "SU": "FA", "FA": "WI", "WI": "SP"}[v.part]
            ny = y + 1 if v.part == "WI" else y
            return date(y, m, d), date(ny, *_SEASONS[nxt]) - timedelta(days=1)
        if v.shape in {"week", "weekend"}:
            if v.week is None:
                return None
            if v.shape == "weekend":
                return date.fromisocalendar(y, v.week, 6), date.fromisocalendar(y, v.week, 7)
            return date.fromisocalendar(y, v.week, 1), date.fromisocalendar(y, v.week, 7)
        if v.week is not None and v.weekday is not None:
            d = date.fromisocalendar(y, v.week, v.weekday)
            return d, d
        if v.month is None:
            return None
        if v.shape == "month":
            return date(y, v.month, 1), _month_end(y, v.month)
        if v.day is None:
            return None
        d = date(y, v.month, v.day)
        return d, d
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _label(v: TimexValue) -> str:
    y = str(v.year) if v.year is not None else "XXXX"
    if v.shape == "century" and v.year is not None:
        return f"{v.year}s"
    if v.shape == "decade" and v.year is not None:
        return f"{v.year}s"
    if v.shape == "half" and v.part:
        return f"{y} {'first' if v.part == 'H1' else 'second'} half"
    if v.shape == "quarter" and v.part:
        return f"{y} {v.part}"
    if v.shape == "season" and v.part:
        return f"{y} {_SEASON_WORDS[v.part]}"
    if v.shape in {"week", "weekend"} and v.year is not None and v.week is not None:
        return f"{y} week {v.week}" + (" weekend" if v.shape == "weekend" else "")
    if v.shape in {"day", "time"} and v.weekday is not None and v.year is None:
        every = "every " if v.set else ""
        return f"{every}{_WEEKDAYS[v.weekday - 1]}" + (
            f" {_DAYTIME[v.daytime]}" if v.daytime else ""
        )
    if v.shape == "time":
        day = v.date_part()
        if v.daytime:
            return f"{day} {_DAYTIME[v.daytime]}"
        return f"{day} {v.raw.split('T', 1)[1]}"
    if v.shape == "duration" and v.duration:
        words = []
        for amount, unit in v.duration:
            name = _UNITS.get(unit, unit.lower())
            if amount is None:
                words.append(f"{name}s")
            else:
                n = int(amount) if amount == int(amount) else amount
                words.append(f"{n} {name}{'' if n == 1 else 's'}")
        text = " ".join(words)
        if v.set:
            return "every " + (text[2:] if text.startswith("1 ") else text)
        return text
    if v.shape == "ref":
        return _REFS[v.raw]
    return v.raw


def parse(raw: str, mod: str | None = None, type: str | None = None) -> TimexValue:
    """The TIMEX3 value ``raw`` (with its MOD and TIMEX3 type); never raises.

    A string that is no TIMEX3 value is ``unknown``: it renders as written and sorts last.
    Values are immutable, so one parse serves every caller (a big story's dossier parses
    the same few hundred values tens of thousands of times).
    """
    return _parse(raw if isinstance(raw, str) else str(raw), mod, type)


@lru_cache(maxsize=1 << 14)
def _parse(raw: str, mod: str | None, type: str | None) -> TimexValue:
    is_set = type == "SET"
    if raw in _REFS:
        return TimexValue(raw, "ref", mod=mod, set=is_set)
    if raw.startswith("P"):
        parts = _duration_parts(raw)
        shape: Shape = "duration" if parts else "unknown"
        return TimexValue(raw, shape, duration=parts, mod=mod, set=is_set)
    m = _DATE.fullmatch(raw)
    if m is not None:
        return _calendar(raw, m, mod, is_set)
    m = _SHORT.fullmatch(raw)
    if m is not None:
        digits = m.group("digits")
        year = int(digits.ljust(4, "0")) if digits.isdigit() else None
        shape = "decade" if len(digits) == 3 else "century"
        return TimexValue(raw, shape, year=year, mod=mod, set=is_set)
    return TimexValue(raw, "unknown", mod=mod, set=is_set)


def _duration_parts(raw: str) -> tuple[tuple[float | None, str], ...]:
    m = _DURATION.fullmatch(raw)
    if m is None or not (m.group("date") or m.group("time")):
        return ()
    out: list[tuple[float | None, str]] = []
    for section, time in ((m.group("date") or "", False), (m.group("time") or "", True)):
        for amount, unit in _PART.findall(section):
            n = None if amount.startswith("X") else float(amount.replace(",", "."))
            out.append((n, "TM" if time and unit == "M" else unit))
    return tuple(out)


def _calendar(raw: str, m: re.Match[str], mod: str | None, is_set: bool) -> TimexValue:
    g = m.groupdict()
    year, month, day = _num(g["year"]), _num(g["month"]), _num(g["day"])
    week, weekday = _num(g["week"]), _num(g["weekday"])
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return TimexValue(raw, "unknown", mod=mod, set=is_set)
    if week is not None and not 1 <= week <= 53:
        return TimexValue(raw, "unknown", mod=mod, set=is_set)
    hour, minute = _num(g["hour"]), _num(g["minute"])
    if (hour is not None and hour > 24) or (minute is not None and minute > 59):
        return TimexValue(raw, "unknown", mod=mod, set=is_set)
    part = None
    shape: Shape
    if g["season"]:
        shape, part = "season", g["season"]
    elif g["quarter"]:
        shape, part = "quarter", f"Q{g['quarter']}"
    elif g["half"]:
        shape, part = "half", f"H{g['half']}"
    elif g["weekend"]:
        shape = "weekend"
    elif g["weekday"] or g["day"]:
        shape = "day"
    elif g["week"]:
        shape = "week"
    elif g["month"]:
        shape = "month"
    else:
        shape = "year"
    timed = g["daytime"] is not None or g["hour"] is not None
    if timed:
        shape = "time"
    value = TimexValue(
        raw,
        shape,
        year=year,
        month=month,
        day=day,
        week=week,
        weekday=weekday,
        part=part,
        daytime=g["daytime"],
        hour=hour,
        minute=minute,
        mod=mod,
        set=is_set,
    )
    if year is not None and month is not None and day is not None and _span(value) is None:
        return TimexValue(raw, "unknown", mod=mod, set=is_set)  # 2023-02-30
    if year is not None and week is not None and shape in {"week", "weekend"} and not _span(value):
        return TimexValue(raw, "unknown", mod=mod, set=is_set)  # week 53 of a 52-week year
    return value


def sort_key(raw: str) -> tuple[int, int, int, str]:
    """Calendar order of a value string (see :meth:`TimexValue.sort_key`)."""
    return parse(raw).sort_key()


def label(raw: str, mod: str | None = None) -> str:
    """A value string as a reader writes it (see :meth:`TimexValue.label`)."""
    return parse(raw, mod).label(with_mod=mod is not None)


__all__ = ["Kind", "Shape", "TimexValue", "label", "parse", "sort_key"]
