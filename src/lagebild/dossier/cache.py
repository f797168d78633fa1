"""A story's dossier as text, built once per story version and kept in the store.

``dossier_text`` is what ``lagebild dossier``, ``/story/ID`` and ``/api/story/ID`` show: the
story's dossier with the "since …" section of its last update. The first call for a version
builds the dossier and keeps all three formats (one build serves them all); later calls, from
any process on the same database, read the kept text until the story changes (see
``store/dossiers.py`` for where and why). A dossier asked for with an explicit ``since`` is
built every time (it depends on the time given).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from lagebild import __version__
from lagebild.config import Config
from lagebild.dossier.formats import FORMATS

if TYPE_CHECKING:
    from lagebild.app import Lagebild
    from lagebild.model import Story


@cache
def code_fingerprint() -> str:
    """This installation of lagebild: its version and the size and time of every file of the
    package, so a dossier rendered by other code (an upgrade, an edited checkout) is rebuilt."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    root = resources.files("lagebild")
    stack = [root]
    entries = []
    while stack:
        for item in stack.pop().iterdir():
            if item.name == "__pycache__":
                continue
            if item.is_dir():
                stack.append(item)
                continue
            try:
                st = item.stat()  # type: ignore[attr-defined]
                entries.append(f"{item}:{st.st_size}:{st.st_mtime_ns}")
            except AttributeError:  # a package not on the file system (a zip)
                entries.append(str(item))
    for entry in sorted(entries):
        h.update(entry.encode())
    return h.hexdigest()


def salt(config: Config) -> str:
    """What besides the stored records decides a dossier's text."""
    return f"{code_fingerprint()}\x00{config!r}"


def precompute(app: Lagebild) -> int:
    """Build and keep the dossier of every story of at least ``dossier.precompute_articles``
    articles that has no kept text (new, or changed since: the store's triggers drop a
    story's texts whenever the story, an article, an analysis or its change log changes), so
    that the first view of a big story is a read, not seconds of building. Small stories are
    left to their first view, which builds them in well under a second. A text kept for
    another configuration or code is left to the view, which checks the full key: finding
    the stories to build reads no article, so it costs the same whatever the corpus holds.
    A story whose texts were dropped for room (``store.dossiers.EVICTED``) is left to its
    next view too: when the big stories' texts do not all fit in ``dossier.cache_mb``,
    building them again at every ingest would only push out others. Returns how many were
    built."""
    if app.config.dossier.precompute_articles <= 0 or app.config.dossier.cache_mb <= 0:
        return 0
    todo = stories_to_precompute(app)
    for story_id in todo:
        dossier_text(app, app.store.story(story_id), FORMATS[0])
    return len(todo)


def stories_to_precompute(app: Lagebild) -> list[str]:
    """The stories of at least ``dossier.precompute_articles`` articles with no row in the
    cache (neither a kept text nor the mark of one dropped for room)."""
    rows = app.store.db.execute(
        "SELECT sa.story_id FROM story_articles sa WHERE NOT EXISTS"
        " (SELECT 1 FROM dossier_cache c WHERE c.story_id = sa.story_id)"
        " GROUP BY sa.story_id HAVING COUNT(*) >= ? ORDER BY sa.story_id",
        (app.config.dossier.precompute_articles,),
    ).fetchall()
    return [story_id for (story_id,) in rows]


def dossier_text(app: Lagebild, story: Story, fmt: str, since: datetime | None = None) -> str:
    """The rendered dossier of ``story`` in ``fmt`` (``html``, ``json``, ``md``)."""
    from lagebild.store import dossiers

    if fmt not in FORMATS:
        raise ValueError(f"unknown dossier format {fmt!r}; use one of {', '.join(FORMATS)}")
    key = "" if since is not None else dossiers.version_key(app.store, story.id, salt(app.config))
    if key:
        if (text := dossiers.cached(app.store, story.id, fmt, key)) is not None:
            return text
        # read after the key: a kept text is never older than the state its key names
        story = app.store.story(story.id)
    # the rendering code is loaded only when a dossier is built (a kept one is a read)
    from lagebild.dossier.assemble import build_bundle
    from lagebild.dossier.report import render
    from lagebild.dossier.since import since_of

    with few_full_collections():
        docs = list(app.docs(story.article_ids))  # stale analyses made again and stored first
        parts = None
        if key and 0 < app.config.dossier.precompute_articles <= len(story.article_ids):
            parts = dossiers.read_parts(app.store, story.id, code_fingerprint())
        bundle = build_bundle(story, docs, app.config, parts)
        bundle = replace(bundle, since=since_of(app, story, since))
        if not key:
            return render(bundle, fmt)
        texts = {f: render(bundle, f) for f in FORMATS}
        made = parts.rows() if parts is not None else ()
        dossiers.keep(
            app.store, story.id, key, texts, app.config.dossier.cache_mb * 1_000_000, made
        )
    return texts[fmt]


@contextmanager
def few_full_collections() -> Iterator[None]:
    """CPython's full collections rarer while a dossier is built (as an ingest has them after
    its first doc, ``pipeline.FULL_COLLECTION_EVERY``): a build holds every analysis of the
    story, and each full collection walks them all and everything the process loaded (the
    cold 500-article CLI dossier made 4, ~0.2 s of its ~2.8 s CPU). The young generations
    still collect; the thresholds go back after, unless someone set others meanwhile (a
    build in another thread that started later and ended first leaves them as it found them)."""
    from lagebild.pipeline import FULL_COLLECTION_EVERY

    before = gc.get_threshold()
    young, middle, old = before
    during = (young, middle, max(old, FULL_COLLECTION_EVERY))
    gc.set_threshold(*during)
    try:
        yield
    finally:
        if gc.get_threshold() == during:
            gc.set_threshold(*before)
