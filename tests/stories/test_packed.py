"""Dormant story rows in format 2 (schema 41): every story of a run's archive reads back as
it was (byte for byte in its plain form), smaller than format 1; what format 2 cannot hold
exactly falls back to format 1; format-1 rows still read."""

from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path

import msgspec
import pytest
from tests.stories.test_clustering import DEV, feats

from lagebild.config import StoriesConfig
from lagebild.store import Store
from lagebild.stories import packed
from lagebild.stories import state as stored
from lagebild.stories.build import run
from lagebild.stories.cluster import ActiveStory, StoryIndex, dormant_form, dumped
from lagebild.stories.evaluate import read_gold

_enc = msgspec.json.encode


def _format(row: bytes) -> int:
    raw = msgspec.msgpack.decode(zlib.decompress(row))
    return 1 if isinstance(raw, dict) else raw[0]


@pytest.fixture(scope="module")
def dormant() -> list[ActiveStory]:
    """The dev set's stories after a run, all in their dormant form."""
    index = StoryIndex(config=StoriesConfig(quiet_days=2))
    for _ in run(index, feats([item.article for item in read_gold(DEV)])):
        pass
    stories = list(index.archive.values()) + list(index.active.values())
    for story in stories:
        dormant_form(story)
    assert any(s.size > 1 for s in stories) and any(s.size == 1 for s in stories)
    return stories


def test_every_story_reads_back_exactly_and_smaller_than_format_1(
    dormant: list[ActiveStory],
) -> None:
    rows = [packed.pack_story(s) for s in dormant]
    assert {_format(r) for r in rows} == {2}
    assert [_enc(dumped(packed.unpack_story(r))) for r in rows] == [
        _enc(dumped(s)) for s in dormant
    ]
    old = [zlib.compress(msgspec.msgpack.encode(dumped(s)), packed.LEVEL) for s in dormant]
    assert [_enc(dumped(packed.unpack_story(r))) for r in old] == [_enc(dumped(s)) for s in dormant]
    assert sum(map(len, rows)) < 0.95 * sum(map(len, old))


def _story(centroid: dict, member: dict) -> ActiveStory:
    return ActiveStory(id="s", article_ids=["a"], title="t", centroid=centroid, members=[member])


@pytest.mark.parametrize(
    ("centroid", "member", "form"),
    [
        ({"x": 0.5, "y": 0.25}, {"x": 0.5, "y": 0.25, "z": 0.125}, 2),  # shares its start
        ({"x": -0.0, "y": 0.25}, {"x": 0.0, "y": 0.25}, 2),  # equal, not the same bits
        ({"y": 0.25, "x": 0.5}, {"x": 0.5, "y": 0.25}, 2),  # the same, another order
        ({}, {}, 2),
        ({"a\tb": 0.5}, {"a\tb": 0.5}, 1),  # a term with a tab
        ({"": 0.5}, {"x": 0.5}, 1),  # an empty term
        ({"x": 1}, {"x": 1.0}, 1),  # a weight that is no float
    ],
)
def test_what_format_2_cannot_hold_exactly_is_written_in_format_1(
    centroid: dict, member: dict, form: int
) -> None:
    story = _story(centroid, member)
    row = packed.pack_story(story)
    assert _format(row) == form
    back = packed.unpack_story(row)
    assert _enc(dumped(back)) == _enc(dumped(story))
    bits = [(t, v.hex() if isinstance(v, float) else v) for t, v in back.centroid.items()]
    assert bits == [(t, v.hex() if isinstance(v, float) else v) for t, v in centroid.items()]


def test_a_field_outside_fields_is_kept_in_the_row(
    dormant: list[ActiveStory], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field ActiveStory gains after format 2 (here: as if ``title`` were new)."""
    names = {f.name for f in dataclasses.fields(ActiveStory)}
    assert set(packed.FIELDS) <= names - {"members", "centroid"}  # a field gone: a format 3
    monkeypatch.setattr(packed, "FIELDS", tuple(f for f in packed.FIELDS if f != "title"))
    for story in dormant:
        row = packed.pack_story(story)
        assert story.title in msgspec.msgpack.decode(zlib.decompress(row))[-1].values()
        assert _enc(dumped(packed.unpack_story(row))) == _enc(dumped(story))


def test_migration_41_rewrites_format_1_rows_alike(
    tmp_path: Path, dormant: list[ActiveStory]
) -> None:
    store = Store(tmp_path / "s.db")
    db = store.db
    with db:
        for seq, story in enumerate(dormant):
            db.execute(
                "INSERT INTO story_archive (seq, id, data) VALUES (?,?,?)",
                (seq, story.id, zlib.compress(msgspec.msgpack.encode(dumped(story)))),
            )
        db.execute("PRAGMA user_version=40")
    store.close()
    db = Store(tmp_path / "s.db").db
    rows = [r[0] for r in db.execute("SELECT data FROM story_archive ORDER BY seq")]
    assert {_format(r) for r in rows} == {2}
    got = [_enc(dumped(stored.unpack_story(r))) for r in rows]
    assert got == [_enc(dumped(s)) for s in dormant]
