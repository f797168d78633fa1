"""Divergence or update: the same slot with different values across a story's articles.

A claim slot (the meeting place, the region a place lies in) diverges when outlets name
places that the story itself does not nest in one another; it is an *update* when the earlier
values were forecasts ("soll … treffen", "werde … reisen") that later reports contradicted.
A number diverges when outlets give different values for one measure at the same time; values
that follow one another in time (a death toll, a water level) are updates, except quantities
that cannot change (the distance between two places).

A fact told as background is no report of the story's own values: a sentence dated well
before its article ("Im März hatte ein Beben … mehr als 40 Menschen verletzt" in a December
report) or one the caller's rules read as told before ("Damals wurden 4.000 Mitarbeiter
abgebaut", "Zuvor, auf dem Asean-Gipfel in Kambodscha …"). Comparing it with today's figure
would report a divergence the outlets never had.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lagebild.facts.extract import DIRECTION
from lagebild.facts.keys import (
    Item,
    clusters,
    date_range,
    items_of,
    order_key,
    place_key,
    slot_key,
    value_key,
)
from lagebild.facts.lexicon import lexicon
from lagebild.model import Citation, DateWindow, Divergence, Doc, Fact, Span
from lagebild.time.value import parse

TextRule = Callable[[str, str], bool]  # (sentence, language) -> told as background

# Slots with one true value per subject: different values there are worth a warning.
_EXCLUSIVE = ("meeting place", "region of ")
_SAME_ORDER = 5.0  # numbers further apart than this measure different things
# a sentence dated this far before its article's first possible day tells an earlier event
BACKGROUND_DAYS = 14
# the word before a date that makes it the start of a period lasting until now ("seit März")
_UP_TO_NOW = frozenset({"seit", "ab", "since", "from", "depuis", "dès"})


def _containers(items: Sequence[Item]) -> dict[str, set[str]]:
    """Place key -> keys of places the story says contain it ("Wostotschny in der Amur-Region",
    "Fernen Osten Russlands" -> Russland)."""
    up: dict[str, set[str]] = defaultdict(set)
    for it in items:
        f = it.fact
        if f.kind != "claim":
            continue
        if f.measures.startswith("region of "):
            up[place_key(f.measures[len("region of ") :], it.lang)].add(
                place_key(f.value_text, it.lang)
            )
        words = f.value_text.split()
        if (
            len(words) >= 2
            and words[-1].endswith("s")
            and not words[-2].endswith("s")
            and words[-1][:1].isupper()
        ):
            whole = place_key(f.value_text, it.lang)
            up[whole].add(place_key(words[-1][:-1], it.lang))
    return up


def _within(a: str, b: str, up: Mapping[str, set[str]]) -> bool:
    """Whether place ``a`` lies in ``b`` by the story's own region claims (transitively)."""
    seen, todo = set(), [a]
    while todo:
        x = todo.pop()
        for y in up.get(x, ()):
            if y == b:
                return True
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return False


def _when_text(r: tuple[date, date] | None) -> str:
    if r is None:
        return "undated"
    return r[0].isoformat() if r[0] == r[1] else f"{r[0].isoformat()}…{r[1].isoformat()}"


@dataclass(frozen=True, slots=True)
class _Value:
    key: str
    label: str
    items: tuple[Item, ...]
    dates: tuple[tuple[date, date] | None, ...]

    @property
    def forecast_only(self) -> bool:
        return all(it.fact.modality == "forecast" for it in self.items)

    @property
    def articles(self) -> frozenset[str]:
        return frozenset(it.doc.id for it in self.items)

    def latest(self, asserted_only: bool = False) -> date | None:
        ds = [
            d
            for it, d in zip(self.items, self.dates, strict=True)
            if d and (not asserted_only or it.fact.modality != "forecast")
        ]
        return max(d[1] for d in ds) if ds else None

    def earliest(self, asserted_only: bool = False) -> date | None:
        ds = [
            d
            for it, d in zip(self.items, self.dates, strict=True)
            if d and (not asserted_only or it.fact.modality != "forecast")
        ]
        return min(d[0] for d in ds) if ds else None


def _superseded(old: _Value, new: _Value) -> bool:
    """Whether ``old`` was a forecast that ``new``, stated later as fact, replaced."""
    if not old.forecast_only or new.forecast_only:
        return False
    o, n = old.latest(), new.earliest(asserted_only=True)
    return o is None or n is None or o <= n


def _citations(v: _Value) -> tuple[Citation, ...]:
    return tuple(Citation(it.doc.id, it.fact.start, it.fact.end, it.outlet) for it in v.items)


