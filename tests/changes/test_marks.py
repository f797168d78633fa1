"""A change-log pass looks only at the stories written since the last one (schema 38 marks
them by triggers), and finds what a look at every story and article would find."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.changes import track
from lagebild.changes.log import ChangeLog
from lagebild.model import article_id
from lagebild.store import Store
from lagebild.store.migrations import MIGRATIONS


def _everything(log: ChangeLog) -> set[str]:
    """What the passes found before the marks: every story and article looked at."""
    return set(log.memberships()) | log.redated() | log.vanished()


def test_each_pass_looks_at_the_marked_stories_and_misses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: list[tuple[set[str], set[str]]] = []  # (marked, found by looking at everything)
    real = ChangeLog.dirty

    def checked(self: ChangeLog) -> list[str]:
        marked = real(self)
        passes.append((set(marked), _everything(self)))
        return marked

    monkeypatch.setattr(ChangeLog, "dirty", checked)
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])  # a story of its own
    lb.ingest([write_jsonl(tmp_path / "c.jsonl", SECOND[:1])])  # the first story grows
    big, small = sorted(lb.stories(), key=lambda s: -len(s.article_ids))
    merged = replace(big, article_ids=big.article_ids + small.article_ids,
                     outlets=tuple(dict.fromkeys(big.outlets + small.outlets)))  # fmt: skip
    lb.store.put_stories([merged], replace_all=True)  # a merge: the small story vanishes
    track(lb)

    def cleaner(old, config):  # type: ignore[no-untyped-def]  # read again: new ids
        text = old.text + "\n\nMehr in Kürze."
        return replace(old, id=article_id(old.title, text, old.url), text=text)

    monkeypatch.setattr("lagebild.ingest.reread.reread", cleaner)
    lb.reread()
    lb.ingest([write_jsonl(tmp_path / "d.jsonl", SECOND[1:])])
    assert len(passes) >= 6
    for marked, found in passes:
        assert found <= marked  # nothing a full look finds is left out
    assert any(found for _, found in passes)  # (the passes had work)
    assert _everything(ChangeLog(lb.store)) == set()
    assert ChangeLog(lb.store).dirty() == []  # all looked at
    passes.clear()
    assert track(lb) == 0 and passes == [(set(), set())]  # nothing written: nothing to look at
    lb.close()


def test_the_migration_marks_what_a_full_look_would_find(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    stories = sorted(s.id for s in lb.stories())
    lb.close()
    con = sqlite3.connect(db)
    with con:  # a schema-37 store whose last pass did not see everything
        con.execute("DROP TABLE changes_dirty")
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'changes_dirty%'"
        ).fetchall():
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute("DELETE FROM tracked_articles WHERE story_id=?", (stories[0],))
        con.execute("UPDATE story_digests SET size=size+1 WHERE story_id=?", (stories[1],))
        con.execute("INSERT INTO story_digests VALUES ('gone', x'90', NULL, NULL, 1)")
        number = next(i for i, m in enumerate(MIGRATIONS) if "changes_dirty" in m)
        con.execute(f"PRAGMA user_version={number}")
    con.close()
    store = Store(db)
    log = ChangeLog(store)
    assert sorted(log.dirty()) == sorted([*stories, "gone"]) == sorted(_everything(log))
    store.close()


def test_a_rename_alone_marks_the_stories_of_the_articles(tmp_path: Path) -> None:
    """``rename`` changes what was tracked without writing a story (``reread`` clusters
    again after it, but the log must not rely on that)."""
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", FIRST)])
    lb.ingest([write_jsonl(tmp_path / "b.jsonl", [OTHER])])
    log = ChangeLog(lb.store)
    assert log.dirty() == [] and _everything(log) == set()
    story = lb.stories()[0]
    log.rename([(story.article_ids[0], "b" * 16)])  # tracked under an id no story holds
    assert _everything(log) == {story.id} and log.dirty() == [story.id]
    lb.close()
