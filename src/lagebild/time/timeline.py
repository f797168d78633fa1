"""A story's timeline: what its articles say happened when, merged across articles.

An event is a sentence with a predicate and a resolved calendar date (a day, month, year,
decade or a range such as "zwischen 1950 und 1953"); "vor vier Jahren" and "vier Jahre nach"
date a year. An article's lead sentence without a date of its own reports what happened at
publication. Undated articles are resolved against their inferred window and their events
are marked ``inferred``. Sentences that give the same date (or a coarser date containing it)
and share at least two content words are one event, cited from every article that reports it;
an article that names the same scheduled event near the same place without a date is cited
too (``named_events``).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from lagebild.model import Citation, DateWindow, Doc, Granularity, Sentence, TimeExpr, TimelineEvent
from lagebild.time import expressions
from lagebild.time.infer import STORY_ONLY, window_anchor
from lagebild.time.named_events import Lookups, event_sentences, undated_reports
from lagebild.time.shift import shifted
from lagebild.time.tense import cues, looks_ahead
from lagebild.time.value import parse, spans_contain

# "bis", "und", a dash; also with the weekday of each end told before its date in brackets:
# "Mittwoch (10. Januar) bis Freitag (12. Januar)"
_RANGE_GAP = re.compile(
    r"^\)?\.?\s*(?:bis(?:\s+(?:zum|zur|Ende))?|und|-|–|/)\s*(?:am\s+|zum\s+|de[mn]\s+)?"
    r"(?:\w+\s*\(\s*)?$"
)
_CLOCK_GAP = re.compile(r"^\s*,?\s*(?:um|ab|gegen|at)?\s*$")  # "10. Januar, 2 Uhr"
_RANGE_OPEN = re.compile(r"\b(?:zwischen|von|vom|ab)\s+(?:de[nm]\s+)?$", re.I)
_STOP = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "er", "sie", "es",
    "im", "in", "am", "an", "auf", "auch", "aber", "und", "mit", "von", "vom", "bei", "nach",
    "seit", "dort", "dies", "diese", "dieser", "wie", "was", "wir", "ich", "man", "so", "zu",
    "the", "a", "on", "at", "this", "that", "it", "he", "she", "they", "we",
}  # fmt: skip
_LABEL_CHARS = 160
_WEEK_DAYS = 7  # a window this wide holds every weekday: a weekday alone names no day
_DAILY = frozenset({"day", "time"})
_DATED = frozenset({"DATE", "TIME"})
_NOT_VERBS = {
    "zwischen", "gegen", "wegen", "oben", "unten", "einen", "seinen", "ihren", "unseren",
    "eigenen", "allen", "vielen", "den", "denen", "nachdem", "trotzdem", "seit", "laut", "rund",
    "gut", "mit", "nicht", "jetzt", "erst", "meist", "selbst", "sonst", "bereits", "zuletzt",
}  # fmt: skip


@dataclass(slots=True)
class _Event:
    date: str
    date_end: str | None
    granularity: Granularity
    label: str
    words: list[set[str]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    inferred: bool = False
    lead: bool = False  # an article's lead, dated by the article's day, not by its own words
    ahead: bool = False  # every sentence of it forecasts ("plant im September … zu reisen")

    @property
    def key(self) -> tuple[str, str | None]:
        end = parse(self.date_end).date_part() if self.date_end else None
        return (parse(self.date).date_part(), end)


def _calendar(t: TimeExpr) -> bool:
    """A date or time with a known place in the calendar (not "XXXX-09-13", not "P4Y")."""
    return t.type in _DATED and parse(t.value).specified


def _years_ago(t: TimeExpr) -> int | None:
    """The number of years of a whole-years duration ("vier Jahre" -> 4)."""
    v = parse(t.value)
    if t.type != "DURATION" or len(v.duration) != 1:
        return None
    amount, unit = v.duration[0]
    return int(amount) if unit == "Y" and amount is not None and amount == int(amount) else None


def _has_predicate(sent: Sentence) -> bool:
    """Whether the sentence has a verb (a tense cue or a verb-like lowercase word)."""
    for t in sent.tokens:  # the cheap test first; the tense cues only when it finds nothing
        w, lemma = t.text, t.lemma or t.text
        if not w[:1].islower() or w in _NOT_VERBS or not lemma.endswith(("en", "ln", "rn")):
            continue
        if w == lemma or w.endswith(("t", "te", "ten")):
            return True
    return bool(cues(sent.tokens))


def _words(sent: Sentence, times: Sequence[TimeExpr]) -> set[str]:
    """Content words of a sentence: capitalised tokens outside time expressions, lemmatised."""
    out = set()
    spans = [(x.start, x.end) for x in times]
    for t in sent.tokens:
        if len(t.text) < 3 or not t.text[:1].isupper():
            continue
        inside = False
        for a, b in spans:  # a loop, not any(): this runs for every name of a big story
            if a <= t.start < b:
                inside = True
                break
        if inside:
            continue
        w = (t.lemma or t.text).lower()
        if w not in _STOP:
            out.add(w)
    return out


def _doc_times(
    doc: Doc, windows: Mapping[str, DateWindow]
) -> tuple[list[TimeExpr], set[tuple[int, int]], date | None]:
    """Resolved expressions, the spans whose value came from an inferred anchor, and the anchor."""
    if doc.article.published is not None and doc.article.published_precision == "day":
        times = (
            list(doc.times)
            if any(s.startswith("time@") for s in doc.stages)
            else expressions(doc, doc.article.published.date())
        )
        return times, set(), doc.article.published.date()
    window = windows.get(doc.id) or doc.date_window
    tagged = any(s.startswith("time@") for s in doc.stages)
    # the time stage tagged an undated doc without an anchor: those values need no second pass
    unanchored = (
        list(doc.times)
        if tagged and all(t.anchor is None for t in doc.times)
        else expressions(doc, None)
    )
    if window is None:
        return unanchored, set(), None
    anchor = window_anchor(window)
    fixed = {(t.start, t.end) for t in unanchored if _calendar(t)}
    times = expressions(doc, anchor)
    if _wide(window):
        # no likeliest day in a window of a week or more ("2019-09" and nothing narrows it):
        # "am Donnerstag" could be any of several Thursdays, so only values that every day of
        # the window gives ("10. September" -> 2019-09-10) are kept
        at_end = {(t.start, t.end): t.value for t in expressions(doc, window.latest)}
        times = [t for t in times if at_end.get((t.start, t.end)) == t.value]
    return times, {(t.start, t.end) for t in times if (t.start, t.end) not in fixed}, anchor


def _wide(window: DateWindow) -> bool:
    """A window whose days are too far apart for its start to stand for the day it names."""
    return (
        window.likely is None
        and STORY_ONLY not in window.evidence
        and (window.latest - window.earliest).days >= _WEEK_DAYS
    )


def _lead_date(doc: Doc, window: DateWindow | None, anchor: date) -> tuple[str, Granularity, bool]:
    """The date of an article's lead when its own words give none: its day, or the month (or
    year) of a wide window, and whether that date is inferred rather than stated."""
    stated_day = doc.article.published is not None and doc.article.published_precision == "day"
    if window is None or stated_day or not _wide(window):
        return anchor.isoformat(), "day", not stated_day
    lo, hi = window.earliest, window.latest
    if (lo.year, lo.month) == (hi.year, hi.month):
        value, granularity = f"{lo.year:04d}-{lo.month:02d}", "month"
    elif lo.year == hi.year:
        value, granularity = f"{lo.year:04d}", "year"
    else:
        return anchor.isoformat(), "day", True
    span = doc.article.published_span
    stated = span is not None and span[0] <= lo and hi <= span[1]
    return value, granularity, not stated or doc.article.published_label != value


def _without_report_times(doc: Doc, sent: Sentence, times: list[TimeExpr]) -> list[TimeExpr]:
    """The sentence's times less those of its reporting ("…, teilte die Polizei am Dienstag
    mit") when the reported message has a date of its own: the sentence is one event, on the
    message's date, not a second one on the day it was reported."""
    out = times
    for q in doc.quotes:
        m = q.message
        if not sent.start <= m.start < sent.end:
            continue
        dated = [t for t in times if m.start <= t.start and t.end <= m.end and t.type in _DATED]
        if dated:
            out = [t for t in out if m.start <= t.start < m.end or t.type not in _DATED]
    return out


