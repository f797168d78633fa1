"""The SpkAtt scorer's pairing and averaging, and the second pass over the CRF's statements."""

from __future__ import annotations

from lagebild.quotes.evaluate import Annotation, GoldDoc, doc_of, score_doc
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.refine import MIN_CONF, RESCUE, refine
from lagebild.quotes.tagger import Tagged
from lagebild.quotes.view import View


def ann(form: str, msg: range, src: tuple[int, ...] = (), stwr: str = "Speech") -> Annotation:
    roles = {"Cue": frozenset(), "Source": frozenset(src), "Message": frozenset(msg)}
    return Annotation(form, roles, stwr=stwr)


def test_pairing_breaks_ties_by_form_then_stwr() -> None:
    gold = [ann("Indirect", range(0, 4), (10,), stwr="Writing")]
    # same message overlap: the one with the gold's Form wins, then the one with its STWR
    by_form = [ann("Direct", range(0, 4), (11,)), ann("Indirect", range(0, 4), (10,))]
    assert score_doc(by_form, gold).r["Source"] == [1.0]
    by_stwr = [ann("Indirect", range(0, 4), (11,)), ann("Indirect", range(0, 4), (10,), "Writing")]
    assert score_doc(by_stwr, gold).r["Source"] == [1.0]


def test_unpaired_annotations_count_where_defined() -> None:
    gold = [ann("Indirect", range(0, 4), (10,)), ann("Indirect", range(20, 24))]
    pred = [ann("Indirect", range(0, 3))]
    s = score_doc(pred, gold)
    assert s.p["Message"] == [1.0] and sorted(s.r["Message"]) == [0.0, 0.75]
    # no predicted source: precision undefined (left out); the gold source is missed
    assert s.p["Source"] == [] and s.r["Source"] == [0.0]


class _Marginals:
    """A stand-in for the CRF tagger that answers marginals from a table."""

    def __init__(self, table: dict[tuple[str, int], float]) -> None:
        self.table = table

    def marginal(self, y: str, t: int) -> float:
        return self.table.get((y, t), 0.0)

    def labels(self) -> list[str]:
        return ["O", "C", "S", "B", "M", "SM"]


def test_refine_drops_unsure_bare_statements_and_rescues_speakers() -> None:
    words = [
        "Der",
        "Minister",
        "sprach",
        ".",
        "Die",
        "Lage",
        "sei",
        "ernst",
        "und",
        "bleibe",
        "schwierig",
        ".",
    ]
    v = View.of(doc_of(GoldDoc("d", (tuple(words[:4]), tuple(words[4:])), ())), lexicon("de"))
    bare = Attribution("indirect", (5, 6, 7))
    unsure = Attribution("indirect", (9, 10))
    p_o = [0.99] * len(words)
    p_o[5] = p_o[6] = p_o[7] = 0.05  # sure message
    p_o[9] = p_o[10] = 1 - MIN_CONF / 2  # unsure message
    crf = _Marginals({("S", 0): RESCUE + 0.3, ("S", 1): RESCUE + 0.5})
    out = refine(v, Tagged(["O"] * len(words), p_o), crf, [bare, unsure])  # type: ignore[arg-type]
    assert [a.message for a in out] == [(5, 6, 7)]
    assert out[0].source == (0, 1)  # "Der Minister", from the sentence before
