"""JSON Lines: one article per line.

Fields (only ``text`` or ``html`` is required):
``title``, ``text`` (plain body; paragraphs separated by blank lines), ``html`` (a whole page,
read like an HTML file when there is no ``text``), ``url``, ``outlet``, ``published`` and
``modified`` (ISO 8601, or RFC 2822 as feeds write it, "Tue, 02 Apr 2019 10:00:00 +0200"; UTC
assumed without offset; ``published`` may be known only to the month, "2019-04", or year,
"2019", and keeps that precision), ``language`` or ``lang`` (ISO 639-1),
``authors`` (list or string), ``agencies`` (list or string). Unknown fields are ignored;
``id`` is ignored too, because lagebild's id is the hash of the content.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest.boilerplate import clean_body
from lagebild.ingest.decode import decode_text
from lagebild.ingest.feed import parse_feed_date
from lagebild.ingest.lang import detect
from lagebild.ingest.stream import lines, megabytes
from lagebild.model import Article, article_id, parse_published

log = logging.getLogger(__name__)

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
    """One article per line of ``data``; a bad line is one rejection and the rest goes in."""
    yield from read_jsonl_lines(enumerate(data.split(b"\n"), start=1), source, config)


def read_jsonl_stream(
    stream: IO[bytes], source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    """One article per line of a binary stream, read line by line."""
    config = config or Config()
    limit = megabytes(config.ingest.max_document_bytes)
    yield from read_jsonl_lines(
        lines(stream, source, config.ingest),
        source,
        config,
        too_long=f"line longer than {limit}: too big for one article "
        "(limit: [ingest] max_document_bytes)",
    )


def read_jsonl_lines(
    numbered: Iterable[tuple[int, bytes | str | None]],
    source: str,
    config: Config | None = None,
    too_long: str = "line too long",
) -> Iterator[Article | Rejection]:
    """One article per (line number, line); a line streamed from a file is read on its own, so
    memory does not grow with the file. A line given as None was too long to read.

    When the first ``GIVE_UP`` lines are all unreadable, the file is no JSONL of articles
    and the rest of it is skipped with one rejection (no flood of rejections).
    """
    config = config or Config()
    bad_run = 0
    seen_good = False
    for lineno, raw in numbered:
        item = f"{source}:{lineno}"
        if raw is None:
            yield Rejection(item, "ingest", too_long)
            continue
        line = raw if isinstance(raw, str) else decode_text(raw)
        if not line.strip():
            continue
        if not seen_good and bad_run >= GIVE_UP:
            yield Rejection(
                f"{source}:{lineno}-",
                "ingest",
                f"the first {GIVE_UP} lines are all unreadable: not a JSONL file of articles; "
                "the rest of the file is skipped",
            )
            return
        result = _line(line, item, config)
        if isinstance(result, Article):
            seen_good = True
        else:
            bad_run += 1
        yield result


GIVE_UP = 1000


def _line(line: str, item: str, config: Config) -> Article | Rejection:
    """The article of one JSONL line, or why it is none."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(item, "ingest", f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Rejection(item, "ingest", "invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Rejection(item, "ingest", "line is JSON but not an object")
    try:
        return _article(obj, item, config)
    except Exception as exc:  # one line's surprise must not drop the rest of the file
        log.warning("unexpected failure reading %s", item, exc_info=True)
        return Rejection(
            item, "ingest", f"could not be read: unexpected {type(exc).__name__} ({exc})"
        )


def article_from_object(obj: dict[str, Any], source: str, config: Config) -> Article | Rejection:
    """The article of one JSON object (one JSONL line, or a stored one read again)."""
    return _article(obj, source, config)


class FieldError(ValueError):
    """One field of a JSON object with a value lagebild cannot take."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"field '{name}' {reason}")


def _article(obj: dict[str, Any], source: str, config: Config) -> Article | Rejection:
    try:
        fields = _fields(obj)
    except FieldError as exc:
        return Rejection(source, "ingest", str(exc))
    text = fields["text"]
    url = fields["url"]
    if not text.strip():
        if fields["html"].strip():
            from lagebild.ingest.html import read_html

            return read_html(fields["html"].encode("utf-8"), source, config, url=url)
        return Rejection(source, "ingest", "no 'text' (or 'html') field with content")
    title = fields["title"].strip()
    published, modified = fields["published"], fields["modified"]
    lang = fields["language"] or detect(f"{title}\n{text}", config)
    body, removed = clean_body(text.strip())
    if not body:  # "Der Volltext … steht nicht mehr zur Verfügung" and nothing else
        what = ", ".join(sorted({r.reason for r in removed}))
        return Rejection(
            source, "ingest", f"no article text: the body is only boilerplate ({what})"
        )
    return Article(
        id=article_id(title, text.strip(), url),  # the id of the text as given
        title=title or body.split("\n", 1)[0][:120],
        text=body,
        source=source,
        format="jsonl",
        url=url,
        outlet=fields["outlet"].strip() or None,
        authors=fields["authors"],
        agencies=fields["agencies"],
        published=published,
        published_source="jsonl" if published else None,
        published_precision=fields["precision"],
        modified=modified,
        language=lang,
        captions=tuple(r.text for r in removed if r.reason == "caption"),
        removed=removed,
        raw=json.dumps(obj, ensure_ascii=False),
    )


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def _fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The known fields of ``obj``, checked; raises FieldError naming the first bad one."""
    out: dict[str, Any] = {}
    for name in ("title", "text", "html", "url", "outlet"):
        out[name] = _string(obj, name)
    out["url"] = out["url"].strip() or None
    for name in ("published", "modified"):
        out[name] = _date(obj, name)
    out["precision"] = "day"
    if out["published"] is not None and _PARTIAL_DATE.fullmatch(obj["published"].strip()):
        out["precision"] = parse_published(obj["published"].strip())[1]
    language = ""
    for name in ("language", "lang"):
        language = _string(obj, name).strip()
        if language:
            if not _LANGUAGE.fullmatch(language):
                raise FieldError(name, f"is not a language code such as 'de' or 'en': {language!r}")
            language = language[:3].split("-")[0].split("_")[0].lower()
            break
    out["language"] = language or None
    for name in ("authors", "agencies"):
        out[name] = _names(obj, name)
    return out


def _type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _string(obj: dict[str, Any], name: str) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(name, f"must be a string, not {_type(value)}")
    return value


def _date(obj: dict[str, Any], name: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 date in UTC (UTC assumed without offset), or None when absent.

    RFC 2822 (and its German variants) because dumps of feeds keep the feed's own date
    strings; read by the feed reader's parser."""
    value = obj.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FieldError(name, f"must be an ISO 8601 date string, not {_type(value)}")
    try:
        if _PARTIAL_DATE.fullmatch(value.strip()):  # "2019-04", "2019": the first day of it
            return parse_published(value)[0]
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        when = parse_feed_date(value)
        if when is None:
            raise FieldError(name, f"is not an ISO 8601 or RFC 2822 date: {value!r}") from None
    try:
        return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        raise FieldError(name, f"is out of range in UTC: {value!r}") from None


_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2})?")


def _names(obj: dict[str, Any], name: str) -> tuple[str, ...]:
    value = obj.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(x.strip() for x in value.split(",") if x.strip())
    if isinstance(value, list):
        if not all(isinstance(x, str) for x in value):
            bad = next(x for x in value if not isinstance(x, str))
            raise FieldError(name, f"must list strings, not {_type(bad)}")
        return tuple(x.strip() for x in value if x.strip())
    raise FieldError(name, f"must be a string or a list of strings, not {_type(value)}")
