"""CLI commands of the time stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from lagebild.tabular import TIMELINE_COLUMNS, format_options, timeline_record, write

# Published anchor printed beside our figures (HeidelTime on KRAUTS Dolomiten-100, TempEval-3).
ANCHOR = "published HeidelTime on KRAUTS Dolomiten-100: strict 71.4, relaxed 81.3, value F1 66.5"
_KEYS = ("strict_f1", "relaxed_f1", "value_f1", "type_f1")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""

    @eval_group.command("time")
    @click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
    @click.option("--heideltime", "heideltime_dir", type=click.Path(file_okay=False),
                  help="HeidelTime output for the same documents [default: GOLD_DIR + '_Heideltime'].")  # fmt: skip
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @click.option(
        "--write",
        "write_dir",
        type=click.Path(file_okay=False),
        help="Write our TimeML files here.",
    )
    @click.option("--half", "which", type=click.Choice(["even", "odd"]),
                  help="Only the even-numbered documents (by file name; the half rules are tuned on) or the odd ones (held out).")  # fmt: skip
    def eval_time(
        gold_dir: str,
        heideltime_dir: str | None,
        as_json: bool,
        write_dir: str | None,
        which: str | None,
    ) -> None:
        """Score the temporal tagger on TimeML gold (KRAUTS), beside HeidelTime."""
        from lagebild.cli import console, table
        from lagebild.time.evaluate import compare

        gold = Path(gold_dir)
        if not any(gold.glob("*.tml")):
            raise click.UsageError(f"no TimeML files (*.tml) in {gold}")
        ht = Path(heideltime_dir) if heideltime_dir else gold.with_name(gold.name + "_Heideltime")
        result = compare(gold, ht if ht.is_dir() else None, write_dir, which=which)
        t = table(
            f"TempEval-3 scores on {result.documents} documents ({gold.name}"
            + (f", {which} half" if which else "")
            + ")",
            ["metric", "lagebild", "HeidelTime"],
        )
        ours = result.lagebild.summary()
        theirs = result.heideltime.summary() if result.heideltime else {}
        for key in _KEYS:
            t.add_row(key, f"{ours[key]:.1f}", f"{theirs[key]:.1f}" if theirs else "-")
        t.add_row("timexes (gold / predicted)", f"{result.lagebild.gold} / {result.lagebild.predicted}",
                  f"{result.heideltime.gold} / {result.heideltime.predicted}" if result.heideltime else "-")  # fmt: skip
        console.print(t)
        console.print(ANCHOR)
        if write_dir:
            console.print(f"wrote {result.documents} TimeML files to {write_dir}")
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "lagebild": ours,
                        "heideltime": theirs or None,
                        "documents": result.documents,
                        "half": which,
                    }
                )
            )

    @main.command("timeline")
    @click.argument("story_ref")
    @click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
    @format_options
    @click.pass_context
    def timeline_cmd(
        ctx: click.Context, story_ref: str, as_json: bool, fmt: str, out_path: str | None
    ) -> None:
        """The dated events of one story (id or unique id prefix), in order, with their sources."""
        from lagebild.cli import app_of, console, table
        from lagebild.model import headline, to_dict
        from lagebild.time import story_timeline
        from lagebild.time.labels import timex_label

        app = app_of(ctx)
        story = app.story(story_ref)
        docs = list(app.docs(story.article_ids))
        windows, events = story_timeline(docs)
        if fmt != "table" and not as_json:
            records = (timeline_record(story.id, e) for e in events)
            write(records, TIMELINE_COLUMNS, fmt, out_path)
            return
        if as_json:
            click.echo(json.dumps({"story": story.id, "windows": {k: to_dict(v) for k, v in windows.items()},
                                   "events": [to_dict(e) for e in events]}, ensure_ascii=False))  # fmt: skip
            return
        console.print(f"[bold]{escape(headline(story.title))}[/bold]  ({story.id})")
        for aid, w in windows.items():
            console.print(
                f"undated {aid[:10]}: inferred {w.earliest} … {w.latest} (confidence {w.confidence:.2f})"
            )
        t = table(f"{len(events)} events", ["date", "until", "what", "sources"])
        for e in events:
            date = timex_label(e.date) + (" (inferred)" if e.inferred else "")
            sources = ", ".join(dict.fromkeys(c.article_id[:10] for c in e.citations))
            t.add_row(date, timex_label(e.date_end) if e.date_end else "", e.label, sources)
        console.print(t)
