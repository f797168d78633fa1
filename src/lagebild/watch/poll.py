"""One poll of one source: what it holds now that was not read before. No database here.

A feed or page is fetched with the validators of the last fetch (``If-None-Match``,
``If-Modified-Since``); a 304 reads nothing. A feed's entries are known by their id (else
link, else title) and fingerprint (the article id the entry reads as), so an entry is read
again only when it changed. An entry with only a summary gets the page it links to (same
fetcher: same deadline, size cap and address checks); when that fails the summary is kept
and the failure is a rejection. A folder's files are known by size, modification time and
content hash: a new or changed file is read, an untouched one is not even opened, and one
changed a moment ago (perhaps still being written) waits for the next poll.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import feedparser

from lagebild.config import Config
from lagebild.errors import IngestError, Rejection
from lagebild.ingest import read_bytes, skipped_in_folders
from lagebild.ingest.fetch import Fetcher, Response
from lagebild.ingest.sniff import sniff
from lagebild.model import Article

Item = Article | Rejection


@dataclass(slots=True)
class Poll:
    """What one poll found: items to store, items to remember as read, validators."""

    kind: str
    status: str = "unchanged"  # new, not-modified, unchanged, error
    items: list[Item] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (item, fingerprint)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


def poll_url(
    url: str,
    fetcher: Fetcher,
    known: Mapping[str, str],
    config: Config,
    validators: tuple[str | None, str | None] = (None, None),
) -> Poll:
    """A feed or single page: conditional GET, then the entries (or the page) not read yet."""
    etag, modified = validators
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        resp = fetcher.fetch(url, headers)
    except IngestError as exc:
        return Poll("url", "error", error=exc.reason)
    if resp.status == 304:
        return Poll(
            "", "not-modified", etag=resp.etag or etag, last_modified=resp.last_modified or modified
        )
    kind = "feed" if sniff(resp.body, url) == "feed" else "page"
    result = Poll(kind, etag=resp.etag, last_modified=resp.last_modified)
    if kind == "feed":
        _feed_items(resp, url, fetcher, known, config, result)
    else:
        _page_items(resp, url, known, config, result)
    return result


def _page_items(
    resp: Response, url: str, known: Mapping[str, str], config: Config, result: Poll
) -> None:
    items = list(read_bytes(resp.body, url, config, url=resp.url))
    articles = [i for i in items if isinstance(i, Article)]
    if not articles:
        result.status, result.error = "error", "; ".join(i.reason for i in items) or "no article"
        return
    fingerprint = ",".join(a.id for a in articles)
    if known.get("page") != fingerprint:
        result.items, result.status = items, "new"
    result.seen.append(("page", fingerprint))


def _feed_items(
    resp: Response,
    url: str,
    fetcher: Fetcher,
    known: Mapping[str, str],
    config: Config,
    result: Poll,
) -> None:
    keys = [_entry_key(e, n) for n, e in enumerate(feedparser.parse(resp.body).entries)]
    items = list(read_bytes(resp.body, url, config, url=resp.url))
    whole = [i for i in items if isinstance(i, Rejection) and i.source == url]
    if whole and not any(isinstance(i, Article) for i in items):
        result.status, result.error = "error", "; ".join(i.reason for i in whole)
        return
    for item in items:
        n = _entry_number(item.source, url)
        if n is None or n >= len(keys):  # the feed itself (e.g. malformed after entry n)
            result.items.append(item)
            continue
        fingerprint = item.id if isinstance(item, Article) else f"rejected:{item.reason}"
        if known.get(keys[n]) != fingerprint:
            if isinstance(item, Article) and "summary-only" in item.flags:
                result.items.extend(_linked(item, fetcher, config))
            else:
                result.items.append(item)
        result.seen.append((keys[n], fingerprint))
    if any(isinstance(i, Article) for i in result.items):
        result.status = "new"


def _linked(entry: Article, fetcher: Fetcher, config: Config) -> list[Item]:
    """The page a summary-only entry links to, read as an article (the feed's outlet and date
    where the page names none); the summary itself when the page cannot be had."""
    if not (config.watch.fetch_linked and entry.url):
        return [entry]
    try:
        resp = fetcher.fetch(entry.url)
    except IngestError as exc:
        return [
            entry,
            Rejection(entry.url, "watch", f"linked page of a summary-only entry: {exc.reason}"),
        ]
    read = list(read_bytes(resp.body, entry.url, config, url=resp.url))
    page = next((i for i in read if isinstance(i, Article)), None)
    if page is None:
        reasons = "; ".join(i.reason for i in read if isinstance(i, Rejection))
        return [
            entry,
            Rejection(entry.url, "watch", f"linked page of a summary-only entry: {reasons}"),
        ]
    return [
        replace(
            page,
            outlet=page.outlet or entry.outlet,
            published=page.published or entry.published,
            published_source=page.published_source if page.published else entry.published_source,
        )
    ]


def _entry_key(entry: Mapping[str, object], n: int) -> str:
    for key in ("id", "link", "title"):
        value = entry.get(key)
        if value:
            return f"{key}:{value}"
    return f"entry:{n}"


def _entry_number(source: str, url: str) -> int | None:
    """The 0-based entry index of a feed item's source ``URL#n``."""
    head, _, tail = source.rpartition("#")
    return int(tail) - 1 if head == url and tail.isdigit() else None


def poll_path(path: Path, known: Mapping[str, str], config: Config) -> Poll:
    """A folder (recursively, as ``ingest`` reads one) or a single file: new and changed files."""
    if not path.exists():
        return Poll("folder", "error", error=f"no such file or directory: {path}")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    result = Poll("folder" if path.is_dir() else "file")
    for f in files:
        if f != path and any(skipped_in_folders(part) for part in f.relative_to(path).parts):
            continue
        name = str(f)
        try:
            st = f.stat()
        except OSError as exc:
            result.items.append(
                Rejection(name, "watch", f"cannot read file: {exc.strerror or exc}")
            )
            continue
        if time.time() - st.st_mtime < config.watch.settle:
            continue  # perhaps still being written: read at the next poll
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
        before = known.get(name, "")
        if before.startswith(stamp + ":"):
            continue  # untouched since the last poll: not even opened
        try:
            data = f.read_bytes()
        except OSError as exc:
            result.items.append(
                Rejection(name, "watch", f"cannot read file: {exc.strerror or exc}")
            )
            continue
        digest = hashlib.sha256(data).hexdigest()[:32]
        if before.rsplit(":", 1)[-1] != digest:  # new, or its content changed
            result.items.extend(read_bytes(data, name, config))
        result.seen.append((name, f"{stamp}:{digest}"))
    if any(isinstance(i, Article) for i in result.items):
        result.status = "new"
    return result


__all__ = ["Poll", "poll_path", "poll_url"]
