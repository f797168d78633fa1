"""JSON Lines: one article per line.

Fields (only ``text`` or ``html`` is required):
``title``, ``text`` (plain body; paragraphs separated by blank lines), ``html`` (a whole page,
read like an HTML file when there is no ``text``), ``url``, ``outlet``, ``published`` and
``modified`` (ISO 8601; UTC assumed without offset), ``language`` or ``lang`` (ISO 639-1),
``authors`` (list or string), ``agencies`` (list or string). Unknown fields are ignored;
``id`` is ignored too, because lagebild's id is the hash of the content.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest.decode import decode_text
from lagebild.ingest.lang import detect
from lagebild.model import Article, article_id

FIELDS = (
    "title",
    "text",
    "html",
    "url",
    "outlet",
    "published",
    "modified",
    "language",
    "lang",
    "authors",
    "agencies",
)


def read_jsonl(
    data: bytes, source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    config = config or Config()
    for lineno, line in enumerate(decode_text(data).split("\n"), start=1):
        if not line.strip():
            continue
        item = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(item, "ingest", f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield Rejection(item, "ingest", "line is JSON but not an object")
            continue
        yield _article(obj, item, config)


def article_from_object(obj: dict[str, Any], source: str, config: Config) -> Article | Rejection:
    """The article of one JSON object (one JSONL line, or a stored one read again)."""
    return _article(obj, source, config)


def _article(obj: dict[str, Any], source: str, config: Config) -> Article | Rejection:
    text = obj.get("text")
    if not (isinstance(text, str) and text.strip()):
        if isinstance(obj.get("html"), str) and obj["html"].strip():
            from lagebild.ingest.html import read_html

            return read_html(obj["html"].encode("utf-8"), source, config, url=obj.get("url"))
        return Rejection(source, "ingest", "no 'text' (or 'html') field with content")
    title = str(obj.get("title") or "").strip()
    url = obj.get("url") or None
    dates: dict[str, datetime | None] = {}
    for key in ("published", "modified"):
        try:
            dates[key] = _iso_date(obj.get(key))
        except ValueError:
            return Rejection(source, "ingest", f"'{key}' is not an ISO 8601 date: {obj[key]!r}")
    published, modified = dates["published"], dates["modified"]
    lang = obj.get("language") or obj.get("lang") or detect(f"{title}\n{text}", config)
    body = text.strip()
    return Article(
        id=article_id(title, body, url),
        title=title or body.split("\n", 1)[0][:120],
        text=body,
        source=source,
        format="jsonl",
        url=url,
        outlet=obj.get("outlet") or None,
        authors=_names(obj.get("authors")),
        agencies=_names(obj.get("agencies")),
        published=published,
        published_source="jsonl" if published else None,
        modified=modified,
        language=lang,
        raw=json.dumps(obj, ensure_ascii=False),
    )


def _iso_date(value: Any) -> datetime | None:
    """An ISO 8601 date in UTC (UTC assumed without offset); ValueError when it is none."""
    if not value:
        return None
    when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(x.strip() for x in value.split(",") if x.strip())
    if isinstance(value, list):
        return tuple(str(x).strip() for x in value if str(x).strip())
    return ()
