"""A prior for document frequencies from general word frequencies (wordfreq, offline).

Online IDF knows nothing on the first day: with a few dozen articles every word looks rare,
and "Regierung" weighs as much as "Wostotschny". A background corpus fixes that. We treat
wordfreq's frequency of a word as PRIOR_DOCS virtual documents of DOC_TOKENS words each, so
the prior dominates while the stream is small and fades as real counts grow. Names and
figures wordfreq does not know get no prior (they are rare, which is right for matching).
Without the wordfreq package the prior is empty and IDF is purely online.

wordfreq decodes a language's whole list into a dict on first use (German: 634,502 words,
~0.4 s CPU and tens of MB in every process that clusters). The words and their frequency
bands are kept instead as a mapped table in the cache folder (``text.dictionaries``, as the
lemma dictionaries are): the first process writes it, later ones read only the pages of the
words they look up. A word's frequency is wordfreq's own formula of its band, so every prior
stays the same.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import sys
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path

PRIOR_DOCS = 1000  # size of the virtual background corpus
DOC_TOKENS = 300  # words per virtual document
FORMAT = 1  # of the cached table (word -> band); part of its file name
CACHE_KIND = "word-frequencies"  # its folder under the cache root


class BandTable(Mapping[str, float]):
    """Word -> frequency from a table of word -> wordfreq band (a band ``i`` is
    ``10 ** (-i / 100)``, wordfreq's ``cB_to_freq(-i)``)."""

    __slots__ = ("_table",)

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = table

    def get(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]
        band = self._table.get(key)
        return default if band is None else 10 ** (-int(band) / 100)

    def __getitem__(self, key: str) -> float:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


@cache
def frequencies(lang: str) -> Mapping[str, float]:
    """Word -> frequency per token in general ``lang`` text (empty when unavailable)."""
    table = _cached(lang)
    if table is not None:
        return table
    try:
        import wordfreq

        return wordfreq.get_frequency_dict(lang)
    except (ImportError, LookupError, OSError, ValueError):
        return {}


def data_file(lang: str) -> Path | None:
    """The list wordfreq's ``get_frequency_dict(lang)`` reads, found without importing
    wordfreq (~0.14 s): its "best" list, the large one where there is one. None for a code
    that is not a file's own (wordfreq then matches the nearest language itself)."""
    if not (lang.isascii() and lang.isalnum()):
        return None
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    for size in ("large", "small"):
        path = data / f"{size}_{lang}.msgpack.gz"
        if path.is_file():
            return path
    return None


def _cached(lang: str, folder: Path | None = None) -> BandTable | None:
    """``lang``'s frequencies as a mapped table named by the list's bytes (built and written
    on first use); None where there is no list file of that code or it cannot be read."""
    from lagebild.text import dictionaries

    path = data_file(lang)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        digest = hashlib.sha1(f"{FORMAT}|{sys.byteorder}|".encode() + raw).hexdigest()[:16]
        folder = folder or dictionaries.cache_root(CACHE_KIND)
        table = dictionaries.mapped_or_built(folder / f"{lang}-{digest}.table", lambda: bands(path))
    except (ImportError, OSError, ValueError):
        return None
    return BandTable(table)


def bands(path: Path) -> Iterator[tuple[bytes, bytes]]:
    """(word, band) of every word of a wordfreq list, as UTF-8; a word listed in several
    bands gets the last, as in wordfreq's dict."""
    from wordfreq import read_cBpack

    band: dict[str, int] = {}
    for index, words in enumerate(read_cBpack(str(path))):
        for word in words:
            band[word] = index
    return ((w.encode(), str(i).encode()) for w, i in band.items())


@lru_cache(maxsize=1 << 18)
def prior_df(term: str, lang: str | None) -> float:
    """Expected number of the PRIOR_DOCS virtual documents that contain ``term``."""
    if term.startswith("#"):
        return 0.0
    freq = frequencies(lang or "de").get(term)
    if not freq:
        return 0.0
    return PRIOR_DOCS * (1.0 - math.exp(-freq * DOC_TOKENS))


__all__ = ["PRIOR_DOCS", "BandTable", "bands", "data_file", "frequencies", "prior_df"]
