"""lagebild.crf reads CRFsuite model files and decodes exactly as CRFsuite does, in the C
loops (``_crfc``, where built) and in the numpy fallback."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from lagebild import crf as crf_module
from lagebild.crf import CrfFormatError, CrfModel
from lagebild.entities.ner import default_model_dir
from lagebild.entities.ner.crf import CrfTagger
from lagebild.entities.ner.features import Featurizer
from lagebild.entities.ner.lexicon import Lexicon

WORDS = ["Putin", "Merkel", "kam", "nach", "Berlin", "Moskau", "sagte", "der", "Kanzler", "„", "“"]


def _sentences(rng: random.Random, n: int) -> list[list[str]]:
    return [[rng.choice(WORDS) for _ in range(rng.randint(1, 9))] for _ in range(n)]


def _labels(words: list[str]) -> list[str]:
    out = []
    for w in words:
        cls = {"Putin": "PER", "Merkel": "PER", "Berlin": "LOC", "Moskau": "LOC"}.get(w)
        out.append(f"B-{cls}" if cls else "O")
    return out


@pytest.fixture(autouse=True, params=["c", "numpy"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test once with the compiled decoding loops and once with the numpy ones."""
    if request.param == "numpy":
        monkeypatch.setattr(crf_module, "_crfc", None)
    elif crf_module._crfc is None:
        pytest.skip("lagebild._crfc is not built (no C compiler at install time)")
    return request.param


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small CRF trained here: features of the NER featurizer, a few noisy labels."""
    rng = random.Random(3)
    feat = Featurizer(Lexicon())
    trainer = pycrfsuite.Trainer(verbose=False)
    for words in _sentences(rng, 80):
        labels = _labels(words)
        if rng.random() < 0.2:
            labels[0] = "B-ORG"
        trainer.append(feat.plain(words), labels)
    trainer.set_params({"max_iterations": 30, "feature.possible_transitions": True})
    path = tmp_path_factory.mktemp("crf") / "m.crfsuite"
    trainer.train(str(path))
    return path


def test_reader_matches_crfsuite_labels_and_marginals(model: Path) -> None:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    crf = CrfModel.read(model)
    assert set(crf.labels) == set(info.labels) and len(crf.attrs) == len(info.attributes)
    feat = Featurizer(Lexicon())
    xseqs = [feat.plain(w) for w in _sentences(random.Random(7), 40)]
    lengths = [len(x) for x in xseqs]
    scores = np.concatenate([crf.scores(x) for x in xseqs])
    paths = crf.viterbi(scores, lengths)
    marg = crf.marginals(scores, lengths)
    at = 0
    for x, path in zip(xseqs, paths, strict=True):
        assert [crf.labels[y] for y in path] == tagger.tag(x)
        for t in range(len(x)):
            for j, lab in enumerate(crf.labels):
                assert marg[at + t, j] == pytest.approx(tagger.marginal(lab, t), abs=1e-9)
        at += len(x)


def test_long_chain_marginals_and_sequence_scores_match_crfsuite(model: Path) -> None:
    """``chain_marginals`` (blocked forward-backward) and ``sequence_scores`` on sequences
    from 1 to 400 tokens, against python-crfsuite and the step-by-step pass."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    crf = CrfModel.read(model)
    feat = Featurizer(Lexicon())
    rng = random.Random(5)
    for n in (1, 2, 3, 17, 64, 400):
        words = [rng.choice(WORDS) for _ in range(n)]
        xseq = feat.plain(words)
        scores = crf.sequence_scores(xseq)
        assert np.allclose(scores, crf.scores(xseq), rtol=0, atol=1e-12)
        got = crf.chain_marginals(scores)
        assert np.allclose(got, crf.marginals(scores, [n]), rtol=0, atol=1e-9)
        tagger.set(xseq)
        for t in (0, n // 2, n - 1):
            for j, lab in enumerate(crf.labels):
                assert got[t, j] == pytest.approx(tagger.marginal(lab, t), abs=1e-9)
    assert crf.chain_marginals(np.zeros((0, crf.size))).shape == (0, crf.size)


def test_a_file_that_is_not_a_crfsuite_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.crfsuite"
    bad.write_bytes(b"lCRF" + b"\0" * 60)
    with pytest.raises(CrfFormatError):
        CrfModel.read(bad)
    bad.write_bytes(b"short")
    with pytest.raises(CrfFormatError):
        CrfModel.read(bad)


def test_shipped_ner_tagger_labels_equal_crfsuite_on_its_own_strings() -> None:
    """The cached-vector path (stacked silver + main CRF) against python-crfsuite fed the
    featurizer's attribute strings, on sentences built from the gazetteer's own words."""
    fast = CrfTagger.load(default_model_dir())
    slow = dataclasses.replace(fast, scorer=None)
    rng = random.Random(11)
    vocab = [w for w in list(fast.featurizer.lexicon.words)[:400] if w.isalpha()]
    vocab += ["sagte", "am", "Dienstag", "in", "der", "die", "„", "“", ",", ".", "und", "Minister"]
    sents = [[rng.choice(vocab) for _ in range(rng.randint(1, 30))] for _ in range(150)]
    assert fast.tag_sentences([(s, None) for s in sents]) == [slow.tag_words(s) for s in sents]
    assert any(label != "O" for s in sents for label in slow.tag_words(s))
