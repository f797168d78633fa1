"""A publication-date window for an undated article, from its own text and its story.

Every candidate day P near the story's dated articles is tried as the anchor; the article's
expressions are resolved against it and P is kept when they read naturally:
- an explicit day ("am 15. August") in the past tense lies on or before P, in the present
  or future tense on or after it; a month ("im September") likewise;
- news reports the latest past weekday it names ("am Dienstag ... eingetroffen") within two
  days, and the weekdays it names (with P) fall within one week;
- a relative day with its weekday beside it ("morgen (Donnerstag)", "heute, Freitag,", "am
  heutigen Mittwoch") names P's weekday outright: P is the day that makes the two agree;
- of the runs of days that satisfy most of this, the one nearest the story's dated articles
  wins. Without any such evidence the story alone gives a one-day-either-side window.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from lagebild.model import DateWindow, Doc
from lagebild.time.normalize import Context, Value, normalise
from lagebild.time.rules import RuleSet, ruleset
from lagebild.time.tagger import Found, find, resolve_found, tenses
from lagebild.time.tense import Tense
from lagebild.time.value import parse

_SEARCH_BEFORE = 21  # days before the earliest dated story article that are tried
_SEARCH_AFTER = 7
_RECENT_DAYS = 2  # a reported past weekday is at most this many days old
_WEEK = 7
STORY_ONLY = "no dating expressions of its own: dated by its story"

# (language, rule type, groups, tense, reference day, anchor) -> value; see ``Memo``
_Key = tuple[str, str, tuple[tuple[str, str], ...], Tense, date | None, date]
Memo = dict[_Key, Value | None]
"""Values already resolved, shared by the undated articles of one story: they try the same
candidate days and mostly say the same few things ("am Dienstag"), so each is resolved once."""


@dataclass(frozen=True, slots=True)
class _Evidence:
    found: Found
    tense: Tense
    kind: str  # "day", "month", "weekday", "rel-weekday"; "deictic" + "pinned" for a pair


# between "morgen" / "today" / "aujourd'hui" and the weekday that says which day that is
_PIN_GAP = re.compile(r"\s*(?:[(,–—]\s*(?:am|on|ce)?\s*)?", re.IGNORECASE)


def _pins(found: Sequence[Found], tense_of: Sequence[Tense], text: str) -> list[_Evidence]:
    """Pairs of a relative day and the weekday named beside it, as two evidence items.

    "morgen (Donnerstag)" read on a Wednesday: the pair holds on Wednesdays only, whatever
    the tense says. A plain "heute" without a weekday pins nothing."""
    out: list[_Evidence] = []
    for (a, ta), b in zip(zip(found, tense_of, strict=True), found[1:], strict=False):
        ga, gb = dict(a.groups), dict(b.groups)
        if a.rule.type != "DATE" or b.rule.type != "DATE" or set(gb) != {"weekday"}:
            continue
        if not ("deictic" in ga or "ref" in ga) or "weekday" in ga:
            continue
        gap = text[a.end : b.start]
        if len(gap) > 6 or not _PIN_GAP.fullmatch(gap) or ("ref" in ga and gap.strip()):
            continue
        out += [_Evidence(a, ta, "deictic"), _Evidence(b, ta, "pinned")]
    return out


def _kind(f: Found) -> str | None:
    g = dict(f.groups)
    if f.rule.type not in {"DATE", "TIME"} or "year" in g:
        return None
    if "weekday" in g and "rel" not in g:
        return "weekday"
    if "weekday" in g:
        return "rel-weekday"
    if "month" in g and "day" in g:
        return "day"
    if "month" in g and "rel" not in g:
        return "month"
    return None


def _month_range(v: Value) -> tuple[date, date] | None:
    month = parse(v.value)
    first, last = month.first_day(), month.last_day()
    if month.shape != "month" or first is None or last is None:
        return None
    return first, last


def _check(
    p: date, evidence: Sequence[_Evidence], values: Sequence[Value | None]
) -> tuple[int, int, int]:
    """(violations, evidence used, days spanned by p and its weekdays) of publication day p."""
    bad = used = 0
    week: list[date] = []
    latest_past: date | None = None
    pinned_to: date | None = None
    for ev, v in zip(evidence, values, strict=True):
        if ev.kind == "deictic":  # "heute" resolves to p; "am heutigen" is today by name
            present = v is not None and v.value == "PRESENT_REF"
            pinned_to = p if present else (v.day if v is not None else None)
            continue
        if ev.kind == "pinned":
            if pinned_to is not None and v is not None and v.day is not None:
                used += 1
                bad += pinned_to.weekday() != v.day.weekday()
            pinned_to = None
            continue
        if v is None:
            continue
        if ev.kind == "day" and v.day is not None:
            used += 1
            bad += (v.day > p) if ev.tense == "past" else (v.day < p)
        elif ev.kind == "month":
            rng = _month_range(v)
            if rng is None:
                continue
            used += 1
            bad += (rng[0] > p) if ev.tense == "past" else (rng[1] < p)
        elif ev.kind in {"weekday", "rel-weekday"} and v.day is not None:
            if abs((v.day - p).days) > _WEEK:
                continue  # tied to an explicit date the text named ("am 15. August ... am Dienstag")
            used += 1
            week.append(v.day)
            if ev.kind == "weekday" and v.day <= p and ev.tense == "past":
                latest_past = max(latest_past or v.day, v.day)
    if latest_past is not None and (p - latest_past).days > _RECENT_DAYS:
        bad += 1
    spread = (max([*week, p]) - min([*week, p])).days if week else 0
    if spread > _WEEK:
        bad += 1
    return bad, used, spread


def _values(
    evidence: Sequence[_Evidence], rs: RuleSet, anchor: date, memo: Memo
) -> list[Value | None]:
    """The values ``tagger.resolve_found`` gives the evidence against ``anchor`` (the same
    reference-day rule), each distinct (expression, tense, reference, anchor) computed once."""
    reference: date | None = None
    out: list[Value | None] = []
    for ev in evidence:
        f = ev.found
        key = (rs.lang, f.rule.type, f.groups, ev.tense, reference, anchor)
        if key in memo:
            value = memo[key]
        else:
            groups = dict(f.groups)
            value = normalise(f.rule.type, groups, rs, Context(anchor, ev.tense, reference))
            memo[key] = value
        if (
            value is not None
            and value.day is not None
            and not any(k in {"refday", "hour"} for k, _ in f.groups)
        ):
            reference = value.day
        out.append(value)
    return out


def _runs(days: list[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


KEPT = "dw"
"""The kind of an undated article's kept reading (``dossier.parts``): whether its text dates
it at all, the notes on its evidence, and the score of every candidate day tried so far.
These are the article's alone (its text against a day), so a story that grows reads them
back and works out only the days it has not tried: a window is the story's choice among
them (``window_among``)."""


class Kept(Protocol):
    """Per-article values kept between builds (``dossier.parts.Parts``)."""

    def get(self, doc: Doc, kind: str) -> Any | None: ...

    def put(self, doc: Doc, kind: str, value: Any) -> None: ...


def infer_date_window(
    doc: Doc,
    story_docs: Sequence[Doc] = (),
    memo: Memo | None = None,
    kept: Kept | None = None,
    dated: Sequence[date] | None = None,
) -> DateWindow | None:
    """The window in which ``doc`` was probably published, or None without any evidence.

    ``memo`` may be shared by the calls for one story's undated articles (it only saves time),
    as may ``dated`` (``dated_days(story_docs)``: the same for each of them); ``kept``: what
    an earlier build read from the article (``KEPT``).
    """
    if doc.article.published is not None:
        if doc.article.published_precision == "day":
            d = doc.article.published.date()
            return DateWindow(d, d, 1.0, ("published date",))
        return _within_span(doc, story_docs, memo, kept, dated)
    if dated is None:
        dated = dated_days(story_docs, doc.id)
    return window_among(doc, list(dated), memo, kept)


def dated_days(story_docs: Sequence[Doc], leave_out: str | None = None) -> list[date]:
    """The days of the story's articles dated to the day, in order (``leave_out``: an article
    id not to count); an undated article's window is looked for around them."""
    return sorted(
        s.article.published.date()
        for s in story_docs
        if s.article.published is not None
        and s.article.published_precision == "day"
        and s.id != leave_out
    )


