"""The NER CRFs scored from cached per-word vectors instead of attribute strings.

Most of a token's ~80 attributes depend on one word only: its own features and what it
gives the tokens up to two to its left and right (``Featurizer`` builds them as ``_Word``).
Their summed weights are the same wherever the word occurs, so a word is turned into five
score vectors once — for the silver model and the main model side by side — and a sentence
is scored by adding its words' vectors at their offsets plus the few attributes that depend
on the sentence (BOS/EOS, gazetteer phrases, quotation marks, word bigrams) and, for the
main model, the silver model's labels (stacking). Decoding runs over all sentences of a doc
at once (``lagebild.crf``). The labels equal CRFsuite's on the same model; only the order
in which weights are added differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

import numpy as np

from lagebild.crf import CrfModel
from lagebild.entities.ner.features import (
    _OPEN_QUOTES,
    _WINDOW,
    MAX_CACHED_WORDS,
    Featurizer,
    _inside_quotes,
    lemma_of,
    shape,
)
from lagebild.entities.ner.lexicon import phrase_matches, phrase_starts, trigger_class
from lagebild.text.lemma import is_known

_BUCKETS = ("l", "m", "h")  # silver confidence below 0.6, below 0.9, from 0.9 (features._bucket)
# attributes set by the sentence, not by one word; scored through a table of their own
_CONTEXT_PREFIXES = (
    "BOS",
    "EOS",
    "inq",
    "qstart",
    "gm=",
    "gm[-1]=",
    "gm[1]=",
    "w[-1]|w=",
    "w|w[1]=",
)


@dataclass
class StackedScorer:
    """Labels sentences with ``main`` reading ``silver``'s labels (when there is one)."""

    featurizer: Featurizer
    main: CrfModel
    silver: CrfModel | None = None
    _ids: dict[tuple[str, str | None], int] = field(default_factory=dict, repr=False)
    _context: dict[str, int] = field(default_factory=dict, repr=False)  # -> row of _weights

    def __post_init__(self) -> None:
        n_s = 0 if self.silver is None else self.silver.size
        self._split = n_s
        # every attribute either model knows -> one row of silver then main scores, and a
        # row of zeros last (see ``_summed``): one lookup per attribute serves both models
        models = [m for m in (self.silver, self.main) if m is not None]
        union: dict[str, int] = {}
        for m in models:
            for a in m.attrs:
                union.setdefault(a, len(union))
        weights = np.zeros((len(union) + 1, n_s + self.main.size))
        col = 0
        for m in models:
            rows = np.fromiter((union[a] for a in m.attrs), dtype=np.intp, count=len(m.attrs))
            ids = np.fromiter(m.attrs.values(), dtype=np.intp, count=len(m.attrs))
            weights[rows, col : col + m.size] = m.weights[ids]
            col += m.size
        self._union = union
        self._rows = WordRows(self.featurizer, union, len(weights) - 1)
        self._firsts = phrase_starts(self.featurizer.lexicon.phrases)
        self._weights = weights
        # a word's five score vectors (silver + main labels), by the row in ``_ids``; the
        # last row is never a word's and stays zero (the neighbour outside the sentence)
        self._table = np.zeros((1024, 5, n_s + self.main.size))
        self._context = {a: i for a, i in union.items() if a.startswith(_CONTEXT_PREFIXES)}
        self._ctx = _ContextRows(self._context)
        if self.silver is not None:
            self._stack_tables(self.silver, self.main)

    def _stack_tables(self, silver: CrfModel, main: CrfModel) -> None:
        """Main-model scores of the stacked attributes, indexed by silver label ids."""
        labs = silver.labels
        vec = main.vector
        self._sv = np.array([vec([f"sv={a}"]) for a in labs])
        self._svp = np.array([[vec([f"svp={a}|{b}"]) for b in _BUCKETS] for a in labs])
        self._sv_prev = np.array([vec([f"sv[-1]={a}"]) for a in labs])
        self._sv_pair = np.array([[vec([f"sv[-1]|sv={a}|{b}"]) for b in labs] for a in labs])
        self._sv_next = np.array([vec([f"sv[1]={a}"]) for a in labs])

    def _word_ids(self, keys: list[tuple[str, str | None]]) -> np.ndarray:
        """Rows of ``_table`` for (word, lemma) pairs; words not seen yet are featurised and
        scored together: one weight lookup per model for all of them."""
        ids = self._ids
        get = ids.get
        found = [get(key) for key in keys]
        if None in found:
            # first occurrences, in order
            new = {key: None for key, i in zip(keys, found, strict=True) if i is None}
            if len(ids) + len(new) > MAX_CACHED_WORDS:
                ids.clear()
                new = dict.fromkeys(keys)
            self._add_words(list(new))
            found = [ids[key] for key in keys]
        return np.array(found, dtype=np.intp)

    def _add_words(self, new: list[tuple[str, str | None]]) -> None:
        rows = self._rows
        parts: list[list[int]] = []
        for word, lemma in new:
            parts.extend(rows.of(word, lemma))
        block = _summed_rows(self._weights, parts).reshape(len(new), 5, -1)
        start = len(self._ids)
        end = start + len(new)
        if end >= len(self._table):  # keep the zero row last
            grown = np.zeros((max(end + 1, 2 * len(self._table)), *self._table.shape[1:]))
            grown[:start] = self._table[:start]
            self._table = grown
        self._table[start:end] = block
        for i, key in enumerate(new, start):
            self._ids[key] = i

    def scores(self, sentences: Sequence[tuple[list[str], list[str] | None]]) -> np.ndarray:
        """Silver + main state scores without the stacked part, all tokens of all sentences."""
        n = sum(len(w) for w, _ in sentences)
        keys = [
            (w, None if lemmas is None else lemmas[i])
            for words, lemmas in sentences
            for i, w in enumerate(words)
        ]
        rows = self._word_ids(keys)  # may grow the table: index it after
        ctx_at: list[int] = []
        ctx_rows: list[int] = []  # rows of ``_weights``: one gather, not a list of vectors
        cx = self._ctx
        bos, eos, inq, qstart = cx.bos, cx.eos, cx.inq, cx.qstart
        gm, gm_prev, gm_next = cx.gm, cx.gm_prev, cx.gm_next
        pair_next = cx.pair_next.get
        no_pair = (None, None)
        phrases = self.featurizer.lexicon.phrases
        k = 0
        for words, _ in sentences:
            m = len(words)
            gaz = phrase_matches(words, phrases, self._firsts)
            quoted = _inside_quotes(words)
            lows = [w.lower() for w in words]
            # the rows of "w[-1]|w=a|b" (for b's token) and "w|w[1]=a|b" (for a's), per pair
            pairs = [
                no_pair if (after := pair_next(a)) is None else after.get(b, no_pair)
                for a, b in pairwise(lows)
            ]
            special = any(gaz) or any(quoted)
            for i in range(m):
                # a token's rows in the order its attribute names were listed before (the
                # order fixes the floating-point sums): BOS, EOS, gm, inq, qstart, gm[-1],
                # w[-1]|w, gm[1], w|w[1]
                at = k + i
                if i == 0 and bos is not None:
                    ctx_at.append(at)
                    ctx_rows.append(bos)
                if i == m - 1 and eos is not None:
                    ctx_at.append(at)
                    ctx_rows.append(eos)
                if special:
                    if gaz[i]:
                        r = gm.get(gaz[i])
                        if r is not None:
                            ctx_at.append(at)
                            ctx_rows.append(r)
                    if quoted[i]:
                        if inq is not None:
                            ctx_at.append(at)
                            ctx_rows.append(inq)
                        if i > 0 and words[i - 1] in _OPEN_QUOTES and qstart is not None:
                            ctx_at.append(at)
                            ctx_rows.append(qstart)
                if i >= 1:
                    if special and gaz[i - 1]:
                        r = gm_prev.get(gaz[i - 1])
                        if r is not None:
                            ctx_at.append(at)
                            ctx_rows.append(r)
                    r = pairs[i - 1][0]
                    if r is not None:
                        ctx_at.append(at)
                        ctx_rows.append(r)
                if i + 1 < m:
                    if special and gaz[i + 1]:
                        r = gm_next.get(gaz[i + 1])
                        if r is not None:
                            ctx_at.append(at)
                            ctx_rows.append(r)
                    r = pairs[i][1]
                    if r is not None:
                        ctx_at.append(at)
                        ctx_rows.append(r)
            k += m
        pos = _positions([len(w) for w, _ in sentences])
        table = self._table
        out = table[rows, 0]
        # each token's neighbours' rows; the zero row where the neighbour is outside the
        # sentence (adding 0.0 changes no sum)
        padded = np.append(rows, len(table) - 1)
        idx = np.arange(n)
        lens = _lengths_at(sentences, n)
        for part, d in ((1, -2), (2, -1), (3, 1), (4, 2)):
            # part p of the word d tokens away from each token, where both share a sentence
            ok = (pos + d >= 0) & (pos + d < lens)
            out += table[padded[np.where(ok, idx + d, n)], part]
        if ctx_at:
            np.add.at(out, np.array(ctx_at), self._weights[ctx_rows])
        return out

    def tag(self, sentences: Sequence[tuple[list[str], list[str] | None]]) -> list[list[str]]:
        """Main-model labels of every sentence (each a list of words and optional lemmas)."""
        return [labels for labels, _ in self.tag_scored(sentences, marginals=False)]

    def tag_scored(
        self, sentences: Sequence[tuple[list[str], list[str] | None]], marginals: bool = True
    ) -> list[tuple[list[str], list[float]]]:
        """(labels, each label's marginal probability) per sentence; no probabilities (an
        empty list) with ``marginals=False`` or for a sentence without a name (all O)."""
        sentences = [s for s in sentences]
        lengths = [len(w) for w, _ in sentences]
        if not any(lengths):
            return [([], []) for _ in sentences]
        both = self.scores(sentences)
        main = both[:, self._split :]
        if self.silver is not None:
            main = main + self._stacked(both[:, : self._split], lengths)
        labels = self.main.labels
        paths = self.main.viterbi(main, lengths)
        out = [([labels[y] for y in path], []) for path in paths]
        named = [i for i, (lab, _) in enumerate(out) if lab.count("O") < len(lab)]
        if marginals and named:  # forward-backward only over the sentences with a name
            starts = np.cumsum([0, *lengths])
            rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in named])
            sub = [lengths[i] for i in named]
            marg = self.main.marginals(main[rows], sub)
            y = np.fromiter((t for i in named for t in paths[i]), dtype=np.intp, count=len(rows))
            p = marg[np.arange(len(rows)), y]
            at = 0
            for i, n in zip(named, sub, strict=True):
                out[i] = (out[i][0], p[at : at + n].tolist())
                at += n
        return out

    def _stacked(self, silver_scores: np.ndarray, lengths: list[int]) -> np.ndarray:
        """Main-model scores of the silver labels (``features.add_stacked``)."""
        assert self.silver is not None
        paths = self.silver.viterbi(silver_scores, lengths)
        y = np.fromiter((t for p in paths for t in p), dtype=np.intp, count=len(silver_scores))
        marg = self.silver.marginals(silver_scores, lengths)
        p = marg[np.arange(len(y)), y]
        bucket = np.where(p >= 0.9, 2, np.where(p >= 0.6, 1, 0))
        out = self._sv[y] + self._svp[y, bucket]
        pos = _positions(lengths)
        lens = np.repeat(np.asarray(lengths, dtype=np.intp), lengths)
        has_prev = np.nonzero(pos > 0)[0]
        out[has_prev] += (
            self._sv_prev[y[has_prev - 1]] + self._sv_pair[y[has_prev - 1], y[has_prev]]
        )
        has_next = np.nonzero(pos + 1 < lens)[0]
        out[has_next] += self._sv_next[y[has_next + 1]]
        return out


