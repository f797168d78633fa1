"""CLI for the NER model: ``lagebild train ner`` and ``lagebild eval ner`` (options only)."""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_DATA = "../shared/data/ner"


def _encoder_mode(ctx: click.Context, training: bool = False) -> bool:
    """Encoder mode with ``--encoder`` (``fast = false``), unless no encoder head can run."""
    from lagebild.config import Config
    from lagebild.entities.stage import ner_spec

    obj = ctx.find_object(object)
    config = getattr(obj, "config", None) or Config()
    if config.fast:
        return False
    if training:
        return True
    return ner_spec(config) == "encoder"


def _print_scores(title: str, scores, as_json: bool, extra: dict | None = None) -> None:
    from lagebild.cli import console, table
    from lagebild.entities.ner.evaluate import ANCHORS

    t = table(title, ["", "P", "R", "F1"])
    system = "encoder head" if (extra or {}).get("mode") == "encoder" else "CRF"
    t.add_row(
        "lagebild "
        + ("entities stage" if (extra or {}).get("stage") else system)
        + " (strict, outer)",
        f"{scores.precision:.1f}",
        f"{scores.recall:.1f}",
        f"{scores.f1:.1f}",
    )
    for cls, f1 in scores.per_class.items():
        t.add_row(f"  {cls} (n={scores.support.get(cls, 0)})", "", "", f"{f1:.1f}")
    for name, f1 in ANCHORS:
        t.add_row(f"anchor: {name}", "", "", f"{f1:.1f}")
    console.print(t)
    if system == "CRF":
        speed = "tokens/s"
    elif (extra or {}).get("cv"):
        speed = "tokens/s of the head alone (states cached; the encoder's cost: bench/encoder.py)"
    else:
        speed = "tokens/s, encoder + head (CPU time)"
    console.print(
        f"{scores.tokens} tokens, {scores.tokens_per_s:,.0f} {speed} (one core). "
        "Anchors: full GermEval 2014 test set, trained on its 24k-sentence train split; "
        "-deriv/-part tags count as O here."
    )
    if as_json:
        payload = scores.as_json()
        payload.update(extra or {})
        click.echo(json.dumps(payload, ensure_ascii=False))


def register_ner(main: click.Group, eval_group: click.Group) -> None:
    """Add ``train ner`` and ``eval ner``."""
    from lagebild.cli import train_group_of

    train_group = train_group_of(main)

    @train_group.command("ner")
    @click.option(
        "--data",
        "data_dir",
        default=DEFAULT_DATA,
        show_default=True,
        type=click.Path(exists=True, file_okay=False),
        help="../shared/data/ner",
    )
    @click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False),
        help="Model directory to write.",
    )
    @click.option(
        "--exclude-dev", is_flag=True, help="Leave GermEval dev out (for honest dev scores)."
    )
    @click.option(
        "--check",
        is_flag=True,
        help="Rebuild into a temporary folder and compare with the shipped model "
        "(models/ner-de, or ner-de-enc with --encoder); exit status 1 when a file differs.",
    )
    @click.option(
        "--tables",
        is_flag=True,
        help="With --check: rebuild only the derived tables (gazetteer, word clusters, e5 "
        "word clusters), not the CRFs.",
    )
    @click.pass_context
    def train_ner(
        ctx: click.Context,
        data_dir: str,
        out_dir: str | None,
        exclude_dev: bool,
        check: bool,
        tables: bool,
    ) -> None:
        """Train the German NER model on GermEval dev + test-a: the CRF (+ silver pool), or
        with `lagebild --encoder train ner` the encoder head (needs the 'train' extra, torch)."""
        from lagebild.cli import console
        from lagebild.entities.ner.train import TrainSettings, build_lexicon, train_model

        if not check and not out_dir:
            raise click.UsageError("give --out FOLDER (or --check)")
        if check and exclude_dev:
            raise click.UsageError("--check compares the shipped model, trained with dev")
        exclude = ("germeval2014-dev.tsv",) if exclude_dev else ()
        data = Path(data_dir)
        encoder = _encoder_mode(ctx, training=True)
        settings = TrainSettings(exclude=exclude)

        def build(out: Path) -> None:
            if encoder:
                from lagebild.entities.ner.encoder_train import EncoderNerSettings, train

                train(data, out, EncoderNerSettings(exclude=exclude), log=console.print)
                return
            if tables:
                out.mkdir(parents=True, exist_ok=True)
                build_lexicon(data, settings, data.parent.parent).save(out)
                return
            result = train_model(data, out, settings, shared_dir=data.parent.parent)
            console.print(
                f"trained on {result.sentences} sentences in {result.seconds:.0f} s -> {out}"
            )

        if not check:
            build(Path(out_dir or "."))
            return
        from lagebild.entities.ner.lexicon import EMBED_FILE
        from lagebild.reproduce import check_build, print_checks

        name = "ner-de-enc" if encoder else "ner-de"
        table_files = ["gazetteer.tsv.gz", "clusters.tsv.gz", EMBED_FILE]
        names = None if encoder else table_files
        if not encoder and not tables:
            from lagebild.entities.ner.crf import MODEL_FILE, STACK_FILE

            names = [*table_files, STACK_FILE, MODEL_FILE, "meta.json"]
        ok = print_checks(name, check_build(name, build, names), console.print)
        raise SystemExit(0 if ok else 1)

    @eval_group.command("ner")
    @click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--model",
        "model_dir",
        type=click.Path(exists=True, file_okay=False),
        help="CRF model directory (default: the shipped model, or one trained without FILE).",
    )
    @click.option(
        "--cv", "cv", type=int, default=0, help="k-fold cross-validation on dev + test-a."
    )
    @click.option(
        "--data",
        "data_dir",
        default=DEFAULT_DATA,
        show_default=True,
        help="NER data directory (for --cv and for retraining without FILE).",
    )
    @click.option(
        "--write",
        "write_path",
        type=click.Path(dir_okay=False),
        help="Write predictions in the input's format.",
    )
    @click.option(
        "--stage",
        "whole_stage",
        is_flag=True,
        help="Score the whole entities stage (tagger + rules + consistency), not the CRF alone.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Also print one JSON object (last line).")
    @click.pass_context
    def eval_ner(
        ctx: click.Context,
        file: str | None,
        model_dir: str | None,
        cv: int,
        data_dir: str,
        write_path: str | None,
        whole_stage: bool,
        as_json: bool,
    ) -> None:
        """Strict outer-span P/R/F1 on a GermEval 2014 file (PER/LOC/ORG/OTH, -deriv/-part = O):
        the CRF, or with `lagebild --encoder eval ner` the encoder head."""
        from lagebild.cli import console
        from lagebild.entities.ner.data import read_germeval
        from lagebild.entities.ner.evaluate import cross_validate, evaluate, write_predictions
        from lagebild.entities.ner.heldout import tagger_without

        if _encoder_mode(ctx):
            _eval_encoder(file, model_dir, cv, data_dir, write_path, whole_stage, as_json)
            return
        if cv:
            data = Path(data_dir)
            from lagebild.entities.ner.stage_eval import stage_tagger

            scores = cross_validate(
                data,
                cv,
                shared_dir=data.parent.parent,
                progress=lambda i, s: console.print(f"fold {i + 1}/{cv}: F1 {s.f1:.1f}"),
                wrap=stage_tagger if whole_stage else None,
            )
            title = f"{cv}-fold CV on GermEval dev + test-a"
            _print_scores(title, scores, as_json, {"cv": cv, "stage": whole_stage, "mode": "fast"})
            return
        if not file:
            raise click.UsageError("give a GermEval TSV file or --cv K")
        path = Path(file)
        tagger, note = tagger_without(path, Path(model_dir) if model_dir else None, Path(data_dir))
        if note:
            console.print(note)
        tag = tagger.tag_words
        if whole_stage:
            from lagebild.entities.ner.stage_eval import stage_tagger

            tag = stage_tagger(tagger)
        scores = evaluate(tag, read_germeval(path))
        if write_path:
            write_predictions(path, Path(write_path), tag)
        what = "entities stage" if whole_stage else "NER"
        _print_scores(
            f"{what} on {path.name}", scores, as_json, {"stage": whole_stage, "mode": "fast"}
        )


