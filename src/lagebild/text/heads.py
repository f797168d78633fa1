"""Sequence heads over encoder states: a layer mix, a small BiLSTM and a linear-chain CRF.

Why a BiLSTM-CRF on frozen states rather than a fine-tuned encoder: measured on GermEval
(5-fold CV, see the ner-de-enc model card), e5-small's middle layers carry the entity
information (layer 12 is tuned for sentence vectors and nearly blind to it), a linear layer
on them reaches ~70 F1 and a BiLSTM-CRF on a learned mix of layers 4-8 ~80, at a cost that
is small beside the encoder; the frozen encoder also leaves e5's text vector intact for story
linking. Inference is numpy; training (``lagebild.text.heads_train``) needs torch.

A head is one ``.npz`` file (float32 arrays) with its settings in ``meta`` (JSON text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lagebild.text.encoder import blas_threads

_NEG = -1e4


def allowed_transitions(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """BIO constraints: (from, to) pairs allowed, and labels allowed at the start."""
    k = len(labels)
    allowed = np.ones((k, k), bool)
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            allowed[:, j] = [p[2:] == lab[2:] and p != "O" for p in labels]
    start = np.array([not lab.startswith("I-") for lab in labels])
    return allowed, start


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


@dataclass(frozen=True)
class Head:
    """A trained head: which encoder layers it reads, its weights, its labels."""

    labels: tuple[str, ...]
    layers: tuple[int, ...]
    mix: np.ndarray  # (layers,) weights summing to 1
    lstm: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]  # per direction: W_ih, W_hh, b
    out_w: np.ndarray  # (labels, features)
    out_b: np.ndarray
    trans: np.ndarray  # (labels, labels), constraints folded in
    start: np.ndarray
    meta: dict

    @classmethod
    def load(cls, path: Path | str) -> Head:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            arr = {k: z[k].astype(np.float32) for k in z.files if k != "meta"}
        labels = tuple(meta["labels"])
        allowed, start_ok = allowed_transitions(list(labels))
        lstm = tuple(
            (arr[f"{d}_wih"], arr[f"{d}_whh"], arr[f"{d}_b"])
            for d in ("fw", "bw")
            if f"{d}_wih" in arr
        )
        return cls(
            labels=labels,
            layers=tuple(meta["layers"]),
            mix=arr["mix"],
            lstm=lstm,
            out_w=arr["out_w"],
            out_b=arr["out_b"],
            trans=np.where(allowed, arr.get("trans", np.zeros_like(allowed, np.float32)), _NEG),
            start=np.where(start_ok, arr.get("start", np.zeros(len(labels), np.float32)), _NEG),
            meta=meta,
        )

    # ------------------------------------------------------------------ scores

    def emissions(self, seqs: list[np.ndarray]) -> list[np.ndarray]:
        """Label scores per token for each sequence of (tokens, layers, 384) states (BLAS on
        one thread: the BiLSTM's per-step products are far too small to share)."""
        if not seqs:
            return []
        with blas_threads(1):
            return self._emissions(seqs)

    def _emissions(self, seqs: list[np.ndarray]) -> list[np.ndarray]:
        return self._scores(_features([self], seqs)[0])

    def _mixed(self, seqs: list[np.ndarray]) -> list[np.ndarray]:
        return [np.tensordot(x, self.mix, axes=([1], [0])).astype(np.float32) for x in seqs]

    def _scores(self, feats: list[np.ndarray]) -> list[np.ndarray]:
        scores = [m @ self.out_w.T + self.out_b for m in feats]
        if self.meta.get("settings", {}).get("crf", True):
            return scores
        return [s - _logsumexp(s, axis=1)[:, None] for s in scores]  # log P(label)

    # ------------------------------------------------------------------ decoding

    def viterbi(self, em: np.ndarray) -> list[str]:
        """The best label sequence under the CRF (BIO constraints always apply)."""
        n = len(em)
        if n == 0:
            return []
        score = self.start + em[0]
        back = np.zeros((n, len(self.labels)), np.int64)
        for t in range(1, n):
            cand = score[:, None] + self.trans
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[t]
        best = [int(score.argmax())]
        for t in range(n - 1, 0, -1):
            best.append(int(back[t][best[-1]]))
        return [self.labels[i] for i in reversed(best)]

    def marginals(self, em: np.ndarray) -> np.ndarray:
        """P(label) per token (forward-backward over the CRF), shape (tokens, labels)."""
        n, k = em.shape
        if n == 0:
            return np.zeros((0, k))
        em = em.astype(np.float64)
        trans = self.trans.astype(np.float64)
        alpha = np.zeros((n, k))
        beta = np.zeros((n, k))
        alpha[0] = self.start + em[0]
        for t in range(1, n):
            alpha[t] = _logsumexp(alpha[t - 1][:, None] + trans, axis=0) + em[t]
        for t in range(n - 2, -1, -1):
            beta[t] = _logsumexp(trans + (em[t + 1] + beta[t + 1])[None, :], axis=1)
        z = _logsumexp(alpha[-1], axis=0)
        return np.exp(alpha + beta - z)

    def tag(self, seqs: list[np.ndarray]) -> list[list[str]]:
        """BIO labels for each sequence."""
        return [self.viterbi(e) for e in self.emissions(seqs)]


@dataclass(frozen=True)
class Ensemble(Head):
    """Heads trained alike with different seeds: their label scores and transitions averaged
    (measured on GermEval CV folds: steadier than any one seed)."""

    members: tuple[Head, ...] = ()

    @classmethod
    def of(cls, heads: list[Head]) -> Head:
        if len(heads) == 1:
            return heads[0]
        first = heads[0]
        if any(h.labels != first.labels or h.layers != first.layers for h in heads):
            raise ValueError("ensemble members must share labels and layers")
        return cls(
            labels=first.labels,
            layers=first.layers,
            mix=first.mix,
            lstm=(),
            out_w=first.out_w,
            out_b=first.out_b,
            trans=np.mean([h.trans for h in heads], axis=0),
            start=np.mean([h.start for h in heads], axis=0),
            meta={**first.meta, "members": len(heads)},
            members=tuple(heads),
        )

    def _emissions(self, seqs: list[np.ndarray]) -> list[np.ndarray]:
        feats = _features(list(self.members), seqs)
        each = [h._scores(f) for h, f in zip(self.members, feats, strict=True)]
        return [np.mean([e[i] for e in each], axis=0) for i in range(len(seqs))]


def load_heads(directory: Path | str, stem: str = "head") -> Head:
    """``head.npz`` (and ``head-1.npz``, ``head-2.npz``, … when trained as an ensemble)."""
    paths = sorted(Path(directory).glob(f"{stem}*.npz"))
    if not paths:
        raise FileNotFoundError(f"no {stem}.npz in {directory}")
    return Ensemble.of([Head.load(p) for p in paths])


def _features(heads: list[Head], seqs: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Per head, the features its output layer reads for each sequence: the mixed states,
    through the head's BiLSTM where it has one.

    Why this shape: a BiLSTM's input products are one matrix product over the tokens of all
    sequences, and its recurrence is a Python loop over time steps whose products are tiny,
    so every direction of every head (an ensemble's members) steps in the same loop, one
    stacked product per step, over the sequences still running (no padded batch: one long
    sentence among short ones costs its own length, not the batch's).
    """
    mixed = [h._mixed(seqs) for h in heads]
    with_lstm = [k for k, h in enumerate(heads) if h.lstm]
    groups: dict[tuple[int, ...], list[int]] = {}
    for k in with_lstm:
        groups.setdefault(heads[k].lstm[0][1].shape, []).append(k)
    lens = np.array([len(x) for x in seqs])
    for members in groups.values():
        gates, whh = [], []  # per chain (forward, backward of each head): input gates, W_hh
        for k in members:
            (wih_f, whh_f, b_f), (wih_b, whh_b, b_b) = heads[k].lstm
            four = wih_f.shape[0]
            both = np.concatenate(mixed[k]) @ np.concatenate([wih_f, wih_b]).T
            both += np.concatenate([b_f, b_b])
            gates += [both[:, :four], both[:, four:]]
            whh += [whh_f, whh_b]
        hs = _lstm(whh, gates, lens)
        ends = np.cumsum(lens)[:-1]
        for m, k in enumerate(members):
            mixed[k] = np.split(np.concatenate([hs[2 * m], hs[2 * m + 1]], axis=1), ends)
    return mixed


def _lstm(whh: list[np.ndarray], gates: list[np.ndarray], lens: np.ndarray) -> np.ndarray:
    """LSTM chains of one hidden size in lockstep over sequences of ``lens`` tokens: per
    chain its W_hh and its input gates (tokens of all sequences, 4h), chains alternating
    forward and backward in time. Returns the hidden states (chains, tokens, hidden) in
    token order. Gate order i, f, g, o (torch's)."""
    gx = np.stack(gates)  # (C, N, 4h)
    whh_t = np.stack(whh).transpose(0, 2, 1)  # (C, h, 4h)
    n_c, _, four = gx.shape
    h_dim = four // 4
    order = np.argsort(-lens, kind="stable")  # longest first: the running ones are a prefix
    first = (np.cumsum(lens) - lens)[order]
    last = first + lens[order] - 1
    backward = (np.arange(n_c) % 2 == 1)[:, None]
    chain = np.arange(n_c)[:, None]
    h = np.zeros((n_c, len(lens), h_dim), np.float32)
    c = np.zeros_like(h)
    hs = np.zeros((n_c, gx.shape[1], h_dim), np.float32)
    for t in range(int(lens.max(initial=0))):
        run = int((lens > t).sum())
        if run < h.shape[1]:
            h, c = h[:, :run], c[:, :run]
        rows = np.where(backward, last[:run] - t, first[:run] + t)  # (C, run)
        g = gx[chain, rows] + h @ whh_t
        i_g = _sigmoid(g[..., :h_dim])
        f_g = _sigmoid(g[..., h_dim : 2 * h_dim])
        c = f_g * c + i_g * np.tanh(g[..., 2 * h_dim : 3 * h_dim])
        h = _sigmoid(g[..., 3 * h_dim :]) * np.tanh(c)
        hs[chain, rows] = h
    return hs


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def save(path: Path | str, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Write a head (float16 weights keep the file small; numpy loads them as float32)."""
    out = {k: np.asarray(v, np.float16 if v.size > 4096 else np.float32) for k, v in arrays.items()}
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **out)


__all__ = ["Ensemble", "Head", "allowed_transitions", "load_heads", "save"]
