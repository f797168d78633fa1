"""A CRF over a doc's tokens that marks cue, source and message, and its decoding into statements.

Labels: ``C`` cue, ``S`` source, ``B``/``M`` first/other message token, ``SM`` a source inside
its own message (reported speech: "Die Richter äußerten Bedenken"), ``O`` the rest. One
sequence is one doc, so a message may run over sentence boundaries (quotations over several
sentences, follow-on sentences in Konjunktiv).

Decoding groups the message tokens into statements (a ``B`` or a sentence gap starts a new
one), gives each the cue and source runs of its sentence (nearest first; a run in a sentence of
its own, "Er sagte:", goes to the statement that follows), falls back on the speaker the rules
found for the same message, and lets a statement with neither cue nor speaker inherit the
speaker of a statement up to ``INHERIT`` sentences before (a follow-on sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pycrfsuite

from lagebild.crf import CrfModel
from lagebild.quotes.extract import Attribution
from lagebild.quotes.view import OPENERS, View

# rule statements of these kinds (with cue and speaker) join where the CRF found nothing
UNION = ("indirect", "attribution")
INHERIT = 2  # sentences a speaker carries over to a statement with neither cue nor source
ALPHA = 0.45  # weight of P(O) in posterior decoding (5-fold CV, with the statement screen)
LABELS = ("O", "C", "S", "B", "M", "SM")
PARAMS = {
    "c1": 0.5,
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}


@dataclass(frozen=True, slots=True)
class Roles:
    """One gold statement as doc token positions."""

    cue: frozenset[int]
    source: frozenset[int]
    message: frozenset[int]


def labels_of(n: int, statements: Iterable[Roles]) -> list[str]:
    """Gold labels of a doc with ``n`` tokens (cue over source over message where they clash)."""
    out = ["O"] * n
    msg_of = [False] * n
    for st in sorted(statements, key=lambda s: min(s.message, default=n)):
        for m in sorted(st.message):
            msg_of[m] = True
            if out[m] == "O":
                out[m] = "M"
        if st.message:
            first = min(st.message)
            if out[first] == "M":
                out[first] = "B"
    for st in statements:
        for s in st.source:
            out[s] = "SM" if msg_of[s] and s in st.message else "S"
    for st in statements:
        for c in st.cue:
            out[c] = "C"
    return out


@dataclass(slots=True)
class _Group:
    message: list[int] = field(default_factory=list)
    cue: list[int] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    runs: list[list[int]] = field(default_factory=list)
    inherited: bool = False


def _runs(labels: Sequence[str], want: str, v: View) -> list[list[int]]:
    """Contiguous runs of one label within a sentence."""
    out: list[list[int]] = []
    for i, lab in enumerate(labels):
        if lab == want or (want == "S" and lab == "SM"):
            if out and out[-1][-1] == i - 1 and v.sent[i - 1] == v.sent[i]:
                out[-1].append(i)
            else:
                out.append([i])
    return out


def _from_rules(g: _Group, rules: Sequence[Attribution], runs: list[list[int]]) -> None:
    """The speaker (and cue) of the rule statement sharing most message with ``g``.

    When the CRF found several speaker runs ("Das gehe aus Informationen der Geheimdienste
    hervor, sagte Kirby"), the rules only pick among them.
    """
    msg = set(g.message)
    best = max(rules, key=lambda a: len(msg.intersection(a.message)), default=None)
    if best is None or not best.source or len(msg.intersection(best.message)) * 2 < len(msg):
        return
    if runs and not any(set(best.source) & set(r) for r in runs):
        return
    g.source = list(best.source)
    if not g.cue:
        g.cue = list(best.cue)


def decode(v: View, labels: Sequence[str], rules: Sequence[Attribution] = ()) -> list[Attribution]:
    """Statements from a label sequence (see the module docstring)."""
    groups: list[_Group] = []
    cur: _Group | None = None
    last = -1
    for i, lab in enumerate(labels):
        if lab not in ("B", "M", "SM"):
            continue
        new = lab == "B" or cur is None
        if not new and v.sent[i] != v.sent[last]:
            # a gap that holds a whole sentence or more starts a new statement
            gap_sent = any(labels[j] not in ("M", "SM", "B") for j in range(last + 1, i)) and (
                v.sent[i] - v.sent[last] > 1 or labels[v.bounds[v.sent[i]][0]] not in ("M", "SM")
            )
            new = gap_sent
        if new:
            cur = _Group()
            groups.append(cur)
        assert cur is not None
        cur.message.append(i)
        last = i
    if not groups:
        return []
    by_sent: dict[int, list[int]] = {}
    for gi, g in enumerate(groups):
        for s in {v.sent[m] for m in g.message}:
            by_sent.setdefault(s, []).append(gi)
    for role in ("C", "S"):
        for run in _runs(labels, role, v):
            si = v.sent[run[0]]
            cands = by_sent.get(si)
            if not cands:
                cands = by_sent.get(si + 1)
                if not cands:
                    continue
                cands = cands[:1]

            def dist(gi: int, run: list[int] = run) -> int:
                return min(abs(m - r) for m in groups[gi].message for r in (run[0], run[-1]))

            g = groups[min(cands, key=dist)]
            if role == "C":
                g.cue.extend(run)
            else:
                g.runs.append(run)
    for g in groups:
        g.source = [j for r in g.runs for j in r]
        if rules and (not g.source or len(g.runs) > 1):
            _from_rules(g, rules, g.runs)
    prev: _Group | None = None
    for g in groups:
        near = prev is not None and v.sent[g.message[0]] - v.sent[prev.message[-1]] <= INHERIT
        if not g.source and not g.cue and near and prev is not None:
            g.source = list(prev.source)
            g.inherited = True
        if g.source:
            prev = g
    out = []
    for g in groups:
        msg = tuple(sorted(set(g.message)))
        if len(msg) < 2 and not g.cue:
            continue
        if v.text[msg[0]] in OPENERS:
            kind = "direct"
        elif g.inherited:
            kind = "continuation"
        elif not g.cue and g.source and set(g.source) <= set(msg):
            kind = "reported"
        else:
            kind = "indirect"
        out.append(Attribution(kind, msg, tuple(sorted(set(g.cue))), tuple(sorted(set(g.source)))))
    return out


def combine(crf: Sequence[Attribution], rules: Sequence[Attribution]) -> list[Attribution]:
    """The CRF's statements, with direct speech in quotation marks taken from the rules.

    A quotation with its own verb of saying ("…“, sagte Kim") is what the rules get right
    most reliably; the CRF sometimes reads its inside as indirect speech ("überzeugt davon,
    dass …"). Those rule statements replace whatever the CRF found on the same tokens, and
    rule statements of the ``UNION`` kinds are added where the CRF found nothing at all.
    """
    kept = [a for a in rules if a.kind == "direct" and a.cue and not a.nested]
    covered = {m for a in crf for m in a.message}
    kept += [
        a
        for a in rules
        if a.kind in UNION
        and a.cue
        and a.source
        and not a.nested
        and not covered.intersection(a.message)
    ]
    taken = {m for a in kept for m in (*a.message, *a.cue, *a.source)}
    out = list(kept)
    for att in crf:
        msg = tuple(m for m in att.message if m not in taken)
        if len(msg) == len(att.message):
            out.append(att)
        elif len(msg) >= 3 and not taken.intersection(att.cue):
            out.append(replace(att, message=msg))
    return sorted(out, key=lambda a: a.message[0])


@dataclass(frozen=True, slots=True)
class Tagged:
    """The decoded labels of a doc and, per token, the CRF's P(O) (for statement confidence)."""

    labels: list[str]
    p_o: list[float]


class Marginals(Protocol):
    """What decoding reads of a tagged sequence: the model's labels and P(label at t)."""

    def labels(self) -> list[str]: ...

    def marginal(self, label: str, t: int) -> float: ...


class Posterior:
    """A doc's per-token label marginals under a CRF read into numpy (``lagebild.crf``),
    answering ``labels()`` and ``marginal(label, t)`` as a python-crfsuite tagger holding
    the same sequence does.

    The quote CRF's sequence is a whole doc: python-crfsuite converts its ~25,000 attribute
    strings and runs a forward-backward pass one token at a time; here a token's scores are
    one weight lookup per attribute and forward-backward runs in blocks
    (``CrfModel.chain_marginals``). Posterior decoding needs no Viterbi path."""

    def __init__(
        self,
        model: CrfModel,
        xseq: Sequence[Iterable[str]] = (),
        scores: np.ndarray | None = None,
    ) -> None:
        """The marginals of ``xseq`` (attribute lists), or of its state ``scores`` when
        given (``quotes.scoring``)."""
        self.model = model
        self.scores = model.sequence_scores(xseq) if scores is None else scores
        self.probs = model.chain_marginals(self.scores)
        self._col = {y: j for j, y in enumerate(model.labels)}
        self._by_label = self.probs.T.tolist()

    def labels(self) -> list[str]:
        return list(self.model.labels)

    def column(self, label: str) -> list[float]:
        """P(label) of every token."""
        return self._by_label[self._col[label]]

    def marginal(self, label: str, t: int) -> float:
        return self._by_label[self._col[label]][t]

    def tag(self, xseq: object = None) -> list[str]:
        """The Viterbi labels of the sequence."""
        (path,) = self.model.viterbi(self.scores, [len(self.scores)])
        return [self.model.labels[y] for y in path]


def tag(
    crf: pycrfsuite.Tagger | Posterior, xseq: list[list[str]], alpha: float | None = None
) -> Tagged:
    """Labels by posterior: a token is ``O`` only when ``alpha`` * P(O) beats every other label.

    Viterbi is cautious where statements are rare; weighing ``O`` down trades a little
    precision for recall, which the task's per-statement scoring rewards. A token whose P(O)
    is high enough that no other label can win skips the other marginals (speed). The
    tagger keeps this sequence, so ``crf.marginal`` can be asked about it afterwards (a
    ``Posterior`` holds the marginals of ``xseq`` already).
    """
    alpha = ALPHA if alpha is None else alpha
    if isinstance(crf, Posterior):
        p_os = list(crf.column("O"))
        if alpha >= 1.0:
            return Tagged(crf.tag(), p_os)
    else:
        best = crf.tag(xseq)
        p_os = [crf.marginal("O", t) for t in range(len(best))]
        if alpha >= 1.0:
            return Tagged(best, p_os)
    sure = 1.0 / (1.0 + alpha)
    known = [
        y for y in LABELS if y != "O" and y in set(crf.labels())
    ]  # a small corpus may lack one
    if isinstance(crf, Posterior) and known and len(p_os):
        # all tokens at once: the first label of ``known`` with the highest marginal, as
        # ``max`` below picks it, kept where it beats alpha * P(O) and P(O) < sure
        probs = crf.probs[:, [crf._col[y] for y in known]]
        if np.isfinite(crf.probs).all():
            p_o = np.asarray(p_os)
            top = probs.argmax(axis=1)
            best = probs[np.arange(len(top)), top]
            keep = (p_o < sure) & (best > alpha * p_o)
            names = np.asarray(known, dtype=object)
            return Tagged(np.where(keep, names[top], "O").tolist(), p_os)
    out = []
    for t, p_o in enumerate(p_os):
        if p_o >= sure:
            out.append("O")
            continue
        scores = {y: crf.marginal(y, t) for y in known}
        top = max(scores, key=scores.__getitem__)
        out.append(top if scores[top] > alpha * p_o else "O")
    return Tagged(out, p_os)


def train(
    xseqs: Iterable[list[list[str]]], yseqs: Iterable[list[str]], out: str | Path, **params: object
) -> Path:
    """Train a CRF on (features, labels) per doc and write it to ``out`` (deterministic L-BFGS)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xseqs, yseqs, strict=True):
        trainer.append(x, y)
    trainer.set_params({**PARAMS, **params})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


@cache
def tagger(path: str) -> pycrfsuite.Tagger:
    """The CRF stored at ``path`` (opened once per process)."""
    t = pycrfsuite.Tagger()
    t.open(path)
    return t


@cache
def crf_model(path: str) -> CrfModel:
    """The CRF stored at ``path`` read into numpy (once per process; ``Posterior``)."""
    return CrfModel.read(path)


__all__ = [
    "LABELS",
    "Marginals",
    "Posterior",
    "Roles",
    "Tagged",
    "combine",
    "crf_model",
    "decode",
    "labels_of",
    "tag",
    "tagger",
    "train",
]
