"""Scoring on GermEval 2023 SpkAtt task 2 (German Wikinews), the way the shared task scores.

Each document is run on its gold tokens (no re-tokenisation: the tokens are joined with
spaces and the offsets kept). Predictions are written in the task's own JSON format, so the
official scorer can read them too. The score follows the simplified subtask: only
annotations with ``IsNested: false``; per document, predicted and gold annotations are
paired by the best message overlap (token-set F1 plus 0.01 for the same Form and 0.001 for
the same STWR where they overlap, a one-to-one assignment by ``linear_sum_assignment``); each
pair, and each unpaired annotation, gives a precision and a recall per role over token sets
(undefined, so left out, where the system resp. gold role is empty), and the reported P/R are
the means over annotations (F1 their harmonic mean). This is the organisers' scorer for task 2
(``EvaluateSubtrack2`` with ``assign_messages``/``evaluate_group`` in the SpkAtt-2023 task 2
evaluation script; read from a public copy, the task lives at github.com/umanlp/SpkAtt-2023),
checked line by line: it reports Message and Source; our cue score uses the same pairing and
averaging (the Cue role of the full subtask).

With ``folds`` > 1 the documents (in name order) are split by index modulo the fold count
and each fold is scored by a model trained on the other folds only, so nothing is learned
from the documents being scored.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from lagebild.model import Article, Doc, Sentence, Token
from lagebild.quotes.encoded import EncodedModel
from lagebild.quotes.extract import Attribution, extract
from lagebild.quotes.learned import Model, fit, load, shipped, shipped_dir
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.tagger import Roles
from lagebild.quotes.view import View
from lagebild.text.lemma import lemmatize_tokens

ROLES = ("Cue", "Source", "Message")
ANCHOR = {"message_f1": 48.3, "source_f1": 34.8}  # organisers' rule-based baseline, dev set
_FORM = {"direct": "Direct", "fragment": "Direct", "indirect": "Indirect", "continuation": "IndirectFreeIndirect",
         "attribution": "Indirect", "reported": "Reported"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GoldDoc:
    name: str
    tokens: tuple[tuple[str, ...], ...]  # per sentence
    annotations: tuple[dict, ...]


@dataclass(frozen=True, slots=True)
class Annotation:
    """One speech event as absolute token positions per role."""

    form: str
    roles: dict[str, frozenset[int]]
    nested: bool = False
    stwr: str = "Speech"


@dataclass(slots=True)
class Score:
    """Per-annotation precision/recall lists per role (None where undefined), summed up later."""

    p: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in ROLES})
    r: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in ROLES})
    documents: int = 0

    def add(self, other: Score) -> None:
        for role in ROLES:
            self.p[role].extend(other.p[role])
            self.r[role].extend(other.r[role])
        self.documents += other.documents

    def result(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for role, key in zip(ROLES, ("cue", "source", "message"), strict=True):
            p = sum(self.p[role]) / len(self.p[role]) if self.p[role] else 0.0
            r = sum(self.r[role]) / len(self.r[role]) if self.r[role] else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[f"{key}_p"], out[f"{key}_r"], out[f"{key}_f1"] = (
                round(100 * p, 1),
                round(100 * r, 1),
                round(100 * f, 1),
            )
        out["documents"] = self.documents
        return out


def read_gold(directory: str | Path) -> list[GoldDoc]:
    """Every ``*.json`` document of a SpkAtt task 2 folder, sorted by file name."""
    docs = []
    for path in sorted(Path(directory).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        tokens = tuple(tuple(s["Tokens"]) for s in data["Sentences"])
        docs.append(GoldDoc(path.stem, tokens, tuple(data.get("Annotations", ()))))
    return docs


def doc_of(gold: GoldDoc) -> Doc:
    """A Doc whose sentences and tokens are exactly the gold ones (text = tokens joined by spaces)."""
    parts: list[str] = []
    sentences = []
    pos = 0
    for toks in gold.tokens:
        out = []
        s_start = pos
        for t in toks:
            out.append(Token(pos, pos + len(t), t))
            parts.append(t)
            parts.append(" ")
            pos += len(t) + 1
        lemmatized = lemmatize_tokens(tuple(out), "de")
        end = out[-1].end if out else s_start
        sentences.append(Sentence(s_start, end, "", lemmatized))
    text = "".join(parts)
    sentences = [Sentence(s.start, s.end, text[s.start : s.end], s.tokens) for s in sentences]
    article = Article(
        id=gold.name, title="", text=text, source=gold.name, format="text", language="de"
    )
    return Doc(article=article, sentences=tuple(sentences))


def _offsets(gold: GoldDoc) -> list[int]:
    offs = [0]
    for toks in gold.tokens:
        offs.append(offs[-1] + len(toks))
    return offs


def gold_annotations(gold: GoldDoc) -> list[Annotation]:
    offs = _offsets(gold)

    def ab(ids: Iterable[str]) -> frozenset[int]:
        return frozenset(offs[int(x.split(":")[0])] + int(x.split(":")[1]) for x in ids)

    return [
        Annotation(
            a.get("Form", ""),
            {r: ab(a.get(r, ())) for r in ROLES},
            bool(a.get("IsNested", False)),
            a.get("STWR", ""),
        )
        for a in gold.annotations
    ]


def gold_roles(gold: GoldDoc) -> list[Roles]:
    """The non-nested gold statements, as the tagger learns them."""
    return [
        Roles(a.roles["Cue"], a.roles["Source"], a.roles["Message"])
        for a in gold_annotations(gold)
        if not a.nested
    ]


def predict(
    gold: GoldDoc, model: Model | EncodedModel | None = None, states: np.ndarray | None = None
) -> list[Attribution]:
    """The statements of one gold document: by ``model`` (an encoder model reads the doc's
    token ``states``), or by the rules alone when None."""
    v = View.of(doc_of(gold), lexicon("de"))
    if isinstance(model, EncodedModel):
        if states is None:
            states = gold_states([gold], model.layers)[0]
        return model.attributions(v, states)
    return model.attributions(v) if model is not None else extract(v)


def gold_states(golds: Sequence[GoldDoc], layers: Sequence[int]) -> list[np.ndarray]:
    """Per gold document, its tokens' encoder states (sentences encoded one by one as running
    text, as the encode stage does; cached on disk)."""
    from lagebild.text.states import pretokenized_states

    sents = [toks for g in golds for toks in g.tokens]
    flat = pretokenized_states(sents, layers)
    out: list[np.ndarray] = []
    i = 0
    for g in golds:
        part = flat[i : i + len(g.tokens)]
        i += len(g.tokens)
        out.append(np.concatenate(part) if part else np.zeros((0, len(layers), 384), np.float16))
    return out


def annotations_of(atts: Sequence[Attribution]) -> list[Annotation]:
    out = []
    for att in atts:
        cue = frozenset(att.cue) if att.kind != "reported" else frozenset()
        roles = {"Cue": cue, "Source": frozenset(att.source), "Message": frozenset(att.message)}
        out.append(Annotation(_FORM[att.kind], roles, att.nested))
    return out


def to_json(gold: GoldDoc, atts: Sequence[Attribution]) -> dict:
    """The prediction in the task's own format ("sentence:token" strings)."""
    offs = _offsets(gold)

    def ids(positions: Iterable[int]) -> list[str]:
        out = []
        for p in sorted(positions):
            s = int(np.searchsorted(offs, p, side="right")) - 1
            out.append(f"{s}:{p - offs[s]}")
        return out

    anns = []
    for ann in annotations_of(atts):
        anns.append({
            "Form": ann.form, "STWR": ann.stwr, "Cue": ids(ann.roles["Cue"]), "Source": ids(ann.roles["Source"]),
            "Message": ids(ann.roles["Message"]), "Addr": [], "Frame": [], "IsNested": ann.nested, "HasNested": False,
        })  # fmt: skip
    sentences = [{"SentenceId": i, "Tokens": list(t)} for i, t in enumerate(gold.tokens)]
    return {"DocumentName": gold.name, "Sentences": sentences, "Annotations": anns}


