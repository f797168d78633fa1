"""The summary's sentence-term matrix: a small CSR with the few operations it needs.

Why not ``scipy.sparse``: importing it costs ~0.2 s CPU (it pulls in numpy's testing, f2py,
polynomial and random modules), paid by every process that builds a dossier, more than the
summary's arithmetic. Each operation here adds in the order scipy's does, so the scores and
choices stay the same to the last bit (tests/dossier/test_tfidf.py compares them with scipy
on random matrices): scipy's matrix-vector and matrix-matrix products add a row's terms one
after the other from 0.0 (``csr_matvec``, ``csr_matmat``), which ``np.bincount`` with weights
does too; its row sums (``sum(axis=1)``) go through ``np.add.reduceat``, which adds pairwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Csr:
    """Rows (sentences) of term weights; ``indices`` sorted within each row."""

    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int64, column of each stored value
    data: np.ndarray  # float64
    shape: tuple[int, int]

    @property
    def row_of(self) -> np.ndarray:
        """The row of each stored value."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of row ``i``."""
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.indices[a:b], self.data[a:b]

    def rows(self, picked: Sequence[int]) -> Csr:
        """The matrix of the rows ``picked``, in that order."""
        picked = np.asarray(picked, dtype=np.int64)
        starts, lens = self.indptr[picked], np.diff(self.indptr)[picked]
        take = _ranges(starts, lens)
        indptr = np.zeros(len(picked) + 1, dtype=np.int64)
        np.cumsum(lens, out=indptr[1:])
        return Csr(indptr, self.indices[take], self.data[take], (len(picked), self.shape[1]))

    def scale_rows(self, factor: np.ndarray) -> Csr:
        """Each row times its factor (scipy: ``multiply(factor[:, None])``)."""
        return Csr(self.indptr, self.indices, self.data * factor[self.row_of], self.shape)

    def scale_columns(self, factor: np.ndarray) -> Csr:
        """Each column times its factor (scipy: ``multiply(factor)``)."""
        return Csr(self.indptr, self.indices, self.data * factor[self.indices], self.shape)

    def dot(self, x: np.ndarray) -> np.ndarray:
        """Matrix times vector, each row's products added in order (scipy's ``csr_matvec``)."""
        return np.bincount(self.row_of, self.data * x[self.indices], minlength=self.shape[0])

    def column_sums(self) -> np.ndarray:
        """Sum of each column, rows added in order (scipy: ``sum(axis=0)``)."""
        return np.bincount(self.indices, self.data, minlength=self.shape[1])

    def row_sums(self) -> np.ndarray:
        """Sum of each row (scipy: ``sum(axis=1)``, pairwise through ``np.add.reduceat``)."""
        out = np.zeros(self.shape[0])
        filled = np.flatnonzero(np.diff(self.indptr))
        if len(filled):
            out[filled] = np.add.reduceat(self.data, self.indptr[filled])
        return out

    def gram(self, other: Csr) -> np.ndarray:
        """Dense ``self @ other.T``: each cell adds the products of shared columns in the order
        of ``self``'s row (scipy's ``csr_matmat``)."""
        m = other.shape[0]
        by_col = np.argsort(other.indices, kind="stable")
        col_rows, col_vals = other.row_of[by_col], other.data[by_col]
        col_ptr = np.zeros(other.shape[1] + 1, dtype=np.int64)
        np.cumsum(np.bincount(other.indices, minlength=other.shape[1]), out=col_ptr[1:])
        lens = col_ptr[self.indices + 1] - col_ptr[self.indices]
        take = _ranges(col_ptr[self.indices], lens)
        cell = np.repeat(self.row_of * m, lens) + col_rows[take]
        prod = np.repeat(self.data, lens) * col_vals[take]
        flat = np.bincount(cell, prod, minlength=self.shape[0] * m)
        return flat.reshape(self.shape[0], m)


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The concatenated ranges ``starts[i] .. starts[i] + lens[i]``."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lens)
    return np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lens), lens)


def tfidf(rows: Sequence[Sequence[str]]) -> Csr:
    """Rows: L2-normalised TF-IDF vectors of the term lists (document frequency = rows;
    sublinear term frequency ``1 + log(count)``; smoothed idf ``log((n + 1) / (df + 1)) + 1``).
    Columns are numbered by first appearance, as the summary's ranking always did."""
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(t, len(vocab)) for r in rows for t in r], np.int64)
    row_of = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
    width = max(len(vocab), 1)
    cells, counts = np.unique(row_of * width + ids, return_counts=True)  # term counts per row
    vals = np.ones(len(cells))
    repeated = np.flatnonzero(counts > 1)
    vals[repeated] = [1.0 + math.log(v) for v in counts[repeated].tolist()]
    r, c = np.divmod(cells, width)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=len(rows)), out=indptr[1:])
    m = Csr(indptr, c, vals, (len(rows), len(vocab)))
    df = np.bincount(m.indices, minlength=len(vocab))
    m = m.scale_columns(np.log((len(rows) + 1) / (df + 1)) + 1.0)
    norms = np.sqrt(Csr(m.indptr, m.indices, m.data * m.data, m.shape).row_sums())
    norms[norms == 0] = 1.0
    return m.scale_rows(1.0 / norms)
