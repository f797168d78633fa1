"""``lagebild eval extract``: the HTML reader on the Zyte and WCXB benchmarks (options only)."""

from __future__ import annotations

import json
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
            out.update(z.as_dict())
        if wcxb:
            w = evaluate_wcxb(Path(wcxb), extractor, limit, keep_misses=bool(misses))
            rows = [
                ("body word-F1", "body_f1"),
                ("title exact", "title_exact"),
                ("author exact", "author_exact"),
                ("author exact (gold not the outlet)", "author_exact_people"),
                ("author invented", "author_invented"),
                ("date day", "date_day"),
                ("date day, published or updated", "date_day_either"),
            ]
            console.print(
                f"WCXB dev articles ({w.all['pages']} pages)    ours   even   odd   trafilatura"
            )
            for label, key in rows:
                anchor = WCXB_TRAFILATURA.get(key)
                console.print(
                    f"  {label:<36} {w.all[key]:.3f}  {w.even[key]:.3f}  {w.odd[key]:.3f}  "
                    f"{'' if anchor is None else f'{anchor:.2f}'}"
                )
            if misses:
                Path(misses).write_text(
                    json.dumps(list(w.misses), ensure_ascii=False, indent=1), encoding="utf-8"
                )
            wc = dict(w.all)
            if zyte:  # both: body_f1 stays Zyte's, WCXB's word-F1 gets its own key
                wc["wcxb_body_f1"] = wc.pop("body_f1")
            out.update(wc)
            out["even"], out["odd"] = w.even, w.odd
        if as_json:
            click.echo(json.dumps(out))
