"""The cited extractive summary: central, corroborated, non-redundant sentences in time order.

Why extractive: every line must be traceable, so each one is a sentence of an article, cited
with its exact offsets. Ranking is centroid-based (MEAD style) over TF-IDF of lemmas, with the
centroid built per article first so one long article cannot dominate; a sentence whose content
is echoed by other outlets scores higher than one only a single outlet carries; Maximal
Marginal Relevance then picks sentences that add something new. Syndicated copies
(``Story.duplicates``) are left out, so an agency text on five sites is one source, not five;
articles in other languages than the story's main one are left out too.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from lagebild.config import Config
from lagebild.dossier.candidates import Candidate, RuleCheck, candidates, combined, opens_well
from lagebild.dossier.tfidf import Csr, tfidf
from lagebild.model import Citation, DateWindow, Doc, FactGroup, Story, SummarySentence

if TYPE_CHECKING:
    from lagebild.dossier.parts import Parts

ECHO_SIMILARITY = 0.3  # cosine above which another outlet's sentence says the same thing
ECHO_FULL = 3  # echoed by this many other outlets = full corroboration score
REDUNDANT = 0.45  # redundancy (see _mmr) above which a sentence repeats what is chosen
COVERED_WEIGHT = 1.0  # how much an already-covered term counts toward redundancy
NEAR_REPEAT = 0.7  # cosine above which a candidate repeats one already in the pool
MMR_LAMBDA = 0.7
WEIGHTS = {"central": 0.5, "echo": 0.3, "lead": 0.1, "fact": 0.1}
# A sentence told as background ("Die Corona-Krise kostete Galeria damals 40 Filialen", rules in
# resources/dossier/<lang>/background.txt) counts this much: the summary tells the story's own
# events first, and background only where nothing else says as much.
BACKGROUND_WEIGHT = 0.5
OPENING_TRIES = 12  # choices made again, each without a first sentence that cannot open


@dataclass(frozen=True, slots=True)
class _Scored:
    cand: Candidate
    row: int  # row in the term matrix
    score: float


def summary_length(n_articles: int, n_candidates: int, config: Config) -> int:
    """How many sentences: ``summary_min`` for a small story up to ``summary_max`` at ~50 articles."""
    lo, hi = config.dossier.summary_min, config.dossier.summary_max
    frac = min(1.0, math.log(max(n_articles, 1)) / math.log(50))
    target = round(lo + (hi - lo) * frac)
    if n_articles == 1:
        target = min(target, max(3, lo // 2 + 1))
    return max(0, min(target, n_candidates))


def originals(story: Story, docs: Sequence[Doc]) -> list[Doc]:
    """The story's docs without syndicated copies, in story order (docs not in it at the end)."""
    keep = set(story.original_ids) if story.article_ids else {d.id for d in docs}
    order = {a: i for i, a in enumerate(story.article_ids)}
    chosen = [d for d in docs if d.id in keep]
    return sorted(chosen, key=lambda d: order.get(d.id, len(order)))


def main_language(docs: list[Doc]) -> list[Doc]:
    """The docs in the story's most common language: a summary in one language reads as one
    text, and paraphrases across languages would escape the redundancy check."""
    counts = Counter(d.article.language or "de" for d in docs)
    if len(counts) <= 1:
        return docs
    lang = counts.most_common(1)[0][0]
    return [d for d in docs if (d.article.language or "de") == lang]


def summarize(
    story: Story,
    docs: Sequence[Doc],
    config: Config | None = None,
    windows: Mapping[str, DateWindow] | None = None,
    corroborated: Sequence[FactGroup] = (),
    parts: Parts | None = None,
) -> tuple[SummarySentence, ...]:
    """The summary of ``story``: cited sentences ordered by article date, then position
    (``parts``: the articles' kept candidates, ``dossier.parts``)."""
    config = config or Config()
    docs_ = main_language(originals(story, docs))
    cands = candidates(docs_, parts)
    if not cands:
        return ()
    keys = _doc_keys(docs_, windows or {})
    cands = _readable_now(cands, docs_, keys)
    if not cands:
        return ()
    n = summary_length(len(docs_), len(cands), config)
    matrix = _tfidf(cands)
    sources = _source_index(docs_, cands)
    central = _centrality(matrix, cands, len(docs_))
    pool = _pool(central, cands, n, matrix, RuleCheck(docs_))
    echo = _echo(matrix, pool, sources)
    facts = _fact_support(cands, docs_, corroborated)
    scored = []
    for k, i in enumerate(pool):
        c = cands[i]
        lead = 1.0 / (1.0 + c.position / 4)
        s = (
            WEIGHTS["central"] * central[i]
            + WEIGHTS["echo"] * echo[k]
            + WEIGHTS["lead"] * lead
            + WEIGHTS["fact"] * facts[i]
        )
        art = docs_[c.doc_index].article
        if combined(art.language or "de", "background.txt").hit(
            art.text[c.sentence.start : c.sentence.end]
        ):
            s *= BACKGROUND_WEIGHT
        scored.append(_Scored(c, i, s))
    chosen = _opening_first(scored, matrix, n, docs_, keys)
    out = []
    for x in chosen:
        art = docs_[x.cand.doc_index].article
        s = x.cand.sentence
        cite = Citation(art.id, s.start, s.end, art.outlet)
        out.append(
            SummarySentence(text=art.text[s.start : s.end], citation=cite, score=round(x.score, 4))
        )
    return tuple(out)


