"""Putting a story's dossier together from its docs: pure, no I/O, one call per section.

``build_dossier`` returns the ``model.Dossier`` record; ``build_bundle`` adds what the exports
show beside it and the record has no field for (the coverage matrix and the articles per day).
Syndicated copies stay in the article list (their outlet carries the story) but the story-level
stages see only the originals, so a copy is never counted twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from lagebild.config import Config
from lagebild.dossier import sections
from lagebild.dossier.candidates import combined
from lagebild.dossier.summary import originals
from lagebild.facts.compare import CoverageMatrix, CoverageRow
from lagebild.facts.diverge import BACKGROUND_DAYS
from lagebild.model import Article, Citation, DateWindow, Doc, Dossier, FactGroup, Story
from lagebild.model import headline as title_line
from lagebild.time.value import parse

if TYPE_CHECKING:
    from lagebild.dossier.parts import Parts
    from lagebild.dossier.since import Since


@dataclass(frozen=True, slots=True)
class DayCount:
    """Articles first published on one day; ``inferred`` of them dated from their text only."""

    date: date
    articles: int
    inferred: int = 0


@dataclass(frozen=True, slots=True)
class DossierBundle:
    """A dossier plus the derived views the exports render."""

    dossier: Dossier
    coverage: CoverageMatrix
    series: tuple[DayCount, ...]
    undated: int = 0  # originals with neither a date nor an inferred window
    since: Since | None = None  # what the story gained since a time (its change log)


def build_dossier(story: Story, docs: Sequence[Doc], config: Config | None = None) -> Dossier:
    """The dossier of ``story`` from its analysed docs (the docs of its articles, any order)."""
    return build_bundle(story, docs, config).dossier


def build_bundle(
    story: Story, docs: Sequence[Doc], config: Config | None = None, parts: Parts | None = None
) -> DossierBundle:
    """The dossier and its derived views, computing every section once; ``parts``: what is
    kept per article (``dossier.parts``), read where kept and filled in where not."""
    config = config or Config()
    order = {a: i for i, a in enumerate(story.article_ids)}
    docs = sorted(docs, key=lambda d: order.get(d.id, len(order)))
    core = originals(story, docs)
    windows = sections.date_windows(docs, parts)
    items = sections.fact_items(core)
    groups = sections.fact_groups(core, windows, items)
    confirmed = sections.corroborated(groups)
    entities = sections.entities(core)
    dossier = Dossier(
        story=story,
        headline=headline(story, core or docs),
        articles=tuple(d.article for d in docs),
        date_windows=tuple(windows.items()),
        summary=sections.summary(story, core, config, windows, confirmed, parts),
        timeline=sections.timeline(core, windows, parts),
        statements=sections.statements(core, entities, parts),
        facts=groups,
        divergences=sections.divergences(core, windows, items),
        corroborated=confirmed,
        entities=entities,
    )
    series, undated = coverage_series([d.article for d in core], windows)
    matrix = sections.coverage_matrix(core, groups, windows)
    return DossierBundle(dossier, matrix, series, undated)


def headline(story: Story, docs: Sequence[Doc]) -> str:
    """The story's title, else the title of its first article."""
    title = story.title.strip() or next((t for d in docs if (t := d.article.title.strip())), "")
    return title_line(title) or story.id


