"""The trained quote model: training on SpkAtt documents, loading the shipped copy, predicting.

A model is a folder with ``tagger.crfsuite`` (the CRF of ``tagger``) and ``cues.tsv`` (the cue
lemmas learned from the same documents, used as features). Training is deterministic: the
documents are read in name order and L-BFGS has no random start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lagebild.model import Doc
from lagebild.quotes.extract import Attribution, extract, with_fragments
from lagebild.quotes.features import features, learn_cues
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.refine import refine
from lagebild.quotes.tagger import Roles, combine, decode, labels_of, tag, tagger, train
from lagebild.quotes.view import View

TAGGER = "tagger.crfsuite"
CUES = "cues.tsv"


@dataclass(frozen=True, slots=True)
class Model:
    """A trained tagger (by path, the CRF is opened once per process) and its learned cues."""

    path: str
    cues: dict[str, str]

    def attributions(self, v: View) -> list[Attribution]:
        """Every statement in the doc behind ``v``: rules as features, the CRF decides."""
        rules = extract(v)
        crf = tagger(self.path)
        tagged = tag(crf, features(v, rules, self.cues))
        outer = [a for a in rules if not a.nested]
        found = combine(decode(v, tagged.labels, outer), outer)
        return with_fragments(v, refine(v, tagged, crf, found))


def shipped_dir(lang: str = "de") -> Path:
    """Where the model for ``lang`` ships inside the package."""
    return Path(str(resources.files("lagebild") / "models" / f"quotes-{lang}"))


@cache
def load(directory: str) -> Model | None:
    """The model in ``directory``, or None when there is none."""
    path = Path(directory)
    if not (path / TAGGER).is_file():
        return None
    cues = {}
    for line in (path / CUES).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lemma, grade = line.split("\t")
            cues[lemma] = grade
    return Model(str(path / TAGGER), cues)


def shipped(lang: str) -> Model | None:
    """The shipped model for ``lang`` (German only so far)."""
    return load(str(shipped_dir(lang)))


def fit(docs: Sequence[tuple[Doc, list[Roles]]], out: str | Path) -> Model:
    """Train on (doc, gold statements) pairs and write the model folder ``out``."""
    lex = lexicon("de")
    views = [View.of(doc, lex) for doc, _ in docs]
    labels = [labels_of(len(v), roles) for v, (_, roles) in zip(views, docs, strict=True)]
    cues = learn_cues(zip(views, labels, strict=True))
    xs = [features(v, extract(v), cues) for v in views]
    out = Path(out)
    train(xs, labels, out / TAGGER)
    lines = ["# cue lemmas learned from the training documents: lemma<TAB>grade (hi/mid/lo)"]
    lines += [f"{lemma}\t{grade}" for lemma, grade in cues.items()]
    (out / CUES).write_text("\n".join(lines) + "\n", encoding="utf-8")
    load.cache_clear()
    tagger.cache_clear()
    model = load(str(out))
    assert model is not None
    return model


def train_from(directory: str | Path, out: str | Path) -> Model:
    """Train on every document of a SpkAtt task 2 folder and write the model folder ``out``."""
    from lagebild.quotes.evaluate import doc_of, gold_roles, read_gold

    return fit([(doc_of(g), gold_roles(g)) for g in read_gold(directory)], out)


__all__ = ["Model", "fit", "load", "shipped", "shipped_dir", "train_from"]