class _ContextRows:
    """The rows of the attributes a sentence sets (``_CONTEXT_PREFIXES``), found without
    spelling the names: the flags by name, the gazetteer families by their value, and both
    bigram families ("w[-1]|w=a|b" at b's token, "w|w[1]=a|b" at a's) under one key "a|b",
    so a pair of words is joined and hashed once instead of twice per family."""

    def __init__(self, context: dict[str, int]) -> None:
        self.bos = context.get("BOS")
        self.eos = context.get("EOS")
        self.inq = context.get("inq")
        self.qstart = context.get("qstart")
        self.gm = _family(context, "gm=")
        self.gm_prev = _family(context, "gm[-1]=")
        self.gm_next = _family(context, "gm[1]=")
        before = _family(context, "w[-1]|w=")
        after = _family(context, "w|w[1]=")
        pairs = {v: (before.get(v), after.get(v)) for v in before.keys() | after.keys()}
        # by the first word, then the second: "a|b" split at each "|" (a word may hold one),
        # so no "a|b" is built per token pair; a lookup (a, b) finds the rows of "a|b" only
        self.pair_next: dict[str, dict[str, tuple[int | None, int | None]]] = {}
        for v, r in pairs.items():
            at = v.find("|")
            while at >= 0:
                self.pair_next.setdefault(v[:at], {})[v[at + 1 :]] = r
                at = v.find("|", at + 1)


