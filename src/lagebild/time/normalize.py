"""Groups of a matched rule → a TIMEX3 value, resolved against an anchor date.

The rules only say *what* was written (month 9, weekday 2, rel -1, unit M); this module
decides *when* that is, given the anchor (publication date), the tense of the sentence and
the reference date (the last day the text itself mentioned). Without an anchor the value
stays underspecified ("XXXX-09-13", "XXXX-WXX-2") so it can be resolved later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lagebild.time.rules import RuleSet
from lagebild.time.tense import Tense

_MINUTES_OR_LESS = {"TM": "M", "TS": "S", "H": "H"}


@dataclass(frozen=True, slots=True)
class Value:
    type: str
    value: str
    mod: str | None = None
    day: date | None = None  # the calendar day when the value has day granularity


@dataclass(frozen=True, slots=True)
class Context:
    anchor: date | None
    tense: Tense = "present"
    reference: date | None = None  # last day mentioned in the text before this expression
    # TimeML's reference time of a narrative set in another year: the last explicit date with
    # a year ("im März 1992", "1991") of this or the previous sentence, when not the anchor's;
    # only words that point back to it use it ("im selben Jahr", "im August desselben Jahres")
    narrative: date | None = None
    # the last day told with its month in this or the previous sentence ("Samstag, 13. Juni"):
    # a programme's later weekdays follow it
    schedule: date | None = None
    # the first day of the last month told in this or the previous sentence ("jusqu'en
    # janvier"): a day told with its weekday only ("le mercredi 29") falls in it when it can
    month: date | None = None


def _num(text: str, rs: RuleSet) -> float | None:
    t = rs.lookup("number", text)
    if t is not None:
        return float(t)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _fmt_num(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y <= 50 else 1900
    return y


def _month(text: str, rs: RuleSet) -> int:
    return int(text) if text.isdigit() else int(rs.lookup("month", text) or 0)


def directed_year(month: int, day: int | None, anchor: date, sign: int) -> int:
    """The year of "le 20 septembre dernier" (the latest such day up to the anchor) or
    "… prochain" (the first from the anchor on)."""
    try:
        this = date(anchor.year, month, min(day or 1, 28) if month == 2 else day or 1)
    except ValueError:
        return anchor.year  # no such day ("31 avril"): the caller drops the expression
    if sign < 0:
        return anchor.year - 1 if this > anchor else anchor.year
    if sign > 0:
        return anchor.year + 1 if this < anchor else anchor.year
    return anchor.year


def pick_year(month: int, day: int | None, ctx: Context) -> int:
    """The year of an underspecified month (and day): tense decides the direction."""
    a = ctx.anchor
    assert a is not None
    d = day or 15
    cands = []
    for y in (a.year - 1, a.year, a.year + 1):
        try:
            cands.append(date(y, month, min(d, 28) if month == 2 and d > 28 else d))
        except ValueError:
            cands.append(date(y, month, 28))
    same_month = month == a.month and day is None
    nearest = min(cands, key=lambda c: abs((c - a).days))
    if abs((nearest - a).days) <= (75 if day else 62):
        return nearest.year  # close to the anchor: the tense is often that of the report
    if ctx.tense == "past":
        if same_month:
            return a.year
        past = [c for c in cands if c <= a + timedelta(days=1)]
        return past[-1].year if past else a.year
    if ctx.tense == "future":
        if same_month:
            return a.year
        fut = [c for c in cands if c >= a - timedelta(days=1)]
        return fut[0].year if fut else a.year
    return min(cands, key=lambda c: abs((c - a).days)).year


def narrative_year(month: int, day: int | None, ctx: Context) -> int | None:
    """The year of a month (and day) told inside a narrative set in another year ("Im März
    1992 verlor sie die Nase. Im April brachte man sie …"): the one nearest the narrative's
    reference time, as TimeML anchors it; None when no narrative is running or the sentence
    looks ahead."""
    n = ctx.narrative
    if n is None or ctx.tense == "future":
        return None
    d = min(day or 15, 28)
    return min((n.year - 1, n.year, n.year + 1), key=lambda y: abs((date(y, month, d) - n).days))


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def weekday_of_month_day(wd: int, day: int, ctx: Context) -> date | None:
    """The day ``day`` of a month near the anchor that falls on weekday ``wd`` ("mercredi 29"):
    in the month told just before when it falls on that weekday there, else the nearest such
    date within two months, the tense's side first; else the ``day`` of the
    nearest month on the tense's side (the weekday misprinted); None if neither exists."""
    a = ctx.anchor
    assert a is not None
    if ctx.month is not None:  # "… jusqu'en janvier, … le mercredi 29": that month's 29th
        try:
            told = ctx.month.replace(day=day)
        except ValueError:
            told = None
        if told is not None and told.isoweekday() == wd:
            return told
    months = [(a.year * 12 + a.month - 1 + k) for k in range(-2, 3)]
    dates = []
    for n in months:
        try:
            dates.append(date(n // 12, n % 12 + 1, day))
        except ValueError:
            continue
    side = {"past": lambda d: d <= a, "future": lambda d: d >= a}.get(ctx.tense, lambda d: True)
    for pool in ([d for d in dates if d.isoweekday() == wd and side(d)],
                 [d for d in dates if d.isoweekday() == wd],
                 [d for d in dates if side(d)]):  # fmt: skip
        if pool:
            return min(pool, key=lambda d: abs((d - a).days))
    return None


def weekday_date(wd: int, rel: int | None, ctx: Context) -> date:
    """The date of weekday ``wd`` (1 = Monday) near the anchor."""
    a = ctx.anchor
    assert a is not None
    delta = wd - a.isoweekday()
    if rel == -1:
        return a + timedelta(days=delta - 7 if delta >= 0 else delta)
    if rel == 1:
        return a + timedelta(days=delta + 7 if delta <= 0 else delta)
    ref = ctx.reference
    if ref is not None and ref.isoweekday() == wd and abs((ref - a).days) <= 40:
        return ref  # "am 15. August ... sagte Putin am Dienstag"
    plan = ctx.schedule
    if plan is not None and ctx.tense != "past" and 0 <= (plan - a).days <= 40:
        # a programme that runs ahead: "Samstag, 13. Juni: … Sonntag: …" -> the Sunday after
        return plan + timedelta(days=(wd - plan.isoweekday()) % 7)
    if ctx.tense == "past":
        return a + timedelta(days=delta - 7 if delta > 0 else delta)
    if ctx.tense == "future":
        return a + timedelta(days=delta + 7 if delta < 0 else delta)
    if delta > 3:
        delta -= 7
    elif delta < -3:
        delta += 7
    return a + timedelta(days=delta)


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(d: date, n: int) -> tuple[int, int]:
    m = d.month - 1 + n
    return d.year + m // 12, m % 12 + 1


def _part(groups: dict[str, str], rs: RuleSet) -> str | None:
    p = groups.get("part")
    if not p:
        return None
    return rs.lookup("part_adv", p) or rs.lookup("part", p)


def _unit(groups: dict[str, str], rs: RuleSet) -> str | None:
    u = groups.get("unit")
    if u and len(u) <= 2 and u.isupper():
        return u  # a default from the rule ("set: unit=Y")
    if u:
        return rs.lookup("unit", u)
    word = (groups.get("word") or "").lower()
    for stem, letter in (
        ("daily", "D"),
        ("week", "W"),
        ("month", "M"),
        ("year", "Y"),
        ("annual", "Y"),
        ("jahr", "Y"),
        ("jähr", "Y"),
        ("monat", "M"),
        ("woch", "W"),
        ("wöch", "W"),
        ("täg", "D"),
        ("tag", "D"),
        ("stünd", "H"),
        ("stund", "H"),
    ):
        if stem in word:
            return letter
    return None


def normalise(rule_type: str, groups: dict[str, str], rs: RuleSet, ctx: Context) -> Value | None:
    """The TIMEX3 value of one match, or None when the groups make no sense (e.g. 31 Feb)."""
    g = {k: v for k, v in groups.items() if v}
    mod = rs.lookup("mod", g["mod"]) if "mod" in g else None
    if "approx" in g:
        mod = rs.lookup("approx", g["approx"]) or mod
    if rule_type == "DURATION":
        return _duration(g, rs, mod)
    if rule_type == "SET":
        return _set(g, rs)
    if rule_type == "TIME" and "hour" in g:
        return _time(g, ctx)
    return _date(g, rs, ctx, mod)


def _duration(g: dict[str, str], rs: RuleSet, mod: str | None) -> Value | None:
    unit = _unit(g, rs)
    if unit is None:
        return None
    amount = "X"
    if "n" in g:
        n = _num(g["n"], rs)
        if n is None:
            return None
        amount = _fmt_num(n)
    if unit == "DE":
        unit, amount = "Y", amount if amount == "X" else _fmt_num(float(amount) * 10)
    if unit in _MINUTES_OR_LESS:
        return Value("DURATION", f"PT{amount}{_MINUTES_OR_LESS[unit]}", mod)
    if unit == "Q":
        unit, amount = "M", amount if amount == "X" else _fmt_num(float(amount) * 3)
    return Value("DURATION", f"P{amount}{unit}", mod)


def _set(g: dict[str, str], rs: RuleSet) -> Value | None:
    if "weekday" in g:
        wd = rs.lookup("weekday", g["weekday"]) or rs.lookup("weekday_adv", g["weekday"])
        part = _part(g, rs)
        return Value("SET", f"XXXX-WXX-{wd}" + (f"T{part}" if part else ""))
    unit = _unit(g, rs)
    if unit == "WD":
        return Value("SET", "P1D", "WEEKDAYS")
    if unit is None:
        return None
    n = _fmt_num(_num(g["n"], rs) or 1) if "n" in g else "1"
    if unit in _MINUTES_OR_LESS:
        return Value("SET", f"PT{n}{_MINUTES_OR_LESS[unit]}")
    return Value("SET", f"P{n}{unit}")


def _time(g: dict[str, str], ctx: Context) -> Value:
    hh = int(g["hour"])
    mm = int(g.get("minute", "0"))
    part = g.get("part", "").lower()
    if part in {"abends", "nachmittags", "nachts"} and hh < 12:
        hh += 12 if part != "nachts" or hh >= 6 else 0
    ampm = g.get("ampm", "").lower().replace(".", "")
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    day = ctx.reference or ctx.anchor
    prefix = day.isoformat() if day else "XXXX-XX-XX"
    return Value("TIME", f"{prefix}T{hh:02d}:{mm:02d}", day=day)


def _with_part(d: date | None, undated: str, part: str | None, mod: str | None) -> Value:
    text = d.isoformat() if d else undated
    if part:
        return Value("TIME", f"{text}T{part}", mod, day=d)
    return Value("DATE", text, mod, day=d)


def _date(g: dict[str, str], rs: RuleSet, ctx: Context, mod: str | None) -> Value | None:
    a = ctx.anchor
    part = _part(g, rs)
    if "ref" in g:
        return Value("DATE", rs.lookup("ref", g["ref"]) or g["ref"], mod)
    if "deictic" in g:
        off = int(
            rs.lookup("deictic", g["deictic"])
            or rs.lookup("deictic_adj", g["deictic"])
            or g["deictic"]
        )
        return _with_part(a + timedelta(days=off) if a else None, "XXXX-XX-XX", part, mod)
    if "refday" in g:
        base = ctx.reference or a
        return _with_part(
            base + timedelta(days=int(g["refday"])) if base else None, "XXXX-XX-XX", part, mod
        )
    if "decade" in g:
        dec = g["decade"]
        dec = dec if len(dec) == 4 else ("19" if int(dec) >= 30 or a is None else "20") + dec
        return Value("DATE", dec[:3], mod)
    if "century" in g:
        return Value("DATE", f"{int(g['century']) - 1:02d}", mod)
    year = _year(g["year"]) if "year" in g else None
    if "easter" in g:
        off = int(rs.lookup("easter", g["easter"]) or 0)
        if year is None and a is not None:
            this = easter(a.year) + timedelta(days=off)
            year = a.year + (1 if ctx.tense != "past" and this < a - timedelta(days=7) else 0)
            year -= 1 if ctx.tense == "past" and this > a + timedelta(days=7) else 0
        if year is None:
            return Value("DATE", "XXXX-XX-XX", mod)
        d = easter(year) + timedelta(days=off)
        return Value("DATE", d.isoformat(), mod, day=d)
    if "holiday" in g:
        mmdd = rs.lookup("holiday", g["holiday"]) or "XX-XX"
        m, d = int(mmdd[:2]), int(mmdd[3:])
        if year is None and a is not None:
            year = pick_year(m, d, ctx)
        return Value("DATE", f"{year or 'XXXX'}-{mmdd}", mod)
    if "month" in g:
        m = _month(g["month"], rs)
        if not 1 <= m <= 12:
            return None
        day = int(g["day"]) if "day" in g else None
        if "rel" in g and a is not None:
            rel = rs.lookup("rel", g["rel"]) or rs.lookup("rel_year", g["rel"])
            year = a.year + int(rel or 0)
        if year is None and "dir" in g and a is not None:
            year = directed_year(m, day, a, int(rs.lookup("rel", g["dir"]) or 0))
        if year is None and "anaphor" in g:
            year = narrative_year(m, day, ctx)
        if year is None and a is not None:
            year = pick_year(m, day, ctx)
        ytext = str(year) if year else "XXXX"
        if day is None:
            return Value("DATE", f"{ytext}-{m:02d}", mod)
        try:
            d = date(year, m, day) if year else None
            if year is None:
                date(2000, m, day)  # validity (leap year allows 29 Feb)
        except ValueError:
            return None
        return _with_part(d, f"XXXX-{m:02d}-{day:02d}", part, mod)
    if "season" in g:
        s = rs.lookup("season", g["season"]) or rs.lookup("season_noun", g["season"]) or "XX"
        if year is None and a is not None:
            rel = int(rs.lookup("rel", g["rel"]) or 0) if "rel" in g else None
            year = a.year + (rel or 0)
            if rel is None and s == "WI" and a.month <= 3:
                year -= 1
        return Value("DATE", f"{year or 'XXXX'}-{s}", mod)
    if "quarter" in g or "half" in g:
        key = "quarter" if "quarter" in g else "half"
        n = rs.lookup("ordinal", g[key]) or g[key].rstrip(".")
        year = year or (a.year if a else None)
        return Value("DATE", f"{year or 'XXXX'}-{'Q' if key == 'quarter' else 'H'}{n}", mod)
    if "weekday" in g and "day" in g and a is not None:  # "le mercredi 29": the 29th
        wd = int(rs.lookup("weekday", g["weekday"]) or 0)
        d = weekday_of_month_day(wd, int(g["day"]), ctx)
        if d is not None:
            return _with_part(d, "", part, mod)
    if "weekday" in g and "weekrel" in g and a is not None:
        wd = int(rs.lookup("weekday", g["weekday"]) or 0)
        monday = a - timedelta(days=a.isoweekday() - 1)
        weeks = int(rs.lookup("rel", g["weekrel"]) or 0)
        return _with_part(monday + timedelta(weeks=weeks, days=wd - 1), "", part, mod)
    if "weekday" in g:
        wd = int(rs.lookup("weekday", g["weekday"]) or 0)
        rel = int(rs.lookup("rel", g["rel"]) or 0) if "rel" in g else None
        if a is None:
            return _with_part(None, f"XXXX-WXX-{wd}", part, mod)
        return _with_part(weekday_date(wd, rel, ctx), "", part, mod)
    if year is not None:
        return Value("DATE", str(year), mod)
    unit = _unit(g, rs)
    if unit is None:
        return None
    rel = int(rs.lookup("rel", g["rel"]) or g["rel"]) if "rel" in g else 0
    if a is None:
        return Value(
            "DATE",
            {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE"}.get(
                unit, "XXXX-XX-XX"
            ),
            mod,
        )
    if "anaphor" in g and "rel" not in g and ctx.narrative is not None and ctx.tense != "future":
        n = ctx.narrative  # "Erst 1991 erhielt er den Status. Ab Ende des Jahres …" -> 1991
        if unit == "Y":
            return Value("DATE", str(n.year), mod)
        if unit == "M":
            return Value("DATE", f"{n.year}-{n.month:02d}", mod)
    if unit == "Y":
        return Value("DATE", str(a.year + rel), mod)
    if unit == "M":
        y, m = _add_months(a, rel)
        return Value("DATE", f"{y}-{m:02d}", mod)
    if unit == "W":
        return Value("DATE", _week(a + timedelta(weeks=rel)), mod)
    if unit == "WE":
        # KRAUTS/HeidelTime convention: "am Wochenende" is the weekend of the anchor's ISO week;
        # told in the past on a weekday, it is the weekend before ("hatte am Wochenende …")
        if "rel" not in g and ctx.tense == "past" and a.isoweekday() < 6:
            rel = -1
        elif "rel" not in g and ctx.tense == "future" and a.isoweekday() == 7:
            rel = 1
        return Value("DATE", _week(a + timedelta(weeks=rel)) + "-WE", mod)
    if unit == "DE":
        return Value("DATE", str(a.year // 10 + rel)[:3], mod)
    if unit == "D":
        return _with_part(a + timedelta(days=rel), "", part, mod)
    return None


__all__ = ["Context", "Value", "narrative_year", "normalise", "pick_year", "weekday_date"]
