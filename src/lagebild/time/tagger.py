"""Find temporal expressions in a text and give each its value.

All rules run over the whole text (one regex scan each, which keeps the tagger far above
2,000 sentences/s); overlapping matches are settled longest-first, then the values are
computed in text order so that a later "am Vortag" or "um 20 Uhr" can lean on the last day
the text named.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lagebild.model import Sentence, TimeExpr
from lagebild.time.normalize import Context, Value, normalise
from lagebild.time.rules import Rule, RuleSet
from lagebild.time.tense import Tense, tense_at
from lagebild.time.value import parse

_DETERMINER = re.compile(r"(?:^|(?<=[\s(„\"]))([Dd](?:er|ie|as|en|em|es))\s+$")


@dataclass(frozen=True, slots=True)
class Found:
    """One accepted match: where it is and what it says, before resolution."""

    rule: Rule
    start: int
    end: int
    groups: tuple[tuple[str, str], ...]

    @property
    def groups_dict(self) -> dict[str, str]:
        return dict(self.groups)


def find(text: str, rs: RuleSet) -> list[Found]:
    """Non-overlapping matches of all rules in ``text``, in text order."""
    cands: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    scanner = rs.scanner
    starts = scanner.candidates(text) if scanner is not None else {}
    # whether the text has what a rule needs, per pattern: several rules need the same
    # (seven a month name), and each search runs over the whole text
    present: dict[re.Pattern[str], bool] = {}
    for order, rule in enumerate(rs.rules):
        if scanner is not None and not scanner.may_match(order, starts):
            continue  # nowhere to start: no need to look for what the rule needs
        needs = rule.needs
        if needs is not None:
            has = present.get(needs)
            if has is None:
                has = present[needs] = needs.search(text) is not None
            if not has:
                continue
        found = (
            scanner.finditer(order, rule.regex, text, starts)
            if scanner is not None
            else rule.regex.finditer(text)
        )
        for m in found:
            start = (
                m.end("pre")
                if "pre" in rule.regex.groupindex and m.group("pre") is not None
                else m.start()
            )
            end = m.end()
            if end > start:
                cands.append((start, end, order, rule, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, Rule, re.Match[str]]] = []
    for start, end, _, rule, m in cands:
        i = bisect.bisect_left(taken, (start, start))
        if i > 0 and taken[i - 1][1] > start:
            continue
        if i < len(taken) and taken[i][0] < end:
            continue
        taken.insert(i, (start, end))
        chosen.append((start, end, rule, m))
    chosen.sort(key=lambda c: c[0])
    out = []
    for start, end, rule, m in chosen:
        groups = {k: v for k, v in m.groupdict().items() if v is not None and k != "pre"}
        for k, v in rule.defaults:
            groups.setdefault(k, v)
        if rule.determiner:
            d = _DETERMINER.search(text, max(0, start - 5), start)
            if d is not None:
                start = d.start(1)
        out.append(Found(rule, start, end, tuple(sorted(groups.items()))))
    return out


def _sentence_of(sentences: Sequence[Sentence], starts: list[int], pos: int) -> Sentence | None:
    i = bisect.bisect_right(starts, pos) - 1
    if 0 <= i < len(sentences) and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None


@dataclass(frozen=True, slots=True)
class Resolved:
    """One found expression with the tense around it and its value (None: nonsense groups)."""

    found: Found
    tense: Tense
    value: Value | None


def tenses(found: Sequence[Found], sentences: Sequence[Sentence], lang: str = "de") -> list[Tense]:
    """The tense governing each found expression."""
    starts = [s.start for s in sentences]
    out: list[Tense] = []
    for f in found:
        sent = _sentence_of(sentences, starts, f.start)
        out.append(tense_at(sent.tokens, f.start, f.end, lang) if sent is not None else "present")
    return out


@dataclass(slots=True)
class _Reference:
    """What the text has said so far that later expressions lean on (TimeML anchoring)."""

    day: date | None = None  # the last day told
    clock_day: date | None = None  # the last day told that was not a day something was said on
    report: tuple[date, int] | None = None  # a day something was said on, and where it ends
    narrative: date | None = None  # the reference time of a narrative in another year
    narrative_sentence: int = -1
    schedule: date | None = None  # the last day told with its month
    schedule_sentence: int = -1
    month: date | None = None  # the first day of the last month told ("en janvier", "13. Juni")
    month_sentence: int = -1
    year: tuple[int, int] | None = None  # (year, end) of the last date told with its year


_CLAUSE_END = re.compile(r"[,;:.!?()–]")
_COORDINATION = re.compile(r"\b(?:und|sowie|oder|bzw|and|or|et|ou)\b")
_NARRATIVE_BREAKERS = frozenset({"deictic", "ref", "rel", "refday"})
_YEARLESS = frozenset({"month", "holiday", "easter"})  # what a year told before completes


def _reporting(text: str, f: Found, rs: RuleSet) -> bool:
    """Whether the day is the day something was said ("teilte die Polizei am Dienstag mit",
    "sagte er am Montag"), which is no reference for the times of what was said."""
    words = rs.tables.get("report")
    if not words or not text:
        return False
    before = _CLAUSE_END.split(text[max(0, f.start - 40) : f.start])[-1]
    after = _CLAUSE_END.split(text[f.end : f.end + 30])[0]
    return any(w.strip("„“\"'").lower() in words for w in (*before.split(), *after.split()[:3]))


def _points_back(text: str, f: Found, rs: RuleSet) -> bool:
    """Whether the sentence of ``f`` says it is set at a time told before ("damals",
    "seinerzeit", "à l'époque"): its month then takes the narrative's year, not the report's."""
    words = rs.tables.get("then")
    if not words or not text:
        return False
    lo = max(text.rfind(". ", 0, f.start), text.rfind("\n", 0, f.start)) + 1
    stops = [i for i in (text.find(". ", f.end), text.find("\n", f.end)) if i >= 0]
    sentence = text[lo : min(stops) if stops else len(text)].casefold()
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", sentence) for w in words)


def _narrative_point(value: Value, groups: dict[str, str], anchor: date | None) -> date | None:
    """The reference time an explicit date with a year sets, when not the anchor's year."""
    if "year" not in groups or anchor is None or value.type != "DATE":
        return None
    v = parse(value.value)
    first, last = v.first_day(), v.last_day()
    if first is None or last is None or v.rank < 2 or first.year == anchor.year:
        return None
    return first + (last - first) // 2


