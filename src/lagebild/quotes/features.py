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
from dataclasses import dataclass
from functools import lru_cache

from lagebild.quotes.extract import Attribution
from lagebild.quotes.lexicon import Lexicon, lexicon
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


@dataclass(frozen=True, slots=True)
class Facts:
    """What the features of a doc's tokens are made of, computed once per doc (shared by
    ``features``, which spells them as attribute strings for CRFsuite, and
    ``quotes.scoring``, which scores them without building the strings)."""

    konj: list[bool]
    grade: list[str]  # the learned cue grade of each token's lemma, "" when none
    iscue: list[bool]
    quoted: list[int]
    role: list[str]
    kind: list[str]
    frag: list[str]
    sent_cues: list[list[int]]  # per sentence: its first four tokens with a cue grade
    sent_attrs: list[tuple[str, ...]]  # per sentence: "sent=", "modal=", "psent="
    prev_cue: list[int]  # nearest cue before in the sentence, -1 when none
    next_cue: list[int]
    commas_before: list[int]  # commas since sentence start


def facts(v: View, atts: Sequence[Attribution], learned: Mapping[str, str] | None = None) -> Facts:
    """The per-token and per-sentence values the features read (see ``Facts``)."""
    n = len(v)
    lex = v.lex
    cues = lex.cues
    learned = learned or {}
    konj = v.konjunktiv()
    grade = [learned.get(lemma, "") for lemma in v.lemma]
    starts = [v.bounds[si][0] for si in v.sent]
    iscue = [
        (lemma in cues or g in ("hi", "mid")) and not (w[:1].isupper() and i != s0)
        for i, (lemma, g, w, s0) in enumerate(zip(v.lemma, grade, v.text, starts, strict=True))
    ]
    quoted = in_quotes(v)
    role, kind, frag = _rule_roles(n, atts)
    sent_info = []
    sent_cues: list[list[int]] = []
    for s0, s1 in v.bounds:
        sent_cues.append([j for j in range(s0, s1) if grade[j]][:4])
        has_konj = has_modal = False
        for j in range(s0, s1):
            if not quoted[j]:
                has_konj = has_konj or konj[j]
                has_modal = has_modal or v.low[j] in _MODAL
        sent_info.append(
            (
                any(iscue[s0:s1]),
                has_konj,
                any(quoted[s0:s1]),
                any(role[s0:s1]),
                has_modal,
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
    # per sentence: "sent=", "modal=" and "psent=" (what the sentence and the one before hold)
    sent_attrs = []
    for si, (has_cue, has_konj, has_q, has_rule, has_modal) in enumerate(sent_info):
        attrs = [f"sent={int(has_cue)}{int(has_konj)}{int(has_q)}{int(has_rule)}"]
        if has_modal:
            attrs.append(f"modal={int(has_cue)}{int(has_rule)}")
        if si > 0:
            pc, pk, pq, pr, _ = sent_info[si - 1]
            attrs.append(f"psent={int(pc)}{int(pk)}{int(pq)}{int(pr)}")
        else:
            attrs.append("psent=none")
        sent_attrs.append(tuple(attrs))
    return Facts(
        konj, grade, iscue, quoted, role, kind, frag, sent_cues, sent_attrs, prev_cue, next_cue,
        commas_before,
    )  # fmt: skip


def word_flags(w: str, low: str, lex: Lexicon) -> tuple[str, ...]:
    """The attributes a word carries whatever its context (quotation mark, closed classes)."""
    out = []
    if w in OPENERS:
        out.append("open")
    elif w in CLOSERS:
        out.append("close")
    if low in lex.before:
        out.append("attrB")
    if low in lex.after:
        out.append("attrA")
    if low in lex.comma_so:
        out.append("so")
    if low in lex.pronouns:
        out.append("pron")
    if w[:1].isupper() and _is_role(lex.lang, w):
        out.append("role")
    return tuple(out)


def word_head(w: str, low: str, lemma: str) -> tuple[str, ...]:
    """A token's first attributes: bias, word, lemma, suffix, shape."""
    return ("b", "w=" + low, "l=" + lemma, "s3=" + low[-3:], "sh=" + _shape(w))


def features(
    v: View, atts: Sequence[Attribution], learned: Mapping[str, str] | None = None
) -> list[list[str]]:
    """One feature list per token of the doc behind ``v``."""
    n = len(v)
    fx = facts(v, atts, learned)
    konj, grade, iscue, quoted = fx.konj, fx.grade, fx.iscue, fx.quoted
    role, kind, frag = fx.role, fx.kind, fx.frag
    sent_cues, sent_attrs = fx.sent_cues, fx.sent_attrs
    prev_cue, next_cue, commas_before = fx.prev_cue, fx.next_cue, fx.commas_before
    # what depends on the word alone (in the order the attributes are listed), once per
    # distinct word of the doc: news repeats its words, and the CRF sums attributes in order
    head: dict[tuple[str, str], tuple[str, ...]] = {}
    flags: dict[str, tuple[str, ...]] = {}
    lex = v.lex
    text, lows, lemmas, sent, bounds = v.text, v.low, v.lemma, v.sent, v.bounds
    # what a token gives its neighbours at distance d
    near: dict[int, list[tuple[str, ...]]] = {}
    for d in (-2, -1, 1, 2):
        w_at, r_at, cue_at, konj_at = f"{d}w=", f"{d}r=", f"{d}cue", f"{d}konj"
        rows = []
        for j in range(n):
            row = [w_at + lows[j], r_at + role[j]]
            if iscue[j]:
                row.append(cue_at)
            if konj[j]:
                row.append(konj_at)
            rows.append(tuple(row))
        near[d] = rows
    outside = {d: f"{d}w=<S>" for d in (-2, -1, 1, 2)}
    out = []
    for i in range(n):
        w = text[i]
        low = lows[i]
        lemma = lemmas[i]
        si = sent[i]
        s0, s1 = bounds[si]
        key = (w, lemma)
        h = head.get(key)
        if h is None:
            h = head[key] = word_head(w, low, lemma)
        f = [*h, "r=" + role[i], "rk=" + kind[i] + role[i]]
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
                f.append(f"sc={lemmas[j]}{side}{min(commas, 2)}")
                f.append(f"sg={grade[j]}{side}{min(commas, 2)}")
        if konj[i]:
            f.append("konj")
        if quoted[i]:
            f.append("q")
        fl = flags.get(w)
        if fl is None:
            fl = flags[w] = word_flags(w, low, lex)
        f.extend(fl)
        if i == s0:
            f.append("first")
        if i == s1 - 1:
            f.append("last")
        f.extend(sent_attrs[si])
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
                f.extend(near[d][j])
            else:
                f.append(outside[d])
        if i > s0:
            f.append("bi=" + lows[i - 1] + "|" + low)
        out.append(f)
    return out


__all__ = ["Facts", "facts", "features", "in_quotes", "word_flags", "word_head"]
