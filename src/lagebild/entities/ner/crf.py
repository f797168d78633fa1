"""The shipped tagger: a linear-chain CRF (python-crfsuite) over hand-made features.

A model directory holds ``model.crfsuite`` (weights), ``silver.crfsuite`` (a CRF trained on
the silver pool whose labels are stacked features; optional), ``gazetteer.tsv.gz``,
``clusters.tsv.gz`` and ``e5clusters.tsv.gz`` (derived tables the features read) and
``meta.json`` (training settings and data hashes). Loading one is cheap and the result is
immutable in use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pycrfsuite

from lagebild.crf import CrfModel
from lagebild.entities.ner.data import collapse_subtypes, spans
from lagebild.entities.ner.features import Featurizer
from lagebild.entities.ner.lexicon import Lexicon, model_file
from lagebild.entities.ner.scoring import StackedScorer
from lagebild.errors import ModelNotAvailable
from lagebild.model import Doc, Mention, Token

# below this many sentences python-crfsuite on attribute strings is faster than the batched
# numpy decoding (per sentence, 1 / 4 / 8 / 16 at once: 750 / 550 / 600 / 640 us strings,
# 1300 / 570 / 460 / 320 us batched; GermEval dev sentences, words cached); both give the same labels
BATCH_MIN = 5
MODEL_FILE = "model.crfsuite"
STACK_FILE = "silver.crfsuite"  # the silver-pool CRF whose labels the main CRF reads


def open_tagger(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@dataclass
class CrfTagger:
    """Tags sentences with BIO labels over PER/LOC/ORG/OTH."""

    tagger: pycrfsuite.Tagger
    featurizer: Featurizer
    directory: Path
    meta: dict
    # the same models read into numpy: tagging scores cached word vectors (``scoring``);
    # ``tagger`` and ``featurizer.stack`` stay for training-time uses (probabilities)
    scorer: StackedScorer | None = field(default=None, repr=False)

    @classmethod
    def load(cls, directory: Path) -> CrfTagger:
        path = Path(directory) / MODEL_FILE
        if not path.exists():
            raise ModelNotAvailable(f"no NER model at {path} (train one with `lagebild train ner`)")
        meta_path = Path(directory) / "meta.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        stack_path = model_file(Path(directory), STACK_FILE)
        stack = open_tagger(stack_path) if stack_path.exists() else None
        featurizer = Featurizer(Lexicon.load(Path(directory)), stack=stack)
        silver = CrfModel.read(stack_path) if stack is not None else None
        scorer = StackedScorer(featurizer, CrfModel.read(path), silver)
        return cls(open_tagger(path), featurizer, Path(directory), meta, scorer)

    def tag_words(self, words: list[str], lemmas: list[str] | None = None) -> list[str]:
        """BIO labels for one pre-tokenised sentence."""
        if not words:
            return []
        return self.tag_sentences([(words, lemmas)])[0]

    def tag_sentences(self, sentences: list[tuple[list[str], list[str] | None]]) -> list[list[str]]:
        """BIO labels for several sentences (words, lemmas or None), decoded together."""
        if self.scorer is None or len(sentences) < BATCH_MIN:
            return [
                collapse_subtypes(self.tagger.tag(self.featurizer.sentence(w, lem))) if w else []
                for w, lem in sentences
            ]
        # an all-O sentence (most of them) has nothing to collapse or repair
        return [
            labels if labels.count("O") == len(labels) else collapse_subtypes(labels)
            for labels in self.scorer.tag(sentences)
        ]

    def tag_scored(
        self, sentences: list[tuple[list[str], list[str] | None]]
    ) -> list[tuple[list[str], list[float]]]:
        """(BIO labels, each raw label's marginal probability) per sentence; the
        probabilities are empty for a sentence without a name."""
        if self.scorer is None or len(sentences) < BATCH_MIN:
            out: list[tuple[list[str], list[float]]] = []
            for w, lem in sentences:
                if not w:
                    out.append(([], []))
                    continue
                raw = self.tagger.tag(self.featurizer.sentence(w, lem))
                labels = collapse_subtypes(raw)
                if labels.count("O") == len(labels):
                    out.append((labels, []))
                    continue
                out.append((labels, [self.tagger.marginal(y, i) for i, y in enumerate(raw)]))
            return out
        return [
            (labels if labels.count("O") == len(labels) else collapse_subtypes(labels), probs)
            for labels, probs in self.scorer.tag_scored(sentences)
        ]

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        """Mentions of every sentence of ``doc`` (character offsets into the article text),
        each with the tagger's confidence (``Mention.score``)."""
        out: list[Mention] = []
        text = doc.article.text
        sents = [s.tokens for s in doc.sentences if s.tokens]
        inputs = []
        for toks in sents:
            words = [t.text for t in toks]
            lemmas = [t.lemma for t in toks] if all(t.lemma for t in toks) else None
            inputs.append((words, lemmas))
        for toks, (labels, probs) in zip(sents, self.tag_scored(inputs), strict=True):
            if labels.count("O") < len(labels):  # most sentences name nothing
                out.extend(mentions_from_labels(doc.article.id, text, toks, labels, "ner", probs))
        return tuple(out)


def mentions_from_labels(
    article_id: str,
    text: str,
    tokens: tuple[Token, ...],
    labels: list[str],
    source: str,
    probs: list[float] | None = None,
) -> list[Mention]:
    """Token-level BIO labels -> character-offset mentions, in text order; with ``probs``
    (per token) a mention's score is its least sure token's, to three decimals."""
    out = []
    for start, end, cls in sorted(spans(labels)):
        s, e = tokens[start].start, tokens[end - 1].end
        score = round(min(probs[start:end]), 3) if probs else None
        out.append(Mention(article_id, s, e, text[s:e], cls, source=source, score=score))  # type: ignore[arg-type]
    return out
