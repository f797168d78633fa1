"""Loading the ingest rule files from ``resources/ingest/`` (one folder per language)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

Action = Literal["drop", "drop+next", "drop+rest"]


@dataclass(frozen=True, slots=True)
class LineRule:
    """A kind of line that is not article text."""

    reason: str
    action: Action
    pattern: re.Pattern[str]
    lang: str


@dataclass(frozen=True, slots=True)
class Markers:
    """Patterns that find bylines, author boxes and credit words, across languages."""

    byline: tuple[re.Pattern[str], ...]
    author_box: tuple[re.Pattern[str], ...]
    credit_words: str  # one regex alternation of all credit words
    works_for: tuple[re.Pattern[str], ...] = ()  # author-box lines naming the outlet
    photo_words: str = ""  # one regex alternation of the words that label a photo credit
    credit_labels: str = ""  # labels that introduce nothing but a photo credit ("Bildrechte")


def _root() -> Traversable:
    return resources.files("lagebild") / "resources" / "ingest"


def languages() -> tuple[str, ...]:
    """The languages that have an ingest folder: a language exists because its folder does."""
    return tuple(sorted(p.name for p in _root().iterdir() if p.is_dir()))


def _rows(name: str, lang: str) -> list[list[str]]:
    path = _root() / lang / name
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``<lang>/<name>`` (one per line, ``#`` comments skipped), every language
    folder merged: word lists and patterns that hold whatever the page's language."""
    return tuple(
        line.strip()
        for lang in languages()
        if (_root() / lang / name).is_file()
        for line in (_root() / lang / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def line_rules() -> tuple[LineRule, ...]:
    out = []
    for lang in languages():
        for row in _rows("boilerplate.tsv", lang):
            reason, action, regex = row
            if action not in ("drop", "drop+next", "drop+rest"):
                raise ValueError(
                    f"bad action {action!r} in resources/ingest/{lang}/boilerplate.tsv"
                )
            out.append(LineRule(reason, action, re.compile(regex, re.IGNORECASE), lang))  # type: ignore[arg-type]
    return tuple(out)


@cache
def unavailable() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two patterns from every ``<lang>/unavailable.tsv``: one that finds the page's own
    content named ("Der Volltext dieses Artikels", "this article"), one that finds it said to
    be gone ("steht nicht mehr zur Verfügung", "no longer available")."""
    kinds: dict[str, list[str]] = {"self": [], "gone": []}
    for lang in languages():
        for row in _rows("unavailable.tsv", lang):
            kind, regex = row
            if kind not in kinds:
                raise ValueError(f"bad kind {kind!r} in resources/ingest/{lang}/unavailable.tsv")
            kinds[kind].append(f"(?:{regex})")
    never = r"(?!x)x"
    return (
        re.compile("|".join(kinds["self"]) or never, re.IGNORECASE),
        re.compile("|".join(kinds["gone"]) or never, re.IGNORECASE),
    )


@cache
def markers() -> Markers:
    byline, box, credit, works, photo, labels = [], [], [], [], [], []
    for lang in languages():
        for kind, regex in _rows("markers.tsv", lang):
            if kind == "byline":
                byline.append(re.compile(regex, re.IGNORECASE))
            elif kind == "author-box":
                box.append(re.compile(regex, re.IGNORECASE))
            elif kind == "credit-word":
                credit.append(regex)
            elif kind == "works-for":
                works.append(re.compile(regex))  # case matters: the outlet is capitalised
            elif kind == "photo-word":
                photo.append(regex)
            elif kind == "credit-label":
                labels.append(regex)
    return Markers(
        tuple(byline), tuple(box), "|".join(credit), tuple(works), "|".join(photo), "|".join(labels)
    )


@cache
def agencies() -> frozenset[str]:
    text = (_root() / "agencies.txt").read_text(encoding="utf-8")
    return frozenset(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


def examples(name: str) -> list[tuple[str, str, str]]:
    """``(lang, line, expected)`` from the ``EXAMPLE:`` comments of one rule file."""
    out = []
    for lang in languages():
        path = _root() / lang / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"#\s*EXAMPLE:\s*(.*?)\s*=>\s*(\S+)\s*$", line)
            if m:
                out.append((lang, m.group(1), m.group(2)))
    return out
