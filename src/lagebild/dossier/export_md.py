"""The dossier as Markdown: the same sections as the HTML, citations as ``[outlet, id:start-end]``."""

from __future__ import annotations

import re

from lagebild.dossier import views
from lagebild.dossier.assemble import DossierBundle, key_facts
from lagebild.model import Citation, FactGroup, headline

_SPECIAL = re.compile(r"([\\`*_<>|])")


def esc(text: str) -> str:
    """Text with Markdown's special characters escaped and line breaks flattened."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(bundle: DossierBundle) -> str:
    d = bundle.dossier
    src = views.Sources(d)

    def cites(citations: tuple[Citation, ...] | list[Citation]) -> str:
        return " ".join(f"[{esc(src.label(c))}]" for c in citations)

    def fact_line(g: FactGroup) -> str:
        what = f" — {esc(g.measures)}" if g.measures else ""
        first = f", first {g.first_seen_label}" if g.first_seen else ""
        tag = " *(single source)*" if g.single_source else ""
        outlets = ", ".join(dict.fromkeys(g.outlets)) or "?"
        return f"- **{esc(views.value_text(g))}**{what} ({esc(outlets)}{first}){tag} {cites(g.citations)}"

    def key_fact_line(g: FactGroup) -> str:
        context = views.fact_context(g, d)
        quote = f" — „{esc(context)}“" if context else ""
        tag = " *(single source)*" if g.single_source else ""
        n = views.counted(len(set(g.outlets)), "source")
        return f"- **{esc(views.fact_heading(g))}**{quote} ({n}){tag} {cites(g.citations)}"

    rows = views.articles(bundle)
    n_copies = sum(1 for r in rows if r.copy_of)
    out = [f"# {esc(d.headline)}", ""]
    out.append(
        f"Story `{d.story.id}` · {views.counted(len(rows), 'article')} "
        f"({views.counted(n_copies, 'syndicated copy', 'syndicated copies')}) · "
        f"{views.source_count(d)} · {views.story_dates_text(bundle)} · "
        f"schema lagebild.dossier/{d.schema_version}"
    )
    if bundle.since is not None:
        out += ["", f"## Since {bundle.since.since:%Y-%m-%d %H:%M} UTC", ""]
        out += [f"- {esc(line.removeprefix('+ ').strip())}" for line in bundle.since.lines()]
    new = bundle.since.new_articles if bundle.since is not None else frozenset()
    out += ["", "## Key facts", ""]
    out += [key_fact_line(g) for g in key_facts(d)] or ["_No fact reads as a claim._"]

    out += ["", "## Summary", ""]
    out += [f"{i}. {esc(s.text)} {cites([s.citation])}" for i, s in enumerate(d.summary, 1)]
    if not d.summary:
        out.append("_No summary: no quotable sentences._")

    out += ["", "## Timeline", ""]
    for ev in d.timeline:
        when = views.when(ev.date, ev.date_end)
        inferred = " *(inferred)*" if ev.inferred else ""
        out.append(f"- **{esc(when)}**{inferred}: {esc(ev.label)} {cites(ev.citations)}")
    if not d.timeline:
        out.append("_No dated events._")

    out += ["", "## Who said what", ""]
    for speaker, items in views.by_speaker(d.statements):
        out.append(f"### {esc(speaker)}")
        out += [f"- *{s.form}*: {esc(s.text)} {cites(s.citations)}" for s in items]
        out.append("")
    if not d.statements:
        out += ["_No attributed statements._", ""]

    out += ["## Facts and numbers", ""]
    out += [fact_line(g) for g in d.facts] or ["_No facts extracted._"]

    out += ["", "## Agreement, divergence, single source", "", "### Where the outlets diverge", ""]
    for dv in d.divergences:
        values = "; ".join(f"“{esc(v)}” {cites(cs)}" for v, cs in dv.values)
        note = f" — {esc(dv.note)}" if dv.note else ""
        out.append(f"- **{esc(dv.slot)}** ({dv.kind}): {values}{note}")
    if not d.divergences:
        out.append("_No divergences found._")
    out += ["", "### Corroborated (more than one outlet)", ""]
    out += [fact_line(g) for g in d.corroborated] or ["_None._"]
    out += ["", "### Single source", ""]
    out += [fact_line(g) for g in views.single_source(d)] or ["_None._"]

    out += ["", "## Entities", ""]
    for e in d.entities:
        variants = ", ".join(f"{esc(v)} ({n})" for v, n in e.variants[:8])
        n = len(e.article_ids)
        out.append(f"- **{esc(e.name)}** ({e.type}) — {n} article{'s' * (n != 1)}; {variants}")
    if not d.entities:
        out.append("_No entities._")

    out += ["", "## Articles", "", "| # | Date | Outlet | Title | Id |", "|---|---|---|---|---|"]
    for i, r in enumerate(rows, 1):
        if r.window is not None:
            when = f"≈ {r.day} ({views.window_text(r.window)})"
        else:
            when = r.day.isoformat() if r.day else "undated"
        if views.updated_text(r.article):
            when += f" ({views.updated_text(r.article)})"
        title = esc(headline(r.article.title)) + (f" *(copy of {r.copy_of})*" if r.copy_of else "")
        title += " **new**" if r.article.id in new else ""
        out.append(f"| {i} | {esc(when)} | {esc(r.outlet)} | {title} | `{r.article.id}` |")

    out += ["", "## Coverage over time", ""]
    for day in bundle.series:
        if day.articles:
            inferred = f" ({day.inferred} inferred)" if day.inferred else ""
            out.append(f"- {day.date.isoformat()}: {day.articles}{inferred}")
    if bundle.undated:
        out.append(f"- undated: {bundle.undated}")
    if not bundle.series and not bundle.undated:
        out.append("_No articles._")

    out += ["", "## Coverage matrix", ""]
    m = bundle.coverage
    if m.rows:
        out.append("| Fact | " + " | ".join(esc(o) for o in m.outlets) + " |")
        out.append("|---" * (len(m.outlets) + 1) + "|")
        for row in m.rows:
            cells = ["✓" if c else "·" for c in row.cells]
            out.append(f"| {esc(row.label)} | " + " | ".join(cells) + " |")
    else:
        out.append("_No coverage matrix._")
    return "\n".join(out).rstrip() + "\n"


__all__ = ["esc", "render_markdown"]
