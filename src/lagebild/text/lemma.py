"""Lemmas via simplemma: fast, offline, 50+ languages. POS tagging is left to stages that need it."""

from __future__ import annotations

import dataclasses

import simplemma

from lagebild.model import Token

_SUPPORTED = {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "ru", "sv", "da", "fi", "cs"}


def lemmatize_tokens(tokens: tuple[Token, ...], lang: str) -> tuple[Token, ...]:
    """Tokens with ``lemma`` set (the surface form where the language is unknown)."""
    if lang not in _SUPPORTED:
        return tuple(dataclasses.replace(t, lemma=t.text) for t in tokens)
    out = []
    for t in tokens:
        lemma = simplemma.lemmatize(t.text, lang=lang) if t.text[:1].isalpha() else t.text
        out.append(dataclasses.replace(t, lemma=lemma))
    return tuple(out)
