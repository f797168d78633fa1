"""Text layer: sentences, tokens with offsets, lemmas. Later stages reuse it; nothing re-tokenises."""

from __future__ import annotations

import dataclasses

from lagebild.config import Config
from lagebild.model import Doc, Sentence, Token
from lagebild.text.tokenize import sentences, tokenize

NAME = "text"
VERSION = 2  # 2: sentences of more than 300 tokens are split


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with its sentences and tokens (lemmas filled in) set."""
    # the lemmatiser (simplemma's tables) loads here, not with the package: reading a store
    # (``store`` uses ``text.fold``) or a kept dossier needs no lemmas
    from lagebild.text.lemma import lemmatizer

    lang = doc.article.language or "de"
    sents = sentences(doc.article.text, lang, lemmatizer(lang))
    return dataclasses.replace(
        doc, sentences=tuple(sents), stages=(*doc.stages, f"{NAME}@{VERSION}")
    )


__all__ = ["Sentence", "Token", "analyze", "sentences", "tokenize"]
