"""RSS and Atom feeds (feedparser), with German dates feedparser does not know.

Every entry becomes an article. An entry that carries only a summary (no full content) is
kept and flagged ``summary-only``: it still tells which outlet covered what, and when.
An entry's raw input is the feed with that entry alone (the feed's own head and tail around
the entry's markup, as read), so it can be read again by itself (``lagebild reread``) and
nothing of it is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import IO, Any
from xml.sax import SAXException

import feedparser
import lxml.html

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest import rules
from lagebild.ingest.lang import detect
from lagebild.ingest.textdump import agency_credit
from lagebild.model import Article, Removed, article_id

_MONTHS = {
    "jan": 1, "jän": 1, "feb": 2, "mär": 3, "mrz": 3, "mar": 3, "apr": 4, "mai": 5, "may": 5,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dez": 12, "dec": 12,
}  # fmt: skip
_ZONES = {"MEZ": 1, "CET": 1, "MESZ": 2, "CEST": 2, "UTC": 0, "GMT": 0, "Z": 0, "WEZ": 0, "WESZ": 1}
_GERMAN_DATE = re.compile(
    r"^(?:[A-Za-zÄÖÜäöü]{2,10}\.?,?\s*)?(?P<d>\d{1,2})\.?\s+(?P<m>[A-Za-zÄÖÜäöü]{3,10})\.?\s+"
    r"(?P<y>\d{4})(?:,?\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?\s*(?P<tz>[A-Z]{1,5}|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_feed_date(value: str) -> datetime | None:
    """A feed date in RFC 822/3339 form or its German variants ("Mi, 13 Sep 2023 10:00:00 MESZ")."""
    value = value.strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    except ValueError:
        pass
    m = _GERMAN_DATE.match(value)
    if not m:
        return None
    month = _MONTHS.get(m.group("m")[:3].lower())
    if month is None:
        return None
    tz = m.group("tz") or "UTC"
    if tz in _ZONES:
        offset = timedelta(hours=_ZONES[tz])
    elif re.match(r"[+-]\d{2}:?\d{2}$", tz):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    else:
        return None
    try:
        local = datetime(
            int(m.group("y")), month, int(m.group("d")),
            int(m.group("H") or 0), int(m.group("M") or 0), int(m.group("S") or 0),
            tzinfo=timezone(offset),
        )  # fmt: skip
    except ValueError:
        return None
    return local.astimezone(UTC)


def read_feed(
    data: bytes, source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    """One article per feed entry."""
    config = config or Config()
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield Rejection(source, "ingest", f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
        return
    if not parsed.entries:
        yield Rejection(source, "ingest", "feed has no entries")
        return
    outlet = parsed.feed.get("title") or None
    feed_lang = (parsed.feed.get("language") or "")[:2].lower() or None
    alone = entry_documents(data, parsed.get("encoding"), len(parsed.entries))
    for n, entry in enumerate(parsed.entries):
        item_source = f"{source}#{n + 1}"
        item = _entry(entry, item_source, outlet, feed_lang, config)
        if alone is not None and isinstance(item, Article):
            item = replace(item, raw=alone[n])
        yield item
    if parsed.bozo and isinstance(parsed.bozo_exception, SAXException):
        # a cut-off or broken feed: the entries before the fault were read, the rest is lost
        yield Rejection(
            source,
            "ingest",
            f"feed XML is malformed after {len(parsed.entries)} entries "
            f"({parsed.bozo_exception}); what follows was not read",
        )


_ENTRY = re.compile(r"<(item|entry)(?=[\s>/]).*?</\1\s*>", re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def entry_documents(data: bytes, encoding: str | None, expected: int) -> list[str] | None:
    """Each entry as a feed of its own: the feed's text up to its first entry, the entry, the
    text after its last entry. None when the markup does not show exactly the ``expected``
    entries feedparser read (a cut-off feed, an entry element inside content)."""
    try:
        text = data.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return None
    found = list(_ENTRY.finditer(text))
    if len(found) != expected or not found:
        return None
    # the text is stored decoded: its declaration must not name the encoding it had
    head = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', text[: found[0].start()])
    tail = text[found[-1].end() :]
    return [head + m.group(0) + tail for m in found]


def _entry(
    entry: Any, source: str, outlet: str | None, feed_lang: str | None, config: Config
) -> Article | Rejection:
    title = _plain(entry.get("title", ""))
    content = ""
    if entry.get("content"):
        content = "\n\n".join(_paragraphs(c.get("value", "")) for c in entry.content)
    summary = _paragraphs(entry.get("summary", ""))
    flags: tuple[str, ...] = ()
    text = content.strip()
    if len(text) < len(summary) or not text:
        text, flags = summary.strip(), ("summary-only",)
    if not title and not text:
        return Rejection(source, "ingest", "feed entry without title or text")
    if not text:
        text, flags = title, ("title-only",)
    removed: tuple[Removed, ...] = ()
    credit = agency_credit(text, rules.agencies())
    if credit is not None and credit[1]:
        found, text = credit
        agencies_in_text = tuple(found)
        removed = (Removed(f"({'/'.join(found)})", "agency-credit"),)
    else:
        agencies_in_text = ()
    stated = {key: _entry_date(entry, key) for key in ("published", "updated", "created")}
    # A feed may give only "updated" (Atom requires it, "published" is optional): then it is
    # the one date there is. Given both, "updated" is the last update, kept when later.
    published = stated["published"] or stated["updated"] or stated["created"]
    modified = stated["updated"] if stated["published"] else None
    if modified is not None and published is not None and modified <= published:
        modified = None
    url = entry.get("link") or None
    authors, agencies = _credits([a.get("name", "") for a in entry.get("authors", [])], outlet)
    agencies = tuple(dict.fromkeys((*agencies, *agencies_in_text)))
    lang = feed_lang if feed_lang in config.languages else detect(f"{title}\n{text}", config)
    return Article(
        id=article_id(title, text, url),
        title=title or text[:80],
        text=text,
        source=source,
        format="rss",
        url=url,
        outlet=outlet,
        authors=authors,
        agencies=agencies,
        published=published,
        published_source="feed" if published else None,
        modified=modified,
        language=lang,
        flags=flags,
        removed=removed,
        raw=str(entry.get("summary", "")) + ("\n\n" + content if content else ""),
    )


def _credits(names: list[str], outlet: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Feed author fields as (people, agencies): "APA/dpa" is two agencies, the feed's own
    name is no author."""
    known = rules.agencies()
    people: list[str] = []
    agencies: list[str] = []
    for raw in names:
        for name in (n.strip() for n in re.split(r"[/,;&]|\s+und\s+|\s+and\s+", raw)):
            if not name or (outlet and name.casefold() == outlet.casefold()):
                continue
            target = agencies if name in known else people
            if name not in target:
                target.append(name)
    return tuple(people), tuple(agencies)


