"""``lagebild alerts add|list|remove|test``: option parsing and printing only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    main.add_command(alerts_group)


@click.group("alerts")
def alerts_group() -> None:
    """Saved watches on a query, an entity or a story that tell you when it changes."""


@alerts_group.command("add")
@click.argument("name")
@click.option("--query", help="Full-text query (as `lagebild search`).")
@click.option("--entity", help="An entity, matched in any of its spellings.")
@click.option("--story", help="A story id (or unique prefix).")
@click.option(
    "--on",
    "conditions",
    multiple=True,
    metavar="CONDITION",
    help="new-article (default), new-outlet, new-divergence, count:N/Th (N articles within T hours).",
)
@click.option(
    "--sink",
    "sinks",
    multiple=True,
    required=True,
    metavar="SINK",
    help="stdout, jsonl:PATH, webhook:URL (POST of a JSON body) or email:ADDRESS (SMTP, [alerts] settings).",
)
@click.pass_context
def add_cmd(
    ctx: click.Context,
    name: str,
    query: str | None,
    entity: str | None,
    story: str | None,
    conditions: tuple[str, ...],
    sinks: tuple[str, ...],
) -> None:
    """Save an alert; it fires on changes logged from now on."""
    from lagebild.alerts import AlertBook
    from lagebild.changes.log import ChangeLog
    from lagebild.cli import app_of, console

    targets = [(k, v) for k, v in (("query", query), ("entity", entity), ("story", story)) if v]
    if len(targets) != 1:
        raise click.UsageError("give one of --query, --entity or --story")
    kind, target = targets[0]
    app = app_of(ctx)
    if kind == "story":
        target = app.story(target).id
    elif kind == "query":
        app.find(target, limit=1)  # a query the search refuses is refused here, not at firing
    alert = AlertBook(app.store).add(
        name, kind, target, conditions, sinks, ChangeLog(app.store).last_id()
    )
    console.print(
        f"alert {alert.name}: {kind} {target!r} on {', '.join(alert.conditions)} -> "
        f"{', '.join(alert.sinks)}",
        markup=False,
    )


@alerts_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str) -> None:
    """The saved alerts, how often each fired, and failed deliveries."""
    from lagebild.alerts import AlertBook
    from lagebild.cli import app_of, console, table

    book = AlertBook(app_of(ctx).store)
    rows = []
    for a in book.all():
        firings = book.firings(a)
        failed = [f"{s}: {r}" for f in firings[-1:] for s, r in f.delivered.items() if r != "ok"]
        rows.append((a, firings, failed))
    if fmt == "json":
        out = [
            {
                **a.to_json(),
                "firings": len(f),
                "last_fired": f[-1].at.isoformat() if f else None,
                "last_failures": failed,
            }
            for a, f, failed in rows
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    t = table(f"{len(rows)} alerts", ["name", "watches", "on", "sinks", "fired", "last", "failed"])
    for a, f, failed in rows:
        last = f"{f[-1].at:%Y-%m-%d %H:%M}" if f else "-"
        t.add_row(
            a.name,
            f"{a.target_kind}: {a.target}",
            ", ".join(a.conditions),
            ", ".join(a.sinks),
            str(len(f)),
            last,
            "; ".join(failed),
        )
    console.print(t)


@alerts_group.command("remove")
@click.argument("name")
@click.pass_context
def remove_cmd(ctx: click.Context, name: str) -> None:
    """Delete an alert and its record of firings."""
    from lagebild.alerts import AlertBook
    from lagebild.cli import app_of, console

    AlertBook(app_of(ctx).store).remove(name)
    console.print(f"removed alert {name}", markup=False)


@alerts_group.command("test")
@click.argument("name")
@click.pass_context
def test_cmd(ctx: click.Context, name: str) -> None:
    """Send a sample firing (marked "test": true, not recorded) to the alert's sinks."""
    from lagebild.alerts import AlertBook, deliver, payload_of
    from lagebild.cli import app_of, console

    app = app_of(ctx)
    alert = AlertBook(app.store).get(name)
    payload = payload_of(
        app, alert, "test:0", f"test of alert {name}", None, [], datetime.now(UTC), test=True
    )
    results = deliver(payload, alert.sinks, app.config.alerts)
    for sink, result in results.items():
        console.print(f"{sink}: {result}", markup=False)
    if any(r != "ok" for r in results.values()):
        ctx.exit(1)
