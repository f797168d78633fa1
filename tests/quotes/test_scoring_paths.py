"""The quote CRF scored without attribute strings gives what python-crfsuite gives.

``quotes.scoring`` adds up the weights of ``features`` from cached vectors and
``Posterior`` runs forward-backward in numpy; both must agree with the string features fed
to python-crfsuite on the shipped model, for invented German text with direct, indirect and
reported speech.
"""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.model import Article, Doc
from lagebild.quotes.extract import extract
from lagebild.quotes.features import features
from lagebild.quotes.learned import shipped
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.scoring import QuoteScorer
from lagebild.quotes.tagger import Posterior, crf_model, tag, tagger
from lagebild.quotes.view import View
from lagebild.text import analyze as text_analyze

TEXTS = [
    "„Wir werden die Brücke bis zum Sommer sanieren“, sagte Bürgermeisterin Anna Roth am "
    "Dienstag. Die Arbeiten seien dringend, erklärte sie. Laut dem Landesamt für Straßenbau "
    "kostet das Projekt 4,5 Millionen Euro. Kritiker halten das für zu teuer.",
    "Der Verband fordere mehr Geld, teilte ein Sprecher mit. Dem Bericht zufolge habe die "
    "Regierung die Mittel bereits gekürzt. Die Opposition warf dem Minister vor, er handele "
    "zu spät. »Das ist ein Skandal«, sagte Peter Klein, der Vorsitzende der Fraktion.",
    "Nach Angaben aus Regierungskreisen soll das Treffen verschoben werden. Kim sagte, er "
    "hoffe auf eine Einigung, fügte aber hinzu: “Wir geben nicht nach.” Das bestätigte "
    "auch die Polizei.",
]


def _views() -> list[View]:
    lex = lexicon("de")
    out = []
    for i, text in enumerate(TEXTS):
        art = Article(id=f"t{i}", title="", text=text, source="test", format="text", language="de")
        doc = text_analyze(Doc(art))
        out.append(View.of(doc, lex))
    return out


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    m = shipped("de")
    if m is None:
        pytest.fail("the shipped German quote model is missing")
    return m


def test_scores_without_strings_equal_the_string_features(model) -> None:  # type: ignore[no-untyped-def]
    crf = crf_model(model.path)
    scorer = QuoteScorer(crf)
    for v in _views():
        rules = extract(v)
        xseq = features(v, rules, model.cues)
        want = crf.sequence_scores(xseq)
        # twice: new words (vectors built) and known words (vectors reused)
        for _ in range(2):
            assert np.allclose(scorer.scores(v, rules, model.cues), want, rtol=0, atol=1e-9)
        # the scores are those of CRFsuite's state features: its marginals follow from them
        ref = tagger(model.path)
        ref.set(xseq)
        post = Posterior(crf, scores=want)
        for t in range(len(xseq)):
            for y in ref.labels():
                assert post.marginal(y, t) == pytest.approx(ref.marginal(y, t), abs=1e-9)
        assert tag(post, xseq).labels == tag(ref, xseq).labels
        assert tag(post, xseq, alpha=1.0).labels == ref.tag(xseq)


def test_the_texts_reach_every_family_of_attributes(model) -> None:  # type: ignore[no-untyped-def]
    """The comparison above is only worth something if the texts exercise cue distances,
    cue-lemma pairs, rule roles and Konjunktiv (else a wrong table could go unseen)."""
    seen = {
        a.split("=")[0] for v in _views() for x in features(v, extract(v), model.cues) for a in x
    }
    assert {"pcd", "ncd", "sc", "sg", "rk", "bi", "-1r", "2w", "psent", "modal"} <= seen
    flags = {a for v in _views() for x in features(v, extract(v), model.cues) for a in x}
    assert {"konj", "q", "cue", "open", "close", "first", "last"} <= flags


def test_konjunktiv_of_all_tokens_equals_the_one_token_test() -> None:
    for v in _views():
        assert v.konjunktiv() == [v.is_konjunktiv(i) for i in range(len(v))]
        assert any(v.konjunktiv()) or v.text[0] == "„"
