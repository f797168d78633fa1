"""``lagebild watch`` and ``lagebild sources``: option parsing and printing only."""

from __future__ import annotations

import json
import signal
import threading
from datetime import UTC, datetime
from types import FrameType

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    main.add_command(watch_cmd)
    main.add_command(sources_cmd)


@click.command("watch")
@click.argument("sources", nargs=-1)
@click.option(
    "--interval",
    type=float,
    default=0.0,
    help="Seconds between polls of the sources named here (default: [watch] interval).",
)
@click.option(
    "--outlet",
    default="",
    metavar="NAME",
    help="Outlet of articles from the sources named here whose source names none.",
)
@click.option(
    "--once", is_flag=True, help="Poll the sources that are due once, then stop (for cron)."
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch from private, loopback and link-local addresses too (refused by default).",
)
@click.option(
    "--no-linked",
    is_flag=True,
    help="Keep summary-only feed entries as they are; fetch no linked pages.",
)
@click.pass_context
def watch_cmd(
    ctx: click.Context, sources: tuple[str, ...], interval: float, outlet: str, once: bool,
    allow_private: bool, no_linked: bool,
) -> None:  # fmt: skip
    """Keep the corpus current: poll folders, RSS/Atom feeds and pages until stopped.

    Sources are the URLs and paths given here plus [[watch.sources]] of the config. New
    articles are analysed and clustered as they come; `lagebild news` shows what they changed.
    SIGINT or SIGTERM stops after the batch being stored; a restart polls only what is due.
    """
    from lagebild.cli import app_of, config_of, console, override_config
    from lagebild.watch import Watcher, sources_from

    if allow_private:
        override_config(ctx, "fetch", allow_private=True)
    if no_linked:
        override_config(ctx, "watch", fetch_linked=False)
    config = config_of(ctx)
    chosen = [*config.watch.sources, *sources_from(sources, interval, outlet)]
    if not chosen:
        raise click.UsageError(
            "nothing to watch: give URLs or paths, or [[watch.sources]] in --config"
        )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second signal: stop now
        console.print(f"{signal.Signals(signum).name}: stopping after the current batch")
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

    def notify(source: str, message: str) -> None:
        console.print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} {source}: {message}", markup=False)

    try:
        watcher = Watcher(app_of(ctx), chosen, stop=stop, notify=notify)
        if not once:
            console.print(f"watching {len(watcher.sources)} sources (Ctrl-C to stop)")
        report = watcher.run(once=once)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    console.print(
        f"stopped: {report.polls} polls, {report.added} new articles, "
        f"{report.not_modified} not modified, {report.errors} errors"
    )


@click.command("sources")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@click.option(
    "--forget",
    metavar="SOURCE",
    help="Drop this source's state: it is read from scratch next time.",
)
@click.pass_context
def sources_cmd(ctx: click.Context, fmt: str, forget: str | None) -> None:  # fmt: skip
    """The watched sources: last fetched, last new item, articles, errors, next poll."""
    from lagebild.cli import app_of, console, table
    from lagebild.watch import SourceStates

    states = SourceStates(app_of(ctx).store)
    if forget:
        if not states.forget(forget):
            raise click.BadParameter(f"no watched source {forget!r}", param_hint="--forget")
        console.print(f"forgot {forget}")
        return
    found = states.all()
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=1))
        return
    t = table(
        f"{len(found)} sources",
        ["source", "kind", "last fetched", "last new", "articles", "status", "errors", "next poll"],
    )
    for s in found:
        errors = f"{s.failures}: {s.last_error}" if s.failures else ""
        t.add_row(s.source, s.kind, _when(s.last_fetched), _when(s.last_new), str(s.added),
                  s.last_status or "", errors, _when(s.next_due))  # fmt: skip
    console.print(t)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "-"