def _with_clock(
    times: list[TimeExpr], text: str, inferred: set[tuple[int, int]]
) -> tuple[list[TimeExpr], list[bool], list[bool]]:
    """A date with its time of day ("Mittwoch, 10. Januar, 2 Uhr") as one expression: the
    time, spanning both. Otherwise the date is an event of its own beside the time, and a
    range written with clock times ("von Mittwoch, 10. Januar, 2 Uhr bis Freitag, 12. Januar,
    18 Uhr") falls apart into a day, a range and a time. Also, per expression, whether its
    value was inferred (a joined one: if either part's was) and whether it names its day."""
    out: list[TimeExpr] = []
    guessed: list[bool] = []
    dated: list[bool] = []
    i = 0
    while i < len(times):
        t = times[i]
        nxt = times[i + 1] if i + 1 < len(times) else None
        if (
            nxt is not None
            and t.type == "DATE"
            and nxt.type == "TIME"
            and _calendar(t)
            and _calendar(nxt)
            and parse(nxt.value).date_part() == parse(t.value).date_part()
            and _CLOCK_GAP.match(text[t.end : nxt.start])
        ):
            out.append(dataclasses.replace(nxt, start=t.start, text=text[t.start : nxt.end]))
            guessed.append((t.start, t.end) in inferred or (nxt.start, nxt.end) in inferred)
            dated.append(True)
            i += 2
            continue
        out.append(t)
        guessed.append((t.start, t.end) in inferred)
        dated.append(t.type == "DATE")
        i += 1
    return out, guessed, dated


