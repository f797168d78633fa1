"""CRFsuite models read into numpy: state weights per attribute, transitions, batched decoding.

python-crfsuite takes one sentence at a time as lists of attribute strings, turns every
string into a C++ string and looks it up in the model's hash table: most of the NER cost
was building and converting ~80 strings per token. Reading the model file ourselves lets
a caller sum a word's weight rows once and keep the vector (``CrfModel.vector``), and
decode all sentences of a document in one batched Viterbi / forward-backward pass.

Decoding runs in the C loops of ``_crfc.c`` where the install could compile them (a C
compiler at ``pip install`` time; the extension is optional), else in numpy: the same
Viterbi arithmetic, so the same paths, and marginals equal up to the order of additions.
The numpy steps cost a few calls per token position whatever the batch size (~5 ms per
article in fast mode), the C loops a few microseconds per sentence.

The file format is CRFsuite's own (``crf1d_model.c``): a header of offsets, a ``FEAT``
chunk of (type, source, target, weight) records — type 0 an attribute's weight for a label,
type 1 a transition — and two CQDB string tables (labels, attributes) whose backward array
maps an id to its string. Weights are the file's doubles, so scores equal CRFsuite's up to
the order of floating-point additions.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:  # the compiled decoding loops (``_crfc.c``); optional, the numpy code is the fallback
    from lagebild import _crfc
except ImportError:  # pragma: no cover - built wherever a C compiler was at install time
    _crfc = None

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


class CrfFormatError(ValueError):
    """The file is not a CRFsuite (crf1d) model this reader understands."""


def _strings(data: bytes, offset: int, count: int) -> list[str]:
    """The ``count`` strings of the CQDB chunk at ``offset``, by id (its backward array)."""
    if data[offset : offset + 4] != b"CQDB":
        raise CrfFormatError(f"no string table at offset {offset}")
    bwd_size, bwd_offset = struct.unpack_from("<II", data, offset + 16)
    if bwd_size < count:
        raise CrfFormatError(f"string table holds {bwd_size} ids, the model needs {count}")
    refs = np.frombuffer(data, "<u4", count, offset + bwd_offset).tolist()
    out = []
    for ref in refs:
        at = offset + ref
        ksize = int.from_bytes(data[at + 4 : at + 8], "little")
        out.append(data[at + 8 : at + 8 + ksize - 1].decode("utf-8"))
    return out


@dataclass(frozen=True)
class CrfModel:
    """A linear-chain CRF: ``weights[attrs[a]]`` is attribute ``a``'s score for every label,
    ``trans[i, j]`` the score of label ``j`` after label ``i``."""

    labels: tuple[str, ...]
    attrs: dict[str, int]
    weights: np.ndarray  # (number of attributes, number of labels), float64
    trans: np.ndarray  # (labels, labels), float64

    @classmethod
    def read(cls, path: str | Path) -> CrfModel:
        data = Path(path).read_bytes()
        if len(data) < _HEADER.size:
            raise CrfFormatError(f"{path}: too short for a CRFsuite model")
        magic, _, kind, _, _, n_labels, n_attrs, off_feat, off_labels, off_attrs, _, _ = (
            _HEADER.unpack_from(data, 0)
        )
        if magic != b"lCRF" or kind != b"FOMC" or data[off_feat : off_feat + 4] != b"FEAT":
            raise CrfFormatError(f"{path}: not a CRFsuite crf1d model")
        (n_feat,) = struct.unpack_from("<I", data, off_feat + 8)
        feats = np.frombuffer(data, _FEATURE, n_feat, off_feat + 12)
        weights = np.zeros((n_attrs, n_labels))
        trans = np.zeros((n_labels, n_labels))
        state = feats[feats["type"] == 0]
        edge = feats[feats["type"] == 1]
        weights[state["src"], state["dst"]] = state["weight"]
        trans[edge["src"], edge["dst"]] = edge["weight"]
        labels = tuple(_strings(data, off_labels, n_labels))
        attrs = {a: i for i, a in enumerate(_strings(data, off_attrs, n_attrs))}
        return cls(labels, attrs, weights, trans)

    @property
    def size(self) -> int:
        return len(self.labels)

    def rows(self, attributes: Iterable[str]) -> list[int]:
        """The weight rows of the attributes the model knows (others score nothing, as in
        CRFsuite); a repeated attribute counts as often as it occurs."""
        get = self.attrs.get
        return [r for r in map(get, attributes) if r is not None]

    def vector(self, attributes: Iterable[str]) -> np.ndarray:
        """The summed scores of ``attributes`` for every label."""
        rows = self.rows(attributes)
        if not rows:
            return np.zeros(self.size)
        return self.weights[rows].sum(axis=0)

    def scores(self, xseq: Sequence[Iterable[str]]) -> np.ndarray:
        """State scores (tokens, labels) of one sequence of attribute lists."""
        out = np.zeros((len(xseq), self.size))
        for i, attrs in enumerate(xseq):
            rows = self.rows(attrs)
            if rows:
                out[i] = self.weights[rows].sum(axis=0)
        return out

    def sequence_scores(self, xseq: Sequence[Iterable[str]]) -> np.ndarray:
        """``scores`` of one sequence, with one weight lookup for all its tokens: each
        label's column is summed per token in attribute order (``np.bincount``), the order
        CRFsuite adds a token's state weights in."""
        get = self.attrs.get
        rows: list[int] = []
        owner: list[int] = []
        for i, attrs in enumerate(xseq):
            found = [r for r in map(get, attrs) if r is not None]
            rows.extend(found)
            owner.extend([i] * len(found))
        return self.summed_rows(rows, owner, len(xseq))

    def summed_rows(self, rows: list[int], owner: list[int], n: int) -> np.ndarray:
        """(n, labels): per item, the sum of the weight rows ``rows`` it owns (``owner``), in
        list order (``sequence_scores`` of attribute lists already turned into rows)."""
        picked = self.weights[rows]
        at = np.asarray(owner, dtype=np.intp)
        out = np.empty((n, self.size))
        for j in range(self.size):
            out[:, j] = np.bincount(at, weights=picked[:, j], minlength=n)
        return out

    def chain_marginals(self, scores: np.ndarray) -> np.ndarray:
        """``marginals`` of one long sequence (a quote CRF's doc of hundreds of tokens).

        Step-by-step forward-backward costs a few numpy calls per token. Here the
        transitions are cut into about sqrt(n) blocks whose running products are built for
        all blocks at once, so a sequence of n tokens takes about 2 sqrt(n) batched steps
        per direction. Every message is rescaled to sum 1 (marginals do not depend on it)."""
        n, n_labels = scores.shape
        if n == 0:
            return np.zeros((0, n_labels))
        if _crfc is not None:
            return self._c_marginals(scores, [n])
        pot = np.exp(scores - scores.max(axis=1, keepdims=True))
        edge = np.exp(self.trans - self.trans.max())
        steps = edge[None, :, :] * pot[1:, None, :]  # steps[t-1][i, j]: label i at t-1, j at t
        first = pot[0] / pot[0].sum()
        fwd = np.vstack([first, _running(first, steps)])
        last = np.full(n_labels, 1.0 / n_labels)
        back = _running(last, np.transpose(steps[::-1], (0, 2, 1)))  # messages t = n-2 .. 0
        bwd = np.vstack([back[::-1], last])
        prob = fwd * bwd
        prob /= prob.sum(axis=1, keepdims=True)
        return prob

    def viterbi(self, scores: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
        """Best label ids of each sequence; ``scores`` stacks the sequences' state scores
        (sum(lengths), labels). Ties go to the lower label id, as in CRFsuite."""
        if _crfc is not None:
            return self._c_viterbi(scores, lengths)
        batch = _Batch(scores, lengths)
        pad = batch.pad
        n_seq, width, n_labels = pad.shape
        if width == 0:
            return [[] for _ in lengths]
        back = np.zeros((n_seq, width, n_labels), dtype=np.intp)
        delta = pad[:, 0].copy()
        trans = self.trans
        # the ufuncs' own reduce: ``ndarray.max`` adds a Python wrapper call per step
        maximum = np.maximum.reduce
        live = batch.live
        for t in range(1, width):
            k = live[t]  # the sequences still running are the first k (longest first)
            cand = delta[:k, :, None] + trans  # (seq, from, to)
            back[:k, t] = cand.argmax(axis=1)
            np.add(maximum(cand, axis=1), pad[:k, t], out=delta[:k])
        last = delta.argmax(axis=1).tolist()
        backs = back.tolist()
        out = []
        for s, n in enumerate(lengths):
            if n == 0:
                out.append([])
                continue
            row = batch.row[s]
            path = [0] * n
            y = last[row]
            path[n - 1] = y
            bs = backs[row]
            for t in range(n - 1, 0, -1):
                y = bs[t][y]
                path[t - 1] = y
            out.append(path)
        return out

    def marginals(self, scores: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """P(label at token | sequence) for every token and label (sum(lengths), labels),
        by scaled forward-backward over all sequences at once."""
        if _crfc is not None:
            return self._c_marginals(scores, lengths)
        batch = _Batch(scores, lengths)
        pad = batch.pad
        _, width, n_labels = pad.shape
        if width == 0:
            return np.zeros((0, n_labels))
        # ``np.add.reduce`` is ``ndarray.sum`` without its Python wrapper (a call per step)
        add = np.add.reduce
        live = batch.live
        # a constant per token does not change a marginal; it keeps exp() in range
        pad = np.exp(pad - np.maximum.reduce(pad, axis=2, keepdims=True))
        edge = np.exp(self.trans - self.trans.max())
        fwd = np.ones_like(pad)
        fwd[:, 0] = pad[:, 0] / add(pad[:, 0], axis=1, keepdims=True)
        for t in range(1, width):
            k = live[t]
            nxt = fwd[:k, t - 1] @ edge
            nxt *= pad[:k, t]
            nxt /= add(nxt, axis=1, keepdims=True)
            fwd[:k, t] = nxt
        # a sequence's backward message is all ones at its last token (``ones_like``)
        bwd = np.ones_like(pad)
        edge_t = edge.T
        for t in range(width - 2, -1, -1):
            k = live[t + 1]
            nb = (pad[:k, t + 1] * bwd[:k, t + 1]) @ edge_t
            nb /= add(nb, axis=1, keepdims=True)
            bwd[:k, t] = nb
        prob = fwd[batch.flat_row, batch.flat_pos] * bwd[batch.flat_row, batch.flat_pos]
        prob /= add(prob, axis=1, keepdims=True)
        return prob

    def _check_width(self, scores: np.ndarray) -> None:
        """The C loops read a flat buffer: scores of another label count would be read as
        rows of the wrong width where numpy's broadcasting refuses them."""
        if np.ndim(scores) != 2 or np.shape(scores)[1] != self.size:
            raise ValueError(f"scores of shape {np.shape(scores)} for a CRF of {self.size} labels")

    def _c_viterbi(self, scores: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
        """``viterbi`` in the C loops (``_crfc.viterbi``)."""
        assert _crfc is not None
        self._check_width(scores)
        path = np.empty(len(scores), dtype=np.int64)
        _crfc.viterbi(
            np.ascontiguousarray(scores, dtype=np.float64), np.asarray(lengths, dtype=np.int64),
            np.ascontiguousarray(self.trans, dtype=np.float64), path, self.size,
        )  # fmt: skip
        flat = path.tolist()
        out = []
        at = 0
        for n in lengths:
            out.append(flat[at : at + n])
            at += n
        return out

    def _c_marginals(self, scores: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """``marginals`` in the C loops (``_crfc.marginals``)."""
        assert _crfc is not None
        self._check_width(scores)
        prob = np.empty((len(scores), self.size))
        _crfc.marginals(
            np.ascontiguousarray(scores, dtype=np.float64), np.asarray(lengths, dtype=np.int64),
            np.ascontiguousarray(self.trans, dtype=np.float64), prob, self.size,
        )  # fmt: skip
        return prob


def _running(start: np.ndarray, mats: np.ndarray) -> np.ndarray:
    """Row ``i``: ``start @ mats[0] @ … @ mats[i]`` rescaled to sum 1, for every ``i``.

    The n matrices are cut into k blocks of b (b, k ~ sqrt(n); the last block padded with
    identities): first the running products inside every block, all blocks at once (b
    steps), then the vector entering each block (k steps), then each position's vector as its
    block's entering vector times the running product (one batched product)."""
    n, size, _ = mats.shape
    if n == 0:
        return np.zeros((0, size))
    b = max(1, int(np.ceil(np.sqrt(n))))
    k = -(-n // b)
    blocks = np.broadcast_to(np.eye(size), (k * b, size, size)).copy()
    blocks[:n] = mats
    blocks = blocks.reshape(k, b, size, size)
    add = np.add.reduce  # ``ndarray.sum`` without its Python wrapper (a call per step)
    run = np.empty_like(blocks)
    run[:, 0] = blocks[:, 0] / add(blocks[:, 0], axis=(1, 2), keepdims=True)
    for j in range(1, b):
        nxt = run[:, j - 1] @ blocks[:, j]
        run[:, j] = nxt / add(nxt, axis=(1, 2), keepdims=True)
    enter = np.empty((k, size))
    vec = start
    for i in range(k):
        enter[i] = vec
        vec = vec @ run[i, -1]
        vec = vec / add(vec)
    out = np.einsum("kl,kjlm->kjm", enter, run).reshape(k * b, size)[:n]
    return out / add(out, axis=1, keepdims=True)


class _Batch:
    """Sequences padded to the longest, longest first: the sequences still running at a
    position are a prefix (``live[t]`` of them), so each step works on a slice."""

    def __init__(self, scores: np.ndarray, lengths: Sequence[int]) -> None:
        n_seq = len(lengths)
        order = sorted(range(n_seq), key=lambda s: -lengths[s])
        self.row = [0] * n_seq  # sequence -> its row in ``pad``
        for r, s in enumerate(order):
            self.row[s] = r
        width = max(lengths, default=0)
        sorted_lens = np.asarray([lengths[s] for s in order], dtype=np.intp)
        self.live = (sorted_lens[:, None] > np.arange(width)).sum(axis=0).tolist()
        lens = np.asarray(lengths, dtype=np.intp)
        self.flat_row = np.repeat(np.asarray(self.row, dtype=np.intp), lens)
        starts = np.repeat(np.cumsum(lens) - lens, lens)
        self.flat_pos = np.arange(int(lens.sum())) - starts
        self.pad = np.zeros((n_seq, width, scores.shape[1]))
        self.pad[self.flat_row, self.flat_pos] = scores


__all__ = ["CrfFormatError", "CrfModel"]
