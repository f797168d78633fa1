"""Transliteration-aware name keys: one key for the many Latin renderings of a name.

Russian, Ukrainian and Korean names reach German news in German, English and Dutch
spellings (Wostotschny / Vostochny / Vostotsjny, Schoigu / Shoigu, Pjöngjang / Pyongyang).
Rather than listing names, the key folds the *spelling conventions* (tsch/ch/tsj, sch/sh/sj,
w/v, j/y/i, doubled letters) into sound classes, so names never seen before merge too. The
rewrite tables live in ``resources/entities/``; the article's language picks its own table
(Dutch "oe" is /u/, German "oe" is not).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from lagebild.entities.lexicon import Rewrite, rewrites

_PRE = str.maketrans({"č": "tsch", "ć": "tsch", "š": "sch", "ś": "sch", "ž": "zh", "ß": "ss"})
_SPLIT = re.compile(r"[\s\-‐‑–—/]+")
_STRIP = re.compile(r"[^\w]+")
_DOUBLE = re.compile(r"(.)\1+")


def name_parts(text: str) -> list[str]:
    """The words of a name, split at spaces and hyphens, punctuation removed."""
    parts = (_STRIP.sub("", p) for p in _SPLIT.split(text))
    return [p for p in parts if p]


@lru_cache(maxsize=65536)
def part_key(part: str, lang: str = "de") -> str:
    """The key of one word of a name (memoised: names repeat, and every token is keyed)."""
    return _rewritten(_folded(part), _steps(lang, False))


@lru_cache(maxsize=65536)
def weak_key(part: str, lang: str = "de") -> str:
    """The key of one word with only the weak foldings (rewrites flagged ``weak``, doubled
    letters): two spellings whose keys agree but weak keys differ differ by a convention."""
    return _rewritten(_folded(part), _steps(lang, True))


def _folded(part: str) -> str:
    """Case folded, the Slavic letters spelled out, diacritics dropped."""
    text = part.casefold().translate(_PRE)
    if text.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def _steps(lang: str, weak_only: bool) -> tuple[tuple[str, str, int], ...]:
    """The language's rewrites as (pattern, replacement, anchor) in order: anchor 0 anywhere,
    1 at the end, 2 at the start (``_apply``, without an attribute lookup per rewrite)."""
    return tuple(
        (rw.pattern, rw.replacement, 1 if rw.at_end else 2 if rw.at_start else 0)
        for rw in rewrites(lang)
        if rw.weak or not weak_only
    )


def _rewritten(text: str, steps: tuple[tuple[str, str, int], ...]) -> str:
    """``_apply`` of every step in order, then doubled letters single; a step whose pattern
    the text does not contain changes nothing and is skipped."""
    for pattern, replacement, anchor in steps:
        if pattern not in text:
            continue
        if anchor == 0:
            text = text.replace(pattern, replacement)
        elif anchor == 1:
            if text.endswith(pattern):
                text = text[: -len(pattern)] + replacement
        elif text.startswith(pattern):
            text = replacement + text[len(pattern) :]
    return _DOUBLE.sub(r"\1", text)


@lru_cache(maxsize=65536)
def name_key(text: str, lang: str = "de") -> str:
    """The key of a whole name: its part keys joined, so hyphens and spaces do not matter
    (memoised: every capitalised token of every article is keyed)."""
    return "".join(part_key(p, lang) for p in name_parts(text))


def _apply(text: str, rw: Rewrite) -> str:
    if rw.at_end:
        return text[: -len(rw.pattern)] + rw.replacement if text.endswith(rw.pattern) else text
    if rw.at_start:
        return rw.replacement + text[len(rw.pattern) :] if text.startswith(rw.pattern) else text
    return text.replace(rw.pattern, rw.replacement)


__all__ = ["name_key", "name_parts", "part_key", "weak_key"]
