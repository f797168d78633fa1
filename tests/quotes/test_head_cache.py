"""Cross-fitting quote heads are trained once: the CV and `train quotes` read them from a
cache keyed by everything the head depends on."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lagebild.quotes import encoded
from lagebild.quotes.encoded import HEAD_SETTINGS, fit_head, heads_cache, shipped_dir
from lagebild.text import heads_train


@pytest.fixture
def fake_training(monkeypatch, tmp_path) -> list[int]:
    """``heads_train.fit`` replaced by the shipped head's arrays shifted by the seed; the
    list records each call's seed."""
    monkeypatch.setenv("LAGEBILD_CACHE", str(tmp_path / "cache"))
    calls: list[int] = []
    with np.load(shipped_dir("de") / "head.npz") as z:
        base = {k: z[k].astype(np.float32) for k in z.files if k != "meta"}

    def fit(
        xs, ys, labels, layers, settings, weights=None, progress=None, snapshots=None, average=0
    ):
        assert average == encoded.AVERAGE  # the quote heads' recipe: averaged weights
        calls.append(settings.seed)
        arrays = dict(base, out_b=base["out_b"] + settings.seed)
        return arrays, {"labels": list(labels), "layers": list(layers), "settings": {"crf": False}}

    monkeypatch.setattr(heads_train, "fit", fit)
    return calls


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    states = [rng.normal(size=(n, len(encoded.LAYERS), 384)).astype(np.float16) for n in (9, 14)]
    labels = [["O"] * 9, ["O", "C", "S", "B", "M", "M"] + ["O"] * 8]
    bounds = [[(0, 4), (4, 9)], [(0, 14)]]
    return states, labels, bounds


def test_a_second_fit_on_the_same_inputs_reads_the_cached_head(fake_training, tmp_path) -> None:
    states, labels, bounds = _data()
    first = fit_head(states, labels, bounds, HEAD_SETTINGS, tmp_path / "a.npz")
    again = fit_head(states, labels, bounds, HEAD_SETTINGS, tmp_path / "b.npz")
    assert fake_training == [HEAD_SETTINGS.seed]
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert np.array_equal(first.out_b, again.out_b)
    assert len(list(heads_cache().glob("*.npz"))) == 1


def test_other_seeds_labels_or_states_train_a_new_head(fake_training) -> None:
    states, labels, bounds = _data()
    base = fit_head(states, labels, bounds, HEAD_SETTINGS)
    seeded = fit_head(states, labels, bounds, replace(HEAD_SETTINGS, seed=14))
    relabelled = [labels[0], ["O"] * 14]
    fit_head(states, relabelled, bounds, HEAD_SETTINGS)
    fit_head(_data(1)[0], labels, bounds, HEAD_SETTINGS)
    assert fake_training == [13, 14, 13, 13]
    assert not np.array_equal(base.out_b, seeded.out_b)
    assert len(list(heads_cache().glob("*.npz"))) == 4


def test_without_the_cache_nothing_is_kept(fake_training) -> None:
    states, labels, bounds = _data()
    fit_head(states, labels, bounds, HEAD_SETTINGS, cache=False)
    fit_head(states, labels, bounds, HEAD_SETTINGS, cache=False)
    assert fake_training == [13, 13]
    assert not heads_cache().exists()