_WEEKDAY_ONLY = re.compile(
    r"(?i)^(?:am\s+|on\s+)?(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche)\w*$"
)
_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d")


def _end_after_start(start: TimeExpr, end: TimeExpr) -> TimeExpr:
    """ "von Donnerstag bis Montag": a bare weekday that ends a range lies after its start,
    in the week after it if the tense put it in the week before."""
    a, b = parse(start.value).first_day(), parse(end.value).first_day()
    if (
        a is None
        or b is None
        or not a - timedelta(days=_WEEK_DAYS) < b < a
        or not _DAY_VALUE.match(end.value)
        or not _WEEKDAY_ONLY.match(end.text.strip())
    ):
        return end
    later = (b + timedelta(days=_WEEK_DAYS)).isoformat()
    return dataclasses.replace(end, value=later + end.value[10:])


_APPOSITION_GAP = re.compile(r"^\s*(?:\(|,)\s*(?:(?:am|den|dem|on|the)\s+)?$")


def _appositions(
    times: list[TimeExpr], text: str, inferred: set[tuple[int, int]]
) -> tuple[list[TimeExpr], set[tuple[int, int]]]:
    """A day told twice in a row, the second in brackets or after a comma ("Mittwoch (10.
    Januar)", "am kommenden Sonntag, am 9. November"), is one expression spanning both (with
    the bracket), so the sentence is one event and "Mittwoch (10. Januar) bis Freitag (12.
    Januar)" one range. Also the joined spans whose value was inferred."""
    out: list[TimeExpr] = []
    joined: set[tuple[int, int]] = set()
    for t in times:
        prev = out[-1] if out else None
        if (
            prev is not None
            and t.type == prev.type == "DATE"
            and t.value == prev.value
            and _APPOSITION_GAP.match(text[prev.end : t.start])
        ):
            end = t.end + 1 if text[t.end : t.end + 1] == ")" else t.end
            if {(t.start, t.end), (prev.start, prev.end)} & (inferred | joined):
                joined.add((prev.start, end))
            out[-1] = dataclasses.replace(prev, end=end, text=text[prev.start : end])
            continue
        out.append(t)
    return out, joined


# "um 14:05 Uhr Ortszeit (8:05 Uhr deutscher Zeit)": one instant, told in a second time zone
_ZONE_OPEN = re.compile(r"^\s*(?:[\w.]+\s*){0,2}\(\s*$")
_ZONE_CLOSE = re.compile(r"^[^()]{0,30}\)")


