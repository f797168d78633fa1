"""Learn the story similarity model (``stories/similarity.py``) from a gold set, reproducibly.

    python eval/stories/train_similarity.py GOLD.jsonl --half even [--cross XD.jsonl] [--out PATH]

GOLD is a gold file in the format of docs/stories-eval.md, e.g. real-dev rebuilt into a
temporary folder as ``../shared/data/stories/real-dev/README.md`` says (never commit it).
Only the events of ``--half`` (every other event id in sorted order, as ``lagebild eval
stories --split``) are used: the other half stays untouched for reporting.

The articles are replayed in the clusterer's order (the file order and a few fixed-seed
shuffles of it, so undated articles turn up at different places) with the gold story forced
at every step ("teacher forcing"): each article is shown the candidate stories the index
would offer it and each candidate is labelled by whether it is the article's gold story.
A logistic regression (scikit-learn, L2) on those candidates gives the weights; they are
written with the data, half, seeds and pair counts they came from. Without ``--out`` the
model is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lagebild.config import Config, StoriesConfig
from lagebild.stories import similarity
from lagebild.stories.build import order
from lagebild.stories.cluster import StoryIndex, story_id
from lagebild.stories.dedup import signature
from lagebild.stories.evaluate import GoldItem, read_gold, shuffled, split
from lagebild.stories.features import ArticleFeatures, from_doc

SEEDS = (None, 1, 2, 3, 4, 5)  # file order, then shuffles
C = 1.0  # inverse L2 strength


Pairs = dict[bool, tuple[list[list[float]], list[int]]]  # cross-language? -> (features, labels)


def pairs(
    items: Sequence[GoldItem], feats: dict[str, ArticleFeatures], config: StoriesConfig
) -> Pairs:
    """Candidate features and labels from one teacher-forced replay of ``items`` in order,
    for the same-language model (False) and the cross-language one (True)."""
    index = StoryIndex(config=config, consolidate=False,
                       model=similarity.Models(similarity.DEFAULT, similarity.DEFAULT_CROSS))  # fmt: skip
    event_of = {it.article.id: it.event_id for it in items}
    story_of_event: dict[str, str] = {}
    out: Pairs = {False: ([], []), True: ([], [])}
    for art in order([it.article for it in items]):
        f = feats[art.id]
        ev = event_of[art.id]
        prep = index.prepare(f)
        gold = story_of_event.get(ev)
        for c in prep.candidates:
            out[c.cross][0].append(c.features)
            out[c.cross][1].append(int(c.story.id == gold))
        sid = gold if gold in index.active or gold in index.archive else None
        story = index.commit(prep, f, sid, None)
        story_of_event.setdefault(ev, story.id)
        index.dedup.add(f.id, signature(f.shingles))
        index._take_retired()
    return out


def _fit(x: list[list[float]], y: list[int]) -> similarity.Model:
    """L2 logistic regression on standardised features (so the penalty treats a cosine that
    moves by 0.05 like a day count), folded back into weights on the raw features."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs = np.asarray(x, dtype=np.float64)
    mu, sd = xs.mean(axis=0), xs.std(axis=0)
    sd[sd == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=3000).fit((xs - mu) / sd, y)
    w = lr.coef_[0] / sd
    b = lr.intercept_[0] - float(np.sum(lr.coef_[0] * mu / sd))
    info = {"pairs": len(y), "positive": sum(y),
            "train_accuracy": round(float(lr.score((xs - mu) / sd, y)), 4)}  # fmt: skip
    return similarity.Model(tuple(round(float(v), 4) for v in w), round(float(b), 4), info)


def train(
    sets: Sequence[tuple[Sequence[GoldItem], dict[str, ArticleFeatures]]],
    config: StoriesConfig | None = None,
    seeds: Sequence[int | None] = SEEDS,
) -> similarity.Models:
    """Both models from teacher-forced replays of each (items, features) set in every order."""
    config = config or StoriesConfig()
    data: Pairs = {False: ([], []), True: ([], [])}
    for items, feats in sets:
        for seed in seeds:
            got = pairs(shuffled(list(items), seed) if seed is not None else items, feats, config)
            for kind in (False, True):
                data[kind][0].extend(got[kind][0])
                data[kind][1].extend(got[kind][1])
    return similarity.Models(_fit(*data[False]), _fit(*data[True]), {"seeds": list(seeds)})


def features(items: Sequence[GoldItem], vectors: bool) -> dict[str, ArticleFeatures]:
    """Features through the store's pipeline; with ``vectors``, e5 embeddings of the leads."""
    from lagebild.pipeline import Pipeline
    from lagebild.stories.embed import Embedder

    pipeline = Pipeline(Config(), names=("text", "entities"))
    feats = {it.article.id: from_doc(pipeline(it.article)) for it in items}
    if vectors:
        embed = Embedder()
        vecs = embed([feats[it.article.id].lead for it in items])
        feats = {it.article.id: replace(feats[it.article.id], vector=tuple(map(float, v)))
                 for it, v in zip(items, vecs, strict=True)}  # fmt: skip
    return feats


def events_digest(items: Sequence[GoldItem]) -> str:
    """A digest of the event ids trained on, so a test can check from the labels alone (the
    texts are not in the repository) that the model saw the tuning half only."""
    import hashlib

    ids = "\n".join(sorted({it.event_id for it in items}))
    return hashlib.sha256(ids.encode()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("gold", type=Path, help="real-dev rebuilt (one language, mostly)")
    ap.add_argument("--cross", type=Path, help="a cross-language gold set (e.g. 20min-xd built "
                    "by build_shared.py) for the cross-language model")  # fmt: skip
    ap.add_argument("--half", choices=["even", "odd"], required=True)
    ap.add_argument(
        "--split-by",
        choices=["event", "family"],
        default="event",
        help="halve by event id or by family (as eval stories --split-by)",
    )
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    items = split(read_gold(args.gold), args.half, args.split_by)
    plain = features(items, vectors=False)
    with_vectors = features(items, vectors=True)
    sets = [(items, plain), (items, with_vectors)]
    trained_on = [f"{args.gold.name}: {args.half} half of the {args.split_by} ids "
                  f"({len(items)} articles), with and without vectors"]  # fmt: skip
    if args.cross:
        cross = split(read_gold(args.cross), args.half)
        sets.append((cross, features(cross, vectors=True)))
        trained_on.append(f"{args.cross.name}: {args.half} half ({len(cross)} articles)")
    model = train(sets)
    data = model.to_json() | {"trained_on": trained_on, "events_sha256": events_digest(items)}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["events_digest", "pairs", "story_id", "train"]
