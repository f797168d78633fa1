"""Folding for lookups: the spellings a reader types for one word compare equal.

``fold`` strips diacritics and case (Erdoğan → erdogan, München → munchen, ß → ss), as the
full-text index does (FTS5 ``unicode61 remove_diacritics 2``). German writes an umlaut as a
following e where the letter is missing (Muenchen, Goebbels, Baer): ``spellings`` gives the
folded forms a typed word may stand for, so a query for Muenchen also finds München.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that carry their stroke or dot in the letter itself, so NFKD cannot take it off,
# capitals too (Łódź, Đoković, Ørsted): ``index_form`` hands them to FTS5 already folded.
_LETTERS = {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i"}
_EXTRA = str.maketrans({"ß": "ss", "ẞ": "ss", **_LETTERS})
_INDEX = str.maketrans(_LETTERS)
_UMLAUT_SPELLING = re.compile(r"(?<=[a-z])(ae|oe|ue)|^(ae|oe|ue)(?=[a-z])")


def fold(text: str) -> str:
    """Lower case without diacritics: ``fold("Erdoğan") == fold("erdogan") == "erdogan"``."""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def index_form(text: str) -> str:
    """``text`` as the search index is given it: the letters FTS5's ``remove_diacritics``
    leaves alone (ł, ø, đ, ı) replaced by their base letter, one character for one, so a
    query folded by ``fold`` finds them (Lodz and łódź find Łódź)."""
    return text.translate(_INDEX)


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


__all__ = ["fold", "index_form", "spellings"]
