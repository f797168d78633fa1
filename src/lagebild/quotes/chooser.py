"""Second-stage speaker choice: rank candidate speaker spans per statement with a small linear model.

The CRF labels speaker tokens one by one and decoding attaches runs by sentence and distance,
so a statement often ends up with the wrong run (a neighbour's speaker, an object near the
cue) or none. Here every statement gets a handful of candidates — runs of tokens the CRF gave
some speaker probability (in its sentences and the two before), the speaker decoding chose,
the rules' speaker for the same message, and the previous statement's speaker — each
described by the CRF's confidence, position relative to message and cue (sentence offset,
side, distance, commas between) and its shape (pronoun, role noun, capitalised, length). A
logistic regression scores them; the best one becomes the speaker when its probability
reaches the model's threshold, otherwise the statement keeps no speaker (a wrong speaker
costs precision, a missing one does not). The chosen run loses end tokens the CRF barely
sees as speaker ("General Sonthi einen Zeitraum") and is carried on to the end of its noun
phrase ("Vatikansprecher" -> "Vatikansprecher Navarro-Valls"), as the annotators mark it.

The weights are learned in ``learned.fit`` from statements the CRF found on documents it was
not trained on (a two-way split of the training documents), so the CRF's confidence on
unseen text is what the ranker learns to trust. Prediction is a dot product (no scikit-learn
at run time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from lagebild.linear import logistic
from lagebild.quotes.extract import Attribution
from lagebild.quotes.phrases import np_after
from lagebild.quotes.view import View

LOW = 0.03  # P(S) + P(SM) a token needs to seed or extend a candidate run
BACK = 2  # sentences before the statement's first sentence searched for candidates
THRESHOLD = 0.25  # default probability the best candidate needs to become the speaker
TRIM = 0.3  # end tokens of the chosen run below this share of its best P(source) are cut
EXTEND = True  # the chosen run is carried on to the end of its noun phrase


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible speaker span of a statement and its features."""

    tokens: tuple[int, ...]
    feats: dict[str, float]


@dataclass(frozen=True, slots=True)
class Weights:
    """A trained linear scorer: feature weights, bias and the decision threshold."""

    coef: Mapping[str, float]
    bias: float
    threshold: float = THRESHOLD

    def prob(self, feats: Mapping[str, float]) -> float:
        return logistic(self.coef, feats, self.bias)


def _bucket(d: int) -> str:
    if d <= 2:
        return str(d)
    return "3-5" if d <= 5 else ("6-10" if d <= 10 else "11+")


def _clean(v: View, run: Sequence[int]) -> tuple[int, ...]:
    out = list(run)
    while out and not v.text[out[0]][:1].isalnum():
        out.pop(0)
    while out and not v.text[out[-1]][:1].isalnum():
        out.pop()
    return tuple(out)


def _runs(v: View, p: Callable[[int], float], lo: int, hi: int) -> list[tuple[int, ...]]:
    """Maximal runs of tokens in [lo, hi) with P(source) >= LOW, within one sentence."""
    out: list[list[int]] = []
    for t in range(lo, hi):
        if p(t) < LOW:
            continue
        if out and out[-1][-1] == t - 1 and v.sent[t - 1] == v.sent[t]:
            out[-1].append(t)
        else:
            out.append([t])
    return [r for r in (_clean(v, run) for run in out) if r]


def _describe(
    v: View,
    p: Callable[[int], float],
    att: Attribution,
    toks: tuple[int, ...],
    origin: set[str],
) -> dict[str, float]:
    lex = v.lex
    msg = att.message
    ps = [p(t) for t in toks]
    pmax = max(ps)
    f: dict[str, float] = {"p_max": pmax, "p_mean": sum(ps) / len(ps), "kind=" + att.kind: 1.0}
    f["pb=" + next(b for b in ("0.9", "0.6", "0.3", "0.1", "0.03", "0") if pmax >= float(b))] = 1.0
    for o in origin:
        f[o] = 1.0
    si = v.sent[msg[0]]
    ds = v.sent[toks[0]] - si
    ds_key = "ds=" + (str(ds) if -BACK <= ds <= 1 else "far")
    f[ds_key] = 1.0
    inside = sum(1 for t in toks if msg[0] <= t <= msg[-1])
    side = "in" if inside else ("before" if toks[-1] < msg[0] else "after")
    f["side=" + side] = 1.0
    d = min(abs(t - m) for t in (toks[0], toks[-1]) for m in (msg[0], msg[-1]))
    f["md=" + _bucket(d)] = 1.0
    if att.cue:
        c = att.cue[0] if toks[0] > att.cue[-1] else att.cue[-1] if toks[-1] < att.cue[0] else -1
        if c < 0:
            f["c_over"] = 1.0
        else:
            a, b = sorted((c, toks[0] if toks[0] > c else toks[-1]))
            f["cd=" + _bucket(b - a)] = 1.0
            f["cside=" + ("after" if toks[0] > c else "before")] = 1.0
            commas = sum(1 for k in range(a, b) if v.text[k] == ",")
            f["cc=" + str(min(commas, 2))] = 1.0
            f["csent=" + str(v.sent[c] == v.sent[toks[0]])] = 1.0
    else:
        f["nocue"] = 1.0
        f["nocue|" + ds_key] = 1.0
        f["nocue|side=" + side] = 1.0
    first = toks[0]
    low = v.low[first]
    f["len=" + _bucket(len(toks))] = 1.0
    if first == v.bounds[v.sent[first]][0]:
        f["sstart"] = 1.0
    if len(toks) == 1 and low in lex.pronouns:
        f["pron"] = 1.0
    if low in lex.cls("determiners"):
        f["det"] = 1.0
    if any(v.text[t][:1].isupper() and lex.role_kind(v.text[t]) is not None for t in toks):
        f["role"] = 1.0
    if not v.text[toks[-1]][:1].isupper():
        f["lowend"] = 1.0
    if first > 0 and v.low[first - 1] in lex.cls("prepositions"):
        f["afterprep"] = 1.0
    return f


