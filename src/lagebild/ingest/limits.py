"""The bounds one article is held to, so one odd input cannot take the analysis hostage.

An article whose cleaned text is longer than ``[ingest] max_text_chars`` keeps its beginning,
cut at the last paragraph (else sentence, else word) boundary before the limit, and is
flagged ``truncated``. A publication or update date before 1800 or more than
``[ingest] max_days_ahead`` (2) days ahead of the clock is no date a news page can have
("0001-01-01" placeholders, typos like 2204, year 9999), and neither is the Unix epoch itself
(1970-01-01T00:00:00Z, a zero timestamp that feeds and CMSs write for "no date"): the article
is taken as undated (its
date is inferred from its text like any undated report), flagged ``implausible-date``, and the
value is kept among its removed pieces. Readers and ``reread`` apply the same bounds, so the
same input becomes the same article.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

from lagebild.config import Config
from lagebild.model import Article, Removed, article_id

FLAG = "truncated"
DATE_FLAG = "implausible-date"
EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a zero timestamp: "no date", not a day in 1970
MAX_TITLE_CHARS = 1000
_SENTENCE_END = re.compile(r"[.!?…»«\"”]\s")


def bounded(article: Article, config: Config, now: datetime | None = None) -> Article:
    """``article`` with its text (and title) cut to the configured length and its dates
    checked, flagged where either changed (``now``: the clock, for tests)."""
    article = plausibly_dated(article, config.ingest.max_days_ahead, now)
    limit = config.ingest.max_text_chars
    text, title = article.text, article.title
    if len(text) <= limit and len(title) <= MAX_TITLE_CHARS:
        return article
    if len(text) > limit:
        text = cut(text, limit)
    if len(title) > MAX_TITLE_CHARS:
        title = cut(title, MAX_TITLE_CHARS)
    flags = article.flags if FLAG in article.flags else (*article.flags, FLAG)
    return dataclasses.replace(
        article,
        text=text,
        title=title,
        id=article_id(title, text, article.url),
        flags=flags,
    )


def plausibly_dated(article: Article, days_ahead: float, now: datetime | None = None) -> Article:
    """``article`` without a publication or update date no news page can have: before 1800,
    more than ``days_ahead`` days after ``now`` (the clock), or the zero timestamp. The dropped
    values are kept as removed pieces, the article flagged."""
    try:
        latest = (now or datetime.now(UTC)) + timedelta(days=days_ahead)
    except OverflowError:  # a bound past year 9999: nothing is too far ahead
        latest = datetime.max.replace(tzinfo=UTC)
    dropped = [
        (name, when)
        for name, when in (("published", article.published), ("modified", article.modified))
        if when is not None and not _possible(_aware(when), latest)
    ]
    if not dropped:
        return article
    changes: dict[str, object] = {name: None for name, _ in dropped}
    if "published" in changes:
        changes.update(published_source=None, published_precision="day")
    kept = tuple(Removed(f"{name}: {when.isoformat()}", DATE_FLAG) for name, when in dropped)
    flags = article.flags if DATE_FLAG in article.flags else (*article.flags, DATE_FLAG)
    return dataclasses.replace(
        article,
        removed=(*article.removed, *kept),
        flags=flags,
        **changes,  # type: ignore[arg-type]
    )


def _possible(when: datetime, latest: datetime) -> bool:
    return EARLIEST <= when <= latest and when != EPOCH


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cut(text: str, limit: int) -> str:
    """The beginning of ``text``, at most ``limit`` characters, ending at a boundary when
    there is one in the second half."""
    window = text[:limit]
    floor = limit // 2
    para = window.rfind("\n\n")
    if para >= floor:
        return window[:para].rstrip()
    ends = [m.end() for m in _SENTENCE_END.finditer(window, floor)]
    if ends:
        return window[: ends[-1]].rstrip()
    space = window.rfind(" ")
    if space >= floor:
        return window[:space].rstrip()
    return window
