"""The metric kinds every evaluation harness shares, each defined once.

Like spaCy's ``Scorer``: the harnesses beside the stages (``time/evaluate.py``,
``ingest/evaluate.py``, …) read their gold and run their stage, then count with these, so
"relaxed span F1" or "BCubed" means one thing across the project and matches the published
anchor's scorer (TempEval-3 for spans: one-to-one matching, a prediction pairs with at most
one gold span and the other way round).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts behind a precision/recall/F1: ``correct`` of ``predicted`` and of ``gold``."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def p(self) -> float:
        return ratio(self.correct, self.predicted)

    @property
    def r(self) -> float:
        return ratio(self.correct, self.gold)

    @property
    def f1(self) -> float:
        return f1(self.p, self.r)

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.correct + other.correct, self.predicted + other.predicted, self.gold + other.gold
        )


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def match_spans(
    gold: Sequence[Span], predicted: Sequence[Span], relaxed: bool = True
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of matching spans.

    Strict: the same offsets. Relaxed (TempEval-3): overlapping spans, each span in at most one
    pair; exact pairs first, then the largest overlaps, so two predictions inside one gold span
    count once (P = 1/2), not twice.
    """
    by_span: dict[tuple[int, int], list[int]] = {}
    for i, g in enumerate(gold):
        by_span.setdefault((g.start, g.end), []).append(i)
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for j, p in enumerate(predicted):
        free = [i for i in by_span.get((p.start, p.end), ()) if i not in used_g]
        if free:
            pairs.append((free[0], j))
            used_g.add(free[0])
            used_p.add(j)
    if not relaxed:
        return sorted(pairs)
    cands = sorted(
        (
            (-_overlap(g, p), i, j)
            for i, g in enumerate(gold)
            if i not in used_g
            for j, p in enumerate(predicted)
            if j not in used_p and _overlap(g, p) > 0
        ),
    )
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return sorted(pairs)


def span_prf(gold: Sequence[Span], predicted: Sequence[Span], relaxed: bool = True) -> PRF:
    """Span P/R/F1 counts with one-to-one matching (see :func:`match_spans`)."""
    return PRF(len(match_spans(gold, predicted, relaxed)), len(predicted), len(gold))


def attribute_prf(
    gold: Sequence[object], predicted: Sequence[object], pairs: Iterable[tuple[int, int]], attr: str
) -> PRF:
    """TempEval-3 attribute F1: matched pairs whose ``attr`` agrees, over all predicted (P)
    and all gold (R) spans."""
    correct = sum(1 for i, j in pairs if getattr(gold[i], attr) == getattr(predicted[j], attr))
    return PRF(correct, len(predicted), len(gold))


@dataclass(frozen=True, slots=True)
class PR:
    """Precision and recall that are means, not ratios of counts (BCubed)."""

    p: float = 0.0
    r: float = 0.0

    @property
    def f1(self) -> float:
        return f1(self.p, self.r)


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PR:
    """BCubed precision and recall of a clustering (item -> cluster) against gold classes,
    over the items both know: per item, the share of its cluster in its class and back."""
    items = [k for k in gold if k in predicted]
    if not items:
        return PR()
    by_pred: dict[Hashable, set[Hashable]] = {}
    by_gold: dict[Hashable, set[Hashable]] = {}
    for k in items:
        by_pred.setdefault(predicted[k], set()).add(k)
        by_gold.setdefault(gold[k], set()).add(k)
    p = r = 0.0
    for k in items:
        cluster, cls = by_pred[predicted[k]], by_gold[gold[k]]
        both = len(cluster & cls)
        p += both / len(cluster)
        r += both / len(cls)
    return PR(p / len(items), r / len(items))


def token_set_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
    """Overlap of two token sets (SpkAtt-style cue/source/message scoring)."""
    g, p = set(gold), set(predicted)
    return PRF(len(g & p), len(p), len(g))


__all__ = [
    "PR",
    "PRF",
    "Span",
    "attribute_prf",
    "bcubed",
    "f1",
    "match_spans",
    "ratio",
    "span_prf",
    "token_set_prf",
]
