"""WARC and WARC.gz files (warcio), e.g. Common Crawl CC-NEWS: HTML responses only.

Read record by record from a stream, so a file of gigabytes takes the memory of one record.
Nothing is lost silently: a record whose body the file cuts off is rejected (not stored as
half an article), and bytes after the last complete record are reported with the record
number and offset where reading stopped.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest.stream import megabytes, open_gzip
from lagebild.model import Article

_DRAIN = 1 << 20


def read_warc(
    data: bytes, source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    """One article per successful HTML response in ``data``."""
    yield from read_warc_stream(io.BytesIO(data), source, config)


def read_warc_stream(
    stream: IO[bytes],
    source: str,
    config: Config | None = None,
    *,
    skip: int = 0,
    again: bool = False,
) -> Iterator[Article | Rejection]:
    """One article per successful HTML response; other records are skipped (and the first
    ``skip`` records, read before)."""
    config = config or Config()
    state = _State()
    try:
        records = ArchiveIterator(stream)
        for record in records:
            state.number += 1
            if state.number > skip:
                yield from _record(record, source, state, config)
            records.read_to_end()
            if _complete(record, records):
                state.good_end = records.offset
            else:
                state.cut = True
                break
    except ArchiveLoadFailed as exc:
        if "non-chunked" in str(exc) and not again and stream.seekable():
            # one gzip stream around the whole file (``gzip x.warc``), not one per record:
            # read it again decompressed, past the records already read
            stream.seek(0)
            plain = open_gzip(stream, source, config.ingest)
            yield from read_warc_stream(plain, source, config, skip=state.number, again=True)
            return
        yield Rejection(source, "ingest", f"not a readable WARC file: {exc}")
        return
    except (EOFError, OSError, ValueError) as exc:
        yield Rejection(
            source,
            "ingest",
            f"WARC file ends early or is corrupt after {state.number} records: {exc}",
        )
        return
    except (AttributeError, KeyError, TypeError, IndexError) as exc:
        # warcio trips over records whose headers it cannot parse (a response without
        # WARC-Target-URI): the records before it are kept, the file is reported
        yield Rejection(
            source,
            "ingest",
            f"malformed WARC record after {state.number} records ({type(exc).__name__})",
        )
        return
    total = _size(stream)
    if total is not None and total > state.good_end:
        done = state.number - 1 if state.cut else state.number
        yield Rejection(
            source,
            "ingest",
            f"WARC file ends early: {total - state.good_end} bytes after record {done} "
            f"(offset {state.good_end}) unreadable; the records there are lost",
        )


class _State:
    __slots__ = ("cut", "good_end", "number")

    def __init__(self) -> None:
        self.number = 0  # records seen
        self.good_end = 0  # offset after the last complete record
        self.cut = False


def _record(
    record: Any, source: str, state: _State, config: Config
) -> Iterator[Article | Rejection]:
    from lagebild.ingest.html import read_html

    if record.rec_type != "response" or record.http_headers is None:
        return
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    item = f"{source}#{url or state.number}"
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    status = record.http_headers.get_statuscode() or ""
    if "html" not in ctype:
        return
    if not status.startswith("2"):
        yield Rejection(item, "ingest", f"HTTP status {status} in WARC record")
        return
    limit = config.ingest.max_document_bytes
    if (record.length or 0) > limit:
        yield Rejection(
            item,
            "ingest",
            f"WARC record larger than {megabytes(limit)}: too big for one article "
            "(limit: [ingest] max_document_bytes)",
        )
        return
    try:
        body = record.content_stream().read()
    except Exception as exc:
        yield Rejection(item, "ingest", f"unreadable WARC record body: {exc}")
        return
    if not _complete(record):
        yield Rejection(
            item,
            "ingest",
            f"WARC record {state.number} is cut off: the file ends inside its body "
            f"({getattr(record.raw_stream, 'limit', 0)} bytes missing)",
        )
        return
    yield read_html(body, item, config, url=url or None)


def _complete(record: Any, records: ArchiveIterator | None = None) -> bool:
    """Whether the record was all there: its headers, its body and (read to its end) its
    gzip member. warcio stops quietly at a cut-off file."""
    if record.rec_type is None or record.length is None:
        return False
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():  # headers cut off inside the length
        return False
    if getattr(record.raw_stream, "limit", 0):
        return False
    decompressor = records.reader.decompressor if records is not None else None
    return decompressor is None or getattr(decompressor, "eof", True)


def _size(stream: IO[bytes]) -> int | None:
    """Bytes in the stream in all: read to its end (without keeping them) when needed."""
    try:
        while stream.read(_DRAIN):
            pass
        return stream.tell()
    except (OSError, ValueError, EOFError):
        return None