def candidates(
    v: View,
    p: Callable[[int], float],
    att: Attribution,
    rule_source: tuple[int, ...],
    prev_source: tuple[int, ...],
) -> list[Candidate]:
    """The speaker candidates of ``att`` (see the module docstring), each with its features."""
    si = v.sent[att.message[0]]
    lo = v.bounds[max(0, si - BACK)][0]
    hi = v.bounds[v.sent[att.message[-1]]][1]
    found: dict[tuple[int, ...], set[str]] = {}
    for run in _runs(v, p, lo, hi):
        found.setdefault(run, set()).add("crf")
    for name, toks in (("cur", att.source), ("rule", rule_source), ("prev", prev_source)):
        if toks:
            found.setdefault(tuple(toks), set()).add(name)
    out = []
    cur = set(att.source)
    ranked = sorted(found, key=lambda r: -max(p(t) for t in r))
    for rank, toks in enumerate(ranked):
        origin = found[toks]
        if "cur" not in origin and cur.intersection(toks):
            origin = origin | {"cur_ov"}
        f = _describe(v, p, att, toks, origin)
        f["rank=" + str(min(rank, 2))] = 1.0
        out.append(Candidate(toks, f))
    return out


def _rule_source(att: Attribution, rules: Sequence[Attribution]) -> tuple[int, ...]:
    msg = set(att.message)
    best = max(rules, key=lambda a: len(msg.intersection(a.message)), default=None)
    if best is None or not msg.intersection(best.message):
        return ()
    return best.source


def each(
    v: View,
    p: Callable[[int], float],
    atts: Sequence[Attribution],
    rules: Sequence[Attribution],
) -> list[tuple[Attribution, list[Candidate]]]:
    """Every outer statement with its candidates (the previous speaker is the decoded one)."""
    out = []
    prev: tuple[int, ...] = ()
    for att in atts:
        if att.nested:
            continue
        out.append((att, candidates(v, p, att, _rule_source(att, rules), prev)))
        if att.source:
            prev = att.source
    return out


def _trim(p: Callable[[int], float], run: tuple[int, ...]) -> tuple[int, ...]:
    """``run`` without end tokens the CRF barely sees as speaker ("General Sonthi einen Zeitraum")."""
    if len(run) < 2:
        return run
    cut = TRIM * max(p(t) for t in run)
    a, b = 0, len(run)
    while a < b and p(run[a]) < cut:
        a += 1
    while b > a and p(run[b - 1]) < cut:
        b -= 1
    return run[a:b]


def _extend(v: View, att: Attribution, src: tuple[int, ...]) -> tuple[int, ...]:
    """``src`` run on to the end of its noun phrase ("Vatikansprecher" -> "Vatikansprecher
    Navarro-Valls"), never into the message or the cue."""
    if not src:
        return src
    s1 = v.bounds[v.sent[src[0]]][1]
    stops = [t for t in (*att.message, *att.cue) if t > src[-1]]
    ends = [s1, *stops]  # named: Cython refuses the starred list inside min()
    end = min(ends)
    np = np_after(v, src[0], end)
    if np is None or np[0] != src[0] or np[1] <= src[-1] + 1:
        return src
    return tuple(range(src[0], np[1]))


def choose(
    v: View,
    p: Callable[[int], float],
    atts: Sequence[Attribution],
    rules: Sequence[Attribution],
    weights: Weights,
) -> list[Attribution]:
    """``atts`` with each speaker chosen by ``weights`` (see the module docstring)."""
    chosen: dict[int, tuple[int, ...]] = {}
    for att, cands in each(v, p, atts, rules):
        best, best_p = (), weights.threshold
        for c in cands:
            q = weights.prob(c.feats)
            if q >= best_p:
                best, best_p = c.tokens, q
        chosen[id(att)] = _trim(p, best)
    out = []
    for att in atts:
        if id(att) not in chosen:
            out.append(att)
            continue
        src = _extend(v, att, chosen[id(att)]) if EXTEND else chosen[id(att)]
        kind = att.kind
        if kind == "reported" and not set(src) <= set(att.message):
            kind = "indirect"
        out.append(replace(att, source=src, kind=kind))
    return out


def fit_weights(examples: Sequence[tuple[dict[str, float], int]], c: float = 1.0) -> Weights:
    """A logistic regression over candidate features (scikit-learn, training time only)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([f for f, _ in examples])
    y = [lab for _, lab in examples]
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit(x, y)
    names = vec.get_feature_names_out()
    coef = {str(n): round(float(w), 5) for n, w in zip(names, lr.coef_[0], strict=True) if w}
    return Weights(coef, round(float(lr.intercept_[0]), 5))


__all__ = ["Candidate", "Weights", "candidates", "choose", "each", "fit_weights"]