@dataclass(frozen=True, slots=True)
class _Reading:
    """What an undated article's own text says for dating it (``_reading``)."""

    found: list[Found]
    tenses: list[Tense]
    evidence: list[_Evidence]


def _ruleset_of(doc: Doc) -> RuleSet | None:
    try:
        return ruleset(doc.article.language or "de")
    except ValueError:  # a language without time rules
        return None


def _reading(doc: Doc, rs: RuleSet | None) -> _Reading:
    found = find(doc.article.text, rs) if rs is not None else []
    tense_of = tenses(found, doc.sentences, doc.article.language or "de") if found else []
    pins = _pins(found, tense_of, doc.article.text)
    pinned = {id(e.found) for e in pins}  # the pair says it all: "(Donnerstag)" has no tense
    evidence = [
        _Evidence(f, t, k)
        for f, t in zip(found, tense_of, strict=True)
        if (k := _kind(f)) is not None and id(f) not in pinned
    ] + pins
    return _Reading(found, tense_of, evidence)


def window_among(
    doc: Doc, dated: list[date], memo: Memo | None = None, kept: Kept | None = None
) -> DateWindow | None:
    """``infer_date_window`` of an undated ``doc`` given the days of its story's dated
    articles (``dated_days``)."""
    row = kept.get(doc, KEPT) if kept is not None and dated else None
    reading: _Reading | None = None
    scores: dict[date, tuple[int, int, int]] = {}
    rs: RuleSet | None = None  # loaded only to read the text (a kept reading needs none)
    if row is not None:
        has_evidence, notes = bool(row[0]), list(row[1])
        scores = {date.fromordinal(k): (v[0], v[1], v[2]) for k, v in row[2].items()}
    else:
        rs = _ruleset_of(doc)
        reading = _reading(doc, rs)
        if not dated:
            explicit = (
                [
                    r.value.day
                    for r in resolve_found(reading.found, reading.tenses, rs, None)
                    if r.value is not None and r.value.day  # type: ignore[arg-type]
                ]
                if rs is not None
                else []
            )
            if not explicit:
                return None
            dated = [max(explicit)]  # the latest full date the text names
            kept = None  # a window from the text alone: nothing of the story's to keep
        has_evidence = bool(reading.evidence) and rs is not None
        notes = [
            f"{doc.article.text[e.found.start : e.found.end]!r} ({e.tense})"
            for e in reading.evidence[:8]
        ]
    story_note = f"story: {len(dated)} dated article(s) {dated[0].isoformat()}" + (
        f"…{dated[-1].isoformat()}" if len(dated) > 1 else ""
    )
    if not has_evidence:
        if kept is not None and row is None:
            kept.put(doc, KEPT, [False, [], {}])
        return DateWindow(
            dated[0] - timedelta(days=1),
            dated[-1] + timedelta(days=1),
            0.3,
            (story_note, STORY_ONLY),
        )
    candidates = [dated[0] - timedelta(days=i) for i in range(_SEARCH_BEFORE, 0, -1)]
    candidates += [
        dated[0] + timedelta(days=i) for i in range((dated[-1] - dated[0]).days + _SEARCH_AFTER + 1)
    ]
    if any(p not in scores for p in candidates):
        rs = rs or _ruleset_of(doc)
        assert rs is not None  # a text with evidence has rules to read it
        evidence = (reading or _reading(doc, rs)).evidence
        memo = {} if memo is None else memo
        for p in candidates:
            if p not in scores:
                scores[p] = _check(p, evidence, _values(evidence, rs, p, memo))
        if kept is not None:
            tried = {p.toordinal(): list(v) for p, v in scores.items()}
            kept.put(doc, KEPT, [True, notes, tried])
    scored = {p: scores[p] for p in candidates}
    best = min(v[0] for v in scored.values())
    ok = [p for p, v in scored.items() if v[0] == best]
    runs = _runs(ok)

    days = sorted(set(dated))

    def distance(run: list[date]) -> int:
        """Days between the run and the nearest dated article (the run is sorted)."""
        i = bisect.bisect_left(days, run[0])
        if i < len(days) and days[i] <= run[-1]:
            return 0
        near = [(run[0] - days[i - 1]).days] if i > 0 else []
        return min([*near, (days[i] - run[-1]).days] if i < len(days) else near)

    run = min(runs, key=lambda r: (distance(r), len(r)))
    used = max(scored[p][1] for p in run)
    width = (run[-1] - run[0]).days + 1
    confidence = max(
        0.1, min(0.95, 0.45 + 0.1 * used - 0.05 * width - 0.1 * best - 0.05 * (len(runs) - 1))
    )
    notes = [story_note, *notes]
    if best:
        notes.append(f"{best} expression(s) do not fit any day")
    # the likeliest day: the one that puts the article's weekdays closest together ("am
    # Mittwoch ... begonnen", "am Dienstagabend" read on a Tuesday would be a week apart);
    # among days that do so equally (every Tuesday fits "am Dienstag"), the one nearest the
    # story's dated reports, as reports of one event cluster in time
    likely = min(run, key=lambda p: (scored[p][2], distance([p]), p))
    return DateWindow(run[0], run[-1], round(confidence, 2), tuple(notes), likely)


