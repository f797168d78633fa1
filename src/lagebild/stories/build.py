"""Running the clusterer: over a list in memory, or over a store, resuming from its state."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from lagebild.config import StoriesConfig
from lagebild.model import Article, Story
from lagebild.stories.cluster import Embed, StoryIndex
from lagebild.stories.features import ArticleFeatures, from_doc

if TYPE_CHECKING:
    from lagebild.app import Lagebild

STATE_KEY = "stories.index"
BATCH = 64  # articles embedded at once


def order(articles: Sequence[Article], carry: datetime | None = None) -> list[Article]:
    """Publication order; an undated article keeps its place after its ingest predecessor.

    Each undated article takes the date of the last dated one before it in ingest order
    (``carry`` when the list continues an earlier one; else it sorts first), and the sort is
    stable, so undated runs stay in ingest order.
    """
    keyed = []
    for i, a in enumerate(articles):
        if a.published is not None:
            carry = a.published
        keyed.append((carry.timestamp() if carry else float("-inf"), i, a))
    return [a for _, _, a in sorted(keyed, key=lambda k: (k[0], k[1]))]


def run(
    index: StoryIndex, feats: Iterable[ArticleFeatures], embed: Embed | None = None
) -> Iterator[tuple[str, str, list[Story]]]:
    """Feed features in order; yields (article id, story id, stories that went dormant)."""
    for chunk in _chunks(feats, BATCH):
        embs: np.ndarray | list[None] = (
            embed([f.lead for f in chunk]) if embed else [None] * len(chunk)
        )
        for f, e in zip(chunk, embs, strict=True):
            sid, retired = index.add(f, e)
            yield f.id, sid, retired


def cluster_features(
    feats: Iterable[ArticleFeatures],
    config: StoriesConfig | None = None,
    embed: Embed | None = None,
) -> list[Story]:
    """Stories of articles given in processing order, from scratch, in memory."""
    index = StoryIndex(config=config or StoriesConfig())
    done: dict[str, Story] = {}
    for _, _, retired in run(index, feats, embed):
        done.update((s.id, s) for s in retired)
    done.update((s.id, s.record()) for s in index.active.values())
    return sorted(done.values(), key=lambda s: (-len(s.article_ids), s.id))


def _new_articles(
    app: Lagebild, known: set[str], clock: str | None
) -> tuple[list[str], datetime | None, bool]:
    """Ids not yet clustered (ingest order), the date an undated first one of them carries,
    and whether any of them sorts before ``clock`` (then only a pass from scratch gives the
    stories one pass over all articles in order would)."""
    new: list[str] = []
    carry: datetime | None = None  # last publication date in ingest order so far
    start: datetime | None = None
    late = False
    limit = datetime.fromisoformat(clock) if clock else None
    for aid, published in app.store.article_dates():
        if aid not in known:
            if not new:
                start = carry
            when = published or carry
            late = late or (limit is not None and (when is None or when < limit))
            new.append(aid)
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


def cluster_store(app: Lagebild, *, from_scratch: bool = False) -> list[Story]:
    """Cluster the store's new articles into its stories (all of them when ``from_scratch``).

    The index is kept in the store's state; it is rebuilt from scratch when missing or made
    with other settings, so the result always equals one pass over all articles in order.
    """
    config = app.config.stories
    settings = asdict(config)
    state = None if from_scratch else app.store.get_state(STATE_KEY)
    if state is not None and state.get("settings") != settings:
        state = None
    if state is None:
        index, seen = StoryIndex(config=config), []
    else:
        index, seen = StoryIndex.from_json(state["index"], config), state["seen"]
    new_ids, carry, late = _new_articles(app, set(seen), index.clock)
    if state is not None and late:  # a backfill: older than what the index has seen
        state, index, seen = None, StoryIndex(config=config), []
        new_ids, carry, _ = _new_articles(app, set(), None)
    fetched = app.store.articles(new_ids) if seen else app.store.articles()  # one scan
    new = order(list(fetched), carry)
    if state is not None and not new:
        return app.store.stories()
    feats = (from_doc(d) for d in app.docs(a.id for a in new))
    touched: dict[str, Story | None] = {}  # story id -> dormant record, None while active
    for _, sid, retired in run(index, feats, _embedder(config)):
        touched.setdefault(sid, None)
        touched.update((s.id, s) for s in retired)
    if state is None:
        records = [s for s in touched.values() if s is not None]
        records += [s.record() for s in index.active.values()]
    else:
        records = [
            index.active[sid].record() if sid in index.active else rec
            for sid, rec in touched.items()
            if sid in index.active or rec is not None
        ]
    app.store.put_stories(records, replace_all=state is None)
    app.store.put_state(
        STATE_KEY,
        {"settings": settings, "seen": [*seen, *(a.id for a in new)], "index": index.to_json()},
    )
    return app.store.stories()


__all__ = ["cluster_features", "cluster_store", "order", "run"]
