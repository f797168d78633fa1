"""Statement screen: drop found statements that a small linear model judges to be no statement.

The CRF's posterior decoding favours recall, and ``refine`` drops only bare statements with a
low mean confidence. Here every found statement is described by more than its confidence —
the weakest token, cue and speaker present, the rules' reading of the same tokens, Konjunktiv
and quotation marks in the message, length, form, the best speaker candidate's CRF
probability, and in encoder mode the head's own view of the message (``head_share``) — and a
logistic regression (``chooser.Weights``) trained like the speaker ranker
(on statements found in documents the CRF did not see) gives the probability that a gold
statement overlaps it. Statements below the threshold are dropped: an unmatched statement
costs precision on message, cue and speaker alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lagebild.quotes.chooser import Weights
from lagebild.quotes.extract import Attribution
from lagebild.quotes.view import CLOSERS, OPENERS, View

THRESHOLD = 0.45  # probability a statement needs to be kept (5-fold CV on SpkAtt train)
_HEAD_MESSAGE = ("nnM>", "nnSM>")


def _bucket(x: float) -> str:
    return next(b for b in ("0.95", "0.9", "0.8", "0.7", "0.6", "0.5", "0") if x >= float(b))


def _head_bucket(x: float) -> str:
    return next(b for b in ("0.9", "0.7", "0.5", "0.3", "0.1", "0") if x >= float(b))


def head_share(att: Attribution, extra: Sequence[list[str]]) -> float:
    """The share of the message's tokens to which the encoder head gives message (M or SM)
    any probability (its lowest bucket, 0.05, and up: "nnM>0.05", ``encoded.head_features``).

    The CRF reads the head's labels token by token, next to its other features; a statement
    whose message the head hardly sees as one is mostly a false one (on SpkAtt CV folds 1-3
    the screen with this feature: message 78.37 -> 78.8; folds 4-5, held out: 76.5 -> 77.0).
    """
    seen = sum(1 for m in att.message if any(x.startswith(_HEAD_MESSAGE) for x in extra[m]))
    return seen / len(att.message)


def describe(
    v: View,
    att: Attribution,
    p_o: Sequence[float],
    p: Callable[[int], float],
    rules: Sequence[Attribution],
    busy: frozenset[int] = frozenset(),
    extra: Sequence[list[str]] | None = None,
) -> dict[str, float]:
    """Features of one statement (``busy``: sentences holding other statements; ``extra``: the
    encoder head's features per token, encoder mode only)."""
    msg = att.message
    conf = [1.0 - p_o[m] for m in msg]
    mean = sum(conf) / len(conf)
    f: dict[str, float] = {"conf": mean, "conf_min": min(conf), "kind=" + att.kind: 1.0}
    f["cb=" + _bucket(mean)] = 1.0
    f["cue" if att.cue else "nocue"] = 1.0
    f["src" if att.source else "nosrc"] = 1.0
    f[("cue" if att.cue else "nocue") + ("|src" if att.source else "|nosrc")] = 1.0
    if att.source:
        f["src_p=" + _bucket(max(p(t) for t in att.source))] = 1.0
    n = len(msg)
    f["len=" + ("1-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+")] = 1.0
    sents = {v.sent[m] for m in msg}
    f["sents=" + str(min(len(sents), 3))] = 1.0
    s0, s1 = v.bounds[v.sent[msg[0]]]
    if msg[0] == s0 and len(sents) == 1 and msg[-1] >= s1 - 2:
        f["whole"] = 1.0
    if v.text[msg[0]] in OPENERS or (msg[0] > 0 and v.text[msg[0] - 1] in OPENERS):
        f["open"] = 1.0
    if v.text[msg[-1]] in CLOSERS:
        f["close"] = 1.0
    konj = sum(1 for m in msg if v.is_konjunktiv(m))
    f["konj=" + str(min(konj, 2))] = 1.0
    mset = set(msg)
    best = max(rules, key=lambda a: len(mset.intersection(a.message)), default=None)
    if best is not None and mset.intersection(best.message):
        share = len(mset.intersection(best.message)) / len(mset)
        f["rule=" + best.kind] = 1.0
        f["rule_share=" + ("hi" if share >= 0.8 else "mid" if share >= 0.4 else "lo")] = 1.0
    else:
        f["norule"] = 1.0
    if att.cue:
        f["cl=" + v.lemma[att.cue[0]].lower()] = 1.0
    si = v.sent[msg[0]]
    cues = v.lex.cues
    for name, k in (("scue", si), ("pcue", si - 1)):
        if k >= 0 and any(
            v.lemma[t] in cues and t not in mset and not v.cap(t) for t in range(*v.bounds[k])
        ):
            f[name] = 1.0
    if si - 1 in busy:
        f["pbusy"] = 1.0
    if si in busy:
        f["sbusy"] = 1.0
    if extra is not None:
        f["head_m=" + _head_bucket(head_share(att, extra))] = 1.0
    return f


def neighbours(atts: Sequence[Attribution], att: Attribution, v: View) -> frozenset[int]:
    """Sentences that hold the messages of the statements other than ``att``."""
    return frozenset(v.sent[m] for a in atts if a is not att for m in (a.message[0], a.message[-1]))


def screen(
    v: View,
    atts: Sequence[Attribution],
    p_o: Sequence[float],
    p: Callable[[int], float],
    rules: Sequence[Attribution],
    weights: Weights,
    extra: Sequence[list[str]] | None = None,
) -> list[Attribution]:
    """``atts`` without the statements ``weights`` gives less than its threshold."""
    return [
        a
        for a in atts
        if a.nested
        or weights.prob(describe(v, a, p_o, p, rules, neighbours(atts, a, v), extra))
        >= weights.threshold
    ]


__all__ = ["THRESHOLD", "describe", "head_share", "neighbours", "screen"]
