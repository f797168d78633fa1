"""Encoder states of one article, per sentence and token, shared by the stages that read them.

The ``encode`` stage computes them once (``doc.encoding``); the entity and quote heads read
the layers they need; the pipeline drops the states when the last stage has run and keeps
the article's e5 vector (``pooled``) for story linking.

Each sentence is encoded as a text of its own (all sentences of the article in one batch).
Why: the NER gold (GermEval) is single sentences without their articles, and a head trained
on them lost 3.9 F1 (fold 0 of the CV, 80.8 -> 76.9) when the same sentences were encoded
five to a window; the quote head reads across sentences through its own BiLSTM.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lagebild.model import Doc
from lagebild.text.encoder import Encoder, join_tokens, load_encoder, pooled_of

WINDOW = 510  # a longer sentence (a list, a table) runs in overlapping windows


@dataclass(frozen=True)
class DocStates:
    """Per sentence of the doc, a (tokens, layers, 384) float32 array; and the e5 vector."""

    layers: tuple[int, ...]
    sentences: tuple[np.ndarray, ...]
    pooled: np.ndarray

    def select(self, layers: Sequence[int]) -> list[np.ndarray]:
        """The sentences' states restricted to ``layers`` (in that order)."""
        idx = [self.layers.index(layer) for layer in layers]
        return [s[:, idx] for s in self.sentences]

    def light(self) -> DocStates:
        """The same without token states (what outlives the per-article stages)."""
        return DocStates(self.layers, (), self.pooled)


def doc_states(doc: Doc, encoder: Encoder, layers: Sequence[int], *, pooled: bool = True,
               window: int = WINDOW) -> DocStates:  # fmt: skip
    """Encode every sentence of the doc (one batch); align the states to its tokens."""
    layers = tuple(sorted(set(layers)))
    text = doc.article.text
    sents = [s for s in doc.sentences if s.tokens]
    encs = encoder.encode([text[s.start : s.end] for s in sents], layers, window=window,
                          pooled=pooled)  # fmt: skip
    by_start = {}
    for s, enc in zip(sents, encs, strict=True):
        spans = [(t.start - s.start, t.end - s.start) for t in s.tokens]
        by_start[s.start, s.end] = enc.layer_states(spans, layers)
    empty = np.zeros((0, len(layers), encoder.H), np.float32)
    out = tuple(by_start.get((s.start, s.end), empty) if s.tokens else empty for s in doc.sentences)
    return DocStates(layers, out, pooled_of(encs) if pooled else np.zeros(0, np.float32))


def cache_dir() -> Path:
    """Where training caches encoded gold corpora ($LAGEBILD_CACHE or ~/.cache/lagebild)."""
    root = os.environ.get("LAGEBILD_CACHE") or Path.home() / ".cache" / "lagebild"
    return Path(root) / "encoder-states"


def pretokenized_states(sentences: Sequence[Sequence[str]], layers: Sequence[int],
                        encoder: Encoder | None = None, *, cache: bool = True,
                        progress: Callable[[int, int], None] | None = None,
                        ) -> list[np.ndarray]:  # fmt: skip
    """(tokens, layers, 384) float16 states of gold sentences, each encoded on its own as
    running text (``join_tokens``), as the ``encode`` stage encodes an article's sentences.

    With ``cache`` the result is kept on disk, keyed by the sentences, the weight file and
    the layers, so cross-validation and retraining encode a corpus once.
    """
    encoder = encoder or load_encoder()
    layers = tuple(layers)
    h = hashlib.sha256()
    h.update(f"{encoder.path.name}:{encoder.path.stat().st_size}:{list(layers)}:v1".encode())
    for toks in sentences:
        h.update("\x1f".join(toks).encode() + b"\x1e")
    path = cache_dir() / f"{h.hexdigest()[:24]}.npz"
    if cache and path.is_file():
        with np.load(path) as z:
            flat, lens = z["states"], z["lens"]
        return np.split(flat, np.cumsum(lens)[:-1]) if len(lens) else []
    out: list[np.ndarray] = []
    step = 256
    for i in range(0, len(sentences), step):
        batch = [join_tokens(toks) for toks in sentences[i : i + step]]
        encs = encoder.encode([t for t, _ in batch], layers, pooled=False)
        for enc, (_, spans) in zip(encs, batch, strict=True):
            out.append(enc.layer_states(spans, layers).astype(np.float16))
        if progress:
            progress(min(i + step, len(sentences)), len(sentences))
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.stem + ".tmp.npz")
        flat = np.concatenate(out) if out else np.zeros((0, len(layers), encoder.H), np.float16)
        np.savez(tmp, states=flat, lens=np.array([len(x) for x in out], np.int64))
        tmp.replace(path)
    return out


__all__ = ["WINDOW", "DocStates", "cache_dir", "doc_states", "pretokenized_states"]
