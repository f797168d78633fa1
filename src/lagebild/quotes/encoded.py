"""Quotes on the encoder: a BiLSTM head over e5 states whose token labels feed the quote CRF.

Why stacked and not a replacement: the quote CRF's decoding, second stage and boundary rules
are tuned on its marginals, and its hand features (verbs of saying, Konjunktiv, the rules'
reading) are strong; what it lacks is context beyond its feature window. The head reads each
token's contextual states (sentences grouped up to ``CHUNK`` tokens, so a quotation and its
"sagte er" are seen together) and says how likely each label (cue, source, message, ...) is;
the CRF reads those probabilities, bucketed, as features. The CRF is trained on head outputs
for documents the head never saw (k-fold cross-fitting), so it learns how far to trust the
head on new text.

A model folder is a quote-CRF folder (``learned``) plus ``head.npz`` and ``speakers.npz``
(``speaker_nouns``: whether a found speaker's nouns name someone, from the same states).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from lagebild.model import Doc
from lagebild.quotes.extract import Attribution
from lagebild.quotes.learned import Model, fit, load
from lagebild.quotes.speaker_nouns import FILE as SPEAKERS_FILE
from lagebild.quotes.speaker_nouns import SpeakerNouns
from lagebild.quotes.speaker_nouns import train as train_speakers
from lagebild.quotes.tagger import LABELS, Roles, labels_of
from lagebild.quotes.view import View
from lagebild.text.heads import Ensemble, Head, load_heads, save
from lagebild.text.heads_train import HeadSettings
from lagebild.text.states import DocStates, cache_dir, doc_states

HEAD_FILE = "head.npz"
MEMBERS = 2  # heads trained alike with seeds HEAD_SETTINGS.seed, +1, …; probabilities averaged
CHUNK = 120  # tokens: whole sentences grouped up to this many form one head sequence
LAYERS = (4, 5, 6, 7, 8)
FOLDS = 5  # cross-fitting of the head for the CRF's training features
# A head's weights are their mean over its last 5 epochs (those at the lower learning rate):
# SpkAtt train 5-fold CV message / source 77.6 / 66.3 -> 77.9 / 66.6 on one machine (model card)
AVERAGE = 5
_BUCKETS = (0.7, 0.4, 0.15, 0.05)


def chunks(bounds: Sequence[tuple[int, int]], limit: int = CHUNK) -> list[tuple[int, int]]:
    """Consecutive sentences grouped into token ranges of at most ``limit`` tokens (a longer
    sentence is a range of its own)."""
    out: list[tuple[int, int]] = []
    start = end = None
    for a, b in bounds:
        if b <= a:
            continue
        if start is not None and end is not None and b - start > limit:
            out.append((start, end))
            start = None
        if start is None:
            start = a
        end = b
    if start is not None and end is not None:
        out.append((start, end))
    return out


def probabilities(head: Head, states: np.ndarray, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
    """P(label) per token of the doc (rows follow the doc's tokens), from the head (an
    ensemble's members' probabilities averaged)."""
    if isinstance(head, Ensemble):
        each = [probabilities(h, states, bounds) for h in head.members]
        return np.mean(each, axis=0, dtype=np.float64).astype(np.float32)
    n = len(states)
    out = np.zeros((n, len(head.labels)), np.float32)
    out[:, head.labels.index("O")] = 1.0
    parts = chunks(bounds)
    if not parts:
        return out
    seqs = [states[a:b].astype(np.float32) for a, b in parts]
    for (a, b), em in zip(parts, head.emissions(seqs), strict=True):
        if head.meta.get("settings", {}).get("crf", True):
            out[a:b] = head.marginals(em)
        else:
            out[a:b] = np.exp(em)
    return out


def head_features(p: np.ndarray, labels: Sequence[str]) -> list[list[str]]:
    """The CRF's extra features per token: the head's label where it is sure, each label's
    probability bucket, and the neighbours' head labels."""
    best = p.argmax(axis=1)
    top = [labels[b] if p[i, b] >= 0.5 else "?" for i, b in enumerate(best)]
    out: list[list[str]] = []
    for i in range(len(p)):
        feats = [f"nn={top[i]}"]
        for k, lab in enumerate(labels):
            if lab == "O":
                continue
            for cut in _BUCKETS:
                if p[i, k] >= cut:
                    feats.append(f"nn{lab}>{cut}")
                    break
        feats.append(f"nn-1={top[i - 1] if i else '^'}")
        feats.append(f"nn+1={top[i + 1] if i + 1 < len(p) else '$'}")
        out.append(feats)
    return out


