"""Story ids that go away (merged into another story, or gone when clustering from scratch)
keep resolving to the story that holds their articles now."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.model import Article, Story
from lagebild.store.sqlite import NotFound, Store


def _store(path: Path) -> Store:
    store = Store(path)
    store.add_articles(
        [Article(id=i, title=i, text=f"Text {i}.", source=i, format="text") for i in "xyz"]
    )
    return store


def test_merged_story_id_resolves_to_the_story_that_took_it(tmp_path: Path) -> None:
    store = _store(tmp_path / "s.db")
    store.put_stories([Story("aaaa1111", ("x",)), Story("bbbb2222", ("y",))])
    store.put_stories([Story("aaaa1111", ("x", "y"), merged_ids=("bbbb2222",))],
                      merged={"bbbb2222": "aaaa1111"})  # fmt: skip
    assert store.story("bbbb2222").id == "aaaa1111"
    assert store.story("bbbb").id == "aaaa1111"  # a prefix of the old id too
    assert store.story_redirect("bbbb2222") == "aaaa1111"
    assert [s.id for s in store.stories()] == ["aaaa1111"]
    # a later merge moves the old redirect along
    store.put_stories([Story("cccc3333", ("x", "y", "z"))], merged={"aaaa1111": "cccc3333"})
    assert store.story("bbbb2222").id == "cccc3333"
    with pytest.raises(NotFound):
        store.story("dddd")
    store.close()


def test_reclustering_redirects_vanished_ids_by_their_articles(tmp_path: Path) -> None:
    store = _store(tmp_path / "s.db")
    store.put_stories([Story("aaaa1111", ("x", "y")), Story("bbbb2222", ("z",))])
    store.put_stories([Story("eeee5555", ("x", "y", "z"))], replace_all=True)
    assert store.story("aaaa1111").id == "eeee5555"
    assert store.story("bbbb2222").id == "eeee5555"
    # an id that comes back as a story again is no longer redirected
    store.put_stories([Story("aaaa1111", ("x",)), Story("eeee5555", ("y", "z"))], replace_all=True)
    assert store.story("aaaa1111").article_ids == ("x",)
    store.close()


def test_redirects_to_a_merged_story_are_found_by_index(tmp_path: Path) -> None:
    """Repointing the redirects to a story merged away reads only those (an index on the
    target), not every redirect there ever was: a merge's cost stays flat as they grow."""
    store = _store(tmp_path / "s.db")
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN UPDATE story_redirects SET new_id=? WHERE new_id=?", ("a", "b")
    ).fetchall()
    assert any("story_redirects_new" in str(tuple(row)) for row in plan), plan
    store.close()
