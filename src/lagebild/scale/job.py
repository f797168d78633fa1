"""The work a Spark executor does, as plain functions over JSON-able records.

Records travel between Spark stages as JSON strings: ``{"article": …}`` (an Article as
``model.to_dict`` gives it), ``{"article": …, "analysis": …}`` (an analysed article: its
analysis in the store's compact form, ``store.codec``, base64) or ``{"rejection": …}``. Output
of older versions (``{"doc": …}``, the Doc as ``to_dict`` gives it) still loads. The same
functions run in one process for the tests and ``--master local``.
"""

from __future__ import annotations

import base64
import bisect
import codecs
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from lagebild.config import Config
from lagebild.errors import LagebildError, Rejection
from lagebild.ingest import read_bytes, skipped_in_folders
from lagebild.ingest.jsonl import read_jsonl_lines
from lagebild.ingest.limits import bounded
from lagebild.ingest.sniff import sniff
from lagebild.ingest.stream import megabytes
from lagebild.model import Article, Doc, from_dict, to_dict
from lagebild.pipeline import Pipeline
from lagebild.store.codec import decode_doc, encode_doc


def read_input(source: str, data: bytes, config: Config | None = None) -> Iterator[str]:
    """One input file's articles and rejections, as JSON lines (the readers of ``ingest``;
    the files ``ingest`` passes over in a folder, such as a README, are passed over too)."""
    if skipped_in_folders(source.rsplit("/", 1)[-1]):
        return
    for item in read_bytes(data, _local_name(source), config or Config()):
        key = "rejection" if isinstance(item, Rejection) else "article"
        yield json.dumps({key: to_dict(item)}, ensure_ascii=False)


CHUNK_LINES = 500  # lines of one JSONL input that one task reads (below the reader's GIVE_UP)


def input_parts(
    source: str, data: bytes, config: Config | None = None
) -> Iterator[tuple[str, int, bytes]]:
    """One input split for reading by many tasks: ``(source, first line, bytes)``. A plain
    JSONL file comes in chunks of ``CHUNK_LINES`` lines: read whole, one task parsed and
    cleaned every article of a 10k file (~26 s) while the other cores waited. Anything else
    comes whole (first line 0), for ``read_input``."""
    if not _chunked(source, data, config or Config()):
        yield source, 0, data
        return
    lines = data.split(b"\n")
    for start in range(0, len(lines), CHUNK_LINES):
        yield source, start + 1, b"\n".join(lines[start : start + CHUNK_LINES])


def _chunked(source: str, data: bytes, config: Config) -> bool:
    """Whether reading ``data`` in chunks gives what reading it whole gives: a JSONL file, not
    compressed, without a byte-order mark, whose first chunk holds an article (so the rule
    that gives up on a file whose first lines are all unreadable cannot fire)."""
    name = _local_name(source)
    if skipped_in_folders(name.rsplit("/", 1)[-1]) or data.startswith(_BOMS):
        return False
    if sniff(data[:4096], name) != "jsonl":
        return False
    first = data.split(b"\n", CHUNK_LINES)[:CHUNK_LINES]
    return any(isinstance(x, Article) for x in _chunk_items(first, 1, name, config))


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _chunk_items(
    lines: list[bytes], first: int, name: str, config: Config
) -> Iterator[Article | Rejection]:
    """The items of ``lines`` (numbered from ``first``) as ``read_bytes`` reads them in a whole
    JSONL file: a line longer than a document may be is rejected, articles are bounded."""
    limit = config.ingest.max_document_bytes
    numbered = ((first + i, raw if len(raw) <= limit else None) for i, raw in enumerate(lines))
    too_long = (
        f"line longer than {megabytes(limit)}: too big for one article "
        "(limit: [ingest] max_document_bytes)"
    )
    for item in read_jsonl_lines(numbered, name, config, too_long=too_long):
        yield bounded(item, config) if isinstance(item, Article) else item


def read_part(source: str, first: int, data: bytes, config: Config | None = None) -> Iterator[str]:
    """The JSON lines of one part of ``input_parts``: a chunk of a JSONL file, or a whole input."""
    if first == 0:
        yield from read_input(source, data, config)
        return
    for item in _chunk_items(data.split(b"\n"), first, _local_name(source), config or Config()):
        key = "rejection" if isinstance(item, Rejection) else "article"
        yield json.dumps({key: to_dict(item)}, ensure_ascii=False)


def _local_name(source: str) -> str:
    """``file:/data/x.txt`` as Spark names a local file → ``/data/x.txt``, as ingest does."""
    return source.removeprefix("file://").removeprefix("file:")


