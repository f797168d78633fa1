"""Running the clusterer: over a list in memory, or over a store, resuming from its state."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

import numpy as np

from lagebild.config import StoriesConfig
from lagebild.model import Story, date_span
from lagebild.stories import similarity
from lagebild.stories import state as stored
from lagebild.stories.cluster import WIDE_DAYS, Embed, StoryIndex
from lagebild.stories.features import ArticleFeatures, from_doc

if TYPE_CHECKING:
    from lagebild.app import Lagebild

STATE_KEY = stored.STATE_KEY
BATCH = 64  # articles embedded at once
# Untimed articles of a batch wait for its timed ones (``run``); at most this many at once
# (memory: their features are held until placed, ~65 KB each for 10kGNAD's articles)
DEFER_MAX = 1000


class Dated(Protocol):
    """What ``order`` needs of an item: its publication time (and, where known, how precise
    it is and the days its own text narrows it to: ``ArticleFeatures`` has both)."""

    @property
    def published(self) -> datetime | None: ...


D = TypeVar("D", bound=Dated)


def sort_time(item: Dated) -> datetime | None:
    """When an item comes in publication order.

    A date known to the day sorts on itself. A date known only to the month or year sorts on
    the first day its text narrows it to (``span`` within WIDE_DAYS: "am 24. Januar"), else
    after every day of its month or year: such a report could be from any of them, and
    placed on the 1st it would come before the month's reports whose day is known, so it
    would join whatever story of the same actors existed then instead of the one those
    reports open (real-dev: two GDL strikes of January 2024, two weeks apart, reported
    "2024-01"; family halves: untuned 0.893 / 0.939 -> 0.895 / 0.949 F1 / P).
    """
    when = item.published
    precision = getattr(item, "published_precision", "day")
    if when is None or precision == "day":
        return when
    span = getattr(item, "span", None)
    if span is not None and span[1].toordinal() - span[0].toordinal() <= WIDE_DAYS:
        return datetime.combine(span[0], time(), tzinfo=UTC)
    last = date_span(when.date(), precision)[1]
    return datetime.combine(last, time.max, tzinfo=UTC)


def order(articles: Sequence[D], carry: datetime | None = None) -> list[D]:
    """Publication order (``sort_time``); an undated article keeps its place after its ingest
    predecessor.

    Each undated article takes the sort key of the last dated one before it in ingest order
    (``carry`` when the list continues an earlier one; else it sorts first), and the sort is
    stable, so undated runs stay in ingest order. (The clusterer does not take that position
    for a date: an undated article matches on its words and the window its own text gives.)
    """
    key = carry.timestamp() if carry else float("-inf")
    keyed = []
    for i, a in enumerate(articles):
        when = sort_time(a)
        if when is not None:
            key = when.timestamp()
        keyed.append((key, i, a))
    return [a for _, _, a in sorted(keyed, key=lambda k: (k[0], k[1]))]


def untimed(feat: ArticleFeatures) -> bool:
    """Whether an article has no time at all (no date, no window from its own text): it is
    matched on its words alone, so where it comes in the batch is all that decides which
    stories exist when it is placed."""
    return feat.published is None and feat.span is None


def run(
    index: StoryIndex, feats: Iterable[ArticleFeatures], embed: Embed | None = None
) -> Iterator[tuple[str, str, list[Story]]]:
    """Feed features in order; yields (article id, story id, stories that went dormant).

    The articles of the batch with no time at all (``untimed``) are placed after its timed
    ones, in their batch order (up to DEFER_MAX at a time): matched on words alone, such a
    report placed early joins whatever story of the same actors exists then (another summit
    of the same two leaders, another strike of one union) and the stories its own event's
    reports open later grow beside it. Placed once the batch's dated reports have made
    their stories, it is matched against all of them, so its place no longer depends on
    where in the batch it came (real-dev, family halves, 20 shuffled orders: see
    docs/stories-eval.md). A batch is what one call gets: an ingest's new articles, or a
    whole file in evaluation.
    """
    later: list[tuple[ArticleFeatures, np.ndarray | None]] = []
    for chunk in _chunks(feats, BATCH):
        if index.fetch is not None:  # the stored counts of the chunk's terms at once
            index.fetch({t for f in chunk for t in f.terms})
        # an article whose analysis made its vector (encoder mode) is not embedded again
        todo = [f for f in chunk if f.vector is None] if embed else []
        made = iter(embed([f.lead for f in todo]) if todo and embed else ())
        embs = [None if embed is None or f.vector is not None else next(made) for f in chunk]
        for f, e in zip(chunk, embs, strict=True):
            if untimed(f):
                later.append((f, e))
                if len(later) < DEFER_MAX:
                    continue
                yield from _place(index, later)
                continue
            sid, retired = index.add(f, e)
            yield f.id, sid, retired
    yield from _place(index, later)


def _place(
    index: StoryIndex, later: list[tuple[ArticleFeatures, np.ndarray | None]]
) -> Iterator[tuple[str, str, list[Story]]]:
    """Place the deferred articles in their order (and forget them)."""
    if later and index.fetch is not None:
        index.fetch({t for f, _ in later for t in f.terms})
    for f, e in later:
        sid, retired = index.add(f, e)
        yield f.id, sid, retired
    later.clear()


def cluster_features(
    feats: Iterable[ArticleFeatures],
    config: StoriesConfig | None = None,
    embed: Embed | None = None,
    model: similarity.Models | None = None,
    batch: int | None = None,
) -> list[Story]:
    """Stories of articles given in processing order, from scratch, in memory (``model``:
    another similarity model than the shipped one, e.g. while training; ``batch``: articles
    per run, as ingests of that many new articles each place them; None: all in one run)."""
    index = StoryIndex(config=config or StoriesConfig(), model=model or similarity.load())
    done: dict[str, Story] = {}
    parts = _chunks(feats, batch) if batch else iter([feats])
    for part in parts:
        for _, _, retired in run(index, part, embed):
            done.update((s.id, s) for s in retired)
    done.update((s.id, s.record()) for s in index.active.values())
    for gone in index.merged_into:
        done.pop(gone, None)
    return sorted(done.values(), key=lambda s: (-len(s.article_ids), s.id))


class _Dated(NamedTuple):
    id: str
    published: datetime | None


def _new_articles(
    app: Lagebild, placed: stored.Placed, clock: int | None
) -> tuple[list[_Dated], datetime | None, bool]:
    """Articles not yet clustered (ingest order), the date an undated first one of them
    carries, and whether any of them sorts before ``clock`` (then only a pass from scratch
    gives the stories one pass over all articles in order would). Looks at the articles
    after those all placed already (``Placed.since``); notes in ``placed`` the last it saw."""
    new: list[_Dated] = []
    after, known, last = placed.since()
    # last publication date in ingest order so far
    carry: datetime | None = datetime.fromisoformat(last) if last else None
    start: datetime | None = None
    late = False
    for seq, aid, published in app.store.articles_after(after):
        placed.scanned = seq
        if aid not in known:
            if not new:
                start = carry
            when = published or carry
            late = late or (clock is not None and (when is None or when.toordinal() < clock))
            new.append(_Dated(aid, published))
        if published is not None:
            carry = published
    return new, start, late


def _chunks(items: Iterable[ArticleFeatures], n: int) -> Iterator[list[ArticleFeatures]]:
    chunk: list[ArticleFeatures] = []
    for x in items:
        chunk.append(x)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _embedder(config: StoriesConfig) -> Embed | None:
    if not config.embeddings:
        return None
    from lagebild.stories.embed import Embedder

    return Embedder()


def _features(
    app: Lagebild, ids: Iterable[str], known: MutableMapping[str, ArticleFeatures]
) -> Iterator[ArticleFeatures]:
    """Features in the order of ``ids``: taken from ``known`` (dropped there once used),
    else made from the stored analysis."""
    for aid in ids:
        feat = known.pop(aid, None)
        yield feat if feat is not None else from_doc(next(app.docs([aid])))


def _sortable(
    app: Lagebild, items: list[_Dated], known: Mapping[str, ArticleFeatures]
) -> list[_Dated]:
    """``items`` with the time each sorts at (``sort_time``): an article that may be dated
    only to a month or year (the store keeps such a date as the 1st at 00:00 UTC) needs its
    features for that (precision, the days its text names): taken from ``known``, else made
    from its stored analysis and dropped again, so memory does not grow with the batch."""
    out = []
    for it in items:
        p = it.published
        if p is not None and p.day == 1 and p.hour == p.minute == p.second == 0:
            feat = known.get(it.id)
            if feat is None:
                feat = from_doc(next(app.docs([it.id])))
            out.append(_Dated(it.id, sort_time(feat)))
        else:
            out.append(it)
    return out


def changed_stories(
    index: StoryIndex,
    touched: dict[str, Story | None],
    merged_before: dict[str, str],
    *,
    everything: bool,
) -> tuple[list[Story], dict[str, str]]:
    """What a clustering run writes: the records of the stories it touched (``touched``:
    story id -> its record when it went dormant, None while active; every story when
    ``everything``, a run from scratch) and the merges it made since ``merged_before``."""
    merged = {old: new for old, new in index.merged_into.items() if merged_before.get(old) != new}
    for into in merged.values():  # a story that took another one when it went dormant
        touched.setdefault(into, None)
    if everything:
        records = [s for s in touched.values() if s is not None]
        records += [s.record() for s in index.active.values()]
    else:
        records = [
            index.active[sid].record() if sid in index.active else rec
            for sid, rec in touched.items()
            if sid in index.active or rec is not None
        ]
    return [r for r in records if r.id not in index.merged_into], merged


# articles one clustering run places: more new articles (a one-shot ingest of 100k) are placed
# in runs of this many, each saving the index the next one loads, as ingests of this many
# each would. A run holds its terms' counts, the stories that went dormant in it and every
# story record it writes until it saves them: clustering a 10k 10kGNAD store from scratch
# peaked at 542 MB in one run, 362 MB in runs of 2,500, the same stories (CPU 56 / 58 s)
RUN_ARTICLES = 2_500


def cluster_store(
    app: Lagebild,
    *,
    from_scratch: bool = False,
    features: MutableMapping[str, ArticleFeatures] | None = None,
) -> int:
    """Cluster the store's new articles into its stories (all of them when ``from_scratch``);
    how many story records were written (0: nothing new).

    The index is kept in the store (``stories.state``: a run reads and writes only what it
    touches); it is rebuilt from scratch when missing or made with other settings, so the
    result always equals one pass over all articles in order, run by run: a run places its
    articles with no time at all after its timed ones (``run``), so a rebuild, one run, can
    place an undated article of an earlier ingest otherwise than that ingest did. More than
    ``RUN_ARTICLES`` new articles are placed in runs of that many (in publication order),
    so memory does not grow with what one ingest brings.
    ``features`` of articles just analysed are used as given (and emptied as they are used);
    the others are made from their stored analyses. The stories are not read back here: an
    ingest does not need them (``store.stories()`` took ~0.7 s at 95k stories).
    """
    config = app.config.stories
    settings = asdict(config)
    db = app.store.db
    state = None if from_scratch else stored.load(db, config, settings)
    loaded = state if state is not None else stored.fresh(db, config)
    new_ids, carry, late = _new_articles(app, loaded.placed, loaded.index.clock)
    if state is not None and late:  # a backfill: older than what the index has seen
        state, loaded = None, stored.fresh(db, config)
        new_ids, carry, _ = _new_articles(app, loaded.placed, None)
    known = features if features is not None else {}
    new = order(_sortable(app, new_ids, known), carry)
    if state is not None and not new:
        return 0
    scanned = loaded.placed.scanned  # every article up to it is placed once the last run saves
    written = 0
    for start in range(0, max(len(new), 1), RUN_ARTICLES):
        part = new[start : start + RUN_ARTICLES]
        if start:  # the index as the run before saved it
            state = loaded = stored.load(db, config, settings)
            assert loaded is not None
        loaded.placed.scanned = scanned if start + RUN_ARTICLES >= len(new) else None
        written += _cluster_run(app, loaded, part, known, settings, everything=state is None)
    return written


def _cluster_run(
    app: Lagebild,
    loaded: stored.Loaded,
    new: Sequence[_Dated],
    known: MutableMapping[str, ArticleFeatures],
    settings: dict,
    *,
    everything: bool,
) -> int:
    """Place ``new`` (in this order) with the index ``loaded`` and write the stories it
    changed (all of them when ``everything``: a run from scratch) with the index; how many
    story records were written."""
    index = loaded.index
    merged_before = dict(index.merged_into)
    feats = _features(app, (a.id for a in new), known)
    touched: dict[str, Story | None] = {}  # story id -> dormant record, None while active
    for _, sid, retired in run(index, feats, _embedder(app.config.stories)):
        touched.setdefault(sid, None)
        touched.update((s.id, s) for s in retired)
    records, merged = changed_stories(index, touched, merged_before, everything=everything)
    with app.store.transaction():  # the stories and the index that made them, or neither
        app.store.put_stories(records, replace_all=everything, merged=merged)
        stored.save(app.store.db, loaded, settings, (a.id for a in new))
    return len(records)


__all__ = [
    "RUN_ARTICLES",
    "changed_stories",
    "cluster_features",
    "cluster_store",
    "order",
    "run",
    "sort_time",
    "untimed",
]