def _same_instant(text: str, t: TimeExpr, nxt: TimeExpr) -> bool:
    """A time of day followed by the same instant in another zone, in brackets."""
    return (
        parse(t.value).granularity == "time"
        and parse(nxt.value).granularity == "time"
        and bool(_ZONE_OPEN.match(text[t.end : nxt.start]))
        and bool(_ZONE_CLOSE.match(text[nxt.end : nxt.end + 31]))
    )


def _next_days(first: str, second: str, gap: str) -> bool:
    """ "am Mittwoch und Donnerstag", "on 3 and 4 June": two days in a row are one span."""
    a, b = parse(first), parse(second)
    if a.shape != "day" or b.shape != "day" or gap.strip() not in {"und", "and"}:
        return False
    da, db = a.first_day(), b.first_day()
    return da is not None and db is not None and (db - da).days == 1


def _sentence_events(
    doc: Doc,
    sent: Sentence,
    times: list[TimeExpr],
    inferred: set[tuple[int, int]],
    anchor: date | None,
) -> list[_Event]:
    times = _without_report_times(doc, sent, times)
    if not times:
        return []
    text = doc.article.text
    times, joined = _appositions(times, text, inferred)
    inferred = inferred | joined if joined else inferred
    times, guessed, dated = _with_clock(times, text, inferred)

    cite = Citation(doc.id, sent.start, sent.end, doc.article.outlet)
    label = (
        sent.text
        if len(sent.text) <= _LABEL_CHARS
        else sent.text[: _LABEL_CHARS - 1].rstrip() + "…"
    )
    words = _words(sent, times)
    ahead = looks_ahead(sent.tokens, doc.article.language)
    out: list[_Event] = []
    i = 0
    while i < len(times):
        t = times[i]
        inf = guessed[i]
        ago = _years_ago(t)
        if ago is not None and anchor is not None:
            before, after = text[max(sent.start, t.start - 10) : t.start], text[t.end : t.end + 6]
            if (
                re.search(r"\b(?:vor|il\s+y\s+a)\s+$", before)
                or re.match(r"\s+nach\b", after)
                or re.search(r"\bago\b", after)
            ):
                year = str(anchor.year - ago)
                out.append(_Event(year, None, "year", label, [words], [cite], inf))
        elif _calendar(t):
            nxt = times[i + 1] if i + 1 < len(times) else None
            if nxt is not None and _calendar(nxt) and _same_instant(text, t, nxt):
                out.append(_Event(t.value, None, "time", label, [words], [cite], inf))
                i += 2
                continue
            if (
                nxt is not None
                and dated[i + 1]
                and _calendar(nxt)
                and _RANGE_GAP.match(text[t.end : nxt.start])
                and (
                    _RANGE_OPEN.search(text[max(sent.start, t.start - 16) : t.start])
                    or "bis" in text[t.end : nxt.start]
                    or _next_days(t.value, nxt.value, text[t.end : nxt.start])
                )
                and parse(t.value).sort_key()
                <= parse((nxt := _end_after_start(t, nxt)).value).sort_key()
            ):
                inf = inf or guessed[i + 1]
                out.append(_Event(t.value, nxt.value, "range", label, [words], [cite], inf))
                i += 2
                continue
            g = parse(t.value).granularity
            out.append(_Event(t.value, None, g, label, [words], [cite], inf))
        i += 1
    timed = {parse(e.date).date_part() for e in out if e.granularity == "time"}
    for e in out:
        e.ahead = ahead
    return _once(
        [e for e in out if not (e.granularity == "day" and e.date in timed)]
    )  # "am Mittwoch um 0 Uhr"


_COARSE = frozenset({"year", "month", "decade", "century"})


def _once(events: list[_Event]) -> list[_Event]:
    """A sentence that names years or months beside other dates is one line of the timeline,
    not one per date with the same sentence twice ("Weltmeister in den Jahren 1974 und 1990",
    "das Attentat vom Oktober 2019 … am Montag"): at its days, if it names any (a schedule
    of days stays a line per day), else at its finest, latest year or month. A date the
    sentence names twice ("am gestrigen 7. Mai") is one event."""
    keys = [(e.date, e.date_end) for e in events]
    events = [e for i, e in enumerate(events) if keys[i] not in keys[:i]]
    coarse = [e for e in events if e.granularity in _COARSE]
    if len(events) < 2 or not coarse:
        return events
    fine = [e for e in events if e.granularity not in _COARSE]
    if fine:
        return fine
    return [max(coarse, key=lambda e: (parse(e.date).rank, parse(e.date).sort_key()))]


