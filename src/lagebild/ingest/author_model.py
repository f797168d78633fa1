"""Which of a page's author candidates is the author: a small model learned from WCXB gold.

Every place a page may name its author (JSON-LD, author meta tags, the "Written by" label,
byline elements, a visible "By …" line, trafilatura's guess, a labelled credit in the first
words under the headline) yields a candidate: the people it
names after cleaning (``html_authors.clean_authors``). A candidate is described by where it
comes from, its shape, its position and lexical cues, and by how many other sources agree with
it; a logistic model scores it, and the best candidate is taken only above a threshold. Pages
that credit nobody then stay without an author instead of getting the first string that looks
like a name. The weights are plain JSON (``lagebild/models/authors/model.json``): scoring needs
no library; ``lagebild train authors`` refits them reproducibly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lagebild.ingest.html_meta import PageMeta
from lagebild.ingest.html_title import site_names, squash
from lagebild.linear import logistic

MODEL_DIR = ("models", "authors")


@dataclass(frozen=True, slots=True)
class Candidate:
    """The people one source names, with what is known about where they stand."""

    source: str  # "json-ld", "json-ld-org", "meta", "label", "marked", "line", "class-by", "class",
    # "extra" (trafilatura's guess), "title" (a labelled credit in the text under the headline)
    names: tuple[str, ...]
    in_article: bool = False  # a byline element inside the article element
    after_h1: bool = False  # a byline element after the page's first <h1>
    checks: frozenset[str] = frozenset()  # what the rules say of the names: "junk", "name", …
    kept: tuple[str, ...] = ()  # the names the rules take as people (nothing: never chosen)


_STRUCTURED = frozenset({"json-ld", "json-ld-org", "meta", "label"})
_VISIBLE = frozenset({"marked", "line", "class-by", "class"})
_FIRST_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-Z][a-z]+)?$")


def _tokens(name: str) -> list[str]:
    return name.split(",")[0].split()


def _overlaps(a: Sequence[str], b: Sequence[str]) -> bool:
    sa, sb = {squash(n) for n in a}, {squash(n) for n in b}
    return bool(sa & sb) or any(x and y and (x in y or y in x) for x in sa for y in sb)


def features(
    c: Candidate, others: Sequence[Candidate], meta: PageMeta, body_head: str
) -> dict[str, float]:
    """What the model knows of one candidate: source, shape, position, cues, agreement."""
    f: dict[str, float] = {f"src={c.source}": 1.0}
    for check in c.checks:
        f[f"check={check}"] = 1.0
    tokens = [_tokens(n) for n in c.names]
    n = len(c.names)
    f[f"names={min(n, 3)}"] = 1.0
    f["one_token"] = float(any(len(t) == 1 for t in tokens))
    f["long_name"] = float(any(len(t) >= 4 for t in tokens))
    f["first_name_shape"] = float(all(t and _FIRST_NAME.match(t[0]) for t in tokens))
    f["all_caps"] = float(any(n.isupper() for n in c.names))
    f["lower"] = float(any(n[:1].islower() for n in c.names))
    f["initial"] = float(any(re.search(r"\b[A-Z]\.", n) for n in c.names))
    f["credential"] = float(any("," in n for n in c.names))
    sites = {squash(s) for s in site_names(meta)}
    if meta.domain:
        sites.add(squash(meta.domain.rsplit(".", 1)[0]))
    f["site_like"] = float(
        any(squash(x) in s or s in squash(x) for x in c.names for s in sites if s)
    )
    agree = {o.source for o in others if o is not c and _overlaps(c.names, o.names)}
    f["agree=1"] = float(len(agree) == 1)
    f["agree>=2"] = float(len(agree) >= 2)
    f["agree_structured"] = float(bool(agree & _STRUCTURED))
    f["agree_visible"] = float(bool(agree & _VISIBLE))
    f["alone"] = float(len(others) == 1)
    mine = {squash(n) for n in c.names}
    for o in others:
        if o is c:
            continue
        theirs = {squash(n) for n in o.names}
        if theirs < mine:
            f["covers_other"] = 1.0  # names everyone another source names, and more
        elif mine < theirs:
            f["covered"] = 1.0
        if any(t and m != t and m.startswith(t) for m in mine for t in theirs):
            f["longer_variant"] = 1.0  # "ServiceTitan November" beside "ServiceTitan"
        if any(m and m != t and t.startswith(m) for m in mine for t in theirs):
            f["shorter_variant"] = 1.0
    f["in_article"] = float(c.in_article)
    f["after_h1"] = float(c.after_h1)
    near_title = squash(meta.after_h1)
    f["after_h1_text"] = float(any(squash(x) and squash(x) in near_title for x in c.names))
    head = squash(body_head)
    f["in_body"] = float(any(len(squash(x)) > 5 and squash(x) in head for x in c.names))
    f["visible"] = float(all(squash(x.split(",")[0]) in meta.visible for x in c.names))
    f[f"visible|src={c.source}"] = f["visible"]
    f["article_ld"] = float(any("author" in o for o in meta.articles()))
    f["sources>=3"] = float(len(others) >= 3)
    f["first"] = float(bool(others) and others[0] is c)
    f["bias"] = 1.0
    return f


@dataclass(frozen=True, slots=True)
class Model:
    weights: Mapping[str, float]
    threshold: float

    def score(self, feats: Mapping[str, float]) -> float:
        return logistic(self.weights, feats)


@cache
def model() -> Model | None:
    """The shipped model; None when the package carries none (rules decide then)."""
    path = resources.files("lagebild").joinpath(*MODEL_DIR, "model.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(data["weights"], data["threshold"])


def best(
    cands: Sequence[Candidate], meta: PageMeta, body_head: str, m: Model | None = None
) -> tuple[Candidate | None, float]:
    """The best-scoring candidate and its score (None below the model's threshold)."""
    m = m or model()
    if m is None or not cands:
        return None, 0.0
    scored = [
        (m.score(features(c, cands, meta, body_head)), i) for i, c in enumerate(cands) if c.kept
    ]
    if not scored:
        return None, 0.0
    p, i = max(scored, key=lambda s: (s[0], -s[1]))
    return (cands[i] if p >= m.threshold else None), p


__all__ = ["Candidate", "Model", "best", "features", "model"]
