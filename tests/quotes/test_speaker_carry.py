"""A statement of reported speech without cue and speaker goes on with the speaker before it."""

from __future__ import annotations

import lagebild.quotes
import lagebild.text
from lagebild.model import Article, Doc
from lagebild.quotes import _carried_over
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speakers import Speaker
from lagebild.quotes.view import View

SENTENCES = (
    "Die Lage sei ernst , sagte Valenta .",
    "Der Soziologe forscht seit Jahren .",
    "Flucht habe die Rollen verschoben .",
    "Das Wetter ist schön .",
    "Die Stadt wächst .",
    "Alles sei gut gegangen .",
)


def view() -> View:
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in SENTENCES), ())
    return View.of(doc_of(gold), lexicon("de"))


VALENTA = Speaker("Valenta", "Marko Valenta", "person", 0)
NOBODY = Speaker("", "", None, -1, named=False)


def test_reported_speech_two_sentences_on_takes_the_speaker() -> None:
    v = view()
    told = Attribution("indirect", (0, 1, 2, 3), cue=(5,), source=(6,))
    follow = Attribution("indirect", (14, 15, 16, 17, 18))  # "Flucht habe die Rollen verschoben"
    atts, resolved = _carried_over(v, [told, follow], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == (6,) and resolved[1].name == "Marko Valenta"


def test_no_carry_beyond_two_sentences_without_konjunktiv_or_without_a_verb_of_saying() -> None:
    v = view()
    told = Attribution("indirect", (0, 1, 2, 3), cue=(5,), source=(6,))
    far = Attribution("indirect", (29, 30, 31, 32))  # "Alles sei gut gegangen", 5 sentences on
    narrative = Attribution("indirect", (20, 21, 22, 23))  # "Das Wetter ist schön"
    atts, resolved = _carried_over(v, [told, far], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == () and resolved[1].name == ""
    atts, _ = _carried_over(v, [told, narrative], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == ()
    laut = Attribution("indirect", (0, 1, 2, 3), cue=(4,), source=(6,))  # no verb of saying
    follow = Attribution("indirect", (14, 15, 16, 17, 18))
    atts, _ = _carried_over(v, [laut, follow], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == ()


def test_the_pipeline_names_the_speaker_of_a_follow_on_sentence() -> None:
    """The model alone leaves this one without a speaker (a sentence lies between)."""
    text = (
        "Die Lage sei ernst, sagte der Soziologe Marko Valenta am Montag in Wien. "
        "Der Soziologe forscht seit Jahren über Migration in Skandinavien. "
        "Die Flucht habe die Rollen in den Familien deutlich verschoben."
    )
    art = Article(id="a", title="", text=text, source="a", format="text", language="de")
    doc = lagebild.quotes.analyze(lagebild.text.analyze(Doc(article=art)))
    follow = [q for q in doc.quotes if q.message_text.startswith("Die Flucht")]
    assert follow and all(q.speaker_name.endswith("Valenta") for q in follow)


def test_a_demnach_statement_takes_the_speaker_of_the_report_before() -> None:
    sentences = (
        "Die Lage sei ernst , sagte Valenta .",
        "Demnach stammen viele Menschen aus Syrien .",
    )
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in sentences), ())
    v = View.of(doc_of(gold), lexicon("de"))
    told = Attribution("indirect", (0, 1, 2, 3), cue=(5,), source=(6,))
    demnach = Attribution("indirect", (9, 10, 11, 12, 13), cue=(8,))  # indicative, cue "Demnach"
    atts, resolved = _carried_over(v, [told, demnach], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == (6,) and resolved[1].name == "Marko Valenta"
    said = Attribution("indirect", (9, 10, 11, 12, 13), cue=(10,))  # a cue of its own: no carry
    atts, _ = _carried_over(v, [told, said], {0: VALENTA, 1: NOBODY})
    assert atts[1].source == ()
