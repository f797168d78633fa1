"""An ingest uses the analyses it just made: none is read back from the store to cluster."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lagebild import stories
from lagebild.app import Lagebild
from lagebild.store import Store

EVENTS = [
    "Der Streik bei Nordwind Air trifft am Montag 40.000 Passagiere in Hamburg.",
    "Das Hochwasser der Wiesach überflutet die Altstadt von Altmühlbrück.",
    "Lumetra streicht 1.200 Stellen in Stuttgart, sagte die Gewerkschaft.",
]


def _dumps(folder: Path, start: int, n: int) -> Path:
    """``n`` text dumps one hour apart from unix time ``start``, cycling through the events."""
    folder.mkdir()
    for i in range(n):
        when = start + 3600 * i
        text = EVENTS[i % len(EVENTS)]
        body = (
            f"{text} Die Behörden berichten am Abend neue Zahlen zur Lage in der Region.\n\n"
            f"Meldung {folder.name}{i}: Die Betroffenen sollen sich auf den Webseiten informieren. "
            "Weitere Angaben wollen die Verantwortlichen am nächsten Morgen machen."
        )
        (folder / f"{i}.txt").write_text(
            f"{text[:40]}\n\n{when} meldung-{i}\n\n{body}\n", encoding="utf-8"
        )
    return folder


def test_ingest_clusters_without_reading_analyses_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []  # analyses read while clustering
    real_doc, real_cluster = Store.doc, stories.cluster_store
    clustering = [False]

    def counting_doc(self: Store, article_id: str, stages: object = None) -> object:
        if clustering[0]:
            reads.append(article_id)
        return real_doc(self, article_id, stages)  # type: ignore[arg-type]

    def watched_cluster(*args: Any, **kwargs: Any) -> object:
        clustering[0] = True
        try:
            return real_cluster(*args, **kwargs)
        finally:
            clustering[0] = False

    monkeypatch.setattr(Store, "doc", counting_doc)
    monkeypatch.setattr(stories, "cluster_store", watched_cluster)
    app = Lagebild(tmp_path / "x.db")
    first = app.ingest([_dumps(tmp_path / "a", 1_700_000_000, 6)])
    second = app.ingest([_dumps(tmp_path / "b", 1_700_100_000, 3)])
    assert len(first.added) == 6 and len(second.added) == 3
    assert reads == []
    assert {a for s in app.stories() for a in s.article_ids} == {*first.added, *second.added}
    # a backfill (older than what was clustered) clusters again from scratch: the stored
    # analyses of the others are read once, the new ones are not read at all
    third = app.ingest([_dumps(tmp_path / "c", 1_600_000_000, 2)])
    assert sorted(reads) == sorted([*first.added, *second.added])
    # what is asked for later is read once per use
    reads.clear()
    clustering[0] = True
    story = app.stories()[0]
    assert [d.id for d in app.docs(story.article_ids)] == list(story.article_ids)
    assert reads == list(story.article_ids)
    assert {a for s in app.stories() for a in s.article_ids} == {
        *first.added,
        *second.added,
        *third.added,
    }
    app.close()


def test_ingest_does_not_read_every_story_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clustering writes the stories that changed; reading all of them back (``stories()``,
    ~0.7 s at 95k stories) is left to the callers that show them."""
    listed: list[int] = []  # stories read back while clustering
    real_stories, real_cluster = Store.stories, stories.cluster_store
    clustering = [False]

    def counting_stories(self: Store) -> Any:
        out = real_stories(self)
        if clustering[0]:
            listed.append(len(out))
        return out

    def watched_cluster(*args: Any, **kwargs: Any) -> object:
        clustering[0] = True
        try:
            return real_cluster(*args, **kwargs)
        finally:
            clustering[0] = False

    monkeypatch.setattr(Store, "stories", counting_stories)
    monkeypatch.setattr(stories, "cluster_store", watched_cluster)
    app = Lagebild(tmp_path / "x.db")
    first = app.ingest([_dumps(tmp_path / "a", 1_700_000_000, 4)])
    second = app.ingest([_dumps(tmp_path / "b", 1_700_100_000, 2)])
    assert len(first.added) == 4 and len(second.added) == 2
    assert listed == []
    # asked for, the stories come back: every article in one of them
    shown = app.cluster()
    assert {a for s in shown for a in s.article_ids} == {*first.added, *second.added}
    assert [s.id for s in shown] == [s.id for s in app.store.stories()]
    # nothing new: no story is written again; from scratch: every story
    assert real_cluster(app) == 0
    assert real_cluster(app, from_scratch=True) == len(shown)
    assert [s.id for s in app.store.stories()] == [s.id for s in shown]
    app.close()


