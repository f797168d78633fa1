"""Per-article parts of a big story's dossier kept beside the analysis (``dossier.parts``):
read instead of worked out again, never read when made from other code, another analysis or
another text, and the dossier the same either way."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

import lagebild.dossier.cache as cache
import lagebild.dossier.candidates as candidates
from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.dossier.assemble import build_bundle
from lagebild.dossier.parts import part_key
from lagebild.dossier.report import render
from lagebild.dossier.since import since_of
from lagebild.dossier.summary import main_language, originals
from lagebild.store import dossiers

BIG = Config.load(dossier={"precompute_articles": 2})
FORMATS = ("html", "md", "json")


def _fresh(app: Lagebild, story_id: str) -> dict[str, str]:
    """The story's dossier built from its docs alone (no kept parts, nothing kept)."""
    st = app.store.story(story_id)
    bundle = build_bundle(st, list(app.docs(st.article_ids)), app.config)
    bundle = replace(bundle, since=since_of(app, st))
    return {fmt: render(bundle, fmt) for fmt in FORMATS}


def _big(app: Lagebild):
    return max(app.stories(), key=lambda s: len(s.article_ids))


def _summarised(app: Lagebild, story_id: str) -> set[str]:
    """The articles whose candidates a build of the story works out."""
    st = app.store.story(story_id)
    return {d.id for d in main_language(originals(st, list(app.docs(st.article_ids))))}


