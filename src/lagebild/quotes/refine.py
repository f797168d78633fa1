"""Second pass over the CRF's statements: drop the unsure bare ones, find missing speakers.

The SpkAtt score averages per statement, so a statement found without its speaker loses the
whole source recall of that statement, and a statement with neither cue nor speaker that the
CRF was unsure about is mostly a false message. After decoding (``tagger.decode``) we

- drop a statement with neither cue nor speaker whose message tokens have a mean
  P(not O) below ``MIN_CONF`` (``MIN_CONF_CUELESS`` when it has a speaker but no cue);
- read "X will nicht antreten. Dies teilte Y mit." as one statement (``anaphoric``);
- give a statement without speaker the best speaker run the CRF saw below its threshold: the
  token with the highest P(S) + P(SM) in the statement's first sentence or the one before
  (``RESCUE``), widened to its neighbours above half that.

After the second stage, ``boundaries`` cuts each message the way the SpkAtt annotators do,
where the CRF's token-by-token labels stray: a "laut X" / "X zufolge" statement is its
sentence (or comma clause) but the attribution; a message before ", sagte X" starts at the
sentence start, one after "X sagte," runs to the sentence end; and a message with a cue ends
before the full stop while a whole cue-less sentence keeps it.

Tried and left out (5-fold CV on SpkAtt train): inheriting the previous speaker further than
``tagger.INHERIT`` or for statements with a cue (source precision falls more than recall
rises), turning sentences with a cue but no message into reported statements, and giving
speakerless or whole-sentence messages their sentence's full stop (before the annotation
convention was applied to all statements, ``full_stops``), and stretching every cue-less
statement that holds most of its sentence to the whole sentence (-0.1 message F1).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from lagebild.quotes.extract import Attribution
from lagebild.quotes.tagger import Marginals, Tagged
from lagebild.quotes.view import END_PUNCT, View

# thresholds tuned by 5-fold CV on SpkAtt train (see models/quotes-de/MODEL_CARD.md)
MIN_CONF = 0.6  # mean P(not O) a statement with neither cue nor speaker needs to be kept
MIN_CONF_CUELESS = 0.4  # the same for a statement with a speaker but no cue
MIN_CONF_ALL = 0.0  # the same for every statement (0: off; any cut costs more recall)
ANAPHORA = True  # "…. Dies teilte X mit." (see ``anaphoric``)
RESCUE = 0.15  # P(S) + P(SM) a below-threshold speaker token needs (1.0: off)


def _p_source(crf: Marginals, t: int, labels: Sequence[str]) -> float:
    return sum(crf.marginal(y, t) for y in labels)


def _rescue(v: View, crf: Marginals, att: Attribution, taken: set[int]) -> tuple[int, ...]:
    """The most likely speaker run near ``att`` that decoding left out, or ()."""
    si = v.sent[att.message[0]]
    lo = v.bounds[max(0, si - 1)][0]
    hi = v.bounds[v.sent[att.message[-1]]][1]
    best, best_p = -1, RESCUE
    labels = [y for y in ("S", "SM") if y in set(crf.labels())]  # a small corpus may lack SM
    probs: dict[int, float] = {}
    for t in range(lo, hi):
        if t in taken or not v.text[t][:1].isalnum():
            continue
        p = _p_source(crf, t, labels)
        probs[t] = p
        if p > best_p:
            best, best_p = t, p
    if best < 0:
        return ()
    run = [best]
    for step in (-1, 1):
        t = best + step
        while 0 <= t < len(v) and v.sent[t] == v.sent[best]:
            p = probs.get(t)
            if p is None and v.text[t][:1].isalnum():
                break
            if p is not None and p < best_p / 2:
                break
            run.append(t)
            t += step
    run.sort()
    while run and not v.text[run[0]][:1].isalnum():
        run.pop(0)
    while run and not v.text[run[-1]][:1].isalnum():
        run.pop()
    return tuple(run)


ANAPHORS = frozenset({"dies", "das"})


def anaphoric(v: View, labels: Sequence[str], atts: Sequence[Attribution]) -> list[Attribution]:
    """``atts`` plus "X will nicht antreten. Dies teilte Y mit." read as one statement.

    A sentence that opens with "Dies"/"Das" and a verb and holds a cue (the CRF's, else a
    lexicon verb of saying) but no message reports the sentence before it, when no statement
    covers that one: the message is that sentence plus the pronoun, the cue and speaker the
    CRF's runs in the reporting sentence (the speaker ranker may still choose another).
    """
    covered = {v.sent[m] for a in atts for m in a.message}
    out = list(atts)
    for si in range(1, len(v.bounds)):
        s0, s1 = v.bounds[si]
        if s1 - s0 < 3 or v.low[s0] not in ANAPHORS or v.cap(s0 + 1):
            continue
        if si in covered or si - 1 in covered:
            continue
        cue = [t for t in range(s0, s1) if labels[t] == "C"]
        if not cue:
            cue = [t for t in range(s0 + 1, s1) if v.lemma[t] in v.lex.cues and not v.cap(t)][:1]
        if not cue:
            continue
        p0, p1 = v.trim(*v.bounds[si - 1])
        if p1 - p0 < 3:
            continue
        source = tuple(t for t in range(s0, s1) if labels[t] in ("S", "SM"))
        msg = (*range(p0, p1), s0)
        out.append(Attribution("indirect", msg, tuple(cue), source))
    return sorted(out, key=lambda a: a.message[0])


def refine(
    v: View, tagged: Tagged, crf: Marginals, atts: Sequence[Attribution]
) -> list[Attribution]:
    """``atts`` after the two steps of the module docstring (``crf`` holds this doc)."""
    out: list[Attribution] = []
    for att in atts:
        need = MIN_CONF_ALL
        if not att.cue:
            need = max(need, MIN_CONF if not att.source else MIN_CONF_CUELESS)
        if need > 0:
            conf = sum(1.0 - tagged.p_o[m] for m in att.message) / len(att.message)
            if conf < need:
                continue
        out.append(att)
    if ANAPHORA:
        out = anaphoric(v, tagged.labels, out)
    if RESCUE < 1.0:
        taken = {t for a in out for t in (*a.cue, *a.source)}
        for i, att in enumerate(out):
            if att.source or att.nested:
                continue
            run = _rescue(v, crf, att, taken)
            if run:
                out[i] = replace(att, source=run)
                taken.update(run)
    return out


_ATTRIBUTING = frozenset({"laut", "zufolge", "gemäß"})


def _held_by_others(atts: Sequence[Attribution], i: int) -> set[int]:
    """Tokens any statement but the ``i``-th holds as message, cue or source: a boundary step
    leaves a sentence alone when another statement shares it."""
    return {t for k, a in enumerate(atts) if k != i for t in (*a.message, *a.cue, *a.source)}


def _before_full_stop(v: View, s1: int) -> int:
    """The end of a sentence ending at ``s1``, its closing punctuation left out."""
    return s1 - 1 if v.text[s1 - 1] in END_PUNCT else s1


def _attributing(v: View, att: Attribution) -> bool:
    """Whether ``att`` is reported by "laut X", "X zufolge", "gemäß X" or "nach Angaben X"."""
    lows = {v.low[c] for c in att.cue}
    if lows & _ATTRIBUTING:
        return True
    nouns = v.lex.attribution_nouns
    return "nach" in lows and any(v.text[t] in nouns for t in (*att.source, *att.cue))


def lone_attributions(
    v: View, atts: Sequence[Attribution]
) -> Iterator[tuple[int, Attribution, int, int, set[int]]]:
    """The "laut X" / "X zufolge" / "nach Angaben X" statements that are alone in the one
    sentence they lie in: (index, statement, sentence start, end before its full stop, the
    cue and source tokens). Others of ``atts`` decide, not what a caller has replaced."""
    for i, att in enumerate(atts):
        if att.nested or not att.cue or not _attributing(v, att):
            continue
        si = v.sent[att.cue[0]]
        if any(v.sent[m] != si for m in att.message):
            continue
        s0, s1 = v.bounds[si]
        if _held_by_others(atts, i).intersection(range(s0, s1)):
            continue
        yield i, att, s0, _before_full_stop(v, s1), {*att.cue, *att.source}


def attribution_sentences(v: View, atts: Sequence[Attribution]) -> list[Attribution]:
    """A statement reported by "laut X" / "X zufolge" / "nach Angaben X" is its whole sentence
    but the attribution ("Die Beschneidung verringert neuesten Studien zufolge das Risiko":
    the words on both sides), as in 252 of 340 such gold statements on SpkAtt train; the
    CRF often keeps one side only. Left alone when another statement shares the sentence."""
    out = list(atts)
    for i, att, s0, stop, role in lone_attributions(v, atts):
        # "…, da nach Angaben X die Genehmigung zu spät beantragt worden war, …": the clause
        c0, c1 = min(role), max(role)
        left = [t for t in range(s0, c0) if v.text[t] == ","]
        right = [t for t in range(c1, stop) if v.text[t] == ","]
        if left and right:
            s0, stop = left[-1] + 1, right[0]
        msg = tuple(t for t in range(s0, stop) if t not in role)
        if len(msg) >= len(att.message):
            out[i] = replace(att, message=msg)
    return out


def postposed(v: View, atts: Sequence[Attribution]) -> list[Attribution]:
    """A statement whose cue follows it after a comma ("Die Grenzen werden geschlossen,
    kündigte die Regierung an") runs from the sentence start to that comma (144 of 146 such
    gold statements on SpkAtt train start at the sentence start)."""
    out = list(atts)
    for i, att in enumerate(atts):
        if att.nested or not att.cue or not att.message:
            continue
        role = (*att.cue, *att.source)
        first = min(role)
        si = v.sent[first]
        s0 = v.bounds[si][0]
        msg = att.message
        if msg[0] < s0 or msg[-1] >= first:
            continue
        commas = [t for t in range(msg[-1], first) if v.text[t] == ","]
        if not commas:
            continue
        others = _held_by_others(atts, i)
        if others.intersection(range(s0, commas[-1])):
            continue
        new = tuple(range(s0, commas[-1]))
        if len(new) >= len(msg):
            out[i] = replace(att, message=new)
    return out


def preposed(v: View, atts: Sequence[Attribution]) -> list[Attribution]:
    """A statement whose cue precedes it before a comma ("Kirby sagte, Russland habe …")
    runs from that comma to the sentence end (730 of 793 such gold statements on SpkAtt
    train end at the full stop)."""
    out = list(atts)
    for i, att in enumerate(atts):
        if att.nested or not att.cue or not att.message:
            continue
        last = max((*att.cue, *att.source))
        s1 = v.bounds[v.sent[last]][1]
        msg = att.message
        if msg[0] <= last or msg[-1] >= s1:
            continue
        commas = [t for t in range(last, msg[0]) if v.text[t] == ","]
        if not commas:
            continue
        stop = _before_full_stop(v, s1)
        others = _held_by_others(atts, i)
        if others.intersection(range(commas[0], stop)):
            continue
        new = tuple(range(commas[0] + 1, stop))
        if len(new) >= len(msg):
            out[i] = replace(att, message=new)
    return out


def full_stops(v: View, atts: Sequence[Attribution]) -> list[Attribution]:
    """Each message's closing full stop as the SpkAtt annotators mark it.

    A statement with a cue ends before the sentence's full stop ("Kirby sagte, Russland habe
    Munition erhalten" — 1,236 of 1,245 such gold messages on SpkAtt train); a statement
    without one that is a whole sentence (reported speech, a follow-on sentence) takes it
    (616 of 620). The CRF labels that one token inconsistently.
    """
    out = []
    for att in atts:
        msg = att.message
        if att.nested or not msg:
            out.append(att)
            continue
        s0, s1 = v.bounds[v.sent[msg[-1]]]
        stop = s1 - 1
        has_cue = bool(att.cue) and att.kind != "reported"
        if v.text[stop] not in END_PUNCT or stop <= s0:
            out.append(att)
        elif has_cue and msg[-1] == stop and len(msg) > 2:
            out.append(replace(att, message=msg[:-1]))
        elif not has_cue and msg[-1] == stop - 1 and msg[0] == s0:
            out.append(replace(att, message=(*msg, stop)))
        else:
            out.append(att)
    return out


def boundaries(v: View, atts: Sequence[Attribution]) -> list[Attribution]:
    """The final statements' messages cut as the annotators cut them (the four steps above),
    then their sources and clauses (``quotes.spans``)."""
    from lagebild.quotes.spans import spans

    return spans(v, full_stops(v, preposed(v, postposed(v, attribution_sentences(v, atts)))))


__all__ = [
    "attribution_sentences", "boundaries", "full_stops", "postposed", "preposed", "refine",
]  # fmt: skip
