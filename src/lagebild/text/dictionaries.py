"""simplemma's lemma dictionaries as memory-mapped hash tables, kept in a cache folder.

Why: simplemma keeps a language's dictionary as an lzma'd front-coded stream and decodes
every entry into a dict the first time a process looks a word up: German's 1,116,464 entries
cost ~1.1 s CPU and ~106 MB of RSS in every process that lemmatises (an ingest, a Spark
worker, a test), before its first article. The table here holds the same entries in one file
that the first process writes (``$LAGEBILD_CACHE`` or ``~/.cache/lagebild``, named by
simplemma's version and data): later processes map it and read only the pages of the words
they look up. A lookup answers exactly what simplemma's own dict answers (same bytes in, same
str out, None for a miss), so every lemma stays the same; where the folder cannot be written,
simplemma's own dict is used.

File layout (native byte order, which is part of the name): a header, then ``slots`` (uint32
per slot: entry number + 1, 0 = empty; open addressing on ``zlib.crc32`` of the key's UTF-8
with linear probing, at most two thirds full), ``keys`` (offsets, uint32 x n+1) and ``values``
(offsets, uint32 x n+1) into one blob of the keys and one of the values, each value written
as an edit of its key (bytes to drop from the key's end, then the bytes to add; 255 = the
value in full): German's values take 1.7 MB so instead of 13. ``mapped_or_built`` keeps any
other word list the same way (``stories.prior``: wordfreq's frequency bands).
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import mmap
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from simplemma.strategies.dictionaries.dictionary_factory import CachingDictionaryFactory

FORMAT = 1
MAGIC = b"LBDICT%02d" % FORMAT
_HEADER = struct.Struct("<8sIIIIII")  # magic, n, slots, then where slots/keys/values start
_WHOLE = 255  # edit code: the value in full
# words looked up lately, with their answers: simplemma's decompounding asks for the same
# parts again and again (~40 % of lookups over 10kGNAD), and a dict hit costs a tenth of a
# probe of the table; cleared when full, so it holds at most this many (~8 MB)
MEMO = 65536
_NOT_ASKED = object()


def cache_root(kind: str = "lemma-dictionaries") -> Path:
    """Where the tables of ``kind`` are kept ($LAGEBILD_CACHE or ~/.cache/lagebild, as
    training's caches)."""
    root = os.environ.get("LAGEBILD_CACHE") or Path.home() / ".cache" / "lagebild"
    return Path(root) / kind


class Table(Mapping[str, str]):
    """A built table (file bytes or a map of the file) read as simplemma reads its dict:
    ``get(word)`` is the lemma, None when the word is not an entry."""

    __slots__ = ("_data", "_keys", "_mask", "_memo", "_n", "_slots", "_values")

    def __init__(self, buf: bytes | mmap.mmap) -> None:
        magic, n, nslots, at_slots, at_keys, at_values, at_blob = _HEADER.unpack_from(buf)
        if magic != MAGIC or nslots & (nslots - 1) or at_blob > len(buf):
            raise ValueError("not a lemma dictionary table of this format")
        view = memoryview(buf)
        self._memo: dict[str, str | None] = {}
        self._n = n
        self._mask = nslots - 1
        self._slots = view[at_slots:at_keys].cast("I")
        self._keys = view[at_keys:at_values].cast("I")
        self._values = view[at_values:at_blob].cast("I")
        if len(self._slots) != nslots or len(self._keys) != n + 1 or len(self._values) != n + 1:
            raise ValueError("a lemma dictionary table cut short")
        self._data = buf  # keys and values are sliced from it (the offsets are absolute)
        if self._values[n] > len(buf):
            raise ValueError("a lemma dictionary table cut short")

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        memo = self._memo
        value = memo.get(key, _NOT_ASKED)
        if value is _NOT_ASKED:
            value = self._find(key)
            if len(memo) >= MEMO:
                memo.clear()
            memo[key] = value
        return default if value is None else value  # type: ignore[return-value]

    def _find(self, key: str) -> str | None:
        """The value of ``key`` in the table (None when it is not an entry)."""
        word = key.encode()
        size = len(word)
        slots, keys, data, mask = self._slots, self._keys, self._data, self._mask
        h = zlib.crc32(word) & mask
        i = slots[h]
        while i:
            start = keys[i - 1]
            if keys[i] - start == size and data[start : start + size] == word:  # length first
                edit = data[self._values[i - 1] : self._values[i]]
                cut = edit[0]
                if cut == _WHOLE:
                    return edit[1:].decode()
                return (word[: len(word) - cut] + edit[1:]).decode()
            h = (h + 1) & mask
            i = slots[h]
        return None

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        keys, data = self._keys, self._data
        for i in range(self._n):
            yield data[keys[i] : keys[i + 1]].decode()

    def __len__(self) -> int:
        return self._n


def build(entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The table file of ``entries`` (UTF-8 key, UTF-8 value; keys distinct)."""
    pairs = list(entries)
    n = len(pairs)
    nslots = 8
    while 2 * nslots < 3 * n:  # at most two thirds full
        nslots *= 2
    mask = nslots - 1
    slots = array.array("I", bytes(4 * nslots))
    keys, values = array.array("I"), array.array("I")
    key_blob, value_blob = bytearray(), bytearray()
    crc = zlib.crc32
    for number, (key, value) in enumerate(pairs, 1):
        h = crc(key) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = number
        keys.append(len(key_blob))
        key_blob += key
        values.append(len(value_blob))
        same = 0
        for a, b in zip(key, value, strict=False):
            if a != b:
                break
            same += 1
        cut = len(key) - same
        if cut < _WHOLE:
            value_blob.append(cut)
            value_blob += value[same:]
        else:
            value_blob.append(_WHOLE)
            value_blob += value
    keys.append(len(key_blob))
    values.append(len(value_blob))
    at_slots = _HEADER.size
    at_keys = at_slots + 4 * nslots
    at_values = at_keys + 4 * (n + 1)
    at_blob = at_values + 4 * (n + 1)
    at_vblob = at_blob + len(key_blob)
    keys = array.array("I", (at_blob + k for k in keys))
    values = array.array("I", (at_vblob + v for v in values))
    head = _HEADER.pack(MAGIC, n, nslots, at_slots, at_keys, at_values, at_blob)
    return b"".join((head, slots.tobytes(), keys.tobytes(), values.tobytes(), key_blob, value_blob))


def _entries(lang: str) -> Iterator[tuple[bytes, bytes]]:
    """simplemma's entries for ``lang`` as its default factory loads them (a factory of our
    own, so its decoded dict is freed once the table is written)."""
    mapping = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)  # simplemma 2's bytes -> bytes dict, if it has one
    if isinstance(raw, dict):
        return iter(raw.items())
    return ((k.encode(), mapping[k].encode()) for k in mapping)


def _name(lang: str) -> str:
    """The file name of ``lang``'s table: what it was built from, by whom, in which byte order."""
    import simplemma

    digest = hashlib.sha1(f"{FORMAT}|{simplemma.__version__}|{sys.byteorder}".encode())
    data = Path(simplemma.__file__).parent / "strategies" / "dictionaries" / "data"
    with contextlib.suppress(OSError):  # in another layout the version names the data
        digest.update((data / f"{lang}.plzma").read_bytes())
    return f"{lang}-{digest.hexdigest()[:16]}.table"


def load(lang: str, folder: Path | None = None) -> Mapping[str, str]:
    """``lang``'s dictionary: the mapped table in ``folder`` (default ``cache_root()``), built
    and written first when missing; simplemma's own dict when it cannot be written."""
    return mapped_or_built((folder or cache_root()) / _name(lang), lambda: _entries(lang))


def mapped_or_built(path: Path, entries: Callable[[], Iterable[tuple[bytes, bytes]]]) -> Table:
    """The table at ``path``, mapped; when missing, built from ``entries()`` and written
    first (whole or not at all), or held in memory where the folder cannot be written. The
    name must say what the entries are made from: a file of that name is never rebuilt."""
    if (table := _mapped(path)) is not None:
        return table
    data = build(entries())  # errors of the source (an unknown language) are the caller's
    if not write_whole(path, data):
        return Table(data)
    return _mapped(path) or Table(data)


def write_whole(path: Path, data: bytes) -> bool:
    """Write a cache file whole or not at all (also with another process writing it), readable
    by other users of a shared cache folder; False when it cannot be written (no half-written
    file is left behind: a full disk, a folder that is not one)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


def _mapped(path: Path) -> Table | None:
    """The table in ``path``, mapped; None when it is missing or not a whole table."""
    try:
        with open(path, "rb") as fh:
            return Table(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        return None


class TableFactory(CachingDictionaryFactory):
    """simplemma's dictionary factory protocol over ``load``: pass it to simplemma's
    ``DefaultStrategy(dictionary_factory=...)``."""

    __slots__ = ("_folder",)

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        super().__init__(cache_max_size=8)

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        return load(lang, self._folder)
