"""The served HTML pages. Story index and dossiers are the report's own renderings with the
site bar added; the article, search, entity and error pages are drawn here in the same style.

Every link is built from ``base`` (the WSGI ``SCRIPT_NAME``), so the app can be mounted under
a path prefix; every piece of text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape, unescape
from importlib import resources
from urllib.parse import quote

from lagebild import __version__
from lagebild.dossier.export_html import stylesheet
from lagebild.dossier.marks import article_anchor
from lagebild.entities.catalog import EntityRow
from lagebild.model import Article, Doc, Story, headline
from lagebild.time.labels import timex_label
from lagebild.web.markup import article_html, mentions


@cache
def web_css() -> str:
    return (resources.files("lagebild.web") / "static" / "web.css").read_text(encoding="utf-8")


@cache
def web_js() -> str:
    """Keyboard navigation of lists (j/k, Enter, /); the only script, served as a file so the
    Content-Security-Policy can forbid inline scripts."""
    return (resources.files("lagebild.web") / "static" / "web.js").read_text(encoding="utf-8")


def script_tag(base: str) -> str:
    return f'<script src="{escape(base)}/static/web.js" defer></script>'


def href(base: str, *parts: str, suffix: str = "") -> str:
    """``base/part/part…suffix`` with each part URL-quoted (ids may hold any character)."""
    return base + "/" + "/".join(quote(p, safe="") for p in parts) + suffix


def site_nav(base: str, q: str = "", story: str = "") -> str:
    """The site bar; on a story's page its search box can search within that story."""
    scope = (
        f'<label class="scope"><input type="checkbox" name="story" value="{escape(story)}">'
        " this story</label>"
        if story
        else ""
    )
    return (
        f'<nav class="site"><a class="home" href="{escape(base)}/">lagebild</a>'
        f'<a href="{escape(base)}/">Stories</a><a href="{escape(base)}/articles">Articles</a>'
        f'<a href="{escape(base)}/entities">Entities</a><a href="{escape(base)}/api">API</a>'
        f'<form action="{escape(base)}/search" method="get" role="search">'
        f'<input type="search" name="q" value="{escape(q)}" placeholder="Search articles" '
        f'aria-label="Search articles">{scope}</form></nav>'
    )


_ICON = '<link rel="icon" href="data:,">'  # no favicon request


def decorate(page: str, base: str, story: str = "") -> str:
    """A page rendered for disk (dossier or report index) with the site bar and styles added."""
    page = page.replace("</head>", f"{_ICON}<style>{web_css()}</style>{script_tag(base)}</head>", 1)
    return page.replace("<body>", "<body>" + site_nav(base, story=story), 1)


_ENTITY_ROW = re.compile(r"(<tr><td><b>)([^<]+)(</b></td><td>(?:PER|ORG|LOC|OTH|MISC)</td>)")
_SOURCE_HEAD = re.compile(r'(<article class="source" id="a-([^"]+)"><h3>)(.*?)(</h3>)', re.S)


def dossier_page(page: str, base: str, story: str = "") -> str:
    """The dossier HTML as exported, with each source text's title linking to its article page."""

    def link(m: re.Match[str]) -> str:
        url = escape(href(base, "article", unescape(m.group(2))))
        return (
            f'{m.group(1)}{m.group(3)}<a class="open" href="{url}">article page →</a>{m.group(4)}'
        )

    def entity(m: re.Match[str]) -> str:
        url = escape(href(base, "entity", unescape(m.group(2))))
        return f'{m.group(1)}<a class="ent" href="{url}">{m.group(2)}</a>{m.group(3)}'

    page = _ENTITY_ROW.sub(entity, _SOURCE_HEAD.sub(link, page))
    return decorate(page, base, story)


# what web.js does, said where a reader can see it
_KEYS = (
    "keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous item, <kbd>o</kbd> open it, "
    "<kbd>/</kbd> search, <kbd>Esc</kbd> leave a field"
)


def layout(
    title: str, body: str, base: str, *, meta: str = "", q: str = "", wide: bool = False
) -> str:
    """A page in the dossier's look: site bar, dark header, content."""
    sub = f'<div class="meta">{meta}</div>' if meta else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — lagebild</title>{_ICON}<style>{stylesheet()}{web_css()}</style>"
        f"{script_tag(base)}</head>"
        f'<body>{site_nav(base, q)}<header class="top"><h1>{escape(title)}</h1>{sub}</header>'
        f"<main{' class=wide' if wide else ''}>{body}"
        f"<footer>lagebild {escape(__version__)} · {_KEYS}</footer></main></body></html>\n"
    )


