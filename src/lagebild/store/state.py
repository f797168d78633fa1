"""A stage's state as stored: JSON, compressed when large, encoded and decoded piece by piece.

The story index is the one large state (~150 MB of JSON at 50k articles): encoded whole and
then compressed, its JSON bytes and the compressed copy sat in memory beside the index at
the end of every clustering. ``encode_state`` hands zlib the JSON in batches of a few
thousand items instead, so what is held besides the value is one batch and the compressed
output. The stored JSON is ASCII (other letters as ``\\u`` escapes): the text ``json.loads``
makes of it then takes one byte per character, where one „ or – among the index's titles
made Python keep the whole document at two (304 instead of ~150 MB at 50k). Reading decodes
the whole document with ``json.loads`` (one str per distinct key of the document, which the
index's many term-keyed dicts share) but lets go of each copy (compressed, decompressed
bytes) before the next is made.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from typing import Any

import msgspec

COMPRESS_AT = 4096  # bytes of JSON from which a state is stored compressed
BATCH = 2048  # items of a dict or list encoded at once
OPEN_DEPTH = 2  # containers this near the top are entered whatever their length
LEVEL = 6  # zlib level (lzma -6 is 30 % smaller but costs 15x the CPU)

_encode = msgspec.json.Encoder().encode
_NON_ASCII = re.compile(rb"[\x80-\xff]+")  # in msgspec's JSON: only ever inside strings


def _escaped(m: re.Match[bytes]) -> bytes:
    return json.dumps(m.group().decode(), ensure_ascii=True)[1:-1].encode()


def ascii_json(chunk: bytes) -> bytes:
    """A piece of JSON with its non-ASCII characters written as ``\\u`` escapes (a run of
    them is whole characters: pieces end between items)."""
    return chunk if chunk.isascii() else _NON_ASCII.sub(_escaped, chunk)


def json_chunks(value: Any, batch: int = BATCH, depth: int = 0) -> Iterator[bytes]:
    """``msgspec.json.encode(value)`` in pieces (joined, the same bytes): dicts and lists
    within ``OPEN_DEPTH`` levels of the top or longer than ``batch`` are entered and their
    items encoded ``batch`` at a time, so no piece holds more than a batch of a large
    container (a small dict near the top may hold one: the index in ``{"index": ...}``)."""
    if isinstance(value, dict):
        yield from _container(value, batch, depth, is_dict=True)
    elif isinstance(value, list | tuple):
        yield from _container(value, batch, depth, is_dict=False)
    else:
        yield _encode(value)


def _entered(value: Any, batch: int, depth: int) -> bool:
    return isinstance(value, dict | list | tuple) and (depth < OPEN_DEPTH or len(value) > batch)


def _container(
    value: dict | list | tuple, batch: int, depth: int, *, is_dict: bool
) -> Iterator[bytes]:
    yield b"{" if is_dict else b"["
    first = True
    pending: list = []

    def flush() -> bytes:
        # an encoded batch without its brackets: its items, comma-separated
        body = _encode(dict(pending) if is_dict else pending)[1:-1]
        pending.clear()
        return body

    items = value.items() if is_dict else value
    for item in items:
        inner = item[1] if is_dict else item
        if _entered(inner, batch, depth + 1):
            if pending:
                yield flush() if first else b"," + flush()
                first = False
            if not first:
                yield b","
            first = False
            if is_dict:
                yield _encode(item[0]) + b":"
            yield from json_chunks(inner, batch, depth + 1)
            continue
        pending.append(item)
        if len(pending) >= batch:
            yield flush() if first else b"," + flush()
            first = False
    if pending:
        yield flush() if first else b"," + flush()
    yield b"}" if is_dict else b"]"


def encode_state(value: Any) -> str | bytearray:
    """``value`` as stored: ASCII JSON text when small, else zlib-compressed as it is
    encoded (the whole JSON is never in memory), into one growing buffer (a list of pieces
    joined at the end held the compressed state twice)."""
    head: list[bytes] = []
    size = 0
    chunks = map(ascii_json, json_chunks(value))
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > COMPRESS_AT:
            break
    else:
        return b"".join(head).decode()
    packer = zlib.compressobj(LEVEL)
    out = bytearray()
    for c in head:
        out += packer.compress(c)
    head.clear()
    for c in chunks:
        out += packer.compress(c)
    out += packer.flush()
    return out


def decode_state(stored: str | bytes | bytearray) -> Any:
    """A stored state back as plain data (JSON written by ``json.dumps`` reads too)."""
    if isinstance(stored, str):
        return json.loads(stored)
    unpacker = zlib.decompressobj()
    data = unpacker.decompress(stored)
    del stored  # the caller's reference may remain; ours goes before the text is made
    text = data.decode()
    del data
    # json.loads, not msgspec: it makes one str per distinct key of the whole document,
    # and the story index keeps its terms as keys of many dicts (30 % less memory held)
    return json.loads(text)


__all__ = ["COMPRESS_AT", "ascii_json", "decode_state", "encode_state", "json_chunks"]
