"""CLI commands of the dossier stage: option parsing only, the work is in the library."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from lagebild.dossier.formats import FORMATS

if TYPE_CHECKING:
    from rich.progress import Progress

    from lagebild.dossier.report import ReportEntry
    from lagebild.pipeline import StageFailure


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""
    main.add_command(dossier)
    main.add_command(report)
    main.add_command(run)


@click.command("dossier")
@click.argument("story")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--since", "since_text", metavar="TIME",
    help="A 'Since …' section with what the story gained after TIME (ISO, 6h, 2d, yesterday); "
    "default: what its last update brought.",
)  # fmt: skip
@click.pass_context
def dossier(
    ctx: click.Context, story: str, fmt: str, out_file: str | None, since_text: str | None
) -> None:
    """The dossier of STORY (id or unique id prefix) as Markdown, HTML or JSON."""
    from lagebild.changes.commands import parse_since
    from lagebild.cli import app_of, err_console

    app = app_of(ctx)
    text = app.dossier(story, fmt, parse_since(since_text) if since_text else None)
    if out_file:
        Path(out_file).write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out_file}", markup=False)
    else:
        click.echo(text, nl=False)


@click.command("report")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.pass_context
def report(ctx: click.Context, out_dir: str) -> None:
    """Write OUT_DIR/index.html and every story's dossier (html, json, md)."""
    from lagebild.cli import app_of, report_failures
    from lagebild.dossier.report import write_report

    app = app_of(ctx)
    stories = app.stories()
    failures: list[StageFailure] = []
    with _progress() as bar:
        task = bar.add_task("dossiers", total=len(stories))
        entries = write_report(
            app, out_dir, stories=stories, progress=lambda _: bar.advance(task), failures=failures
        )
    _print_stories(entries, out_dir)
    report_failures(failures)


@click.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Report directory."
)
@click.pass_context
def run(ctx: click.Context, paths: tuple[str, ...], out_dir: str) -> None:
    """The main job: ingest PATHS, analyse, find stories, write every dossier and the index.

    Exit status 1 when nothing could be read, 3 when a stage failed on an article or a story
    (each failure is named; the rest of the report is written all the same)."""
    from lagebild.cli import app_of, err_console, report_failures
    from lagebild.dossier.report import write_report

    app = app_of(ctx)
    with _progress() as bar:
        tasks: dict[str, int] = {"read": bar.add_task("reading", total=None)}
        counts = {"read": 0, "rejected": 0}

        def on_ingest(what: str, n: int) -> None:
            if what in ("read", "rejected"):
                counts[what] += n
                bar.advance(tasks["read"], n)
                return
            if "analyse" not in tasks:
                bar.update(tasks["read"], total=counts["read"] + counts["rejected"])
                tasks["analyse"] = bar.add_task("analysing", total=counts["read"])
            bar.advance(tasks["analyse"], n)

        result = app.ingest(list(paths), progress=on_ingest)
        bar.update(tasks["read"], total=counts["read"] + counts["rejected"])
        if "analyse" in tasks:
            bar.update(tasks["analyse"], completed=bar.tasks[tasks["analyse"]].total)
        stories = app.stories() if result.ok else []
        task = bar.add_task("dossiers", total=len(stories))
        failures = list(result.failed)
        entries = (
            write_report(
                app,
                out_dir,
                stories=stories,
                progress=lambda _: bar.advance(task),
                failures=failures,
            )
            if result.ok
            else []
        )
    err_console.print(
        f"{len(result.added)} new articles, {len(result.duplicates)} already stored, "
        f"{len(result.rejected)} rejected"
    )
    for rej in result.rejected[:10]:
        err_console.print(
            f"  [yellow]rejected[/yellow] {escape(rej.source)}: {escape(rej.reason)}",
            soft_wrap=True,
        )
    if len(result.rejected) > 10:
        err_console.print(f"  … and {len(result.rejected) - 10} more (`lagebild ingest` lists all)")
    if not result.ok:
        err_console.print("[red]error:[/red] nothing could be read; no report written")
        sys.exit(1)
    _print_stories(entries, out_dir)
    report_failures(failures)


def _progress() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from lagebild.cli import err_console

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


def _print_stories(entries: Sequence[ReportEntry], out_dir: str, limit: int = 25) -> None:
    from lagebild.cli import console, table
    from lagebild.dossier.views import date_range

    t = table(
        f"{len(entries)} stories → {out_dir}/index.html",
        ["story", "title", "articles", "outlets", "dates"],
    )
    for e in entries[:limit]:
        t.add_row(
            e.story_id[:10],
            e.title,
            str(e.articles),
            str(len(e.outlets)),
            date_range(e.first, e.last),
        )
    console.print(t)
    if len(entries) > limit:
        console.print(f"… and {len(entries) - limit} more in {out_dir}/index.html", markup=False)