def _opening_first(
    scored: list[_Scored],
    matrix: Csr,
    n: int,
    docs: list[Doc],
    keys: list[tuple[date, int]],
) -> list[_Scored]:
    """The chosen sentences in time order, the first of them one that stands on its own
    (``opens_well``): a summary that opened with "Zumindest hat er sich …" or with a press
    release's quotation leaves the reader without the subject. A first sentence that cannot
    open is dropped and the choice made again without it; the others may follow one that
    names their subject."""

    def opens(x: _Scored) -> bool:
        return opens_well(x.cand.sentence, docs[x.cand.doc_index])

    pool = list(scored)
    for _ in range(OPENING_TRIES):
        chosen = _mmr(pool, matrix, n)
        chosen.sort(key=lambda x: (keys[x.cand.doc_index], x.cand.sentence.start))
        if not chosen or opens(chosen[0]):
            return chosen
        pool = [x for x in pool if x is not chosen[0]]
    while chosen and not opens(chosen[0]):  # no opener found in time: start at the first one
        chosen.pop(0)
    return chosen


def _readable_now(
    cands: list[Candidate], docs: list[Doc], keys: list[tuple[date, int]]
) -> list[Candidate]:
    """The candidates a reader can take as they stand today: none that starts by pointing
    back ("Er", "Dort", "Aber": the antecedent is not in the summary), and no forecast from an
    article a later one has overtaken ("…, wo er sich mit Putin treffen werde" in the first
    report, once later reports tell where they met): the summary gives the latest state."""
    latest = max((k[0] for k in keys), default=date.min)
    out = []
    for c in cands:
        if c.dangling:
            continue
        if c.ahead and keys[c.doc_index][0] < latest:
            continue
        out.append(c)
    return out


def _tfidf(cands: list[Candidate]) -> Csr:
    """Rows: L2-normalised TF-IDF vectors of the candidates (document frequency = sentences)."""
    return tfidf([c.terms for c in cands])


def _source_index(docs: list[Doc], cands: list[Candidate]) -> np.ndarray:
    """Per candidate, the number of its source (outlet, or the article when the outlet is unknown)."""
    keys: dict[str, int] = {}
    per_doc = [keys.setdefault(d.article.outlet or f"article:{d.id}", len(keys)) for d in docs]
    return np.array([per_doc[c.doc_index] for c in cands], dtype=np.int64)


def _centrality(matrix: Csr, cands: list[Candidate], n_docs: int) -> np.ndarray:
    """Cosine to the story centroid, each article weighing the same; scaled to [0, 1]."""
    doc_of = np.array([c.doc_index for c in cands])
    weights = np.bincount(doc_of, minlength=n_docs).astype(np.float64)
    present = np.count_nonzero(weights)
    w = 1.0 / (weights[doc_of] * present)
    centroid = matrix.scale_rows(w).column_sums()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(len(cands))
    sims = matrix.dot(centroid / norm)
    top = sims.max()
    return sims / top if top > 0 else sims


def _pool(
    central: np.ndarray,
    cands: list[Candidate],
    n: int,
    matrix: Csr,
    rules: RuleCheck,
) -> list[int]:
    """The candidates worth a closer look: the most central ones that are not near-repeats of
    one already taken (a big story says its main point hundreds of times), plus the leads."""
    size = max(40, 8 * n)
    pool: list[int] = []
    dense = np.zeros((size, matrix.shape[1]))
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for i in np.argsort(-central, kind="stable"):
        cols, vals = indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]]
        if pool and float((dense[: len(pool), cols] @ vals).max()) >= NEAR_REPEAT:
            continue
        if not rules.ok(cands[i].doc_index, cands[i].sentence):
            continue
        dense[len(pool), cols] = vals
        pool.append(int(i))
        if len(pool) == size:
            break
    leads = sorted((i for i, c in enumerate(cands) if c.position <= 2), key=lambda i: -central[i])
    leads = [i for i in leads[: 2 * size] if rules.ok(cands[i].doc_index, cands[i].sentence)]
    leads = leads[:size]
    return list(dict.fromkeys(pool + leads))