@dataclass(frozen=True)
class EncodedModel:
    """The quote CRF with the encoder head's features."""

    model: Model
    head: Head
    speakers: SpeakerNouns | None = None

    @property
    def layers(self) -> tuple[int, ...]:
        return self.head.layers

    def speaker_columns(self) -> list[int]:
        """Where the speaker model's layers sit among the states' layers."""
        assert self.speakers is not None
        return [self.layers.index(layer) for layer in self.speakers.layers]

    def extra(self, v: View, states: np.ndarray) -> list[list[str]]:
        return head_features(probabilities(self.head, states, v.bounds), self.head.labels)

    def attributions(self, v: View, states: np.ndarray) -> list[Attribution]:
        """Every statement of the doc behind ``v``; ``states`` has one row per token."""
        return self.model.attributions(v, self.extra(v, states))


def doc_token_states(doc: Doc, layers: Sequence[int]) -> np.ndarray:
    """(tokens, layers, 384) states of the doc's tokens in order: from the encode stage, or
    computed here."""
    from lagebild.text.encoder import load_encoder

    enc = doc.encoding if isinstance(doc.encoding, DocStates) else None
    if enc is None or not set(layers) <= set(enc.layers) or not enc.sentences:
        enc = doc_states(doc, load_encoder(), layers, pooled=False)
    parts = enc.select(layers)
    return np.concatenate(parts) if parts else np.zeros((0, len(layers), 384), np.float32)


def shipped_dir(lang: str = "de") -> Path:
    return Path(str(resources.files("lagebild") / "models" / f"quotes-{lang}-enc"))


@cache
def load_encoded(directory: str) -> EncodedModel | None:
    """The model in ``directory`` (None when it has no head or no CRF)."""
    path = Path(directory)
    model = load(directory)
    if model is None or not (path / HEAD_FILE).is_file():
        return None
    speakers = SpeakerNouns.load(path / SPEAKERS_FILE) if (path / SPEAKERS_FILE).is_file() else None
    return EncodedModel(model, load_heads(path), speakers)


def shipped(lang: str) -> EncodedModel | None:
    return load_encoded(str(shipped_dir(lang)))


def shipped_layers(lang: str) -> tuple[int, ...]:
    """The layers the shipped model for ``lang`` reads (empty when there is none)."""
    model = shipped(lang)
    return model.layers if model else ()


# --------------------------------------------------------------------------- training


def _sequences(states: Sequence[np.ndarray], labels: Sequence[Sequence[str]],
               bounds: Sequence[Sequence[tuple[int, int]]]) -> tuple[list, list]:  # fmt: skip
    index = {lab: i for i, lab in enumerate(LABELS)}
    xs, ys = [], []
    for st, lab, bd in zip(states, labels, bounds, strict=True):
        for a, b in chunks(bd):
            xs.append(st[a:b])
            ys.append([index[y] for y in lab[a:b]])
    return xs, ys


def heads_cache() -> Path:
    """Where trained quote heads are kept, beside the encoded gold corpora."""
    return cache_dir().parent / "quote-heads"


def _head_key(xs: Sequence[np.ndarray], ys: Sequence[Sequence[int]], settings: HeadSettings) -> str:
    """Everything a trained head depends on: its sequences and labels, the settings, the
    training code and the torch version (so a changed recipe never reads a stale head)."""
    from importlib.metadata import PackageNotFoundError, version

    from lagebild.text import heads_train

    try:
        torch_version = version("torch")
    except PackageNotFoundError:  # pragma: no cover - then training fails anyway
        torch_version = "none"
    h = hashlib.blake2b(digest_size=12)
    what = {"settings": asdict(settings), "labels": LABELS, "layers": LAYERS, "chunk": CHUNK,
            "torch": torch_version, "average": AVERAGE}  # fmt: skip
    h.update(json.dumps(what, sort_keys=True).encode())
    h.update(Path(heads_train.__file__).read_bytes())
    for x, y in zip(xs, ys, strict=True):
        h.update(f"{x.dtype}{x.shape}".encode())
        h.update(np.ascontiguousarray(x).tobytes())
        h.update(np.asarray(y, np.int64).tobytes())
    return h.hexdigest()


def fit_head(states: Sequence[np.ndarray], labels: Sequence[Sequence[str]],
             bounds: Sequence[Sequence[tuple[int, int]]], settings: HeadSettings,
             path: Path | None = None, cache: bool = True) -> Head:  # fmt: skip
    """Train a head on docs' token states and gold labels (written to ``path`` if given).

    With ``cache`` the head file is kept on disk under its inputs' key (``heads_cache``):
    the CV (``eval quotes --folds 5``) and ``train quotes`` train the same cross-fitting
    heads (same folds, seeds and data), and each is trained once.
    """
    xs, ys = _sequences(states, labels, bounds)
    with tempfile.TemporaryDirectory() as tmp:
        cached = heads_cache() / f"{_head_key(xs, ys, settings)}.npz" if cache else None
        source = cached if cached is not None and cached.is_file() else Path(tmp) / HEAD_FILE
        if source != cached:
            from lagebild.text.heads_train import fit as fit_arrays

            arrays, meta = fit_arrays(xs, ys, LABELS, LAYERS, settings, average=AVERAGE)
            meta["chunk"] = CHUNK
            save(source, arrays, meta)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                part = cached.with_name(cached.stem + ".part.npz")
                shutil.copyfile(source, part)
                part.replace(cached)
        if path is not None:
            shutil.copyfile(source, path)
        return Head.load(source)


