"""Rendered dossiers kept per story version: served again until the story changes, shared
by every connection to the database, never served for another version, never waited for."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace

import pytest

import lagebild.dossier.assemble as assemble
from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.dossier.assemble import build_bundle
from lagebild.dossier.report import render
from lagebild.dossier.since import since_of


@pytest.fixture
def app(corpus_dir, tmp_path):
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([corpus_dir])
    yield lb
    lb.close()


def _story(app: Lagebild):
    return max(app.stories(), key=lambda s: len(s.article_ids))


def _rows(app: Lagebild, story_id: str) -> list[str]:
    q = "SELECT format FROM dossier_cache WHERE story_id=? ORDER BY format"
    return [r[0] for r in app.store.db.execute(q, (story_id,))]


def _no_build(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("the dossier was built again")

    monkeypatch.setattr(assemble, "build_bundle", fail)


def test_first_call_builds_and_keeps_every_format_later_calls_read_it(app, monkeypatch):
    st = _story(app)
    fresh = build_bundle(st, list(app.docs(st.article_ids)), app.config)
    fresh = replace(fresh, since=since_of(app, st))
    html = app.dossier(st.id, "html")
    assert html == render(fresh, "html")
    assert _rows(app, st.id) == ["html", "json", "md"]
    _no_build(monkeypatch)
    assert app.dossier(st.id, "html") == html
    assert app.dossier(st.id, "md") == render(fresh, "md")
    assert app.dossier(st.id, "json") == render(fresh, "json")


def test_another_connection_reads_the_kept_text(app, monkeypatch):
    st = _story(app)
    html = app.dossier(st, "html")
    _no_build(monkeypatch)
    other = Lagebild(app.store.path)  # the CLI or a second server on the same database
    try:
        assert other.dossier(st.id, "html") == html
    finally:
        other.close()


def test_a_changed_story_is_built_again(app, monkeypatch):
    st = _story(app)
    app.dossier(st, "md")
    app.store.put_stories([replace(st, title="Ein ganz neuer Titel")])
    assert _rows(app, st.id) == []  # dropped in the transaction that changed the story
    assert "Ein ganz neuer Titel" in app.dossier(st.id, "md")


def test_new_analysis_or_change_log_entry_drops_the_text(app):
    st = _story(app)
    app.dossier(st, "html")
    app.store.put_docs([next(app.docs([st.article_ids[0]]))])
    assert _rows(app, st.id) == []
    app.dossier(st, "html")
    with app.store.transaction() as db:
        db.execute(
            "INSERT INTO story_changes (story_id, pass, kind, item, detail)"
            " VALUES (?, 1, 'article', 'x', '{}')",
            (st.id,),
        )
    assert _rows(app, st.id) == []


def test_other_configuration_is_never_served_the_kept_text(app, monkeypatch):
    st = _story(app)
    app.dossier(st, "html")
    other = Lagebild(app.store.path, Config.load(dossier={"summary_max": 3}))
    try:
        _no_build(monkeypatch)
        with pytest.raises(AssertionError, match="built again"):
            other.dossier(st.id, "html")
    finally:
        other.close()


def test_explicit_since_is_built_and_not_kept(app):
    from datetime import UTC, datetime

    st = _story(app)
    app.dossier(st, "json", datetime(2000, 1, 1, tzinfo=UTC))
    assert _rows(app, st.id) == []


def test_a_busy_database_does_not_hold_the_answer(app):
    st = _story(app)
    writer = sqlite3.connect(app.store.path, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # an ingest holding the write lock
    try:
        t0 = time.monotonic()
        text = app.dossier(st, "html")
        assert time.monotonic() - t0 < 5
        assert "<html" in text
    finally:
        writer.rollback()
        writer.close()
    assert _rows(app, st.id) == []  # not kept this time; the next call keeps it
    app.dossier(st, "html")
    assert _rows(app, st.id) == ["html", "json", "md"]


def test_size_limit_drops_the_oldest_stories(app):
    from lagebild.store import dossiers

    small = Lagebild(app.store.path, Config.load(dossier={"cache_mb": 0}))
    try:
        st = _story(small)
        small.dossier(st, "html")
        assert _rows(small, st.id) == []  # 0 MB: nothing kept
    finally:
        small.close()
    assert dossiers.keep(app.store, "aaaa", "k", {"html": "a" * 5000}, 10_000)
    first = app.store.db.execute("SELECT SUM(size) FROM dossier_cache").fetchone()[0]
    assert dossiers.keep(app.store, "bbbb", "k", {"html": "b" * 50, "md": "c"}, first + 5)
    assert _rows(app, "aaaa") == [dossiers.EVICTED]  # the oldest goes, the one just kept stays
    assert dossiers.cached_key(app.store, "aaaa") is None
    assert dossiers.cached(app.store, "aaaa", "html", "k") is None
    assert _rows(app, "bbbb") == ["html", "md"]
    assert dossiers.cached(app.store, "bbbb", "md", "k") == "c"
    assert dossiers.cached(app.store, "bbbb", "md", "other key") is None


def test_reading_a_kept_dossier_loads_no_lemmatiser_and_no_rendering_code(app):
    """``lagebild dossier ID`` of a kept text is start-up and a read: the store (which folds
    text for search) no longer pulls in simplemma's tables through ``lagebild.text``, and the
    build, the renderers and numpy stay unloaded."""
    st = _story(app)
    kept = app.dossier(st.id, "md")
    text, loaded = _cli_dossier(app, st.id)
    assert text == kept
    assert "lagebild.store.sqlite" in loaded  # the probe did read the store
    assert not loaded & {"simplemma", "numpy", "lagebild.dossier.assemble", "lagebild.text.lemma"}


def _cli_dossier(app, story_id: str) -> tuple[str, set[str]]:
    """``lagebild dossier STORY`` in a fresh process: its output and the modules it loaded."""
    import subprocess
    import sys

    probe = (
        "import sys\nfrom lagebild.cli import main\n"
        f"try:\n    main(['--db', {str(app.store.path)!r}, 'dossier', {story_id!r}])\n"
        "except SystemExit:\n    pass\n"
        "print('\\x00' + ' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    text, modules = out.stdout.rsplit("\x00", 1)
    return text, set(modules.split())


def test_building_a_dossier_loads_no_scipy_simplemma_or_babel(app):
    """A cold ``lagebild dossier ID`` (no kept text) builds without scipy.sparse (~0.2 s CPU
    to import: the summary's TF-IDF has its own CSR, dossier/tfidf.py), without simplemma
    (~0.07 s: the quote modules it reads import it where they lemmatise) and without Babel
    (the CLDR territory names are a shipped table)."""
    from lagebild.store.dossiers import clear

    st = _story(app)
    clear(app.store)
    text, loaded = _cli_dossier(app, st.id)
    assert "lagebild.dossier.summary" in loaded  # the probe did build the dossier
    assert text.strip()
    heavy = ("scipy", "simplemma", "babel")
    assert not {m for m in loaded if m.split(".")[0] in heavy}


def test_a_story_dropped_for_room_is_not_built_again_until_it_changes_or_is_viewed(app):
    """With more big stories than ``cache_mb`` holds, each ingest's precompute would build
    the dropped ones again and push out the others; the mark left by the drop stops that, and
    any change of the story (the triggers) or a view takes the mark away."""
    from lagebild.dossier.cache import precompute, stories_to_precompute
    from lagebild.store import dossiers

    big = Lagebild(app.store.path, Config.load(dossier={"precompute_articles": 2}))
    try:
        st = _story(big)
        assert precompute(big) == 1 and _rows(big, st.id) == ["html", "json", "md"]
        kept = big.store.db.execute("SELECT SUM(size) FROM dossier_cache").fetchone()[0]
        # another story's text fills the cache: the big story's texts go for room
        assert dossiers.keep(big.store, "ffff", "k", {"html": "x" * 40}, kept)
        assert _rows(big, st.id) == [dossiers.EVICTED]
        assert stories_to_precompute(big) == [] and precompute(big) == 0
        html = big.dossier(st.id, "html")  # its view builds and keeps it again
        assert _rows(big, st.id) == ["html", "json", "md"]
        assert dossiers.cached_key(big.store, st.id) is not None
        dossiers.keep(big.store, "ffff", "k2", {"html": "y" * 40}, kept)
        assert _rows(big, st.id) == [dossiers.EVICTED]
        # a change of the story drops the mark: the next precompute builds it
        big.store.put_stories([replace(big.store.story(st.id), title="Neuer Titel")])
        assert _rows(big, st.id) == [] and stories_to_precompute(big) == [st.id]
        assert precompute(big) == 1 and big.dossier(st.id, "html") != html
    finally:
        big.close()


def test_a_build_runs_with_rare_full_collections_and_restores_the_collector(app, monkeypatch):
    import gc

    from lagebild.pipeline import FULL_COLLECTION_EVERY

    st = _story(app)
    seen = []
    real = assemble.build_bundle

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(assemble, "build_bundle", spy)
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 10)  # CPython's default full-collection rate
    try:
        app.dossier(st.id, "html")
        assert seen and seen[0][2] >= FULL_COLLECTION_EVERY
        assert gc.get_threshold()[2] == 10
    finally:
        gc.set_threshold(*before)


def test_overlapping_builds_leave_the_collector_as_they_found_it():
    """Two builds in two threads: whichever ends first, the thresholds end as before both."""
    import gc

    from lagebild.dossier.cache import few_full_collections

    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 10)
    try:
        for first_out in ("a", "b"):
            a, b = few_full_collections(), few_full_collections()
            a.__enter__()
            b.__enter__()
            out = [a, b] if first_out == "a" else [b, a]
            out[0].__exit__(None, None, None)
            out[1].__exit__(None, None, None)
            assert gc.get_threshold()[2] == 10, first_out
        # thresholds someone set while a build ran are theirs to keep
        c = few_full_collections()
        c.__enter__()
        gc.set_threshold(before[0], before[1], 50)
        c.__exit__(None, None, None)
        assert gc.get_threshold()[2] == 50
    finally:
        gc.set_threshold(*before)
