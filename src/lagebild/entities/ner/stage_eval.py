"""The whole entities stage (tagger + rules + gazetteers + article-level consistency) as a
GermEval tagger, so ``lagebild eval ner --stage`` measures what users get, not only the CRF.

Each gold sentence becomes a one-sentence article whose tokens are the gold tokens (no
re-tokenisation, so spans map back one to one); the stage's mentions (coreference links to
roles and pronouns left out: GermEval does not tag them) become outer BIO labels.
"""

from __future__ import annotations

from lagebild.entities.ner.evaluate import TagFn
from lagebild.model import Article, Doc, Mention, Sentence, Token
from lagebild.text.encoder import join_tokens


def _doc(words: list[str]) -> Doc:
    text, spans = join_tokens(words)  # as news prints it ("Berlin," not "Berlin ,")
    tokens = [Token(a, b, w) for (a, b), w in zip(spans, words, strict=True)]
    article = Article(id="s", title="", text=text, source="germeval", format="text", language="de")
    return Doc(article=article, sentences=(Sentence(0, len(text), text, tuple(tokens)),))


def labels_of(doc: Doc, mentions: tuple[Mention, ...]) -> list[str]:
    """Outer BIO labels of the doc's tokens from character-offset mentions (longest first)."""
    tokens = doc.sentences[0].tokens
    out = ["O"] * len(tokens)
    spans = [m for m in mentions if m.source != "coref"]
    for m in sorted(spans, key=lambda m: (m.start - m.end, m.start)):
        inside = [i for i, t in enumerate(tokens) if m.start <= t.start and t.end <= m.end]
        if not inside or any(out[i] != "O" for i in inside):
            continue
        for n, i in enumerate(inside):
            out[i] = ("B-" if n == 0 else "I-") + m.label
    return out


def stage_tagger(tagger: object) -> TagFn:
    """A GermEval tag function running the entities stage with ``tagger`` (a CRF tagger)."""
    from lagebild.entities import analyze

    def tag(words: list[str]) -> list[str]:
        if not words:
            return []
        doc = _doc(words)
        return labels_of(doc, analyze(doc, None, tagger).mentions)  # type: ignore[arg-type]

    return tag


__all__ = ["labels_of", "stage_tagger"]