HEAD_SETTINGS = HeadSettings(hidden=128, crf=False, epochs=12)


def member_file(member: int) -> str:
    return HEAD_FILE if member == 0 else f"head-{member}.npz"


def fit_heads(states: Sequence[np.ndarray], labels: Sequence[Sequence[str]],
              bounds: Sequence[Sequence[tuple[int, int]]], settings: HeadSettings,
              members: int = MEMBERS, directory: Path | None = None) -> Head:  # fmt: skip
    """``members`` heads with seeds ``settings.seed``, +1, … (written to ``directory`` as
    head.npz, head-1.npz, … if given), as one ensemble."""
    heads = []
    for m in range(members):
        path = directory / member_file(m) if directory else None
        seeded = replace(settings, seed=settings.seed + m)
        heads.append(fit_head(states, labels, bounds, seeded, path))
    return Ensemble.of(heads)


def out_of_fold(docs: Sequence[tuple[Doc, list[Roles]]], states: Sequence[np.ndarray],
                settings: HeadSettings = HEAD_SETTINGS, k: int = FOLDS,
                log: Callable[[str], None] = lambda _: None,
                members: int = MEMBERS) -> list[list[list[str]]]:  # fmt: skip
    """Each doc's head features from heads trained without the docs of its fold (i % k)."""
    from lagebild.quotes.lexicon import lexicon

    lex = lexicon("de")
    views = [View.of(doc, lex) for doc, _ in docs]
    labels = [labels_of(len(v), roles) for v, (_, roles) in zip(views, docs, strict=True)]
    bounds = [v.bounds for v in views]
    extra: list[list[list[str]]] = [[] for _ in docs]
    k = k if len(docs) >= 2 * k else 2
    for f in range(k):
        train = [i for i in range(len(docs)) if i % k != f]
        head = fit_heads([states[i] for i in train], [labels[i] for i in train],
                         [bounds[i] for i in train], settings, members)  # fmt: skip
        for i in range(f, len(docs), k):
            extra[i] = head_features(probabilities(head, states[i], bounds[i]), head.labels)
        log(f"head {f + 1}/{k} (cross-fitting) done")
    return extra


def fit_encoded(docs: Sequence[tuple[Doc, list[Roles]]], states: Sequence[np.ndarray],
                out: str | Path, settings: HeadSettings = HEAD_SETTINGS,
                extra: Sequence[list[list[str]]] | None = None, final_head: bool = True,
                log: Callable[[str], None] = lambda _: None,
                members: int = MEMBERS) -> EncodedModel | None:  # fmt: skip
    """Train head and CRF on (doc, gold) pairs with each doc's token states; write ``out``.

    The CRF reads, for each doc, head features from a head that never saw the doc
    (``out_of_fold``, or ``extra`` when given); the head shipped beside it is trained on all
    docs (``final_head``; without it only the CRF folder is written and None returned).
    """
    from lagebild.quotes.lexicon import lexicon

    if extra is None:
        extra = out_of_fold(docs, states, settings, log=log, members=members)
    out = Path(out)
    fit(docs, out, extra=extra)
    log("quote CRF and second stage trained")
    if not final_head:
        return None
    lex = lexicon("de")
    views = [View.of(doc, lex) for doc, _ in docs]
    labels = [labels_of(len(v), roles) for v, (_, roles) in zip(views, docs, strict=True)]
    for old in out.glob("head*.npz"):
        old.unlink()  # a folder trained before with more members
    fit_heads(states, labels, [v.bounds for v in views], settings, members, out)
    train_speakers(views, [roles for _, roles in docs], states, LAYERS).save(out / SPEAKERS_FILE)
    log("speaker-noun model trained")
    load_encoded.cache_clear()
    return load_encoded(str(out))


def train_from(directory: str | Path, out: str | Path,
               log: Callable[[str], None] = lambda _: None) -> EncodedModel:  # fmt: skip
    """Train on every document of a SpkAtt task 2 folder and write the model folder ``out``."""
    from lagebild.quotes.evaluate import doc_of, gold_roles, gold_states, read_gold

    golds = read_gold(directory)
    states = gold_states(golds, LAYERS)
    docs = [(doc_of(g), gold_roles(g)) for g in golds]
    model = fit_encoded(docs, states, out, log=log)
    assert model is not None
    return model


__all__ = [
    "CHUNK",
    "EncodedModel",
    "chunks",
    "doc_token_states",
    "fit_encoded",
    "fit_head",
    "fit_heads",
    "head_features",
    "heads_cache",
    "load_encoded",
    "out_of_fold",
    "probabilities",
    "shipped",
    "shipped_dir",
    "shipped_layers",
    "train_from",
]  # fmt: skip
