"""Readers: every input kind becomes a stream of Articles (or Rejections, never silence).

``read_sources`` walks files, directories and URLs, picks the reader by content as much as
by name, and turns each failure into a ``Rejection`` naming the input and the reason, so a
batch always goes on past a bad file.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from lagebild.config import Config
from lagebild.errors import ConfigError, IngestError, Rejection
from lagebild.ingest.fetch import Fetcher, UrllibFetcher
from lagebild.ingest.sniff import Kind, sniff
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
    """Articles from one file of any supported kind; problems become Rejections."""
    config = config or Config()
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejection(source, STAGE, f"cannot read file: {exc.strerror or exc}")
        return
    yield from read_bytes(data, source, config)


def read_bytes(
    data: bytes, source: str, config: Config | None = None, url: str | None = None
) -> Iterator[Article | Rejection]:
    """Articles from the bytes of one input (``source`` names it in errors and records)."""
    config = config or Config()
    try:
        kind, payload = _unwrap(data, source)
        yield from _dispatch(kind, payload, source, config, url)
    except IngestError as exc:
        yield Rejection(exc.source, STAGE, exc.reason)
    except ConfigError:
        raise  # the settings are wrong, not this input: stop with the config's message
    except Exception as exc:  # a reader's own failure must not end the batch
        log.warning("unexpected failure reading %s", source, exc_info=True)
        yield Rejection(
            source, STAGE, f"could not be read: unexpected {type(exc).__name__} ({exc})"
        )


def _unwrap(data: bytes, source: str) -> tuple[Kind, bytes]:
    if not data.strip():
        raise IngestError(source, "empty file")
    kind = sniff(data, source)
    if kind == "gzip":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise IngestError(source, f"truncated or corrupt gzip file ({exc})") from exc
        if not data.strip():
            raise IngestError(source, "empty file after decompression")
        kind = sniff(data, source.removesuffix(".gz"))
        if kind == "gzip":
            raise IngestError(source, "gzip inside gzip is not supported")
    if kind == "warc-gz":
        kind = "warc"
    if kind == "binary" and data.startswith(_WIDE_BOMS):
        data = _to_utf8(data, source)
        kind = sniff(data, source.removesuffix(".gz"))
    if kind == "binary":
        raise IngestError(source, "binary file, not text, HTML, a feed, WARC or JSONL")
    return kind, data


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
    kind: Kind, data: bytes, source: str, config: Config, url: str | None
) -> Iterator[Article | Rejection]:
    if kind == "warc":
        from lagebild.ingest.warc import read_warc

        yield from read_warc(data, source, config)
    elif kind == "feed":
        from lagebild.ingest.feed import read_feed

        yield from read_feed(data, source, config)
    elif kind == "jsonl":
        from lagebild.ingest.jsonl import read_jsonl

        yield from read_jsonl(data, source, config)
    elif kind == "html":
        from lagebild.ingest.html import read_html

        yield read_html(data, source, config, url=url)
    else:
        from lagebild.ingest.textdump import read_text_dump

        yield read_text_dump(data, source, config)


def _read_url(url: str, config: Config, fetcher: Fetcher) -> Iterator[Article | Rejection]:
    try:
        response = fetcher.fetch(url)
    except IngestError as exc:
        yield Rejection(exc.source, STAGE, exc.reason)
        return
    yield from read_bytes(response.body, url, config, url=response.url)


__all__ = ["Fetcher", "read_bytes", "read_file", "read_sources", "skipped_in_folders"]
