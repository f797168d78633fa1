"""CLI commands of the entities stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json

import click

from lagebild.tabular import ENTITY_COLUMNS, entity_record, format_options, write

TYPES = ("PER", "LOC", "ORG", "OTH")


def _variants(variants: tuple[tuple[str, int], ...], limit: int = 6) -> str:
    shown = ", ".join(f"{v} ×{n}" for v, n in variants[:limit])
    return shown + (f", … (+{len(variants) - limit})" if len(variants) > limit else "")


def _outlets(row) -> str:
    """ "3", "3 (+2 articles of unknown outlet)", or "unknown (5 articles)" when none is known."""
    from lagebild.dossier.views import counted

    if not row.outlets and row.unknown_outlet:
        n = row.unknown_outlet
        return f"unknown ({counted(n, 'article')})"
    known = str(len(row.outlets))
    return known + (f" (+{row.unknown_outlet} of unknown outlet)" if row.unknown_outlet else "")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""
    from lagebild.entities.ner.commands import register_ner

    register_ner(main, eval_group)

    @main.command("entities")
    @click.option("--story", "story_ref", help="Only this story (id or unique prefix).")
    @click.option(
        "--type", "types", multiple=True, type=click.Choice(TYPES), help="Only these types."
    )
    @click.option("--limit", default=50, show_default=True, help="Show at most this many.")
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
    @format_options
    @click.pass_context
    def entities_cmd(
        ctx: click.Context, story_ref: str | None, types: tuple[str, ...], limit: int,
        as_json: bool, fmt: str, out_path: str | None,
    ) -> None:
        """List canonical entities with type, variants, mention and outlet counts."""
        from lagebild.cli import app_of, console, table
        from lagebild.entities.catalog import all_entities, story_entities

        app = app_of(ctx)
        rows = story_entities(app, story_ref) if story_ref else all_entities(app)
        rows = [r for r in rows if not types or r.entity.type in types]
        if as_json:
            for r in rows[:limit]:
                click.echo(json.dumps(r.to_json(), ensure_ascii=False))
            return
        if fmt != "table":
            records = (entity_record(r.to_json()) for r in rows[:limit])
            write(records, ENTITY_COLUMNS, fmt, out_path)
            return
        t = table(
            f"{len(rows)} entities",
            ["entity", "type", "mentions", "articles", "outlets", "variants"],
        )
        for r in rows[:limit]:
            e = r.entity
            t.add_row(
                e.name,
                e.type,
                str(len(e.mentions)),
                str(len(e.article_ids)),
                _outlets(r),
                _variants(e.variants),
            )
        console.print(t)

    @main.command("entity")
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True, help="The entity and its stories as JSON.")
    @click.pass_context
    def entity_cmd(ctx: click.Context, name: str, as_json: bool) -> None:
        """Show one entity (any spelling, variant or id) with its variants and stories."""
        from lagebild.cli import app_of, console, table
        from lagebild.entities.catalog import find_entity
        from lagebild.errors import LagebildError

        detail = find_entity(app_of(ctx), name)
        if detail is None:
            raise LagebildError(f"no entity called {name!r}")
        e = detail.row.entity
        if as_json:
            data = detail.row.to_json()
            data["stories"] = [
                {
                    "id": h.story.id,
                    "title": h.story.title,
                    "articles": h.articles,
                    "mentions": h.mentions,
                }
                for h in detail.stories
            ]
            data["mention_spans"] = [
                [m.article_id, m.start, m.end, m.text, m.source] for m in e.mentions
            ]
            click.echo(json.dumps(data, ensure_ascii=False))
            return
        console.print(f"[bold]{e.name}[/bold]  {e.type}  ({e.id})")
        console.print(
            f"{len(e.mentions)} mentions in {len(e.article_ids)} articles; outlets: {', '.join(detail.row.outlets) or '-'}"
            + (
                f" (+{detail.row.unknown_outlet} articles with unknown outlet)"
                if detail.row.unknown_outlet
                else ""
            )
        )
        console.print("variants: " + _variants(e.variants, limit=20))
        t = table("stories", ["story", "title", "articles", "mentions"])
        for h in detail.stories:
            t.add_row(h.story.id[:10], h.story.title, str(h.articles), str(h.mentions))
        console.print(t)
        m_table = table("mentions", ["article", "title", "offsets", "in context"])
        for m in e.mentions[:30]:
            text = detail.texts.get(m.article_id, "")
            left = text[max(0, m.start - 40) : m.start].replace("\n", " ")
            right = text[m.end : m.end + 40].replace("\n", " ")
            m_table.add_row(
                m.article_id[:10],
                detail.titles.get(m.article_id, ""),
                f"{m.start}-{m.end}",
                f"…{left}[bold]{m.text}[/bold]{right}…",
            )
        console.print(m_table)
        if len(e.mentions) > 30:
            console.print(f"… and {len(e.mentions) - 30} more mentions")
        if detail.others:
            console.print(
                "also matching: "
                + "; ".join(f"{o.name} ({o.type}, {o.id})" for o in detail.others[:5])
            )
