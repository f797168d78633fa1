"""The facts stage's word lists, read from ``resources/facts/<lang>/``.

Units, number words, approximation words, place and cue words live in files so a language is
added by adding a folder; this module only parses them (once per language, cached).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from lagebild.text.fold import fold as fold_text

DEFAULT_LANG = "de"
# the roles ``words.tsv`` may give a word; the number reader asks for these by name
GRAMMAR_ROLES = frozenset({
    "range", "range-and", "among", "range-open", "year-before", "not-subject", "noun-stop",
    "not-counted", "plural", "np-opener", "count-of", "scale-gap", "scale-or", "partitive", "noun-and",
    "share-of", "locative", "contracted", "destination", "region-prep", "direction-article",
    "reciprocal", "relative-where", "names-distance", "names-duration", "names-money",
    "names-speed", "names-volume", "names-age", "age-before",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unit:
    surface: str
    unit: str  # normalised unit shown with the value: "km", "%", "EUR"
    kind: str  # "distance", "speed", …
    factor: float  # value * factor = value in ``base``; for a fraction, its denominator
    base: str


@dataclass(frozen=True, slots=True)
class Scale:
    """A quantity named before its value ("Stärke 6,3", "magnitude 7.8"), from ``scales.tsv``."""

    word: str
    measures: str  # what the value is of, in any language: "magnitude" (kind "scale")
    unit: str  # shown with the value: "M"
    lo: float  # the values the scale takes; a number outside is something else
    hi: float
    spread: float  # two reports further apart measure different things (another quake)


@dataclass(frozen=True, slots=True)
class Example:
    """One ``EXAMPLE:`` line: a sentence and the fields some fact found in it must have."""

    file: str
    text: str
    expect: dict[str, str]  # empty with ``none`` = no fact expected
    none: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    units: dict[str, Unit]
    unit_re: re.Pattern[str]
    numbers: dict[str, tuple[float, str]]  # word (as written) -> (value, role)
    approx: dict[tuple[str, ...], str]  # word tuple (case-folded) -> code
    places: dict[str, frozenset[str]]  # word -> roles
    cues: dict[str, frozenset[str]]  # word or phrase (case-folded) -> roles
    speech: dict[str, frozenset[str]]
    modality: dict[str, frozenset[str]]
    fold: tuple[tuple[str, str], ...]
    slots: dict[str, tuple[tuple[str, str], ...]]  # word -> ((slot, role), …) from measures.tsv
    scales: dict[str, Scale] = field(default_factory=dict)  # word (case-folded) -> Scale
    # German capitalises every noun, so case does not tell a name there
    capitalised_nouns: bool = True
    infinitive_endings: tuple[str, ...] = ()  # how an infinitive ends; none: any auxiliary will do
    # a bare number counts only a plural noun after it (French: "32 auparavant" counts nothing)
    counts_plurals: bool = False
    # grammar words by role, from ``words.tsv`` ("range": "bis", "year-before": "seit", …)
    grammar: dict[str, frozenset[str]] = field(default_factory=dict)
    # derived from ``numbers`` (``word_value`` reads them for every word of every sentence):
    # (word, value) of the "thousand" then the "hundred" words, and the joining words ("und")
    number_bigs: tuple[tuple[str, float], ...] = field(init=False, repr=False, compare=False)
    number_joins: tuple[str, ...] = field(init=False, repr=False, compare=False)
    # the first word of every speech word or phrase: a sentence with none of them names no source
    speech_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bigs = tuple(
            (key, value)
            for big in ("thousand", "hundred")
            for key, (value, role) in self.numbers.items()
            if role == big
        )
        object.__setattr__(self, "number_bigs", bigs)
        joins = tuple(k for k, (_, role) in self.numbers.items() if role == "join")
        object.__setattr__(self, "number_joins", joins)
        object.__setattr__(self, "speech_words", frozenset(k.split(" ")[0] for k in self.speech))

    def number(self, word: str) -> tuple[float, str]:
        """``(value, role)`` of a number word ("Millionen" is a multiplier, "hundert" is not),
        ``(0.0, "")`` when it is none."""
        entry = self.numbers.get(word) or self.numbers.get(word.lower())
        return entry if entry is not None else (0.0, "")

    def place_role(self, word: str) -> frozenset[str]:
        return self.places.get(word, frozenset())

    def is_type_noun(self, word: str) -> bool:
        """A place-kind noun, also as the end of a hyphenated compound ("Amur-Region").

        Closed compounds only when listed ("Hafenstadt"): "Neustadt" is a name.
        """
        return "type" in self.place_role(word.rsplit("-", 1)[-1])

    def scale_of_unit(self, unit: str) -> Scale | None:
        """The scale whose values ``unit`` marks ("M": magnitude), for a value named after
        its number ("6,4 auf der Richterskala")."""
        return next((s for s in self.scales.values() if s.unit == unit), None)

    def spread(self, measures: str) -> float | None:
        """How far apart two reports of a scale's value may lie (None: not a scale's)."""
        return next((s.spread for s in self.scales.values() if s.measures == measures), None)

    def words(self, role: str) -> frozenset[str]:
        """The (case-folded) grammar words of ``role`` in ``words.tsv``; none when unlisted."""
        return self.grammar.get(role, frozenset())

    def cue(self, word: str) -> frozenset[str]:
        return self.cues.get(word.casefold(), frozenset())

    def speech_role(self, word: str) -> frozenset[str]:
        return self.speech.get(word.casefold(), frozenset())

    def modal(self, word: str) -> frozenset[str]:
        return self.modality.get(word.casefold(), frozenset())


def _root(lang: str):  # type: ignore[no-untyped-def]
    return resources.files("lagebild") / "resources" / "facts" / lang


def languages() -> tuple[str, ...]:
    """Languages with a facts folder."""
    root = resources.files("lagebild") / "resources" / "facts"
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir()))


def _rows(lang: str, name: str) -> list[list[str]]:
    try:
        text = (_root(lang) / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "EXAMPLE:")):
            continue
        out.append([c.strip() for c in line.split("\t")])
    return out


def examples(lang: str) -> list[Example]:
    """All ``EXAMPLE:`` lines of a language's files."""
    out = []
    for path in sorted(_root(lang).iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".tsv"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("EXAMPLE:"):
                continue
            body = line[len("EXAMPLE:") :].strip()
            if "=>" not in body:
                out.append(Example(path.name, body, {}))
                continue
            text, spec = (x.strip() for x in body.split("=>", 1))
            if spec == "none":
                out.append(Example(path.name, text, {}, none=True))
                continue
            expect = dict(m.groups() for m in re.finditer(r"(\w+)=((?:(?! \w+=).)*)", spec))
            out.append(Example(path.name, text, {k: v.strip() for k, v in expect.items()}))
    return out


def _roles(rows: list[list[str]], fold: bool) -> dict[str, frozenset[str]]:
    acc: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if len(row) >= 2:
            acc[row[0].casefold() if fold else row[0]].add(row[1])
    return {k: frozenset(v) for k, v in acc.items()}


def _grammar(rows: list[list[str]]) -> dict[str, frozenset[str]]:
    acc: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if len(row) >= 2:
            acc[row[1]].add(row[0].casefold())
    return {k: frozenset(v) for k, v in acc.items()}


@cache
def lexicon(lang: str = DEFAULT_LANG) -> Lexicon:
    """The word lists for ``lang`` (German when the language has no folder)."""
    if lang not in languages():
        lang = DEFAULT_LANG
    units = {}
    for row in _rows(lang, "units.tsv"):
        surface, unit, kind, factor, base = row[:5]
        units[surface] = Unit(surface, unit, kind, float(factor), base)
    alts = sorted(units, key=len, reverse=True)
    unit_re = re.compile(
        r"\s*(?P<unit>"
        + "|".join(re.escape(a) for a in alts)
        + r")(?![\w²³])(?:\s+(?:alt(?:e[mnrs]?)?|old)\b)?"  # "70 Jahre alt", "… alten Eheleute"
    )
    numbers = {r[0]: (float(r[1]), r[2]) for r in _rows(lang, "numbers.tsv")}
    approx = {tuple(r[0].casefold().split()): r[1] for r in _rows(lang, "approx.tsv")}
    fold = tuple((r[0], r[1]) for r in _rows(lang, "fold.tsv") if len(r) >= 2)
    slot_rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _rows(lang, "measures.tsv"):
        if len(r) >= 3:
            slot_rows[r[0]].append((r[1], r[2]))
    slots = {k: tuple(v) for k, v in slot_rows.items()}
    settings = {r[0]: (r[1] if len(r) > 1 else "") for r in _rows(lang, "settings.tsv") if r}
    scales = {
        r[0].casefold(): Scale(r[0], r[1], r[2], float(r[3]), float(r[4]), float(r[5]))
        for r in _rows(lang, "scales.tsv")
        if len(r) >= 6
    }
    return Lexicon(
        lang=lang,
        units=units,
        unit_re=unit_re,
        numbers=numbers,
        approx=approx,
        places=_roles(_rows(lang, "places.tsv"), fold=False),
        cues=_roles(_rows(lang, "cues.tsv"), fold=True),
        speech=_roles(_rows(lang, "speech.tsv"), fold=True),
        modality=_roles(_rows(lang, "modality.tsv"), fold=True),
        fold=fold,
        slots=slots,
        scales=scales,
        capitalised_nouns=settings.get("capitalised-nouns", "yes") == "yes",
        infinitive_endings=tuple(settings.get("infinitive-endings", "").split()),
        counts_plurals=settings.get("counts-plurals", "no") == "yes",
        grammar=_grammar(_rows(lang, "words.tsv")),
    )


def fold_name(name: str, lang: str = DEFAULT_LANG) -> str:
    """A spelling-insensitive key for a name: case and diacritics folded as for search
    (``text.fold``: "Krško" = "Krsko", "München" = "Munchen"), then the language's
    transliteration rewrites (``fold.tsv``)."""
    key = re.sub(r"[^\w]+", " ", fold_text(name)).strip()
    for src, dst in lexicon(lang).fold:
        key = key.replace(src, dst)
    return key


__all__ = [
    "GRAMMAR_ROLES",
    "Example",
    "Lexicon",
    "Scale",
    "Unit",
    "examples",
    "fold_name",
    "languages",
    "lexicon",
]
