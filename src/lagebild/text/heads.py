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
        mixed = [np.tensordot(x, self.mix, axes=([1], [0])).astype(np.float32) for x in seqs]
        if self.lstm:
            mixed = self._bilstm(mixed)
        scores = [m @ self.out_w.T + self.out_b for m in mixed]
        if self.meta.get("settings", {}).get("crf", True):
            return scores
        return [s - _logsumexp(s, axis=1)[:, None] for s in scores]  # log P(label)

    def _bilstm(self, xs: list[np.ndarray]) -> list[np.ndarray]:
        lens = np.array([len(x) for x in xs])
        t_max, b = int(lens.max()), len(xs)
        d = xs[0].shape[1]
        pad = np.zeros((b, t_max, d), np.float32)
        rev = np.zeros_like(pad)
        for i, x in enumerate(xs):
            pad[i, : len(x)] = x
            rev[i, : len(x)] = x[::-1]
        outs = []
        for (wih, whh, bias), inp in zip(self.lstm, (pad, rev), strict=True):
            h_dim = whh.shape[1]
            gates_x = inp @ wih.T + bias  # (b, t, 4h), gate order i, f, g, o
            h = np.zeros((b, h_dim), np.float32)
            c = np.zeros((b, h_dim), np.float32)
            hs = np.zeros((b, t_max, h_dim), np.float32)
            for t in range(t_max):
                g = gates_x[:, t] + h @ whh.T
                i_g = _sigmoid(g[:, :h_dim])
                f_g = _sigmoid(g[:, h_dim : 2 * h_dim])
                c = f_g * c + i_g * np.tanh(g[:, 2 * h_dim : 3 * h_dim])
                h = _sigmoid(g[:, 3 * h_dim :]) * np.tanh(c)
                hs[:, t] = h
            outs.append(hs)
        fw, bw = outs
        return [np.concatenate([fw[i, :n], bw[i, :n][::-1]], axis=1) for i, n in enumerate(lens)]

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
        each = [h._emissions(seqs) for h in self.members]
        return [np.mean([e[i] for e in each], axis=0) for i in range(len(seqs))]


def load_heads(directory: Path | str, stem: str = "head") -> Head:
    """``head.npz`` (and ``head-1.npz``, ``head-2.npz``, … when trained as an ensemble)."""
    paths = sorted(Path(directory).glob(f"{stem}*.npz"))
    if not paths:
        raise FileNotFoundError(f"no {stem}.npz in {directory}")
    return Ensemble.of([Head.load(p) for p in paths])


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def save(path: Path | str, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Write a head (float16 weights keep the file small; numpy loads them as float32)."""
    out = {k: np.asarray(v, np.float16 if v.size > 4096 else np.float32) for k, v in arrays.items()}
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **out)


__all__ = ["Ensemble", "Head", "allowed_transitions", "load_heads", "save"]
