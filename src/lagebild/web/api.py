"""The JSON the ``/api/…`` paths return: the library's records as plain data.

A story's dossier is the dossier JSON export itself (``/api/story/ID`` = ``/story/ID.json``);
lists are short records that link on to the full ones.
"""

from __future__ import annotations

from typing import Any

from lagebild import __version__
from lagebild.model import Article, Doc, Story, to_dict

ENDPOINTS = (
    (
        "/api/stories",
        "stories with total, facet counts and next cursor (?from=&to=&outlet=&lang=&entity="
        "&divergent=1&changed=7d&sort=latest|largest|outlets|changed&limit=&cursor=)",
    ),
    ("/api/story/ID", "one story's dossier (the JSON export)"),
    ("/api/articles", "every article's metadata (?limit=, ?offset=)"),
    ("/api/article/ID", "one article: metadata, text, captions, removed lines, analysis"),
    (
        "/api/search?q=WORDS",
        "full-text search: total, hits with snippets and marks (?story=ID&sort=relevance|latest"
        "&limit=&cursor=)",
    ),
    (
        "/api/entities",
        "canonical entities of the store (?story=ID for one story, ?type=PER, ?limit=N)",
    ),
    (
        "/api/entity/ID",
        "one entity (id, name or any spelling): mentions with citations, stories, co-occurring entities, mentions per day",
    ),
    ("/api/news", "stories that changed after a time, and how (?since=ISO|6h|2d, default 1d)"),
    ("/api/openapi.json", "the OpenAPI 3.1 document of this API"),
)


GENERATOR = f"lagebild {__version__}"


def envelope(key: str, items: list[Any], **extra: Any) -> dict[str, Any]:
    return {"generator": GENERATOR, **extra, "count": len(items), key: items}


def story_dict(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": len(story.article_ids),
        "originals": len(story.original_ids),
        "outlets": list(story.outlets),
        "languages": list(story.languages),
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "first_precision": story.first_precision if story.first else None,
        "last_precision": story.last_precision if story.last else None,
        "dormant": story.dormant,
        "article_ids": list(story.article_ids),
        "duplicates": [list(d) for d in story.duplicates],
    }


def article_summary(article: Article) -> dict[str, Any]:
    """An article's metadata without its text (for lists)."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "outlet_label": article.outlet_label,
        "published": article.published.isoformat() if article.published else None,
        "published_precision": article.published_precision if article.published else None,
        "modified": article.modified.isoformat() if article.modified else None,
        "language": article.language,
        "url": article.url,
        "authors": list(article.authors),
        "desk": article.desk,
        "agencies": list(article.agencies),
        "chars": len(article.text),
    }


def article_dict(doc: Doc, story: Story | None) -> dict[str, Any]:
    """The article (without its raw input) and its analysis (without sentences and tokens)."""
    data = to_dict(doc.article)
    data.pop("raw", None)
    data["story_id"] = story.id if story else None
    data["analysis"] = {
        "stages": list(doc.stages),
        "times": to_dict(doc.times),
        "mentions": to_dict(doc.mentions),
        "quotes": to_dict(doc.quotes),
        "facts": to_dict(doc.facts),
        "date_window": to_dict(doc.date_window),
    }
    return data


__all__ = [
    "ENDPOINTS",
    "GENERATOR",
    "article_dict",
    "article_summary",
    "envelope",
    "story_dict",
]
