"""CLI of the Spark runner: ``lagebild scale run`` and ``lagebild scale load``."""

from __future__ import annotations

import sys

import click
from rich.markup import escape


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add the ``scale`` group to ``lagebild``."""

    @main.group("scale")
    def scale() -> None:
        """Read and analyse a corpus on Apache Spark, then load the result into a database."""

    @scale.command("run")
    @click.argument("inputs", nargs=-1, required=True)
    @click.option("--out", "output", required=True, help="Output folder (must not exist).")
    @click.option("--master", help="Spark master, e.g. local[2] or spark://host:7077.")
    @click.option("--partitions", type=int, help="Minimum number of input partitions.")
    @click.pass_context
    def run_cmd(
        ctx: click.Context,
        inputs: tuple[str, ...],
        output: str,
        master: str | None,
        partitions: int | None,
    ) -> None:
        """Read INPUTS (files or folders Spark can read) and analyse every article on Spark.

        Writes OUT/articles (analysed articles, JSON lines) and OUT/rejections; `lagebild
        scale load OUT` puts them into the database and clusters the stories."""
        from lagebild.cli import config_of, console
        from lagebild.scale.spark import run_job

        report = run_job(
            list(inputs), output, config=config_of(ctx), master=master, partitions=partitions
        )
        console.print(
            f"analysed {report.articles}, duplicates {report.duplicates}, "
            f"rejected {report.rejected} -> {report.output}"
        )
        if not report.articles:
            sys.exit(1)

    @scale.command("load")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False))
    @click.pass_context
    def load_cmd(ctx: click.Context, folder: str) -> None:
        """Store what `lagebild scale run` wrote to FOLDER, then cluster the stories."""
        from lagebild.cli import app_of, console, err_console

        app = app_of(ctx)
        report = app.load_analysed(folder)
        for rej in report.rejected:
            err_console.print(
                f"[yellow]rejected[/yellow] {escape(rej.source)}: {escape(rej.reason)}",
                soft_wrap=True,
            )
        console.print(
            f"loaded {len(report.added)}, duplicates {len(report.duplicates)}, "
            f"rejected {len(report.rejected)} -> {escape(app.store.path)} "
            f"({app.store.count()} articles in all)"
        )
        if not report.ok:
            sys.exit(1)