def _echo(matrix: Csr, pool: list[int], sources: np.ndarray) -> np.ndarray:
    """Per pool sentence, how many other sources carry a sentence saying the same (0..1)."""
    n_sources = int(sources.max()) + 1 if len(sources) else 0
    if n_sources <= 1:
        return np.zeros(len(pool))
    sims = matrix.rows(pool).gram(matrix)
    out = np.zeros(len(pool))
    full = min(ECHO_FULL, n_sources - 1)
    for k, i in enumerate(pool):
        best = np.zeros(n_sources)
        np.maximum.at(best, sources, sims[k])
        best[sources[i]] = 0.0
        out[k] = min(1.0, np.count_nonzero(best >= ECHO_SIMILARITY) / full)
    return out


def _fact_support(
    cands: list[Candidate], docs: list[Doc], groups: Sequence[FactGroup]
) -> np.ndarray:
    """1 for a sentence that contains a fact several outlets confirm, else 0."""
    out = np.zeros(len(cands))
    if not groups:
        return out
    spans: dict[str, list[tuple[int, int]]] = {}
    for g in groups:
        for c in g.citations:
            spans.setdefault(c.article_id, []).append((c.start, c.end))
    for found in spans.values():
        found.sort()
    for i, c in enumerate(cands):
        s = c.sentence
        found = spans.get(docs[c.doc_index].id, [])
        # only the spans starting inside the sentence can lie in it (an article of a big
        # story holds hundreds of confirmed figures)
        for k in range(bisect.bisect_left(found, (s.start,)), len(found)):
            start, end = found[k]
            if start > s.end:
                break
            if end <= s.end:
                out[i] = 1.0
                break
    return out


def _mmr(scored: list[_Scored], matrix: Csr, n: int) -> list[_Scored]:
    """Greedy Maximal Marginal Relevance.

    Redundancy is the larger of the cosine to the closest chosen sentence and the share of the
    sentence's weight on terms the chosen ones already cover (two paraphrases of one fact
    rarely share many words, but they share the rare ones); a near-repeat is never taken.
    """
    if not scored:
        return []
    sub = matrix.rows([x.row for x in scored])
    sims = sub.gram(sub)
    squares = Csr(sub.indptr, sub.indices, sub.data * sub.data, sub.shape)
    top = max(x.score for x in scored) or 1.0
    rel = np.array([x.score / top for x in scored])
    covered = np.zeros(sub.shape[1], dtype=bool)
    chosen: list[int] = []
    per_doc: dict[int, int] = {}
    seen_text: set[str] = set()
    while len(chosen) < n:
        old = squares.dot(covered.astype(np.float64))
        best, best_val = -1, -math.inf
        for k, x in enumerate(scored):
            if k in chosen or x.cand.sentence.text in seen_text:
                continue
            red = max(max((sims[k, j] for j in chosen), default=0.0), COVERED_WEIGHT * old[k])
            if red >= REDUNDANT:
                continue
            val = (
                MMR_LAMBDA * rel[k] * 0.9 ** per_doc.get(x.cand.doc_index, 0)
                - (1 - MMR_LAMBDA) * red
            )
            if val > best_val:
                best, best_val = k, val
        if best < 0:
            break
        chosen.append(best)
        pick = scored[best]
        seen_text.add(pick.cand.sentence.text)
        per_doc[pick.cand.doc_index] = per_doc.get(pick.cand.doc_index, 0) + 1
        covered[sub.row(best)[0]] = True
    return [scored[k] for k in chosen]


def _doc_keys(docs: list[Doc], windows: Mapping[str, DateWindow]) -> list[tuple[date, int]]:
    """Sort keys in time order: the publication date, else the inferred window's middle, else
    the date of the article before it in story order (story order is publication order)."""
    dates: list[date | None] = []
    for d in docs:
        if d.article.published is not None and d.article.published_precision == "day":
            dates.append(d.article.published.date())
            continue
        w = windows.get(d.id) or d.date_window
        dates.append(w.earliest + timedelta(days=(w.latest - w.earliest).days // 2) if w else None)
    last = next((x for x in dates if x is not None), date.min)
    keys = []
    for i, x in enumerate(dates):
        if x is None:
            x = last
        last = x
        keys.append((x, i))
    return keys


__all__ = ["main_language", "originals", "summarize", "summary_length"]
