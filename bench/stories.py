"""Story clustering throughput and memory at 1k, 10k and 100k articles (synthetic news stream).

Usage: ``python bench/stories.py [--sizes 1000,10000,100000]``. Each size runs in its own
process (so peak RSS is per size). The stream: 200 articles a day, each about one of the
events running that day (events live 1-4 days), words drawn from an event's own vocabulary
and a Zipfian background, 5 % syndicated copies, from 40 outlets. Features come from a cheap
tokenisation (``stories.from_text``); the timed part is clustering alone (dedup + matching + index).
Per-article cost should stay flat across sizes, since only active stories are indexed;
each size also prints its clustering rate per tenth of the stream, which shows whether it is
flat within a run (the last-1k figure is a second or two of CPU: noisy on a shared machine).
Times are CPU time of this process (``time.process_time``), so a machine shared with other
jobs does not distort them. ``--vectors`` gives every article a 384-d document vector (an
event's own direction plus noise; every other event reported in French) so the
cross-language route, which compares an article with the active stories in other languages,
is measured too.
Articles are generated and clustered one at a time, so peak RSS is the interpreter, the
libraries (numpy, datasketch, the wordfreq prior) and the index: its document frequencies
grow with the vocabulary, its stories and signatures only with the active window.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from lagebild.config import StoriesConfig
from lagebild.stories import from_text
from lagebild.stories.cluster import StoryIndex

PER_DAY = 200
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tel",
    "ber",
    "san",
    "lo",
    "wen",
    "dor",
    "gu",
    "fel",
    "ra",
    "ni",
    "sto",
]


def _word(rng: random.Random, capital: bool = False) -> str:
    w = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
    return w.capitalize() if capital else w


def stream(n: int, seed: int = 7) -> Iterator[tuple[str, str, str, datetime, str]]:
    """``n`` synthetic articles (id, title, text, published, event key) in publication order,
    lazily."""
    rng = random.Random(seed)
    background = [_word(rng) for _ in range(20000)]
    cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(background))))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events: list[dict] = []
    recent: deque[tuple[str, str, str]] = deque(maxlen=50)
    for i in range(n):
        when = start + timedelta(days=i / PER_DAY)
        events = [e for e in events if e["end"] > when]
        while len(events) < 60:
            events.append({
                "words": [_word(rng) for _ in range(15)] + [_word(rng, True) for _ in range(4)],
                "num": str(rng.randint(10, 9999)),
                "end": when + timedelta(days=rng.uniform(1, 4)),
            })  # fmt: skip
        if recent and rng.random() < 0.05:  # a syndicated copy of a recent article
            title, text, key = rng.choice(recent)
            yield f"a{i}", "Neu: " + title, text, when, key
            continue
        ev = rng.choice(events)
        words = [rng.choice(ev["words"]) if rng.random() < 0.3 else w
                 for w in rng.choices(background, cum_weights=cum, k=120)]  # fmt: skip
        words.insert(rng.randrange(len(words)), ev["num"])
        sents = [" ".join(words[j : j + 15]).capitalize() + "." for j in range(0, len(words), 15)]
        title = " ".join(rng.sample(ev["words"], 5))
        recent.append((title, " ".join(sents), ev["words"][0]))
        yield f"a{i}", title, recent[-1][1], when, ev["words"][0]


def _vector(key: str, rng: random.Random, dims: int = 384) -> tuple[float, ...]:
    """An event's direction (from its key) plus noise, unit length."""
    base = random.Random(key)
    v = [base.gauss(0, 1) + rng.gauss(0, 0.6) for _ in range(dims)]
    norm = sum(x * x for x in v) ** 0.5
    return tuple(x / norm for x in v)


OUTLETS = 40  # articles come from this many outlets (their boilerplate statistics cost too)


def run_size(n: int, vectors: bool = False) -> dict:
    """Generate, featurise and cluster ``n`` articles one by one (nothing held but the index)."""
    index = StoryIndex(config=StoriesConfig())
    t_feat = t_clust = 0.0
    last_k = 0.0
    tenth, tenths = max(1, n // 10), []  # clustering CPU time per tenth of the stream
    t_tenth = 0.0
    rng = random.Random(3)
    for k, (i, t, x, p, key) in enumerate(stream(n), 1):
        t0 = time.process_time()
        f = from_text(i, t, x, published=p, outlet=f"o{zlib.crc32(i.encode()) % OUTLETS}.example")
        if vectors:
            lang = "fr" if zlib.crc32(key.encode()) % 2 else "de"
            f = replace(f, vector=_vector(key, rng), language=lang)
        t1 = time.process_time()
        index.add(f)
        t2 = time.process_time()
        t_feat += t1 - t0
        t_clust += t2 - t1
        last_k += t2 - t1
        t_tenth += t2 - t1
        if k % 1000 == 0 and k < n:
            last_k = 0.0
        if k % tenth == 0:
            tenths.append(round(tenth / t_tenth))
            t_tenth = 0.0
    return {
        "articles": n,
        "features_per_s": round(n / t_feat),
        "cluster_per_s": round(n / t_clust),
        "last_1k_per_s": round(min(n, 1000) / last_k),
        "tenths_per_s": tenths,
        "archived_stories": len(index.archive),
        "active_stories": len(index.active),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--vectors", action="store_true", help="with document vectors (see above)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.vectors)))
        return
    print(
        f"{'articles':>9} {'cluster/s':>10} {'last 1k/s':>10} {'features/s':>11} {'active':>7} {'peak RSS':>9}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        res = subprocess.run(
            [sys.executable, __file__, "--one", str(n), *(["--vectors"] if args.vectors else [])],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"{r['articles']:>9} {r['cluster_per_s']:>10} {r['last_1k_per_s'] or '-':>10} "
              f"{r['features_per_s']:>11} {r['active_stories']:>7} {r['peak_rss_mb']:>7} MB", flush=True)  # fmt: skip
        print(
            f"{'':>9} cluster/s per tenth of the stream: {r['tenths_per_s']}; "
            f"dormant stories {r['archived_stories']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
