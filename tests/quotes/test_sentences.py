"""Cue-less whole-sentence statements (quotes.sentences): candidates, subject, detection."""

from __future__ import annotations

import pytest

from lagebild.quotes.chooser import Weights
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.sentences import candidates, describe, detect, examples, subject
from lagebild.quotes.view import View


def view(*sentences: str) -> View:
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in sentences), ())
    return View.of(doc_of(gold), lexicon("de"))


def words(v: View, toks: tuple[int, ...]) -> str:
    return " ".join(v.text[t] for t in toks)


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Die deutschen Brauer warnen vor der umstrittenen Gasförderung .", "Die deutschen Brauer"),
        ("Müntefering sprach von einem Riesenerfolg für die SPD .", "Müntefering"),
        (
            "Am kommenden Montag will der Finanzbürgermeister Hartmut Vorjahn eine Vorlage präsentieren .",
            "der Finanzbürgermeister Hartmut Vorjahn",
        ),
        ("Dabei soll es um eine Bahncard gehen .", ""),
        ("Nach dem Spiel , das verloren ging , reisten alle ab .", ""),
    ],
)
def test_the_speaker_is_the_grammatical_subject_or_none(sentence: str, speaker: str) -> None:
    v = view(sentence)
    a, b = v.bounds[0]
    assert words(v, subject(v, a, b, v.konjunktiv())) == speaker


def test_only_sentences_without_a_found_statement_are_candidates() -> None:
    v = view("Er sagte , er komme .", "Die Brauer warnen vor Fracking .", "Ja .")
    found = [Attribution("indirect", (3, 4), cue=(1,), source=(0,))]
    assert candidates(v, found) == [1]  # the third is too short


def test_a_sentence_is_detected_when_the_weights_say_so() -> None:
    v = view("Er sagte , er komme .", "Die Brauer warnen vor Fracking .")
    found = [Attribution("indirect", (3, 4), cue=(1,), source=(0,))]
    p_o = [0.5] * len(v)
    feats = describe(v, 1, p_o, None, found, v.konjunktiv())
    assert feats["pbusy"] == 1.0 and "pkind=indirect" in feats
    keen = Weights({"pbusy": 5.0}, 0.0, 0.4)
    (att,) = detect(v, found, p_o, None, keen)
    assert words(v, att.message) == "Die Brauer warnen vor Fracking ."
    assert words(v, att.source) == "Die Brauer" and att.kind == "reported" and not att.cue
    assert detect(v, found, p_o, None, Weights({"pbusy": -5.0}, 0.0, 0.4)) == []


def test_head_labels_become_features_in_encoder_mode() -> None:
    v = view("Die Brauer warnen vor Fracking .")
    extra = [["nn=SM", "nnSM>0.7"]] * 3 + [["nn=M", "nnM>0.4"]] * 3
    feats = describe(v, 0, [0.9] * len(v), extra, [], v.konjunktiv())
    assert feats["nn_share_SM=0.5"] == 1.0 and feats["nn_max_M=0.4"] == 1.0
    assert "nn_share_S=0" not in feats


def test_a_training_row_is_positive_when_a_gold_message_covers_the_sentence() -> None:
    v = view("Die Brauer warnen vor Fracking .", "Das Wetter war schön .")
    rows = examples(v, [], [0.5] * len(v), None, [tuple(range(0, 6))])
    assert [y for _, y in rows] == [1, 0]
    rows = examples(v, [], [0.5] * len(v), None, [(3, 4)])  # a short part of it: no
    assert [y for _, y in rows] == [0, 0]


def test_the_encoder_model_ships_the_detector_and_the_crf_alone_none() -> None:
    """The detector was chosen and measured in encoder mode only (quotes-de-enc)."""
    from lagebild.quotes.encoded import shipped_dir as encoder_dir
    from lagebild.quotes.learned import load, shipped_dir

    enc = load(str(encoder_dir("de")))
    assert enc is not None and enc.sentences is not None
    assert enc.sentences.threshold == 0.55 and "pbusy" in enc.sentences.coef
    fast = load(str(shipped_dir("de")))
    assert fast is not None and fast.sentences is None