def _family(context: dict[str, int], prefix: str) -> dict[str, int]:
    """Value -> row of the attributes named ``prefix`` + value."""
    return {a[len(prefix) :]: r for a, r in context.items() if a.startswith(prefix)}


def _summed(index: dict[str, int], weights: np.ndarray, parts: list[tuple[str, ...]]) -> np.ndarray:
    """Per attribute list, the summed weight rows of the attributes in ``index`` (others
    score nothing, as in CRFsuite; a repeated attribute counts as often as it occurs)."""
    zero = len(weights) - 1
    get = index.get
    return _summed_rows(
        weights, [[zero, *[r for r in map(get, attrs) if r is not None]] for attrs in parts]
    )


def _summed_rows(weights: np.ndarray, parts: list[list[int]]) -> np.ndarray:
    """Per row list, the sum of those weight rows, in list order. Every list starts with the
    last row, all zeros, so none is empty (``reduceat`` would return the next list's first
    row for an empty one); adding 0.0 changes no sum."""
    rows: list[int] = []
    starts: list[int] = []
    for part in parts:
        starts.append(len(rows))
        rows.extend(part)
    return np.add.reduceat(weights[rows], starts, axis=0)


class WordRows:
    """A word's five attribute lists (``Featurizer.word_parts``) as the weight rows of the
    attributes the models know, without spelling the attributes out.

    Most attributes are a family prefix and a value ("w=" + the lower-cased word, "sh[-1]=" +
    its shape): each family is a dict from value to row, so a lookup hashes the value, which
    the word's other lookups share, instead of a new string. The rows come in the order of
    ``word_parts``' attributes, each list led by the zero row (``_summed``), so the sums are
    the same to the last bit; ``tests/entities/test_ner_rows.py`` checks it word by word."""

    _FAMILIES = (
        "w=", "l=", "sh=", "s2=", "s3=", "s4=", "p3=", "len=", "hh=", "c=", "cc=", "trig=",
        "w[-2]=", "w[-1]=", "sh[-1]=", "w[1]=", "sh[1]=", "w[2]=",
    )  # fmt: skip

    def __init__(self, featurizer: Featurizer, union: dict[str, int], zero: int) -> None:
        self.featurizer = featurizer
        self.union = union
        self.zero = zero
        fam: dict[str, dict[str, int]] = {f: {} for f in self._FAMILIES}
        for a, r in union.items():
            head, eq, value = a.partition("=")
            table = fam.get(head + eq) if eq else None
            if table is not None:
                table[value] = r
        self.fam = fam
        # each family's table and each flag's row as an attribute, not looked up by name per
        # word: ``of`` runs for every word the scorer has not seen yet (~a third of the
        # tagger's time over the first 300 articles of a process)
        self._w, self._l, self._sh = fam["w="], fam["l="], fam["sh="]
        self._s2, self._s3, self._s4, self._p3 = fam["s2="], fam["s3="], fam["s4="], fam["p3="]
        self._hh = fam["hh="]
        self._wm2, self._wm1 = fam["w[-2]="], fam["w[-1]="]
        self._wp1, self._wp2 = fam["w[1]="], fam["w[2]="]
        self._shm1, self._shp1 = fam["sh[-1]="], fam["sh[1]="]
        self.flags = {f: union.get(f) for f in ("bias", "cap", "known", "infl", "allcaps", "hyph")}
        self._bias, self._cap, self._kn = self.flags["bias"], self.flags["cap"], self.flags["known"]
        self._infl, self._allcaps = self.flags["infl"], self.flags["allcaps"]
        self._hyph = self.flags["hyph"]
        self.lengths = [union.get(f"len={k}") for k in range(13)]
        self._embed: dict[str, list[int]] = {}  # an e5 cluster path -> rows of "e{i}=…"
        # an attribute a word gives itself and its neighbours (gazetteer entries, "gen" forms,
        # clusters, trigger classes) -> its rows (``_Spread``), so the neighbours' names
        # ("-1" + attribute, …) are spelled and looked up once per attribute, not per word
        self._spread: dict[str, _Spread] = {}
        self._clusters: dict[str, tuple[int | None, int | None, _Spread]] = {}

    def _spread_of(self, attr: str) -> _Spread:
        out = self._spread.get(attr)
        if out is None:
            get = self.union.get
            window = attr[:2] in _WINDOW
            trig = attr.startswith("trig=")
            out = _Spread(
                get(attr),
                get("-1" + attr) if window else None,
                get("1" + attr) if window else None,
                get("-2" + attr) if trig else None,
                get("2" + attr) if trig else None,
            )
            self._spread[attr] = out
        return out

    def of(self, word: str, lemma: str | None = None) -> tuple[list[int], ...]:
        """(own, to the word two to the right, to the next, to the previous, to the word two
        to the left): the rows of ``word_parts(word, lemma)``, each led by the zero row."""
        lex = self.featurizer.lexicon
        sh = shape(word)
        low = word.lower()
        if lemma is None:
            lemma = lemma_of(word)
        llow = lemma.lower()
        zero = self.zero
        found = [
            zero, self._bias, self._w.get(low), self._l.get(llow), self._sh.get(sh),
            self._s2.get(low[-2:]), self._s3.get(low[-3:]), self._s4.get(low[-4:]),
            self._p3.get(low[:3]), self.lengths[min(len(word), 12)],
        ]  # fmt: skip
        first = word[:1]
        upper = first.isupper()
        if upper:
            found.append(self._cap)
            if first.isalpha() and is_known(word, "de"):
                found.append(self._kn)
            if low != llow:
                found.append(self._infl)
        if word.isupper() and len(word) > 1:
            found.append(self._allcaps)
        if "-" in word[1:]:
            found.append(self._hyph)
            head = word.rsplit("-", 1)[-1]
            if head:
                found.append(self._hh.get(head.lower()))
        # the neighbours' lists: the window attributes (gazetteer, clusters, triggers) go to
        # the next and previous word, the trigger classes also two words away (``_WINDOW``)
        prev1 = [zero]
        next1 = [zero]
        prev2 = [zero]
        next2 = [zero]
        r = self._wm2.get(low)
        if r is not None:
            prev2.append(r)
        r = self._wp2.get(low)
        if r is not None:
            next2.append(r)
        r = self._wm1.get(low)
        if r is not None:
            prev1.append(r)
        r = self._shm1.get(sh)
        if r is not None:
            prev1.append(r)
        r = self._wp1.get(low)
        if r is not None:
            next1.append(r)
        r = self._shp1.get(sh)
        if r is not None:
            next1.append(r)
        spread = self._spread_of
        gaz = lex.words.get(word)
        if gaz:
            for x in gaz:
                _spread_into(spread(x), found, prev1, next1, prev2, next2)
        elif upper and word.endswith("s") and len(word) > 4:
            stem = lex.words.get(word[:-1]) or lex.words.get(word[:-2])
            for x in stem or ():
                if x.startswith("g:"):
                    _spread_into(spread("gen" + x), found, prev1, next1, prev2, next2)
        cl = lex.clusters.get(word) or lex.clusters.get(low)
        if cl:
            rows = self._clusters.get(cl)
            if rows is None:
                fine, _, coarse = cl.partition(".")
                rows = (self.fam["c="].get(fine), self.fam["cc="].get(coarse), spread("c=" + fine))
                self._clusters[cl] = rows
            found.append(rows[0])
            found.append(rows[1])
            _spread_into(rows[2], None, prev1, next1, prev2, next2)
        emb = lex.embed_clusters.get(word)
        if emb:
            erows = self._embed.get(emb)
            if erows is None:
                erows = [self.union.get(f"e{i}={c}") for i, c in enumerate(emb.split("."))]
                self._embed[emb] = erows
            found.extend(erows)
        tc = trigger_class(word)
        if tc:
            _spread_into(spread("trig=" + tc), found, prev1, next1, prev2, next2)
        return [r for r in found if r is not None], prev2, prev1, next1, next2


