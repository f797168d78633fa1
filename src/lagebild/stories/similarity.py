"""Does this article report the same event as that story? A small logistic model says how likely.

The clusterer describes an (article, story) pair by a few numbers: word overlap with the
story's centroid and with its closest recent article (rarity-weighted lemmas: a developing
story keeps its names, places and event words while its figures change), overlap of names
and figures alone, the days between the article's date span and the story's. A logistic
model turns them into a probability. Vectors, when given, score stories in other languages
only (``CROSS_FEATURES``): within a language they cost precision on real news. The weights
are learned from real news, not set by hand:
``eval/stories/train_similarity.py`` replays the tuning half of a gold set in order, asks at
each article which stories it could join (the same candidates the clusterer sees) and fits
the model on those decisions; the weights ship as ``resources/stories/similarity.json`` with
the data, split and scores they came from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

FEATURES = (
    "lex",  # cosine of the article's TF-IDF query with the story centroid
    "lexmax",  # ... with the closest of the story's latest articles
    "lexavg",  # ... mean over the story's latest articles
    "names",  # cosine over the article's names and figures only
    "gap_log",  # log(1 + days between the article's date span and the story's), 0 undated
    "near",  # 1 when both are dated and at most a day apart
    "timed",  # 1 when both have a date span
    "log_size",  # log of the story's size
    "years_late",  # years the story ended before the latest year the article names
    "years_early",  # dated article: years before the latest year the story's articles name
    "dormant",  # 1 when the story was quiet for longer than quiet_days before the article
)
EMB_CENTRE = 0.8  # e5 cosines of related news lie around here

# Across languages words hardly overlap; the embedding decides, checked against the runner-up
# (is this story clearly the closest one?), time and shared names.
CROSS_FEATURES = (
    "emb",  # embedding cosine - 0.8
    "margin",  # ... minus that of the next closest story in other languages
    "gap_log",
    "near",
    "names",  # cosine over names and figures (they survive translation)
)


def features(
    *,
    lex: float,
    lexmax: float,
    lexavg: float,
    names: float,
    gap: float,
    timed: float,
    coverage: float,
    size: int,
    years_late: float = 0.0,
    years_early: float = 0.0,
    dormant: bool = False,
) -> list[float]:
    """The model's inputs in ``FEATURES`` order (``coverage`` is already in the query scale)."""
    return [
        lex,
        lexmax,
        lexavg,
        names,
        math.log1p(gap) if timed else 0.0,
        1.0 if timed and gap <= 1.0 else 0.0,
        timed,
        math.log(max(size, 1)),
        min(years_late, 5.0),
        min(years_early, 5.0),
        1.0 if dormant else 0.0,
    ]


def cross_features(
    *, emb: float, margin: float, gap: float, timed: float, names: float
) -> list[float]:
    """The cross-language model's inputs in ``CROSS_FEATURES`` order."""
    return [
        emb - EMB_CENTRE,
        margin,
        math.log1p(gap) if timed else 0.0,
        1.0 if timed and gap <= 1.0 else 0.0,
        names,
    ]


@dataclass(frozen=True, slots=True)
class Model:
    """Logistic regression over ``FEATURES``: p = 1 / (1 + exp(-(bias + w . x)))."""

    weights: tuple[float, ...]
    bias: float
    info: dict = field(default_factory=dict, compare=False)

    def p(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def to_json(self, names: tuple[str, ...] = FEATURES) -> dict:
        return {"features": list(names), "weights": list(self.weights), "bias": self.bias,
                **self.info}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Models:
    """The model for a story in the article's language and the one across languages."""

    same: Model
    cross: Model
    info: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {"same": self.same.to_json(), "cross": self.cross.to_json(CROSS_FEATURES),
                **self.info}  # fmt: skip


# Before any training: word overlap decides, a week apart halves the odds.
DEFAULT = Model(weights=(14.0, 4.0, 0.0, 2.0, -0.7, 0.5, 0.0, 0.0, -1.0, -0.5, -1.0), bias=-6.5)


# Across languages: a cosine well above the usual 0.8 and clearly the closest story.
DEFAULT_CROSS = Model(weights=(60.0, 80.0, -0.7, 0.5, 2.0), bias=-4.5)


def _model(data: dict, names: tuple[str, ...]) -> Model:
    if list(data.get("features", [])) != list(names):
        raise ValueError("similarity model made for other features")
    info = {k: v for k, v in data.items() if k not in {"features", "weights", "bias"}}
    return Model(tuple(float(w) for w in data["weights"]), float(data["bias"]), info)


def from_json(data: dict) -> Models:
    info = {k: v for k, v in data.items() if k not in {"same", "cross"}}
    return Models(_model(data["same"], FEATURES), _model(data["cross"], CROSS_FEATURES), info)


@cache
def load() -> Models:
    """The shipped models (``resources/stories/similarity.json``), else the defaults."""
    path = resources.files("lagebild") / "resources" / "stories" / "similarity.json"
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, OSError, ValueError, KeyError):
        return Models(DEFAULT, DEFAULT_CROSS)


__all__ = [
    "CROSS_FEATURES",
    "DEFAULT",
    "DEFAULT_CROSS",
    "FEATURES",
    "Model",
    "Models",
    "cross_features",
    "features",
    "from_json",
    "load",
]
