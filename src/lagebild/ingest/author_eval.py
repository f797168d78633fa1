"""Fitting and scoring the author model on WCXB, split by site (``lagebild train authors``,
``lagebild eval authors``).

Pages are split by site (a hash of the host name without "www."), so no site's pages are on
both sides. The model is fitted on one half and scored on the other, both ways, and leave-one-
site-out; the shipped model is then fitted on every page. The threshold is chosen on the
training pages only: the most correct authors minus twice the invented ones (an invented
author misleads a reader more than a missing one).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lagebild.config import Config
from lagebild.ingest.author_model import Model, features
from lagebild.ingest.evaluate import author_match, wcxb_pages

C = 0.3  # L2 strength of the logistic regression (liblinear, deterministic)
INVENTED_COST = 2.0


@dataclass(frozen=True, slots=True)
class PageCands:
    """One gold page: its site, gold author and its candidates' features and labels."""

    page: str
    site: str
    gold: str
    feats: tuple[dict[str, float], ...]
    names: tuple[tuple[str, ...], ...]
    labels: tuple[bool, ...]
    desk: tuple[str, ...]  # what the rules credit when the model takes no candidate


def site_of(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def site_half(site: str) -> int:
    """0 or 1: the half of the site split a site belongs to."""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % 2


def collect_pages(
    root: Path, limit: int | None = None, config: Config | None = None
) -> list[PageCands]:
    """Candidates of every WCXB page (parsing and trafilatura: a few minutes for 711 pages)."""
    import gzip

    from lagebild.ingest.html import _body
    from lagebild.ingest.html_authors import _rule_credits, author_candidates
    from lagebild.ingest.html_decode import decode_html
    from lagebild.ingest.html_meta import collect, parse_tree

    config = config or Config()
    out = []
    for key, path, record in wcxb_pages(root, limit):
        raw = decode_html(gzip.decompress(path.read_bytes()))
        tree = parse_tree(raw)
        if tree is None:
            continue
        url = record.get("url")
        meta = collect(tree, url)
        body, traf = _body(raw, url, config)
        cands = author_candidates(meta, traf)
        gold = (record.get("ground_truth") or {}).get("author") or ""
        ruled = _rule_credits(meta, traf)
        out.append(
            PageCands(
                key,
                site_of(url),
                gold,
                tuple(features(c, cands, meta, body[:3000]) for c in cands if c.kept),
                tuple(c.kept for c in cands if c.kept),
                tuple(bool(gold) and author_match(gold, c.kept) for c in cands if c.kept),
                ruled.authors if ruled.source == "desk" else (),
            )
        )
    return out


def fit(pages: Sequence[PageCands]) -> Model:
    """A logistic model over the candidates of ``pages`` and its threshold."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [f for p in pages for f in p.feats]
    labels = [int(label) for p in pages for label in p.labels]
    if not rows or len(set(labels)) < 2:
        return Model({}, 1.0)
    vec = DictVectorizer(sparse=False, sort=True)
    x = vec.fit_transform(rows)
    lr = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    lr.fit(x, np.array(labels))
    weights = {
        k: round(float(w), 6) for k, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
    }
    weights["bias"] = round(weights.get("bias", 0.0) + float(lr.intercept_[0]), 6)
    draft = Model(weights, 0.5)
    return Model(weights, _threshold(pages, draft))


def _threshold(pages: Sequence[PageCands], m: Model) -> float:
    """The threshold that maximises correct authors minus INVENTED_COST x invented ones."""
    best_of = [_best(p, m) for p in pages]
    top = (float("-inf"), 0.5)
    for step in range(2, 40):
        t = step / 40
        value = 0.0
        for p, (s, names) in zip(pages, best_of, strict=True):
            got = names if s >= t else p.desk
            if p.gold:
                value += bool(got) and author_match(p.gold, got)
            elif got:
                value -= INVENTED_COST
        if value > top[0]:
            top = (value, t)
    return top[1]


def _best(p: PageCands, m: Model) -> tuple[float, tuple[str, ...]]:
    if not p.feats:
        return 0.0, ()
    s, i = max((m.score(f), -i) for i, f in enumerate(p.feats))
    return s, p.names[-i]


@dataclass(frozen=True, slots=True)
class AuthorScore:
    pages: int
    author_pages: int
    hits: int
    no_author_pages: int
    invented: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "pages": self.pages,
            "author_exact": round(self.hits / self.author_pages, 4) if self.author_pages else 0.0,
            "author_invented": round(self.invented / self.no_author_pages, 4)
            if self.no_author_pages
            else 0.0,
        }


def choose(p: PageCands, m: Model, threshold: float | None = None) -> tuple[str, ...]:
    t = m.threshold if threshold is None else threshold
    s, names = _best(p, m)
    return names if p.feats and s >= t else p.desk


def score(pages: Iterable[PageCands], m: Model, threshold: float | None = None) -> AuthorScore:
    n = ap = hits = nap = inv = 0
    for p in pages:
        n += 1
        got = choose(p, m, threshold)
        if p.gold:
            ap += 1
            hits += bool(got) and author_match(p.gold, got)
        else:
            nap += 1
            inv += bool(got)
    return AuthorScore(n, ap, hits, nap, inv)


def cross_fit(pages: Sequence[PageCands], loso: bool = True) -> dict[str, dict[str, float | int]]:
    """Fit on one site half, score the other (both ways), and leave one site out."""
    out: dict[str, dict[str, float | int]] = {}
    for held in (0, 1):
        train = [p for p in pages if site_half(p.site) != held]
        test = [p for p in pages if site_half(p.site) == held]
        out[f"fit half {1 - held}, score half {held}"] = score(test, fit(train)).as_dict()
    if loso:
        out["leave one site out"] = _loso(pages).as_dict()
    out["in-sample (the shipped model on its own pages)"] = score(pages, fit(pages)).as_dict()
    return out


def _loso(pages: Sequence[PageCands], each: Callable[[int], None] | None = None) -> AuthorScore:
    sites = sorted({p.site for p in pages})
    n = ap = hits = nap = inv = 0
    for k, site in enumerate(sites):
        test = [p for p in pages if p.site == site]
        s = score(test, fit([p for p in pages if p.site != site]))
        n, ap, hits = n + s.pages, ap + s.author_pages, hits + s.hits
        nap, inv = nap + s.no_author_pages, inv + s.invented
        if each:
            each(k)
    return AuthorScore(n, ap, hits, nap, inv)


def save(m: Model, out_dir: Path, report: dict) -> None:
    """``model.json`` (weights, threshold) and the numbers for the model card."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"weights": dict(sorted(m.weights.items())), "threshold": m.threshold, "C": C,
            "invented_cost": INVENTED_COST}  # fmt: skip
    (out_dir / "model.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    (out_dir / "scores.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")


__all__ = [
    "AuthorScore",
    "PageCands",
    "collect_pages",
    "cross_fit",
    "fit",
    "save",
    "score",
    "site_half",
]
