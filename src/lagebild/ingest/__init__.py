"""Readers: every input kind becomes a stream of Articles (or Rejections, never silence).

``read_sources`` walks files, directories and URLs, picks the reader by content as much as
by name, and turns each failure into a ``Rejection`` naming the input and the reason, so a
batch always goes on past a bad file.
"""

from __future__ import annotations

import codecs
import io
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from lagebild.config import Config
from lagebild.errors import ConfigError, IngestError, Rejection
from lagebild.ingest.fetch import Fetcher, UrllibFetcher
from lagebild.ingest.limits import bounded
from lagebild.ingest.sniff import Kind, sniff
from lagebild.ingest.stream import head, open_gzip, read_document
from lagebild.model import Article

log = logging.getLogger(__name__)

STAGE = "ingest"
_SKIP_NAMES = {"EXPECTED.md", "README.md", "LICENSE", ".DS_Store"}


def read_sources(
    sources: Sequence[str | Path], config: Config | None = None, fetcher: Fetcher | None = None
) -> Iterator[Article | Rejection]:
    """Articles from files, directories (recursively, sorted) and http(s) URLs."""
    config = config or Config()
    for source in sources:
        text = str(source)
        if text.startswith(("http://", "https://")):
            yield from _read_url(text, config, fetcher or UrllibFetcher.from_config(config.fetch))
            continue
        path = Path(source)
        if not path.exists():
            yield Rejection(text, STAGE, "no such file or directory")
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
                if skipped_in_folders(child.name):
                    continue
                if not child.exists():
                    yield Rejection(str(child), STAGE, "broken symbolic link")
                    continue
                if child.is_file():
                    yield from read_file(child, config)
        else:
            yield from read_file(path, config)


def skipped_in_folders(name: str) -> bool:
    """Files a folder holds beside its articles (READMEs, licences, hidden files)."""
    return name in _SKIP_NAMES or name.startswith(".")


def read_file(path: Path, config: Config | None = None) -> Iterator[Article | Rejection]:
    """Articles from one file of any supported kind; problems become Rejections.

    The file is read as a stream: JSONL line by line, WARC record by record, gzip as it is
    decompressed, so memory does not grow with the size of the file.
    """
    config = config or Config()
    source = str(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Rejection(source, STAGE, f"cannot read file: {exc.strerror or exc}")
        return
    with stream:
        yield from read_stream(stream, source, config)


def read_bytes(
    data: bytes, source: str, config: Config | None = None, url: str | None = None
) -> Iterator[Article | Rejection]:
    """Articles from the bytes of one input (``source`` names it in errors and records)."""
    yield from read_stream(io.BytesIO(data), source, config, url)


def read_stream(
    stream: IO[bytes], source: str, config: Config | None = None, url: str | None = None
) -> Iterator[Article | Rejection]:
    """Articles from a seekable binary stream of one input."""
    config = config or Config()
    try:
        for item in _read(stream, source, config, url):
            yield bounded(item, config) if isinstance(item, Article) else item
    except IngestError as exc:
        yield Rejection(exc.source, STAGE, exc.reason)
    except OSError as exc:
        yield Rejection(source, STAGE, f"cannot read file: {exc.strerror or exc}")
    except ConfigError:
        raise  # the settings are wrong, not this input: stop with the config's message
    except Exception as exc:  # a reader's own failure must not end the batch
        log.warning("unexpected failure reading %s", source, exc_info=True)
        yield Rejection(
            source, STAGE, f"could not be read: unexpected {type(exc).__name__} ({exc})"
        )


def _read(
    stream: IO[bytes], source: str, config: Config, url: str | None
) -> Iterator[Article | Rejection]:
    first = head(stream)
    if not first.strip():
        raise IngestError(source, "empty file")
    name = source
    kind = sniff(first, name)
    if kind == "warc-gz":  # warcio reads gzip members record by record itself
        kind = "warc"
    elif kind == "gzip":
        stream = open_gzip(stream, source, config.ingest)
        first = head(stream)
        if not first.strip():
            raise IngestError(source, "empty file after decompression")
        name = source.removesuffix(".gz")
        kind = sniff(first, name)
        if kind in ("gzip", "warc-gz"):
            raise IngestError(source, "gzip inside gzip is not supported")
    if kind == "binary" and first.startswith(_WIDE_BOMS):
        data = _to_utf8(read_document(stream, source, config.ingest, "text"), source)
        stream = io.BytesIO(data)
        kind = sniff(head(stream), name)
    if kind == "binary":
        raise IngestError(source, "binary file, not text, HTML, a feed, WARC or JSONL")
    yield from _dispatch(kind, stream, source, config, url)


# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_WIDE_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)
_BOM_CODECS = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")


def _to_utf8(data: bytes, source: str) -> bytes:
    """Text in UTF-16 or UTF-32 (as a byte-order mark says) as UTF-8 with a UTF-8 mark, so
    every reader and the sniffer see it as the text it is."""
    for bom, name in zip(_WIDE_BOMS, _BOM_CODECS, strict=True):
        if data.startswith(bom):
            try:
                return codecs.BOM_UTF8 + data[len(bom) :].decode(name).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise IngestError(source, f"marked as {name.upper()} but not valid: {exc}") from exc
    return data


def _dispatch(
    kind: Kind, stream: IO[bytes], source: str, config: Config, url: str | None
) -> Iterator[Article | Rejection]:
    if kind == "warc":
        from lagebild.ingest.warc import read_warc_stream

        yield from read_warc_stream(stream, source, config)
    elif kind == "jsonl":
        from lagebild.ingest.jsonl import read_jsonl_stream

        yield from read_jsonl_stream(stream, source, config)
    elif kind == "feed":
        from lagebild.ingest.feed import read_feed_stream

        yield from read_feed_stream(stream, source, config)
    elif kind == "html":
        from lagebild.ingest.html import read_html

        data = read_document(stream, source, config.ingest, "HTML page")
        yield read_html(data, source, config, url=url)
    else:
        from lagebild.ingest.textdump import read_text_dump

        data = read_document(stream, source, config.ingest, "text file")
        yield read_text_dump(data, source, config)


def _read_url(url: str, config: Config, fetcher: Fetcher) -> Iterator[Article | Rejection]:
    try:
        response = fetcher.fetch(url)
    except IngestError as exc:
        yield Rejection(exc.source, STAGE, exc.reason)
        return
    yield from read_bytes(response.body, url, config, url=response.url)


__all__ = [
    "Fetcher",
    "read_bytes",
    "read_file",
    "read_sources",
    "read_stream",
    "skipped_in_folders",
]