def section(key: str, title: str, body: str) -> str:
    return f'<section id="{escape(key)}"><h2>{escape(title)}</h2>{body}</section>'


def _date(article: Article) -> str:
    if article.published is None:
        return "undated"
    if article.published_precision != "day":  # "2019-04": only the month is known
        return article.published_label
    return article.published.strftime("%Y-%m-%d %H:%M UTC")


def _link(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
    return escape(url)


def article_page(doc: Doc, story: Story | None, base: str) -> str:
    """One article: metadata, the text with citable spans anchored and times marked, captions,
    removed lines and the time expressions found."""
    a = doc.article
    rows = [
        ("Outlet", escape(a.outlet_label)),
        (
            "Published",
            escape(_date(a) + (f" ({a.published_source})" if a.published_source else "")),
        ),
        ("Updated", escape(f"{a.modified:%Y-%m-%d %H:%M} UTC") if a.modified else "—"),
        ("Language", escape(a.language or "unknown")),
        ("Authors", escape(a.byline) or "—"),
        ("Agencies", escape(", ".join(a.agencies)) or "—"),
        ("URL", _link(a.url) if a.url else "—"),
        ("Read from", escape(f"{a.source} ({a.format})")),
        ("Flags", escape(", ".join(a.flags)) or "—"),
        ("Article id", f"<code>{escape(a.id)}</code>"),
    ]
    if story is not None:
        url = href(base, "story", story.id, suffix="#" + article_anchor(a.id))
        rows.append(
            ("Story", f'<a href="{escape(url)}">{escape(headline(story.title) or story.id)}</a>')
        )
    meta = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    legend = (
        '<p class="note">Time expressions are <mark class="time">marked</mark>'
        '<sup class="tv">with their value</sup>; a dossier citation lands on its highlighted '
        "words.</p>"
        if doc.times
        else ""
    )
    text = (
        f'<article class="source doc" id="{article_anchor(a.id)}">'
        f'<div class="body">{article_html(doc, mentions(doc, base))}</div></article>'
    )
    parts = [
        section("meta", "Article", f'<table class="meta">{meta}</table>'),
        section("text", "Text", legend + text),
        section("captions", "Captions", _list(a.captions, "No captions.")),
        section("removed", "Removed lines", _removed(a)),
        section("times", "Time expressions", _times(doc)),
    ]
    return layout(a.title, "".join(parts), base, meta=escape(f"{a.outlet_label} · {_date(a)}"))


def _list(items: Sequence[str], empty: str) -> str:
    if not items:
        return f'<p class="empty">{escape(empty)}</p>'
    return "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def _removed(a: Article) -> str:
    if not a.removed:
        return '<p class="empty">Nothing removed.</p>'
    rows = "".join(
        f"<tr><td>{escape(r.reason)}</td><td>{escape(r.text)}</td></tr>" for r in a.removed
    )
    return f"<table><tr><th>Why</th><th>Line</th></tr>{rows}</table>"


def _times(doc: Doc) -> str:
    if not doc.times:
        return '<p class="empty">No time expressions.</p>'
    rows = "".join(
        f"<tr><td>{escape(t.text)}</td><td>{escape(t.type)}</td>"
        f"<td><code>{escape(t.value)}</code>{escape(' ' + t.mod if t.mod else '')}"
        f" {escape(timex_label(t.value, t.mod))}</td>"
        f"<td>{escape(t.anchor or '')}</td></tr>"
        for t in sorted(doc.times, key=lambda t: t.start)
    )
    return f"<table><tr><th>Text</th><th>Type</th><th>Value</th><th>Anchor</th></tr>{rows}</table>"


def article_rows(articles: Sequence[Article], base: str) -> str:
    rows = "".join(
        f'<tr data-nav><td class="date">{escape(_date(a))}</td><td>{escape(a.outlet_label)}</td>'
        f"<td>{escape(a.language or '')}</td>"
        f'<td><a href="{escape(href(base, "article", a.id))}">{escape(headline(a.title))}</a></td></tr>'
        for a in articles
    )
    head = "<tr><th>Published</th><th>Outlet</th><th>Lang.</th><th>Title</th></tr>"
    return f"<table>{head}{rows}</table>" if articles else '<p class="empty">No articles.</p>'


def entities_page(
    rows: Sequence[EntityRow],
    base: str,
    story: Story | None,
    limit: int,
    total: int | None = None,
    type_counts: dict[str, int] | None = None,
    types: Sequence[str] = (),
    unsure: int = 0,
    doubtful: bool = False,
) -> str:
    """Canonical entities, most mentioned first, with their spellings and outlets; each
    name links to its entity page. The store's list can be cut to one type, grown by 200
    rows at a time, and has a box that opens an entity by any of its spellings. ``unsure``
    names (only the tagger found them, each time unsure) are left out; ``doubtful``: shown."""
    shown = sorted(rows, key=lambda r: -r.mention_count)[:limit]
    total = len(rows) if total is None else total
    b = escape(base)

    def outlets(r: EntityRow) -> str:
        more = len(r.outlets) - 3
        return escape(", ".join(r.outlets[:3])) + (f" <i>+{more} more</i>" if more > 0 else "")

    trs = "".join(
        f'<tr data-nav><td><a href="{escape(href(base, "entity", r.entity.id))}">'
        f"<b>{escape(r.entity.name)}</b></a></td><td>{escape(r.entity.type)}</td>"
        f"<td>{r.mention_count}</td><td>{len(r.articles)}</td>"
        f"<td>{outlets(r)}</td>"
        f'<td class="variants">{escape(", ".join(f"{v} ({n})" for v, n in r.entity.variants[:8]))}</td></tr>'
        for r in shown
    )
    head = "<tr><th>Name</th><th>Type</th><th>Mentions</th><th>Articles</th><th>Outlets</th><th>Written as</th></tr>"
    table = (
        f'<table class="entities">{head}{trs}</table>'
        if rows
        else '<p class="empty">No entities.</p>'
    )
    kind = "".join(f"&amp;type={escape(t)}" for t in types) + ("&amp;all=1" if doubtful else "")
    cut = ""
    if total > len(shown):
        cut = f'<p class="note">Showing {len(shown)} of {total}.'
        if story is None:
            cut += f' <a href="{b}/entities?limit={len(shown) + 200}{kind}">Show 200 more</a>'
        cut += "</p>"
    if unsure and story is None:
        cut += (
            f'<p class="note">{unsure} more names only the tagger found, each time unsure'
            f' (more often wrong than right): <a href="{b}/entities?all=1{kind}">show them</a></p>'
        )
    tools = ""
    if type_counts is not None:
        all_n = sum(type_counts.values())
        links = [
            f'<a href="{b}/entities"{" class=on" if not types else ""}>all</a> ({all_n})',
            *(
                f'<a href="{b}/entities?type={t}"{" class=on" if t in types else ""}>{t}</a> ({n})'
                for t, n in type_counts.items()
            ),
        ]
        tools = (
            f'<p class="types">Type: {" · ".join(links)}</p>'
            f'<form class="search" method="get" action="{b}/entity" role="search">'
            '<input type="search" name="name" placeholder="Open an entity by any spelling"'
            ' aria-label="Entity name"> <button>Open</button></form>'
        )
    json_link = f"{b}/api/entities" + (f"?story={escape(story.id)}" if story else "")
    if story is not None:
        url = escape(href(base, "story", story.id))
        meta = f'story <a href="{url}" style="color:#fff">{escape(headline(story.title) or story.id)}</a>'
    else:
        meta = "whole store, syndicated copies left out"
    meta += f' · <a class="json" href="{json_link}" style="color:#fff">JSON</a>'
    return layout(
        "Entities",
        section("entities", f"{total} entities", tools + table + cut),
        base,
        meta=meta,
        wide=True,
    )


def error_page(status: str, message: str, base: str) -> str:
    body = (
        f'<p class="error">{escape(message)}</p>'
        f'<p><a href="{escape(base)}/">Back to the stories</a> · '
        f'<a href="{escape(base)}/search">Search</a></p>'
    )
    return layout(status, body, base)


def api_page(
    endpoints: Sequence[tuple[str, str]], base: str, examples: Mapping[str, str] | None = None
) -> str:
    """The API's paths, each a link to try it: a path with an ID links to one of this store's
    (``examples``: "story" -> a story id, …), and is plain text where the store has none."""
    examples = examples or {}

    def cell(path: str) -> str:
        code = f"<code>{escape(path)}</code>"
        if "/ID" in path:
            kind = path.split("/")[2]
            if kind not in examples:
                return code
            path = path.replace("/ID", "/" + examples[kind], 1)
        return f'<a href="{escape(base + path)}">{code}</a>'

    rows = "".join(
        f"<tr><td>{cell(path)}</td><td>{escape(what)}</td></tr>" for path, what in endpoints
    )
    return layout("JSON API", f"<table><tr><th>Path</th><th>Returns</th></tr>{rows}</table>", base)


__all__ = [
    "api_page",
    "article_page",
    "decorate",
    "dossier_page",
    "entities_page",
    "error_page",
    "href",
    "layout",
]
