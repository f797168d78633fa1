"""The OpenAPI document at /api/openapi.json validates, names every endpoint the API lists,
and every documented endpoint's live answer (and documented errors) match their schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from lagebild.app import Lagebild
from lagebild.web import WebApp, api, get

validator = pytest.importorskip("openapi_spec_validator")
jsonschema = pytest.importorskip("jsonschema")


def _get(app: WebApp, path: str, query: str = "") -> tuple[int, Any]:
    reply = get(app, f"{path}?{query}" if query else path)
    return reply.status, json.loads(reply.body)


@pytest.fixture(scope="module")
def app(corpus_db: Path) -> WebApp:
    return WebApp(Lagebild(corpus_db))


@pytest.fixture(scope="module")
def doc(app: WebApp) -> dict[str, Any]:
    status, data = _get(app, "/api/openapi.json")
    assert status == 200
    return data


def _check(doc: dict[str, Any], schema: dict[str, Any], data: Any) -> None:
    root = {**schema, "components": doc["components"]}
    jsonschema.Draft202012Validator(root).validate(data)


def test_the_document_validates(doc: dict[str, Any]) -> None:
    validator.validate(doc)
    assert doc["openapi"].startswith("3.1")


def test_every_listed_endpoint_is_documented(doc: dict[str, Any]) -> None:
    for path, _ in api.ENDPOINTS:
        documented = re.sub(r"/ID$", "/{id}", path.split("?", 1)[0])
        assert documented in doc["paths"], f"{path} is not in the OpenAPI document"


def _values(app: WebApp) -> dict[str, str]:
    lb = app.lagebild()
    story = max(lb.stories(), key=lambda s: len(s.article_ids))
    _, entities = _get(app, "/api/entities", "limit=1")
    return {
        "story": story.id,
        "article": story.article_ids[0],
        "entity": entities["entities"][0]["id"],
        "q": "Streik",
    }


def test_every_documented_endpoint_answers_as_documented(app: WebApp, doc: dict[str, Any]) -> None:
    values = _values(app)
    checked = 0
    for path, item in doc["paths"].items():
        op = item["get"]
        schema = op["responses"]["200"]["content"]["application/json"].get("schema")
        if schema is None:
            continue
        params = op.get("parameters", [])
        kind = next((k for k in ("story", "article", "entity") if f"/{k}/" in path), "")
        url = path.replace("{id}", values[kind]) if kind else path
        query = {p["name"]: values.get(p["name"], p.get("example")) for p in params
                 if p["in"] == "query" and (p.get("required") or "example" in p)}  # fmt: skip
        status, data = _get(app, url, urlencode(query))
        assert status == 200, (path, data)
        _check(doc, schema, data)
        checked += 1
        if "404" in op["responses"] and "{id}" in path:
            status, data = _get(app, path.replace("{id}", "ffffffffffffffff"))
            assert status == 404
            _check(doc, op["responses"]["404"]["content"]["application/json"]["schema"], data)
    assert checked >= 8


def test_a_documented_bad_request(app: WebApp, doc: dict[str, Any]) -> None:
    status, data = _get(app, "/api/search")
    assert status == 400
    _check(
        doc,
        doc["paths"]["/api/search"]["get"]["responses"]["400"]["content"]["application/json"][
            "schema"
        ],
        data,
    )


@pytest.mark.parametrize(
    ("path", "query"), [("/api/stories", ""), ("/api/articles", ""), ("/api/search", "q=Streik")]
)
def test_every_page_of_a_paged_list_matches_the_schema(
    app: WebApp, doc: dict[str, Any], path: str, query: str
) -> None:
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    status, data = _get(app, path, "&".join(x for x in (query, "limit=1") if x))
    pages = 1
    while True:
        assert status == 200
        _check(doc, schema, data)
        if not data["next"]:
            break
        url, _, rest = data["next"].partition("?")
        status, data = _get(app, url, rest)
        pages += 1
    assert pages == data["total"] >= 2
