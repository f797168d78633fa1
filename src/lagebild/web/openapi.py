"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

Written by hand beside the code it describes; a test validates it (openapi-spec-validator)
and checks every documented endpoint's live answer against its schema, and another fails
when an endpoint listed in ``api.ENDPOINTS`` is missing here. Schemas are JSON Schema 2020-12
(OpenAPI 3.1's dialect); records may gain fields (``additionalProperties`` stays open), so a
client must ignore what it does not know.
"""

from __future__ import annotations

from typing import Any

from lagebild import __version__

NULLABLE_STRING = {"type": ["string", "null"]}
WHEN = {"type": ["string", "null"], "format": "date-time"}
STRINGS = {"type": "array", "items": {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _envelope(key: str, item: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return _obj(
        {
            "generator": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            key: {"type": "array", "items": _ref(item)},
            **(extra or {}),
        }
    )


PAGE = {
    "total": {"type": "integer", "description": "all matches, not only this page"},
    "next_cursor": {**NULLABLE_STRING, "description": "pass as `cursor` for the next page"},
    "next": {**NULLABLE_STRING, "description": "the URL of the next page; null on the last"},
}

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": {"type": "string"}, "status": {"type": "integer"}}),
    "StoryItem": _obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "articles": {"type": "integer"},
            "originals": {"type": "integer"},
            "outlets": STRINGS,
            "languages": STRINGS,
            "first": WHEN,
            "last": WHEN,
            "changed": {**WHEN, "description": "when the change log last recorded a change"},
            "divergences": {"type": "integer"},
            "dormant": {"type": "boolean"},
            "entities": {
                "type": "array",
                "items": _obj(
                    {"name": {"type": "string"}, "type": {"type": "string"}},
                    {"mentions": {"type": "integer"}},
                ),
            },
        }
    ),
    "Facets": {
        "type": "object",
        "description": "facet -> values with counts, over all matches (not only this page)",
        "additionalProperties": {
            "type": "array",
            "items": _obj({"value": {"type": "string"}, "count": {"type": "integer"}}),
        },
    },
    "ArticleSummary": _obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "outlet": NULLABLE_STRING,
            "outlet_label": {"type": "string"},
            "published": WHEN,
            "modified": WHEN,
            "language": NULLABLE_STRING,
            "url": NULLABLE_STRING,
            "authors": STRINGS,
            "desk": NULLABLE_STRING,
            "agencies": STRINGS,
            "chars": {"type": "integer"},
        }
    ),
    "Article": _obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "text": {
                "type": "string",
                "description": "the cleaned body; annotations are offsets into it",
            },
            "source": {"type": "string"},
            "format": {"type": "string"},
            "url": NULLABLE_STRING,
            "outlet": NULLABLE_STRING,
            "authors": STRINGS,
            "agencies": STRINGS,
            "published": WHEN,
            "modified": WHEN,
            "language": NULLABLE_STRING,
            "captions": STRINGS,
            "removed": {
                "type": "array",
                "items": _obj({"text": {"type": "string"}, "reason": {"type": "string"}}),
            },
            "flags": STRINGS,
            "story_id": NULLABLE_STRING,
            "analysis": _obj(
                {
                    "stages": STRINGS,
                    "times": {"type": "array", "items": {"type": "object"}},
                    "mentions": {"type": "array", "items": {"type": "object"}},
                    "quotes": {"type": "array", "items": {"type": "object"}},
                    "facts": {"type": "array", "items": {"type": "object"}},
                    "date_window": {"type": ["object", "null"]},
                }
            ),
        }
    ),
    "SearchHit": {
        "allOf": [
            _ref("ArticleSummary"),
            _obj(
                {"snippet": {"type": "string"}},
                {
                    "snippet_marks": {"type": "array", "items": {"type": "array"}},
                    "title_marks": {"type": "array", "items": {"type": "array"}},
                },
            ),
        ],
    },
    "Entity": _obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "type": {"type": "string", "enum": ["PER", "LOC", "ORG", "OTH"]},
            "variants": {
                "type": "array",
                "description": "(spelling, mentions) pairs, most frequent first",
                "items": {
                    "type": "array",
                    "prefixItems": [{"type": "string"}, {"type": "integer"}],
                },
            },
            "mentions": {"type": "integer"},
            "articles": {"type": "integer"},
            "article_ids": STRINGS,
            "outlets": STRINGS,
        }
    ),
    "Dossier": {
        "description": "A story's dossier: the JSON export (docs/dossier-schema.md)",
        **_obj(
            {
                "schema": {"type": "string"},
                "story": {"type": "object"},
                "headline": {"type": "string"},
                "articles": {"type": "array", "items": {"type": "object"}},
                "summary": {"type": "array", "items": {"type": "object"}},
                "timeline": {"type": "array", "items": {"type": "object"}},
                "statements": {"type": "array", "items": {"type": "object"}},
                "facts": {"type": "array", "items": {"type": "object"}},
                "divergences": {"type": "array", "items": {"type": "object"}},
                "entities": {"type": "array", "items": {"type": "object"}},
            },
            {
                "since": _obj(
                    {
                        "since": {"type": "string"},
                        "changes": {"type": "array", "items": _ref("Change")},
                    }
                )
            },
        ),
    },
    "Change": _obj(
        {
            "id": {"type": "integer"},
            "story_id": {"type": "string"},
            "at": {"type": "string", "format": "date-time"},
            "kind": {
                "type": "string",
                "enum": [
                    "story",
                    "article",
                    "outlet",
                    "fact",
                    "divergence",
                    "statement",
                    "dates",
                    "merged",
                ],
            },
            "item": {"type": "string"},
            "detail": {"type": "object"},
        }
    ),
    "StoryNews": _obj(
        {
            "story": _obj({"id": {"type": "string"}, "title": {"type": "string"}}),
            "new_story": {"type": "boolean"},
            "articles": STRINGS,
            "outlets": STRINGS,
            "changes": {"type": "array", "items": _ref("Change")},
        }
    ),
    "EntityDetail": {
        "allOf": [
            _ref("Entity"),
            _obj(
                {
                    "stories": {
                        "type": "array",
                        "items": _obj(
                            {
                                "id": {"type": "string"},
                                "title": {"type": "string"},
                                "articles": {"type": "integer"},
                                "mentions": {"type": "integer"},
                            }
                        ),
                    },
                    "mention_list": {
                        "type": "array",
                        "items": _obj(
                            {
                                "article_id": {"type": "string"},
                                "outlet": NULLABLE_STRING,
                                "title": {"type": "string"},
                                "start": {"type": "integer"},
                                "end": {"type": "integer"},
                                "text": {"type": "string"},
                            }
                        ),
                    },
                    "cooccurring": {"type": "array", "items": {"type": "object"}},
                    "per_day": {"type": "array", "items": {"type": "array"}},
                    "also_matching": {"type": "array", "items": {"type": "object"}},
                }
            ),
        ]
    },
    "StoryList": _envelope("stories", "StoryItem", PAGE | {"facets": _ref("Facets")}),
    "ArticleList": _envelope("articles", "ArticleSummary", PAGE | {"facets": _ref("Facets")}),
    "SearchResult": _envelope(
        "hits", "SearchHit", PAGE | {"query": {"type": "string"}, "story": NULLABLE_STRING}
    ),
    "EntityList": _envelope(
        "entities", "Entity", {"story": NULLABLE_STRING, "total": {"type": "integer"}}
    ),
    "News": _envelope("stories", "StoryNews", {"since": WHEN}),
}


def _param(name: str, where: str, schema: dict[str, Any], doc: str, example: Any = None,
           required: bool = False) -> dict[str, Any]:  # fmt: skip
    p: dict[str, Any] = {"name": name, "in": where, "schema": schema, "description": doc}
    if required or where == "path":
        p["required"] = True
    if example is not None:
        p["example"] = example
    return p


def _get(summary: str, schema: str, params: list[dict[str, Any]] | None = None,
         errors: tuple[int, ...] = (400,)) -> dict[str, Any]:  # fmt: skip
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}}
    }
    for status in errors:
        responses[str(status)] = {
            "description": {400: "bad parameters", 404: "no such id"}.get(status, "error"),
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return {"get": {"summary": summary, "parameters": params or [], "responses": responses}}


ID = {"type": "string", "pattern": "^[0-9a-f]{1,64}$"}
LIMIT = {"type": "integer", "minimum": 0}
DAY = {"type": "string", "format": "date"}

PATHS: dict[str, Any] = {
    "/api/stories": _get(
        "The stories, filtered, with facet counts, one page at a time (the `/` page's JSON twin)",
        "StoryList",
        [
            _param("from", "query", DAY, "published on or after this day"),
            _param("to", "query", DAY, "published on or before this day"),
            _param(
                "outlet", "query", {"type": "string"}, "only stories of this outlet (repeatable)"
            ),
            _param(
                "lang", "query", {"type": "string"}, "only stories in this language (repeatable)"
            ),
            _param(
                "entity",
                "query",
                {"type": "string"},
                "only stories naming this entity, spelling folded (repeatable: all must occur)",
            ),
            _param(
                "divergent",
                "query",
                {"type": "string", "enum": ["1", "true", "yes", "on"]},
                "only stories where outlets diverge",
            ),
            _param(
                "changed",
                "query",
                {"type": "string"},
                "changed (change log) after: 24h, 7d or an ISO time",
            ),
            _param(
                "sort",
                "query",
                {"type": "string", "enum": ["latest", "largest", "outlets", "changed"]},
                "order (default latest)",
            ),
            _param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 500},
                "page size (default 50)",
                10,
            ),
            _param("cursor", "query", {"type": "string"}, "`next_cursor` of the page before"),
        ],
    ),
    "/api/story/{id}": _get(
        "One story's dossier (the JSON export); `since` adds what it gained after a time",
        "Dossier",
        [
            _param("id", "path", ID, "story id or unique prefix"),
            _param("since", "query", {"type": "string"}, "ISO time, 6h, 2d, yesterday"),
        ],
        (400, 404),
    ),
    "/api/articles": _get(
        "Articles' metadata, latest first, filtered, one page at a time",
        "ArticleList",
        [
            _param("from", "query", DAY, "published on or after this day"),
            _param("to", "query", DAY, "published on or before this day"),
            _param("outlet", "query", {"type": "string"}, "only this outlet (repeatable)"),
            _param("lang", "query", {"type": "string"}, "only this language (repeatable)"),
            _param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 1000},
                "page size (default 100)",
                10,
            ),
            _param("cursor", "query", {"type": "string"}, "`next_cursor` of the page before"),
        ],
    ),
    "/api/article/{id}": _get(
        "One article: metadata, cleaned text, captions, removed lines, analysis",
        "Article",
        [_param("id", "path", ID, "article id or unique prefix")],
        (400, 404),
    ),
    "/api/search": _get(
        "Full-text search: the true number of hits, one page at a time",
        "SearchResult",
        [
            _param(
                "q",
                "query",
                {"type": "string", "minLength": 1, "maxLength": 500},
                'the query: words (all must occur), "a phrase", prefix*, a OR b, -word',
                required=True,
            ),
            _param("story", "query", {"type": "string"}, "only this story's articles"),
            _param(
                "sort",
                "query",
                {"type": "string", "enum": ["relevance", "latest"]},
                "order (default relevance)",
            ),
            _param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 200},
                "page size (default 20)",
                20,
            ),
            _param("cursor", "query", {"type": "string"}, "`next_cursor` of the page before"),
        ],
    ),
    "/api/entities": _get(
        "Canonical entities with their spellings (of one story with `story`)",
        "EntityList",
        [
            _param("story", "query", {"type": "string"}, "a story id or unique prefix"),
            _param(
                "type",
                "query",
                {"type": "string", "enum": ["PER", "ORG", "LOC", "OTH"]},
                "only entities of this type (repeatable)",
            ),
            _param("limit", "query", LIMIT, "at most this many", 20),
        ],
        (400, 404),
    ),
    "/api/entity/{id}": _get(
        "One entity (id, name or any spelling): mentions with citations, stories, co-occurring "
        "entities, mentions per day",
        "EntityDetail",
        [_param("id", "path", {"type": "string", "maxLength": 200}, "entity id, name or spelling")],
        (400, 404),
    ),
    "/api/news": _get(
        "Stories that changed after a time, and how (the change log of `lagebild news`)",
        "News",
        [
            _param(
                "since",
                "query",
                {"type": "string"},
                "ISO time, 6h, 2d, yesterday; default 1d",
                "7d",
            )
        ],
    ),
    "/api/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}
            },
        }
    },
}


def document(base: str = "") -> dict[str, Any]:
    """The OpenAPI document; ``base`` is the server's URL prefix (scheme, host, mount path)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lagebild API",
            "version": __version__,
            "summary": "Stories, articles, entities and what changed, as JSON",
            "description": "Read-only JSON over one lagebild corpus. Ids may be unique prefixes; "
            "unknown ids answer 404, bad parameters 400, both with an Error body.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": base or "/"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


__all__ = ["PATHS", "SCHEMAS", "document"]