def _describe(v: _Value) -> str:
    outlets = ", ".join(dict.fromkeys(it.outlet for it in v.items))
    dates = sorted({_when_text(d) for d in v.dates})
    mood = "forecast" if v.forecast_only else "reported"
    return f"{v.label!r} ({mood} by {outlets}; {', '.join(dates)})"


def _claim_divergences(
    items: list[Item], windows: Mapping[str, DateWindow] | None
) -> list[Divergence]:
    up = _containers(items)
    places: dict[str, set[str]] = defaultdict(set)  # article -> every place it puts something in
    for it in items:
        f = it.fact
        if (
            f.kind == "claim"
            and f.measures.startswith(_EXCLUSIVE)
            and "(earlier)" not in f.measures
        ):
            places[it.doc.id].add(value_key(f, it.lang))
    slots: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        if (
            it.fact.kind == "claim"
            and it.fact.measures.startswith(_EXCLUSIVE)
            and "(earlier)" not in it.fact.measures
        ):
            slots[slot_key(it.fact, it.lang)].append(it)
    out = []
    for slot, members in slots.items():
        by_value: dict[str, list[Item]] = defaultdict(list)
        for it in sorted(members, key=lambda it: order_key(it, windows)):
            by_value[value_key(it.fact, it.lang)].append(it)
        if len(by_value) < 2:
            continue
        values = [
            _Value(
                k,
                Counter(it.fact.value_text for it in v).most_common(1)[0][0],
                tuple(v),
                tuple(date_range(it.doc, windows) for it in v),
            )
            for k, v in by_value.items()
        ]
        keys = [v.key for v in values]
        broad = {a for a in keys if any(_within(b, a, up) for b in keys if b != a)}
        conflicts = []
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                if (
                    a.key in broad
                    or b.key in broad
                    or _within(a.key, b.key, up)
                    or _within(b.key, a.key, up)
                ):
                    continue
                if any(a.key in places[d] and b.key in places[d] for d in places):
                    continue  # one article names both: they are compatible to its author
                conflicts.append((a, b))
        if not conflicts:
            continue
        updates = [(a, b) for a, b in conflicts if _superseded(a, b) or _superseded(b, a)]
        kind = "update" if len(updates) == len(conflicts) else "divergence"
        notes = []
        for a, b in conflicts:
            if _superseded(a, b):
                notes.append(f"{_describe(a)} was superseded by {_describe(b)}")
            elif _superseded(b, a):
                notes.append(f"{_describe(b)} was superseded by {_describe(a)}")
            else:
                notes.append(f"{_describe(a)} vs {_describe(b)}")
        label = members[0].fact.measures
        if slot.startswith("region of "):
            label = (
                "region of "
                + Counter(
                    it.fact.subject or it.fact.measures[len("region of ") :] for it in members
                ).most_common(1)[0][0]
            )
        involved = {v.key for pair in conflicts for v in pair}
        rank = {v.key: i for i, v in enumerate(values)}  # first told first on the same day
        ordered = sorted(
            (v for v in values if v.key in involved),
            key=lambda v: (v.earliest() or date.max, rank[v.key]),
        )
        out.append(
            Divergence(
                slot=label,
                values=tuple((v.label, _citations(v)) for v in ordered),
                kind=kind,  # type: ignore[arg-type]
                note="; ".join(notes),
            )
        )
    return out


def _number_divergences(
    items: list[Item], windows: Mapping[str, DateWindow] | None
) -> list[Divergence]:
    """Numbers for the same measure and subject that disagree across articles."""
    slots: dict[tuple[str, str, frozenset[str], str], list[Item]] = defaultdict(list)
    for it in items:
        if it.fact.kind == "claim" or it.num is None or not it.measure_words:
            continue
        if it.fact.kind == "count" and not _canonical(it):
            continue  # "9 Millionen Passagiere" a year vs "40.000 Passagiere" on strike day
        slots[(it.fact.kind, it.num.base, it.measure_words, it.subject)].append(it)
    out = []
    for members in slots.values():
        spread = lexicon(members[0].lang).spread(members[0].fact.measures)
        if spread is not None:
            members = _near_mode(members, spread)
        found = clusters(members)
        if len(found) < 2 or len({it.doc.id for it in members}) < 2:
            continue
        los = [it.num.lo for it in members if it.num is not None]
        if min(los) <= 0 or max(los) / min(los) > _SAME_ORDER:
            continue  # a tenfold difference is another quantity, not another report of it
        values = []
        for c in found:
            c = sorted(c, key=lambda it: order_key(it, windows))
            values.append(
                _Value(
                    c[0].fact.text,
                    c[0].fact.text,
                    tuple(c),
                    tuple(date_range(it.doc, windows) for it in c),
                )
            )
        if (
            all(len(v.articles) == 1 for v in values)
            and len({next(iter(v.articles)) for v in values}) == 1
        ):
            continue
        values.sort(
            key=lambda v: (v.earliest() or date.max, v.items[0].num.lo if v.items[0].num else 0)
        )
        firsts = [v.earliest() for v in values]
        in_order = all(firsts) and all(a < b for a, b in itertools.pairwise(firsts))  # type: ignore[operator]
        # one article giving two of the values reports a change ("auf drei gestiegen, zuvor
        # zwei"), not a contradiction of itself
        self_updated = any(a.articles & b.articles for a, b in itertools.combinations(values, 2))
        changing = (in_order or self_updated) and not _static(values[0].items[0].fact)
        forecasts = all(_superseded(a, b) for a, b in itertools.pairwise(values))
        kind = "update" if changing or forecasts else "divergence"
        note = ("changed over time: " if changing else "") + " → ".join(
            _describe(v) for v in values
        )
        out.append(
            Divergence(
                slot=values[0].items[0].fact.measures,
                values=tuple((v.label, _citations(v)) for v in values),
                kind=kind,  # type: ignore[arg-type]
                note=note,
            )
        )
    return out


