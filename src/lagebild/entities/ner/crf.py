"""The shipped tagger: a linear-chain CRF (python-crfsuite) over hand-made features.

A model directory holds ``model.crfsuite`` (weights), ``silver.crfsuite`` (a CRF trained on
the silver pool whose labels are stacked features; optional), ``gazetteer.tsv.gz``,
``clusters.tsv.gz`` and ``e5clusters.tsv.gz`` (derived tables the features read) and
``meta.json`` (training settings and data hashes). The result is immutable in use.

Loading derives the scorer's tables from the files (attribute union, weight rows by feature
family, context rows, gazetteer and cluster dicts): ~0.5 s CPU in every process that tags,
before its first article. The derived featurizer and scorer are kept as a pickle in the
cache folder (``$LAGEBILD_CACHE`` or ``~/.cache/lagebild``, ``ner-prepared/``), named by the
digest of the model files and of the code that derives them, so a later process reads them
back (~0.2 s) and a retrained model or changed code never meets an old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pycrfsuite

from lagebild.crf import CrfModel
from lagebild.entities.ner.data import collapse_subtypes, spans
from lagebild.entities.ner.features import Featurizer
from lagebild.entities.ner.lexicon import EMBED_FILE, Lexicon, model_file
from lagebild.entities.ner.scoring import StackedScorer
from lagebild.errors import ModelNotAvailable
from lagebild.model import Doc, Mention, Token

# below this many sentences python-crfsuite on attribute strings is faster than the batched
# numpy decoding (per sentence, 1 / 4 / 8 / 16 at once: 750 / 550 / 600 / 640 us strings,
# 1300 / 570 / 460 / 320 us batched; GermEval dev sentences, words cached); both give the same labels
BATCH_MIN = 5
MODEL_FILE = "model.crfsuite"
STACK_FILE = "silver.crfsuite"  # the silver-pool CRF whose labels the main CRF reads
PREPARED_FORMAT = 1  # of the kept featurizer and scorer; part of their digest
PREPARED_KIND = "ner-prepared"  # their folder under the cache root
PREPARED_KEEP = 8  # files kept there (the newest): ~38 MB each for the shipped model
# the sources whose code makes what is kept (lagebild-relative): a change to any of them
# names another file
PREPARED_CODE = (
    "crf.py",
    "entities/ner/crf.py",
    "entities/ner/features.py",
    "entities/ner/lexicon.py",
    "entities/ner/scoring.py",
)


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
        featurizer, scorer = prepared(Path(directory))
        featurizer.stack = stack  # the scorer's tables do not read it; tagging does
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


def prepared(directory: Path, folder: Path | None = None) -> tuple[Featurizer, StackedScorer]:
    """The featurizer (without its stacked tagger) and scorer of the model in ``directory``:
    read back when kept for exactly these files and this code (in ``folder``, default the
    cache root's ``ner-prepared``), else derived from the files and kept."""
    path = _prepared_file(directory, folder)
    if path is not None:
        try:
            with open(path, "rb") as fh:
                featurizer, scorer = pickle.load(fh)
            if isinstance(featurizer, Featurizer) and isinstance(scorer, StackedScorer):
                return featurizer, scorer
        except (OSError, EOFError, ImportError, pickle.UnpicklingError, AttributeError,
                ValueError, TypeError):  # fmt: skip
            pass  # none kept yet, or a damaged file: derived again and written over
    featurizer = Featurizer(Lexicon.load(directory))
    stack_path = model_file(directory, STACK_FILE)
    silver = CrfModel.read(stack_path) if stack_path.exists() else None
    scorer = StackedScorer(featurizer, CrfModel.read(directory / MODEL_FILE), silver)
    if path is not None:
        _keep(path, pickle.dumps((featurizer, scorer), protocol=pickle.HIGHEST_PROTOCOL))
    return featurizer, scorer


def _prepared_file(directory: Path, folder: Path | None) -> Path | None:
    """Where the derived tables of the model in ``directory`` are kept: named by the bytes
    of its files and of the code that derives them (None when a source cannot be read)."""
    from lagebild.text.dictionaries import cache_root

    digest = hashlib.sha1(
        f"{PREPARED_FORMAT}|{sys.version}|{np.__version__}|{sys.byteorder}".encode()
    )
    root = Path(__file__).resolve().parents[2]  # the lagebild package
    try:
        for name in PREPARED_CODE:
            digest.update(hashlib.sha1((root / name).read_bytes()).digest())
        for name in (MODEL_FILE, STACK_FILE, "gazetteer.tsv.gz", "clusters.tsv.gz", EMBED_FILE):
            file = model_file(directory, name)
            digest.update(name.encode())
            if file.exists():
                digest.update(hashlib.sha1(file.read_bytes()).digest())
    except OSError:
        return None
    return (folder or cache_root(PREPARED_KIND)) / f"{digest.hexdigest()[:20]}.pickle"


def _keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; nothing when the folder is unwritable."""
    from lagebild.text.dictionaries import write_whole

    if not write_whole(path, data):
        return
    # every retraining or edit of the code names a new file: the oldest go (several
    # checkouts sharing the folder each keep theirs)
    with contextlib.suppress(OSError):
        kept = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[PREPARED_KEEP:]:
            old.unlink(missing_ok=True)


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