def _part_rows(app: Lagebild) -> dict[str, bytes]:
    return dict(app.store.db.execute("SELECT article_id, key FROM dossier_parts").fetchall())


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The article ids whose candidates are worked out (not read from kept parts)."""
    seen: list[str] = []
    real = candidates.doc_candidates

    def counting(doc):
        seen.append(doc.id)
        return real(doc)

    monkeypatch.setattr(candidates, "doc_candidates", counting)
    return seen


@pytest.fixture
def app(corpus_dir, tmp_path):
    app = Lagebild(tmp_path / "c.db", BIG)
    app.ingest([corpus_dir])  # the big stories' dossiers built, their parts kept
    yield app
    app.close()


def test_kept_parts_are_read_and_give_the_same_dossier(app, counted):
    st = _big(app)
    assert set(_part_rows(app)) >= _summarised(app, st.id)
    want = _fresh(app, st.id)
    counted.clear()
    dossiers.clear(app.store)
    assert {fmt: app.dossier(st.id, fmt) for fmt in FORMATS} == want
    assert counted == []  # every article's candidates read from its kept part


def test_parts_made_by_other_code_are_not_read(app, counted, monkeypatch):
    st = _big(app)
    before = _part_rows(app)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another lagebild")
    want = _fresh(app, st.id)
    counted.clear()
    assert {fmt: app.dossier(st.id, fmt) for fmt in FORMATS} == want
    assert set(counted) == _summarised(app, st.id)
    after = _part_rows(app)
    assert all(after[a] != before[a] for a in counted)  # kept again under the new key


def test_a_stored_analysis_drops_its_part_and_a_stale_key_is_not_read(app, counted):
    st = _big(app)
    first, second = sorted(_summarised(app, st.id))[:2]
    app.store.put_docs([next(app.docs([first]))])  # stored again (as a re-analysis does)
    assert first not in _part_rows(app)
    with app.store.transaction():
        app.store.db.execute("UPDATE dossier_parts SET key = x'00' WHERE article_id = ?", (second,))
    want = _fresh(app, st.id)
    counted.clear()
    dossiers.clear(app.store)
    assert {fmt: app.dossier(st.id, fmt) for fmt in FORMATS} == want
    assert sorted(counted) == sorted([first, second])
    assert {first, second} <= set(_part_rows(app))
    with app.store.transaction():  # bytes that do not read are worked out again, not an error
        app.store.db.execute(
            "UPDATE dossier_parts SET data = x'00ff' WHERE article_id = ?", (first,)
        )
    dossiers.clear(app.store)
    counted.clear()
    assert {fmt: app.dossier(st.id, fmt) for fmt in FORMATS} == want
    assert counted == [first]


def test_the_key_names_code_stages_analysis_text_and_the_article_row():
    base = ("code", "text@2,time@6", b"analysis", b"text", "title", b"record", "2024-06-03", "de")
    key = part_key(*base)
    others = {
        part_key(*base[:n], changed, *base[n + 1 :])
        for n, changed in enumerate(
            ("code2", "time@7", b"analysis2", b"t2", "t", b"r", "2024-06-04", "fr")
        )
    }
    others.add(part_key("code", "text@2,time@6analysis", b"", *base[3:]))  # fields kept apart
    others.add(part_key(*base[:-1], None))
    assert len(others) == 10 and key not in others
    assert part_key(*base) == key


def test_a_corrected_date_is_not_read_with_the_old_parts(app, counted):
    st = _big(app)
    aid = sorted(_summarised(app, st.id))[0]
    with app.store.transaction():  # the row's date column alone (an analysis left as it is)
        app.store.db.execute("UPDATE articles SET published = '2001-01-01' WHERE id = ?", (aid,))
    dossiers.clear(app.store)
    counted.clear()
    app.dossier(st.id, "html")
    assert counted == [aid]


def test_small_stories_keep_no_parts(corpus_dir, tmp_path):
    app = Lagebild(tmp_path / "c.db", Config.load(dossier={"precompute_articles": 1000}))
    try:
        app.ingest([corpus_dir])
        for st in app.stories():
            app.dossier(st.id, "html")
        assert _part_rows(app) == {}
    finally:
        app.close()


def test_a_story_grown_in_steps_keeps_the_dossier_of_one_built_anew(corpus_dir, tmp_path, counted):
    files = sorted(corpus_dir.iterdir())
    steps = [files[: len(files) // 2], files[len(files) // 2 : -1], files[-1:]]
    app = Lagebild(tmp_path / "c.db", BIG)
    try:
        known: set[str] = set()
        for n, step in enumerate(steps):
            folder = tmp_path / f"step{n}"
            folder.mkdir()
            for f in step:
                shutil.copy(f, folder / f.name)
            counted.clear()
            app.ingest([folder])
            worked_out = set(counted)
            articles = {a for s in app.stories() for a in s.article_ids}
            # an ingest works out the candidates of its own new articles only
            assert worked_out and worked_out <= articles - known
            known = articles
            big = [s for s in app.stories() if len(s.article_ids) >= 2]
            assert big
            for st in big:
                kept = {fmt: app.dossier(st.id, fmt) for fmt in FORMATS}  # kept at ingest
                assert kept == _fresh(app, st.id)
    finally:
        app.close()


def test_every_kind_of_part_is_read_back_in_place_of_the_work(flood, monkeypatch):
    from importlib import import_module

    from lagebild.dossier.parts import SUMMARY, Parts, read
    from lagebild.pipeline import Pipeline

    group = import_module("lagebild.quotes.group")
    timeline = import_module("lagebild.time.timeline")  # the module, not the function
    infer = import_module("lagebild.time.infer")

    story, plain = flood
    pipe = Pipeline()
    arts = [d.article for d in plain]
    arts[-1] = replace(arts[-1], published=None)  # an undated report
    docs = [pipe(a) for a in arts]  # every stage: quotes and times too
    assert any(d.quotes for d in docs)
    dated = {d.id for d in docs if d.article.published and d.article.published_precision == "day"}
    assert dated and dated != {d.id for d in docs}  # an undated article too
    first = Parts(keys={d.id: b"key" for d in docs})
    want = render(build_bundle(story, docs, None, first), "json")
    assert want == render(build_bundle(story, docs), "json")
    rows = first.rows()
    assert {kind for made in first.made.values() for kind in made} == {
        SUMMARY,
        timeline.KEPT,
        timeline.KEPT_UNDATED,
        group.KEPT,
        infer.KEPT,
    }
    worked: list[tuple[str, str]] = []
    for module, name in (
        (candidates, "doc_candidates"),
        (timeline, "_doc_events"),
        (group, "_content"),
        (infer, "_reading"),
    ):
        real = getattr(module, name)

        def counting(doc, *args, real=real, name=name):
            worked.append((name, doc.id))
            return real(doc, *args)

        monkeypatch.setattr(module, name, counting)
    second = read((aid, key, key, data) for aid, key, data in rows)
    assert render(build_bundle(story, docs, None, second), "json") == want
    assert worked == []  # the undated article's window is the one its events were read in
    assert second.made == {}
