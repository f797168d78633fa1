"""The summary's own CSR gives scipy's results to the last bit: the summary's scores and
choices must not move when scipy.sparse is no longer imported."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy import sparse

from lagebild.dossier.tfidf import Csr, tfidf


def _scipy_tfidf(rows: list[list[str]]) -> sparse.csr_matrix:
    """The summary's TF-IDF as it was written with scipy.sparse (before tfidf.py)."""
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(t, len(vocab)) for r in rows for t in r], np.int64)
    row_of = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
    width = max(len(vocab), 1)
    cells, counts = np.unique(row_of * width + ids, return_counts=True)
    vals = np.ones(len(cells))
    repeated = np.flatnonzero(counts > 1)
    vals[repeated] = [1.0 + math.log(v) for v in counts[repeated].tolist()]
    shape = (len(rows), len(vocab))
    m = sparse.csr_matrix((vals, np.divmod(cells, width)), shape=shape, dtype=np.float64)
    df = np.bincount(m.indices, minlength=len(vocab))
    idf = np.log((len(rows) + 1) / (df + 1)) + 1.0
    m = m.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(m.multiply(1.0 / norms[:, None]))


def _rows(rnd: random.Random, n: int, vocab: int) -> list[list[str]]:
    """Term lists as sentences have them: skewed word frequencies, repeats, some empty rows,
    and rows long enough (> 8 terms) that pairwise and sequential sums differ."""
    words = [f"w{i}" for i in range(vocab)]
    weights = [1.0 / (i + 1) for i in range(vocab)]
    out = []
    for _ in range(n):
        k = 0 if rnd.random() < 0.05 else rnd.randint(1, 60)
        out.append(rnd.choices(words, weights, k=k))
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal to the bit (same shape, same float64 values)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("seed", range(6))
def test_tfidf_matches_scipy_bit_for_bit(seed: int) -> None:
    rnd = random.Random(seed)
    rows = _rows(rnd, rnd.randint(1, 300), rnd.choice([1, 5, 50, 800]))
    ours, theirs = tfidf(rows), _scipy_tfidf(rows)
    assert ours.shape == theirs.shape
    assert ours.indptr.tolist() == theirs.indptr.tolist()
    assert ours.indices.tolist() == theirs.indices.tolist()
    assert _same(ours.data, theirs.data)


@pytest.mark.parametrize("seed", range(6))
def test_products_and_sums_match_scipy_bit_for_bit(seed: int) -> None:
    """Every operation the summary uses, on matrices whose values do not come from tfidf."""
    rng = np.random.default_rng(seed)
    n, width = int(rng.integers(2, 200)), int(rng.integers(1, 400))
    theirs = sparse.random(n, width, density=0.1, format="csr", random_state=rng)
    theirs.data = rng.random(theirs.nnz) * 10.0 ** rng.uniform(-3, 3, theirs.nnz)
    theirs.sort_indices()
    ours = Csr(theirs.indptr.astype(np.int64), theirs.indices.astype(np.int64),
               theirs.data.copy(), theirs.shape)  # fmt: skip
    w, x = rng.random(n), rng.random(width)
    picked = rng.integers(0, n, int(rng.integers(1, 50))).tolist()

    assert _same(ours.dot(x), theirs @ x)
    assert _same(ours.scale_rows(w).column_sums(), theirs.multiply(w[:, None]).sum(axis=0).A1)
    assert _same(ours.scale_columns(x).data, theirs.multiply(x).tocsr().data)
    assert _same(ours.row_sums(), theirs.sum(axis=1).A1)
    sub, their_sub = ours.rows(picked), theirs[picked].tocsr()
    assert sub.indices.tolist() == their_sub.indices.tolist()
    assert _same(sub.data, their_sub.data)
    assert _same(sub.gram(ours), (their_sub @ theirs.T).toarray())
    assert _same(sub.gram(sub), (their_sub @ their_sub.T).toarray())
    assert sub.row(0)[0].tolist() == their_sub[0].indices.tolist()


def test_sequential_and_pairwise_sums_are_told_apart() -> None:
    """The bit-for-bit tests can fail: a row sum added in order differs from scipy's
    pairwise ``sum(axis=1)`` for this row, and ``dot`` (in order) matches ``csr_matvec``."""
    vals = np.array([1e16, 1.0, -1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0])
    m = Csr(np.array([0, len(vals)]), np.arange(len(vals)), vals, (1, len(vals)))
    theirs = sparse.csr_matrix((vals, np.arange(len(vals)), [0, len(vals)]), shape=m.shape)
    in_order = m.dot(np.ones(len(vals)))
    assert not _same(in_order, m.row_sums())
    assert _same(in_order, theirs @ np.ones(len(vals)))
    assert _same(m.row_sums(), theirs.sum(axis=1).A1)


def test_empty_rows_and_no_terms() -> None:
    m = tfidf([[], ["a", "a", "b"], []])
    assert m.shape == (3, 2)
    assert m.dot(np.ones(2)).tolist()[0] == 0.0
    assert np.isclose(float(np.sum(m.row(1)[1] ** 2)), 1.0)  # rows are unit length
    none = tfidf([[], []])
    assert none.shape == (2, 0)
    assert none.gram(none).tolist() == [[0.0, 0.0], [0.0, 0.0]]
