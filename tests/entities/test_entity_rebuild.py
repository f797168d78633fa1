"""The full entity build keeps only what the merge compares by in memory (mentions and story
parts wait on disk), and still writes what resolving every story's mentions in memory gives:
the same entities, ids, names, variants and mentions in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.entities import index, update
from lagebild.entities.canon import _unique_ids, merge, to_entity
from lagebild.model import Mention

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _in_memory(app: Lagebild) -> list[tuple[object, ...]]:
    """The entities as the build resolved them before it went to disk: every story's groups
    (with their mentions) merged at once, mentions in ingest order."""
    order = {a: i for i, (a, _) in enumerate(app.store.article_dates())}
    groups = [g for _, docs in update._owners(app, None) for g in update._story_groups(docs)]
    made = sorted(
        (to_entity(g, order) for g in merge(groups, story=False)),
        key=lambda e: (-len(e.mentions), e.name),
    )
    return [
        (e.id, e.name, e.type, e.variants, tuple(_row(m) for m in e.mentions))
        for e in _unique_ids(made)
    ]


def _row(m: Mention) -> tuple[object, ...]:
    return (m.article_id, m.start, m.end, m.text, m.source, m.caption)


def _stored(app: Lagebild) -> list[tuple[object, ...]]:
    variants = {r.entity.id: r.entity.variants for r in index.rows(app, doubtful=True)}
    return [
        (eid, name, kind, variants[eid], tuple(_row(m) for m in index.mentions(app, eid)))
        for eid, name, kind in app.store.db.execute(
            "SELECT id, name, type FROM entity_index ORDER BY rowid"
        )
    ]


def test_the_build_from_disk_writes_what_the_in_memory_resolution_gives(tmp_path: Path) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    update.rebuild(app)
    stored = _stored(app)
    expected = _in_memory(app)
    assert len(stored) > 20 and any(len(e[4]) > 5 for e in stored)
    assert stored == expected
    # every part of a story points to an entity that holds that story's articles
    for story, eid, n, data, arts in app.store.db.execute(
        "SELECT p.story_id, e.id, p.entity, p.data, p.articles FROM entity_parts p"
        " JOIN entity_index e ON e.n = p.entity"
    ):
        held = {m[0] for e in stored if e[0] == eid for m in e[4]}
        part = update.part_tally(app.store.db, n, data, arts)
        assert part.articles and set(part.articles) <= held, (story, eid)
    app.close()


def test_a_build_makes_full_collections_rarer_while_it_runs_and_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from lagebild.pipeline import FULL_COLLECTION_EVERY

    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    seen: list[tuple[int, int, int]] = []
    real = update.merge

    def merge_and_look(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(update, "merge", merge_and_look)
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 10)
    try:
        update.rebuild(app)
        dirty = [r[0] for r in app.store.db.execute("SELECT id FROM stories LIMIT 2")]
        update.update(app, dirty)
        assert gc.get_threshold() == (before[0], before[1], 10)
    finally:
        gc.set_threshold(*before)
    assert seen and all(t[2] == FULL_COLLECTION_EVERY for t in seen)
    app.close()


@pytest.mark.parametrize("step", [1, 4])
def test_a_rebuild_in_steps_of_stories_lists_what_the_whole_build_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """A store of more than ``REBUILD_ARTICLES`` articles is built in steps of stories, each
    linked to the entities before it as an update links the stories that changed (memory
    bounded by a step). On the demo corpus it lists what the whole build lists: the same
    entities, ids, names and variants, each entity's mentions in ingest order and its
    articles in the order first named."""
    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    update._rebuild_whole(app)
    whole = {e[0]: e for e in _stored(app)}
    articles = {r.entity.id: r.article_ids for r in index.rows(app, doubtful=True)}
    steps: list[int] = []
    real = update._resolve

    def counted(w: object, owners: object, order: dict[str, int]) -> None:
        steps.append(1)
        real(w, owners, order)  # type: ignore[arg-type]

    monkeypatch.setattr(update, "_resolve", counted)
    monkeypatch.setattr(update, "REBUILD_ARTICLES", step)
    update.rebuild(app)
    assert len(steps) >= 3
    assert {e[0]: e for e in _stored(app)} == whole
    assert {r.entity.id: r.article_ids for r in index.rows(app, doubtful=True)} == articles
    assert app.store.get_state(index.STATE_KEY) == index.scheme()
    app.close()
