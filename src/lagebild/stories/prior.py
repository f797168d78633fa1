"""A prior for document frequencies from general word frequencies (wordfreq, offline).

Online IDF knows nothing on the first day: with a few dozen articles every word looks rare,
and "Regierung" weighs as much as "Wostotschny". A background corpus fixes that. We treat
wordfreq's frequency of a word as PRIOR_DOCS virtual documents of DOC_TOKENS words each, so
the prior dominates while the stream is small and fades as real counts grow. Names and
figures wordfreq does not know get no prior (they are rare, which is right for matching).
Without the wordfreq package the prior is empty and IDF is purely online.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

PRIOR_DOCS = 1000  # size of the virtual background corpus
DOC_TOKENS = 300  # words per virtual document


@cache
def frequencies(lang: str) -> dict[str, float]:
    """Word -> frequency per token in general ``lang`` text (empty when unavailable)."""
    try:
        import wordfreq

        return wordfreq.get_frequency_dict(lang)
    except (ImportError, LookupError, OSError, ValueError):
        return {}


@lru_cache(maxsize=1 << 18)
def prior_df(term: str, lang: str | None) -> float:
    """Expected number of the PRIOR_DOCS virtual documents that contain ``term``."""
    if term.startswith("#"):
        return 0.0
    freq = frequencies(lang or "de").get(term)
    if not freq:
        return 0.0
    return PRIOR_DOCS * (1.0 - math.exp(-freq * DOC_TOKENS))


__all__ = ["PRIOR_DOCS", "frequencies", "prior_df"]
