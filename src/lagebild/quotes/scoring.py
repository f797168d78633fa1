"""The quote CRF's state scores of a doc without spelling its features as strings.

``features`` gives every token ~21 attribute strings for CRFsuite (~10,000 per doc), and
python-crfsuite converts and hashes each again; building and looking them up was most of
the quote tagger's cost. ``QuoteScorer`` adds up the same attributes' weights from cached
vectors instead: per distinct word (its own attributes, and the word attribute it gives each
neighbour), per combination of a token's context values (rule role and construction, cue,
grade, Konjunktiv, quotation, sentence edges, cue distances, commas), per sentence and per
neighbour role. Only the word bigram and the cue-lemma attributes are still looked up as
strings. The scores equal ``model.sequence_scores(features(...))`` up to the order in which
weights are added (``tests/quotes/test_scoring_paths.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np

from lagebild.crf import CrfModel
from lagebild.quotes.extract import Attribution
from lagebild.quotes.features import _bucket, _shape, facts, word_flags
from lagebild.quotes.view import View

NEAR = (-2, -1, 1, 2)
# the families of ``word_head``'s valued attributes and of "{d}w="
_WORD_FAMILIES = ("w=", "l=", "s3=", "sh=", *(f"{d}w=" for d in NEAR))
# distinct (word, lemma) pairs whose vectors a scorer keeps; past this it starts again
MAX_CACHED_WORDS = 100_000


class QuoteScorer:
    """State scores of a doc for one quote CRF (see the module docstring)."""

    def __init__(self, model: CrfModel) -> None:
        self.model = model
        self._zero = np.zeros(model.size)
        self._words: dict[tuple[str, str], int] = {}
        self._word_vecs = np.zeros((1024, 1 + len(NEAR), model.size))
        self._combos: dict[tuple, int] = {}
        self._combo_vecs = np.zeros((256, model.size))
        # what a token gives its neighbour d away ("{d}r=", "{d}cue", "{d}konj"), per
        # (role, cue, Konjunktiv), one column per d of ``NEAR``
        self._nears: dict[tuple[str, bool, bool], int] = {}
        self._near_vecs = np.zeros((16, len(NEAR), model.size))
        self._outside = [self._vec([f"{d}w=<S>"]) for d in NEAR]
        # the word bigram attributes "bi=a|b" by their value "a|b"
        self._bigrams = {a[3:]: r for a, r in model.attrs.items() if a.startswith("bi=")}
        # a word's own and its neighbours' word attributes by family and value ("w=" + low
        # is family "w=", value low): a new word's rows without spelling its attributes
        fam: dict[str, dict[str, int]] = {f: {} for f in _WORD_FAMILIES}
        for a, r in model.attrs.items():
            eq = a.find("=")
            table = fam.get(a[: eq + 1]) if eq >= 0 else None
            if table is not None:
                table[a[eq + 1 :]] = r
        self._fam = fam
        self._near_fams = [fam[f"{d}w="] for d in NEAR]

    def _vec(self, attrs: Sequence[str]) -> np.ndarray:
        return self.model.vector(attrs) if attrs else self._zero

    def _combo(self, key: tuple, attrs: Sequence[str]) -> int:
        i = self._combos.get(key)
        if i is None:
            i = self._combos[key] = len(self._combos)
            if i == len(self._combo_vecs):
                self._combo_vecs = np.vstack([self._combo_vecs, np.zeros_like(self._combo_vecs)])
            self._combo_vecs[i] = self._vec(attrs)
        return i

    def _near(self, key: tuple[str, bool, bool]) -> int:
        i = self._nears[key] = len(self._nears)
        if i == len(self._near_vecs):
            self._near_vecs = np.concatenate([self._near_vecs, np.zeros_like(self._near_vecs)])
        role, cue, konj = key
        for k, d in enumerate(NEAR):
            attrs = [f"{d}r={role}"]
            if cue:
                attrs.append(f"{d}cue")
            if konj:
                attrs.append(f"{d}konj")
            self._near_vecs[i, k] = self._vec(attrs)
        return i

    def _add_words(self, v: View, first: dict[tuple[str, str], int]) -> None:
        """Vectors of words not seen yet (``first``: key -> a position of the word), all
        looked up in one pass: the rows of ``word_head`` + ``word_flags`` and of each
        neighbour's "{d}w=" attribute, in that order, found by family and value."""
        fam = self._fam
        words, lemmas, shapes, suffixes = fam["w="], fam["l="], fam["sh="], fam["s3="]
        near = self._near_fams
        get = self.model.attrs.get  # the constant attributes: "b" and ``word_flags``'
        bias = get("b")
        rows: list[int] = []
        owner: list[int] = []
        k = 0
        for t in first.values():
            w, low, lemma = v.text[t], v.low[t], v.lemma[t]
            found = [
                bias, words.get(low), lemmas.get(lemma), suffixes.get(low[-3:]),
                shapes.get(_shape(w)), *map(get, word_flags(w, low, v.lex)),
            ]  # fmt: skip
            for r in found:
                if r is not None:
                    rows.append(r)
                    owner.append(k)
            k += 1
            for table in near:
                r = table.get(low)
                if r is not None:
                    rows.append(r)
                    owner.append(k)
                k += 1
        block = self.model.summed_rows(rows, owner, k).reshape(len(first), 1 + len(NEAR), -1)
        start = len(self._words)
        end = start + len(first)
        if end > len(self._word_vecs):
            grown = np.zeros((max(end, 2 * len(self._word_vecs)), *self._word_vecs.shape[1:]))
            grown[:start] = self._word_vecs[:start]
            self._word_vecs = grown
        self._word_vecs[start:end] = block
        for i, key in enumerate(first, start):
            self._words[key] = i

    def scores(
        self, v: View, atts: Sequence[Attribution], learned: Mapping[str, str] | None = None
    ) -> np.ndarray:
        """State scores (tokens, labels) of the doc behind ``v``: the weights of
        ``features(v, atts, learned)`` summed per token."""
        n = len(v)
        if n == 0:
            return np.zeros((0, self.model.size))
        if len(self._words) + n > MAX_CACHED_WORDS:
            self._words.clear()  # never within a doc: its word ids must stay valid
        fx = facts(v, atts, learned)
        konj, grade, iscue, quoted = fx.konj, fx.grade, fx.iscue, fx.quoted
        role, kind, frag = fx.role, fx.kind, fx.frag
        prev_cue, next_cue, commas = fx.prev_cue, fx.next_cue, fx.commas_before
        lows, lemmas, sent, bounds = v.low, v.lemma, v.sent, v.bounds
        combo, combos = self._combo, self._combos
        # bigram and cue-lemma attributes: model rows per token (``extra_at`` / ``extra_rows``)
        get = self.model.attrs.get
        extra_at: list[int] = []
        extra_rows: list[int] = []
        # a cue's attributes for a token depend only on the side and the commas between them
        cue_rows: dict[tuple[int, bool, int], list[int]] = {}
        sent_ids = [combo(("sent", attrs), attrs) for attrs in fx.sent_attrs]  # per sentence
        words = self._words
        keys = list(zip(v.text, lemmas, strict=True))
        first: dict[tuple[str, str], int] = {}
        for i, key in enumerate(keys):
            if key not in words and key not in first:
                first[key] = i
        if first:
            self._add_words(v, first)
        word_ids = [words[key] for key in keys]
        # each token's context combination, built column by column and zipped (same keys
        # as token by token, in less time)
        starts = [bounds[s][0] for s in sent]
        ends = [bounds[s][1] - 1 for s in sent]
        bucket = _bucket_of
        ctx_keys = zip(
            role, kind, frag, iscue, grade, konj, quoted,
            [i == s for i, s in enumerate(starts)],
            [i == e for i, e in enumerate(ends)],
            [bucket(i - p) if p >= 0 else "" for i, p in enumerate(prev_cue)],
            [min(2, commas[i] - commas[p]) if p >= 0 else -1 for i, p in enumerate(prev_cue)],
            [bucket(q - i) if q >= 0 else "" for i, q in enumerate(next_cue)],
            [min(2, commas[q] - commas[i]) if q >= 0 else -1 for i, q in enumerate(next_cue)],
            [min(3, commas[i]) for i in range(n)],
            strict=False,
        )  # fmt: skip
        get_combo = combos.get
        own = [
            c if (c := get_combo(key)) is not None else combo(key, _own_attrs(key))
            for key in ctx_keys
        ]
        # what the token gives a neighbour: role, cue, Konjunktiv (all d at once)
        get_near = self._nears.get
        nb = [
            c if (c := get_near(key)) is not None else self._near(key)
            for key in zip(role, iscue, konj, strict=False)
        ]
        sent_cues = fx.sent_cues
        for i in range(n):  # a token's cue attributes first, its bigram after (sum order)
            cues = sent_cues[sent[i]]
            if not cues:
                continue
            for j in cues:
                if j != i:
                    ck = (j, j < i, min(abs(commas[j] - commas[i]), 2))
                    rows = cue_rows.get(ck)
                    if rows is None:
                        side = "<" if j < i else ">"
                        k = ck[2]
                        attrs = (f"sc={lemmas[j]}{side}{k}", f"sg={grade[j]}{side}{k}")
                        rows = [r for r in map(get, attrs) if r is not None]
                        cue_rows[ck] = rows
                    for r in rows:
                        extra_at.append(i)
                        extra_rows.append(r)
        bigram = self._bigrams.get
        for i, r in enumerate(map(bigram, [x + "|" + y for x, y in pairwise(lows)]), 1):
            if r is not None and i > starts[i]:
                extra_at.append(i)
                extra_rows.append(r)
        wids = np.asarray(word_ids, dtype=np.intp)
        wv = self._word_vecs
        out = wv[wids, 0] + self._combo_vecs[np.asarray(own, dtype=np.intp)]
        sid = np.asarray(sent_ids, dtype=np.intp)[np.asarray(sent, dtype=np.intp)]
        out += self._combo_vecs[sid]
        # neighbours within the sentence: their word and role attributes, else "{d}w=<S>"
        pos = np.arange(n)
        lo = np.asarray(starts, dtype=np.intp)
        hi = np.asarray(ends, dtype=np.intp) + 1
        nbs = np.asarray(nb, dtype=np.intp)
        for k, d in enumerate(NEAR):
            j = pos + d
            inside = (j >= lo) & (j < hi)
            src = np.where(inside, j, 0)  # any token where the neighbour is outside
            near = wv[wids[src], k + 1] + self._near_vecs[nbs[src], k]
            out += np.where(inside[:, None], near, self._outside[k])
        if extra_at:
            picked = self.model.weights[extra_rows]
            ats = np.asarray(extra_at, dtype=np.intp)
            for col in range(self.model.size):
                out[:, col] += np.bincount(ats, weights=picked[:, col], minlength=n)
        return out


_BUCKETS = tuple(_bucket(d) for d in range(14))


def _bucket_of(d: int) -> str:
    """``features._bucket`` of a distance, from a table where it can."""
    return _BUCKETS[d] if 0 <= d < 14 else _bucket(d)


def _own_attrs(key: tuple) -> list[str]:
    """The attributes of a token's context combination (the order of ``features``)."""
    role, kind, frag, iscue, grade, konj, quoted, first, last, pcd, pcc, ncd, ncc, cb = key
    out = ["r=" + role, "rk=" + kind + role]
    if frag:
        out.append("frag")
    if iscue:
        out.append("cue")
    if grade:
        out.append("g=" + grade)
    if konj:
        out.append("konj")
    if quoted:
        out.append("q")
    if first:
        out.append("first")
    if last:
        out.append("last")
    if pcd:
        out += ["pcd=" + pcd, "pcc=" + str(pcc)]
    if ncd:
        out += ["ncd=" + ncd, "ncc=" + str(ncc)]
    out.append("cb=" + str(cb))
    return out


__all__ = ["QuoteScorer"]
