"""The dossier as one self-contained HTML page: inline CSS, inline SVG, no script, no network.

Every citation is a link to a ``<mark>`` in the cited article's text at the end of the page, so
a reader goes from any line to the words it rests on and back. Long lists are cut to what a
reader can use (the JSON keeps everything), and a long story shows only the cited lines of
its articles, which keeps a 500-article dossier under 2 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape
from importlib import resources

from lagebild import __version__
from lagebild.dossier import views
from lagebild.dossier.assemble import DossierBundle, key_facts
from lagebild.dossier.charts import coverage_svg, in_time_order, timeline_svg
from lagebild.dossier.marks import article_anchor, mark_id, marked_text
from lagebild.model import Citation, FactGroup, headline

FULL_TEXT_BUDGET = 600_000  # characters of article text shown in full; beyond, cited lines only
TOOLTIP_MAX_ARTICLES = 50  # citation tooltips ("outlet, id:start-end") only on smaller stories
LIMITS = {"facts": 300, "statements": 300, "entities": 150, "timeline": 300, "list": 100}


@cache
def stylesheet() -> str:
    return (resources.files("lagebild") / "resources" / "dossier" / "dossier.css").read_text(
        encoding="utf-8"
    )


class _Page:
    """Builds the page; keeps the source names and which spans were cited."""

    def __init__(self, bundle: DossierBundle) -> None:
        self.b = bundle
        self.d = bundle.dossier
        self.src = views.Sources(self.d)
        self.cited: dict[str, set[tuple[int, int]]] = {}  # spans linked from the page so far
        self.tips = len(self.d.articles) <= TOOLTIP_MAX_ARTICLES

    def href(self, c: Citation) -> str:
        """The fragment of a citation's mark; remembers the span so the mark is rendered."""
        self.cited.setdefault(c.article_id, set()).add((c.start, c.end))
        return "#" + mark_id(c)

    def link(self, c: Citation) -> str:
        """``href`` (and tooltip) attributes of a citation link."""
        tip = f' title="{escape(self.src.label(c))}"' if self.tips else ""
        return f'href="{escape(self.href(c))}"{tip}'

    def cite(self, c: Citation) -> str:
        return f'<a class="cite" {self.link(c)}>{escape(self.src.name(c))}</a>'

    def cites(self, cs: Sequence[Citation], n: int = 6) -> str:
        more = f' <span class="note">+{len(cs) - n}</span>' if len(cs) > n else ""
        return " ".join(self.cite(c) for c in cs[:n]) + more

    def badge(self, g: FactGroup) -> str:
        k = len(set(g.outlets))
        if g.single_source:
            return '<span class="badge single">single source</span>'
        return f'<span class="badge multi">{k} outlets</span>'

    @staticmethod
    def surface(g: FactGroup) -> str:
        """The words the article used, when they say more than the normalised value."""
        if not g.text or g.text == views.value_text(g):
            return ""
        return f'<br><span class="note">{escape(g.text)}</span>'

    def cut(self, n_all: int, limit: int) -> str:
        if n_all <= limit:
            return ""
        return f'<p class="note">Showing {limit} of {n_all}; the JSON export has all.</p>'

    # ---------------------------------------------------------------- sections

    def header(self) -> str:
        rows = views.articles(self.b)
        copies = sum(1 for r in rows if r.copy_of)
        meta = (
            f"<b>{len(rows)}</b> {views.noun(len(rows), 'article')} "
            f"({views.counted(copies, 'syndicated copy', 'syndicated copies')}) · "
            f"{escape(views.source_count(self.d))} · "
            f"{escape(views.story_dates_text(self.b))} · "
            f"story <code>{escape(self.d.story.id)}</code>"
        )
        nav = "".join(f'<a href="#{k}">{escape(t)}</a>' for k, t in views.SECTIONS)
        return (
            f'<header class="top"><h1>{escape(self.d.headline)}</h1><div class="meta">{meta}</div></header>'
            f'<nav class="toc">{nav}<a href="#sources">Article texts</a></nav>'
        )

    def since(self) -> str:
        """What the story gained since a time (empty without a change log section)."""
        since = self.b.since
        if since is None:
            return ""
        items = "".join(
            f"<li>{escape(line.removeprefix('+ ').strip())}</li>" for line in since.lines()
        )
        return self.section(
            "since", f"Since {since.since:%Y-%m-%d %H:%M} UTC", f'<ul class="since">{items}</ul>'
        )

    def key_facts(self) -> str:
        items = []
        for g in key_facts(self.d):
            context = views.fact_context(g, self.d)
            quote = f"<q>{escape(context)}</q> " if context else ""
            items.append(
                f'<li><span class="value">{escape(views.fact_heading(g))}</span> {quote}'
                f"{self.badge(g)}<br>{self.cites(g.citations, 4)}</li>"
            )
        body = (
            f'<ul class="keyfacts">{"".join(items)}</ul>'
            if items
            else '<p class="empty">No fact reads as a claim.</p>'
        )
        return self.section("key-facts", "Key facts", body)

    def summary(self) -> str:
        items = [f"<li>{escape(s.text)} {self.cite(s.citation)}</li>" for s in self.d.summary]
        body = (
            f'<ol class="summary">{"".join(items)}</ol>'
            if items
            else '<p class="empty">No quotable sentences.</p>'
        )
        return self.section("summary", "Summary", body)

    def timeline(self) -> str:
        evs = self.d.timeline
        if not evs:
            return self.section("timeline", "Timeline", '<p class="empty">No dated events.</p>')
        chart = timeline_svg(evs, self.href)
        rows = []
        for ev in in_time_order(evs)[: LIMITS["timeline"]]:
            when = views.when(ev.date, ev.date_end)
            tag = ' <span class="badge inferred">inferred</span>' if ev.inferred else ""
            rows.append(
                f'<tr><td class="date">{escape(when)}{tag}</td><td>{escape(ev.label)}</td>'
                f"<td>{self.cites(ev.citations)}</td></tr>"
            )
        legend = (
            '<p class="note">● date stated in the text · ○ date resolved against an inferred '
            "article date · click an event for its source</p>"
            if chart
            else ""
        )
        table = (
            f"<table><tr><th>Date</th><th>Event</th><th>Sources</th></tr>{''.join(rows)}</table>"
        )
        return self.section(
            "timeline", "Timeline", chart + legend + table + self.cut(len(evs), LIMITS["timeline"])
        )

    def statements(self) -> str:
        groups = views.by_speaker(self.d.statements)
        if not groups:
            return self.section(
                "statements", "Who said what", '<p class="empty">No attributed statements.</p>'
            )
        parts, shown = [], 0
        for speaker, items in groups:
            if shown >= LIMITS["statements"]:
                break
            lis = "".join(
                f'<li><span class="form">{escape(s.form)}</span>{escape(s.text)} {self.cites(s.citations)}</li>'
                for s in items
            )
            shown += len(items)
            parts.append(f'<div class="speaker"><b>{escape(speaker)}</b><ul>{lis}</ul></div>')
        return self.section(
            "statements", "Who said what", "".join(parts) + self.cut(len(self.d.statements), shown)
        )

    def fact_rows(self, groups: Sequence[FactGroup], limit: int) -> str:
        if not groups:
            return '<p class="empty">None.</p>'
        rows = []
        for g in groups[:limit]:
            first = g.first_seen_label
            rows.append(
                f"<tr><td><b>{escape(views.value_text(g))}</b>{self.surface(g)}</td>"
                f"<td>{escape(g.measures)}</td>"
                f"<td>{escape(g.kind)}</td><td>{escape(', '.join(dict.fromkeys(g.outlets)))} {self.badge(g)}</td>"
                f'<td class="date">{first}</td><td>{self.cites(g.citations)}</td></tr>'
            )
        head = "<tr><th>Value</th><th>What</th><th>Kind</th><th>Outlets</th><th>First</th><th>Sources</th></tr>"
        return f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>' + self.cut(
            len(groups), limit
        )

    def facts(self) -> str:
        body = (
            self.fact_rows(self.d.facts, LIMITS["facts"])
            if self.d.facts
            else '<p class="empty">No facts extracted.</p>'
        )
        return self.section("facts", "Facts and numbers", body)

    def agreement(self) -> str:
        parts = ["<h3>Where the outlets diverge</h3>"]
        for dv in self.d.divergences:
            lis = "".join(f"<li>“{escape(v)}” {self.cites(cs)}</li>" for v, cs in dv.values)
            note = f'<div class="note">{escape(dv.note)}</div>' if dv.note else ""
            parts.append(
                f'<div class="diverge"><b>{escape(dv.slot)}</b> '
                f'<span class="badge {escape(dv.kind)}">{escape(dv.kind)}</span><ul>{lis}</ul>{note}</div>'
            )
        if not self.d.divergences:
            parts.append('<p class="empty">No divergences found.</p>')
        parts.append("<h3>Corroborated (more than one outlet)</h3>")
        parts.append(self.fact_rows(self.d.corroborated, LIMITS["list"]))
        parts.append("<h3>Single source</h3>")
        parts.append(self.fact_rows(views.single_source(self.d), LIMITS["list"]))
        return self.section("agreement", "Agreement, divergence, single source", "".join(parts))

    def entities(self) -> str:
        ents = sorted(self.d.entities, key=lambda e: -len(e.mentions))
        if not ents:
            return self.section("entities", "Entities", '<p class="empty">No entities.</p>')
        rows = []
        for e in ents[: LIMITS["entities"]]:
            variants = ", ".join(f"{v} ({n})" for v, n in e.variants[:8])
            rows.append(
                f"<tr><td><b>{escape(e.name)}</b></td><td>{escape(e.type)}</td>"
                f"<td>{len(e.article_ids)}</td><td>{len(e.mentions)}</td>"
                f'<td class="variants">{escape(variants)}</td></tr>'
            )
        head = "<tr><th>Name</th><th>Type</th><th>Articles</th><th>Mentions</th><th>Written as</th></tr>"
        table = f'<table class="entities">{head}{"".join(rows)}</table>'
        return self.section("entities", "Entities", table + self.cut(len(ents), LIMITS["entities"]))

    def articles(self) -> str:
        rows = []
        for i, r in enumerate(views.articles(self.b), 1):
            if r.window is not None:
                when = (
                    f'≈ {r.day} <span class="badge inferred" title="{escape(views.window_text(r.window))}">'
                    f"inferred {escape(views.date_range(r.window.earliest, r.window.latest))}</span>"
                )
            else:
                when = escape(r.day.isoformat()) if r.day else '<span class="note">undated</span>'
            if views.updated_text(r.article):
                when += f' <span class="note">({escape(views.updated_text(r.article))})</span>'
            copy = (
                f' <span class="badge copy">copy of {escape(r.copy_of[:8])}</span>'
                if r.copy_of
                else ""
            )
            if self.b.since is not None and r.article.id in self.b.since.new_articles:
                copy += ' <span class="badge new">new</span>'

            rows.append(
                f'<tr><td>{i}</td><td class="date">{when}</td><td>{escape(r.outlet)}</td>'
                f'<td><a href="#{article_anchor(r.article.id)}">{escape(headline(r.article.title))}</a>{copy}</td></tr>'
            )
        head = "<tr><th>#</th><th>Date</th><th>Outlet</th><th>Title</th></tr>"
        return self.section("articles", "Articles", f"<table>{head}{''.join(rows)}</table>")

    def coverage(self) -> str:
        chart = coverage_svg(self.b.series)
        undated = (
            f'<p class="note">{self.b.undated} article{"s" * (self.b.undated != 1)} without any date.</p>'
            if self.b.undated
            else ""
        )
        body = (chart or '<p class="empty">No dated articles.</p>') + undated
        return self.section("coverage", "Coverage over time", body)

    def matrix(self) -> str:
        m = self.b.coverage
        if not m.rows:
            return self.section(
                "matrix", "Coverage matrix", '<p class="empty">No coverage matrix.</p>'
            )
        head = "<tr><th>Fact</th>" + "".join(f"<th>{escape(o)}</th>" for o in m.outlets) + "</tr>"
        rows = []
        for row in m.rows:
            cells = "".join(
                f'<td class="cell yes"><a {self.link(c[0])}>✓</a></td>'
                if c
                else '<td class="cell no">·</td>'
                for c in row.cells
            )
            rows.append(f"<tr><td>{escape(row.label)}</td>{cells}</tr>")
        return self.section(
            "matrix",
            "Coverage matrix",
            f'<div class="scroll"><table class="matrix">{head}{"".join(rows)}</table></div>',
        )

    def sources(self) -> str:
        """The article texts with every span the page links to marked; must be built last."""
        spans = self.cited
        arts = list(self.d.articles)
        total = sum(len(a.text) for a in arts)
        shown = arts if total <= FULL_TEXT_BUDGET else [a for a in arts if a.id in spans]
        excerpt = sum(len(a.text) for a in shown) > FULL_TEXT_BUDGET
        parts = []
        for a in shown:
            meta = escape(" · ".join(x for x in (a.outlet or "", a.source, a.id) if x))
            body = marked_text(a.id, a.text, spans.get(a.id, ()), excerpt=excerpt)
            parts.append(
                f'<article class="source" id="{article_anchor(a.id)}"><h3>{escape(a.title)}</h3>'
                f'<div class="note">{meta}</div><div class="body">{body}</div></article>'
            )
        note = (
            '<p class="note">Only the cited lines of each article are shown (long story).</p>'
            if excerpt
            else ""
        )
        return self.section("sources", "Article texts", note + "".join(parts))

    @staticmethod
    def section(key: str, title: str, body: str) -> str:
        return f'<section id="{key}"><h2>{escape(title)}</h2>{body}</section>'


def render_html(bundle: DossierBundle) -> str:
    """The whole page as one string."""
    p = _Page(bundle)
    body = "".join(
        (
            p.since(),
            p.key_facts(),
            p.summary(),
            p.timeline(),
            p.statements(),
            p.facts(),
            p.agreement(),
            p.entities(),
            p.articles(),
            p.coverage(),
            p.matrix(),
            p.sources(),
        )
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(bundle.dossier.headline)} — lagebild</title><style>{stylesheet()}</style></head>"
        f"<body>{p.header()}<main>{body}"
        f"<footer>lagebild {escape(__version__)} · schema lagebild.dossier/{bundle.dossier.schema_version}"
        "</footer></main></body></html>\n"
    )


__all__ = ["render_html"]
