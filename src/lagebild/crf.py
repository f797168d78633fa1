"""CRFsuite models read into numpy: state weights per attribute, transitions, batched decoding.

python-crfsuite takes one sentence at a time as lists of attribute strings, turns every
string into a C++ string and looks it up in the model's hash table: most of the NER cost
was building and converting ~80 strings per token. Reading the model file ourselves lets
a caller sum a word's weight rows once and keep the vector (``CrfModel.vector``), and
decode all sentences of a document in one batched Viterbi / forward-backward pass.

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

    def viterbi(self, scores: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
        """Best label ids of each sequence; ``scores`` stacks the sequences' state scores
        (sum(lengths), labels). Ties go to the lower label id, as in CRFsuite."""
        pad, mask = _padded(scores, lengths)
        n_seq, width, n_labels = pad.shape
        if width == 0:
            return [[] for _ in lengths]
        back = np.zeros((n_seq, width, n_labels), dtype=np.intp)
        delta = pad[:, 0].copy()
        trans = self.trans
        for t in range(1, width):
            cand = delta[:, :, None] + trans  # (seq, from, to)
            back[:, t] = cand.argmax(axis=1)
            new = cand.max(axis=1) + pad[:, t]
            live = mask[:, t]
            delta[live] = new[live]
        last = delta.argmax(axis=1).tolist()
        backs = back.tolist()
        out = []
        for s, n in enumerate(lengths):
            if n == 0:
                out.append([])
                continue
            path = [0] * n
            y = last[s]
            path[n - 1] = y
            bs = backs[s]
            for t in range(n - 1, 0, -1):
                y = bs[t][y]
                path[t - 1] = y
            out.append(path)
        return out

    def marginals(self, scores: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """P(label at token | sequence) for every token and label (sum(lengths), labels),
        by scaled forward-backward over all sequences at once."""
        pad, mask = _padded(scores, lengths)
        n_seq, width, n_labels = pad.shape
        if width == 0:
            return np.zeros((0, n_labels))
        # a constant per token does not change a marginal; it keeps exp() in range
        pad = np.exp(pad - pad.max(axis=2, keepdims=True))
        pad[~mask] = 1.0
        edge = np.exp(self.trans - self.trans.max())
        fwd = np.empty_like(pad)
        a = pad[:, 0] / pad[:, 0].sum(axis=1, keepdims=True)
        fwd[:, 0] = a
        for t in range(1, width):
            a = (a @ edge) * pad[:, t]
            a /= a.sum(axis=1, keepdims=True)
            fwd[:, t] = a
        bwd = np.empty_like(pad)
        b = np.ones((n_seq, n_labels))
        bwd[:, width - 1] = b
        for t in range(width - 2, -1, -1):
            nb = edge @ (pad[:, t + 1] * b).T
            nb = nb.T
            nb /= nb.sum(axis=1, keepdims=True)
            # past a sequence's end the backward message stays all ones
            b = np.where(mask[:, t + 1, None], nb, 1.0)
            bwd[:, t] = b
        prob = fwd * bwd
        prob /= prob.sum(axis=2, keepdims=True)
        return prob[mask]


def _padded(scores: np.ndarray, lengths: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Scores as (sequences, longest, labels) with zeros past each end, and the live mask."""
    n_labels = scores.shape[1]
    width = max(lengths, default=0)
    lens = np.asarray(lengths, dtype=np.intp)
    mask = np.arange(width)[None, :] < lens[:, None]
    pad = np.zeros((len(lengths), width, n_labels))
    pad[mask] = scores
    return pad, mask


__all__ = ["CrfFormatError", "CrfModel"]