def _rows(app: Lagebild, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in app.store.db.execute(sql)]


def _lists_and_log(folder: Path, tmp: Path, fresh_docs: int) -> list[list[tuple[Any, ...]]]:
    """Ingest two runs of dumps (the second grows the first's stories), keeping ``fresh_docs``
    analyses in memory; what the steps after clustering wrote."""
    app = Lagebild(tmp / f"f{fresh_docs}.db")
    app.fresh_docs = fresh_docs
    app.ingest([folder / "a"])
    app.ingest([folder / "b"])
    out = [
        _rows(  # without ``changed``: the change log's wall-clock time
            app,
            "SELECT story_id, first, last, articles, originals, outlets, divergences,"
            " data FROM story_index ORDER BY story_id",
        ),
        _rows(app, "SELECT story_id, kind, item, detail FROM story_changes ORDER BY id"),
        _rows(app, "SELECT * FROM story_content ORDER BY story_id"),
        _rows(app, "SELECT * FROM entity_mentions ORDER BY rowid"),
    ]
    app.close()
    return out


def test_steps_after_clustering_use_the_docs_just_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change log, entity lists, story lists and dossiers of an ingest take the docs it
    just analysed from memory: none of them is decoded again, and what they write is what
    decoding them would have given."""
    _dumps(tmp_path / "a", 1_700_000_000, 6)
    _dumps(tmp_path / "b", 1_700_003_600, 4)
    read: list[str] = []  # analyses decoded after clustering
    served: dict[str, Any] = {}  # the in-memory docs the steps could take
    real_doc, real_cluster = Store.doc, Lagebild._cluster
    after = [False]

    def counting_doc(self: Store, article_id: str, stages: object = None) -> object:
        if after[0]:
            read.append(article_id)
        return real_doc(self, article_id, stages)  # type: ignore[arg-type]

    def watched(self: Lagebild, *args: Any, **kwargs: Any) -> None:
        assert self._fresh is not None
        served.update(self._fresh)
        after[0] = True
        try:
            real_cluster(self, *args, **kwargs)
        finally:
            after[0] = False

    monkeypatch.setattr(Store, "doc", counting_doc)
    monkeypatch.setattr(Lagebild, "_cluster", watched)
    app = Lagebild(tmp_path / "x.db")
    first = app.ingest([tmp_path / "a"])
    assert read == [] and set(served) == set(first.added)
    second = app.ingest([tmp_path / "b"])
    assert not set(read) & set(second.added)
    assert app._fresh is None  # let go when the ingest ends
    for article_id, doc in served.items():
        assert real_doc(app.store, article_id) == doc
    app.close()
    monkeypatch.undo()
    # the same rows whether the docs come from memory or from the store
    assert _lists_and_log(tmp_path, tmp_path, 1_000) == _lists_and_log(tmp_path, tmp_path, 0)


def test_fresh_docs_keep_the_newest_and_only_complete_analyses(tmp_path: Path) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest([_dumps(tmp_path / "a", 1_700_000_000, 3)], analyze=False)
    app._fresh = {}
    app.fresh_docs = 2
    docs = [app.pipeline.run(a)[0] for a in app.store.articles()]
    app._keep_fresh(docs)
    assert list(app._fresh) == [d.id for d in docs[-2:]]
    app._keep_fresh([replace(docs[-1], stages=docs[-1].stages[:-1])])  # a stage failed
    assert list(app._fresh) == [docs[-2].id]
    app.close()