def _within_span(
    doc: Doc,
    story_docs: Sequence[Doc],
    memo: Memo | None,
    kept: Kept | None = None,
    dated: Sequence[date] | None = None,
) -> DateWindow:
    """The window of a doc whose date is known to the month or year only ("2019-04"): what
    its text says, kept inside that span, else the whole span."""
    span = doc.article.published_span
    assert span is not None
    undated = dataclasses.replace(doc, article=dataclasses.replace(doc.article, published=None))
    w = infer_date_window(undated, story_docs, memo, kept, dated)
    note = f"published {doc.article.published_label}"
    if w is None or w.latest < span[0] or w.earliest > span[1]:
        return DateWindow(span[0], span[1], 0.5, (note,))
    likely = w.likely if w.likely and span[0] <= w.likely <= span[1] else None
    lo, hi = max(w.earliest, span[0]), min(w.latest, span[1])
    return DateWindow(lo, hi, max(w.confidence, 0.5), (note, *w.evidence), likely)


def window_anchor(window: DateWindow) -> date:
    """The day an undated article's relative expressions are resolved against.

    Its own weekdays put it on the window's likeliest day (where they lie closest together,
    else the start of the window); a window from the story alone is centred on the story's
    dates.
    """
    if STORY_ONLY in window.evidence:
        return window.earliest + (window.latest - window.earliest) // 2
    return window.likely or window.earliest


