"""Helpers for the facts tests: docs built from raw text, as the pipeline would build them."""

from __future__ import annotations

from datetime import datetime

import pytest

from lagebild import facts as facts_stage
from lagebild import text as text_stage
from lagebild.model import Article, Doc, article_id


def build_doc(
    text: str,
    outlet: str | None = "test",
    published: datetime | None = None,
    title: str = "Titel",
    language: str = "de",
) -> Doc:
    """A doc after the text and facts stages (no entities, times or quotes)."""
    article = Article(
        id=article_id(title + (outlet or ""), text),
        title=title,
        text=text,
        source=f"{outlet}.txt",
        format="text",
        outlet=outlet,
        published=published,
        language=language,
    )
    return facts_stage.analyze(text_stage.analyze(Doc(article=article)))


@pytest.fixture
def doc_of():
    return build_doc
