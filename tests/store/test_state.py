"""A stage's state encoded piece by piece: the same JSON as encoded whole, read back equal."""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path
from typing import Any

import msgspec

from lagebild.store.state import COMPRESS_AT, decode_state, encode_state, json_chunks


def _value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice([0, 7, 2.0 / 3.0, -1e-300, "x", "Straße", None, True, ""])
    if r < 0.65:
        return {
            f"k{i}-{rng.random():.3f}": _value(rng, depth + 1) for i in range(rng.randint(0, 9))
        }
    return [_value(rng, depth + 1) for _ in range(rng.randint(0, 9))]


def test_pieces_join_to_the_json_encoded_whole() -> None:
    """Nested dicts and lists, empty ones and ones larger than a batch at every level: the
    joined pieces are byte for byte msgspec's encoding of the whole value."""
    rng = random.Random(21)
    for _ in range(500):
        value = _value(rng)
        whole = msgspec.json.encode(value)
        for batch in (1, 2, 3, 100):
            assert b"".join(json_chunks(value, batch)) == whole


def test_a_large_dict_is_encoded_in_pieces_of_one_batch() -> None:
    """No piece holds more than a batch of a large container (the story index's
    vocabulary: hundreds of thousands of terms)."""
    vocab = {f"wort{i}": [i, i % 7] for i in range(20_000)}
    value = {"index": {"df": vocab, "archive": [{"c": {"a": 1.0}}] * 5000}, "seen": ["x"] * 3}
    pieces = list(json_chunks(value, 500))
    whole = b"".join(pieces)
    assert whole == msgspec.json.encode(value)
    assert max(len(p) for p in pieces) < len(whole) / 30


def test_a_state_is_stored_as_text_when_small_and_compressed_when_large() -> None:
    small = {"n": 1, "w": "Grüße"}
    text = encode_state(small)
    assert isinstance(text, str) and json.loads(text) == small
    big = {"df": {f"wort{i}": i for i in range(3000)}}
    stored = encode_state(big)
    assert isinstance(stored, bytearray) and len(msgspec.json.encode(big)) > COMPRESS_AT
    assert zlib.decompress(stored) == msgspec.json.encode(big)  # ASCII already
    assert decode_state(stored) == big and decode_state(encode_state(small)) == small


def test_a_state_is_stored_as_ascii_and_reads_back_every_character() -> None:
    """Letters beyond ASCII (umlauts, „quotes“, CJK, an emoji beyond the BMP) are stored as
    JSON escapes, so the text decoded from the store takes one byte per character."""
    words = ["Straße", "„Streik“ – Köln", "東京", "🚆 Bahn", "plain"]
    big = {"titles": words * 400, "df": {w: i for i, w in enumerate(words)}}
    small = {"w": words}
    for value in (big, small):
        stored = encode_state(value)
        raw = zlib.decompress(stored) if not isinstance(stored, str) else stored.encode()
        assert raw.isascii() and b"\\u00df" in raw
        assert decode_state(stored) == value


def test_a_large_state_written_into_its_row_reads_back_and_replaces_the_old_one(
    tmp_path: Path,
) -> None:
    """The compressed state is written into a row made to its size: it reads back equal,
    a second write replaces it (one row per key) and a small state after a large one is
    text again."""
    from lagebild.store.sqlite import Store

    store = Store(tmp_path / "x.db")
    big = {"vocab": {f"wort{i}": i for i in range(20_000)}}
    bigger = {"vocab": {f"wort{i}": i + 1 for i in range(30_000)}}
    store.put_state("index", big)
    assert store.get_state("index") == big
    store.put_state("index", bigger)
    assert store.get_state("index") == bigger
    rows = store.db.execute("SELECT value FROM state WHERE key='index'").fetchall()
    assert len(rows) == 1 and zlib.decompress(rows[0][0]) == msgspec.json.encode(bigger)
    store.put_state("index", {"n": 1})
    assert store.get_state("index") == {"n": 1}
