"""The ``lagebild`` command: options in, one library call, output out. No logic of its own."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from lagebild import __version__
from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.errors import LagebildError

# Piped output is read by people too: wide enough for tables, not cut at 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)

# Stage packages that add commands; each has ``commands.register(main, eval_group)``.
COMMAND_MODULES = (
    "lagebild.ingest.commands",
    "lagebild.ingest.extract_commands",
    "lagebild.stories.commands",
    "lagebild.entities.commands",
    "lagebild.time.commands",
    "lagebild.quotes.commands",
    "lagebild.facts.commands",
    "lagebild.dossier.commands",
    "lagebild.web.commands",
    "lagebild.scale.commands",
    "lagebild.changes.commands",
    "lagebild.watch.commands",
    "lagebild.alerts.commands",
)


class _Group(click.Group):
    """A group that turns a LagebildError into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LagebildError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="lagebild")
@click.option(
    "--db",
    default="lagebild.db",
    show_default=True,
    envvar="LAGEBILD_DB",
    help="SQLite database of the corpus.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file overriding the defaults.",
)
@click.pass_context
def main(ctx: click.Context, db: str, config_path: str | None) -> None:
    """lagebild: what the stories are and what each source really says."""
    ctx.obj = _Lazy(db, config_path)


class _Lazy:
    """Opens the database only for commands that need it (``eval`` does not)."""

    def __init__(self, db: str, config_path: str | None) -> None:
        self.db = db
        self.config = Config.load(config_path)
        self._app: Lagebild | None = None

    @property
    def app(self) -> Lagebild:
        if self._app is None:
            self._app = Lagebild(Path(self.db), self.config)
        return self._app


@main.group("eval")
def eval_group() -> None:
    """Score a stage on a public gold set, beside the published anchor."""


def app_of(ctx: click.Context) -> Lagebild:
    """The library object behind the command (opened on first use)."""
    return ctx.find_object(_Lazy).app


def config_of(ctx: click.Context) -> Config:
    return ctx.find_object(_Lazy).config


def override_config(ctx: click.Context, section: str, **changes: object) -> None:
    """Change settings from a command's flags (before the library object is opened)."""
    lazy = ctx.find_object(_Lazy)
    lazy.config = lazy.config.with_(section, **changes)
    if lazy._app is not None:
        lazy._app.config = lazy.config


def table(title: str | None, columns: list[str]) -> Table:
    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main, eval_group)


if __name__ == "__main__":  # pragma: no cover
    main()
