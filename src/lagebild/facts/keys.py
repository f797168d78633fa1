"""Keys that decide when two facts say the same thing: folded words and place names,
numbers in base units with the precision they were given in, and union-find clusters.

Shared by the grouping (``compare``) and the divergence finder (``diverge``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from lagebild.entities.exonyms import territory_key
from lagebild.entities.names import name_form
from lagebild.facts.lexicon import Lexicon, fold_name, languages, lexicon
from lagebild.model import Article, DateWindow, Doc, Fact

PLACE_SLOTS = ("meeting place", "visit place", "region of ")
_STOP = {"der", "die", "das", "des", "den", "dem", "von", "zu", "of", "the", "share", "in", "im"}
_REL_TOLERANCE = 0.05  # approximate numbers ("rund", "etwa") may differ this much


def outlet_of(article: Article) -> str:
    """The outlet a fact is credited to; an article whose outlet nobody named is an unnamed
    source, told apart by its article id."""
    return article.outlet or f"unnamed source {article.id[:8]}"


@lru_cache(maxsize=65536)  # pure: the same words recur in every article of a story
def stem(word: str, lang: str) -> str:
    w = fold_name(word, lang)
    for suffix in ("en", "er", "es", "e", "n", "s"):
        if len(w) > 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def word_keys(text: str, lang: str, drop: Iterable[str] = ()) -> frozenset[str]:
    """The words of a measure as keys; slot names ("jobs", "deaths") are language-neutral
    already, so they are kept as they are, not folded by the article's language."""
    skip = _STOP | {d.casefold() for d in drop}
    neutral = slot_words()
    return frozenset(
        w if w in neutral else stem(w, lang)
        for w in re.findall(r"\w[\w-]*", text)
        if w.casefold() not in skip
    )


@lru_cache(maxsize=1)
def slot_words() -> frozenset[str]:
    """Every word of every slot name in measures.tsv, over all languages."""
    return frozenset(
        word
        for lang in languages()
        for roles in lexicon(lang).slots.values()
        for slot, _ in roles
        for word in slot.split()
    )


@lru_cache(maxsize=65536)
def place_key(text: str, lang: str = "de") -> str:
    """A place name as a key: place-kind nouns dropped, spelling and inflection folded
    ("Kosmodrom Vostotsjny" = "Weltraumbahnhof von Wostotschny"), countries by their code."""
    lex = lexicon(lang)
    words = [w for w in text.split() if w.casefold() not in {"von", "of"}]
    named = [w for w in words if not lex.is_type_noun(w)] or words
    # a country in any language is one place: "Deutschland" = "Germany" (as for entities)
    country = territory_key(name_form(text, "LOC", lang).key) or territory_key(
        name_form(" ".join(named), "LOC", lang).key
    )
    return country or " ".join(stem(w, lang) for w in named)


def slot_key(fact: Fact, lang: str) -> str:
    if fact.measures.startswith("region of "):
        return "region of " + place_key(fact.measures[len("region of ") :], lang)
    return fact.measures


def value_key(fact: Fact, lang: str) -> str:
    if fact.measures.startswith(PLACE_SLOTS):
        return place_key(fact.value_text, lang)
    return stem(fact.value_text, lang)


@dataclass(frozen=True, slots=True)
class Num:
    lo: float  # value in the base unit
    hi: float
    tolerance: float
    base: str


def num_of(fact: Fact, lex: Lexicon) -> Num | None:
    if fact.value is None:
        return None
    units = {u.unit: u for u in lex.units.values()}
    unit = units.get(fact.unit)
    factor, base = (unit.factor, unit.base) if unit else (1.0, fact.unit)
    lo = fact.value * factor
    hi = (fact.value_max if fact.value_max is not None else fact.value) * factor
    precision = _written_step(fact) * factor
    tolerance = min(0.5 * precision, _REL_TOLERANCE * abs(hi))
    if fact.approx:
        tolerance = max(tolerance, _REL_TOLERANCE * abs(hi))
    return Num(lo, hi, tolerance, base)


_TRAILING_ZEROS = re.compile(r"(?<![\d.,])(\d+)[,.](0+)(?![\d.,])")


def _written_step(fact: Fact) -> float:
    """The step of the number as written: "5,0" was given to tenths though its value is the
    whole 5.0 (a magnitude of 5,0 is not a magnitude of 4,8); otherwise ``step_of``."""
    value = fact.value
    if value is not None and value == int(value):
        m = _TRAILING_ZEROS.search(fact.text)
        if m and int(m.group(1)) == abs(value):
            return 10.0 ** -len(m.group(2))
    return step_of(value) if value is not None else 1.0


def step_of(value: float) -> float:
    """The step a number was given in: 900 -> 100, 59 -> 1, 3.5 -> 0.1."""
    if value != int(value):
        decimals = len(repr(value).split(".")[1].rstrip("0")) if "." in repr(value) else 0
        return 10.0**-decimals
    n = int(abs(value))
    if n == 0:
        return 1.0
    zeros = 0
    while n % 10 == 0:
        n //= 10
        zeros += 1
    return 10.0**zeros


