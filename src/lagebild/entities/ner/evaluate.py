"""The official GermEval 2014 strict metric on outer spans, and the ways we compute it.

Strict: a predicted entity counts only when its start, end and class equal a gold entity's.
Classes PER/LOC/ORG/OTH; ``-deriv`` and ``-part`` gold tags are mapped to O (so a tagger
is neither rewarded nor punished for "russische" or "EU-weit").
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lagebild.entities.ner.data import (
    GOLD_FILES,
    LABELS,
    Tagged,
    collapse_subtypes,
    read_germeval,
    spans,
)

# Published strict F1 on the full GermEval 2014 test set (trained on its 24k-sentence train split).
ANCHORS = (
    ("GermaNER (CRF)", 76.0),
    ("2014 winner (ExB)", 79.1),
    ("German BERT base", 86.6),
    ("GELECTRA-large", 89.1),
)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    per_class: dict[str, float] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)
    tokens: int = 0
    tokens_per_s: float = 0.0

    def as_json(self) -> dict:
        return {
            "precision": round(self.precision, 2),
            "recall": round(self.recall, 2),
            "f1": round(self.f1, 2),
            "per_class": {k: round(v, 2) for k, v in self.per_class.items()},
            "support": self.support,
            "tokens": self.tokens,
            "tokens_per_s": round(self.tokens_per_s),
        }


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = 100.0 * tp / n_pred if n_pred else 0.0
    r = 100.0 * tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> Scores:
    """Strict span P/R/F1 (percent), overall and per class, over aligned label sequences."""
    tp = {c: 0 for c in LABELS}
    n_pred = {c: 0 for c in LABELS}
    n_gold = {c: 0 for c in LABELS}
    for p_seq, g_seq in zip(predicted, gold, strict=True):
        ps, gs = spans(p_seq), spans(g_seq)
        for _, _, c in ps:
            n_pred[c] = n_pred.get(c, 0) + 1
        for _, _, c in gs:
            n_gold[c] = n_gold.get(c, 0) + 1
        for _, _, c in ps & gs:
            tp[c] += 1
    p, r, f = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    per = {c: _prf(tp[c], n_pred[c], n_gold[c])[2] for c in LABELS}
    return Scores(p, r, f, per, dict(n_gold))


TagFn = Callable[[list[str]], list[str]]


def evaluate(tag: TagFn, sentences: Sequence[Tagged]) -> Scores:
    """Tag every sentence with ``tag`` and score it; tokens/s measured over the tagging only."""
    t0 = time.perf_counter()
    predicted = [tag(list(s.tokens)) for s in sentences]
    seconds = time.perf_counter() - t0
    result = score(predicted, [s.labels for s in sentences])
    n = sum(len(s.tokens) for s in sentences)
    return Scores(
        result.precision,
        result.recall,
        result.f1,
        result.per_class,
        result.support,
        n,
        n / seconds if seconds else 0.0,
    )


def write_predictions(src: Path, dst: Path, tag: TagFn) -> None:
    """Copy a GermEval TSV with the outer-tag column replaced by our predictions."""
    lines = src.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            labels = tag([r[1] for r in block])
            for row, label in zip(block, labels, strict=True):
                row[2] = label
                out.append("\t".join(row))
            block.clear()

    for line in lines:
        cols = line.split("\t")
        if line.strip() and not line.startswith("#\t") and len(cols) >= 3:
            block.append(cols)
            continue
        flush()
        out.append(line)
    flush()
    dst.write_text("\n".join(out), encoding="utf-8")


def folds(sentences: Sequence[Tagged], k: int, seed: int = 13) -> list[list[int]]:
    """k disjoint index lists over ``sentences`` (seeded shuffle, so reruns agree)."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def cross_validate(
    data_dir: Path,
    k: int = 5,
    settings=None,
    shared_dir: Path | None = None,
    progress: Callable[[int, Scores], None] | None = None,
    wrap: Callable[[Any], TagFn] | None = None,
) -> Scores:
    """k-fold CV over GermEval dev + test-a: each fold tagged by a model trained on the rest
    (through ``wrap(tagger)`` when given, e.g. the whole entities stage)."""
    from lagebild.entities.ner.crf import STACK_FILE, CrfTagger
    from lagebild.entities.ner.train import TrainSettings, build_lexicon, fit_all, train_stack

    settings = settings or TrainSettings()
    gold = [s for f in GOLD_FILES for s in read_germeval(data_dir / f, settings.subtypes)]
    lexicon = build_lexicon(data_dir, settings, shared_dir)
    predicted: list[list[str]] = [[] for _ in gold]
    n_tok, seconds = 0, 0.0
    stack_dir = tempfile.TemporaryDirectory()
    # the silver model never sees gold, so one serves every fold
    stack = (
        train_stack(data_dir, lexicon, Path(stack_dir.name) / STACK_FILE, settings)
        if settings.stack
        else None
    )
    for i, held in enumerate(folds(gold, k, settings.seed)):
        held_set = set(held)
        train = [s for j, s in enumerate(gold) if j not in held_set]
        with tempfile.TemporaryDirectory() as tmp:
            fit_all(train, lexicon, Path(tmp), settings, data_dir, shared_dir, stack=stack)
            tagger = CrfTagger.load(Path(tmp))
            tag = wrap(tagger) if wrap else tagger.tag_words
            t0 = time.perf_counter()
            for j in held:
                predicted[j] = tag(list(gold[j].tokens))
            seconds += time.perf_counter() - t0
        n_tok += sum(len(gold[j].tokens) for j in held)
        if progress:
            held_gold = [collapse_subtypes(gold[j].labels) for j in held]
            progress(i, score([predicted[j] for j in held], held_gold))
    stack_dir.cleanup()
    result = score(predicted, [s.labels for s in gold])
    return Scores(
        result.precision,
        result.recall,
        result.f1,
        result.per_class,
        result.support,
        n_tok,
        n_tok / seconds if seconds else 0.0,
    )
