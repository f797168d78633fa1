"""``lagebild eval extract|authors|dates`` and ``lagebild train authors|dates``: the HTML reader
and its page models on the Zyte and WCXB benchmarks (options only)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``eval extract`` to the ``eval`` group."""

    @eval_group.command("extract")
    @click.option(
        "--zyte",
        "zyte",
        type=click.Path(exists=True, file_okay=False),
        help="zyte-aeb folder (html/, ground-truth.json).",
    )
    @click.option(
        "--wcxb",
        "wcxb",
        type=click.Path(exists=True, file_okay=False),
        help="wcxb-dev-articles folder (html/, ground-truth/).",
    )
    @click.option("--limit", type=int, default=None, help="Score only the first N pages (by id).")
    @click.option(
        "--misses",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write per-page WCXB results to this JSON file.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @click.pass_context
    def eval_extract(
        ctx: click.Context,
        zyte: str | None,
        wcxb: str | None,
        limit: int | None,
        misses: str | None,
        as_json: bool,
    ) -> None:
        """Body F1 (Zyte's shingle metric) and WCXB title/author/date, beside trafilatura's figures.

        Matching rules are in the docstring of ``lagebild.ingest.evaluate``.
        """
        from lagebild.cli import config_of, console
        from lagebild.ingest.evaluate import (
            WCXB_TRAFILATURA,
            evaluate_wcxb,
            evaluate_zyte,
            lagebild_extractor,
        )

        if not zyte and not wcxb:
            raise click.UsageError("give --zyte DIR and/or --wcxb DIR")
        extractor = lagebild_extractor(config_of(ctx))
        out: dict[str, object] = {}
        if zyte:
            z = evaluate_zyte(Path(zyte), extractor, limit)
            console.print(
                f"Zyte AEB ({z.pages} pages): body F1 {z.body.f1:.3f} "
                f"(P {z.body.precision:.3f} R {z.body.recall:.3f}) · trafilatura published {z.published_f1:.3f}"
            )
            out["zyte"] = z.as_dict()
        if wcxb:
            w = evaluate_wcxb(Path(wcxb), extractor, limit, keep_misses=bool(misses))
            rows = [
                ("body word-F1", "body_f1"),
                ("title exact", "title_exact"),
                ("title exact, quotes/dashes folded", "title_exact_folded"),
                ("author exact", "author_exact"),
                ("author exact (gold not the outlet)", "author_exact_people"),
                ("author invented", "author_invented"),
                ("date day", "date_day"),
                ("date day, published or updated", "date_day_either"),
            ]
            console.print(
                f"WCXB dev articles ({w.all['pages']} pages)   ours  site half 0  half 1  trafilatura"
            )
            for label, key in rows:
                anchor = WCXB_TRAFILATURA.get(key)
                console.print(
                    f"  {label:<36} {w.all[key]:.3f}  {w.half0[key]:.3f}  {w.half1[key]:.3f}  "
                    f"{'' if anchor is None else f'{anchor:.2f}'}"
                )
            if misses:
                Path(misses).write_text(
                    json.dumps(list(w.misses), ensure_ascii=False, indent=1), encoding="utf-8"
                )
            out["wcxb"] = {**w.all, "half0": w.half0, "half1": w.half1}
        if as_json:
            click.echo(json.dumps(out))

    wcxb_option = click.option(
        "--wcxb",
        "wcxb",
        required=True,
        type=click.Path(exists=True, file_okay=False),
        help="wcxb-dev-articles folder (html/, ground-truth/).",
    )

    def wcxb_eval(
        name: str, harness: str, doc: str, what: str, row_text: Callable[[dict], str], anchor: str
    ) -> None:
        """A `lagebild eval NAME` command scoring a WCXB page model by site halves and
        leave-one-site-out with its harness module (``collect_pages``, ``cross_fit``)."""

        @eval_group.command(name, help=doc)
        @wcxb_option
        @click.option("--limit", type=int, default=None, help="Only the first N pages (by id).")
        @click.option("--no-loso", is_flag=True, help="Skip leave-one-site-out (the slow part).")
        @click.option(
            "--json", "as_json", is_flag=True, help="Print one JSON object as the last line."
        )
        def run(wcxb: str, limit: int | None, no_loso: bool, as_json: bool) -> None:
            from importlib import import_module

            from lagebild.cli import console

            ev = import_module(harness)
            pages = ev.collect_pages(Path(wcxb), limit)
            result = ev.cross_fit(pages, loso=not no_loso)
            console.print(f"WCXB dev articles ({len(pages)} {what}), split by site")
            for label, row in result.items():
                console.print(f"  {label:<48} {row_text(row)}")
            console.print(f"  {'anchor: trafilatura on all WCXB dev pages':<48} {anchor}")
            if as_json:
                click.echo(json.dumps(result))

    from lagebild.ingest.evaluate import WCXB_TRAFILATURA

    wcxb_eval(
        "authors",
        "lagebild.ingest.author_eval",
        "The author model fitted on one site half and scored on the other (both ways), and "
        "leave-one-site-out: author exact and invented authors on sites it never saw.",
        "pages",
        lambda row: (
            f"author exact {row['author_exact']:.3f}   "
            f"invented {row['author_invented']:.3f}   ({row['pages']} pages)"
        ),
        f"author exact {WCXB_TRAFILATURA['author_exact']:.3f}   "
        f"invented {WCXB_TRAFILATURA['author_invented']:.3f}",
    )
    wcxb_eval(
        "dates",
        "lagebild.ingest.date_eval",
        "The publication-date chooser fitted on one site half and scored on the other (both "
        "ways), and leave-one-site-out: the day of publication, beside the fixed rules'.",
        "pages with a gold date",
        lambda row: (
            f"date day {row['date_day']:.3f}   "
            f"(rules {row['rules_date_day']:.3f}, {row['pages']} pages)"
        ),
        f"date day {WCXB_TRAFILATURA['date_day']:.3f}",
    )

    from lagebild.cli import train_group_of

    train_group = train_group_of(main)

    def wcxb_model(name: str, harness: str, doc: str) -> None:
        """A `lagebild train NAME` command fitting a WCXB page model with its harness module
        (``collect_pages``, ``cross_fit``, ``fit``, ``save``): the author and date models."""

        @train_group.command(name, help=doc)
        @wcxb_option
        @click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False),
            help=f"Model folder to write (src/lagebild/models/{name} to ship it).",
        )
        @click.option(
            "--check",
            is_flag=True,
            help=f"Rebuild into a temporary folder and compare with the shipped models/{name} "
            "(exit status 1 when a file differs).",
        )
        def train(wcxb: str, out_dir: str | None, check: bool) -> None:
            from importlib import import_module

            from lagebild.cli import console

            if not check and not out_dir:
                raise click.UsageError("give --out FOLDER (or --check)")
            ev = import_module(harness)

            def build(out: Path) -> None:
                pages = ev.collect_pages(Path(wcxb))
                report = ev.cross_fit(pages)
                ev.save(ev.fit(pages), out, report)
                console.print(f"wrote {out}/model.json ({len(pages)} pages)")
                for label, row in report.items():
                    console.print(f"  {label}: {row}")

            if check:
                from lagebild.reproduce import check_build, print_checks

                ok = print_checks(name, check_build(name, build), console.print)
                raise SystemExit(0 if ok else 1)
            build(Path(out_dir or "."))

    wcxb_model(
        "authors",
        "lagebild.ingest.author_eval",
        "Fit the author model on every WCXB dev page (deterministic: liblinear, fixed C) and "
        "write model.json with the site-split scores beside it.",
    )
    wcxb_model(
        "dates",
        "lagebild.ingest.date_eval",
        "Fit the publication-date chooser on every WCXB dev page with a gold date "
        "(deterministic: liblinear, fixed C) and write model.json with the site-split scores.",
    )
