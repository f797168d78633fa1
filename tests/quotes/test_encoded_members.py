"""An encoder quote model of several heads (seeds) averages their label probabilities."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np

from lagebild.quotes.encoded import load_encoded, probabilities, shipped_dir
from lagebild.text.heads import Ensemble, Head


def _head() -> Head:
    return Head.load(shipped_dir("de") / "head.npz")


def test_an_ensemble_gives_the_mean_of_its_members_probabilities() -> None:
    head = _head()
    other = dataclasses.replace(head, out_b=head.out_b + np.linspace(-1, 1, len(head.out_b)))
    rng = np.random.default_rng(5)
    states = rng.normal(size=(30, len(head.layers), 384)).astype(np.float32)
    bounds = [(0, 12), (12, 30)]
    one, two = probabilities(head, states, bounds), probabilities(other, states, bounds)
    assert not np.allclose(one, two)
    both = probabilities(Ensemble.of([head, other]), states, bounds)
    assert np.allclose(both, (one + two) / 2, atol=1e-6)
    assert np.allclose(both.sum(axis=1), 1.0, atol=1e-4)


def test_a_model_folder_with_member_heads_loads_them_all(tmp_path) -> None:
    shipped = load_encoded(str(shipped_dir("de")))  # two seeds ship (MEMBERS = 2)
    assert shipped is not None and isinstance(shipped.head, Ensemble)
    assert len(shipped.head.members) == 2
    folder = tmp_path / "m"
    shutil.copytree(shipped_dir("de"), folder)
    shutil.copy(folder / "head.npz", folder / "head-2.npz")
    model = load_encoded(str(folder))
    assert model is not None and isinstance(model.head, Ensemble)
    assert len(model.head.members) == 3
    alone = tmp_path / "one"
    shutil.copytree(shipped_dir("de"), alone)
    (alone / "head-1.npz").unlink()
    single = load_encoded(str(alone))
    assert single is not None and not isinstance(single.head, Ensemble)
