"""Token features for the quote tagger: the words, the closed classes, and the rules' own reading.

The CRF (``lagebild.quotes.tagger``) labels every token of a doc as cue, source or message.
Its features are what the rules look at — verbs of saying, Konjunktiv forms, quotation marks,
commas between a token and the nearest cue, "laut"/"zufolge" — plus the rules' output itself
(which role and which construction they gave the token), so the model learns when to trust a
rule and what the rules miss. Everything is computed once per doc in linear time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.view import CLOSERS, OPENERS, View

_PUNCT = frozenset({",", ".", ":", ";", "!", "?", "(", ")", "-", "–", "„", "“", '"', "»", "«"})


_MODAL = frozenset({"soll", "sollen", "sollte", "sollten", "will", "wollen"})  # "X soll …"


@lru_cache(maxsize=65536)
def _is_role(lang: str, word: str) -> bool:
    """Whether a capitalised word is a role noun (pure, and slow enough to be worth a cache)."""
    return lexicon(lang).role_kind(word) is not None


def _shape(w: str) -> str:
    if w[:1].isupper():
        return "Aa" if not w.isupper() or len(w) == 1 else "AA"
    if w[:1].isdigit():
        return "0"
    if w[:1].isalpha():
        return "a"
    return "p"


def _bucket(d: int) -> str:
    if d <= 3:
        return str(d)
    return "4-6" if d <= 6 else ("7-12" if d <= 12 else "13+")


def _rule_roles(n: int, atts: Sequence[Attribution]) -> tuple[list[str], list[str], list[str]]:
    """Per token: the role the rules gave it, the construction, and the quotation fragment mark."""
    role = [""] * n
    kind = [""] * n
    frag = [""] * n
    for att in atts:
        if att.nested:
            for m in att.message:
                frag[m] = "frag"
            continue
        for m in att.message:
            if not role[m]:
                role[m], kind[m] = "M", att.kind
        if att.message:
            role[att.message[0]] = "Mb"
        for s in att.source:
            role[s], kind[s] = "S", att.kind
        for c in att.cue:
            role[c], kind[c] = "C", att.kind
    return role, kind, frag


def in_quotes(v: View) -> list[int]:
    """Per token: 1 inside a matched quotation (marks included), else 0."""
    from lagebild.quotes.extract import quote_spans

    out = [0] * len(v)
    for o, c in quote_spans(v):
        for k in range(o, c + 1):
            out[k] = 1
    return out


def learn_cues(
    docs: Iterable[tuple[View, Sequence[str]]], *, min_count: int = 2, min_rate: float = 0.15
) -> dict[str, str]:
    """Lemmas that the gold marks as cues often enough, with their rate as a coarse grade."""
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for v, labels in docs:
        for lemma, lab in zip(v.lemma, labels, strict=True):
            seen[lemma] += 1
            if lab == "C":
                cue[lemma] += 1
    out = {}
    for lemma, k in cue.items():
        rate = k / seen[lemma]
        if k >= min_count and rate >= min_rate and lemma[:1].isalpha():
            out[lemma] = "hi" if rate >= 0.6 else ("mid" if rate >= 0.35 else "lo")
    return dict(sorted(out.items()))


def features(
    v: View, atts: Sequence[Attribution], learned: Mapping[str, str] | None = None
) -> list[list[str]]:
    """One feature list per token of the doc behind ``v``."""
    n = len(v)
    lex = v.lex
    cues = lex.cues
    learned = learned or {}
    konj = [v.is_konjunktiv(i) for i in range(n)]
    grade = [learned.get(v.lemma[i], "") for i in range(n)]
    iscue = [
        (v.lemma[i] in cues or grade[i] in ("hi", "mid"))
        and not (v.cap(i) and i != v.sentence_start(i))
        for i in range(n)
    ]
    quoted = in_quotes(v)
    role, kind, frag = _rule_roles(n, atts)
    sent_info = []
    sent_cues: list[list[int]] = []
    for s0, s1 in v.bounds:
        sent_cues.append([j for j in range(s0, s1) if grade[j]][:4])
        sent_info.append(
            (
                any(iscue[s0:s1]),
                any(konj[j] and not quoted[j] for j in range(s0, s1)),
                any(quoted[s0:s1]),
                any(role[j] for j in range(s0, s1)),
                any(v.low[j] in _MODAL and not quoted[j] for j in range(s0, s1)),
            )
        )
    # distance and commas to the nearest cue before / after, within the sentence
    prev_cue = [-1] * n
    next_cue = [-1] * n
    commas_before = [0] * n  # commas since sentence start
    for s0, s1 in v.bounds:
        last = -1
        c = 0
        for j in range(s0, s1):
            prev_cue[j] = last
            commas_before[j] = c
            if iscue[j]:
                last = j
            if v.text[j] == ",":
                c += 1
        last = -1
        for j in range(s1 - 1, s0 - 1, -1):
            next_cue[j] = last
            if iscue[j]:
                last = j
    out = []
    attr_before = lex.before
    attr_after = lex.after
    for i in range(n):
        w = v.text[i]
        low = v.low[i]
        si = v.sent[i]
        s0, s1 = v.bounds[si]
        f = [
            "b",
            "w=" + low,
            "l=" + v.lemma[i],
            "s3=" + low[-3:],
            "sh=" + _shape(w),
            "r=" + role[i],
            "rk=" + kind[i] + role[i],
        ]
        if frag[i]:
            f.append("frag")
        if iscue[i]:
            f.append("cue")
        if grade[i]:
            f.append("g=" + grade[i])
        for j in sent_cues[si]:
            if j != i:
                side = "<" if j < i else ">"
                commas = abs(commas_before[j] - commas_before[i])
                f.append(f"sc={v.lemma[j]}{side}{min(commas, 2)}")
                f.append(f"sg={grade[j]}{side}{min(commas, 2)}")
        if konj[i]:
            f.append("konj")
        if quoted[i]:
            f.append("q")
        if w in OPENERS:
            f.append("open")
        elif w in CLOSERS:
            f.append("close")
        if low in attr_before:
            f.append("attrB")
        if low in attr_after:
            f.append("attrA")
        if low in lex.comma_so:
            f.append("so")
        if low in lex.pronouns:
            f.append("pron")
        if w[:1].isupper() and _is_role(lex.lang, w):
            f.append("role")
        if i == s0:
            f.append("first")
        if i == s1 - 1:
            f.append("last")
        has_cue, has_konj, has_q, has_rule, has_modal = sent_info[si]
        f.append(f"sent={int(has_cue)}{int(has_konj)}{int(has_q)}{int(has_rule)}")
        if has_modal:
            f.append(f"modal={int(has_cue)}{int(has_rule)}")
        if si > 0:
            pc, pk, pq, pr, _ = sent_info[si - 1]
            f.append(f"psent={int(pc)}{int(pk)}{int(pq)}{int(pr)}")
        else:
            f.append("psent=none")
        if prev_cue[i] >= 0:
            p = prev_cue[i]
            f.append("pcd=" + _bucket(i - p))
            f.append("pcc=" + str(min(2, commas_before[i] - commas_before[p])))
        if next_cue[i] >= 0:
            q = next_cue[i]
            f.append("ncd=" + _bucket(q - i))
            f.append("ncc=" + str(min(2, commas_before[q] - commas_before[i])))
        f.append("cb=" + str(min(3, commas_before[i])))
        for d in (-2, -1, 1, 2):
            j = i + d
            if s0 <= j < s1:
                f.append(f"{d}w=" + v.low[j])
                f.append(f"{d}r=" + role[j])
                if iscue[j]:
                    f.append(f"{d}cue")
                if konj[j]:
                    f.append(f"{d}konj")
            else:
                f.append(f"{d}w=<S>")
        if i > s0:
            f.append("bi=" + v.low[i - 1] + "|" + low)
        out.append(f)
    return out


__all__ = ["features", "in_quotes"]
