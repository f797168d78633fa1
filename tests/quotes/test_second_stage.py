"""The second stage after the CRF: speaker ranking, statement screen, "Dies teilte X mit"."""

from __future__ import annotations

from lagebild.quotes.chooser import Weights, candidates, choose
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.refine import anaphoric
from lagebild.quotes.screen import screen
from lagebild.quotes.view import View


def view(*sentences: str) -> View:
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in sentences), ())
    return View.of(doc_of(gold), lexicon("de"))


def test_candidates_are_crf_runs_and_the_decoded_speaker() -> None:
    v = view("Der Minister sagte , die Lage sei ernst .")
    p = {1: 0.9, 0: 0.5}.get
    att = Attribution("indirect", (4, 5, 6, 7), cue=(2,), source=(6,))
    cands = {c.tokens: c.feats for c in candidates(v, lambda t: p(t, 0.0), att, (), ())}
    assert set(cands) == {(0, 1), (6,)}
    assert cands[(6,)]["cur"] == 1.0 and cands[(6,)]["side=in"] == 1.0
    assert cands[(0, 1)]["side=before"] == 1.0 and cands[(0, 1)]["p_max"] == 0.9


def test_choose_takes_the_best_candidate_or_none_below_threshold() -> None:
    v = view("Der Minister sagte , die Lage sei ernst .")
    att = Attribution("indirect", (4, 5, 6, 7), cue=(2,), source=(6,))
    p = {0: 0.5, 1: 0.9, 6: 0.1}

    def prob(t: int) -> float:
        return p.get(t, 0.0)

    trusts_crf = Weights({"p_max": 8.0}, -4.0, threshold=0.5)
    assert choose(v, prob, [att], [], trusts_crf)[0].source == (0, 1)
    strict = Weights({"p_max": 8.0}, -4.0, threshold=0.99)
    assert choose(v, prob, [att], [], strict)[0].source == ()


def test_screen_drops_statements_below_threshold() -> None:
    v = view("Die Lage sei ernst .", "Das Wetter ist schön .")
    sure = Attribution("indirect", (0, 1, 2, 3))
    unsure = Attribution("indirect", (5, 6, 7, 8))
    p_o = [0.1] * 5 + [0.9] * 6
    w = Weights({"conf": 10.0}, -5.0, threshold=0.5)
    assert screen(v, [sure, unsure], p_o, lambda t: 0.0, [], w) == [sure]


def test_anaphoric_report_takes_the_sentence_before() -> None:
    v = view(
        "Der Abgeordnete will nicht mehr antreten .",
        "Dies teilte der Sprecher der Fraktion mit .",
    )
    labels = ["O"] * len(v)
    labels[7] = labels[12] = "C"
    labels[9] = "S"
    (att,) = anaphoric(v, labels, [])
    assert (
        " ".join(v.text[t] for t in att.message) == "Der Abgeordnete will nicht mehr antreten Dies"
    )
    assert att.cue == (7, 12) and att.source == (9,)
    # a sentence already read as a statement is left alone
    assert anaphoric(v, labels, [Attribution("indirect", (0, 1, 2, 3))]) == [
        Attribution("indirect", (0, 1, 2, 3))
    ]
