"""Which of a page's dates is its publication date: a small model learned from WCXB gold.

A page states several dates: JSON-LD ``datePublished`` / ``dateModified``, ``<meta>`` tags,
``<time>`` elements, the URL, and the dateline under the headline ("Updated …", "3. Mai 2024"); htmldate, which searches
the whole page, is asked only when the markup states no date (as a candidate beside the
others it made the choice worse on held-out sites, and costs ~20 ms a page). Fixed precedence between them (the rules in
``html_dates.choose_published``) fits the pages it was written from; here every date is a
candidate described by where it comes from, what its label calls it (published, created,
modified, generic), its position, and how it relates to the others (how many sources agree,
earliest or latest, equal to a modification date). A logistic model scores each candidate and
the best one is the publication date. Weights are plain JSON
(``lagebild/models/dates/model.json``); ``lagebild train dates`` refits them reproducibly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources

from lagebild.ingest.html_dates import (
    _META_KEYS,
    _MODIFIED_KEYS,
    Published,
    _htmldate,
    parse_date,
    text_dates_at,
    url_date,
)
from lagebild.ingest.html_dates import choose_published as rules_published
from lagebild.ingest.html_meta import PageMeta
from lagebild.linear import logistic

MODEL_DIR = ("models", "dates")
_MODIFIED_HINT = re.compile(r"modif|updat|aktualis|edit|geändert|mis à jour|mise à jour")
_PUBLISHED_HINT = re.compile(r"publi|pub|created|posted|veröffentlicht|erschienen")


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One date a page states, with where it stands and what its label calls it."""

    when: datetime  # UTC
    local_day: date
    source: str  # "json-ld", "meta", "time", "url", "headline", "htmldate"
    role: str  # "published", "created", "modified", "generic"
    clock: bool  # the value carries a time of day


def candidates(meta: PageMeta) -> list[DateCandidate]:
    """Every date the page states, in the order a reader of the markup meets them."""
    out: list[DateCandidate] = []

    def add(value: object, source: str, role: str) -> None:
        parsed = parse_date(value)
        if parsed is None:
            return
        clock = isinstance(value, str) and bool(re.search(r"\d[:h]\d\d", value))
        out.append(DateCandidate(parsed[0], parsed[1], source, role, clock))

    for obj in meta.articles():
        for key, role in (
            ("datePublished", "published"),
            ("dateCreated", "created"),
            ("uploadDate", "published"),
            ("dateModified", "modified"),
        ):
            v = obj.get(key)
            add(v[0] if isinstance(v, list) and v else v, "json-ld", role)
    for key in _META_KEYS:
        role = (
            "published"
            if "publish" in key or key in ("pubdate", "dcterms.issued", "dc.date.issued")
            else "created"
            if "creat" in key
            else "generic"
        )
        for v in meta.meta.get(key, ()):
            add(v, "meta", role)
    for key in _MODIFIED_KEYS:
        for v in meta.meta.get(key, ()):
            add(v, "meta", "modified")
    plain = 0
    for t in meta.times:
        if _MODIFIED_HINT.search(t.hint):
            role = "modified"
        elif _PUBLISHED_HINT.search(t.hint):
            role = "published"
        else:
            plain += 1
            if plain > 3:
                continue
            role = "generic"
        add(t.value or t.text, "time", role)
    parsed = url_date(meta.canonical) or url_date(meta.url)
    if parsed:
        out.append(DateCandidate(parsed[0], parsed[1], "url", "generic", False))
    for role, d in dateline(meta.after_h1)[:4]:
        out.append(
            DateCandidate(datetime(d.year, d.month, d.day, tzinfo=UTC), d, "headline", role, False)
        )
    return out


# "Updated …", "Aktualisiert am …", "Mis à jour le …"; "Published …", "Posted on …", "Veröffentlicht …"
_DATELINE_LABEL = re.compile(
    r"\b(?:(?P<mod>(?:last\s+)?updated|modified|reviewed|aktualisiert|geändert|mis\s+à\s+jour"
    r"|(?-i:Stand))|(?P<pub>published|posted|veröffentlicht|erschienen|publié|erstellt|created))\b",
    re.I,
)


