"""The WSGI application: a path in, one library call, a page or JSON out.

Like the CLI it holds no logic of its own: every answer comes from the ``Lagebild`` object
(stories, articles, search) and the stage modules' own renderers (the dossier exports, the
entity catalogue). SQLite connections must not cross threads, so each serving thread gets its
own ``Lagebild`` on the same database; the thread that built the app uses the one it was given.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from lagebild.app import Lagebild
from lagebild.entities.catalog import EntityDetail, EntityRow, story_entities
from lagebild.errors import LagebildError, NotFound, StoreError
from lagebild.model import Doc, Story
from lagebild.store.listing import StoryPage, StoryQuery
from lagebild.store.search import SearchPage
from lagebild.web import api, browse, pages
from lagebild.web.flight import SingleFlight
from lagebild.web.guard import SECURITY_HEADERS, host_ok, is_id
from lagebild.web.request import HttpError, Request

StartResponse = Callable[..., Any]

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: str
    kind: str = "html"  # a key of CONTENT_TYPES


def store_error(exc: StoreError) -> HttpError:
    """Unknown ids are 404; anything else the store refuses (bad query, ambiguous prefix) is 400."""
    return HttpError(404 if isinstance(exc, NotFound) else 400, str(exc))


class WebApp:
    """The WSGI callable serving one corpus."""

    def __init__(self, lagebild: Lagebild, allowed_hosts: frozenset[str] | None = None) -> None:
        """``allowed_hosts``: the Host names answered (see ``guard.allowed_hosts``); None: any."""
        self._home = lagebild
        self.allowed_hosts = allowed_hosts
        self._home_thread = threading.get_ident()
        self._local = threading.local()
        self._flights = SingleFlight()

    def lagebild(self) -> Lagebild:
        """The library object for the calling thread."""
        if threading.get_ident() == self._home_thread:
            return self._home
        lb = getattr(self._local, "lagebild", None)
        if lb is None:
            # a request never finishes interrupted work: `serve` did before it served
            lb = Lagebild(self._home.store.path, self._home.config, finish_first=False)
            lb.story_counts = self._home.story_counts  # one copy of the counts per server
            self._local.lagebild = lb
        return lb

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        req = Request(
            path=_decode(environ.get("PATH_INFO", "")) or "/",
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            base=_decode(environ.get("SCRIPT_NAME", "")).rstrip("/"),
        )
        is_api = req.path == "/api" or req.path.startswith("/api/")
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not host_ok(host, self.allowed_hosts):
            msg = f"this server does not answer for host {host!r}; start it with --allow-host NAME"
            resp = self.error(req, is_api, HttpError(400, msg))
        elif method not in ("GET", "HEAD"):
            resp = self.error(req, is_api, HttpError(405, f"{method} is not supported; use GET"))
        else:
            try:
                resp = self.route(req)
            except HttpError as exc:
                resp = self.error(req, is_api, exc)
            except StoreError as exc:
                resp = self.error(req, is_api, store_error(exc))
        body = resp.body.encode("utf-8")
        status = HTTPStatus(resp.status)
        headers = [
            ("Content-Type", CONTENT_TYPES[resp.kind]),
            ("Content-Length", str(len(body))),
            *SECURITY_HEADERS,
        ]
        if resp.status == 405:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{status.value} {status.phrase}", headers)
        return [b"" if method == "HEAD" else body]

    def error(self, req: Request, is_api: bool, exc: HttpError) -> Response:
        phrase = HTTPStatus(exc.status).phrase
        if is_api:
            return Response(exc.status, _json({"error": exc.message, "status": exc.status}), "json")
        return Response(
            exc.status, pages.error_page(f"{exc.status} {phrase}", exc.message, req.base)
        )

    # ------------------------------------------------------------------ routes

    def route(self, req: Request) -> Response:
        parts = [p for p in req.path.split("/") if p]
        if not parts:
            page = self.lagebild().list_stories(q := browse.story_query(req))
            meta, body = browse.stories_body(page, q, req, self._meant(page, q))
            return Response(200, pages.layout("Stories", body, req.base, meta=meta, wide=True))
        head, rest = parts[0], parts[1:]
        if head == "favicon.ico" and not rest:  # asked for by browsers on JSON pages
            return Response(204, "", "html")
        if head == "static" and rest == ["web.js"]:
            return Response(200, pages.web_js(), "js")
        if head == "api":
            return self.route_api(req, rest)
        if head == "story" and len(rest) == 1:
            ref, fmt = _split_format(rest[0])
            return self.story(ref, fmt, req.base, req.arg("since"))
        if head == "article" and len(rest) == 1:
            return Response(200, pages.article_page(*self.article(rest[0]), req.base))
        if not rest and head == "articles":
            page = self.lagebild().list_articles(browse.article_query(req))
            meta, body = browse.articles_body(page, req)
            return Response(200, pages.layout("Articles", body, req.base, meta=meta, wide=True))
        if not rest and head == "search":
            page = self.search(req)
            title = (
                self.lagebild().story(page_story).title
                if (page_story := req.arg("story")) and page
                else None
            )
            meta, body = browse.search_body(page, req, title)
            return Response(
                200, pages.layout("Search", body, req.base, meta=meta, q=req.arg("q"), wide=True)
            )
        if not rest and head == "entities":
            limit = req.int_arg("limit", 200, 100_000)
            story, rows, total = self.entities(req, limit)
            lb, doubtful = self.lagebild(), _doubtful(req)
            types = {} if story else {t: lb.entity_count([t], doubtful) for t in ENTITY_TYPES}
            unsure = 0 if story or doubtful else lb.entity_count(_types(req), True) - total
            return Response(
                200,
                pages.entities_page(
                    rows, req.base, story, limit, total, types, _types(req), unsure, doubtful
                ),
            )
        if head == "entity" and (len(rest) == 1 or (not rest and req.arg("name"))):
            from lagebild.web.entity_page import entity_page

            ref = rest[0] if rest else req.arg("name").strip()  # the find box of /entities
            return Response(200, entity_page(self.entity(ref), req.base))
        raise HttpError(404, f"no page at {req.path}")

    def route_api(self, req: Request, rest: list[str]) -> Response:
        lb = self.lagebild()
        if not rest:
            return Response(200, pages.api_page(api.ENDPOINTS, req.base, self._examples()))
        head, ids = rest[0], rest[1:]
        if head == "stories" and not ids:
            page = lb.list_stories(browse.story_query(req))
            data: Any = browse.stories_json(page, req, api.GENERATOR)
        elif head == "story" and len(ids) == 1:
            return self.story(_split_format(ids[0])[0], "json", req.base, req.arg("since"))
        elif head == "articles" and not ids:
            data = browse.articles_json(
                lb.list_articles(browse.article_query(req)), req, api.GENERATOR
            )
        elif head == "article" and len(ids) == 1:
            data = api.article_dict(*self.article(ids[0]))
        elif head == "search" and not ids:
            if not req.arg("q"):
                raise HttpError(400, "give a query: /api/search?q=WORDS")
            page = self.search(req)
            assert page is not None
            data = browse.search_json(page, req, api.GENERATOR)
        elif head == "entities" and not ids:
            story, rows, total = self.entities(req, req.int_arg("limit", 100_000, 100_000))
            data = api.envelope(
                "entities", [r.to_json() for r in rows], story=story.id if story else None
            )
            data["total"] = total
        elif head == "entity" and len(ids) == 1:
            data = self.entity(ids[0]).to_json()
        elif head == "news" and not ids:
            since = _since(req.arg("since") or "1d")
            found = lb.news(since)
            data = api.envelope("stories", [n.to_json() for n in found], since=since.isoformat())
        elif head == "openapi.json" and not ids:
            from lagebild.web.openapi import document

            data = document(req.base)
        else:
            raise HttpError(404, f"no API endpoint at {req.path}; see {req.base}/api")
        return Response(200, _json(data), "json")

    # ------------------------------------------------------------------ library calls

    def story(self, ref: str, fmt: str, base: str, since: str = "") -> Response:
        """A story's dossier in one of the export formats (the same code as ``lagebild dossier``),
        with what its last update brought (or what it gained after ``since``)."""
        lb = self.lagebild()
        st = lb.story(_id(ref, "story"))
        when = _since(since) if since else None
        if when is None:  # one build per story version, however many ask at once
            text = self._flights.run(f"{st.id}.{fmt}", lambda: lb.dossier(st, fmt))
        else:
            text = lb.dossier(st, fmt, when)
        if fmt == "html":
            text = pages.dossier_page(text, base, st.id)
        return Response(200, text, fmt)

    def article(self, ref: str) -> tuple[Doc, Story | None]:
        """The analysed doc of an article and its story (None when not in one)."""
        lb = self.lagebild()
        art = lb.article(_id(ref, "article"))
        doc = next(lb.docs([art.id]))
        return doc, lb.story_of(art.id)

    def search(self, req: Request) -> SearchPage | None:
        """The page of hits a request asks for; None without a query."""
        if not req.arg("q"):
            return None
        return self.lagebild().find(req.arg("q"), **browse.search_args(req))

    def _examples(self) -> dict[str, str]:
        """An id of each kind this store holds, for the API page's links ("story" -> id)."""
        lb = self.lagebild()
        out = {}
        if items := lb.list_stories(StoryQuery(sort="largest", limit=1)).items:
            out["story"] = items[0].story_id
        if (art := next(iter(lb.store.articles()), None)) is not None:
            out["article"] = art.id
        if rows := lb.entities(limit=1):
            out["entity"] = rows[0].entity.id
        return out

    def entities(self, req: Request, limit: int) -> tuple[Story | None, list[EntityRow], int]:
        """The entities of a story (?story=ID) or of the store (precomputed, ``limit`` rows),
        and how many there are."""
        lb = self.lagebild()
        ref = req.arg("story")
        if ref:
            st = lb.story(_id(ref, "story"))
            rows = story_entities(lb, st.id)
            return st, rows, len(rows)
        types, doubtful = _types(req), _doubtful(req)
        rows = lb.entities(types=types, limit=limit, doubtful=doubtful)
        return None, rows, lb.entity_count(types, doubtful)

    def _meant(self, page: StoryPage, q: StoryQuery) -> dict[str, str]:
        """For an entity filter that left no story: the entity each typed value refers to
        (by any spelling or a surname), when its name is another."""
        if page.total or not q.entities:
            return {}
        from lagebild.text.fold import fold

        out = {}
        for typed in q.entities:
            found = self.lagebild().entity(typed) if len(typed) <= 200 else None
            if found is not None and fold(found.row.entity.name) != fold(typed):
                out[typed] = found.row.entity.name
        return out

    def entity(self, ref: str) -> EntityDetail:
        if len(ref) > 200:
            raise HttpError(400, "entity reference too long")
        found = self.lagebild().entity(ref)
        if found is None:
            raise HttpError(404, f"no entity {ref!r}")
        return found


