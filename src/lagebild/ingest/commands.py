"""CLI commands for reading articles in and looking at them: ingest, articles, show, search."""

from __future__ import annotations

import itertools
import sys

import click
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from lagebild.model import Article
from lagebild.tabular import (
    ARTICLE_COLUMNS,
    SEARCH_COLUMNS,
    article_record,
    format_options,
    search_record,
    write,
)


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group."""
    main.add_command(ingest)
    main.add_command(reread_cmd)
    main.add_command(resume)
    main.add_command(reanalyse_cmd)
    main.add_command(articles)
    main.add_command(show)
    main.add_command(search)


def _progress() -> Progress:
    """The bar long commands draw on stderr (only on a terminal; it goes when done)."""
    from lagebild.cli import err_console

    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} items"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def _date(article: Article) -> str:
    if article.published and article.published_precision != "day":
        return article.published_label  # "2019-04": only the month is known
    return article.published.strftime("%Y-%m-%d %H:%M") if article.published else "—"


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--no-analyze", is_flag=True, help="Only store the articles; analyse later.")
@click.option(
    "--outlet",
    metavar="NAME",
    help="Outlet of articles whose source names none (e.g. text dumps without a footer).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch URLs on private, loopback and link-local addresses too (refused by default).",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    sources: tuple[str, ...],
    no_analyze: bool,
    outlet: str | None,
    allow_private: bool,
) -> None:
    """Read files, directories (recursively) and URLs into the database.

    Text dumps, HTML, RSS/Atom, WARC(.gz) and JSONL are recognised by content. A bad input
    is named with its reason and the batch goes on. Exit status 1 only when nothing at all
    could be read.
    """
    from lagebild.cli import app_of, console, err_console, override_config, report_failures

    if allow_private:
        override_config(ctx, "fetch", allow_private=True)
    app = app_of(ctx)
    with _progress() as progress:
        tasks: dict[str, int] = {}

        def tick(what: str, n: int) -> None:
            if what not in tasks:
                tasks[what] = progress.add_task(what, total=None)
            progress.advance(tasks[what], n)

        report = app.ingest(
            list(sources), analyze=not no_analyze, progress=tick, outlet=outlet or None
        )
    for rej in report.rejected:
        err_console.print(
            f"[yellow]rejected[/yellow] {escape(rej.source)}: {escape(rej.reason)}", soft_wrap=True
        )
    resumed = f", finished {report.resumed} left by an earlier run" if report.resumed else ""
    console.print(
        f"ingested {len(report.added)}, duplicates {len(report.duplicates)}, "
        f"rejected {len(report.rejected)}{resumed} -> {escape(app.store.path)} "
        f"({app.store.count()} articles in all)"
    )
    if not report.ok:
        sys.exit(1)
    report_failures(report.failed)


@click.command("resume")
@click.pass_context
def resume(ctx: click.Context) -> None:
    """Finish what an interrupted ingest left: analyse the articles without analysis and
    bring the stories up to date. (An ingest and every command that shows stories do this
    on their own; this one does only this.) Exit status 3 when a stage failed on an article.
    """
    from lagebild.cli import app_of, console, report_failures

    app = app_of(ctx)
    unanalysed, unclustered = app.pending()
    done = app.finish()
    console.print(
        f"analysed {done.analysed} (of {unanalysed} without analysis), "
        f"{'stories brought up to date' if done.clustered else 'stories were up to date'} "
        f"({unclustered} articles were in no story)"
    )
    report_failures(done.failed)


@click.command("reanalyse")
@click.option("--dry-run", is_flag=True, help="Only count the analyses that are out of date.")
@click.pass_context
def reanalyse_cmd(ctx: click.Context, dry_run: bool) -> None:
    """Analyse again the articles whose stored analysis is out of date.

    After an upgrade of lagebild, a retrained model or a switch between --fast and
    --encoder, stored analyses were made by other stage versions; each would otherwise be
    redone when it is first shown. This does all of them now, and brings the entity lists,
    story cards and cached dossiers up to date. The stories stay as they are
    (`lagebild recluster` regroups them). Exit status 3 when a stage failed on an article.
    """
    from lagebild.cli import app_of, console, report_failures

    app = app_of(ctx)
    with _progress() as progress:
        task = progress.add_task("re-analysing", total=None)
        done = app.reanalyse(dry_run=dry_run, progress=lambda _what, n: progress.advance(task, n))
    if dry_run:
        console.print(f"{done.stale} of {app.store.count()} analyses are out of date")
    else:
        console.print(f"re-analysed {done.analysed} of {done.stale} out-of-date analyses")
    report_failures(done.failed)


@click.command("reread")
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@click.pass_context
def reread_cmd(ctx: click.Context, dry_run: bool) -> None:
    """Read every stored article again from its raw input with the current rules.

    After an upgrade of lagebild's cleaning rules: a changed article replaces its old
    version (which the database keeps), and the stories are clustered again. Feed entries
    keep only their text, not their entry, and are left as they are.
    """
    from lagebild.cli import app_of, console, err_console

    app = app_of(ctx)
    report = app.reread(dry_run=dry_run)
    for rej in report.failed:
        err_console.print(
            f"[yellow]kept as stored[/yellow] {escape(rej.source)}: now {escape(rej.reason)}",
            soft_wrap=True,
        )
    verb = "would change" if dry_run else "changed"
    console.print(
        f"{verb} {len(report.changed)}, unchanged {report.unchanged}, "
        f"not rereadable {report.skipped}, no longer readable {len(report.failed)}"
    )


@click.command()
@click.option("--limit", type=int, default=0, help="Show at most this many (0 = all).")
@format_options
@click.pass_context
def articles(ctx: click.Context, limit: int, fmt: str, out_path: str | None) -> None:
    """List the stored articles: id, date, outlet, language, title, authors, agencies."""
    from lagebild.cli import app_of, console, table

    if fmt != "table":
        found = itertools.islice(app_of(ctx).articles(), limit or None)
        write(map(article_record, found), ARTICLE_COLUMNS, fmt, out_path)
        return
    t = table(None, ["id", "published", "outlet", "lang", "title", "authors", "agencies"])
    for n, a in enumerate(app_of(ctx).articles()):
        if limit and n >= limit:
            break
        t.add_row(
            a.id[:10], _date(a), a.outlet_label, a.language or "?", a.title,
            a.byline, ", ".join(a.agencies),
        )  # fmt: skip
    console.print(t)


@click.command()
@click.argument("article_id")
@click.option("--raw", is_flag=True, help="Print the input exactly as it was read.")
@click.pass_context
def show(ctx: click.Context, article_id: str, raw: bool) -> None:
    """Show one article (id or unique id prefix): metadata, cleaned text, what was removed."""
    from lagebild.cli import app_of, console

    app = app_of(ctx)
    a = app.article(article_id)
    if raw:
        click.echo(a.raw)
        return
    console.print(a.title, style="bold", markup=False)
    updated = f" (updated {a.modified:%Y-%m-%d %H:%M})" if a.modified else ""
    console.print(
        f"id {a.id} · {a.outlet_label} · {_date(a)}{updated} · {a.language or '?'} · {a.format}",
        markup=False,
    )
    if a.byline:
        console.print(f"authors: {a.byline}", markup=False)
    if a.agencies:
        console.print(f"agencies: {', '.join(a.agencies)}", markup=False)
    if a.url:
        console.print(f"url: {a.url}", markup=False)
    for flag in a.flags:
        console.print(f"[yellow]flag:[/yellow] {escape(flag)}")
    console.print()
    doc = next(app.docs([a.id]))
    console.print(_marked(doc), markup=False)
    if a.captions:
        console.print("\n[bold]captions[/bold]")
        for c in a.captions:
            console.print(f"  {c}", markup=False)
    if a.removed:
        console.print("\n[bold]removed[/bold]")
        for r in a.removed:
            console.print(f"  [{r.reason}] {r.text}", markup=False)


def _marked(doc: object) -> str:
    """The text with time expressions marked with their values, when the time stage has them."""
    from lagebild.time import render_times

    return render_times(doc)  # type: ignore[arg-type]


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--story", "story_ref", metavar="ID", help="Search within one story.")
@click.option("--latest", is_flag=True, help="Latest first (default: best match first).")
@format_options
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    limit: int,
    story_ref: str | None,
    latest: bool,
    fmt: str,
    out_path: str | None,
) -> None:
    """Full-text search over titles and texts: all words must occur; "a phrase", prefix*,
    A OR B, -word excludes; accents and umlaut spellings do not matter (Muenchen = München)."""
    from lagebild.cli import app_of, console, table

    page = app_of(ctx).find(
        " ".join(query), limit=limit, story=story_ref, sort="latest" if latest else "relevance"
    )
    hits = [(h.article, h.snippet.bracketed()) for h in page.hits]
    if fmt != "table":
        write((search_record(a, s) for a, s in hits), SEARCH_COLUMNS, fmt, out_path)
        return
    shown = f"{len(hits)} of {page.total} hits" if page.total > len(hits) else f"{page.total} hits"
    t = table(shown, ["id", "published", "outlet", "title", "snippet"])
    for a, snippet in hits:
        t.add_row(a.id[:10], _date(a), a.outlet_label, a.title, snippet)
    console.print(t)