# What joins the two ends of a range of dates: "vom 3. März bis 15. August 2019", "zwischen dem
# 3. März und dem 15. August 2019", "3. März – 15. August 2019", "from 3 March to 15 August".
_RANGE_JOIN = re.compile(
    r"\s*(?:[-–—]|bis(?:\s+(?:zum|zur))?|und|to|until|till|through|and|au|et|jusqu'au)"
    r"(?:\s+(?:dem|den|am|the|le))?\s*",
    re.IGNORECASE,
)


def _range_years(found: Sequence[Found], text: str, rs: RuleSet) -> dict[int, tuple[str, Found]]:
    """The year a yearless first end of a range takes from its second end ("vom 3. März bis
    15. August 2019": 2019), with that end; the year before is taken when the first end lies
    later in the year ("vom 3. Dezember bis 15. Januar 2019": 2018)."""
    out: dict[int, tuple[str, Found]] = {}
    if not text:
        return out
    for k in range(len(found) - 1):
        a, b = found[k], found[k + 1]
        ga, gb = a.groups_dict, b.groups_dict
        if (
            "month" in ga
            and "year" not in ga
            and {"month", "year"} <= gb.keys()
            and not {"rel", "deictic", "ref", "anaphor", "hour"} & (ga.keys() | gb.keys())
            and _RANGE_JOIN.fullmatch(text[a.end : b.start])
        ):
            out[k] = (gb["year"], b)
    return out


