"""Word clusters are built on a pinned thread count, so a rebuild gives the same table."""

from __future__ import annotations

import random

from threadpoolctl import threadpool_info, threadpool_limits

from lagebild.entities.ner.clusters import BUILD_THREADS, build_clusters, pinned_threads


def _corpus() -> list[list[str]]:
    rng = random.Random(3)
    names = ["Anna", "Berta", "Carl", "Dora", "Emil", "Frieda", "Gustav", "Hanna"]
    towns = ["Linz", "Graz", "Wien", "Bern", "Chur", "Basel", "Innsbruck", "Salzburg"]
    verbs = ["sagte", "meinte", "fuhr", "kam", "lebt", "arbeitet"]
    out = []
    for _ in range(1500):
        out.append([rng.choice(names), rng.choice(verbs), "in", rng.choice(towns), "."])
        out.append(["Die", "Stadt", rng.choice(towns), "liegt", "nahe", rng.choice(towns), "."])
    return out


def test_the_build_runs_on_the_pinned_thread_count() -> None:
    with threadpool_limits(limits=2), pinned_threads():
        counts = {p["num_threads"] for p in threadpool_info()}
    assert counts <= {BUILD_THREADS}


def test_a_rebuild_under_another_outer_thread_limit_gives_the_same_clusters() -> None:
    with threadpool_limits(limits=2):
        a = build_clusters(_corpus(), 4)
    b = build_clusters(_corpus(), 4)
    assert a == b and a["Anna"] != a["Linz"]  # names apart from towns
