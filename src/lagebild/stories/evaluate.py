"""Scoring a clustering against gold events: BCubed and pair-counting precision/recall/F1.

The gold file is JSONL, one article a line: ``{"id", "title", "text", "url", "outlet",
"published", "lang", "event_id"}`` (only id, text and event_id required); see
docs/stories-eval.md. The file is clustered from scratch in file order (publication order
where dated), through the same text pipeline the store uses, in memory.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lagebild.config import Config
from lagebild.model import Article, parse_published
from lagebild.stories.build import _embedder, cluster_features, order
from lagebild.stories.features import from_doc
from lagebild.stories.similarity import Models


@dataclass(frozen=True, slots=True)
class Scores:
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pair_p: float
    pair_r: float
    pair_f1: float
    clusters_pred: int
    clusters_gold: int
    articles: int


@dataclass(frozen=True, slots=True)
class GoldItem:
    article: Article
    event_id: str


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Scores of ``predicted`` (item -> cluster) against ``gold`` (item -> class) on gold's items."""
    items = list(gold)
    pred = {i: predicted.get(i, f"__alone__{i}") for i in items}
    p_size = Counter(pred.values())
    g_size = Counter(gold.values())
    both = Counter((pred[i], gold[i]) for i in items)
    n = len(items) or 1
    # BCubed: per item, the share of its predicted cluster in its gold class and vice versa.
    bp = sum(both[(pred[i], gold[i])] / p_size[pred[i]] for i in items) / n
    br = sum(both[(pred[i], gold[i])] / g_size[gold[i]] for i in items) / n
    # Pair counting: pairs placed together that belong together.
    together = sum(c * (c - 1) / 2 for c in both.values())
    pred_pairs = sum(c * (c - 1) / 2 for c in p_size.values())
    gold_pairs = sum(c * (c - 1) / 2 for c in g_size.values())
    pp = together / pred_pairs if pred_pairs else 1.0
    pr = together / gold_pairs if gold_pairs else 1.0
    return Scores(
        bcubed_p=bp, bcubed_r=br, bcubed_f1=_f1(bp, br),
        pair_p=pp, pair_r=pr, pair_f1=_f1(pp, pr),
        clusters_pred=len(p_size), clusters_gold=len(g_size), articles=len(items),
    )  # fmt: skip


def date_kind(article: Article) -> str:
    """How well an article's date is known: "day", "month", "year" or "undated"."""
    return article.published_precision if article.published is not None else "undated"


def errors(predicted: Mapping[str, str], items: list[GoldItem]) -> dict:
    """Where a clustering departs from gold, as plain data (JSON-ready).

    ``mixed``: every predicted story holding articles of more than one gold event, with its
    host (the event most of its articles report) and, per other event, how many of its
    articles are in the story and how well their dates are known: the route a same-actor
    or same-topic report took in (a month-only date is "near" every story of the month; an
    undated one matches on words alone). ``split``: every gold event spread over several
    stories, with the sizes of the pieces. ``families``: of the families with several
    events (``family``: four GDL strikes, three Trump–Kim summits), how many have no story
    that mixes two of their events, and which do.
    """
    gold = {it.article.id: it.event_id for it in items}
    kind = {it.article.id: date_kind(it.article) for it in items}
    pred = {i: predicted.get(i, f"__alone__{i}") for i in gold}
    members: dict[str, list[str]] = {}
    for i in gold:
        members.setdefault(pred[i], []).append(i)
    mixed = []
    for sid, ids in members.items():
        events = Counter(gold[i] for i in ids)
        if len(events) < 2:
            continue
        host = min(events, key=lambda e: (-events[e], e))
        others = {}
        for e in sorted(events, key=lambda e: (-events[e], e)):
            if e != host:
                kinds = Counter(kind[i] for i in ids if gold[i] == e)
                others[e] = {"articles": events[e], "dates": dict(sorted(kinds.items()))}
        mixed.append({"story": sid, "event": host, "articles": len(ids), "others": others})
    mixed.sort(key=lambda m: (-sum(o["articles"] for o in m["others"].values()), m["event"]))
    pieces: dict[str, Counter[str]] = {}
    for i, e in gold.items():
        pieces.setdefault(e, Counter())[pred[i]] += 1
    split_events = [{"event": e, "pieces": sorted(c.values(), reverse=True)}
                    for e, c in sorted(pieces.items()) if len(c) > 1]  # fmt: skip
    events_of: dict[str, set[str]] = {}
    for e in gold.values():
        events_of.setdefault(family(e), set()).add(e)
    groups = {f for f, es in events_of.items() if len(es) > 1}
    together = {f for ids in members.values()
                for f, n in Counter(family(e) for e in {gold[i] for i in ids}).items()
                if f in groups and n > 1}  # fmt: skip
    return {
        "mixed": mixed,
        "split": split_events,
        "families": {"groups": len(groups), "kept_apart": len(groups - together),
                     "mixed": sorted(together)},
    }  # fmt: skip