def _doc_events(doc: Doc, windows: Mapping[str, DateWindow]) -> list[_Event]:
    times, inferred, anchor = _doc_times(doc, windows)
    counted = shifted(doc.article.text, times, doc.article.language or "de")
    if len(counted) != len(times):  # "vier Tage vor Heiligabend": inferred as its date was
        ends = {end for _, end in inferred}
        inferred |= {(t.start, t.end) for t in counted if t.end in ends}
        times = counted
    window = windows.get(doc.id) or doc.date_window
    events: list[_Event] = []
    lead_done = False
    for sent in doc.sentences:
        inside = [t for t in times if sent.start <= t.start < sent.end]
        if lead_done and not inside:
            continue  # no date and not the lead: no event, whatever the verb
        if not _has_predicate(sent):
            continue
        found = _sentence_events(doc, sent, inside, inferred, anchor)
        if (
            not lead_done
            and not any(t.type in {"DATE", "TIME"} for t in inside)
            and anchor is not None
        ):
            label = (
                sent.text
                if len(sent.text) <= _LABEL_CHARS
                else sent.text[: _LABEL_CHARS - 1].rstrip() + "…"
            )
            cite = Citation(doc.id, sent.start, sent.end, doc.article.outlet)
            when, granularity, guessed = _lead_date(doc, window, anchor)
            found = [
                _Event(
                    when,
                    None,
                    granularity,
                    label,
                    [_words(sent, inside)],
                    [cite],
                    guessed,
                    lead=True,
                )
            ]
        lead_done = True
        events.extend(found)
    return events


def _related(a: _Event, b: _Event) -> bool:
    """Whether two (possibly merged) events share enough content words to be one event.

    Around the story's own days much happens with the same actors, so two words are needed
    there; one shared word is enough for a month, year or range named in the past.
    """
    need = 2 if a.granularity in _DAILY or b.granularity in _DAILY else 1
    return any(len(x & y) >= need for x in a.words for y in b.words)


def _absorb(into: _Event, other: _Event, seen: set[Citation]) -> None:
    """Merge ``other`` into ``into``; ``seen`` holds the citations ``into`` already has."""
    into.words.extend(other.words)
    for c in other.citations:
        if c not in seen:
            seen.add(c)
            into.citations.append(c)
    into.inferred = into.inferred and other.inferred
    into.ahead = into.ahead and other.ahead


@dataclass(slots=True)
class _Sharers:
    """The events so far that share one word (or pair of words): all of one article while
    no other article has it (they wait: one article's sentences are events of their own);
    once a second article has it they are all one event, and later ones join its anchor."""

    waiting: list[int] = field(default_factory=list)
    anchor: int | None = None


