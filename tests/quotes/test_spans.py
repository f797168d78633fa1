"""Source and clause spans cut as the SpkAtt annotators cut them (quotes.spans)."""

from __future__ import annotations

from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.spans import (
    anaphoric_sources,
    attribution_owners,
    balanced,
    fronted_clauses,
    object_cut,
    relative_attributions,
    sentence_initial_sources,
    spans,
)
from lagebild.quotes.view import View


def view(*sentences: str, lang: str = "de") -> View:
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in sentences), ())
    return View.of(doc_of(gold), lexicon(lang))


def words(v: View, toks: tuple[int, ...]) -> str:
    return " ".join(v.text[t] for t in toks)


def test_a_sentence_initial_attribution_runs_to_the_finite_verb() -> None:
    v = view(
        "Nach Angaben der Hilfsorganisation Ärzte ohne Grenzen mussten 10.000 Menschen fliehen ."
    )
    att = Attribution("indirect", tuple(range(5, 11)), cue=(0,), source=(1, 2, 3, 4))
    (out,) = sentence_initial_sources(v, [att])
    assert words(v, out.source) == "Angaben der Hilfsorganisation Ärzte ohne Grenzen"
    assert words(v, out.message) == "mussten 10.000 Menschen fliehen"


def test_the_phrase_stops_before_a_relative_clause_and_an_addressee() -> None:
    v = view("Nach einem Artikel von „ BBC News “ , der sich auf Daten beruft , leben dort viele .")
    att = Attribution("indirect", tuple(range(8, 18)), cue=(0,), source=(1, 2))
    (out,) = sentence_initial_sources(v, [att])
    assert words(v, out.source) == "einem Artikel von „ BBC News “"
    v = view("Nach Angaben der Sprecherin Anja Seugling gegenüber dem Kurier sei alles gut .")
    att = Attribution("indirect", tuple(range(6, 13)), cue=(0,), source=(1, 2, 3))
    (out,) = sentence_initial_sources(v, [att])
    assert words(v, out.source) == "Angaben der Sprecherin Anja Seugling"


def test_a_mid_sentence_attribution_is_left_alone_by_the_sentence_initial_step() -> None:
    v = view("Dabei mussten nach Angaben der Polizei viele fliehen .")
    att = Attribution("indirect", (0, 1, 6, 7), cue=(2,), source=(3,))
    assert sentence_initial_sources(v, [att]) == [att]


def test_an_attribution_noun_takes_its_owner() -> None:
    v = view("Dabei sollen nach Ansicht von ai Maßnahmen ergriffen werden .")
    att = Attribution("indirect", (0, 1, 4, 5, 6, 7, 8), cue=(2,), source=(3,))
    (out,) = attribution_owners(v, [att])
    assert words(v, out.source) == "Ansicht von ai"
    assert words(v, out.message) == "Dabei sollen Maßnahmen ergriffen werden"
    v = view("Das sei nach Schätzungen französischer Behörden teuer .")
    att = Attribution("indirect", (0, 1, 4, 5, 6), cue=(2,), source=(3,))
    (out,) = attribution_owners(v, [att])
    assert words(v, out.source) == "Schätzungen französischer Behörden"


def test_a_source_ends_before_its_object_or_addressee() -> None:
    v = view("Das Gericht begründet das Gericht seine Entscheidung so .")
    att = Attribution("direct", (7,), cue=(2,), source=(3, 4, 5, 6))
    assert words(v, object_cut(v, [att])[0].source) == "das Gericht"
    v = view("Dies sagte eine Sprecherin des Konzerns gegenüber der Zeitung .")
    att = Attribution("indirect", (0,), cue=(1,), source=(2, 3, 4, 5, 6, 7, 8))
    assert words(v, object_cut(v, [att])[0].source) == "eine Sprecherin des Konzerns"


