"""The shipped German NER model: loads, tags news text, has not silently regressed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lagebild.entities.ner import default_model_dir, load_tagger, tag_tokens
from lagebild.entities.ner.crf import MODEL_FILE, CrfTagger
from lagebild.entities.ner.data import Tagged, read_germeval
from lagebild.entities.ner.evaluate import evaluate
from lagebild.entities.ner.lexicon import Lexicon
from lagebild.entities.ner.train import TrainSettings, fit
from lagebild.errors import ModelNotAvailable
from lagebild.model import Article, Doc
from lagebild.text import analyze as text_analyze

MODEL = default_model_dir()
FLOORS = json.loads((MODEL / "floors.json").read_text())


def _doc(text: str) -> Doc:
    art = Article(id="a1", title="t", text=text, source="s", format="text", language="de")
    return text_analyze(Doc(article=art))


def test_shipped_model_is_small_and_the_one_measured() -> None:
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size <= 40 * 1024 * 1024
    digest = hashlib.sha256((MODEL / MODEL_FILE).read_bytes()).hexdigest()
    # a new model must come with new measured figures in floors.json (and a look at them)
    assert digest == FLOORS["model_sha256"], "model changed: re-measure and update floors.json"
    assert FLOORS["cv5_f1"] >= FLOORS["floor_cv5_f1"]
    assert FLOORS["dev_heldout_f1"] >= FLOORS["floor_dev_heldout_f1"]


def test_heldout_variant_never_saw_dev(need) -> None:
    from lagebild.entities.ner.heldout import tagger_without, trained_on
    from lagebild.entities.ner.train import file_hash

    dev = need("data", "ner", "germeval2014-dev.tsv")
    assert file_hash(dev) in trained_on(MODEL)
    assert file_hash(dev) not in trained_on(MODEL / "heldout-dev")
    tagger, note = tagger_without(dev, None, dev.parent)
    assert tagger.directory.name == "heldout-dev" and "without" in note


def test_tags_the_reference_sentence() -> None:
    text = "Der russische Präsident Wladimir Putin traf Kim Jong-un in Wladiwostok."
    mentions = load_tagger("crf").tag(_doc(text))
    got = {(m.text, m.label) for m in mentions}
    assert ("Wladimir Putin", "PER") in got
    assert ("Kim Jong-un", "PER") in got
    assert ("Wladiwostok", "LOC") in got
    for m in mentions:
        assert m.source == "ner" and m.article_id == "a1" and text[m.start : m.end] == m.text


def test_load_tagger_is_cached_and_errors_are_clear(tmp_path: Path) -> None:
    assert load_tagger("crf") is load_tagger()
    with pytest.raises(ModelNotAvailable):
        load_tagger("nonsense-backend")
    with pytest.raises(ModelNotAvailable):
        CrfTagger.load(tmp_path)


def test_tag_tokens() -> None:
    """Pre-tokenised sentences are tagged, each on its own: the same words give the same labels
    however many sentences came before (speed: bench/ner.py)."""
    tagger = load_tagger("crf")
    words = ["Bundeskanzlerin", "Angela", "Merkel", "sprach", "am", "Montag", "in", "Berlin",
             "mit", "Vertretern", "der", "EU", "."]  # fmt: skip
    labels = tag_tokens(tagger, words)
    assert len(labels) == len(words)
    assert labels[1:3] == ["B-PER", "I-PER"] and labels[7] == "B-LOC"
    other = ["Der", "FC", "Bayern", "München", "gewann", "in", "Dortmund", "."]
    for _ in range(20):
        assert tag_tokens(tagger, other)[6] == "B-LOC"
        assert tag_tokens(tagger, words) == labels
    assert tag_tokens(tagger, []) == []


def test_score_on_gold_slice_does_not_regress(need) -> None:
    """A fit check on 300 dev sentences (in the training data): catches broken features/loading."""
    sents = read_germeval(need("data", "ner", "germeval2014-dev.tsv"))[:300]
    scores = evaluate(load_tagger("crf").tag_words, sents)
    assert scores.f1 >= FLOORS["floor_dev300_fit_f1"]


def test_heldout_score_does_not_regress(need) -> None:
    """An honest floor: the model trained without dev, on the first 500 dev sentences."""
    heldout = MODEL / "heldout-dev"
    digest = hashlib.sha256((heldout / MODEL_FILE).read_bytes()).hexdigest()
    assert digest == FLOORS["heldout_dev_model_sha256"]
    sents = read_germeval(need("data", "ner", "germeval2014-dev.tsv"))[:500]
    scores = evaluate(load_tagger(str(heldout)).tag_words, sents)
    assert scores.f1 >= FLOORS["floor_dev500_heldout_f1"]


def test_training_is_deterministic(tmp_path: Path, need) -> None:
    gold = read_germeval(need("data", "ner", "germeval2014-test-a.tsv"))[:150]
    settings = TrainSettings(max_iterations=15)
    lex = Lexicon({"Putin": ("g:PER",)}, {}, {})
    a = fit(gold, [], lex, tmp_path / "a", settings)
    b = fit(gold, [], lex, tmp_path / "b", settings)
    assert (a.directory / MODEL_FILE).read_bytes() == (b.directory / MODEL_FILE).read_bytes()
    tagger = CrfTagger.load(a.directory)
    assert len(tagger.tag_words(["Putin", "kommt"])) == 2
    assert isinstance(gold[0], Tagged)
