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


def test_tokens_made_without_the_dataclass_init_are_plain_tokens() -> None:
    """``model.token_maker`` (used by the tokenizer and the lemmas) makes the very ``Token``
    the constructor makes: equal both ways, same hash and repr, frozen, pickled alike."""
    import dataclasses
    import pickle

    import pytest

    from lagebild.model import Token, token_maker
    from lagebild.text.lemma import lemmatize_tokens, lemmatizer

    make = token_maker()
    made, plain = (
        make(3, 8, "Hause", "Haus", "NN", False),
        Token(3, 8, "Hause", "Haus", "NN", False),
    )
    assert type(made) is Token and made == plain and plain == made
    assert hash(made) == hash(plain) and repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.lemma = "x"  # type: ignore[misc]
    text = "Die Regierungen einigten sich am 3. Mai in Wien."
    lemma = lemmatizer("de")
    for tok in tokenize(text, "de", lemma):
        assert type(tok) is Token
        assert tok == Token(tok.start, tok.end, text[tok.start : tok.end], lemma(tok.text), "",
                            tok.end < len(text) and text[tok.end].isspace())  # fmt: skip
    for tok, again in zip(
        tokenize(text), lemmatize_tokens(tuple(tokenize(text)), "de"), strict=True
    ):
        assert again == dataclasses.replace(tok, lemma=lemma(tok.text)) and tok.lemma == ""
