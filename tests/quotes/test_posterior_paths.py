"""Posterior decoding and P(source) read from the marginals' columns at once equal the
token-by-token reading (the path a python-crfsuite tagger takes)."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np

from lagebild.quotes.learned import _p_source
from lagebild.quotes.tagger import LABELS, Posterior, tag


def _posterior(probs: np.ndarray, labels: tuple[str, ...]) -> Posterior:
    """A Posterior holding ``probs`` (tokens x labels) as its marginals."""
    post = object.__new__(Posterior)
    post.model = SimpleNamespace(labels=list(labels))
    post.scores = np.zeros_like(probs)
    post.probs = probs
    post._col = {y: j for j, y in enumerate(labels)}
    post._by_label = probs.T.tolist()
    return post


class _OneByOne:
    """The same marginals behind the ``Marginals`` protocol only (not a Posterior)."""

    def __init__(self, post: Posterior) -> None:
        self.post = post

    def labels(self) -> list[str]:
        return self.post.labels()

    def marginal(self, label: str, t: int) -> float:
        return self.post.marginal(label, t)

    def tag(self, xseq: object) -> list[str]:
        return ["O"] * len(self.post.probs)


def _cases() -> list[Posterior]:
    rng = random.Random(11)
    out = []
    for labels in (LABELS, ("O", "S", "C", "M"), ("C", "O", "SM", "B", "S")):
        for n in (1, 7, 60):
            raw = np.array([[rng.random() ** 3 for _ in labels] for _ in range(n)])
            for t in range(0, n, 3):  # ties between the non-O labels, and certain O
                raw[t, 1:] = raw[t, 1]
            raw[n // 2] = 0.0
            raw[n // 2, labels.index("O")] = 1.0
            out.append(_posterior(raw / raw.sum(axis=1, keepdims=True), labels))
    return out


def test_posterior_labels_equal_the_token_by_token_reading() -> None:
    changed = 0
    for post in _cases():
        for alpha in (0.2, 0.45, 0.9):
            fast = tag(post, [], alpha)
            slow = tag(_OneByOne(post), [], alpha)  # type: ignore[arg-type]
            assert fast.labels == slow.labels
            assert fast.p_o == slow.p_o
            changed += sum(y != "O" for y in fast.labels)
    assert changed > 50


def test_p_source_equals_the_sum_per_token() -> None:
    for post in _cases():
        p_o = post.column("O")
        fast = _p_source(post, p_o)
        slow = _p_source(_OneByOne(post), p_o)  # type: ignore[arg-type]
        for t in range(len(p_o)):
            assert fast(t) == slow(t) and type(fast(t)) is type(slow(t))