def _near_mode(members: list[Item], spread: float) -> list[Item]:
    """The reports of a scale's value within ``spread`` of the value most articles give: a
    quake's magnitude as 6.3 and 6.4 is a divergence, an aftershock of 4.8 is another quake."""
    docs: dict[float, set[str]] = defaultdict(set)
    for it in members:
        docs[it.num.lo].add(it.doc.id)  # type: ignore[union-attr]
    mode = max(docs, key=lambda v: (len(docs[v]), v))
    return [it for it in members if abs(it.num.lo - mode) <= spread]  # type: ignore[union-attr]


def _canonical(item: Item) -> bool:
    """A count of a slot the language files define (deaths, injured …), not any plural noun."""
    slots = {slot for roles in lexicon(item.lang).slots.values() for slot, _ in roles}
    return item.fact.measures in slots


def _static(fact: Fact) -> bool:
    """A quantity that does not change from one day to the next: the distance between two
    places ("900 km nordwestlich von Ussurijsk"), a quake's magnitude. Other numbers reported on later days with a
    new value (a death toll, a water level) are updates."""
    if fact.kind == "scale":
        return True  # a quake's magnitude as two agencies give it: no change from day to day
    words = fact.measures.split()
    return fact.kind == "distance" and (
        any(DIRECTION.match(w) for w in words) or bool({"between", "from", "von"} & set(words))
    )


def _sentence(item: Item) -> Span | None:
    f = item.fact
    if f.sentence is not None:
        return f.sentence
    return next(
        (Span(s.start, s.end) for s in item.doc.sentences if s.start <= f.start < s.end), None
    )


def _dated_before(item: Item, sent: Span, windows: Mapping[str, DateWindow] | None) -> bool:
    """The fact's sentence names a calendar date that ended weeks before its article."""
    r = date_range(item.doc, windows)
    if r is None or r[0] - date.min < timedelta(days=BACKGROUND_DAYS):
        return False  # no date (or "0001-01-01" from an input): nothing is weeks before it
    limit = r[0] - timedelta(days=BACKGROUND_DAYS)
    text = item.doc.article.text
    for t in item.doc.times:
        if not sent.start <= t.start < sent.end or t.type not in ("DATE", "TIME"):
            continue
        days = parse(t.value, t.mod, t.type).days()
        if days is None or days[1] >= limit:
            continue
        before = text[sent.start : t.start].split()
        if before and before[-1].casefold() in _UP_TO_NOW:
            continue
        return True
    return False


def told_as_background(
    item: Item, windows: Mapping[str, DateWindow] | None, told_before: TextRule | None = None
) -> bool:
    """Whether the fact's sentence tells an earlier event rather than the story's own."""
    sent = _sentence(item)
    if sent is None:
        return False
    if told_before is not None and told_before(
        item.doc.article.text[sent.start : sent.end], item.lang
    ):
        return True
    return _dated_before(item, sent, windows)


def divergences(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow] | None = None,
    told_before: TextRule | None = None,
    items: Sequence[Item] | None = None,
) -> list[Divergence]:
    """Slots whose values differ across a story's articles, each marked divergence or update;
    facts told as background (``told_as_background``) take no part. ``items``:
    ``items_of(docs)`` when the caller has it already (a dossier groups them too)."""
    every = items_of(docs) if items is None else items
    items = [it for it in every if not told_as_background(it, windows, told_before)]
    return _claim_divergences(items, windows) + _number_divergences(items, windows)


__all__ = ["BACKGROUND_DAYS", "TextRule", "divergences", "told_as_background"]