def _same_event_roots(events: Sequence[_Event]) -> list[int]:
    """Union-find roots: events of different articles with the same date key that share
    enough words are joined; within one article, two sentences are one event only when they
    share two content words (the article tells it twice); a forecast coarser than a day joins
    only forecasts.

    Equivalent to comparing every such pair with the same key, but each event only meets those
    sharing its key and a word (need 1) or a pair of words (need 2), so a 500-article story
    costs a few word-pair lookups per sentence instead of a comparison with every other one.
    """
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    def article(i: int) -> str:
        return events[i].citations[0].article_id

    def meet(sharers: _Sharers, i: int) -> None:
        if sharers.anchor is not None:
            join(i, sharers.anchor)
        elif sharers.waiting and article(sharers.waiting[0]) != article(i):
            for j in sharers.waiting:
                join(i, j)
            sharers.anchor, sharers.waiting = i, []
        else:
            sharers.waiting.append(i)

    # a forecast of a month or year is not one event with a report of that month: the plan
    # stays apart, so that ``_join_coarser`` cannot cite it for the day it happened
    by_key: dict[tuple[str, str | None, bool], list[int]] = {}
    for i, ev in enumerate(events):
        by_key.setdefault((*ev.key, ev.ahead and ev.granularity not in _DAILY), []).append(i)
    for members in by_key.values():
        if len(members) < 2:
            continue
        # events that share a word (non-daily) or a pair of words (any), by ``meet``
        by_word: dict[str, _Sharers] = {}
        by_pair: dict[tuple[str, str], _Sharers] = {}
        daily = any(events[i].granularity in _DAILY for i in members)
        for i in members:
            words = events[i].words[0]
            if events[i].granularity not in _DAILY:
                for w in words:
                    meet(by_word.setdefault(w, _Sharers()), i)
            if daily and len(words) >= 2:
                ordered = sorted(words)
                for a, x in enumerate(ordered):
                    for y in ordered[a + 1 :]:
                        meet(by_pair.setdefault((x, y), _Sharers()), i)
    # One article telling one happening twice ("Am Montag trat X zurück. … X war am Montag
    # zurückgetreten"): the same date and two shared content words make one event there too;
    # its lead (dated by the article's day, not by its words) stays apart.
    told: dict[tuple[str, str, str | None, bool], list[int]] = {}
    for i, ev in enumerate(events):
        if not ev.lead and len(ev.words[0]) >= 2:
            told.setdefault(
                (article(i), *ev.key, ev.ahead and ev.granularity not in _DAILY), []
            ).append(i)
    for members in told.values():
        for x, i in enumerate(members):
            for j in members[:x]:
                if len(events[i].words[0] & events[j].words[0]) >= 2:
                    join(i, j)
    return [root(i) for i in range(len(events))]


def _told_by_same(a: _Event, b: _Event) -> bool:
    """An article tells both events."""
    return bool({c.article_id for c in a.citations} & {c.article_id for c in b.citations})


def _join_coarser(merged: list[_Event], seen: dict[int, set[Citation]]) -> list[_Event]:
    """A coarser date ("2019") joins the first finer one containing it ("2019-04") when the
    content agrees; coarsest first, so a year can land on a month that already took a decade.
    An article's lead, dated by the article's day, joins no event another sentence of that
    article tells: the lead tells what happened that day, the sentence something at its hour.
    A forecast ("plant im September … zu reisen") joins only another forecast: what an article
    expected for a month is no report of the day others say it happened.
    """
    values = [parse(m.date) for m in merged]
    days = [v.days() for v in values]  # computed once: a year is compared with all its days
    placed = sorted(
        (v.sort_key()[1], pos)
        for pos, v in enumerate(values)
        if merged[pos].date_end is None and v.specified
    )
    starts = [p[0] for p in placed]
    alive = [True] * len(merged)
    for pos in sorted(range(len(merged)), key=lambda p: values[p].rank):
        ev, v = merged[pos], values[pos]
        first, last = v.first_day(), v.last_day()
        if ev.date_end is not None or first is None or last is None:
            continue
        lo = bisect.bisect_left(starts, first.toordinal() * 1440)
        hi = bisect.bisect_right(starts, last.toordinal() * 1440 + 1439)
        for cand in sorted(p for _, p in placed[lo:hi]):  # the first finer event it contains
            m = merged[cand]
            if (
                alive[cand]
                and spans_contain(v.rank, days[pos], values[cand].rank, days[cand])
                and _related(m, ev)
                and not (ev.lead and _told_by_same(m, ev))
                and (m.ahead or not ev.ahead)
            ):
                _absorb(m, ev, seen[id(m)])
                alive[pos] = False
                break
    return [m for pos, m in enumerate(merged) if alive[pos]]


def _order(e: _Event) -> tuple[tuple[int, int, int, str], tuple[int, int, int, str], str]:
    """Calendar order of events (a range after the single date it starts on)."""
    end = parse(e.date_end).sort_key() if e.date_end else (-1, 0, 0, "")
    return parse(e.date).sort_key(), end, e.label


class Kept(Protocol):
    """Per-article values kept between builds (``dossier.parts.Parts``)."""

    def get(self, doc: Doc, kind: str) -> Any | None: ...

    def put(self, doc: Doc, kind: str, value: Any) -> None: ...


