"""CLI commands of the entities stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json

import click
from rich.markup import escape
from rich.text import Text

from lagebild.tabular import ENTITY_COLUMNS, entity_record, format_options, write

TYPES = ("PER", "LOC", "ORG", "OTH")


def _variants(variants: tuple[tuple[str, int], ...], limit: int = 6) -> str:
    shown = ", ".join(f"{v} ×{n}" for v, n in variants[:limit])
    return shown + (f", … (+{len(variants) - limit})" if len(variants) > limit else "")


def _outlets(row) -> str:
    """ "3", "3 (+2 articles of unknown outlet)", or "unknown (5 articles)" when none is known."""
    if not row.outlets and row.unknown_outlet:
        n = row.unknown_outlet
        return f"unknown ({n} article{'' if n == 1 else 's'})"
    known = str(len(row.outlets))
    return known + (f" (+{row.unknown_outlet} of unknown outlet)" if row.unknown_outlet else "")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""

    # ``train ner`` / ``eval ner`` come from ``entities.ner.commands`` (its own entry in the
    # CLI's tables), so listing entities does not load the NER package
    @main.command("entities")
    @click.option("--story", "story_ref", help="Only this story (id or unique prefix).")
    @click.option(
        "--type", "types", multiple=True, type=click.Choice(TYPES), help="Only these types."
    )
    @click.option("--limit", default=50, show_default=True, help="Show at most this many.")
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
    @click.option(
        "--all",
        "doubtful",
        is_flag=True,
        help="Also names only the tagger found, each time unsure (more often wrong than right).",
    )
    @format_options
    @click.pass_context
    def entities_cmd(
        ctx: click.Context,
        story_ref: str | None,
        types: tuple[str, ...],
        limit: int,
        as_json: bool,
        doubtful: bool,
        fmt: str,
        out_path: str | None,
    ) -> None:
        """List canonical entities with type, variants, mention and outlet counts."""
        from lagebild.cli import app_of, console, table
        from lagebild.entities import index
        from lagebild.entities.catalog import all_entities, story_entities

        app = app_of(ctx)
        unsure = 0
        if story_ref:
            rows = [
                r for r in story_entities(app, story_ref) if not types or r.entity.type in types
            ]
            total = len(rows)
        else:  # precomputed: reads `limit` rows, never merges the corpus again
            rows = all_entities(app, types, limit, doubtful)
            total = index.count(app, types, check=False, doubtful=doubtful)  # rows() checked
            if not doubtful:
                unsure = index.count(app, types, check=False, doubtful=True) - total
        if as_json:
            for r in rows[:limit]:
                click.echo(json.dumps(r.to_json(), ensure_ascii=False))
            return
        if fmt != "table":
            records = (entity_record(r.to_json()) for r in rows[:limit])
            write(records, ENTITY_COLUMNS, fmt, out_path)
            return
        t = table(
            f"{total} entities",
            ["entity", "type", "mentions", "articles", "outlets", "variants"],
        )
        for r in rows[:limit]:
            e = r.entity
            t.add_row(
                e.name,
                e.type,
                str(r.mention_count),
                str(len(r.articles)),
                _outlets(r),
                _variants(e.variants),
            )
        console.print(t)
        if unsure:
            console.print(f"{unsure} more names the tagger was unsure of each time: --all")

    @main.command("entity")
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True, help="The entity and its stories as JSON.")
    @click.pass_context
    def entity_cmd(ctx: click.Context, name: str, as_json: bool) -> None:
        """Show one entity (any spelling, variant or id) with its variants and stories."""
        from lagebild.cli import app_of, console, table
        from lagebild.entities.catalog import find_entity
        from lagebild.errors import LagebildError

        if not name.strip():  # before the entity lists are brought up to date
            raise LagebildError("give an entity's name, a spelling of it or its id")
        detail = find_entity(app_of(ctx), name)
        if detail is None:
            raise LagebildError(f"no entity called {name!r}")
        e = detail.row.entity
        if as_json:
            data = detail.to_json()
            data["mention_spans"] = [
                [m.article_id, m.start, m.end, m.text, m.source] for m in e.mentions
            ]
            click.echo(json.dumps(data, ensure_ascii=False))
            return
        console.print(f"[bold]{escape(e.name)}[/bold]  {e.type}  ({e.id})")
        console.print(
            f"{len(e.mentions)} mentions in {len(e.article_ids)} articles; outlets: {', '.join(detail.row.outlets) or '-'}"
            + (
                f" (+{detail.row.unknown_outlet} articles with unknown outlet)"
                if detail.row.unknown_outlet
                else ""
            ),
            markup=False,
        )
        console.print("variants: " + _variants(e.variants, limit=20), markup=False)
        t = table("stories", ["story", "title", "articles", "mentions"])
        for h in detail.stories:
            t.add_row(h.story.id[:10], h.story.title, str(h.articles), str(h.mentions))
        console.print(t)
        m_table = table("mentions", ["article", "outlet", "title", "where", "in context"])
        for m in e.mentions[:30]:
            left, written, right = detail.context(m)
            where = (
                f"{m.start}-{m.end}"
                if m.caption is None
                else f"caption {m.caption + 1}: {m.start}-{m.end}"
            )
            m_table.add_row(
                m.article_id[:10],
                detail.outlets.get(m.article_id, ""),
                detail.titles.get(m.article_id, ""),
                where,
                Text.assemble("…", left, (written, "bold"), right, "…"),
            )
        console.print(m_table)
        if len(e.mentions) > 30:
            console.print(f"… and {len(e.mentions) - 30} more mentions")
        if detail.cooccurring:
            console.print(
                "named beside it: "
                + "; ".join(f"{n} ({t}, {k} articles)" for _, n, t, k in detail.cooccurring[:12]),
                markup=False,
            )
        if detail.per_day:
            console.print(
                "mentions per day: " + ", ".join(f"{d} {n}" for d, n in detail.per_day[-30:])
            )
        if detail.others:
            console.print(
                "also matching: "
                + "; ".join(f"{o.name} ({o.type}, {o.id})" for o in detail.others[:5]),
                markup=False,
            )

    @eval_group.command("canon")
    @click.argument("gold", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--shared",
        type=click.Path(exists=True, file_okay=False),
        envvar="LAGEBILD_SHARED",
        default="../shared",
        show_default=True,
        help="Where ../shared is (the gold's articles are read from it).",
    )
    @click.option("--show", default=15, show_default=True, help="List this many merges/splits.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @click.pass_context
    def eval_canon(ctx: click.Context, gold: str, shared: str, show: int, as_json: bool) -> None:
        """Score canonical entities against a canon gold file (docs/entities-canon-gold.md)."""
        from pathlib import Path

        from lagebild.cli import config_of, console
        from lagebild.entities.evaluate import ANCHOR, evaluate
        from lagebild.entities.gold import read_apart, read_gold
        from lagebild.errors import LagebildError

        rows = read_gold(gold)
        parts, bad = evaluate(rows, Path(shared), config_of(ctx), read_apart(gold))
        if bad:
            raise LagebildError(
                f"{len(bad)} gold spans no longer line up with ../shared:\n" + "\n".join(bad[:20])
            )
        for s in parts:
            f, a = s.found_scores, s.all_scores
            console.print(
                f"[bold]{s.name}[/bold]: {s.articles} articles, {s.gold_mentions} gold mentions, "
                f"{s.found} found ({s.found / max(1, s.gold_mentions):.1%})"
            )
            console.print(f"  BCubed found  P {f.p:.3f}  R {f.r:.3f}  F1 {f.f1:.3f}")
            console.print(f"  BCubed all    P {a.p:.3f}  R {a.r:.3f}  F1 {a.f1:.3f}")
            console.print(f"  type agreement {s.type_agreement:.3f} of gold entities")
            merged = [f"{x} + {y}" for x, y, ok in s.apart if not ok]
            console.print(
                f"  must stay apart: {len(s.apart) - len(merged)}/{len(s.apart)} kept apart"
                + (f"; MERGED: {'; '.join(merged)}" if merged else "")
            )
        whole = parts[-1]
        console.print(f"false merges ({len(whole.merges)}; predicted entity <- gold entities):")
        for name, golds in whole.merges[:show]:
            console.print(f"  {name} <- " + ", ".join(f"{g} ×{n}" for g, n in golds))
        console.print(f"splits ({len(whole.splits)}; gold entity -> predicted entities):")
        for name, preds in whole.splits[:show]:
            console.print(f"  {name} -> " + ", ".join(f"{p} ×{n}" for p, n in preds))
        if whole.wrong_types:
            console.print(
                "wrong types: " + "; ".join(f"{e} {g}->{p}" for e, g, p in whole.wrong_types[:show])
            )
        console.print(f"({ANCHOR})")
        if as_json:
            click.echo(
                json.dumps(
                    {
                        s.name: {
                            "found_p": round(s.found_scores.p, 4),
                            "found_r": round(s.found_scores.r, 4),
                            "found_f1": round(s.found_scores.f1, 4),
                            "all_p": round(s.all_scores.p, 4),
                            "all_r": round(s.all_scores.r, 4),
                            "all_f1": round(s.all_scores.f1, 4),
                            "found": s.found,
                            "gold": s.gold_mentions,
                            "merges": len(s.merges),
                            "apart_broken": [[a, b] for a, b, ok in s.apart if not ok],
                        }
                        for s in parts
                    }
                )
            )