def _pr(gold: frozenset[int], pred: frozenset[int]) -> tuple[float | None, float | None]:
    both = len(gold & pred)
    p = both / len(pred) if pred else None
    r = both / len(gold) if gold else None
    return p, r


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    both = len(a & b)
    return 0.0 if not both else 2 * both / (len(a) + len(b))


def score_doc(pred: Sequence[Annotation], gold: Sequence[Annotation]) -> Score:
    """Score one document's non-nested annotations (pairing by best message overlap)."""
    pred = [a for a in pred if not a.nested]
    gold = [a for a in gold if not a.nested]
    score = Score(documents=1)
    pairs: list[tuple[Annotation | None, Annotation | None]] = []
    if pred and gold:
        m = np.zeros((len(gold), len(pred)))
        for i, g in enumerate(gold):
            for j, s in enumerate(pred):
                ov = _overlap(g.roles["Message"], s.roles["Message"])
                if ov > 0:  # the official tie-breakers: same Form, then same STWR
                    ov += (0.01 if g.form == s.form else 0.0) + (0.001 if g.stwr == s.stwr else 0.0)
                m[i, j] = ov
        rows, cols = linear_sum_assignment(m, maximize=True)
        pairs = [(pred[j], gold[i]) for i, j in zip(rows, cols, strict=True)]
        done_p, done_g = set(cols), set(rows)
        pairs += [(s, None) for j, s in enumerate(pred) if j not in done_p]
        pairs += [(None, g) for i, g in enumerate(gold) if i not in done_g]
    else:
        pairs = [(s, None) for s in pred] + [(None, g) for g in gold]
    empty: frozenset[int] = frozenset()
    for s, g in pairs:
        for role in ROLES:
            p, r = _pr(g.roles[role] if g else empty, s.roles[role] if s else empty)
            if p is not None:
                score.p[role].append(p)
            if r is not None:
                score.r[role].append(r)
    return score