def _year_before_if_later(groups: dict[str, str], end: Found, rs: RuleSet, value: Value) -> Value:
    """``value`` (a range's first end with the second end's year) a year earlier when it falls
    after that end ("3. Dezember bis 15. Januar 2019")."""
    ctx = Context(None)
    other = normalise(end.rule.type, end.groups_dict, rs, ctx)
    if other is None:
        return value
    first, last = parse(value.value).first_day(), parse(other.value).first_day()
    if first is None or last is None or first <= last:
        return value
    earlier = normalise("DATE", {**groups, "year": str(int(groups["year"]) - 1)}, rs, ctx)
    return earlier if earlier is not None else value


def resolve_found(
    found: Sequence[Found],
    tense_of: Sequence[Tense],
    rs: RuleSet,
    anchor: date | None,
    text: str = "",
    sentence_of: Sequence[int] | None = None,
) -> list[Resolved]:
    """Values for ``found`` (text order) against ``anchor``; the reference time runs along.

    The last day told is the reference of later times and relative days ("am Vortag", "um 20
    Uhr"); a time told before its day in one clause ("Um 10 Uhr beginnt am Samstag …") takes
    that day; a date with another year opens a narrative whose months take its year.
    """
    ref = _Reference()
    out: list[Resolved] = []
    range_years = _range_years(found, text, rs)
    for k, (f, tense) in enumerate(zip(found, tense_of, strict=True)):
        groups = dict(f.groups)
        range_end = None
        if k in range_years:
            groups["year"], range_end = range_years[k]  # "vom 3. März bis 15. August 2019"
        sent = sentence_of[k] if sentence_of is not None else 0
        if ref.narrative is not None and sent - ref.narrative_sentence > 1:
            ref.narrative = None
        if ref.schedule is not None and sent - ref.schedule_sentence > 1:
            ref.schedule = None
        if ref.month is not None and sent - ref.month_sentence > 1:
            ref.month = None
        day = ref.day
        if "hour" in groups:
            day = ref.clock_day
            if ref.report is not None and not _CLAUSE_END.search(text[ref.report[1] : f.start]):
                day = ref.report[0]  # "berichtete die Tagesschau am Donnerstag um 17 Uhr"
        if ref.narrative is not None and _points_back(text, f, rs) and "year" not in groups:
            groups.setdefault(
                "anaphor", "then"
            )  # "Das Verfahren dauerte damals bis Ende September"
        if (
            ref.year is not None
            and text  # without the text no clause is known
            and _YEARLESS & groups.keys()
            and not {"year", "rel", "deictic", "ref", "anaphor"} & groups.keys()
            and not _CLAUSE_END.search(text[ref.year[1] : f.start])
        ):
            groups["year"] = str(ref.year[0])  # "Im Jahr 2019 kam er am 15. August" (its clause)
        ctx = Context(anchor, tense, day, ref.narrative, ref.schedule, ref.month)
        value = normalise(f.rule.type, groups, rs, ctx)
        if value is None:
            out.append(Resolved(f, tense, value))
            continue
        if range_end is not None:
            value = _year_before_if_later(groups, range_end, rs, value)
        if "month" in groups and value.type == "DATE":
            first = parse(value.value).first_day()
            if first is not None:
                ref.month, ref.month_sentence = first.replace(day=1), sent
        if _NARRATIVE_BREAKERS & groups.keys() and text[
            f.start : f.end
        ].casefold() not in rs.tables.get("then", {}):
            ref.narrative = None  # "damals" itself points back into the narrative
        if value.type == "DATE":  # a duration between leaves it ("im Vorjahr wenige Tage vor")
            v = parse(value.value)
            first = v.first_day() if v.shape == "year" or "year" in groups else None
            ref.year = (first.year, f.end) if first is not None else None
        point = _narrative_point(value, groups, anchor)
        if point is not None:
            ref.narrative, ref.narrative_sentence = point, sent
        elif "year" in groups:
            ref.narrative = None
        if value.day is not None and "hour" not in groups and "refday" not in groups:
            ref.day = value.day
            if _reporting(text, f, rs):
                ref.report = (value.day, f.end)
            else:
                ref.clock_day, ref.report = value.day, None
            if "month" in groups and "day" in groups:
                ref.schedule, ref.schedule_sentence = value.day, sent
            if anchor is not None:
                _times_before_their_day(out, k, f, value.day, text, sentence_of, rs, anchor)
        out.append(Resolved(f, tense, value))
    return out


