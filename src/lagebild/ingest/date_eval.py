"""Fitting and scoring the publication-date chooser on WCXB, split by site (``lagebild train
dates``, ``lagebild eval dates``).

Pages are split by site as for the author model (``author_eval.site_half``): fitted on one half
and scored on the other, both ways, and leave-one-site-out; the shipped model is fitted on
every page with a gold date. The fixed-precedence rules are scored beside it on the same pages.
One row per distinct day a page states (label: the day is the gold publication day).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lagebild.ingest.author_eval import site_half, site_of
from lagebild.ingest.date_model import DateCandidate, Model, best, candidates, day_features
from lagebild.ingest.evaluate import date_match, wcxb_pages

C = 1.0  # L2 strength of the logistic regression (liblinear: single-threaded, deterministic)


@dataclass(frozen=True, slots=True)
class PageDates:
    """One gold page: its site, gold day, the dates its markup states, the fallbacks' days."""

    page: str
    site: str
    gold: str
    cands: tuple[DateCandidate, ...]
    fallback: date | None  # htmldate's day, used only when the markup states no date
    rules: date | None  # the fixed-precedence rules' day


def collect_pages(root: Path, limit: int | None = None) -> list[PageDates]:
    """The date candidates of every WCXB page with a gold date (about a minute for 711)."""
    import gzip

    from lagebild.ingest.html_dates import _htmldate
    from lagebild.ingest.html_dates import choose_published as rules_published
    from lagebild.ingest.html_decode import decode_html
    from lagebild.ingest.html_meta import collect, parse_tree

    out = []
    for key, path, record in wcxb_pages(root, limit):
        gold = (record.get("ground_truth") or {}).get("publish_date") or ""
        if not gold:
            continue
        raw = decode_html(gzip.decompress(path.read_bytes()))
        tree = parse_tree(raw)
        if tree is None:
            continue
        url = record.get("url")
        meta = collect(tree, url)
        cands = tuple(candidates(meta))
        fallback = None if cands else _htmldate(raw, meta.canonical or meta.url)
        ruled = rules_published(meta, raw)
        out.append(
            PageDates(
                key,
                site_of(url),
                gold,
                cands,
                fallback.local_day if fallback else None,
                ruled.local_day if ruled else None,
            )
        )
    return out


def fit(pages: Sequence[PageDates]) -> Model:
    """A logistic model over the distinct days of ``pages``."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for p in pages:
        for d in dict.fromkeys(c.local_day for c in p.cands):
            rows.append(day_features(d, p.cands))
            labels.append(int(date_match(p.gold, d)))
    if not rows or len(set(labels)) < 2:
        return Model({})
    vec = DictVectorizer(sparse=False, sort=True)
    x = vec.fit_transform(rows)
    lr = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    lr.fit(x, np.array(labels))
    weights = {
        k: round(float(w), 6) for k, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
    }
    weights["bias"] = round(weights.get("bias", 0.0) + float(lr.intercept_[0]), 6)
    return Model(weights)


def chosen(p: PageDates, m: Model) -> date | None:
    c = best(p.cands, m)
    return c.local_day if c else p.fallback


def score(pages: Sequence[PageDates], m: Model) -> dict[str, float | int]:
    hits = sum(date_match(p.gold, chosen(p, m)) for p in pages)
    ruled = sum(date_match(p.gold, p.rules) for p in pages)
    n = len(pages)
    return {
        "pages": n,
        "date_day": round(hits / n, 4) if n else 0.0,
        "rules_date_day": round(ruled / n, 4) if n else 0.0,
    }


def cross_fit(pages: Sequence[PageDates], loso: bool = True) -> dict[str, dict[str, float | int]]:
    """Fit on one site half, score the other (both ways), leave one site out, and in-sample."""
    out: dict[str, dict[str, float | int]] = {}
    for held in (0, 1):
        train = [p for p in pages if site_half(p.site) != held]
        test = [p for p in pages if site_half(p.site) == held]
        out[f"fit half {1 - held}, score half {held}"] = score(test, fit(train))
    if loso:
        preds = []
        for site in sorted({p.site for p in pages}):
            test = [p for p in pages if p.site == site]
            m = fit([p for p in pages if p.site != site])
            preds += [(p, chosen(p, m)) for p in test]
        n = len(preds)
        out["leave one site out"] = {
            "pages": n,
            "date_day": round(sum(date_match(p.gold, d) for p, d in preds) / n, 4) if n else 0.0,
            "rules_date_day": round(sum(date_match(p.gold, p.rules) for p, _ in preds) / n, 4)
            if n
            else 0.0,
        }
    out["in-sample (the shipped model on its own pages)"] = score(pages, fit(pages))
    return out


def save(m: Model, out_dir: Path, report: dict) -> None:
    """``model.json`` (weights) and the site-split numbers for the model card."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"weights": dict(sorted(m.weights.items())), "C": C}
    (out_dir / "model.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    (out_dir / "scores.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")


__all__ = ["PageDates", "collect_pages", "cross_fit", "fit", "save", "score"]
