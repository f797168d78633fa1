"""CLI commands of the web stage: option parsing only, the work is in the library."""

from __future__ import annotations

import sys

import click
from rich.markup import escape


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""
    main.add_command(serve_cmd)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port (0: any free one).")
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one request for PATH (e.g. /api/stories) on stdout and exit; no server.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this Host name (repeatable; '*': any). "
    "Always answered: 127.0.0.1, localhost, ::1 and --host.",
)
@click.pass_context
def serve_cmd(
    ctx: click.Context, host: str, port: int, get_path: str | None, allow_hosts: tuple[str, ...]
) -> None:
    """Serve the stories, dossiers, articles, search and entities as a web app and JSON API."""
    from lagebild.cli import app_of, err_console
    from lagebild.store.listing import dirty
    from lagebild.web import WebApp, get, serve
    from lagebild.web.guard import allowed_hosts

    lb = app_of(ctx)
    cfg = lb.config.web
    web = WebApp(lb, allowed_hosts(host, (*cfg.allowed_hosts, *allow_hosts)))
    if get_path:
        reply = get(web, get_path)
        click.echo(reply.text, nl=False)
        sys.exit(0 if reply.status < 400 else 1)
    if lb.store.count() == 0:
        err_console.print(
            f"[yellow]warning:[/yellow] {escape(lb.store.path)} holds no articles; "
            "run `lagebild ingest PATH` first"
        )
    # what an interrupted ingest left is finished now, so that no request pays for it
    lb.finish_interrupted()
    if dirty(lb.store):
        err_console.print(f"indexing {dirty(lb.store)} stories for the lists …", highlight=False)
        lb.refresh_listing()
    lb.story_counts.snapshot(lb.store.db)  # filtered lists count in memory: read them now
    serve(
        web,
        host,
        port,
        ready=lambda url: err_console.print(f"serving {url} (Ctrl-C to stop)", highlight=False),
        threads=cfg.threads,
        timeout=cfg.timeout,
    )