def dateline(text: str) -> list[tuple[str, date]]:
    """(role, day) of the dates in the text under the headline; a date's role is that of the
    label right before it ("Updated Dec 4, 2025": modified), with no other date in between."""
    out = []
    last = 0
    for at, d in text_dates_at(text):
        labels = list(_DATELINE_LABEL.finditer(text, max(last, at - 40), at))
        role = "generic"
        if labels:
            role = "modified" if labels[-1]["mod"] else "published"
        out.append((role, d))
        last = at + 1
    return out


def _bucket(n: int, edges: Sequence[int]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def day_features(day: date, cands: Sequence[DateCandidate]) -> dict[str, float]:
    """What the model knows of one stated day: which sources state it under which label, where
    it first appears, and how it stands to the page's other days."""
    mine = [(i, c) for i, c in enumerate(cands) if c.local_day == day]
    days = sorted({c.local_day for c in cands})
    f: dict[str, float] = {"bias": 1.0, f"first_at={_bucket(mine[0][0], (0, 1, 2, 4))}": 1.0}
    for _, c in mine:
        f[f"src={c.source}"] = 1.0
        f[f"role={c.role}"] = 1.0
        f[f"src|role={c.source}|{c.role}"] = 1.0
        f["clock"] = max(f.get("clock", 0.0), float(c.clock))
    sources = {c.source for _, c in mine}
    f[f"sources={min(len(sources), 4)}"] = 1.0
    f[f"others_sources={min(len({c.source for c in cands} - sources), 3)}"] = 1.0
    shown = [c.local_day for c in cands if c.source == "headline"]
    if shown:
        f["shown_first"] = float(shown[0] == day)
        f["shown_not_first"] = float(day in shown[1:] and shown[0] != day)
        f["dateline_labels_published"] = float(
            any(c.source == "headline" and c.role == "published" for c in cands)
        )
    f["earliest"] = float(day == days[0])
    f["latest"] = float(day == days[-1])
    f["one_day"] = float(len(days) == 1)
    f[f"after_earliest={_bucket((day - days[0]).days, (0, 2, 31, 366))}"] = 1.0
    f[f"before_latest={_bucket((days[-1] - day).days, (0, 2, 31, 366))}"] = 1.0
    for role in ("published", "modified"):
        stated = [c.local_day for c in cands if c.role == role and c.source != "headline"]
        if stated:
            f[f"page_has_{role}"] = 1.0
            f[f"after_a_{role}"] = float(any(d < day for d in stated))
            f[f"before_a_{role}"] = float(any(d > day for d in stated))
    return f


@dataclass(frozen=True, slots=True)
class Model:
    weights: Mapping[str, float]

    def score(self, feats: Mapping[str, float]) -> float:
        return logistic(self.weights, feats)


@cache
def model() -> Model | None:
    """The shipped model; None when the package carries none (the rules decide then)."""
    path = resources.files("lagebild").joinpath(*MODEL_DIR, "model.json")
    if not path.is_file():
        return None
    return Model(json.loads(path.read_text(encoding="utf-8"))["weights"])


def best(cands: Sequence[DateCandidate], m: Model | None = None) -> DateCandidate | None:
    """The first candidate of the day the model scores highest; None without candidates."""
    m = m or model()
    if m is None or not cands:
        return None
    days = list(dict.fromkeys(c.local_day for c in cands))
    top = max(days, key=lambda d: (m.score(day_features(d, cands)), -days.index(d)))
    same = [c for c in cands if c.local_day == top]
    return next((c for c in same if c.clock), same[0])  # the instant, where a source gives one


def choose_published(meta: PageMeta, html_text: str | None = None) -> Published | None:
    """The publication date: the model's choice among the dates the markup states; htmldate
    (which searches the whole page) only when the markup states none. Without a shipped
    model the fixed-precedence rules decide."""
    m = model()
    if m is None:
        return rules_published(meta, html_text)
    cands = candidates(meta)
    if not cands:
        return _htmldate(html_text, meta.canonical or meta.url) if html_text else None
    c = best(cands, m)
    return Published(c.when, c.local_day, c.source) if c else None


__all__ = [
    "DateCandidate",
    "Model",
    "best",
    "candidates",
    "choose_published",
    "dateline",
    "day_features",
    "model",
]
