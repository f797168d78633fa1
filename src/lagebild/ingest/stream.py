"""Reading inputs as streams, so memory does not grow with the size of a file.

A gzip file is decompressed as it is read, never whole, behind a bound on the bytes it may
expand to (in all, and in proportion to its compressed size: a gzip bomb is stopped after
its first hundred megabytes, not after it has filled the memory). A document that must be
read whole (an HTML page, a text dump, a feed) is read up to ``max_document_bytes``; JSONL
and WARC go line by line and record by record.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from typing import IO

from lagebild.config import IngestConfig
from lagebild.errors import IngestError

HEAD_BYTES = 256 * 1024  # what the sniffer sees
RATIO_AFTER = 100_000_000  # the expansion ratio is checked once this much has come out


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


class CappedGzip(io.RawIOBase):
    """A gzip stream decompressed on demand; raises IngestError past its bounds.

    ``limit`` bounds the decompressed bytes in all; past ``RATIO_AFTER`` bytes, the output
    may be at most ``ratio`` times the compressed input read so far (text compresses 3-10
    times; zeros a thousand times).
    """

    def __init__(self, raw: IO[bytes], source: str, limit: int, ratio: float) -> None:
        super().__init__()
        self._raw = raw
        self._start = raw.tell() if raw.seekable() else 0
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._source = source
        self._limit = limit
        self._ratio = ratio
        self._out = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._out

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or offset != 0:
            raise io.UnsupportedOperation("a gzip stream only rewinds to its start")
        self._raw.seek(self._start)
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._out = 0
        return 0

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._gz.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise IngestError(
                self._source,
                f"truncated or corrupt gzip file after {self._out} decompressed bytes ({exc})",
            ) from exc
        n = len(data)
        buffer[:n] = data
        self._out += n
        if self._out > self._limit:
            raise IngestError(
                self._source,
                f"gzip file expands to more than {megabytes(self._limit)} "
                "(limit: [ingest] max_decompressed_bytes)",
            )
        if self._out > RATIO_AFTER:
            packed = max(1, self._raw.tell() - self._start)
            if self._out / packed > self._ratio:
                raise IngestError(
                    self._source,
                    f"gzip file expands more than {self._ratio:g} times "
                    f"({megabytes(self._out)} from {megabytes(packed)}): not an archive "
                    "of text (limit: [ingest] max_gzip_ratio)",
                )
        return n


def open_gzip(raw: IO[bytes], source: str, config: IngestConfig) -> io.BufferedReader:
    """The decompressed stream of a gzip input, bounded as the config says."""
    capped = CappedGzip(raw, source, config.max_decompressed_bytes, config.max_gzip_ratio)
    return io.BufferedReader(capped, buffer_size=HEAD_BYTES)


def head(stream: IO[bytes]) -> bytes:
    """The first bytes of a stream, which is rewound to its start."""
    data = stream.read(HEAD_BYTES)
    stream.seek(0)
    return data


def read_document(stream: IO[bytes], source: str, config: IngestConfig, what: str) -> bytes:
    """The whole stream, when it is no larger than one document may be."""
    limit = config.max_document_bytes
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        size = None
    if size is None or size <= limit:
        data = stream.read(limit + 1)
        if len(data) <= limit:
            return data
    raise IngestError(
        source,
        f"{what} larger than {megabytes(limit)}: too big for one article "
        "(limit: [ingest] max_document_bytes)",
    )


def lines(
    stream: IO[bytes], source: str, config: IngestConfig
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a stream, one at a time; a line longer than one document may
    be comes as None (its bytes are skipped, never held)."""
    limit = config.max_document_bytes
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip to the end of this line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line