ENTITY_TYPES = ("PER", "ORG", "LOC", "OTH")


def _doubtful(req: Request) -> bool:
    """``?all=1``: also the names only the tagger found, each time unsure."""
    return req.arg("all") == "1"


def _types(req: Request) -> tuple[str, ...]:
    """The entity types a list asks for (``?type=PER``, repeatable); others are a 400."""
    types = tuple(dict.fromkeys(t.strip().upper() for t in req.args("type") if t.strip()))
    bad = [t for t in types if t not in ENTITY_TYPES]
    if bad:
        raise HttpError(400, f"type must be one of {', '.join(ENTITY_TYPES)}, not {bad[0]!r}")
    return types


def _since(text: str) -> datetime:
    """A ``since`` parameter (ISO time, 6h, 2d, yesterday); a bad one is a 400."""
    from lagebild.changes.commands import parse_since

    try:
        return parse_since(text)
    except LagebildError as exc:
        raise HttpError(400, str(exc).replace("--since", "since")) from None


def _id(ref: str, kind: str) -> str:
    """``ref`` when it can be an id (hex digits): anything else names no record (404), and is
    never handed to a store lookup."""
    ref = ref.strip().lower()
    if not is_id(ref):
        raise HttpError(404, f"no {kind} with id {ref!r}")
    return ref


def _decode(s: str) -> str:
    """WSGI hands paths over as latin-1 text of the raw bytes; read them as UTF-8."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _split_format(ref: str) -> tuple[str, str]:
    """``ID``, ``ID.html``, ``ID.json`` or ``ID.md`` → (ID, format)."""
    stem, dot, ext = ref.rpartition(".")
    if dot and ext in CONTENT_TYPES:
        return stem, ext
    return ref, "html"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


__all__ = ["HttpError", "Request", "Response", "WebApp"]
