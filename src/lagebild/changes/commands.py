"""``lagebild news``: the stories that changed and how (option parsing and printing only)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import click

from lagebild.changes import StoryNews, describe
from lagebild.errors import LagebildError

_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DEFAULT_SINCE = "24h"  # `news` without --since or --since-last
TABLE_LIMIT = 30  # stories `news` prints unless --limit says otherwise


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A point in time: ISO 8601 (date or date and time; UTC unless an offset is given), a
    span back from now ("90m", "6h", "2d", "1w"), or "today" / "yesterday" (UTC midnight)."""
    now = now or datetime.now(UTC)
    value = text.strip().lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if value == "today":
        return midnight
    if value == "yesterday":
        return midnight - timedelta(days=1)
    m = _RELATIVE.match(value)
    if m:
        return now - timedelta(**{_UNITS[m.group(2)]: float(m.group(1))})
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise LagebildError(
            f"--since {text!r}: give an ISO date or time (2024-05-01, 2024-05-01T08:00), "
            "a span back from now (90m, 6h, 2d, 1w), 'today' or 'yesterday'"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def register(main: click.Group, eval_group: click.Group) -> None:
    main.add_command(news_cmd)


@click.command("news")
@click.option(
    "--since", "since_text",
    help=f"Changes after this time (ISO, 6h, 2d, yesterday; default {DEFAULT_SINCE}).",
)  # fmt: skip
@click.option(
    "--since-last",
    is_flag=True,
    help="Changes since the last `news --since-last` (then marks them seen).",
)
@click.option(
    "--limit", type=click.IntRange(min=0), default=None,
    help="Show this many stories (0: all). Default: 30 in the table, all in JSON.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json", "jsonl")), default="table",
    show_default=True,
)  # fmt: skip
@click.pass_context
def news_cmd(
    ctx: click.Context, since_text: str | None, since_last: bool, limit: int | None, fmt: str
) -> None:
    """What is new: the stories that changed (new articles, outlets, facts, divergences,
    statements, dates) since a time or since you last asked."""
    from lagebild.cli import app_of

    if since_text and since_last:
        raise click.UsageError("give --since or --since-last, not both")
    since = parse_since(since_text or DEFAULT_SINCE) if not since_last else None
    found = app_of(ctx).news(since, since_last=since_last)
    if limit is None:
        limit = TABLE_LIMIT if fmt == "table" else 0
    shown = found[:limit] if limit else found
    if fmt == "json":
        click.echo(json.dumps([n.to_json() for n in shown], ensure_ascii=False, indent=1))
    elif fmt == "jsonl":
        for n in shown:
            click.echo(json.dumps(n.to_json(), ensure_ascii=False))
    else:
        _print(shown, len(found))


def _print(shown: Sequence[StoryNews], total: int) -> None:
    from lagebild.cli import console
    from lagebild.dossier.views import counted
    from lagebild.model import headline

    if not shown:
        console.print("nothing new")
        return
    console.print(f"{counted(total, 'story', 'stories')} changed")
    for n in shown:
        s = n.story
        mark = " [green](new story)[/green]" if n.new_story else ""
        console.print(f"\n[bold]{_esc(headline(s.title))}[/bold]  ({s.id}){mark}")
        for line in describe(n.changes):
            console.print("  " + line, markup=False)
    if total > len(shown):
        console.print(f"\n{counted(total - len(shown), 'more story', 'more stories')}: --limit 0")


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
