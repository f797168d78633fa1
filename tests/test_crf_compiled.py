"""The compiled CRF decoding loops (``lagebild._crfc``) give the numpy decoder's answers:
the same Viterbi paths (ties to the lower label) and the same marginals up to rounding."""

from __future__ import annotations

import os
import shutil
import sysconfig

import numpy as np
import pytest

from lagebild import crf as crf_module
from lagebild.crf import CrfModel

_c = crf_module._crfc


def _model(rng: np.random.Generator, n_labels: int, rounded: bool) -> CrfModel:
    trans = rng.normal(size=(n_labels, n_labels)) * 2
    if rounded:  # equal candidates: the tie rule decides
        trans = np.round(trans)
    labels = tuple(f"L{i}" for i in range(n_labels))
    return CrfModel(labels, {}, np.zeros((1, n_labels)), trans)


def _numpy(monkeypatch: pytest.MonkeyPatch, model: CrfModel, scores, lengths):
    with monkeypatch.context() as m:
        m.setattr(crf_module, "_crfc", None)
        return (
            model.viterbi(scores, lengths),
            model.marginals(scores, lengths),
            model.chain_marginals(scores),
        )


def test_the_extension_is_built_where_a_c_compiler_is() -> None:
    """``pip install`` skips the optional extension without a compiler; with one, a missing
    module means the build broke, which would silently cost fast mode its speed. CI installs
    afresh; a development venv installed before the extension existed needs ``pip install
    -e .`` (or ``make test``, which reinstalls when pyproject.toml changed)."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip(f"no C compiler ({cc}): the numpy decoder is used")
    if _c is None and not os.environ.get("CI"):
        pytest.skip("lagebild._crfc is not built in this venv: run `pip install -e .`")
    assert _c is not None, "lagebild._crfc was not built although a C compiler is installed"


@pytest.mark.skipif(_c is None, reason="lagebild._crfc is not built (no C compiler)")
@pytest.mark.parametrize("n_labels", [1, 2, 9, 13])
def test_compiled_paths_and_marginals_equal_numpy(
    monkeypatch: pytest.MonkeyPatch, n_labels: int
) -> None:
    rng = np.random.default_rng(n_labels)
    for trial in range(60):
        rounded = trial % 2 == 0
        model = _model(rng, n_labels, rounded)
        lengths = [int(x) for x in rng.integers(0, 45, size=int(rng.integers(1, 25)))]
        lengths[0] = 1 if trial % 5 == 0 else lengths[0]
        scores = rng.normal(size=(sum(lengths), n_labels)) * 3
        if rounded:
            scores = np.round(scores)
        paths, marg, chain = _numpy(monkeypatch, model, scores, lengths)
        assert model.viterbi(scores, lengths) == paths
        got = model.marginals(scores, lengths)
        assert got.shape == marg.shape
        assert np.allclose(got, marg, rtol=0, atol=1e-12)
        assert np.allclose(model.chain_marginals(scores), chain, rtol=0, atol=1e-12)
    assert model.viterbi(np.zeros((0, n_labels)), [0, 0]) == [[], []]
    assert model.marginals(np.zeros((0, n_labels)), [0]).shape == (0, n_labels)


@pytest.mark.skipif(_c is None, reason="lagebild._crfc is not built (no C compiler)")
def test_compiled_loops_refuse_arrays_that_do_not_fit() -> None:
    scores = np.zeros((5, 3))
    trans = np.zeros((3, 3))
    with pytest.raises(ValueError, match="lengths"):
        _c.viterbi(scores, np.array([2, 2], dtype=np.int64), trans, np.empty(5, np.int64), 3)
    with pytest.raises(ValueError, match="sizes"):
        _c.viterbi(
            scores, np.array([5], dtype=np.int64), np.zeros((2, 2)), np.empty(5, np.int64), 3
        )
    with pytest.raises(ValueError, match="lengths"):
        _c.marginals(scores, np.array([5], dtype=np.int64), trans, np.empty((5, 2)), 3)
    with pytest.raises(ValueError, match="lengths"):
        _c.viterbi(scores, np.array([-1, 6], dtype=np.int64), trans, np.empty(5, np.int64), 3)


@pytest.mark.skipif(_c is None, reason="lagebild._crfc is not built (no C compiler)")
def test_scores_for_another_label_count_are_refused_as_numpy_refuses_them() -> None:
    model = _model(np.random.default_rng(3), 3, rounded=False)
    wrong = np.zeros((6, 2))  # 12 numbers: as a flat buffer they pass for 4 rows of 3
    with pytest.raises(ValueError, match="3 labels"):
        model.viterbi(wrong, [4])
    with pytest.raises(ValueError, match="3 labels"):
        model.marginals(wrong, [4])
