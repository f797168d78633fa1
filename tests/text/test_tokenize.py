"""Sentences and tokens with offsets that survive German abbreviations, ordinals and quotes."""

from __future__ import annotations

from lagebild.text.tokenize import sentences, tokenize


def test_offsets_slice_the_text() -> None:
    text = "Dr. Müller sagte am 13. Sep. 2023: „Ich bin froh.“ Dann ging er."
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text


def test_abbreviations_and_ordinals_do_not_split() -> None:
    text = (
        "Der 27. Juli, der das Ende markiert, wird z.B. in Pjöngjang begangen. "
        "Dr. Müller sagte am 13. Sep. 2023: „Ich bin froh.“ Dann ging er. "
        "Seit 2019. Die Zahl 1.000,5 stieg um 70 Prozent."
    )
    got = [s.text for s in sentences(text)]
    assert got == [
        "Der 27. Juli, der das Ende markiert, wird z.B. in Pjöngjang begangen.",
        "Dr. Müller sagte am 13. Sep. 2023: „Ich bin froh.“",
        "Dann ging er.",
        "Seit 2019.",
        "Die Zahl 1.000,5 stieg um 70 Prozent.",
    ]
    toks = [t.text for t in sentences(text)[4].tokens]
    assert "1.000,5" in toks


def test_line_breaks_end_sentences_and_quotes_close() -> None:
    text = "Überschrift ohne Punkt\n\n„Wir kommen“, sagte sie. „Morgen.“"
    got = [s.text for s in sentences(text)]
    assert got == ["Überschrift ohne Punkt", "„Wir kommen“, sagte sie.", "„Morgen.“"]


def test_analyze_sets_lemmas() -> None:
    from lagebild.model import Article, Doc
    from lagebild.text import analyze

    art = Article(
        id="a", title="t", text="Die Häuser standen leer.", source="s", format="text", language="de"
    )
    doc = analyze(Doc(article=art))
    lemmas = [t.lemma for t in doc.tokens]
    assert lemmas[1] == "Haus" and doc.stages[-1].startswith("text@")