class _Spread(NamedTuple):
    """The rows of one attribute: its own, and those of the names the neighbours read it by
    ("-1" / "1" + it when it is a window attribute, "-2" / "2" + it when a trigger class)."""

    own: int | None
    prev1: int | None
    next1: int | None
    prev2: int | None
    next2: int | None


def _spread_into(
    s: _Spread, found: list[int | None] | None, prev1: list[int], next1: list[int],
    prev2: list[int], next2: list[int],
) -> None:  # fmt: skip
    """Add an attribute's rows to a word's own list (when given) and to its neighbours'."""
    if found is not None:
        found.append(s.own)
    if s.prev1 is not None:
        prev1.append(s.prev1)
    if s.next1 is not None:
        next1.append(s.next1)
    if s.prev2 is not None:
        prev2.append(s.prev2)
    if s.next2 is not None:
        next2.append(s.next2)


def _positions(lengths: Sequence[int]) -> np.ndarray:
    """Each token's position within its sentence."""
    total = sum(lengths)
    starts = np.repeat(np.cumsum([0, *lengths[:-1]]), lengths) if lengths else np.zeros(0, int)
    return np.arange(total) - starts


def _lengths_at(sentences: Sequence[tuple[list[str], list[str] | None]], n: int) -> np.ndarray:
    lengths = [len(w) for w, _ in sentences]
    return np.repeat(np.asarray(lengths, dtype=np.intp), lengths) if n else np.zeros(0, np.intp)


__all__ = ["StackedScorer", "WordRows"]
