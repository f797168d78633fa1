"""Find temporal expressions in a text and give each its value.

All rules run over the whole text (one regex scan each, which keeps the tagger far above
2,000 sentences/s); overlapping matches are settled longest-first, then the values are
computed in text order so that a later "am Vortag" or "um 20 Uhr" can lean on the last day
the text named.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lagebild.model import Sentence, TimeExpr
from lagebild.time.normalize import Context, Value, normalise
from lagebild.time.rules import Rule, RuleSet
from lagebild.time.tense import Tense, tense_at

_DETERMINER = re.compile(r"(?:^|(?<=[\s(„\"]))([Dd](?:er|ie|as|en|em|es))\s+$")


@dataclass(frozen=True, slots=True)
class Found:
    """One accepted match: where it is and what it says, before resolution."""

    rule: Rule
    start: int
    end: int
    groups: tuple[tuple[str, str], ...]

    @property
    def groups_dict(self) -> dict[str, str]:
        return dict(self.groups)


def find(text: str, rs: RuleSet) -> list[Found]:
    """Non-overlapping matches of all rules in ``text``, in text order."""
    cands: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    for order, rule in enumerate(rs.rules):
        if rule.needs is not None and rule.needs.search(text) is None:
            continue
        for m in rule.regex.finditer(text):
            start = (
                m.end("pre")
                if "pre" in rule.regex.groupindex and m.group("pre") is not None
                else m.start()
            )
            end = m.end()
            if end > start:
                cands.append((start, end, order, rule, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, Rule, re.Match[str]]] = []
    for start, end, _, rule, m in cands:
        i = bisect.bisect_left(taken, (start, start))
        if i > 0 and taken[i - 1][1] > start:
            continue
        if i < len(taken) and taken[i][0] < end:
            continue
        taken.insert(i, (start, end))
        chosen.append((start, end, rule, m))
    chosen.sort(key=lambda c: c[0])
    out = []
    for start, end, rule, m in chosen:
        groups = {k: v for k, v in m.groupdict().items() if v is not None and k != "pre"}
        for k, v in rule.defaults:
            groups.setdefault(k, v)
        if rule.determiner:
            d = _DETERMINER.search(text, max(0, start - 5), start)
            if d is not None:
                start = d.start(1)
        out.append(Found(rule, start, end, tuple(sorted(groups.items()))))
    return out


def _sentence_of(sentences: Sequence[Sentence], starts: list[int], pos: int) -> Sentence | None:
    i = bisect.bisect_right(starts, pos) - 1
    if 0 <= i < len(sentences) and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None


@dataclass(frozen=True, slots=True)
class Resolved:
    """One found expression with the tense around it and its value (None: nonsense groups)."""

    found: Found
    tense: Tense
    value: Value | None


def tenses(found: Sequence[Found], sentences: Sequence[Sentence]) -> list[Tense]:
    """The tense governing each found expression."""
    starts = [s.start for s in sentences]
    out: list[Tense] = []
    for f in found:
        sent = _sentence_of(sentences, starts, f.start)
        out.append(tense_at(sent.tokens, f.start, f.end) if sent is not None else "present")
    return out


def resolve_found(
    found: Sequence[Found], tense_of: Sequence[Tense], rs: RuleSet, anchor: date | None
) -> list[Resolved]:
    """Values for ``found`` (text order) against ``anchor``; the reference day runs along."""
    reference: date | None = None
    out: list[Resolved] = []
    for f, tense in zip(found, tense_of, strict=True):
        groups = dict(f.groups)
        value = normalise(f.rule.type, groups, rs, Context(anchor, tense, reference))
        if (
            value is not None
            and value.day is not None
            and value.type == "DATE"
            and "refday" not in groups
        ):
            reference = value.day
        out.append(Resolved(f, tense, value))
    return out


def to_time_exprs(
    resolved: Sequence[Resolved], text: str, anchor: date | None, article_id: str = ""
) -> list[TimeExpr]:
    return [
        TimeExpr(
            article_id=article_id,
            start=r.found.start,
            end=r.found.end,
            text=text[r.found.start : r.found.end],
            type=r.value.type,  # type: ignore[arg-type]
            value=r.value.value,
            mod=r.value.mod,
            anchor=anchor.isoformat() if anchor else None,
        )
        for r in resolved
        if r.value is not None
    ]


def resolve_all(
    found: Sequence[Found],
    text: str,
    sentences: Sequence[Sentence],
    rs: RuleSet,
    anchor: date | None,
    article_id: str = "",
) -> list[TimeExpr]:
    """Values for ``found`` (text order), anchored on ``anchor`` (None keeps them relative)."""
    tense_of: list[Tense] = ["present"] * len(found)
    if anchor is not None:
        need = [i for i, f in enumerate(found) if _needs_tense(dict(f.groups))]
        if need:
            sub = tenses([found[i] for i in need], sentences)
            for i, t in zip(need, sub, strict=True):
                tense_of[i] = t
    return to_time_exprs(resolve_found(found, tense_of, rs, anchor), text, anchor, article_id)


def _needs_tense(groups: dict[str, str]) -> bool:
    """Whether the value depends on which way the sentence points (past, present, future)."""
    if "year" in groups:
        return False
    return (
        "month" in groups
        or ("weekday" in groups and "rel" not in groups)
        or "holiday" in groups
        or "easter" in groups
    )


def tag(
    text: str, sentences: Sequence[Sentence], rs: RuleSet, anchor: date | None, article_id: str = ""
) -> list[TimeExpr]:
    """Every temporal expression of ``text`` with its value."""
    return resolve_all(find(text, rs), text, sentences, rs, anchor, article_id)


__all__ = [
    "Found",
    "Resolved",
    "find",
    "resolve_all",
    "resolve_found",
    "tag",
    "tenses",
    "to_time_exprs",
]
