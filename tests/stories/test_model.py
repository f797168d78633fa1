"""The shipped similarity model: it loads, and it was learned on the tuning half of real-dev.

The texts of real-dev are not in the repository (they are rebuilt from the web into /tmp, see
../shared/data/stories/real-dev/README.md), so CI cannot re-score real-dev. What CI can check
from the labels alone: the model's recorded event set is exactly the even half of the labelled
event families (``--split-by family``: an actor's events stay in one half; the odd half stays
held out), and the model scores like a similarity should.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from importlib import resources
from pathlib import Path

from lagebild.stories import similarity

ROOT = Path(__file__).resolve().parents[2]


def _shipped() -> dict:
    ref = resources.files("lagebild") / "resources" / "stories" / "similarity.json"
    return json.loads(ref.read_text(encoding="utf-8"))


def test_shipped_model_loads_with_every_feature() -> None:
    data = _shipped()
    assert data["same"]["features"] == list(similarity.FEATURES)
    assert data["cross"]["features"] == list(similarity.CROSS_FEATURES)
    models = similarity.load()
    assert models.same != similarity.DEFAULT  # the learned weights, not the fallback
    base = dict(lex=0.0, lexmax=0.0, lexavg=0.0, names=0.0, gap=1.0, timed=1.0, coverage=1.0,
                size=3)  # fmt: skip
    low = models.same.p(similarity.features(**base))
    high = models.same.p(similarity.features(**(base | dict(lex=0.7, lexmax=0.8, lexavg=0.6,
                                                            names=0.6))))  # fmt: skip
    assert low < 0.1 < 0.9 < high
    far = models.same.p(similarity.features(**(base | dict(lex=0.5, lexmax=0.5, lexavg=0.5,
                                                           gap=400.0))))  # fmt: skip
    near = models.same.p(similarity.features(**(base | dict(lex=0.5, lexmax=0.5, lexavg=0.5))))
    assert far < near  # a year apart is less likely one event than a day apart


def test_model_was_trained_on_the_even_family_half_of_real_dev_only(need) -> None:
    labels = need("data", "stories", "real-dev", "labels.tsv")
    with labels.open(encoding="utf-8") as fh:
        events = sorted({row["event_id"] for row in csv.DictReader(fh, delimiter="\t")})
    spec = importlib.util.spec_from_file_location(
        "train_similarity", ROOT / "eval" / "stories" / "train_similarity.py"
    )
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)

    def digest(ids: list[str]) -> str:
        return hashlib.sha256("\n".join(ids).encode()).hexdigest()

    from lagebild.model import Article
    from lagebild.stories.evaluate import GoldItem, family, split

    items = [GoldItem(Article(id=e, title="", text="", source="", format="text"), e)
             for e in events]  # fmt: skip
    half = sorted(it.event_id for it in split(items, "even", "family"))
    families = {family(e) for e in half}
    assert not families & {family(e) for e in events if e not in half}  # whole families
    data = _shipped()
    assert data["events_sha256"] == digest(half)
    assert data["events_sha256"] not in {digest(events), digest(events[0::2])}
    # the training script's digest is the one computed here
    assert train.events_digest(split(items, "even", "family")) == data["events_sha256"]


def _trainer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "train_similarity", ROOT / "eval" / "stories" / "train_similarity.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stream() -> tuple[list, dict]:
    """Two events of one week, three reports each, alternating, and their features."""
    from datetime import datetime

    from lagebild.model import Article
    from lagebild.stories.evaluate import GoldItem
    from lagebild.stories.features import from_text

    texts = {
        "quake": "Erdbeben der Stärke {} erschüttert Albstadt, Häuser beschädigt, Feuerwehr im Einsatz",
        "strike": "Lokführer der GDL streiken {} Stunden, Bahn streicht Fernzüge, Pendler warten",
    }
    items, feats = [], {}
    for i in range(6):
        event = ("quake", "strike")[i % 2]
        aid = f"{event}{i}"
        when = datetime(2024, 1, 10 + i)
        text = texts[event].format(3 + i) + f" Bericht {i}."
        items.append(GoldItem(Article(id=aid, title=text[:40], text=text, source="s",
                                      format="text", published=when), event))  # fmt: skip
        feats[aid] = from_text(aid, text[:40], text, published=when, outlet=f"o{i}")
    return items, feats


def test_replay_labels_the_clusterers_own_decisions_by_the_gold_events() -> None:
    from lagebild.config import StoriesConfig

    train = _trainer()
    items, feats = _stream()
    # a model that joins anything: every article after the first lands in one story, and
    # each decision is labelled by whether that story's reports are mostly its own event
    eager = similarity.Model((0.0,) * len(similarity.FEATURES), 30.0)
    models = similarity.Models(eager, similarity.DEFAULT_CROSS)
    x, y, w = train.replay_pairs(items, feats, StoriesConfig(), models)[False]
    assert len(x) == len(y) == len(w) == 5  # one decision per article with a candidate
    assert all(len(row) == len(similarity.FEATURES) for row in x)
    # the one story holds q0, then s1 (tie: q), q2, s3 (2-2: q first), q4, s5 ...
    assert y == [0, 1, 0, 1, 0]
    # teacher forcing labels every candidate by the gold story instead
    tx, ty, _ = train.pairs(items, feats, StoriesConfig())[False]
    assert len(tx) > len(x) and sum(ty) >= 2


def test_replays_place_untimed_reports_after_the_timed_ones_as_the_clusterer_does() -> None:
    # build.run places the articles with no time at all after a batch's timed ones; the
    # training replays must meet the situations the clusterer meets, not an undated report
    # that opens a story before its event's dated reports come
    from lagebild.config import StoriesConfig
    from lagebild.model import Article
    from lagebild.stories.evaluate import GoldItem
    from lagebild.stories.features import from_text

    train = _trainer()
    items, feats = _stream()
    text = "Lokführer der GDL streiken weiter, Bahn streicht Fernzüge, Pendler warten"
    undated = GoldItem(Article(id="late", title=text[:40], text=text, source="s",
                               format="text"), "strike")  # fmt: skip
    feats["late"] = from_text("late", text[:40], text, outlet="o9")
    assert feats["late"].published is None and feats["late"].span is None
    eager = similarity.Model((0.0,) * len(similarity.FEATURES), 30.0)
    models = similarity.Models(eager, similarity.DEFAULT_CROSS)
    x, y, _ = train.replay_pairs([undated, *items], feats, StoriesConfig(), models, defer=True)[
        False
    ]
    # the six dated reports first (one story, decisions as above), then the undated strike
    # report: its decision is the last one, against a dated story (placed first instead, it
    # would open the story, the first decision would be a dated report's against it, and
    # the last one a dated report's)
    timed = similarity.FEATURES.index("timed")
    assert len(y) == 6
    assert x[0][timed] == 1.0 and x[-1][timed] == 0.0
    assert [f.id for f in train.placed([feats[i] for i in ("late", "quake0")], feats)] == [
        "quake0",
        "late",
    ]
    # without ``defer`` (how the shipped model was made) the undated report comes first
    old = train.replay_pairs([undated, *items], feats, StoriesConfig(), models)[False][0]
    assert old[0][timed] == 0.0 and old[-1][timed] == 1.0
    made = train.train([([undated, *items], feats)], seeds=(None,), rounds=1, defer=True)
    assert made.info["untimed_last"] is True
    assert "untimed_last" not in train.train([(items, feats)], seeds=(None,), rounds=0).info


def test_training_rounds_refit_on_own_decisions() -> None:
    train = _trainer()
    items, feats = _stream()
    once = train.train([(items, feats)], seeds=(None,), rounds=0)
    twice = train.train([(items, feats)], seeds=(None,), rounds=1)
    assert once.info["rounds"] == 0 and twice.info["rounds"] == 1
    assert twice.same.info["pairs"] > once.same.info["pairs"]  # the replay's decisions added


def test_the_refits_replay_the_clusterer_at_the_threshold_given() -> None:
    # The refits replay the clusterer at its join threshold: the shipped model was made at
    # 0.5 (REPLAY_THRESHOLD) and only rebuilds exactly with the replays at that threshold.
    from lagebild.config import StoriesConfig

    train = _trainer()
    items, feats = _stream()
    made = {t: train.train([(items, feats)], StoriesConfig(threshold=t), seeds=(None,), rounds=1)
            for t in (0.0, 0.5, 1.01)}  # fmt: skip
    assert [m.info["replay_threshold"] for m in made.values()] == [0.0, 0.5, 1.01]
    assert made[0.0].same != made[1.01].same  # other decisions, other refit
    assert train.REPLAY_THRESHOLD == 0.5
    shipped = similarity.load()
    assert shipped.info["rounds"] == 1 and shipped.info["replay_threshold"] == 0.5
