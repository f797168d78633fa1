"""CLI commands of the facts stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json

import click
from rich.markup import escape

from lagebild.tabular import FACT_COLUMNS, fact_record, format_options, write


def _num(f: object) -> str:
    from lagebild.dossier.views import number_text

    value, value_max = getattr(f, "value", None), getattr(f, "value_max", None)
    if value is None:
        return getattr(f, "value_text", "") or ""
    text = number_text(value) + (f"–{number_text(value_max)}" if value_max is not None else "")
    return f"{text} {getattr(f, 'unit', '')}".strip()


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""

    @main.command("facts")
    @click.option("--story", "story_ref", help="Story id (or unique prefix): compare its outlets.")
    @click.option("--article", "article_ref", help="Only this article's facts.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @format_options
    @click.pass_context
    def facts_cmd(
        ctx: click.Context,
        story_ref: str | None,
        article_ref: str | None,
        as_json: bool,
        fmt: str,
        out_path: str | None,
    ) -> None:
        """Facts per article; with --story also groups, divergences and the coverage matrix."""
        from lagebild.cli import app_of, console, table
        from lagebild.facts.compare import compare_story
        from lagebild.model import to_dict

        app = app_of(ctx)
        if article_ref:
            ids = [app.article(article_ref).id]
        elif story_ref:
            ids = list(app.story(story_ref).original_ids)
        else:
            ids = [a.id for a in app.articles()]
        docs = list(app.docs(ids))
        if fmt != "table":
            write((fact_record(f) for d in docs for f in d.facts), FACT_COLUMNS, fmt, out_path)
            return
        t = table(
            "facts", ["article", "kind", "value", "approx", "measures", "source", "mood", "text"]
        )
        for d in docs:
            for f in d.facts:
                t.add_row(d.id[:8], f.kind, _num(f), f.approx or "", f.measures,
                          f.attributed_to or "", f.modality, f.text)  # fmt: skip
        console.print(t)
        out: dict[str, object] = {"facts": [to_dict(f) for d in docs for f in d.facts]}
        if story_ref:
            windows = {d.id: d.date_window for d in docs if d.date_window is not None}
            from lagebild.dossier.sections import told_before

            result = compare_story(docs, windows, told_before)
            g = table("fact groups", ["outlets", "kind", "measures", "text", "single source"])
            for grp in result.groups:
                g.add_row(", ".join(grp.outlets), grp.kind, grp.measures, grp.text,
                          "yes" if grp.single_source else "")  # fmt: skip
            console.print(g)
            for dv in result.divergences:
                console.print(f"[bold]{escape(dv.kind)}[/bold] {escape(dv.slot)}: "
                              + escape(" | ".join(v for v, _ in dv.values)))  # fmt: skip
                console.print(f"  {dv.note}", markup=False)
            m = result.coverage
            c = table("coverage", ["fact", *m.outlets])
            for row in m.rows:
                c.add_row(row.label, *("x" if cell else "" for cell in row.cells))
            console.print(c)
            out.update(
                groups=to_dict(result.groups),
                divergences=to_dict(result.divergences),
                coverage=to_dict(result.coverage),
            )
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
