"""BCubed and pair counting on toy clusterings whose scores are worked out by hand."""

from __future__ import annotations

import pytest

from lagebild.stories.evaluate import score


def test_perfect_clustering_scores_one() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    s = score({"a": "1", "b": "1", "c": "2"}, gold)
    assert (s.bcubed_f1, s.pair_f1, s.clusters_pred, s.clusters_gold) == (1.0, 1.0, 2, 2)


def test_all_in_one_cluster() -> None:
    # gold {a,b} {c}; predicted {a,b,c}
    s = score({"a": "1", "b": "1", "c": "1"}, {"a": "x", "b": "x", "c": "y"})
    assert s.bcubed_p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert s.bcubed_r == pytest.approx(1.0)
    assert s.pair_p == pytest.approx(1 / 3)  # 1 right pair out of 3 predicted
    assert s.pair_r == pytest.approx(1.0)


def test_all_singletons_and_missing_items() -> None:
    # gold {a,b,c}; predicted singletons (c missing from the prediction -> alone)
    s = score({"a": "1", "b": "2"}, {"a": "x", "b": "x", "c": "x"})
    assert s.bcubed_p == 1.0
    assert s.bcubed_r == pytest.approx(1 / 3)
    assert s.pair_r == 0.0
    assert s.clusters_pred == 3 and s.articles == 3
