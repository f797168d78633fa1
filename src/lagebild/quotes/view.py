"""A flat, precomputed view of a doc's tokens that the quote rules read many times.

The rules look at each token's text, lower-case form, lemma and sentence over and over;
computing them once per doc keeps the stage well above a thousand sentences a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lagebild.model import Doc
from lagebild.quotes.lexicon import Lexicon

OPENERS = {"„": '“”"', "»": "«", "«": "»", "‚": "‘’", "“": "”", '"': '"“”', "‹": "›"}
CLOSERS = frozenset('“”"«»‘’›')
END_PUNCT = frozenset({".", "!", "?", "…", "..."})
_NOT_KONJ_AFTER = frozenset({"ich", "gerne", "bitte"})  # "ich habe", "gerne hätte"


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    """A lemma when the text layer left none (pure, so a bounded cache is safe). simplemma
    is imported here, not with the module: a dossier reads quotes through this module and
    never lemmatises (its import costs ~0.07 s CPU)."""
    from lagebild.text.lemma import lemmatize

    try:
        return lemmatize(word, lang)
    except (ValueError, KeyError):
        return word


@dataclass(slots=True)
class View:
    """Token arrays of one doc, indexed by position in the doc (across sentences)."""

    lex: Lexicon
    text: list[str]
    low: list[str]
    lemma: list[str]
    sent: list[int]  # sentence number of each token
    bounds: list[tuple[int, int]]  # [first, last+1) token of each sentence
    starts: list[int]  # character offsets
    ends: list[int]

    @classmethod
    def of(cls, doc: Doc, lex: Lexicon) -> View:
        text: list[str] = []
        lemma: list[str] = []
        sent: list[int] = []
        bounds: list[tuple[int, int]] = []
        starts: list[int] = []
        ends: list[int] = []
        for si, s in enumerate(doc.sentences):
            a = len(text)
            for t in s.tokens:
                text.append(t.text)
                lemma.append(
                    t.lemma or (_lemma(t.text, lex.lang) if t.text[:1].isalpha() else t.text)
                )
                sent.append(si)
                starts.append(t.start)
                ends.append(t.end)
            bounds.append((a, len(text)))
        low = [w.lower() for w in text]
        return cls(lex, text, low, lemma, sent, bounds, starts, ends)

    def __len__(self) -> int:
        return len(self.text)

    def cap(self, i: int) -> bool:
        w = self.text[i]
        return w[:1].isupper()

    def sentence_start(self, i: int) -> int:
        return self.bounds[self.sent[i]][0]

    def sentence_end(self, i: int) -> int:
        return self.bounds[self.sent[i]][1]

    def is_konjunktiv(self, i: int) -> bool:
        """A finite verb form of reported speech: "sei", "habe", "unterstütze", "hätten"."""
        w = self.low[i]
        if w in self.lex.cls("konjunktiv"):
            return True
        if self.lex.lang != "de" or self.cap(i) or len(w) < 4 or not w.endswith("e"):
            return False
        if i > 0 and self.low[i - 1] in _NOT_KONJ_AFTER:
            return False
        lemma = self.lemma[i]
        if w.endswith(("ere", "ele")) and lemma == w[:-1] + "n":
            return True  # "fordere", "handele"
        if w.endswith("le") and lemma == w[:-2] + "eln":
            return True  # "verhandle", "sammle"
        return lemma == w + "n" and not w.endswith(("ie", "ee"))

    def konjunktiv(self) -> list[bool]:
        """``is_konjunktiv`` of every token (the same test, its lookups hoisted)."""
        forms = self.lex.cls("konjunktiv")
        low, text, lemma = self.low, self.text, self.lemma
        german = self.lex.lang == "de"
        out = []
        for i, w in enumerate(low):
            if w in forms:
                out.append(True)
                continue
            ruled_out = not german or len(w) < 4 or not w.endswith("e") or text[i][:1].isupper()
            if ruled_out or (i > 0 and low[i - 1] in _NOT_KONJ_AFTER):
                out.append(False)
            else:
                lem = lemma[i]
                out.append(
                    (w.endswith(("ere", "ele")) and lem == w[:-1] + "n")
                    or (w.endswith("le") and lem == w[:-2] + "eln")
                    or (lem == w + "n" and not w.endswith(("ie", "ee")))
                )
        return out

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """[a, b) without leading and trailing commas, colons and dashes."""
        junk = {",", ":", ";", "-", "–", "—"}
        while a < b and self.text[a] in junk:
            a += 1
        while b > a and (self.text[b - 1] in junk or self.text[b - 1] in END_PUNCT):
            b -= 1
        return a, b
