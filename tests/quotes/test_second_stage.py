"""The second stage after the CRF: speaker ranking, statement screen, "Dies teilte X mit"."""

from __future__ import annotations

from lagebild.quotes.chooser import Weights, candidates, choose
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.refine import anaphoric, attribution_sentences, full_stops, postposed, preposed
from lagebild.quotes.screen import describe, head_share, screen
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


def test_screen_reads_the_head_in_encoder_mode_only() -> None:
    """A statement whose message the encoder head does not see as one is dropped; without
    head features (``--fast``) the screen sees the same features as before."""
    v = view("Die Lage sei ernst .", "Das Wetter ist schön .")
    seen = Attribution("indirect", (0, 1, 2, 3))
    unseen = Attribution("indirect", (5, 6, 7, 8))
    extra = [["nn=M", "nnM>0.4"]] * 5 + [["nn=O", "nnC>0.05"]] * 6
    assert head_share(seen, extra) == 1.0 and head_share(unseen, extra) == 0.0
    p_o = [0.1] * len(v)
    feats = describe(v, unseen, p_o, lambda t: 0.0, [], extra=extra)
    assert feats["head_m=0"] == 1.0
    assert not any(k.startswith("head_m=") for k in describe(v, unseen, p_o, lambda t: 0.0, []))
    w = Weights({"conf": 10.0, "head_m=0": -20.0}, -5.0, threshold=0.5)
    assert screen(v, [seen, unseen], p_o, lambda t: 0.0, [], w, extra) == [seen]
    assert screen(v, [seen, unseen], p_o, lambda t: 0.0, [], w) == [seen, unseen]


def test_the_encoder_screen_is_trained_with_the_head_and_the_fast_one_without() -> None:
    from lagebild.quotes.encoded import shipped_dir as encoder_dir
    from lagebild.quotes.learned import load, shipped_dir

    enc, fast = load(str(encoder_dir("de"))), load(str(shipped_dir("de")))
    assert enc is not None and enc.screen is not None
    assert fast is not None and fast.screen is not None
    assert {k for k in enc.screen.coef if k.startswith("head_m=")} >= {"head_m=0", "head_m=0.9"}
    assert not any(k.startswith("head_m=") for k in fast.screen.coef)


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


def test_full_stops_follow_the_annotation_convention() -> None:
    v = view("Kirby sagte , Russland habe Munition erhalten .", "Die Lage sei ernst .")
    with_cue = Attribution("indirect", (3, 4, 5, 6, 7), cue=(1,), source=(0,))
    follow_on = Attribution("continuation", (8, 9, 10, 11), source=(0,))
    out = full_stops(v, [with_cue, follow_on])
    assert out[0].message == (3, 4, 5, 6)  # a statement with a cue ends before the full stop
    assert out[1].message == (8, 9, 10, 11, 12)  # a whole cue-less sentence takes it


def test_chosen_speaker_is_trimmed_and_runs_to_the_end_of_its_name() -> None:
    v = view(
        "General Sonthi nannte einen Zeitraum .",
        "Vatikansprecher Navarro-Valls sagte , er sei krank .",
    )
    p = {0: 0.8, 1: 0.7, 2: 0.1, 3: 0.05, 4: 0.05, 6: 0.9, 7: 0.02}.get
    w = Weights({"p_max": 8.0}, -4.0, threshold=0.5)
    first = Attribution("reported", (3, 4), cue=(2,))
    second = Attribution("indirect", (10, 11, 12), cue=(8,))
    out = choose(v, lambda t: p(t, 0.0), [first, second], [], w)
    assert out[0].source == (0, 1)  # not "General Sonthi nannte einen"
    assert out[1].source == (6, 7)  # "Vatikansprecher" -> "Vatikansprecher Navarro-Valls"


def words(v: View, positions: tuple[int, ...]) -> str:
    return " ".join(v.text[t] for t in positions)


def test_attribution_statement_is_its_sentence_but_the_attribution() -> None:
    v = view("Die Beschneidung verringert neuesten Studien zufolge das Risiko .")
    att = Attribution("attribution", (6, 7), cue=(5,), source=(3, 4))
    (out,) = attribution_sentences(v, [att])
    assert words(v, out.message) == "Die Beschneidung verringert das Risiko"
    # inside a comma clause, only that clause
    v = view(
        "Die Hunde kamen spät , da nach Angaben der Fluggesellschaft der Antrag fehlte , hieß es ."
    )
    att = Attribution("attribution", (11, 12, 13), cue=(6,), source=(7, 8, 9))
    (out,) = attribution_sentences(v, [att])
    assert words(v, out.message) == "da der Antrag fehlte"


def test_messages_run_to_the_comma_before_or_after_the_cue() -> None:
    v = view("Die Grenzen werden geschlossen , kündigte die Regierung an .")
    (out,) = postposed(v, [Attribution("indirect", (2, 3), cue=(5, 8), source=(6, 7))])
    assert words(v, out.message) == "Die Grenzen werden geschlossen"
    v = view("Kirby sagte , Russland habe Munition erhalten .")
    (out,) = preposed(v, [Attribution("indirect", (3, 4), cue=(1,), source=(0,))])
    assert words(v, out.message) == "Russland habe Munition erhalten"
