"""Lemmas via simplemma: fast, offline, 50+ languages. POS tagging is left to stages that need it.

Every lemma and dictionary test in lagebild goes through ``lemmatize`` and ``is_known`` here:
they answer what ``simplemma.lemmatize`` and ``simplemma.is_known`` answer, from simplemma's
dictionaries mapped as tables (``text.dictionaries``) instead of decoded into each process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache, lru_cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

from lagebild.model import Token, token_maker
from lagebild.text.dictionaries import TableFactory

try:  # simplemma 2 looks words up in Unicode NFC
    from simplemma.utils import normalize_token
except ImportError:  # pragma: no cover - older simplemma: as it is

    def normalize_token(token: str) -> str:
        return token


_TOKEN_MAKER = token_maker()
_SUPPORTED = {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "ru", "sv", "da", "fi", "cs"}


@cache
def _factory() -> TableFactory:
    """The one dictionary factory of the process (each language mapped once)."""
    return TableFactory()


@cache
def _lemmatizer() -> Lemmatizer:
    """simplemma's lemmatiser as ``simplemma.lemmatize`` makes it, on the mapped tables."""
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_factory()))


@cache
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(_factory())


def lemmatize(word: str, lang: str) -> str:
    """``simplemma.lemmatize(word, lang)``: ValueError for a language simplemma lacks."""
    return _lemmatizer().lemmatize(word, lang)


@lru_cache(maxsize=65536)
def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang)``: the word is a dictionary entry (as written, or with
    its first letter's case turned). Cached: features ask it of every capitalised token."""
    if not isinstance(word, str):
        raise TypeError(f"Wrong input type, expected string, got {type(word)}")
    if word == "":
        raise ValueError("Wrong input value: empty string")
    return _lookup().get_lemma(normalize_token(word), lang) is not None


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    """simplemma's lemma of one word: pure, and slow enough (dictionary and decompounding
    searches) that a bounded process-wide cache pays; news repeats its words."""
    return lemmatize(word, lang)


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
    make = _TOKEN_MAKER
    seen: dict[str, str] = {}  # an article repeats its words
    for t in tokens:
        word = t.text
        lemma = seen.get(word)
        if lemma is None:
            lemma = _lemma(word, lang) if word[:1].isalpha() else word
            seen[word] = lemma
        # not dataclasses.replace, nor Token(): this runs for every token of every article
        out.append(make(t.start, t.end, word, lemma, t.pos, t.space_after))
    return tuple(out)
