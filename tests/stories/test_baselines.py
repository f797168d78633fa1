"""The naive baselines of ``eval stories --baseline`` and the undated-last order."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from lagebild.model import Article
from lagebild.stories.baselines import baseline, single_pass
from lagebild.stories.evaluate import GoldItem, undated_last_order


def test_single_pass_joins_the_closest_cluster_above_the_threshold() -> None:
    v = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [0.7, 0.7]])
    assert single_pass(v, 0.9) == [0, 0, 1, 1, 2]
    assert single_pass(v, 0.5)[:4] == [0, 0, 1, 1]


def _art(i: str, text: str, published: datetime | None = None) -> Article:
    return Article(id=i, title="", text=text, source=i, format="text", published=published)


def test_tfidf_baseline_groups_by_words() -> None:
    arts = [
        _art("a", "Erdbeben in Zagreb, Häuser eingestürzt"),
        _art("b", "Zagreb: Erdbeben beschädigt Häuser"),
        _art("c", "Lokführer streiken bei der Bahn"),
    ]
    got = baseline("tfidf", arts)
    assert got["a"] == got["b"] != got["c"]


def test_undated_last_order() -> None:
    items = [
        GoldItem(_art("u1", "x"), "e"),
        GoldItem(_art("d2", "x", datetime(2024, 2, 1)), "e"),
        GoldItem(_art("u2", "x"), "e"),
        GoldItem(_art("d1", "x", datetime(2024, 1, 1)), "e"),
    ]
    assert [it.article.id for it in undated_last_order(items)] == ["d1", "d2", "u1", "u2"]
