"""Records kept on disk between two steps of a run: what comes back equals what went in, and
an ingest's features wait for clustering there instead of in memory."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.store import spill
from lagebild.store.spill import Spill
from lagebild.stories.features import from_text

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_values_come_back_equal_in_order_and_the_file_goes_when_empty() -> None:
    feats = [
        from_text(
            f"a{i}",
            f"Titel {i}",
            "Die Stadt Lindau meldete am Montag 12 neue Fälle. " * 9,
            published=datetime(2024, 5, i + 1, tzinfo=UTC),
            outlet="Bote",
        )
        for i in range(3)
    ]
    store: Spill = Spill()
    store.update((f.id, f) for f in feats)
    assert len(store) == 3 and list(store) == ["a0", "a1", "a2"] and "a1" in store
    assert store["a1"] == feats[1] and store["a1"] is not feats[1]
    assert store.pop("a0") == feats[0] and store.pop("a0", None) is None
    with pytest.raises(KeyError):
        store["a0"]
    assert [store.pop(k) for k in list(store)] == feats[1:]
    assert store._file is None  # closed once nothing is left


def test_an_ingest_clusters_with_features_kept_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[str] = []
    put = Spill.__setitem__

    def counting(self: Spill, key: str, value: object) -> None:
        kept.append(key)
        put(self, key, value)

    monkeypatch.setattr(spill.Spill, "__setitem__", counting)
    app = Lagebild(tmp_path / "x.db")
    report = app.ingest([DEMO])
    assert sorted(kept) == sorted(report.added)
    stories = sorted(s.article_ids for s in app.stories())
    again = sorted(s.article_ids for s in app.cluster(from_scratch=True))  # read from the store
    assert stories == again
