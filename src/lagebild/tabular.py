"""Machine-readable lists: every list command also writes JSON, JSON Lines, CSV or Parquet.

A list command builds plain records (one flat dict per row, full ids, ISO dates, lists kept as
lists) with the ``*_record`` functions here, and ``write`` puts them out in the chosen format.
The table format stays the command's own (rich) rendering. In CSV a list becomes one cell with
its items joined by ``"; "``; JSON, JSON Lines and Parquet keep lists as lists.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import IO, Any, TypeVar

import click

from lagebild.errors import LagebildError
from lagebild.model import Article, Citation, Fact, Statement, Story, TimelineEvent

FORMATS = ("table", "json", "jsonl", "csv", "parquet")
LIST_SEPARATOR = "; "

Record = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])


def format_options(func: F) -> F:
    """``--format`` and ``--out`` for a list command."""
    func = click.option(
        "--out",
        "out_path",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to this file instead of standard output (needed for parquet on a terminal).",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format; csv joins list items with '; ', parquet needs lagebild[parquet].",
    )(func)


def write(
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    out_path: str | None = None,
) -> None:
    """Write ``records`` (only ``columns``, in that order) as ``fmt`` to a file or stdout."""
    rows = [{c: _plain(r.get(c)) for c in columns} for r in records]
    if fmt == "parquet":
        _write_parquet(rows, columns, out_path)
        return
    if out_path is None:
        _write_text(rows, columns, fmt, sys.stdout)
        return
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        _write_text(rows, columns, fmt, fh)


def _write_text(rows: list[Record], columns: Sequence[str], fmt: str, fh: IO[str]) -> None:
    if fmt == "json":
        fh.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    else:
        raise LagebildError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _write_parquet(rows: list[Record], columns: Sequence[str], out_path: str | None) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise LagebildError(
            "--format parquet needs pyarrow: pip install 'lagebild[parquet]'"
        ) from exc
    if out_path is None and sys.stdout.isatty():
        raise LagebildError("--format parquet writes binary data: give --out FILE or a pipe")
    table = pa.Table.from_pydict({c: [r[c] for r in rows] for c in columns})
    if out_path is not None:
        pq.write_table(table, out_path)
        return
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    sys.stdout.flush()
    sys.stdout.buffer.write(buffer.getvalue())
    sys.stdout.buffer.flush()


def _plain(value: Any) -> Any:
    """JSON-ready scalars and lists (dates as ISO strings, tuples as lists)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return "" if value is None else value


# --------------------------------------------------------------------------- records

ARTICLE_COLUMNS = (
    "id", "published", "modified", "outlet", "language", "title", "authors", "agencies",
    "url", "source", "format", "flags",
)  # fmt: skip


def article_record(a: Article) -> Record:
    return {
        "id": a.id, "published": a.published, "modified": a.modified, "outlet": a.outlet_label,
        "language": a.language, "title": a.title, "authors": list(a.authors),
        "agencies": list(a.agencies), "url": a.url, "source": a.source, "format": a.format,
        "flags": list(a.flags),
    }  # fmt: skip


SEARCH_COLUMNS = ("id", "published", "outlet", "language", "title", "url", "snippet")


def search_record(a: Article, snippet: str) -> Record:
    return {**article_record(a), "snippet": snippet}


STORY_COLUMNS = (
    "id", "title", "articles", "copies", "outlets", "languages", "first", "last",
    "first_precision", "last_precision", "dormant", "article_ids",
)  # fmt: skip


def story_record(s: Story) -> Record:
    return {
        "id": s.id, "title": s.title, "articles": len(s.original_ids),
        "copies": len(s.duplicates), "outlets": list(s.outlets), "languages": list(s.languages),
        "first": s.first, "last": s.last,
        "first_precision": s.first_precision if s.first else None,
        "last_precision": s.last_precision if s.last else None, "dormant": s.dormant,
        "article_ids": list(s.article_ids),
    }  # fmt: skip


ENTITY_COLUMNS = ("id", "name", "type", "mentions", "articles", "outlets", "variants")


def entity_record(data: Mapping[str, Any]) -> Record:
    """An entity row from its JSON shape (``EntityRow.to_json``); variants as plain names."""
    variants = [v[0] if isinstance(v, list | tuple) else v for v in data.get("variants", ())]
    return {**data, "variants": variants}


QUOTE_COLUMNS = ("story", "speaker", "speaker_entity", "form", "text", "article_ids", "outlets")


def quote_record(story_id: str | None, st: Statement, outlets: Mapping[str, str]) -> Record:
    return {
        "story": story_id, "speaker": st.speaker, "speaker_entity": st.speaker_entity,
        "form": st.form, "text": st.text, "article_ids": _cited(st.citations),
        "outlets": list(dict.fromkeys(outlets.get(c.article_id, "") for c in st.citations)),
    }  # fmt: skip


FACT_COLUMNS = (
    "article_id", "outlet", "kind", "value", "value_max", "unit", "approx", "measures",
    "attributed_to", "modality", "text", "start", "end",
)  # fmt: skip


def fact_record(f: Fact) -> Record:
    return {
        "article_id": f.article_id, "outlet": f.outlet, "kind": f.kind, "value": f.value,
        "value_max": f.value_max, "unit": f.unit, "approx": f.approx, "measures": f.measures,
        "attributed_to": f.attributed_to, "modality": f.modality, "text": f.text,
        "start": f.start, "end": f.end,
    }  # fmt: skip


TIMELINE_COLUMNS = (
    "story", "date", "date_end", "granularity", "label", "inferred", "article_ids",
)  # fmt: skip


def timeline_record(story_id: str, e: TimelineEvent) -> Record:
    return {
        "story": story_id, "date": e.date, "date_end": e.date_end,
        "granularity": e.granularity, "label": e.label, "inferred": e.inferred,
        "article_ids": _cited(e.citations),
    }  # fmt: skip


def _cited(citations: Iterable[Citation]) -> list[str]:
    return list(dict.fromkeys(c.article_id for c in citations))


__all__ = ["FORMATS", "format_options", "write"]
