"""Helpers for the time stage tests: analysed docs from plain text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lagebild import text as text_stage
from lagebild import time as time_stage
from lagebild.model import Article, Doc


def make_doc(
    text: str, published: str | None = "2023-09-13", lang: str = "de", doc_id: str = "a1"
) -> Doc:
    """A doc through the text and time stages; ``published`` is a date (noon UTC) or None."""
    when = datetime.fromisoformat(published).replace(hour=12, tzinfo=UTC) if published else None
    article = Article(
        id=doc_id, title="", text=text, source=doc_id, format="text", published=when, language=lang
    )
    return time_stage.analyze(text_stage.analyze(Doc(article=article)))


@pytest.fixture
def doc_of():
    return make_doc
