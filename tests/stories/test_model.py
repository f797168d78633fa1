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
