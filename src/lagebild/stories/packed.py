"""A dormant story as a ``story_archive`` row keeps it: every weight exact, in fewer bytes.

Format 1 (schema 37) was MessagePack of ``cluster.dumped``, zlib: the field names in every
row, each float64 weight behind a type byte and beside its term, and the centroid of a
story of one report repeating the first 30 terms and weights of its member vector (zlib
found those, at a cost). Format 2 (schema 41) holds the vectors (the members, then the
centroid's terms after the ones it shares with the last member's start) as tab-joined
terms and one array of their float64 weights with the bytes of each rank together (the
sign and exponent bytes of weights of one story are alike, which zlib then finds), and the
other fields in ``FIELDS`` order: 1,140 -> 943 KB for the 723 dormant stories of 1,016
10kGNAD articles. A story format 2 cannot hold exactly (a term with a tab, an empty term,
a weight that is not a float) is written in format 1; both read.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import islice

import msgspec

from lagebild.stories.cluster import ActiveStory, dumped, loaded

FORMAT = 2
LEVEL = 6  # zlib level
# The fields besides the vectors, in the order a format-2 row holds them. Frozen with the
# format: a field ActiveStory gains later goes into the row's map of others, so the rows
# stay readable both ways (a test checks that every name is still a field).
FIELDS = (
    "id", "article_ids", "title", "size", "duplicates", "first", "last", "first_precision",
    "last_precision", "outlets", "languages", "emb", "lo", "hi", "exact_lo", "exact_hi",
    "narrow_lo", "narrow_hi", "merged", "year_floor", "lead_title", "provisional",
    "fixed_floor", "fixed_title", "tail", "tail_weights",
)  # fmt: skip

_pack = msgspec.msgpack.Encoder().encode
_unpack = msgspec.msgpack.Decoder().decode
_bits = struct.Struct("<d").pack
_BIG = sys.byteorder == "big"  # rows hold little-endian weights


def pack_story(story: ActiveStory) -> bytes:
    """The row of a dormant story (format 2 when it holds the story exactly, else 1)."""
    raw = dumped(story)
    members, centroid = raw.pop("members"), raw.pop("centroid")
    items = list(centroid.items())
    last = list(members[-1].items())[: len(items)] if members else []
    shared = 0  # the centroid's first terms and weights that start the last member, too
    for (t, v), (u, w) in zip(items, last, strict=False):
        if t != u or type(v) is not float or _bits(v) != _bits(w):
            break
        shared += 1
    vectors = [*members, dict(items[shared:])]
    terms = [_joined(vec) for vec in vectors]
    if None in terms:
        return zlib.compress(_pack(dumped(story)), LEVEL)
    weights = array("d", [v for vec in vectors for v in vec.values()])
    if _BIG:
        weights.byteswap()
    data = weights.tobytes()
    values = [raw.pop(name) for name in FIELDS]
    body = [FORMAT, shared, terms, b"".join(data[k::8] for k in range(8)), values, raw]
    return zlib.compress(_pack(body), LEVEL)  # raw: the fields not in FIELDS (none today)


def unpack_story(data: bytes) -> ActiveStory:
    raw = _unpack(zlib.decompress(data))
    if isinstance(raw, dict):  # format 1
        return loaded(raw)
    _, shared, terms, planes, values, others = raw
    n = len(planes) // 8
    joined = bytearray(len(planes))
    for k in range(8):
        joined[k::8] = planes[k * n : (k + 1) * n]
    weights = array("d", joined)
    if _BIG:
        weights.byteswap()
    vectors, start = [], 0
    for text in terms:
        names = text.split("\t") if text else []
        end = start + len(names)
        vectors.append(dict(zip(names, weights[start:end].tolist(), strict=True)))
        start = end
    *members, rest = vectors
    centroid = dict(islice(members[-1].items(), shared)) | rest if shared else rest
    return loaded(dict(zip(FIELDS, values, strict=True)) | others | {
        "members": members, "centroid": centroid
    })  # fmt: skip


def _joined(vector: dict) -> str | None:
    """A vector's terms tab-joined, None when format 2 cannot hold it exactly: a term that is
    empty or holds a tab, a weight that is not a float."""
    try:
        text = "\t".join(vector)
    except TypeError:  # a term that is no str
        return None
    if text.count("\t") != max(len(vector) - 1, 0) or "" in vector:
        return None
    if not set(map(type, vector.values())) <= {float}:
        return None
    return text


__all__ = ["FIELDS", "FORMAT", "pack_story", "unpack_story"]