def same_number(a: Num, b: Num) -> bool:
    if a.base != b.base:
        return False
    tol = max(a.tolerance, b.tolerance)
    return abs(a.lo - b.lo) <= tol and abs(a.hi - b.hi) <= tol


@dataclass(frozen=True, slots=True)
class Item:
    """A fact with the doc it came from and everything grouping needs."""

    fact: Fact
    doc: Doc
    outlet: str
    lang: str
    num: Num | None
    measure_words: frozenset[str]
    subject: str
    pos: int  # the doc's place in the input: ties between equal dates keep the caller's order


_SLOTTED = frozenset({"count", "scale"})


def items_of(docs: Sequence[Doc]) -> list[Item]:
    out = []
    for pos, doc in enumerate(docs):
        lang = doc.article.language or "de"
        lex = lexicon(lang)
        for f in doc.facts:
            # a claim is keyed by its slot; an age by whom it belongs to (its subject: "der
            # 47-Jährige" names no one else, so its measure words would only split the reports)
            words = (
                word_keys(f.measures, lang, drop=(f.kind,))
                if f.kind not in {"claim", "age"}
                else frozenset()
            )
            out.append(
                Item(
                    f,
                    doc,
                    outlet_of(doc.article),
                    lang,
                    num_of(f, lex),
                    words,
                    # a count's or a scale's slot says what it is of: the subject ("Beben",
                    # "Erdbeben") would only split the reports
                    stem(f.subject, lang) if f.subject and f.kind not in _SLOTTED else "",
                    pos,
                )
            )
    return out


def same_fact(a: Item, b: Item) -> bool:
    fa, fb = a.fact, b.fact
    if fa.kind != fb.kind:
        return False
    if fa.kind == "claim":
        return slot_key(fa, a.lang) == slot_key(fb, b.lang) and value_key(fa, a.lang) == value_key(
            fb, b.lang
        )
    if a.num is None or b.num is None or not same_number(a.num, b.num):
        return False
    if (a.measure_words or b.measure_words) and not a.measure_words & b.measure_words:
        return False
    return not (
        a.subject and b.subject and a.subject != b.subject and not a.measure_words & b.measure_words
    )


def date_range(doc: Doc, windows: Mapping[str, DateWindow] | None) -> tuple[date, date] | None:
    if doc.article.published is not None and doc.article.published_precision == "day":
        d = doc.article.published.date()
        return d, d
    w = (windows or {}).get(doc.id) or doc.date_window
    return (w.earliest, w.latest) if w is not None else doc.article.published_span


def order_key(item: Item, windows: Mapping[str, DateWindow] | None) -> tuple[date, int, int]:
    r = date_range(item.doc, windows)
    return (r[0] if r else date.max, item.pos, item.fact.start)


def clusters(items: list[Item]) -> list[list[Item]]:
    """Union-find over facts that say the same thing (numbers compared within sorted buckets)."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # what each group's docs say: one article giving two values of a kind says two things
    # ("310 von 621 Stimmen" for Merz, "305 Stimmen" for Adenauer), so their groups stay apart
    told: list[dict[str, set[float]]] = [{it.doc.id: {it.num.lo}} if it.num else {} for it in items]

    def join(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        if len(told[ri]) < len(told[rj]):  # the smaller record goes into the larger
            ri, rj = rj, ri
        a, b = told[ri], told[rj]
        if any(doc in a and a[doc] != values for doc, values in b.items()):
            return
        for doc, values in b.items():
            a.setdefault(doc, set()).update(values)
        parent[rj] = ri

    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.fact.kind == "claim":
            key = ("claim", slot_key(it.fact, it.lang) + "\x00" + value_key(it.fact, it.lang))
        else:
            key = (it.fact.kind, it.num.base if it.num else "")
        buckets[key].append(i)
    for key, idx in buckets.items():
        if key[0] == "claim":
            for i in idx[1:]:
                parent[find(i)] = find(idx[0])
            continue
        # identical facts (same number, measure, subject) join at once; only one of each kind
        # is compared pairwise, which keeps a 500-article story fast
        same: dict[tuple[object, ...], int] = {}
        reps = []
        for i in idx:
            it = items[i]
            sig = (it.num, it.measure_words, it.subject)
            if sig in same:
                join(same[sig], i)
            else:
                same[sig] = i
                reps.append(i)
        idx = sorted(reps, key=lambda i: items[i].num.lo if items[i].num else 0.0)
        for n, i in enumerate(idx):
            a = items[i]
            for j in idx[n + 1 :]:
                b = items[j]
                if a.num and b.num and b.num.lo - a.num.lo > max(a.num.tolerance, b.num.tolerance):
                    break
                if same_fact(a, b):
                    join(i, j)
    groups: dict[int, list[Item]] = defaultdict(list)
    for i, it in enumerate(items):
        groups[find(i)].append(it)
    return list(groups.values())


__all__ = [
    "PLACE_SLOTS",
    "Item",
    "Num",
    "clusters",
    "date_range",
    "items_of",
    "order_key",
    "outlet_of",
    "place_key",
    "same_fact",
    "slot_key",
    "stem",
    "value_key",
    "word_keys",
]
