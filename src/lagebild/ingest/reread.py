"""Read a stored article again from the raw input it keeps, under the current rules.

Cleaning rules improve; the store keeps every article's raw input (``Article.raw``) so an
upgrade can re-clean what was ingested before. Text dumps, HTML pages (WARC records
included) and JSONL objects keep their whole input and are read again with their own reader;
feed entries keep the feed with that entry alone. Feed entries stored before they did so keep
only their text (not the entry's markup), so they are left as they are.
"""

from __future__ import annotations

import dataclasses
import json

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.model import Article


def reread(article: Article, config: Config | None = None) -> Article | Rejection | None:
    """``article`` read again from its raw input; None when its format keeps too little."""
    config = config or Config()
    if not article.raw:
        return None
    data = article.raw.encode("utf-8")
    if article.format == "rss":
        item = _feed_entry(data, article.source, config)
    elif article.format == "text":
        from lagebild.ingest.textdump import read_text_dump

        item = read_text_dump(data, article.source, config)
    elif article.format in ("html", "warc"):
        from lagebild.ingest.html import read_html

        item = read_html(data, article.source, config, url=article.url)
    elif article.format == "jsonl":
        from lagebild.ingest.jsonl import article_from_object

        try:
            obj = json.loads(article.raw)
        except json.JSONDecodeError:
            return None
        item = article_from_object(obj, article.source, config) if isinstance(obj, dict) else None
    else:
        return None
    if not isinstance(item, Article):
        return item
    from lagebild.ingest.limits import bounded

    item = bounded(item, config)
    # what the reader cannot know again: the source as ingested and an outlet named by hand
    return dataclasses.replace(
        item, source=article.source, format=article.format, outlet=item.outlet or article.outlet
    )


def _feed_entry(data: bytes, source: str, config: Config) -> Article | Rejection | None:
    """The one entry of a stored single-entry feed; None for an older entry (text only)."""
    from lagebild.ingest.feed import read_feed

    if not data.lstrip().startswith(b"<"):
        return None
    items = [x for x in read_feed(data, source, config) if isinstance(x, Article)]
    return items[0] if len(items) == 1 else None


__all__ = ["reread"]