KEPT = "tl"  # the kind of an article's kept events (``_kept_events``)
KEPT_UNDATED = "tu"  # those of an undated article, with the window they were read in


def _kept_events(doc: Doc, windows: Mapping[str, DateWindow], kept: Kept | None) -> list[_Event]:
    """``_doc_events``, read from ``kept`` where an earlier build kept them. An article dated
    to the day has events of its own; an undated one's depend on the window the story's other
    articles give it, so they are read back only while that window is the one they were read
    in (its days, its likeliest day, whether the story alone dates it: what ``_doc_times``
    and ``_lead_date`` use of it)."""
    art = doc.article
    if kept is None:
        return _doc_events(doc, windows)
    if doc.id not in windows and art.published is not None and art.published_precision == "day":
        kind, read_in = KEPT, None
    else:
        kind, read_in = KEPT_UNDATED, _window_key(windows.get(doc.id) or doc.date_window)
    rows = kept.get(doc, kind)
    if kind == KEPT_UNDATED and rows is not None:
        rows = rows[1] if rows[0] == read_in else None  # read in another window: not these
    if rows is None:
        events = _doc_events(doc, windows)
        own = [
            c.article_id == doc.id and c.outlet == art.outlet for e in events for c in e.citations
        ]
        if all(own):  # as they always are: rows that cite another could not be read back
            made = [_event_row(e) for e in events]
            kept.put(doc, kind, made if kind == KEPT else [read_in, made])
        return events
    outlet = art.outlet
    return [
        _Event(
            when,
            end,
            granularity,
            label,
            [set(w) for w in words],
            [Citation(doc.id, a, b, outlet) for a, b in cites],
            inferred,
            lead,
            ahead,
        )
        for when, end, granularity, label, words, cites, inferred, lead, ahead in rows
    ]


def _window_key(window: DateWindow | None) -> list[Any] | None:
    """What an undated article's events depend on of its window (as kept: plain values)."""
    if window is None:
        return None
    likely = window.likely.toordinal() if window.likely is not None else None
    story_only = STORY_ONLY in window.evidence
    return [window.earliest.toordinal(), window.latest.toordinal(), likely, story_only]


def _event_row(e: _Event) -> list[Any]:
    """A new event of one article as kept (before any merge changes it)."""
    return [
        e.date,
        e.date_end,
        e.granularity,
        e.label,
        [sorted(w) for w in e.words],
        [[c.start, c.end] for c in e.citations],
        e.inferred,
        e.lead,
        e.ahead,
    ]


def timeline(
    docs: Sequence[Doc], windows: Mapping[str, DateWindow] | None = None, kept: Kept | None = None
) -> list[TimelineEvent]:
    """The story's events in date order, each with every article that reports it (each
    article's own events read from ``kept`` where kept, see ``_kept_events``)."""
    windows = windows or {}
    events = [ev for doc in docs for ev in _kept_events(doc, windows, kept)]
    groups: dict[int, _Event] = {}
    seen: dict[int, set[Citation]] = {}
    for r, ev in zip(_same_event_roots(events), events, strict=True):
        if r not in groups:
            groups[r] = ev
            seen[id(ev)] = set(ev.citations)
            continue
        same = groups[r]
        if parse(ev.date).rank > parse(same.date).rank and not ev.inferred:
            same.date, same.granularity = ev.date, ev.granularity
        _absorb(same, ev, seen[id(same)])
    merged = _join_coarser(list(groups.values()), seen)
    named = event_sentences(docs) if any(not e.lead for e in merged) else {}
    lookups = Lookups({d.id: d for d in docs})
    for e in merged:
        if not e.lead:
            e.citations.extend(undated_reports(e.citations, docs, named, lookups))
    merged.sort(key=_order)
    return [
        TimelineEvent(
            date=e.date,
            date_end=e.date_end,
            granularity=e.granularity,
            label=e.label,
            citations=tuple(sorted(e.citations, key=lambda c: (c.article_id, c.start))),
            inferred=e.inferred,
        )
        for e in merged
    ]


__all__ = ["timeline"]