def test_a_relative_clause_or_a_sentence_initial_determiner_is_no_object() -> None:
    v = view("Die das Unglück überlebende Alice Kakamara sagte , es sei kalt .")
    att = Attribution("indirect", (8, 9, 10), cue=(6,), source=(0, 1, 2, 3, 4, 5))
    assert object_cut(v, [att]) == [att]
    v = view("Die Organisation , die im Gazastreifen die Regierungsgewalt ausübt , warnte .")
    att = Attribution("indirect", (11,), cue=(10,), source=(0, 1, 2, 3, 4, 5, 6, 7, 8))
    assert object_cut(v, [att]) == [att]


def test_a_source_closes_its_bracket_and_quotation_mark() -> None:
    v = view("Laut amnesty international ( ai ) steigt die Zahl .")
    att = Attribution("indirect", (6, 7, 8), cue=(0,), source=(1, 2, 3, 4))
    assert words(v, balanced(v, [att])[0].source) == "amnesty international ( ai )"
    v = view("Wie „ Ärzte ohne Grenzen “ mitteilte , fehlt Wasser .")
    att = Attribution("indirect", (8, 9), cue=(6,), source=(2, 3, 4, 5))
    assert words(v, balanced(v, [att])[0].source) == "„ Ärzte ohne Grenzen “"


def test_demnach_is_the_source_only_of_a_statement_without_one() -> None:
    v = view("Demnach wurden drei Menschen verletzt .")
    bare = Attribution("indirect", (1, 2, 3, 4), cue=(0,))
    assert anaphoric_sources(v, [bare])[0].source == (0,)
    named = Attribution("indirect", (1, 2, 3, 4), cue=(0,), source=(3,))
    assert anaphoric_sources(v, [named]) == [named]


def test_an_attribution_in_a_relative_clause_reports_that_clause() -> None:
    v = view(
        "Die Behörden wollen Geiser ausweisen , der laut US-Justizministerium Befehle ausgeführt habe ."
    )
    att = Attribution("indirect", (0, 1, 2, 3, 4, 5, 6, 9, 10, 11), cue=(7,), source=(8,))
    (out,) = relative_attributions(v, [att])
    assert words(v, out.message) == "der Befehle ausgeführt habe"
    v = view(
        "Die Jugendlichen , unter denen sich nach Einschätzung der Ermittler der Täter befinden "
        "sollte , sind frei ."
    )
    att = Attribution(
        "indirect", (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16), cue=(6,), source=(7, 8, 9)
    )
    (out,) = relative_attributions(v, [att])
    assert words(v, out.message) == "unter denen sich der Täter befinden sollte"


def test_an_attribution_after_a_main_clause_comma_keeps_its_sentence() -> None:
    v = view("Ein Sprengsatz , vermutlich eine Bombe , ist laut Polizei explodiert .")
    att = Attribution("indirect", (0, 1, 2, 3, 4, 5, 6, 7, 10), cue=(8,), source=(9,))
    assert relative_attributions(v, [att]) == [att]


def test_a_statement_in_a_fronted_clause_ends_before_the_main_clause() -> None:
    v = view(
        "Während Juncker ankündigte , den Vorschlag prüfen zu lassen , stellt sich die ADR "
        "dahinter ."
    )
    att = Attribution("indirect", tuple(range(4, 16)), cue=(2,), source=(1,))
    (out,) = fronted_clauses(v, [att])
    assert words(v, out.message) == "den Vorschlag prüfen zu lassen"


def test_reported_speech_after_a_comma_is_no_main_clause() -> None:
    v = view("Weil er sagte , er habe es gewusst , habe er geschwiegen .")
    att = Attribution("indirect", tuple(range(4, 12)), cue=(2,), source=(1,))
    assert fronted_clauses(v, [att]) == [att]
    v = view("Als Merkel sagte , „ wir schaffen das , ist doch klar “ , war es still .")
    att = Attribution("direct", tuple(range(4, 12)), cue=(2,), source=(1,))
    assert fronted_clauses(v, [att]) == [att]


def test_a_language_without_the_classes_keeps_its_spans() -> None:
    v = view("According to the police ( the city , many left .", lang="en")
    att = Attribution("indirect", (7, 8, 9), cue=(0,), source=(3, 4, 5, 6))
    assert spans(v, [att]) == [att]
