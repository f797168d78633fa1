"""German named-entity recognition: the shipped CRF model and optional spaCy pipelines.

``load_tagger("crf")`` returns the model shipped in ``lagebild/models/ner-de`` (loaded once
per process); ``load_tagger("spacy:de_core_news_lg")`` or ``load_tagger("spacy:/path")``
wraps an installed spaCy pipeline behind the same interface; ``load_tagger("/some/dir")``
loads a CRF model directory written by ``lagebild train ner``. Every tagger returns
:class:`~lagebild.model.Mention` records with offsets into ``doc.article.text``, labels
PER/LOC/ORG/OTH and ``source="ner"``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

from lagebild.errors import ModelNotAvailable
from lagebild.model import Doc, Mention


@runtime_checkable
class Tagger(Protocol):
    def tag(self, doc: Doc) -> tuple[Mention, ...]: ...


def default_model_dir() -> Path:
    """Where the shipped German model lives (package data)."""
    return Path(str(resources.files("lagebild") / "models" / "ner-de"))


@cache
def _load_crf(directory: str) -> Tagger:
    from lagebild.entities.ner.crf import CrfTagger

    return CrfTagger.load(Path(directory))


@cache
def _load_encoder_tagger(directory: str | None) -> Tagger:
    from lagebild.entities.ner.encoder_tagger import EncoderTagger

    return EncoderTagger.load(Path(directory) if directory else None)


def unload() -> None:
    """Forget the taggers loaded so far (``load_tagger`` loads them again when asked): the
    caller that held one keeps it; the process no longer does."""
    _load_crf.cache_clear()
    _load_encoder_tagger.cache_clear()


def load_tagger(spec: str = "crf") -> Tagger:
    """The tagger named by ``spec``: "crf", "encoder", "encoder:<head dir>",
    "spacy:<name or path>", or a CRF model directory."""
    if spec == "crf":
        return _load_crf(str(default_model_dir()))
    if spec == "encoder" or spec.startswith("encoder:"):
        return _load_encoder_tagger(spec.partition(":")[2] or None)
    if spec.startswith("spacy:"):
        from lagebild.entities.ner.spacy_backend import SpacyTagger

        return SpacyTagger.load(spec.removeprefix("spacy:"))
    if Path(spec).is_dir():
        return _load_crf(str(Path(spec).resolve()))
    raise ModelNotAvailable(
        f"unknown NER backend {spec!r}: use 'crf', 'encoder', 'spacy:<pipeline>' or a model directory"
    )


def tag_tokens(tagger: Tagger, tokens: list[str]) -> list[str]:
    """BIO labels (PER/LOC/ORG/OTH) for one pre-tokenised sentence."""
    tag_words = getattr(tagger, "tag_words", None)
    if tag_words is None:
        raise ModelNotAvailable(f"{type(tagger).__name__} cannot tag pre-tokenised text")
    return tag_words(tokens)


__all__ = ["Tagger", "default_model_dir", "load_tagger", "tag_tokens", "unload"]
