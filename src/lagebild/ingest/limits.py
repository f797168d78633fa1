"""The bound on the text one article keeps, so one huge input cannot take the analysis hostage.

An article whose cleaned text is longer than ``[ingest] max_text_chars`` keeps its beginning,
cut at the last paragraph (else sentence, else word) boundary before the limit, and is
flagged ``truncated``; readers and ``reread`` apply the same cut, so the same input always
becomes the same article.
"""

from __future__ import annotations

import dataclasses
import re

from lagebild.config import Config
from lagebild.model import Article, article_id

FLAG = "truncated"
MAX_TITLE_CHARS = 1000
_SENTENCE_END = re.compile(r"[.!?…»«\"”]\s")


def bounded(article: Article, config: Config) -> Article:
    """``article`` with its text (and title) cut to the configured length, flagged."""
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
