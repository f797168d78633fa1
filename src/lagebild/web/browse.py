"""The stories page and its JSON twin: one parse of the query string into a ``StoryQuery``,
one library call, two renderings.

Query parameters (the same on ``/`` and ``/api/stories``): ``from``, ``to`` (days,
YYYY-MM-DD), ``outlet``, ``lang``, ``entity`` (repeatable), ``divergent=1``, ``changed``
(an ISO time, or ``24h`` / ``7d`` back from now), ``sort`` (latest, largest, outlets,
changed), ``limit`` and ``cursor`` (from the ``next`` link of the page before).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import urlencode

from lagebild.errors import StoreError
from lagebild.model import Article, headline
from lagebild.store.listing import (
    SORTS,
    ArticlePage,
    ArticleQuery,
    StoryItem,
    StoryPage,
    StoryQuery,
)
from lagebild.store.search import SORTS as SEARCH_SORTS
from lagebild.store.search import SearchPage
from lagebild.web.guard import is_id
from lagebild.web.request import HttpError, Request

SORT_LABELS = {
    "latest": "Latest",
    "largest": "Most articles",
    "outlets": "Most outlets",
    "changed": "Recently changed",
}
FACET_LABELS = {"outlet": "Outlet", "language": "Language", "entity": "Entity"}
FACET_PARAMS = {"outlet": "outlet", "language": "lang", "entity": "entity"}
FILTER_PARAMS = ("from", "to", "outlet", "lang", "entity", "divergent", "changed", "sort", "limit")
_RELATIVE = re.compile(r"(\d{1,4})\s*([hdw])")


def story_query(req: Request, default_limit: int = 50) -> StoryQuery:
    """The ``StoryQuery`` of a request's parameters; a malformed value is a 400 naming it."""
    sort = req.arg("sort") or "latest"
    if sort not in SORTS:
        raise HttpError(400, f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    limit = req.int_arg("limit", default_limit, 500)
    if limit < 1:
        raise HttpError(400, "limit must be at least 1")
    return StoryQuery(
        date_from=_day(req, "from"),
        date_to=_day(req, "to"),
        outlets=req.args("outlet"),
        languages=req.args("lang"),
        entities=req.args("entity"),
        divergent=req.arg("divergent") in ("1", "true", "yes", "on"),
        changed_since=_since(req.arg("changed")),
        sort=sort,
        limit=limit,
        cursor=req.arg("cursor") or None,
    )


def _day(req: Request, name: str) -> date | None:
    raw = req.arg(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HttpError(400, f"{name} must be a day as YYYY-MM-DD, not {raw!r}") from None


def _since(raw: str, now: datetime | None = None) -> datetime | None:
    """``24h``, ``7d``, ``2w`` back from now, or an ISO day or time (UTC unless it says)."""
    if not raw:
        return None
    now = now or datetime.now(UTC)
    m = _RELATIVE.fullmatch(raw.lower())
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        return now - timedelta(hours=hours)
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise HttpError(400, f"changed must be an ISO time or like 24h, 7d; not {raw!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def params_of(req: Request) -> list[tuple[str, str]]:
    """The filter parameters of a request, without the cursor (links keep the filters)."""
    return [(k, v) for k in FILTER_PARAMS for v in req.args(k)]


def link(path: str, params: Sequence[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(list(params)) if params else "")


def toggled(params: Sequence[tuple[str, str]], key: str, value: str) -> list[tuple[str, str]]:
    """``params`` with ``key=value`` added, or removed when it is there."""
    if (key, value) in params:
        return [p for p in params if p != (key, value)]
    return [*params, (key, value)]


def replaced(
    params: Sequence[tuple[str, str]], key: str, value: str | None
) -> list[tuple[str, str]]:
    rest = [p for p in params if p[0] != key]
    return [*rest, (key, value)] if value else rest


def article_query(req: Request) -> ArticleQuery:
    limit = req.int_arg("limit", 100, 1000)
    if limit < 1:
        raise HttpError(400, "limit must be at least 1")
    return ArticleQuery(
        date_from=_day(req, "from"),
        date_to=_day(req, "to"),
        outlets=req.args("outlet"),
        languages=req.args("lang"),
        limit=limit,
        cursor=req.arg("cursor") or None,
    )


# ---------------------------------------------------------------------- JSON


def stories_json(page: StoryPage, req: Request, generator: str) -> dict[str, Any]:
    params = params_of(req)
    nxt = (
        link(f"{req.base}/api/stories", [*params, ("cursor", page.next_cursor)])
        if page.next_cursor
        else None
    )
    return {
        "generator": generator,
        "total": page.total,
        "count": len(page.items),
        "next_cursor": page.next_cursor,
        "next": nxt,
        "stories": [item.to_json() for item in page.items],
        "facets": {
            kind: [{"value": v, "count": n} for v, n in values]
            for kind, values in page.facets.items()
        },
    }


def articles_json(page: ArticlePage, req: Request, generator: str) -> dict[str, Any]:
    from lagebild.web.api import article_summary

    params = params_of(req)
    nxt = (
        link(f"{req.base}/api/articles", [*params, ("cursor", page.next_cursor)])
        if page.next_cursor
        else None
    )
    return {
        "generator": generator,
        "total": page.total,
        "count": len(page.items),
        "next_cursor": page.next_cursor,
        "next": nxt,
        "articles": [article_summary(a) for a in page.items],
        "facets": {
            kind: [{"value": v, "count": n} for v, n in values]
            for kind, values in page.facets.items()
        },
    }


# ---------------------------------------------------------------------- HTML


def articles_body(page: ArticlePage, req: Request) -> tuple[str, str]:
    """(meta line, page body) of the articles page: outlet/language facets, the list, pages."""
    from lagebild.web.pages import article_rows

    base, params = req.base, params_of(req)
    facets = _facets(page, params, base, f"{base}/articles")
    form = (
        f'<form class="filters" action="{escape(base)}/articles" method="get">'
        + "".join(
            f'<input type="hidden" name="{k}" value="{escape(v)}">'
            for k, v in params
            if k in ("outlet", "lang")
        )
        + "<fieldset><legend>Published</legend>"
        f'<label>from <input type="date" name="from" value="{escape(req.arg("from"))}"></label>'
        f'<label>to <input type="date" name="to" value="{escape(req.arg("to"))}"></label></fieldset>'
        '<button type="submit">Apply</button></form>'
    )
    pager = _pager(page.next_cursor, params, f"{base}/articles", bool(req.arg("cursor")))
    body = (
        f'<div class="browse"><aside class="filters" aria-label="Filters">{form}{facets}</aside>'
        f'<section class="listing" aria-label="Articles">{_active(params, f"{base}/articles")}'
        f"{article_rows(page.items, base)}{pager}</section></div>"
    )
    json_link = escape(link(f"{base}/api/articles", params))
    meta = (
        f'<b>{page.total}</b> articles · latest first · <a class="json" href="{json_link}">JSON</a>'
    )
    return meta, body


def stories_body(
    page: StoryPage, q: StoryQuery, req: Request, names: dict[str, str] | None = None
) -> tuple[str, str]:
    """(meta line, page body) of the stories page. ``names``: for an entity filter value
    that matched no story, the entity's name it refers to (a surname, another spelling),
    offered as the filter a reader meant."""
    base = req.base
    params = params_of(req)
    hint = ""
    if names:
        offers = []
        for typed, name in names.items():
            swapped = [(k, name if (k, v) == ("entity", typed) else v) for k, v in params]
            offers.append(
                f'<a href="{escape(link(f"{base}/", swapped))}">{escape(name)}</a>'
                f" instead of “{escape(typed)}”"
            )
        hint = f'<p class="note">An entity filter matches whole names. Did you mean {", ".join(offers)}?</p>'
    body = (
        '<div class="browse">'
        f'<aside class="filters" aria-label="Filters">{_form(q, req)}{_facets(page, params, base)}</aside>'
        f'<section class="listing" aria-label="Stories">{_active(params, f"{base}/")}{hint}'
        f"{_items(page.items, base, q.entities)}{_pager(page.next_cursor, params, f'{base}/', bool(q.cursor))}"
        "</section></div>"
    )
    json_link = escape(link(f"{base}/api/stories", params))
    meta = (
        f"<b>{page.total}</b> {'story' if page.total == 1 else 'stories'}"
        f" · sorted by {escape(SORT_LABELS[q.sort].lower())}"
        f' · <a class="json" href="{json_link}">JSON</a>'
    )
    return meta, body


def _form(q: StoryQuery, req: Request) -> str:
    base = req.base
    keep = "".join(
        f'<input type="hidden" name="{k}" value="{escape(v)}">'
        for k, v in params_of(req)
        if k in ("outlet", "lang", "entity")
    )
    sorts = "".join(
        f'<option value="{k}"{" selected" if k == q.sort else ""}>{escape(v)}</option>'
        for k, v in SORT_LABELS.items()
    )
    changed = req.arg("changed")
    choices = [
        ("", "any time"),
        ("24h", "last 24 hours"),
        ("7d", "last 7 days"),
        ("30d", "last 30 days"),
    ]
    if changed and changed not in dict(choices):
        choices.append((changed, changed))
    since = "".join(
        f'<option value="{escape(k)}"{" selected" if k == changed else ""}>{escape(v)}</option>'
        for k, v in choices
    )
    return (
        f'<form class="filters" action="{escape(base)}/" method="get">{keep}'
        '<label>Sort <select name="sort">' + sorts + "</select></label>"
        "<fieldset><legend>Published</legend>"
        f'<label>from <input type="date" name="from" value="{escape(req.arg("from"))}"></label>'
        f'<label>to <input type="date" name="to" value="{escape(req.arg("to"))}"></label></fieldset>'
        '<label>Changed <select name="changed">' + since + "</select></label>"
        # any entity, not only the facet's most named (added to those already chosen)
        '<label>Entity <input type="text" name="entity" placeholder="e.g. Erdogan"'
        ' autocomplete="off"></label>'
        '<label class="check"><input type="checkbox" name="divergent" value="1"'
        f"{' checked' if q.divergent else ''}> has divergences</label>"
        '<button type="submit">Apply</button></form>'
    )


def _facets(
    page: StoryPage | ArticlePage, params: list[tuple[str, str]], base: str, path: str = ""
) -> str:
    path = path or f"{base}/"
    out = []
    for kind, values in page.facets.items():
        key = FACET_PARAMS[kind]
        chosen = {v.casefold() for k, v in params if k == key}
        items = []
        for value, n in values:
            on = value.casefold() in chosen
            url = escape(link(path, toggled(params, key, value)))
            mark = ' aria-current="true" class="on"' if on else ""
            items.append(
                f'<li><a href="{url}"{mark}>{escape(value)}</a> <span class="n">{n}</span></li>'
            )
        body = f"<ul>{''.join(items)}</ul>" if items else '<p class="empty">none</p>'
        out.append(
            f'<div class="facet" data-facet="{kind}"><h3>{FACET_LABELS[kind]}</h3>{body}</div>'
        )
    return "".join(out)


def _active(params: list[tuple[str, str]], path: str) -> str:
    shown = [(k, v) for k, v in params if k not in ("sort", "limit")]
    if not shown:
        return ""
    chips = "".join(
        f'<a class="chip" href="{escape(link(path, [p for p in params if p != (k, v)]))}"'
        f' aria-label="remove filter {escape(k)} {escape(v)}">{escape(k)}: {escape(v)} ×</a>'
        for k, v in shown
    )
    return f'<p class="active">{chips} <a href="{escape(path)}">clear all</a></p>'


def _items(items: Sequence[StoryItem], base: str, wanted: Sequence[str] = ()) -> str:
    if not items:
        return '<p class="empty">No story matches these filters.</p>'
    lis = "".join(_item(it, base, wanted) for it in items)
    return f'<ol class="stories">{lis}</ol>'


def _item(it: StoryItem, base: str, wanted: Sequence[str] = ()) -> str:
    """One story card; the entities a filter asked for come first, marked (a reader sees
    why the story is listed even when they are not among its most named)."""
    from lagebild.text.fold import fold, spellings
    from lagebild.web.pages import href

    dates = _span(it.first_label, it.last_label)
    bits = [
        dates,
        f"{it.articles} article{'s' if it.articles != 1 else ''}"
        + (
            f" ({it.articles - it.originals} cop{'ies' if it.articles - it.originals != 1 else 'y'})"
            if it.articles > it.originals
            else ""
        ),
        f"{len(it.outlets)} outlet{'s' if len(it.outlets) != 1 else ''}",
        "/".join(it.languages),
    ]
    div = (
        f' <span class="badge divergence">{it.divergences} divergence{"s" if it.divergences != 1 else ""}</span>'
        if it.divergences
        else ""
    )
    outlets = ", ".join(escape(o) for o in it.outlets[:6]) + (" …" if len(it.outlets) > 6 else "")
    names = [n for n, _, _ in it.entities]
    hit: list[str] = []
    for value in wanted:
        keys = set(spellings(value.strip()))
        hit.append(next((n for n in names if fold(n) in keys), value.strip()))
    rest = [n for n in names if n not in hit][: max(0, 6 - len(hit))]
    ents = "".join(
        f'<a class="ent{" on" if n in hit else ""}" href="{escape(href(base, "entity", n))}">'
        f"{escape(n)}</a>"
        for n in [*dict.fromkeys(hit), *rest]
    )
    return (
        f'<li data-nav><a class="title" href="{escape(href(base, "story", it.story_id))}">'
        f"{escape(headline(it.title) or '(untitled story)')}</a>{div}"
        f'<div class="meta">{escape(" · ".join(b for b in bits if b))}</div>'
        f'<div class="outlets">{outlets}</div>'
        + (f'<div class="ents">{ents}</div>' if ents else "")
        + "</li>"
    )


def _span(first: str, last: str) -> str:
    """ "2019-04-12 – 2019-04-15", "2019-04" (dates known to the month only), or "undated"."""
    if not first:
        return "undated"
    return first if first == (last or first) else f"{first} – {last or first}"


def _pager(cursor: str | None, params: list[tuple[str, str]], path: str, paged: bool) -> str:
    links = []
    if paged:
        links.append(f'<a href="{escape(link(path, params))}" rel="first">« First page</a>')
    if cursor:
        url = link(path, [*params, ("cursor", cursor)])
        links.append(f'<a href="{escape(url)}" rel="next">Next page »</a>')
    return f'<nav class="pager" aria-label="Pages">{" ".join(links)}</nav>' if links else ""


# ---------------------------------------------------------------------- search


def search_args(req: Request) -> dict[str, Any]:
    """The keyword arguments of ``Lagebild.find`` from a request (``q`` checked by the caller)."""
    q = req.arg("q")
    if len(q) > 500:
        raise HttpError(400, "query too long (at most 500 characters)")
    limit = req.int_arg("limit", 20, 200)
    if limit < 1:
        raise HttpError(400, "limit must be at least 1")
    sort = req.arg("sort") or "relevance"
    if sort not in SEARCH_SORTS:
        raise HttpError(400, f"sort must be one of {', '.join(SEARCH_SORTS)}, not {sort!r}")
    story = req.arg("story")
    if story and not is_id(story.lower()):
        raise HttpError(404, f"no story with id {story!r}")
    return {
        "limit": limit,
        "cursor": req.arg("cursor") or None,
        "story": story.lower() or None,
        "sort": sort,
    }


def _search_params(req: Request) -> list[tuple[str, str]]:
    return [(k, v) for k in ("q", "story", "sort", "limit") for v in req.args(k)]


def search_json(page: SearchPage, req: Request, generator: str) -> dict[str, Any]:
    from lagebild.web.api import article_summary

    params = _search_params(req)
    nxt = (
        link(f"{req.base}/api/search", [*params, ("cursor", page.next_cursor)])
        if page.next_cursor
        else None
    )
    return {
        "generator": generator,
        "query": req.arg("q"),
        "story": req.arg("story") or None,
        "total": page.total,
        "count": len(page.hits),
        "next_cursor": page.next_cursor,
        "next": nxt,
        "hits": [
            {
                **article_summary(h.article),
                "snippet": h.snippet.text,
                "snippet_marks": [list(m) for m in h.snippet.marks],
                "title_marks": [list(m) for m in h.title_marks],
            }
            for h in page.hits
        ],
    }


def marked(text: str, marks: Sequence[tuple[int, int]]) -> str:
    """``text`` escaped, with the spans of ``marks`` in <mark>."""
    out, last = [], 0
    for s, e in marks:
        if s < last:
            continue
        out += [escape(text[last:s]), "<mark>", escape(text[s:e]), "</mark>"]
        last = e
    return "".join([*out, escape(text[last:])])


SEARCH_HELP = (
    '<p class="note">All words must occur; <code>"a phrase"</code>, <code>prefix*</code>, '
    "<code>Wien OR Graz</code>, <code>-Wien</code> excludes. Accents and umlaut spellings "
    "do not matter (Erdogan = Erdoğan, Muenchen = München).</p>"
)


def search_body(page: SearchPage | None, req: Request, story_title: str | None) -> tuple[str, str]:
    """(meta line, body) of the search page; ``page`` None before a query is given."""
    from lagebild.web.pages import href

    base, q = req.base, req.arg("q")
    story = req.arg("story")
    scope = ""
    if story:
        scope = (
            f'<label class="check"><input type="checkbox" name="story" value="{escape(story)}" checked>'
            f" only in the story “{escape(story_title or story)}”</label>"
        )
    sort = req.arg("sort") or "relevance"
    sorts = "".join(
        f'<option value="{k}"{" selected" if k == sort else ""}>{k.capitalize()}</option>'
        for k in SEARCH_SORTS
    )
    form = (
        f'<form class="search" action="{escape(base)}/search" method="get" role="search">'
        f'<input type="search" name="q" value="{escape(q)}" aria-label="Search words"> '
        f'<label>Sort <select name="sort">{sorts}</select></label> <button>Search</button>'
        f"{scope}{SEARCH_HELP}</form>"
    )
    if page is None:
        return "", form
    items = "".join(
        f'<li data-nav><a href="{escape(href(base, "article", h.article.id))}">'
        f"<b>{marked(h.article.title, h.title_marks)}</b></a> "
        f'<span class="note">{escape(h.article.outlet_label)} · '
        f"{escape(_pubdate(h.article))}</span>"
        f'<div class="snippet">{marked(h.snippet.text, h.snippet.marks)}</div></li>'
        for h in page.hits
    )
    params = _search_params(req)
    offset = _search_offset(req)
    hits = (
        f'<ol class="results" start="{offset + 1}">{items}</ol>'
        if items
        else '<p class="empty">No hits.</p>'
    )
    pager = _pager(page.next_cursor, params, f"{base}/search", bool(req.arg("cursor")))
    shown = f"{offset + 1}–{offset + len(page.hits)} of " if page.hits else ""
    json_link = escape(link(f"{base}/api/search", params))
    meta = (
        f"{shown}<b>{page.total}</b> hit{'s' if page.total != 1 else ''} for “{escape(q)}”"
        + (f" in “{escape(story_title or story)}”" if story else "")
        + f' · <a class="json" href="{json_link}">JSON</a>'
    )
    return meta, form + f'<section id="results" aria-label="Results">{hits}{pager}</section>'


def _search_offset(req: Request) -> int:
    from lagebild.store.search import _offset

    try:
        return _offset(req.arg("cursor") or None)
    except StoreError:
        return 0


def _pubdate(a: Article) -> str:
    if a.published and a.published_precision != "day":  # "2019-04": only the month is known
        return a.published_label
    return a.published.strftime("%Y-%m-%d %H:%M UTC") if a.published else "undated"


__all__ = [
    "SEARCH_HELP",
    "article_query",
    "articles_body",
    "articles_json",
    "marked",
    "params_of",
    "search_args",
    "search_body",
    "search_json",
    "stories_body",
    "stories_json",
    "story_query",
]