def article_day(article: Article, windows: Mapping[str, DateWindow]) -> tuple[date | None, bool]:
    """The day an article appeared and whether that day is inferred (the window's likeliest
    day, else its middle)."""
    if article.published is not None and article.published_precision == "day":
        return article.published.date(), False
    w = windows.get(article.id)
    span = article.published_span  # "2019-04": only the month is stated; the text may say more
    if w is None or (span and not span[0] <= (w.likely or w.earliest) <= span[1]):
        if span is None:
            return None, False
        return span[0] + timedelta(days=(span[1] - span[0]).days // 2), True
    return w.likely or w.earliest + timedelta(days=(w.latest - w.earliest).days // 2), True


def coverage_series(
    articles: Sequence[Article], windows: Mapping[str, DateWindow]
) -> tuple[tuple[DayCount, ...], int]:
    """Articles per day from the first to the last day (empty days included), and the number
    of articles with no date at all."""
    counts: Counter[date] = Counter()
    inferred: Counter[date] = Counter()
    undated = 0
    for art in articles:
        day, guessed = article_day(art, windows)
        if day is None:
            undated += 1
            continue
        counts[day] += 1
        if guessed:
            inferred[day] += 1
    if not counts:
        return (), undated
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return tuple(DayCount(d, counts[d], inferred[d]) for d in days), undated


def key_facts(dossier: Dossier, n: int = 5) -> tuple[FactGroup, ...]:
    """The facts to put under the headline: the most widely reported, then the earliest;
    only those a reader can take as a claim (``readable_fact``), and figures told as
    background (``background``) only when the story has no figure of its own."""
    pool = list(dossier.corroborated) or list(dossier.facts)
    people = {
        v.casefold()
        for e in dossier.entities
        if e.type == "PER"
        for v in (e.name, *(x for x, _ in e.variants))
    }
    pool = [g for g in pool if readable_fact(g, people)]
    texts = {a.id: a.text for a in dossier.articles}
    langs = Counter(a.language for a in dossier.articles if a.language)
    lang = langs.most_common(1)[0][0] if langs else "de"
    # the year the story's first report appeared; an undated report counts by the window
    # its text dates it to (a story of undated reports has a year too)
    windows = dict(dossier.date_windows)
    years = [d.year for a in dossier.articles if (d := article_day(a, windows)[0]) is not None]
    first = min(years) if years else None
    earlier = dated_earlier(dossier, windows)
    told_before = {id(g) for g in pool if background(g, texts, lang, first, earlier)}
    if len(told_before) < len(pool):  # an earlier event's figure is no key fact of this one
        pool = [g for g in pool if id(g) not in told_before]
    return tuple(sorted(pool, key=lambda g: (-len(set(g.outlets)), -len(g.citations)))[:n])


def dated_earlier(
    dossier: Dossier, windows: Mapping[str, DateWindow]
) -> dict[str, list[tuple[int, int]]]:
    """Per article, the spans of the sentences the timeline dates weeks before the article
    appeared ("Erst im März hatte ein Beben der Stärke 5,4 …" in a December report): what
    they tell is an earlier event's, as the divergences read it (``facts.diverge``)."""
    out: dict[str, list[tuple[int, int]]] = {}
    starts = {}
    texts = {a.id: a.text for a in dossier.articles}
    for a in dossier.articles:
        span = a.published_span
        w = windows.get(a.id)
        start = span[0] if span is not None else (w.earliest if w is not None else None)
        if start is not None and start - date.min >= timedelta(days=BACKGROUND_DAYS):
            starts[a.id] = start - timedelta(days=BACKGROUND_DAYS)  # not for "0001-01-01"
    for ev in dossier.timeline:
        days = parse(ev.date_end or ev.date, None, "DATE").days()
        if days is None:
            continue
        for c in ev.citations:
            limit = starts.get(c.article_id)
            if limit is not None and days[1] < limit:
                # the dated sentence only: a line told with the sentence before it cites both
                # (``sections.timeline``), and that one is not dated by this event
                text = texts.get(c.article_id, "")
                lo = max(text.rfind(". ", c.start, max(c.start, c.end - 2)) + 2, c.start)
                out.setdefault(c.article_id, []).append((lo, c.end))
    return out


def background(
    group: FactGroup,
    texts: Mapping[str, str],
    lang: str,
    story_year: int | None = None,
    earlier: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> bool:
    """Whether every report of a number tells it as background: of an earlier period ("im
    vergangenen Jahr", "last year", a year before ``story_year``, the year the story's first
    article appeared: "So starben im Jahr 1999 …") or a plan since overtaken ("Ursprünglich
    sollte …"). Such numbers go under the headline only when nothing else does
    (``resources/dossier/<lang>/background.txt``)."""
    if group.value is None:
        return False
    rules = combined(lang, "background.txt")
    earlier = earlier or {}

    def told_before(c: Citation) -> bool:
        if any(a <= c.start and c.end <= b for a, b in earlier.get(c.article_id, ())):
            return True
        s = _sentence_at(texts.get(c.article_id, ""), c.start, c.end)
        return bool(s) and (rules.hit(s) or _earlier_year(s, story_year, group.value))

    return bool(group.citations) and all(told_before(c) for c in group.citations)


# a year of the calendar, not one a period runs from ("seit 1999", "since 1999": up to now)
_YEAR = re.compile(
    r"(?<![\d.,])(?<!seit )(?<!since )(?<!depuis )(?<!ab )(1[89]\d\d|20\d\d)(?![\d.,]\d)", re.I
)


def _earlier_year(sentence: str, story_year: int | None, value: float) -> bool:
    """The sentence dates what it tells to a year before the story's ("im Jahr 1999 …")."""
    if story_year is None:
        return False
    years = [int(y) for y in _YEAR.findall(sentence) if int(y) != value]
    return bool(years) and max(years) < story_year


def _sentence_at(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[lo : min(stops) + 1 if stops else len(text)]


def readable_fact(group: FactGroup, people: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a fact reads as a claim: it says what it measures, a count counts more than a
    handful ("6 — Kandidaten" is a fragment), no word of its label is cut short ("Industrie-"),
    an age belongs to a person the story names
    ("83 years — age Ausschließen" does not)."""
    if not group.measures.strip() or not group.citations:
        return False
    if any(w.endswith("-") for w in group.measures.split()):
        return False  # "20, Industrie-": the count of a compound cut before "und Schwellenländer"
    if group.value is None:
        return bool(group.text.strip())
    if group.kind == "count":
        return max(group.value, group.value_max or 0) >= 10
    if group.kind == "age":
        subject = group.measures.removeprefix("age").strip().casefold()
        return bool(subject) and subject in people
    return True


def outlet_label(article: Article) -> str:
    """How a source is named when its outlet is unknown: an unnamed source, by its article id."""
    from lagebild.facts.keys import outlet_of

    return outlet_of(article)


__all__ = [
    "CoverageMatrix",
    "CoverageRow",
    "DayCount",
    "DossierBundle",
    "article_day",
    "build_bundle",
    "build_dossier",
    "coverage_series",
    "headline",
    "key_facts",
    "outlet_label",
    "readable_fact",
]
