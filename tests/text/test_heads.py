"""The numpy sequence head: BIO-constrained Viterbi, exact marginals, batching without leaks."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from lagebild.text import heads
from lagebild.text.heads import Ensemble, Head, allowed_transitions, save

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def _head(tmp_path: Path, hidden: int = 4, crf: bool = True, seed: int = 0) -> Head:
    rng = np.random.default_rng(seed)
    d, k = 6, len(LABELS)
    arrays = {"mix": np.array([0.25, 0.75]), "out_w": rng.normal(size=(k, 2 * hidden if hidden else d)),
              "out_b": rng.normal(size=k)}  # fmt: skip
    if crf:
        arrays |= {"trans": rng.normal(size=(k, k)), "start": rng.normal(size=k)}
    if hidden:
        for direction in ("fw", "bw"):
            arrays[f"{direction}_wih"] = rng.normal(size=(4 * hidden, d))
            arrays[f"{direction}_whh"] = rng.normal(size=(4 * hidden, hidden))
            arrays[f"{direction}_b"] = rng.normal(size=4 * hidden)
    meta = {"labels": LABELS, "layers": [4, 6], "settings": {"crf": crf}}
    save(tmp_path / "h.npz", arrays, meta)
    return Head.load(tmp_path / "h.npz")


def test_viterbi_never_starts_an_entity_with_i(tmp_path):
    head = _head(tmp_path)
    em = np.zeros((3, len(LABELS)), np.float32)
    em[0, LABELS.index("I-PER")] = 50.0  # an I- right at the start
    em[2, LABELS.index("I-LOC")] = 50.0  # an I-LOC after whatever comes at 1
    labels = head.viterbi(em)
    assert labels[0] != "I-PER"
    allowed, start = allowed_transitions(LABELS)
    assert start[LABELS.index(labels[0])]
    for a, b in itertools.pairwise(labels):
        assert allowed[LABELS.index(a), LABELS.index(b)]


def test_marginals_equal_brute_force_enumeration(tmp_path):
    head = _head(tmp_path)
    em = np.random.default_rng(1).normal(size=(3, len(LABELS)))
    k = len(LABELS)
    weights = np.zeros((3, k))
    for path in itertools.product(range(k), repeat=3):
        s = head.start[path[0]] + sum(em[t, y] for t, y in enumerate(path))
        s += sum(head.trans[a, b] for a, b in itertools.pairwise(path))
        for t, y in enumerate(path):
            weights[t, y] += np.exp(s)
    expected = weights / weights.sum(axis=1, keepdims=True)
    assert np.allclose(head.marginals(em), expected, atol=1e-5)


def test_a_sequence_gets_the_same_scores_alone_and_beside_a_longer_one(tmp_path):
    head = _head(tmp_path)
    rng = np.random.default_rng(2)
    short = rng.normal(size=(3, 2, 6)).astype(np.float32)
    long = rng.normal(size=(7, 2, 6)).astype(np.float32)
    alone = head.emissions([short])[0]
    batched = head.emissions([long, short])
    assert np.allclose(alone, batched[1], atol=1e-5)
    assert batched[0].shape == (7, len(LABELS))
    # the backward direction reads the future: changing the last token changes the first score
    changed = short.copy()
    changed[-1] += 1.0
    assert not np.allclose(head.emissions([changed])[0][0], alone[0])


def test_a_linear_head_scores_are_log_probabilities(tmp_path):
    head = _head(tmp_path, hidden=0, crf=False)
    em = head.emissions([np.ones((4, 2, 6), np.float32)])[0]
    assert np.allclose(np.exp(em).sum(axis=1), 1.0, atol=1e-5)


def test_numpy_head_matches_torch_training_output(tmp_path):
    pytest.importorskip("torch", reason="torch is the optional 'train' extra")
    from lagebild.text.heads_train import HeadSettings, fit

    rng = np.random.default_rng(3)
    xs = [rng.normal(size=(n, 2, 8)).astype(np.float32) for n in (5, 9, 4, 7)]
    ys = [[int(v > 0) for v in x[:, 0, 0]] for x in xs]  # B-PER where feature 0 is positive
    arrays, meta = fit(
        xs, ys, LABELS, [4, 6], HeadSettings(hidden=8, epochs=150, lr=0.03, dropout=0.0)
    )
    save(tmp_path / "t.npz", arrays, meta)
    head = Head.load(tmp_path / "t.npz")
    got = head.tag(xs)
    hits = sum(
        g == LABELS[y]
        for seq, ys_ in zip(got, ys, strict=True)
        for g, y in zip(seq, ys_, strict=True)
    )
    assert hits / sum(len(y) for y in ys) > 0.9


def test_emissions_run_blas_on_one_thread_and_restore_it(tmp_path, monkeypatch):
    # OpenBLAS threads on every core by default; on the BiLSTM's per-step products that
    # spins (3x the CPU of encoder-mode analysis on 2 cores), so a head asks for one thread
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    head = _head(tmp_path)
    seen: list[set[int]] = []
    lstm = heads._lstm

    def spy(whh: list[np.ndarray], gates: list[np.ndarray], lens: np.ndarray) -> np.ndarray:
        seen.append(blas_threads())
        return lstm(whh, gates, lens)

    monkeypatch.setattr(heads, "_lstm", spy)
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        head.emissions([np.ones((4, 2, 6), np.float32)])
        assert blas_threads() == before
    assert seen == [{1}]


def test_an_ensemble_scores_as_the_mean_of_its_members_run_alone(tmp_path):
    # the members' BiLSTMs run in one loop; each must still see only its own weights
    members = []
    for seed in range(3):
        (tmp_path / str(seed)).mkdir()
        members.append(_head(tmp_path / str(seed), seed=seed))
    ensemble = Ensemble.of(members)
    rng = np.random.default_rng(3)
    seqs = [rng.normal(size=(n, 2, 6)).astype(np.float32) for n in (5, 2, 7)]
    alone = [m.emissions(seqs) for m in members]
    assert not np.allclose(alone[0][0], alone[1][0])
    for i, got in enumerate(ensemble.emissions(seqs)):
        assert np.allclose(got, np.mean([a[i] for a in alone], axis=0), atol=1e-6)


def test_an_averaged_head_is_the_mean_of_its_last_epochs_weights() -> None:
    # weight averaging over the low-learning-rate epochs: same training, other export
    pytest.importorskip("torch", reason="torch is the optional 'train' extra")
    from lagebild.text.heads_train import HeadSettings, export, fit

    rng = np.random.default_rng(4)
    xs = [rng.normal(size=(n, 2, 8)).astype(np.float32) for n in (5, 9, 4, 7)]
    ys = [[int(v > 0) for v in x[:, 0, 0]] for x in xs]
    settings = HeadSettings(hidden=8, epochs=5, lr=0.03)
    snaps: list[dict[str, np.ndarray]] = []
    last, _ = fit(xs, ys, LABELS, [4, 6], settings, snapshots=snaps)
    averaged, meta = fit(xs, ys, LABELS, [4, 6], settings, average=3)
    assert len(snaps) == 5 and meta["average"] == 3
    final, _ = export(snaps[-1], LABELS, [4, 6], settings)
    assert all(np.array_equal(last[k], final[k]) for k in last)
    mean = {k: np.mean([s[k] for s in snaps[-3:]], axis=0) for k in snaps[0]}
    expected, _ = export(mean, LABELS, [4, 6], settings)
    assert all(np.allclose(averaged[k], expected[k], atol=1e-6) for k in expected)
    assert not np.allclose(averaged["fw_whh"], last["fw_whh"])
