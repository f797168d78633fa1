"""The entity page: one canonical entity across the store, drawn like the other pages.

Type, spellings, every mention with its citation (article, outlet, offsets; captions
marked) in context, the stories it is in, the entities named beside it and its mentions
per day. Data from ``Lagebild.entity`` (``entities.catalog.EntityDetail``).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from lagebild.entities.catalog import EntityDetail
from lagebild.model import headline
from lagebild.web.markup import mention_anchor
from lagebild.web.pages import href, layout, section

WIDTH = 60  # characters of context on each side of a mention, before cutting to whole words


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _context(left: str, right: str) -> tuple[str, str]:
    """The context cut between words: a word the cut went through is dropped, and "…"
    says that the text goes on."""
    if len(left) >= WIDTH and " " in left:
        left = "…" + left[left.index(" ") + 1 :]
    if len(right) >= WIDTH and " " in right:
        right = right[: right.rindex(" ")] + "…"
    return left, right


def entity_page(d: EntityDetail, base: str, limit: int = 200) -> str:
    """The page of one entity."""
    e = d.row.entity
    b = escape(base)
    variants = ", ".join(f"{escape(v)} ({n})" for v, n in e.variants)
    outlets = d.row.outlets or tuple(dict.fromkeys(v for v in d.outlets.values() if v))
    facts = (
        f"<p><b>{escape(e.type)}</b> · {_n(len(e.mentions), 'mention')} in "
        f"{_n(len(e.article_ids), 'article')} · outlets: {escape(', '.join(outlets) or '-')}</p>"
        f'<p class="variants">Written as: {variants}</p>'
        f'<p><a href="{b}/?entity={escape(quote(e.name, safe=""))}">Stories with {escape(e.name)}'
        f'</a> (filter the story list) · <a href="{b}/search?q='
        f'{escape(quote(chr(34) + e.name + chr(34), safe=""))}">Search the articles</a></p>'
    )
    stories = "".join(
        f'<li><a href="{escape(href(base, "story", h.story.id))}">'
        f"{escape(headline(h.story.title) or h.story.id)}</a> — {_n(h.articles, 'article')}, "
        f"{_n(h.mentions, 'mention')}</li>"
        for h in d.stories
    )
    rows = []
    for m in e.mentions[:limit]:
        left, written, right = d.context(m, WIDTH)
        left, right = _context(left, right)
        if m.caption is None:  # the link lands on the highlighted mention in the text
            where = f"{m.start}–{m.end}"
            url = href(base, "article", m.article_id, suffix="#" + mention_anchor(m.start, m.end))
        else:
            where = f"caption {m.caption + 1}, {m.start}–{m.end}"
            url = href(base, "article", m.article_id, suffix="#captions")
        rows.append(
            f'<tr><td><a href="{escape(url)}">'
            f"{escape(d.titles.get(m.article_id, m.article_id))}</a></td>"
            f"<td>{escape(d.outlets.get(m.article_id, ''))}</td><td>{where}</td>"
            f"<td>{escape(left)}<mark>{escape(written)}</mark>{escape(right)}</td></tr>"
        )
    mentions = (
        '<table class="mentions"><tr><th>Article</th><th>Outlet</th><th>Where</th>'
        f"<th>In context</th></tr>{''.join(rows)}</table>"
    )
    if len(e.mentions) > limit:
        mentions += f'<p class="note">Showing {limit} of {len(e.mentions)}.</p>'
    beside = "".join(
        f'<li><a href="{b}/entity/{escape(i)}">{escape(n)}</a> ({escape(t)}), {_n(k, "article")}</li>'
        for i, n, t, k in d.cooccurring
    )
    top = max((n for _, n in d.per_day), default=1)
    days = "".join(
        f"<tr><td>{escape(day)}</td><td>{n}</td>"
        f'<td><span class="bar" style="display:inline-block;background:#567;height:.7em;'
        f'width:{max(1, round(120 * n / top))}px"></span></td></tr>'
        for day, n in d.per_day
    )
    others = "".join(
        f'<li><a href="{b}/entity/{escape(o.id)}">{escape(o.name)}</a> ({escape(o.type)})</li>'
        for o in d.others[:10]
    )
    body = (
        section("entity", "Overview", facts)
        + section("stories", "Stories", f"<ul>{stories}</ul>" if stories else "<p>None.</p>")
        + section("mentions", "Mentions", mentions)
        + section(
            "cooccurring", "Named beside it", f"<ul>{beside}</ul>" if beside else "<p>None.</p>"
        )
        + section("per-day", "Mentions per day", f'<table class="days">{days}</table>')
        + (section("others", "Also matching", f"<ul>{others}</ul>") if others else "")
    )
    meta = f'<a href="{b}/entities" style="color:#fff">all entities</a> · id {escape(e.id)}'
    return layout(e.name, body, base, meta=meta)


__all__ = ["entity_page"]