def evaluate(
    directory: str | Path,
    *,
    folds: int = 1,
    write: str | Path | None = None,
    system: str = "model",
    model_dir: str | Path | None = None,
) -> list[dict]:
    """Scores on a SpkAtt folder: one result (all documents) or one per fold of ``folds``.

    ``system`` "rules" scores the rules alone, "model" the quote CRF (``--fast``), "encoder"
    the quote CRF with the encoder head's features. With ``folds`` > 1 a model is
    cross-validated: fold f holds documents i with i % folds == f, and its model is trained
    on the other folds only. With one fold the model in ``model_dir`` (default: the shipped
    one) is scored.
    """
    golds = read_gold(directory)
    states: list[np.ndarray] | None = None
    extra: list | None = None
    if system == "encoder":
        from lagebild.quotes.encoded import LAYERS, out_of_fold

        states = gold_states(golds, LAYERS)
        if folds > 1:  # the heads of the folds: each doc's features from one that never saw it
            extra = out_of_fold([(doc_of(g), gold_roles(g)) for g in golds], states, k=folds)
    k = max(1, folds)
    out_dir = Path(write) if write else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(k):
            model: Model | EncodedModel | None = None
            if system == "encoder" and states is not None:
                model = _encoder_model(golds, states, extra, k, f, Path(tmp), model_dir)
            elif system == "model" and k > 1:
                rest = [g for i, g in enumerate(golds) if i % k != f]
                model = fit([(doc_of(g), gold_roles(g)) for g in rest], Path(tmp) / f"fold{f}")
            elif system == "model":
                model = load(str(model_dir)) if model_dir else shipped("de")
                if model is None:
                    raise FileNotFoundError(f"no quote model in {model_dir or shipped_dir()}")
            total = Score()
            for i, gold in enumerate(golds):
                if k > 1 and i % k != f:
                    continue
                if extra is not None and isinstance(model, Model):
                    atts = model.attributions(View.of(doc_of(gold), lexicon("de")), extra[i])
                else:
                    atts = predict(gold, model, states[i] if states is not None else None)
                total.add(score_doc(annotations_of(atts), gold_annotations(gold)))
                if out_dir:
                    (out_dir / f"{gold.name}.json").write_text(
                        json.dumps(to_json(gold, atts), ensure_ascii=False), encoding="utf-8"
                    )
            results.append(total.result())
    return results


def _encoder_model(golds: Sequence[GoldDoc], states: Sequence[np.ndarray], extra: list | None,
                   k: int, f: int, tmp: Path, model_dir: str | Path | None) -> Model | EncodedModel:  # fmt: skip
    """Fold f's encoder model, or the given / shipped one.

    With folds, fold f's CRF is trained on the other folds' docs with their out-of-fold head
    features and scored on fold f's docs with theirs (from the head trained without fold f).
    A caveat, small: the heads that made the training docs' features saw fold f's labels;
    the CRF learns from them only how far to trust a head on unseen text.
    """
    from lagebild.quotes.encoded import fit_encoded, load_encoded
    from lagebild.quotes.encoded import shipped_dir as enc_dir
    from lagebild.quotes.learned import load as load_crf

    if k > 1 and extra is not None:
        rest = [i for i in range(len(golds)) if i % k != f]
        docs = [(doc_of(golds[i]), gold_roles(golds[i])) for i in rest]
        out = tmp / f"enc{f}"
        fit_encoded(docs, [states[i] for i in rest], out, extra=[extra[i] for i in rest],
                    final_head=False)  # fmt: skip
        crf = load_crf(str(out))
        assert crf is not None
        return crf  # the head features come from ``extra``
    model = load_encoded(str(model_dir or enc_dir()))
    if model is None:
        raise FileNotFoundError(f"no encoder quote model in {model_dir or enc_dir()}")
    return model


def mean(results: Sequence[dict]) -> dict:
    """The mean of per-fold results (documents summed)."""
    keys = [k for k in results[0] if k != "documents"]
    out: dict = {k: round(sum(r[k] for r in results) / len(results), 1) for k in keys}
    out["documents"] = sum(r["documents"] for r in results)
    return out


__all__ = [
    "ANCHOR", "GoldDoc", "doc_of", "evaluate", "gold_roles", "mean", "read_gold", "score_doc", "to_json",
]  # fmt: skip
