"""CLI commands of the quotes stage: option parsing only, the work is in the library."""

from __future__ import annotations

import json
from pathlib import Path

import click

from lagebild.tabular import QUOTE_COLUMNS, format_options, quote_record, write


def _encoder_mode(ctx: click.Context, training: bool = False) -> bool:
    """Encoder mode with ``--encoder`` (``fast = false``), unless no encoder model can run."""
    from lagebild.config import Config

    config = getattr(ctx.find_object(object), "config", None) or Config()
    if config.fast:
        return False
    if training:
        return True
    from lagebild.quotes.encoded import shipped
    from lagebild.text.encode import encoder_available

    return encoder_available() and shipped("de") is not None


def _encoder_asked(ctx: click.Context) -> bool:
    """Whether the user asked for encoder mode (``--encoder`` / ``fast = false``)."""
    from lagebild.config import Config

    config = getattr(ctx.find_object(object), "config", None) or Config()
    return not config.fast


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""

    @main.command("quotes")
    @click.option("--story", "story_ref", help="Only this story (id or prefix).")
    @click.option("--speaker", help="Only speakers whose name contains this text.")
    @format_options
    @click.pass_context
    def quotes_cmd(
        ctx: click.Context,
        story_ref: str | None,
        speaker: str | None,
        fmt: str,
        out_path: str | None,
    ) -> None:
        """Who said what: statements with speaker, form, message and source article."""
        from lagebild.cli import app_of, console, table
        from lagebild.quotes import group_statements

        app = app_of(ctx)
        if story_ref:
            story = app.story(story_ref)
            groups = [(story.id, list(story.article_ids))]
        else:
            stories = app.stories()
            groups = [(s.id, list(s.article_ids)) for s in stories] or [
                (None, [a.id for a in app.articles()])
            ]
        t = table(None, ["speaker", "form", "message", "sources"])
        records: list[dict[str, object]] = []
        shown = 0
        for story_id, ids in groups:
            docs = list(app.docs(ids))
            outlets = {d.id: d.article.outlet_label for d in docs}
            for st in group_statements(docs):
                if speaker and speaker.casefold() not in st.speaker.casefold():
                    continue
                if fmt != "table":
                    records.append(quote_record(story_id, st, outlets))
                    continue
                sources = ", ".join(
                    f"{outlets.get(c.article_id, '')} [{c.article_id[:8]}]" for c in st.citations
                )
                t.add_row(st.speaker or "?", st.form, st.text, sources)
                shown += 1
        if fmt != "table":
            write(records, QUOTE_COLUMNS, fmt, out_path)
            return
        console.print(t)
        console.print(f"{shown} statements")

    @eval_group.command("quotes")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False))
    @click.option(
        "--folds",
        default=1,
        show_default=True,
        help="K-fold cross-validation: each fold's model is trained on the other folds.",
    )
    @click.option(
        "--write", "write_dir", type=click.Path(file_okay=False), help="Write predictions here."
    )
    @click.option("--rules", is_flag=True, help="Score the rules alone (no trained model).")
    @click.option(
        "--model",
        "model_dir",
        type=click.Path(exists=True, file_okay=False),
        help="Score this model folder (default: the shipped one; ignored with --folds > 1).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
    @click.pass_context
    def eval_quotes(
        ctx: click.Context,
        directory: str,
        folds: int,
        write_dir: str | None,
        rules: bool,
        model_dir: str | None,
        as_json: bool,
    ) -> None:
        """Score quote extraction on GermEval 2023 SpkAtt task 2 (simplified subtask): the quote
        CRF, or with `lagebild --encoder eval quotes` the CRF with the encoder head's features."""
        from lagebild.quotes.evaluate import ANCHOR, evaluate, mean

        encoder = _encoder_mode(ctx, training=folds > 1)
        system = "rules" if rules else ("encoder" if encoder else "model")
        results = evaluate(
            directory, folds=folds, write=write_dir, system=system, model_dir=model_dir
        )
        for i, r in enumerate(results):
            label = f"fold {i + 1}/{len(results)}" if len(results) > 1 else "all"
            click.echo(
                f"{label}: cue P/R/F1 {r['cue_p']}/{r['cue_r']}/{r['cue_f1']}  "
                f"source {r['source_p']}/{r['source_r']}/{r['source_f1']}  "
                f"message {r['message_p']}/{r['message_r']}/{r['message_f1']}  ({r['documents']} docs)"
            )
        total = mean(results)
        name = "rules" if rules else ("CRF + encoder head" if encoder else "CRF")
        name += ", cross-validated" if folds > 1 and not rules else ""
        click.echo(
            f"lagebild ({name}): message F1 {total['message_f1']}, "
            f"source F1 {total['source_f1']}, cue F1 {total['cue_f1']}"
        )
        if not rules and folds <= 1 and not model_dir:
            click.echo("note: the shipped model was trained on SpkAtt train; use --folds on train")
        if not rules and not encoder and _encoder_asked(ctx):
            click.echo("note: --encoder, but no encoder quote model can run here: scored the CRF")
        click.echo(
            f"published anchor (organisers' rule-based baseline, SpkAtt dev): message F1 "
            f"{ANCHOR['message_f1']}, source F1 {ANCHOR['source_f1']}"
        )
        if as_json:
            click.echo(json.dumps(total))

    from lagebild.cli import train_group_of

    train_group = train_group_of(main)

    @train_group.command("quotes")
    @click.option(
        "--data",
        "data_dir",
        required=True,
        type=click.Path(exists=True, file_okay=False),
        help="A SpkAtt task 2 folder (the training part).",
    )
    @click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False),
        help="Model folder to write (src/lagebild/models/quotes-de to ship it).",
    )
    @click.option(
        "--check",
        is_flag=True,
        help="Rebuild into a temporary folder and compare with the shipped models/quotes-de "
        "(quotes-de-enc with --encoder); exit status 1 when a file differs.",
    )
    @click.pass_context
    def train_quotes(ctx: click.Context, data_dir: str, out_dir: str | None, check: bool) -> None:
        """Train the quote model (deterministic): the encoder head (needs the 'train' extra,
        torch) and the CRF reading it with `lagebild --encoder train quotes`, else the CRF alone."""
        from lagebild.quotes.learned import train_from

        if not check and not out_dir:
            raise click.UsageError("give --out FOLDER (or --check)")
        encoder = _encoder_mode(ctx, training=True)

        def build(out: Path) -> None:
            if encoder:
                from lagebild.quotes.encoded import train_from as train_encoded

                enc = train_encoded(data_dir, str(out), log=click.echo)
                click.echo(f"wrote {out} ({len(enc.model.cues)} learned cue lemmas, head.npz)")
                return
            model = train_from(data_dir, str(out))
            click.echo(f"wrote {model.path} ({len(model.cues)} learned cue lemmas)")

        if not check:
            build(Path(out_dir or "."))
            return
        from lagebild.reproduce import check_build, print_checks

        name = "quotes-de-enc" if encoder else "quotes-de"  # the encoder mode's own model
        ok = print_checks(name, check_build(name, build), click.echo)
        raise SystemExit(0 if ok else 1)
