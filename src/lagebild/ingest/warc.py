"""WARC and WARC.gz files (warcio), e.g. Common Crawl CC-NEWS: HTML responses only."""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.model import Article


def read_warc(
    data: bytes, source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    """One article per successful HTML response; other records are skipped."""
    from lagebild.ingest.html import read_html

    config = config or Config()
    n = 0
    try:
        records = ArchiveIterator(io.BytesIO(data))
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            item = f"{source}#{url or n}"
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            status = record.http_headers.get_statuscode() or ""
            if "html" not in ctype:
                continue
            if not status.startswith("2"):
                yield Rejection(item, "ingest", f"HTTP status {status} in WARC record")
                continue
            try:
                body = record.content_stream().read()
            except Exception as exc:
                yield Rejection(item, "ingest", f"unreadable WARC record body: {exc}")
                continue
            yield read_html(body, item, config, url=url or None)
        # warcio stops quietly at a cut-off gzip member: bytes left after the last record
        # it parsed mean the file ends early
        end = (records.get_record_offset() or 0) + (records.get_record_length() or 0)
        if end and end < len(data):
            yield Rejection(
                source,
                "ingest",
                f"WARC file ends early: {len(data) - end} bytes after record {n} unreadable",
            )
    except ArchiveLoadFailed as exc:
        yield Rejection(source, "ingest", f"not a readable WARC file: {exc}")
    except (EOFError, OSError, ValueError) as exc:
        yield Rejection(
            source, "ingest", f"WARC file ends early or is corrupt after {n} records: {exc}"
        )
    except (AttributeError, KeyError, TypeError, IndexError) as exc:
        # warcio trips over records whose headers it cannot parse (a response without
        # WARC-Target-URI): the records before it are kept, the file is reported
        yield Rejection(
            source, "ingest", f"malformed WARC record after {n} records ({type(exc).__name__})"
        )