def _entry_date(entry: Any, key: str) -> datetime | None:
    """The entry's own ``key`` date (``dict.get``: feedparser's mapping would answer "updated"
    with "published" when the entry has no update)."""
    raw = dict.get(entry, key)
    if not raw:
        return None
    return parse_feed_date(raw) or _from_struct(dict.get(entry, f"{key}_parsed"))


def _from_struct(struct: Any) -> datetime | None:
    if not struct:
        return None
    return datetime(*struct[:6], tzinfo=UTC)


def _plain(html: str) -> str:
    if "<" not in html:
        return re.sub(r"\s+", " ", html).strip()
    return re.sub(r"\s+", " ", lxml.html.fromstring(f"<div>{html}</div>").text_content()).strip()


def _paragraphs(html: str) -> str:
    """Text of an HTML fragment, one paragraph per block element."""
    if not html.strip():
        return ""
    if "<" not in html:
        return html.strip()
    root = lxml.html.fromstring(f"<div>{html}</div>")
    blocks = root.xpath(".//p|.//li|.//h2|.//h3|.//blockquote")
    if not blocks:
        return _plain(html)
    return "\n\n".join(
        t for t in (re.sub(r"\s+", " ", b.text_content()).strip() for b in blocks) if t
    )


STREAM_ABOVE = 8_000_000  # a feed larger than this is read entry by entry
_ENTRY_START = re.compile(rb"<(item|entry)(?=[\s>/])")
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w:.-]*)[^>]*?(/?)>")
_CHUNK = 1 << 20


def read_feed_stream(
    stream: IO[bytes], source: str, config: Config | None = None
) -> Iterator[Article | Rejection]:
    """One article per entry of a feed in a stream. A feed up to ``STREAM_ABOVE`` bytes is
    read whole; a bigger one entry by entry (each parsed as the feed's head, the entry and
    the closing tags of the head), so memory does not grow with the feed."""
    config = config or Config()
    first = stream.read(STREAM_ABOVE + 1)
    if len(first) <= STREAM_ABOVE:
        yield from read_feed(first, source, config)
        return
    yield from _entries(first, stream, source, config)


def _entries(
    buffer: bytes, stream: IO[bytes], source: str, config: Config
) -> Iterator[Article | Rejection]:
    limit = config.ingest.max_document_bytes
    start = _ENTRY_START.search(buffer)
    if start is None:
        yield Rejection(source, "ingest", "no feed entry in the first part of a large feed")
        return
    head = buffer[: start.start()]
    tail = b"".join(b"</" + tag + b">" for tag in reversed(_open_tags(head)))
    buffer = buffer[start.start() :]
    n = 0
    while True:
        m = _ENTRY_START.match(buffer)
        end = -1
        if m is not None:
            close = b"</" + m.group(1)
            end = buffer.find(close)
            end = buffer.find(b">", end) if end >= 0 else -1
        if m is None or end < 0:
            more = stream.read(_CHUNK)
            if not more:
                if buffer.strip() and m is not None:
                    yield Rejection(source, "ingest", f"feed ends inside entry {n + 1}; it is lost")
                return
            if len(buffer) > limit:
                yield Rejection(
                    source,
                    "ingest",
                    f"feed entry {n + 1} larger than {limit / 1_000_000:g} MB; the rest of "
                    "the feed is not read (limit: [ingest] max_document_bytes)",
                )
                return
            buffer += more
            nxt = _ENTRY_START.search(buffer)
            if m is None and nxt is not None:
                buffer = buffer[nxt.start() :]
            continue
        n += 1
        entry, buffer = buffer[: end + 1], buffer[end + 1 :]
        items = list(read_feed(head + entry + tail, f"{source}#{n}", config))
        for item in items:
            if isinstance(item, Article):
                yield replace(item, source=f"{source}#{n}")
            else:
                yield item
        nxt = _ENTRY_START.search(buffer)
        buffer = buffer[nxt.start() :] if nxt is not None else buffer[-64:]


def _open_tags(head: bytes) -> list[bytes]:
    """Elements the head opens and leaves open (rss, channel; feed), outermost first."""
    stack: list[bytes] = []
    for m in _TAG.finditer(head):
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if empty:
            continue
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
        else:
            stack.append(name)
    return stack