def _eval_encoder(file: str | None, model_dir: str | None, cv: int, data_dir: str,
                  write_path: str | None, whole_stage: bool, as_json: bool) -> None:  # fmt: skip
    """``eval ner`` in encoder mode (``--encoder``)."""
    import time
    from dataclasses import replace

    from lagebild.cli import console
    from lagebild.entities.ner.data import read_germeval
    from lagebild.entities.ner.encoder_tagger import EncoderTagger
    from lagebild.entities.ner.evaluate import evaluate, write_predictions
    from lagebild.entities.ner.train import file_hash
    from lagebild.errors import LagebildError

    if whole_stage and cv:
        raise click.UsageError("--stage with --cv is for the CRF: leave out --encoder")
    if cv:
        from lagebild.entities.ner.encoder_train import cross_validate

        scores = cross_validate(
            Path(data_dir), cv,
            progress=lambda i, s: console.print(f"fold {i + 1}/{cv}: F1 {s.f1:.1f}"),
        )  # fmt: skip
        title = f"{cv}-fold CV on GermEval dev + test-a"
        _print_scores(title, scores, as_json, {"cv": cv, "stage": False, "mode": "encoder"})
        return
    if not file:
        raise click.UsageError("give a GermEval TSV file or --cv K")
    path = Path(file)
    tagger = EncoderTagger.load(Path(model_dir) if model_dir else None)
    trained_on = tagger.meta.get("trained_on", {})
    if file_hash(path) in trained_on.values():
        raise LagebildError(
            f"the encoder head in {tagger.directory} was trained on {path.name}; score it with "
            "--cv 5, or train a head without it (`lagebild train ner --exclude-dev --out DIR`) "
            "and pass --model DIR"
        )
    sentences = read_germeval(path)
    tag = tagger.tag_words
    if whole_stage:
        from lagebild.entities.ner.stage_eval import stage_tagger

        tag = stage_tagger(tagger)
        scores = evaluate(tag, sentences)
    else:
        t0 = time.process_time()
        labels = tagger.tag_sentences([list(s.tokens) for s in sentences])
        seconds = time.process_time() - t0
        by_tokens = {tuple(s.tokens): lab for s, lab in zip(sentences, labels, strict=True)}
        tag = lambda words: by_tokens.get(tuple(words)) or tagger.tag_words(words)  # noqa: E731
        scores = evaluate(tag, sentences)
        # the batch above is the tagging (encoder + head); evaluate only looked labels up
        scores = replace(scores, tokens_per_s=scores.tokens / seconds if seconds else 0.0)
    if write_path:
        write_predictions(path, Path(write_path), tag)
    what = "entities stage" if whole_stage else "NER"
    _print_scores(
        f"{what} on {path.name}", scores, as_json, {"stage": whole_stage, "mode": "encoder"}
    )


register = register_ner  # the CLI's entry point (``cli.COMMAND_MODULES``)