def read_gold(path: str | Path) -> list[GoldItem]:
    """Gold items in file order; the title defaults to the first sentence-ish line of text."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            missing = [k for k in ("id", "text", "event_id") if row.get(k) in (None, "")]
            if missing:
                raise ValueError(f"{path}:{n}: missing {', '.join(missing)}")
            published, precision = None, "day"
            if row.get("published"):
                try:
                    published, precision = parse_published(row["published"])
                except ValueError:
                    raise ValueError(
                        f"{path}:{n}: 'published' is not an ISO 8601 date: {row['published']!r}"
                    ) from None
            art = Article(
                id=str(row["id"]), title=row.get("title") or "", text=row["text"],
                source=f"{path}#{n}", format="jsonl", url=row.get("url"),
                outlet=row.get("outlet"), published=published, published_precision=precision,
                language=row.get("lang") or "de",
            )  # fmt: skip
            out.append(GoldItem(art, str(row["event_id"])))
    return out


def family(event_id: str) -> str:
    """The family of a gold event: its id's first word, a "distractor_" prefix left out
    (``gdl_streik_2024_01_10`` and ``distractor_gdl_wellenstreik_…`` are both ``gdl``)."""
    return event_id.removeprefix("distractor_").split("_", 1)[0]


def split(items: list[GoldItem], half: str, by: str = "event") -> list[GoldItem]:
    """The items of every other gold event ("even": the 1st, 3rd, ... event id in sorted
    order; "odd": the others), so one half can be tuned on and the other reported.

    ``by="family"`` alternates whole families of events instead (see ``family``). Events of
    one actor (four GDL strikes, six Galeria filings) then stay together: split by event,
    each half holds only every other one of them, so neither half shows the confusions the
    whole set has, and a model tuned on one half never sees a same-actor pair to keep apart.
    """
    key = {"event": lambda e: e, "family": family}[by]
    groups = sorted({key(it.event_id) for it in items})
    keep = set(groups[{"even": 0, "odd": 1}[half] :: 2])
    return [it for it in items if key(it.event_id) in keep]


def shuffled(items: list[GoldItem], seed: int) -> list[GoldItem]:
    """The items in a fixed-seed random file order (undated articles keep their file position
    for the clusterer, so a file grouped by event would leak the answer)."""
    import random

    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def undated_last_order(items: list[GoldItem]) -> list[GoldItem]:
    """The items sorted by date (month- or year-only dates on their first day), the undated
    ones after all of them in file order."""
    dated = [it for it in items if it.article.published is not None]
    dated.sort(key=lambda it: it.article.published)  # type: ignore[arg-type,return-value]
    return dated + [it for it in items if it.article.published is None]


def evaluate_baseline(items: list[GoldItem], kind: str) -> tuple[Scores, dict[str, str]]:
    """A naive baseline (``stories.baselines``) over the gold articles in publication order
    (``order``; it reads no text, so a month-only date sorts at its month's end even where the
    clusterer would place it at the days its text names)."""
    from lagebild.stories.baselines import baseline

    assignment = baseline(kind, order([it.article for it in items]))
    return score(assignment, {it.article.id: it.event_id for it in items}), assignment


def evaluate(
    items: list[GoldItem], config: Config | None = None, model: Models | None = None
) -> tuple[Scores, dict[str, str]]:
    """Cluster the gold articles from scratch and score; also returns article -> story id.
    ``model``: another similarity model than the shipped one (one trained on the other half
    of a gold set scores this half held out: cross-fitting)."""
    from lagebild.pipeline import Pipeline

    config = config or Config()
    pipeline = Pipeline(config, names=("text", "entities"))
    # features first: a month-dated article sorts by the days its text names (``order``)
    feats = order([from_doc(pipeline(it.article)) for it in items])
    stories = cluster_features(feats, config.stories, _embedder(config.stories), model)
    assignment = {a: s.id for s in stories for a in s.article_ids}
    gold = {it.article.id: it.event_id for it in items}
    return score(assignment, gold), assignment


__all__ = [
    "GoldItem",
    "Scores",
    "date_kind",
    "errors",
    "evaluate",
    "evaluate_baseline",
    "family",
    "read_gold",
    "score",
    "shuffled",
    "split",
    "undated_last_order",
]
