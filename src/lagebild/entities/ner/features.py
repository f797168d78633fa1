"""Token features for the CRF, computed from word strings alone.

Training sees gold tokenisation and inference sees ``lagebild.text`` tokens, so features
use only what both have: the word, its simplemma lemma, shape, affixes, casing, the
gazetteer and cluster tables of the model, trigger words before it, whether it sits inside
quotation marks, and the same for a window of two tokens either side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagebild.entities.ner.lexicon import Lexicon, phrase_matches, trigger_class
from lagebild.text.lemma import is_known, lemmatize

_OPEN_QUOTES = {"„", "»", "«", "“", '"', "‚", "‹"}
_CLOSE_QUOTES = {"“", "”", "«", "»", '"', "‘", "›"}
# per-word features also given to the neighbours (gazetteer, word statistics, clusters, triggers)
_WINDOW = frozenset(("g:", "g+", "gf", "gl", "ge", "gO", "lc", "c=", "tr"))


def shape(word: str) -> str:
    """Word shape with runs collapsed: "Kim-Jong" -> "Xx-Xx", "A66" -> "Xd", "dpa" -> "x"."""
    out = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def lemma_of(word: str) -> str:
    """The lemma the text layer gives a token (simplemma, surface form for non-words)."""
    if word[:1].isalpha():
        return lemmatize(word, "de")
    return word


# distinct words (with their lemma) whose features a Featurizer keeps; past this the cache
# starts again, so a process that reads millions of articles does not grow with their vocabulary
MAX_CACHED_WORDS = 200_000


@dataclass(frozen=True, slots=True)
class _Word:
    """One word's features: its own, and those it gives its neighbours (prefixed as they read
    them), so a sentence is assembled from cached tuples."""

    base: tuple[str, ...]
    prev2: tuple[str, ...]  # to the word two to the right: "w[-2]=…" and its triggers
    prev1: tuple[str, ...]  # to the next word: "w[-1]=…", "sh[-1]=…", window features
    next1: tuple[str, ...]
    next2: tuple[str, ...]


@dataclass
class Featurizer:
    """Turns a tokenised sentence into CRFsuite attribute lists; caches per-word work."""

    lexicon: Lexicon
    stack: Any = None  # a pycrfsuite.Tagger trained on the silver pool (stacked features)
    _word_cache: dict[str, _Word] = field(default_factory=dict, repr=False)

    def word_features(self, word: str, lemma: str | None = None) -> tuple[str, ...]:
        """Context-free features of one word (cached: news text repeats its words)."""
        return self._word(word, lemma).base

    def _word(self, word: str, lemma: str | None) -> _Word:
        key = word if lemma is None else f"{word}\x00{lemma}"
        hit = self._word_cache.get(key)
        if hit is not None:
            return hit
        out = self.word_parts(word, lemma)
        if len(self._word_cache) >= MAX_CACHED_WORDS:
            self._word_cache.clear()
        self._word_cache[key] = out
        return out

    def word_parts(self, word: str, lemma: str | None = None) -> _Word:
        """One word's own attributes and those it gives its neighbours (not cached)."""
        sh = shape(word)
        base = self._features(word, lemma, sh)
        low = word.lower()
        window = [x for x in base if x[:2] in _WINDOW]
        trig = [x for x in base if x.startswith("trig=")]
        return _Word(
            base,
            (f"w[-2]={low}", *(f"-2{x}" for x in trig)),
            (f"w[-1]={low}", f"sh[-1]={sh}", *(f"-1{x}" for x in window)),
            (f"w[1]={low}", f"sh[1]={sh}", *(f"1{x}" for x in window)),
            (f"w[2]={low}", *(f"2{x}" for x in trig)),
        )

    def _features(self, word: str, lemma: str | None, sh: str) -> tuple[str, ...]:
        low = word.lower()
        if lemma is None:
            lemma = lemma_of(word)
        feats = [
            "bias",
            "w=" + low,
            "l=" + lemma.lower(),
            "sh=" + sh,
            "s2=" + low[-2:],
            "s3=" + low[-3:],
            "s4=" + low[-4:],
            "p3=" + low[:3],
            "len=" + str(min(len(word), 12)),
        ]
        if word[:1].isupper():
            feats.append("cap")
            if word[:1].isalpha() and is_known(word, "de"):
                feats.append("known")
            if low != lemma.lower():
                feats.append("infl")
        if word.isupper() and len(word) > 1:
            feats.append("allcaps")
        if "-" in word[1:]:
            feats.append("hyph")
            head = word.rsplit("-", 1)[-1]
            if head:
                feats.append("hh=" + head.lower())
        lex = self.lexicon
        gaz = lex.words.get(word)
        if gaz:
            feats.extend(gaz)
        elif word[:1].isupper() and word.endswith("s") and len(word) > 4:
            # genitive of a known name: "Griechenlands", "Atlantiks", "Putins"
            stem = lex.words.get(word[:-1]) or lex.words.get(word[:-2])
            feats.extend("gen" + x for x in stem or () if x.startswith("g:"))
        cl = lex.clusters.get(word) or lex.clusters.get(low)
        if cl:
            fine, _, coarse = cl.partition(".")
            feats.append("c=" + fine)
            feats.append("cc=" + coarse)
        emb = lex.embed_clusters.get(word)
        if emb:
            feats.extend(f"e{i}={c}" for i, c in enumerate(emb.split(".")))
        trig = trigger_class(word)
        if trig:
            feats.append("trig=" + trig)
        return tuple(feats)

    def sentence(self, words: list[str], lemmas: list[str] | None = None) -> list[list[str]]:
        """CRFsuite attributes for every token of one sentence (plus stacked silver labels)."""
        out = self.plain(words, lemmas)
        if self.stack is not None and out:
            add_stacked(out, self.stack)
        return out

    def plain(self, words: list[str], lemmas: list[str] | None = None) -> list[list[str]]:
        """The attributes without stacked features (what the silver model itself reads)."""
        n = len(words)
        info = [self._word(w, None if lemmas is None else lemmas[i]) for i, w in enumerate(words)]
        lows = [w.lower() for w in words]
        gaz = phrase_matches(words, self.lexicon.phrases)
        quoted = _inside_quotes(words)
        out: list[list[str]] = []
        for i in range(n):
            f = list(info[i].base)
            if i == 0:
                f.append("BOS")
            if i == n - 1:
                f.append("EOS")
            if gaz[i]:
                f.append("gm=" + gaz[i])
            if quoted[i]:
                f.append("inq")
                if i > 0 and words[i - 1] in _OPEN_QUOTES:
                    f.append("qstart")
            if i >= 2:
                f.extend(info[i - 2].prev2)
            if i >= 1:
                f.extend(info[i - 1].prev1)
                if gaz[i - 1]:
                    f.append(f"gm[-1]={gaz[i - 1]}")
            if i + 1 < n:
                f.extend(info[i + 1].next1)
                if gaz[i + 1]:
                    f.append(f"gm[1]={gaz[i + 1]}")
            if i + 2 < n:
                f.extend(info[i + 2].next2)
            if i > 0:
                f.append(f"w[-1]|w={lows[i - 1]}|{lows[i]}")
            if i + 1 < n:
                f.append(f"w|w[1]={lows[i]}|{lows[i + 1]}")
            out.append(f)
        return out


