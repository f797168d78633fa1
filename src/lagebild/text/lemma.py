"""Lemmas via simplemma: fast, offline, 50+ languages. POS tagging is left to stages that need it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import lru_cache

import simplemma

from lagebild.model import Token

_SUPPORTED = {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "ru", "sv", "da", "fi", "cs"}


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    """simplemma's lemma of one word: pure, and slow enough (dictionary and decompounding
    searches) that a bounded process-wide cache pays; news repeats its words."""
    return simplemma.lemmatize(word, lang=lang)


def lemmatizer(lang: str) -> Callable[[str], str]:
    """word -> the lemma ``lemmatize_tokens`` gives it, for one text (it remembers the text's
    words: an article repeats them)."""
    if lang not in _SUPPORTED:
        return str
    seen: dict[str, str] = {}

    def lemma(word: str) -> str:
        out = seen.get(word)
        if out is None:
            out = _lemma(word, lang) if word[:1].isalpha() else word
            seen[word] = out
        return out

    return lemma


def lemmatize_tokens(tokens: tuple[Token, ...], lang: str) -> tuple[Token, ...]:
    """Tokens with ``lemma`` set (the surface form where the language is unknown)."""
    if lang not in _SUPPORTED:
        return tuple(dataclasses.replace(t, lemma=t.text) for t in tokens)
    out = []
    seen: dict[str, str] = {}  # an article repeats its words
    for t in tokens:
        word = t.text
        lemma = seen.get(word)
        if lemma is None:
            lemma = _lemma(word, lang) if word[:1].isalpha() else word
            seen[word] = lemma
        # the constructor, not dataclasses.replace: this runs for every token of every article
        out.append(Token(t.start, t.end, word, lemma, t.pos, t.space_after))
    return tuple(out)