def _times_before_their_day(
    out: list[Resolved],
    k: int,
    day_found: Found,
    day: date,
    text: str,
    sentence_of: Sequence[int] | None,
    rs: RuleSet,
    anchor: date,
) -> None:
    """Re-anchor the clock times just before ``day_found`` in its clause on its day, unless
    their sentence told a day before them ("am 9. September von 16 bis 17.30 Uhr und am 11.
    September …": the times belong to the 9th)."""
    same = sentence_of[k] if sentence_of is not None else 0
    times: list[int] = []
    j, end = k - 1, day_found.start
    while j >= 0:
        r = out[j]
        if sentence_of is not None and sentence_of[j] != same:
            break
        if r.value is None or r.value.type != "TIME" or "hour" not in r.found.groups_dict:
            break
        between = text[r.found.end : end]
        if _CLAUSE_END.search(between) or _COORDINATION.search(between):
            break
        times.append(j)
        end = r.found.start
        j -= 1
    if not times:
        return
    for i in range(min(times) - 1, -1, -1):
        if sentence_of is not None and sentence_of[i] != same:
            break
        v = out[i].value
        if v is not None and v.day is not None and v.type == "DATE":
            return
    for j in times:
        r = out[j]
        value = normalise("TIME", r.found.groups_dict, rs, Context(anchor, r.tense, day))
        out[j] = Resolved(r.found, r.tense, value)


def to_time_exprs(
    resolved: Sequence[Resolved], text: str, anchor: date | None, article_id: str = ""
) -> list[TimeExpr]:
    return [
        TimeExpr(
            article_id=article_id,
            start=r.found.start,
            end=r.found.end,
            text=text[r.found.start : r.found.end],
            type=r.value.type,  # type: ignore[arg-type]
            value=r.value.value,
            mod=r.value.mod,
            anchor=anchor.isoformat() if anchor else None,
        )
        for r in resolved
        if r.value is not None
    ]


def resolve_all(
    found: Sequence[Found],
    text: str,
    sentences: Sequence[Sentence],
    rs: RuleSet,
    anchor: date | None,
    article_id: str = "",
) -> list[TimeExpr]:
    """Values for ``found`` (text order), anchored on ``anchor`` (None keeps them relative)."""
    tense_of: list[Tense] = ["present"] * len(found)
    if anchor is not None:
        need = [i for i, f in enumerate(found) if _needs_tense(dict(f.groups), rs)]
        if need:
            sub = tenses([found[i] for i in need], sentences, rs.lang)
            for i, t in zip(need, sub, strict=True):
                tense_of[i] = t
    starts = [s.start for s in sentences]
    sentence_of = [bisect.bisect_right(starts, f.start) for f in found]
    resolved = resolve_found(found, tense_of, rs, anchor, text, sentence_of)
    return to_time_exprs(resolved, text, anchor, article_id)


def _needs_tense(groups: dict[str, str], rs: RuleSet) -> bool:
    """Whether the value depends on which way the sentence points (past, present, future)."""
    if "year" in groups:
        return False
    return (
        "anaphor" in groups
        or ("unit" in groups and rs.lookup("unit", groups["unit"]) == "WE")
        or "month" in groups
        or ("weekday" in groups and "rel" not in groups)
        or "holiday" in groups
        or "easter" in groups
    )


def tag(
    text: str, sentences: Sequence[Sentence], rs: RuleSet, anchor: date | None, article_id: str = ""
) -> list[TimeExpr]:
    """Every temporal expression of ``text`` with its value."""
    return resolve_all(find(text, rs), text, sentences, rs, anchor, article_id)


__all__ = [
    "Found",
    "Resolved",
    "find",
    "resolve_all",
    "resolve_found",
    "tag",
    "tenses",
    "to_time_exprs",
]
