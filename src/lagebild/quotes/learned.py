"""The trained quote model: training on SpkAtt documents, loading the shipped copy, predicting.

A model is a folder with ``tagger.crfsuite`` (the CRF of ``tagger``), ``cues.tsv`` (the cue
lemmas learned from the same documents, used as features), and the weights of the
second-stage linear models, ``screen.json`` (``screen``: which found statements to keep),
``chooser.json`` (``chooser``: which speaker each gets) and ``sentences.json``
(``sentences``: which sentences the tagger left empty hold a statement; encoder models
only); all optional. Training is deterministic: the documents are read in name order,
L-BFGS has no random start, and the second-stage models are trained on the statements found
by two CRFs, each trained on one half of the documents (even / odd) and run on the other half.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from lagebild.model import Doc
from lagebild.quotes.chooser import Weights, choose, each, fit_weights
from lagebild.quotes.extract import Attribution, extract, with_fragments
from lagebild.quotes.features import features, learn_cues
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.refine import boundaries, refine
from lagebild.quotes.scoring import QuoteScorer
from lagebild.quotes.screen import THRESHOLD as SCREEN_THRESHOLD
from lagebild.quotes.screen import describe, neighbours, screen
from lagebild.quotes.sentences import THRESHOLD as SENTENCES_THRESHOLD
from lagebild.quotes.sentences import detect
from lagebild.quotes.sentences import examples as sentence_examples
from lagebild.quotes.tagger import (
    Marginals,
    Posterior,
    Roles,
    combine,
    crf_model,
    decode,
    labels_of,
    tag,
    train,
)
from lagebild.quotes.view import View

TAGGER = "tagger.crfsuite"
CUES = "cues.tsv"
CHOOSER = "chooser.json"
SCREEN = "screen.json"
SENTENCES = "sentences.json"


@dataclass(slots=True)
class Examples:
    """Training rows of the second-stage models: speaker candidates, statements, sentences."""

    speakers: list[tuple[dict[str, float], int]]
    statements: list[tuple[dict[str, float], int]]
    sentences: list[tuple[dict[str, float], int]] = field(default_factory=list)


def _p_source(crf: Marginals, p_o: Sequence[float]) -> Callable[[int], float]:
    """P(S) + P(SM) of a token of the sequence ``crf`` holds (memoised; 0 where P(O) ~ 1)."""
    memo: dict[int, float] = {}
    labels = [y for y in ("S", "SM") if y in set(crf.labels())]
    if isinstance(crf, Posterior) and labels:
        # every token at once from the marginals' columns: the same sums (0 + S, + SM), read
        # by index (the chooser asks for most tokens, many of them several times)
        total = np.asarray(crf.column(labels[0]))
        for y in labels[1:]:
            total = total + np.asarray(crf.column(y))
        values: list[float] = np.where(np.asarray(p_o) > 0.999, 0.0, total).tolist()
        return values.__getitem__

    def p(t: int) -> float:
        if t not in memo:
            memo[t] = 0.0 if p_o[t] > 0.999 else sum(crf.marginal(y, t) for y in labels)
        return memo[t]

    return p


def _overlap(a: Sequence[int], b: Sequence[int]) -> float:
    both = len(set(a).intersection(b))
    return 2 * both / (len(a) + len(b)) if both else 0.0


@dataclass(frozen=True, slots=True)
class Model:
    """A trained tagger (by path, the CRF is read once per process), its learned cues and
    the second-stage weights (statement screen, speaker ranker, sentence detector) when
    trained."""

    path: str
    cues: dict[str, str]
    chooser: Weights | None = None
    screen: Weights | None = None
    sentences: Weights | None = None

    def attributions(self, v: View, extra: Sequence[list[str]] | None = None) -> list[Attribution]:
        """Every statement in the doc behind ``v``: rules as features, the CRF decides.

        ``extra`` adds features per token (the encoder head's labels, ``quotes.encoded``).
        Whole-sentence statements of ``quotes.sentences`` join them after the span steps."""
        found, _, _, p_o, tagged = self._statements(v, True, extra)
        found = boundaries(v, found)
        if self.sentences is not None:
            found = sorted(
                [*found, *detect(v, tagged, p_o, extra, self.sentences)],
                key=lambda a: a.message[0],
            )
        return with_fragments(v, found)

    def _statements(
        self, v: View, second: bool, extra: Sequence[list[str]] | None = None
    ) -> tuple[
        list[Attribution], list[Attribution], Callable[[int], float], list[float], list[Attribution]
    ]:
        """The outer statements, the rules' outer statements, P(source), P(O) per token and
        the statements as tagged (before the second stage).

        ``second`` applies the trained second-stage models (statement screen, speaker ranker).
        """
        rules = extract(v)
        if extra is None:
            scores = quote_scorer(self.path).scores(v, rules, self.cues)
            crf = Posterior(crf_model(self.path), scores=scores)
        else:
            crf = Posterior(crf_model(self.path), with_extra(features(v, rules, self.cues), extra))
        tagged = tag(crf, [])
        outer = [a for a in rules if not a.nested]
        found = refine(v, tagged, crf, combine(decode(v, tagged.labels, outer), outer))
        p = _p_source(crf, tagged.p_o)
        before = found
        if second and self.screen is not None:
            found = screen(v, found, tagged.p_o, p, outer, self.screen, extra)
        if second and self.chooser is not None:
            found = choose(v, p, found, outer, self.chooser)
        return found, outer, p, tagged.p_o, before

    def examples(
        self, v: View, gold: Sequence[Roles], extra: Sequence[list[str]] | None = None
    ) -> Examples:
        """Training rows from the statements found in ``v``, labelled by the gold statements.

        A statement is positive when a gold message overlaps it (token F1 > 0.25); a speaker
        candidate when it overlaps (token F1 >= 0.5) the speaker of the gold statement sharing
        most message with the found one.
        """
        found, outer, p, p_o, _ = self._statements(v, False, extra)
        out = Examples([], [], sentence_examples(v, found, p_o, extra, [g.message for g in gold]))
        for att, cands in each(v, p, found, outer):
            msg = set(att.message)
            ov = max((_overlap(att.message, list(g.message)) for g in gold), default=0.0)
            feats = describe(v, att, p_o, p, outer, neighbours(found, att, v), extra)
            out.statements.append((feats, int(ov > 0.25)))
            best = max(gold, key=lambda g: len(msg.intersection(g.message)), default=None)
            source = sorted(best.source) if best and msg.intersection(best.message) else []
            for c in cands:
                label = int(bool(source) and _overlap(c.tokens, source) >= 0.5)
                out.speakers.append((c.feats, label))
        return out


@cache
def quote_scorer(path: str) -> QuoteScorer:
    """The scorer of the CRF at ``path`` (its word vectors are kept for the process)."""
    return QuoteScorer(crf_model(path))


def unload() -> None:
    """Forget the CRFs read so far and their scorers' per-word vectors (up to ~40 MB at
    100k words); they are read again when next asked for."""
    from lagebild.quotes import tagger

    quote_scorer.cache_clear()
    crf_model.cache_clear()
    tagger.tagger.cache_clear()


def with_extra(xseq: list[list[str]], extra: Sequence[list[str]] | None) -> list[list[str]]:
    """The CRF features of each token plus its extra ones."""
    if extra is None:
        return xseq
    return [x + list(e) for x, e in zip(xseq, extra, strict=True)]


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
    weights = [_weights(path / name) for name in (CHOOSER, SCREEN, SENTENCES)]
    return Model(str(path / TAGGER), cues, *weights)


def _weights(path: Path) -> Weights | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Weights(data["coef"], data["bias"], data["threshold"])


def _write_weights(w: Weights, path: Path) -> None:
    data = {"coef": dict(sorted(w.coef.items())), "bias": w.bias, "threshold": w.threshold}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def shipped(lang: str) -> Model | None:
    """The shipped model for ``lang`` (German only so far)."""
    return load(str(shipped_dir(lang)))


def fit(
    docs: Sequence[tuple[Doc, list[Roles]]],
    out: str | Path,
    *,
    second: bool = True,
    extra: Sequence[Sequence[list[str]]] | None = None,
) -> Model:
    """Train on (doc, gold statements) pairs and write the model folder ``out``.

    ``second`` also trains the statement screen, the speaker ranker and, with ``extra``, the
    sentence detector (on statements found by two more CRFs, each trained on half the
    documents and run on the other half).
    ``extra`` gives each doc's extra token features (they must not come from a model that
    saw the doc's labels: ``quotes.encoded`` passes out-of-fold ones).
    """
    lex = lexicon("de")
    views = [View.of(doc, lex) for doc, _ in docs]
    labels = [labels_of(len(v), roles) for v, (_, roles) in zip(views, docs, strict=True)]
    cues = learn_cues(zip(views, labels, strict=True))
    xs = [
        with_extra(features(v, extract(v), cues), extra[i] if extra is not None else None)
        for i, v in enumerate(views)
    ]
    out = Path(out)
    train(xs, labels, out / TAGGER)
    lines = ["# cue lemmas learned from the training documents: lemma<TAB>grade (hi/mid/lo)"]
    lines += [f"{lemma}\t{grade}" for lemma, grade in cues.items()]
    (out / CUES).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in (CHOOSER, SCREEN, SENTENCES):
        (out / name).unlink(missing_ok=True)
    if second and len(views) >= 4:
        ex = Examples([], [])
        with tempfile.TemporaryDirectory() as tmp:
            for half in (0, 1):
                rest = [i for i in range(len(views)) if i % 2 != half]
                path = train([xs[i] for i in rest], [labels[i] for i in rest], Path(tmp) / "half")
                half_model = Model(str(path), cues)
                for i in range(half, len(views), 2):
                    got = half_model.examples(
                        views[i], docs[i][1], extra[i] if extra is not None else None
                    )
                    ex.speakers += got.speakers
                    ex.statements += got.statements
                    ex.sentences += got.sentences
                crf_model.cache_clear()
                quote_scorer.cache_clear()
        if len({y for _, y in ex.speakers}) == 2:  # a tiny corpus may lack one class
            _write_weights(fit_weights(ex.speakers), out / CHOOSER)
        if len({y for _, y in ex.statements}) == 2:
            screen_w = fit_weights(ex.statements)
            _write_weights(replace(screen_w, threshold=SCREEN_THRESHOLD), out / SCREEN)
        if extra is not None and len({y for _, y in ex.sentences}) == 2:
            # encoder mode only: measured there (the CRF alone was not measured with it)
            sent_w = fit_weights(ex.sentences)
            _write_weights(replace(sent_w, threshold=SENTENCES_THRESHOLD), out / SENTENCES)
    load.cache_clear()
    crf_model.cache_clear()
    quote_scorer.cache_clear()
    model = load(str(out))
    assert model is not None
    return model


def train_from(directory: str | Path, out: str | Path) -> Model:
    """Train on every document of a SpkAtt task 2 folder and write the model folder ``out``."""
    from lagebild.quotes.evaluate import doc_of, gold_roles, read_gold

    return fit([(doc_of(g), gold_roles(g)) for g in read_gold(directory)], out)


__all__ = ["Model", "fit", "load", "shipped", "shipped_dir", "train_from"]
