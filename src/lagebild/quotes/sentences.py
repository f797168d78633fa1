"""Cue-less statements: sentences the tagger left empty that still report what someone said.

SpkAtt annotates reported speech without a complement clause as a statement of its own
("Die Richter weisen auf die fehlende Rechtsgrundlage hin.", "Müntefering sprach von einem
Riesenerfolg.") and so a cue-less follow-on sentence in Konjunktiv after a statement ("Zum
anderen stehe diese Befugnis im Widerspruch …"). The CRF finds most statements by their cue
or clause and misses many of these: on the out-of-fold predictions of SpkAtt train, a gold
statement covered no predicted token in 259 sentences. Every sentence no found statement
touches is described here (the CRF's and, in encoder mode, the head's confidence over it,
verbs of saying and Konjunktiv in it, statements in the sentences around it, length), and a
logistic regression trained like the statement screen (on sentences of documents the CRF did
not see) says whether it holds a statement. A kept sentence becomes one statement over the
whole sentence whose speaker is its grammatical subject ("Die deutschen Brauer warnen vor …",
"… sprach die Nachrichtenagentur Reuters von …"), or none when there is no plain one.
"""

from __future__ import annotations

from collections.abc import Sequence

from lagebild.quotes.chooser import Weights
from lagebild.quotes.extract import Attribution
from lagebild.quotes.phrases import np_after, np_before
from lagebild.quotes.spans import object_cut
from lagebild.quotes.speaker_type import _is_noun
from lagebild.quotes.view import OPENERS, View

THRESHOLD = 0.55  # P a sentence needs (chosen on SpkAtt CV folds 1-3; folds 4-5 held out)
MIN_TOKENS = 3
_CUTS = ("0.9", "0.7", "0.5", "0.3", "0.15", "0")
_HEAD_LABELS = ("M", "SM", "S", "C", "B")


def _bucket(x: float) -> str:
    return next(b for b in _CUTS if x >= float(b))


def _length(n: int) -> str:
    return "1-5" if n <= 5 else "6-12" if n <= 12 else "13-25" if n <= 25 else "26+"


def candidates(v: View, found: Sequence[Attribution]) -> list[int]:
    """Sentences (by number) that no message of ``found`` touches and are long enough."""
    busy = {v.sent[m] for a in found for m in a.message}
    return [si for si, (a, b) in enumerate(v.bounds) if si not in busy and b - a >= MIN_TOKENS]


def describe(
    v: View,
    si: int,
    p_o: Sequence[float],
    extra: Sequence[list[str]] | None,
    found: Sequence[Attribution],
    konj: Sequence[bool],
) -> dict[str, float]:
    """Features of sentence ``si`` (``found``: the statements the tagger found in the doc)."""
    a, b = v.bounds[si]
    f: dict[str, float] = {}
    conf = [1.0 - p_o[t] for t in range(a, b)]
    f["crf_mean=" + _bucket(sum(conf) / len(conf))] = 1.0
    f["crf_max=" + _bucket(max(conf))] = 1.0
    if extra is not None:
        for lab in _HEAD_LABELS:
            top = f"nn={lab}"
            share = sum(1 for t in range(a, b) if top in extra[t]) / (b - a)
            if share:
                f[f"nn_share_{lab}=" + _bucket(share)] = 1.0
            prefix = f"nn{lab}>"
            cuts = [
                float(x[len(prefix) :])
                for t in range(a, b)
                for x in extra[t]
                if x.startswith(prefix)
            ]
            if cuts:
                f[f"nn_max_{lab}={max(cuts)}"] = 1.0
    f["konj=" + str(min(sum(konj[a:b]), 2))] = 1.0
    f["len=" + _length(b - a)] = 1.0
    cues = [t for t in range(a, b) if v.lemma[t] in v.lex.cues and not v.cap(t)]
    if cues:
        f["scue"] = 1.0
    for t in cues:
        f["cl=" + v.lemma[t].lower()] = 1.0
    if any(v.text[t] in OPENERS for t in range(a, b)):
        f["quote"] = 1.0
    if si == 0:
        f["first"] = 1.0
    kinds: dict[int, str] = {}
    for att in found:
        for m in att.message:
            kinds[v.sent[m]] = att.kind
    if si - 1 in kinds:
        f["pbusy"] = 1.0
        f["pkind=" + kinds[si - 1]] = 1.0
    if si - 2 in kinds:
        f["p2busy"] = 1.0
    if si + 1 in kinds:
        f["nbusy"] = 1.0
    if si > 0 and v.text[v.bounds[si - 1][1] - 1] == ":":
        f["pcolon"] = 1.0
    if v.text[b - 1] == "?":
        f["question"] = 1.0
    return f


def _finite(v: View, a: int, b: int, konj: Sequence[bool]) -> int | None:
    """The first finite verb of the sentence's main clause (None past a comma)."""
    lex = v.lex
    verbs = lex.cls("finite") | lex.cls("auxiliaries")
    for t in range(a + 1, b):
        if v.text[t] in {",", ":", ";"}:
            return None
        if v.cap(t):
            continue
        if v.low[t] in verbs or v.lemma[t] in lex.cues or konj[t]:
            return t
    return None


def subject(v: View, a: int, b: int, konj: Sequence[bool]) -> tuple[int, ...]:
    """The grammatical subject of sentence [a, b): the phrase that opens it right before the
    finite verb, else the phrase right after that verb; () when neither names anyone."""
    f = _finite(v, a, b, konj)
    if f is None:
        return ()
    span = np_before(v, a, f)
    if span is None or span[0] > a + 1 or span[1] != f:
        span = np_after(v, f + 1, b)
        if span is None or span[0] != f + 1:
            return ()
    s, e = span
    if not any(_is_noun(v, t) for t in range(s, e)) and v.low[s] not in v.lex.pronouns:
        return ()  # "Dabei soll …": an adverb, no subject
    att = Attribution("reported", tuple(range(a, b)), (), tuple(range(s, e)))
    return object_cut(v, [att])[0].source  # "… will der Bürgermeister eine Vorlage …"


def examples(
    v: View,
    found: Sequence[Attribution],
    p_o: Sequence[float],
    extra: Sequence[list[str]] | None,
    gold_messages: Sequence[Sequence[int]],
) -> list[tuple[dict[str, float], int]]:
    """Training rows: each candidate sentence, positive when a gold message covers at least
    half of it and lies at least half in it."""
    konj = v.konjunktiv()
    out = []
    for si in candidates(v, found):
        a, b = v.bounds[si]
        sent = set(range(a, b))
        hit = any(
            2 * len(sent.intersection(m)) >= max(len(sent), len(m)) for m in gold_messages if m
        )
        out.append((describe(v, si, p_o, extra, found, konj), int(hit)))
    return out


def detect(
    v: View,
    found: Sequence[Attribution],
    p_o: Sequence[float],
    extra: Sequence[list[str]] | None,
    weights: Weights,
) -> list[Attribution]:
    """The statements ``weights`` finds in the sentences ``found`` leaves empty."""
    konj = v.konjunktiv()
    out = []
    for si in candidates(v, found):
        if weights.prob(describe(v, si, p_o, extra, found, konj)) >= weights.threshold:
            a, b = v.bounds[si]
            out.append(Attribution("reported", tuple(range(a, b)), (), subject(v, a, b, konj)))
    return out


__all__ = ["THRESHOLD", "candidates", "describe", "detect", "examples", "subject"]
