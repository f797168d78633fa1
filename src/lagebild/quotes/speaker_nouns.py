"""Whether a found speaker's head noun names someone, learned from the encoder's states.

``speaker_type`` sorts a source's head noun by word lists and endings; a noun in subject
position before a verb of saying passes whatever it is ("Das ... bezeichnete Unwetter",
"Seine Tat bezeichnete er"). In encoder mode the token's contextual states say more: a small
logistic model over them (layers 6 and 8) gives the probability that the noun heads a
speaker. It is trained with the encoder quote model (``lagebild --encoder train quotes``) on
SpkAtt train: the head noun of every gold source that is not a document or an attribution
noun ("Angaben") is a positive, every other capitalised noun outside sources a negative.
A speaker none of whose capitalised nouns reaches ``THRESHOLD`` names no one; a phrase
with a name the entities stage found, a pronoun or a word for people is not asked. Not used
in ``--fast`` (no states there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lagebild.quotes.tagger import Roles
from lagebild.quotes.view import View

FILE = "speakers.npz"
LAYERS = (6, 8)  # of the quote model's layers (4-8): what the model reads
# P(heads a speaker) below which a speaker's nouns name no one: chosen on SpkAtt train with
# the model fitted on the even documents, where it drops 2 % of the odd documents' gold
# source heads and 67 % of their other capitalised nouns
THRESHOLD = 0.075
_L2 = 100.0


@dataclass(frozen=True)
class SpeakerNouns:
    """The logistic model: weights over the concatenated states of ``layers``."""

    weights: np.ndarray
    bias: float
    layers: tuple[int, ...]
    threshold: float = THRESHOLD

    def p(self, rows: np.ndarray) -> np.ndarray:
        """P(heads a speaker) for (n, layers, 384) states of n tokens."""
        z = rows.reshape(len(rows), -1).astype(np.float32) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        np.savez(path, weights=self.weights, bias=np.float32(self.bias),
                 layers=np.asarray(self.layers, np.int32), threshold=np.float32(self.threshold))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> SpeakerNouns:
        with np.load(path) as z:
            return cls(z["weights"].astype(np.float32), float(z["bias"]),
                       tuple(int(x) for x in z["layers"]), float(z["threshold"]))  # fmt: skip


def head_noun(v: View, toks: Sequence[int]) -> int | None:
    """The last word of the first run of capitalised nouns in ``toks`` (after prepositions)."""
    from lagebild.quotes.speaker_type import _is_noun

    skip = v.lex.cls("prepositions")
    nouns = [k for k in sorted(toks) if v.low[k] not in skip and _is_noun(v, k)]
    if not nouns:
        return None
    k = nouns[0]
    while k + 1 in nouns:
        k += 1
    return k


def examples(views: Sequence[View], roles: Sequence[Sequence[Roles]],
             states: Sequence[np.ndarray], columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Training rows (states of ``columns``) and labels from gold statements."""
    from lagebild.quotes.speaker_type import _is_noun, noun_kind, speaker_words

    words = speaker_words("de")
    xs: list[np.ndarray] = []
    ys: list[int] = []
    for v, rs, st in zip(views, roles, states, strict=True):
        sources = {tuple(sorted(r.source)) for r in rs if r.source}
        inside = {k for s in sources for k in s}
        for s in sorted(sources):
            k = head_noun(v, s)
            if k is None or (
                words and noun_kind(v.text[k], v, words) in ("document", "attribution")
            ):
                continue
            xs.append(st[k, columns])
            ys.append(1)
        for k in range(len(v)):
            if k not in inside and k != v.sentence_start(k) and _is_noun(v, k):
                xs.append(st[k, columns])
                ys.append(0)
    x = np.asarray(xs, np.float32).reshape(len(xs), -1)
    return x, np.asarray(ys, np.float64)


def fit(x: np.ndarray, y: np.ndarray, l2: float = _L2, steps: int = 30) -> tuple[np.ndarray, float]:
    """Class-balanced, L2-regularised logistic regression by Newton's method (deterministic)."""
    n, d = x.shape
    pos = max(1.0, y.sum())
    weight = np.where(y > 0, n / (2 * pos), n / (2 * max(1.0, n - pos)))
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    beta = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        grad = xb.T @ (weight * (p - y)) + reg * beta
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta[:-1].astype(np.float32), float(beta[-1])


def names_someone(model: SpeakerNouns, v: View, toks: Sequence[int], states: np.ndarray,
                  columns: Sequence[int], covered: Callable[[int], bool]) -> bool:  # fmt: skip
    """False when ``toks`` (a speaker as ``speaker_type`` kept it) has capitalised nouns, none
    of them a found name, and none likely to head a speaker by the states (``columns`` of
    ``states`` are the model's layers)."""
    from lagebild.quotes.speaker_type import _is_noun, speaker_words

    words = speaker_words(v.lex.lang)
    people = words.people if words else frozenset()
    if any(v.low[k] in v.lex.pronouns or v.low[k] in people or covered(k) for k in toks):
        return True
    nouns = [k for k in toks if _is_noun(v, k)]
    if not nouns:
        return True
    p = model.p(states[np.asarray(nouns)][:, list(columns)])
    return bool(p.max() >= model.threshold)


def train(views: Sequence[View], roles: Sequence[Sequence[Roles]], states: Sequence[np.ndarray],
          state_layers: Sequence[int]) -> SpeakerNouns:  # fmt: skip
    """The model from gold statements and each doc's token states (of ``state_layers``)."""
    columns = [list(state_layers).index(layer) for layer in LAYERS]
    x, y = examples(views, roles, states, columns)
    w, b = fit(x, y)
    return SpeakerNouns(w, b, LAYERS)


__all__ = [
    "FILE",
    "LAYERS",
    "THRESHOLD",
    "SpeakerNouns",
    "examples",
    "fit",
    "head_noun",
    "names_someone",
    "train",
]
