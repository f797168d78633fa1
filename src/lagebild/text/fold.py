"""Folding for lookups: the spellings a reader types for one word compare equal.

``fold`` strips diacritics and case (Erdoğan → erdogan, München → munchen, ß → ss), as the
full-text index does (FTS5 ``unicode61 remove_diacritics 2``). German writes an umlaut as a
following e where the letter is missing (Muenchen, Goebbels, Baer): ``spellings`` gives the
folded forms a typed word may stand for, so a query for Muenchen also finds München.
"""

from __future__ import annotations

import re
import unicodedata

_EXTRA = str.maketrans({"ß": "ss", "ẞ": "ss", "ø": "o", "Ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_UMLAUT_SPELLING = re.compile(r"(?<=[a-z])(ae|oe|ue)|^(ae|oe|ue)(?=[a-z])")


def fold(text: str) -> str:
    """Lower case without diacritics: ``fold("Erdoğan") == fold("erdogan") == "erdogan"``."""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


_UMLAUT_AS_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def spellings(word: str) -> tuple[str, ...]:
    """The folded forms ``word`` may stand for: itself; where it writes ae/oe/ue, the umlaut
    it may spell (``Muenchen`` → ``muenchen``, ``munchen``); where it has an umlaut, the
    spelling with e (``München`` → ``munchen``, ``muenchen``)."""
    folded = fold(word)
    out = [folded]
    if word != (with_e := word.translate(_UMLAUT_AS_E)):
        out.append(fold(with_e))
    elif _UMLAUT_SPELLING.search(folded):
        out.append(_UMLAUT_SPELLING.sub(lambda m: (m.group(1) or m.group(2))[0], folded))
    return tuple(dict.fromkeys(out))


__all__ = ["fold", "spellings"]