# between a weekday and the day it names: "Dienstag (26. März)", "Mittwoch, den 24. Januar"
_WEEKDAY_GAP = re.compile(r"\s*[,(]?\s*(?:den|dem)?\s*")

YearlessDay = tuple[int, int, int | None]  # (month, day, ISO weekday or None)


def yearless_days(doc: Doc) -> tuple[YearlessDay, ...]:
    """The days an undated article names without a year, as (month, day, weekday): "Mittwoch,
    24. Januar" is (1, 24, 3): some 24 January that fell on a Wednesday (2018, 2024, 2029 …),
    "9. November" any 9 November. A story dated near none of them is another event of the same
    actors (the GDL strike of 24 January is not the one of 10 January). Days counted from
    another year ("20. Dezember des Vorjahres") are left out: their year is not the report's
    neighbour."""
    lang = doc.article.language or "de"
    try:
        rs = ruleset(lang)
    except ValueError:
        return ()
    text = doc.article.text
    months = {k.casefold(): int(v) for k, v in rs.tables.get("month", {}).items() if v.isdigit()}
    weekdays = {
        k.casefold(): int(v) for k, v in rs.tables.get("weekday", {}).items() if v.isdigit()
    }
    out: list[YearlessDay] = []
    found = [f for f in find(text, rs) if f.rule.type in {"DATE", "TIME"}]
    for i, f in enumerate(found):
        g = dict(f.groups)
        if "year" in g or "rel" in g or "day" not in g or "month" not in g:
            continue
        month = months.get(g["month"].casefold().rstrip("."))
        if month is None or not g["day"].isdigit():
            continue
        wd = weekdays.get(g.get("weekday", "").casefold())
        if wd is None and i > 0:  # "Dienstag (26. März)": the weekday found on its own before
            prev = found[i - 1]
            p = dict(prev.groups)
            if set(p) == {"weekday"} and _WEEKDAY_GAP.fullmatch(text[prev.end : f.start]):
                wd = weekdays.get(p["weekday"].casefold())
        out.append((month, int(g["day"]), wd))
    return tuple(dict.fromkeys(out))


def nearest_day(days: Sequence[YearlessDay], lo: date, hi: date) -> date | None:
    """The calendar day matching one of ``days`` that lies closest to ``lo``…``hi`` (a weekday
    pins a day and month to one year in five to eleven, so twelve years either side are tried)."""
    best: tuple[int, date] | None = None
    for month, day, wd in days:
        for year in range(lo.year - 12, hi.year + 13):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if wd is not None and d.isoweekday() != wd:
                continue
            gap = max(0, (lo - d).days, (d - hi).days)
            if best is None or gap < best[0]:
                best = (gap, d)
    return best[1] if best else None


__all__ = [
    "KEPT",
    "Kept",
    "YearlessDay",
    "dated_days",
    "infer_date_window",
    "nearest_day",
    "window_among",
    "window_anchor",
    "yearless_days",
]