def analyse_partition(lines: Iterable[str], config: Config | None = None) -> Iterator[str]:
    """Analysed docs for the article records of one partition (rejections pass through).

    The pipeline is built once per partition: loading the models is the expensive part."""
    pipeline: Pipeline | None = None
    for line in lines:
        record = json.loads(line)
        if "article" not in record:
            yield line
            continue
        pipeline = pipeline or Pipeline(config or Config())
        doc = pipeline(from_dict(Article, record["article"]))
        yield json.dumps(
            {"article": record["article"], "analysis": base64.b64encode(encode_doc(doc)).decode()},
            ensure_ascii=False,
        )


# The analysis CPU of an article grows with its record: 0.94 ms + 3.9 ms per KB of its JSON
# line (r = 0.96 over 500 articles of the 10k bench corpus, 10 to 84 ms each), so a record
# weighs its length plus this fixed part in bytes
ARTICLE_FIXED_BYTES = 240
# the last tasks each take this share of one core's work (~1.7 s of CPU at 10k articles on
# two cores): the core that ends last ends at most one such task after the others
SMALLEST_SHARE = 1 / 64

K = TypeVar("K")


def part_starts(weights: Iterable[tuple[K, int]], cores: int) -> list[K]:
    """The keys at which each analysis task after the first begins: ranges in key (source)
    order whose weights (record length + ``ARTICLE_FIXED_BYTES``) shrink from half of what
    is left per core down to ``SMALLEST_SHARE`` of a core's share. Tasks start in order, so
    the big ones go first and the cores end within about one small task of each other. With
    one range per core cut where ``sortByKey``'s sample of 40 keys said, one core of
    ``local[2]`` got 5,217 of 9,988 articles at 10k: 52.3 % of the predicted work; it used
    52.4 % of the workers' CPU (133.8 / 121.3 s) and ran on alone at the end."""
    ordered = sorted(weights)
    total = sum(ARTICLE_FIXED_BYTES + w for _, w in ordered)
    smallest = total * SMALLEST_SHARE / max(cores, 1)
    left, taken, starts = total, 0, []
    for key, weight in ordered:
        if taken and taken >= max(left / (2 * max(cores, 1)), smallest):
            starts.append(key)
            left, taken = left - taken, 0
        taken += ARTICLE_FIXED_BYTES + weight
    return starts


def part_of(starts: list[K], key: K) -> int:
    """The task (index) whose range of ``part_starts`` holds ``key``."""
    return bisect.bisect_right(starts, key)  # type: ignore[type-var]


def output_docs(folder: str | Path) -> Iterator[Doc]:
    """The analysed articles a job wrote, one at a time, in the order it wrote them (sorted
    by source, as ``ingest`` reads a folder): the output may be larger than memory. Each
    analysis is decoded once, here."""
    return (doc for doc, _ in output_records(folder))


def output_records(folder: str | Path) -> Iterator[tuple[Doc, bytes | None]]:
    """``output_docs`` with each analysis as the job encoded it (``store.codec``; None in
    the layout of older versions), so loading stores those bytes instead of encoding the
    decoded doc again."""
    for line in _lines(_checked(folder) / "articles"):
        record = json.loads(line)
        if "analysis" in record:
            article = from_dict(Article, record["article"])
            data = base64.b64decode(record["analysis"])
            yield decode_doc(data, article), data
        else:  # written by an older version
            yield from_dict(Doc, record["doc"]), None


def output_rejections(folder: str | Path) -> list[Rejection]:
    """The inputs the job could not read, with their reasons."""
    lines = _lines(_checked(folder) / "rejections")
    return [from_dict(Rejection, json.loads(line)["rejection"]) for line in lines]


def _checked(folder: str | Path) -> Path:
    root = Path(folder)
    if not (root / "articles").is_dir():
        raise LagebildError(f"{root} is no output of 'lagebild scale run' (no articles/ in it)")
    return root


def _lines(folder: Path) -> Iterator[str]:
    for part in sorted(folder.glob("part-*")) if folder.is_dir() else ():
        with part.open(encoding="utf-8") as lines:
            yield from (line.rstrip("\n") for line in lines if line.strip())


def source_order(source: str) -> tuple[str, int]:
    """ "x.rss#10" after "x.rss#9", "x.jsonl:10" after "x.jsonl:9": the file, then the item."""
    m = re.fullmatch(r"(.*?)(?:[#:](\d+))?", source)
    assert m is not None  # the pattern matches every string
    return m[1], int(m[2] or 0)


__all__ = [
    "analyse_partition",
    "input_parts",
    "output_docs",
    "output_records",
    "output_rejections",
    "part_of",
    "part_starts",
    "read_input",
    "read_part",
    "source_order",
]
