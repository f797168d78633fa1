"""The shared metric kinds, on fixtures whose scores the anchors' own scorers give."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lagebild.scoring import PRF, attribute_prf, bcubed, match_spans, span_prf, token_set_prf


@dataclass(frozen=True)
class S:
    start: int
    end: int
    value: str = ""


def test_two_predictions_inside_one_gold_span_count_once() -> None:
    """TempEval-3: "Sunday morning" gold, "Sunday" and "morning" predicted -> P = 1/2, R = 1."""
    gold = [S(0, 14)]
    pred = [S(0, 6), S(7, 14)]
    relaxed = span_prf(gold, pred)
    assert (relaxed.p, relaxed.r) == (0.5, 1.0)
    assert span_prf(gold, pred, relaxed=False) == PRF(0, 2, 1)


def test_one_prediction_over_two_gold_spans_matches_one() -> None:
    gold = [S(0, 5), S(6, 10)]
    pred = [S(0, 10)]
    assert span_prf(gold, pred) == PRF(1, 1, 2)


def test_exact_pairs_win_and_the_rest_pair_by_overlap() -> None:
    gold = [S(0, 5), S(5, 10)]
    pred = [S(3, 8), S(0, 5)]  # (0,5) is exact; (3,8) then takes the second gold span
    assert match_spans(gold, pred) == [(0, 1), (1, 0)]


def test_attribute_f1_counts_matched_pairs_that_agree() -> None:
    gold = [S(0, 5, "2023"), S(10, 15, "P3D")]
    pred = [S(0, 5, "2023"), S(10, 14, "P4D"), S(20, 22, "2024")]
    pairs = match_spans(gold, pred)
    value = attribute_prf(gold, pred, pairs, "value")
    assert (value.correct, value.predicted, value.gold) == (1, 3, 2)
    assert value.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))


def test_bcubed_on_the_amigo_example() -> None:
    """Amigó et al. (2009): one cluster {a,b,c} against classes {a,b} {c}: P = 5/9, R = 1."""
    s = bcubed({"a": 1, "b": 1, "c": 1}, {"a": "x", "b": "x", "c": "y"})
    assert s.p == pytest.approx(5 / 9) and s.r == pytest.approx(1.0)


def test_token_set_overlap() -> None:
    assert token_set_prf({1, 2, 3}, {2, 3, 4, 5}) == PRF(2, 4, 3)


def test_heideltime_on_dolomiten_gets_its_published_tempeval3_figures(need) -> None:
    """The official TempEval-3 scorer gives HeidelTime strict 71.4 and relaxed 81.3 here
    (counting every overlap instead of one-to-one pairs gave 81.8)."""
    from lagebild.time.evaluate import read_dir, score_system

    gold = need("data", "temporal", "KRAUTS_Dolomiten-100")
    ht = score_system(read_dir(gold), gold.with_name(gold.name + "_Heideltime"))
    assert ht is not None
    assert round(ht.strict_f1 * 100, 1) == 71.4
    assert round(ht.relaxed_f1 * 100, 1) == 81.3
