"""CLI commands of the stories stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from lagebild.model import headline
from lagebild.tabular import STORY_COLUMNS, format_options, story_record, write

if TYPE_CHECKING:
    from lagebild.model import Article

# Published anchor printed beside our figures: the target on the held-out set.
ANCHOR = "target: BCubed F1 >= 0.90 on the held-out German set (232 articles, 85 events)"


def _span(articles: list[Article]) -> str:
    """First .. last publication date of ``articles`` as precisely as each is known: a story
    of month-only dates reads "2024-01 .. 2024-01", not an invented "2024-01-01"."""
    dated = [(a.published_span, a.published_label) for a in articles if a.published_span]
    if not dated:
        return "- .. -"
    first = min(dated, key=lambda d: d[0][0])[1]
    last = max(dated, key=lambda d: d[0][1])[1]
    return f"{first} .. {last}"


def _print_errors(found: dict) -> None:
    """The errors of ``evaluate.errors`` as an analyst reads them."""
    from rich.markup import escape

    from lagebild.cli import console

    fam = found["families"]
    console.print(f"  same-actor families kept apart: {fam['kept_apart']} of {fam['groups']}"
                  + (f" (mixed: {escape(', '.join(fam['mixed']))})" if fam["mixed"] else ""))  # fmt: skip
    console.print(f"  stories mixing events: {len(found['mixed'])}")
    for m in found["mixed"]:
        console.print(f"    {escape(m['event'])} ({m['articles']} articles) takes:")
        for e, o in m["others"].items():
            dates = ", ".join(f"{k} {n}" for k, n in o["dates"].items())
            console.print(f"      {o['articles']} of {escape(e)} (dated: {dates})")
    console.print(f"  events split over several stories: {len(found['split'])}")
    for s in found["split"]:
        console.print(f"    {escape(s['event'])}: {' + '.join(map(str, s['pieces']))}")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""

    @main.command("stories")
    @click.option("--limit", default=50, show_default=True, help="Show at most this many.")
    @click.option("--all", "show_all", is_flag=True, help="Include single-article stories.")
    @format_options
    @click.pass_context
    def stories_cmd(
        ctx: click.Context, limit: int, show_all: bool, fmt: str, out_path: str | None
    ) -> None:
        """List the stories, largest first."""
        from lagebild.cli import app_of, console, table
        from lagebild.dossier.views import counted

        stories = app_of(ctx).stories()
        shown = [s for s in stories if show_all or len(s.original_ids) > 1 or len(stories) <= limit]
        if fmt != "table":
            write(map(story_record, shown[:limit]), STORY_COLUMNS, fmt, out_path)
            return
        t = table(
            f"{len(stories)} stories",
            ["id", "title", "size", "outlets", "first", "last", "lang", "state"],
        )
        for s in shown[:limit]:
            size = f"{len(s.original_ids)}" + (
                f" (+{counted(len(s.duplicates), 'copy', 'copies')})" if s.duplicates else ""
            )
            t.add_row(s.id[:10], headline(s.title), size, ", ".join(s.outlets), s.first_label or "-", s.last_label or "-",
                      ",".join(s.languages), "dormant" if s.dormant else "active")  # fmt: skip
        console.print(t)

    @main.command("story")
    @click.argument("ref")
    @click.pass_context
    def story_cmd(ctx: click.Context, ref: str) -> None:
        """Show one story (id or unique id prefix) with its articles."""
        from lagebild.cli import app_of, console, table
        from lagebild.dossier.views import counted

        app = app_of(ctx)
        s = app.story(ref)
        copies = dict(s.duplicates)
        articles = list(app.store.articles(list(s.article_ids)))
        console.print(f"[bold]{escape(headline(s.title))}[/bold]  ({s.id})")
        console.print(escape(f"{counted(len(s.original_ids), 'article')}, "
                      f"{counted(len(copies), 'copy', 'copies')}; outlets: "
                      f"{', '.join(s.outlets) or '-'}; {_span(articles)}"))  # fmt: skip
        t = table(None, ["article", "date", "outlet", "title", "note"])
        for a in articles:
            note = f"copy of {copies[a.id][:10]}" if a.id in copies else ""
            t.add_row(a.id[:10], a.published_label or "-", a.outlet or "-", headline(a.title), note)
        console.print(t)

    @main.command("recluster")
    @click.pass_context
    def recluster_cmd(ctx: click.Context) -> None:
        """Cluster all stored articles again from scratch."""
        from lagebild.cli import app_of, console

        stories = app_of(ctx).cluster(from_scratch=True)
        console.print(f"{len(stories)} stories")

    @eval_group.command("stories")
    @click.argument("gold", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--embeddings/--no-embeddings", default=None, help="Override config.stories.embeddings."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @click.option("--assignments", type=click.Path(dir_okay=False, writable=True),
                  help="Write '<article id>\\t<story id>' per article.")  # fmt: skip
    @click.option("--split", "half", type=click.Choice(["even", "odd"]),
                  help="Only every other gold event (sorted by id): tune on one half, "
                  "report the other.")  # fmt: skip
    @click.option("--split-by", "split_by", type=click.Choice(["event", "family"]),
                  default="event", show_default=True,
                  help="Halve by event, or by family of events (the event id's first word, "
                  "a 'distractor_' prefix left out): same-actor events stay in one half.")  # fmt: skip
    @click.option("--shuffle", type=int, metavar="SEED",
                  help="Cluster the file in a fixed-seed random order (a file grouped by "
                  "event leaks the answer through its undated articles).")  # fmt: skip
    @click.option("--undated-last", is_flag=True,
                  help="Sort the file by date with undated articles at its end (how a "
                  "held-out file may come) before clustering.")  # fmt: skip
    @click.option("--errors", "show_errors", is_flag=True,
                  help="Also list the stories that mix gold events (with how well the "
                  "intruders' dates are known), the events split over several stories, and "
                  "how many families of same-actor events are kept apart.")  # fmt: skip
    @click.option(
        "--baseline",
        type=click.Choice(["tfidf", "lead-embedding"]),
        help="Score a naive single-pass baseline instead (stories/baselines.py).",
    )
    @click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
                  help="Cluster with this similarity model (a JSON file written by "
                  "eval/stories/train_similarity.py) instead of the shipped one: one trained "
                  "on the other half scores this half held out (cross-fitting).")  # fmt: skip
    @click.pass_context
    def eval_stories(
        ctx: click.Context,
        gold: str,
        embeddings: bool | None,
        as_json: bool,
        assignments: str | None,
        half: str | None,
        split_by: str,
        shuffle: int | None,
        undated_last: bool,
        show_errors: bool,
        baseline: str | None,
        model_path: str | None,
    ) -> None:
        """Cluster a gold JSONL file from scratch and score it (docs/stories-eval.md)."""
        from dataclasses import asdict

        from lagebild.cli import config_of, console
        from lagebild.stories.evaluate import (
            errors,
            evaluate,
            evaluate_baseline,
            read_gold,
            shuffled,
            split,
            undated_last_order,
        )

        config = config_of(ctx)
        if embeddings is not None:
            config = config.with_("stories", embeddings=embeddings)
        try:
            items = read_gold(gold)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        if half:
            items = split(items, half, split_by)
        if shuffle is not None:
            items = shuffled(items, shuffle)
        if undated_last:
            items = undated_last_order(items)
        model = None
        if model_path:
            from lagebild.stories import similarity

            try:
                with open(model_path, encoding="utf-8") as fh:
                    model = similarity.from_json(json.load(fh))
            except (ValueError, KeyError) as exc:
                raise click.ClickException(
                    f"{model_path}: not a similarity model ({exc})"
                ) from None
        if baseline:
            scores, assignment = evaluate_baseline(items, baseline)
        else:
            scores, assignment = evaluate(items, config, model)
        if assignments:
            with open(assignments, "w", encoding="utf-8") as fh:
                for it in items:
                    fh.write(f"{it.article.id}\t{assignment.get(it.article.id, '')}\n")
        console.print(f"stories on {gold}: {scores.articles} articles"
                      + (f" ({half} half of the {split_by} ids)" if half else "")
                      + (f", file order shuffled (seed {shuffle})" if shuffle is not None else "")
                      + (", sorted by date, undated last" if undated_last else "")
                      + (f", model {model_path}" if model_path and not baseline else "")
                      + (f", baseline {baseline}" if baseline else
                         f", embeddings {'on' if config.stories.embeddings else 'off'}"))  # fmt: skip
        console.print(
            f"  BCubed  P {scores.bcubed_p:.3f}  R {scores.bcubed_r:.3f}  F1 {scores.bcubed_f1:.3f}"
        )
        console.print(
            f"  pairs   P {scores.pair_p:.3f}  R {scores.pair_r:.3f}  F1 {scores.pair_f1:.3f}"
        )
        console.print(f"  clusters predicted {scores.clusters_pred}, gold {scores.clusters_gold}")
        console.print(f"  ({ANCHOR})")
        found = errors(assignment, items) if show_errors else None
        if found is not None:
            _print_errors(found)
        if as_json:
            out = {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(scores).items()}
            click.echo(json.dumps(out | ({"errors": found} if found is not None else {})))
