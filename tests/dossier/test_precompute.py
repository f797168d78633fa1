"""Dossiers of big stories built when the story changes (ingest, clustering, re-analysis),
so that viewing one reads the kept text: never stale, never built on view."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

import lagebild.dossier.assemble as assemble
from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.dossier.assemble import build_bundle
from lagebild.dossier.cache import salt
from lagebild.dossier.report import render
from lagebild.dossier.since import since_of
from lagebild.store import dossiers

BIG = Config.load(dossier={"precompute_articles": 2})


def _kept_key(app: Lagebild, story_id: str) -> str | None:
    return dossiers.cached_key(app.store, story_id)


def _current_key(app: Lagebild, story_id: str) -> str:
    return dossiers.version_key(app.store, story_id, salt(app.config))


def _fresh(app: Lagebild, story_id: str, fmt: str) -> str:
    st = app.store.story(story_id)
    bundle = build_bundle(st, list(app.docs(st.article_ids)), app.config)
    return render(replace(bundle, since=since_of(app, st)), fmt)


def _no_build(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("the dossier was built on view")

    monkeypatch.setattr(assemble, "build_bundle", fail)


def _big(app: Lagebild):
    return max(app.stories(), key=lambda s: len(s.article_ids))


@pytest.fixture
def split_corpus(corpus_dir, tmp_path):
    """The corpus without its last file (``first``), and that file alone (``later``)."""
    files = sorted(corpus_dir.iterdir())
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for f in files[:-1]:
        shutil.copy(f, first / f.name)
    shutil.copy(files[-1], later / files[-1].name)
    return first, later


def test_ingest_keeps_the_dossier_of_a_big_story_and_viewing_reads_it(
    corpus_dir, tmp_path, monkeypatch
):
    app = Lagebild(tmp_path / "c.db", BIG)
    try:
        app.ingest([corpus_dir])
        st = _big(app)
        assert len(st.article_ids) >= 2
        assert _kept_key(app, st.id) == _current_key(app, st.id)
        want = {fmt: _fresh(app, st.id, fmt) for fmt in ("html", "md", "json")}
        _no_build(monkeypatch)
        for fmt, text in want.items():
            assert app.dossier(st.id, fmt) == text
    finally:
        app.close()


def test_small_stories_are_left_to_their_first_view(corpus_dir, tmp_path):
    app = Lagebild(tmp_path / "c.db", Config.load(dossier={"precompute_articles": 1000}))
    try:
        app.ingest([corpus_dir])
        assert app.store.db.execute("SELECT COUNT(*) FROM dossier_cache").fetchone()[0] == 0
    finally:
        app.close()


def test_an_article_added_later_is_in_the_kept_dossier(split_corpus, tmp_path, monkeypatch):
    first, later = split_corpus
    app = Lagebild(tmp_path / "c.db", BIG)
    try:
        app.ingest([first])
        before = _big(app)
        old_key = _kept_key(app, before.id)
        assert old_key == _current_key(app, before.id)
        report = app.ingest([later])
        (added,) = report.added
        st = app.store.story_of(added)
        assert st is not None and st.id == before.id  # the new article joined the big story
        assert _kept_key(app, st.id) == _current_key(app, st.id) != old_key
        want = _fresh(app, st.id, "md")
        assert app.store.article(added).title in want
        _no_build(monkeypatch)
        assert app.dossier(st.id, "md") == want
    finally:
        app.close()


def test_reanalysis_and_reclustering_rebuild_the_kept_dossier(corpus_dir, tmp_path, monkeypatch):
    app = Lagebild(tmp_path / "c.db", BIG)
    try:
        app.ingest([corpus_dir])
        st = _big(app)
        # an analysis made by other stage versions: re-analysed, the kept text dropped and rebuilt
        other = app.store.stage_set("text@0")
        app.store.db.execute(
            "UPDATE docs SET stages=? WHERE article_id=?", (other, st.article_ids[0])
        )
        app.store.db.commit()
        assert _kept_key(app, st.id) is None  # the trigger dropped it
        assert app.reanalyse().analysed == 1
        assert _kept_key(app, st.id) == _current_key(app, st.id)
        # a renamed story (as a merge or a recluster writes it) is rebuilt by the next clustering
        app.store.put_stories([replace(app.store.story(st.id), title="Ein ganz neuer Titel")])
        assert _kept_key(app, st.id) is None
        app.cluster(from_scratch=True)
        for story in app.stories():
            if len(story.article_ids) >= 2:
                assert _kept_key(app, story.id) == _current_key(app, story.id)
        want = _fresh(app, _big(app).id, "html")
        _no_build(monkeypatch)
        assert app.dossier(_big(app).id, "html") == want
    finally:
        app.close()


def test_a_failing_build_is_a_named_failure_and_the_stories_stay(corpus_dir, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("no dossier today")

    monkeypatch.setattr(assemble, "build_bundle", boom)
    app = Lagebild(tmp_path / "c.db", BIG)
    try:
        report = app.ingest([corpus_dir])
        assert any(f.stage == "dossiers" for f in report.failed)
        assert len(app.stories()) >= 1
        assert app.store.db.execute("SELECT COUNT(*) FROM dossier_cache").fetchone()[0] == 0
    finally:
        app.close()
