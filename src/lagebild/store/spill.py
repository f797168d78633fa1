"""Per-article records kept on disk between two steps of one run (``Spill``).

An ingest analyses every new article before it clusters them in publication order, and the
clusterer's features of one article (terms, shingles, names) take ~55 KB in memory: 100,000
articles would hold 5.5 GB until clustering. A spill keeps each record pickled and compressed
in an unnamed temporary file (~8 KB) and only its offset in memory, so a run's memory no
longer grows with the number of articles it analyses.
"""

from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Iterator, MutableMapping
from typing import IO, Generic, TypeVar

V = TypeVar("V")


class Spill(MutableMapping[str, V], Generic[V]):
    """A mapping of ids to picklable values, the values on disk; closed when dropped."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._where: dict[str, tuple[int, int]] = {}
        self._end = 0

    def _out(self) -> IO[bytes]:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="lagebild-spill-")  # noqa: SIM115 (closed by close)
        return self._file

    def __setitem__(self, key: str, value: V) -> None:
        data = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        out = self._out()
        out.seek(self._end)
        out.write(data)
        self._where[key] = (self._end, len(data))
        self._end += len(data)

    def __getitem__(self, key: str) -> V:
        start, size = self._where[key]
        assert self._file is not None
        self._file.seek(start)
        return pickle.loads(zlib.decompress(self._file.read(size)))

    def __delitem__(self, key: str) -> None:
        del self._where[key]  # the bytes stay until the file is closed
        if not self._where:
            self.close()

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._where.clear()
        self._end = 0

    def __del__(self) -> None:
        self.close()


__all__ = ["Spill"]