def _bucket(p: float) -> str:
    return "h" if p >= 0.9 else "m" if p >= 0.6 else "l"


def add_stacked(feats: list[list[str]], stack: Any) -> None:
    """Append the silver model's label and confidence per token, and its neighbours' labels.

    The silver model was trained on out-of-domain sentences only; the gold-trained CRF learns
    how far to trust it (stacking, where mixing silver sentences into training hurt).
    """
    labels = stack.tag(feats)
    n = len(labels)
    for i, lab in enumerate(labels):
        f = feats[i]
        f.append("sv=" + lab)
        f.append(f"svp={lab}|{_bucket(stack.marginal(lab, i))}")
        if i > 0:
            f.append(f"sv[-1]={labels[i - 1]}")
            f.append(f"sv[-1]|sv={labels[i - 1]}|{lab}")
        if i + 1 < n:
            f.append(f"sv[1]={labels[i + 1]}")


def _inside_quotes(words: list[str]) -> list[bool]:
    """Whether each token sits between an opening and a closing quotation mark."""
    out = [False] * len(words)
    open_at = -1
    for i, w in enumerate(words):
        if open_at < 0 and w in _OPEN_QUOTES:
            open_at = i
        elif open_at >= 0 and w in _CLOSE_QUOTES:
            for j in range(open_at + 1, i):
                out[j] = True
            open_at = -1
    return out
