"""The whole path at growing corpus sizes: ingest with analysis and clustering, a dossier,
web pages. Per-article CPU should stay flat from 1k to 100k articles.

Usage: ``python bench/path.py [--sizes 1000,10000,100000] [--keep DIR]`` (the default prints
the 1k, 10k and 100k rows: ~80 CPU-minutes at 100k; ``--sizes 1000,10000`` for a quicker
run). The corpus is 10kGNAD
replicated with distinct URLs and shifted dates (``bench/corpus.py``, written to a temporary
folder). Each size runs in its own process, so its peak RSS is its own. Figures are CPU
seconds (user + sys), not wall time: the machine is shared. Printed per size: ingest CPU per
article (reading, cleaning, analysis, storing, clustering), the database's size per 1k
articles, for a 500-article story the CPU of building its dossier when it changes (paid by
the ingest or clustering that changed it: ``dossier.precompute_articles``) and of its first
and a repeated ``lagebild dossier`` including start-up, the CPU of its story-list card (made
by the clustering that changes it), the CPU of ``/``, ``/story/ID`` and
``/article/ID`` in process, and the peak RSS.
Targets (issue 21): per-article CPU at 100k <= 1.15 x at 1k; <= 1.5 GB peak RSS at 100k;
<= 15 MB per 1k articles; a 500-article dossier <= 1 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import DAYS_AHEAD, write_corpus  # noqa: E402

from lagebild.app import Lagebild  # noqa: E402
from lagebild.config import Config  # noqa: E402
from lagebild.model import Story  # noqa: E402

DOSSIER_ARTICLES = 500


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _get(app: object, path: str) -> tuple[int, int]:
    """Status and body size of one GET through the WSGI app."""
    environ: dict[str, object] = {"PATH_INFO": path.split("?")[0], "QUERY_STRING": ""}
    setup_testing_defaults(environ)
    status: list[str] = []
    body = b"".join(app(environ, lambda s, h, exc=None: status.append(s)))  # type: ignore[operator]
    return int(status[0].split()[0]), len(body)


def measure(size: int, folder: Path) -> dict[str, float]:
    """Run the path at ``size`` articles in ``folder``; the figures as a dict."""
    corpus = write_corpus(size, folder / f"gnad-{size}.jsonl")
    db = folder / f"path-{size}.db"
    toml = folder / "lagebild.toml"  # the CLI below reads the same configuration
    toml.write_text(  # the replicas' dates run ahead of the clock: keep them
        f'languages = ["de", "en"]\n\n[ingest]\nmax_days_ahead = {DAYS_AHEAD}\n', encoding="utf-8"
    )
    config = Config.load(toml)
    app = Lagebild(db, config)
    start = time.process_time()
    report = app.ingest([corpus])
    ingest_cpu = time.process_time() - start
    # every line is stored or refused with a reason (10kGNAD holds a few archive placeholders
    # with no text left: about 1 %); per-article figures are per stored article
    stored = len(report.added)
    assert stored + len(report.rejected) == size and stored >= 0.98 * size, (
        stored,
        report.rejected[:3],
    )
    stories = app.stories()
    out: dict[str, float] = {
        "articles": size,
        "stored": stored,
        "ingest_cpu_s": ingest_cpu,
        "cpu_ms_per_article": 1000 * ingest_cpu / stored,
        "stories": len(stories),
    }
    # a 500-article story (the first articles, as one story) and its dossier from the CLI
    ids = [a for a, _ in app.store.article_dates()][:DOSSIER_ARTICLES]
    big = Story(id="bench" + "0" * 11, article_ids=tuple(ids), title="bench story")
    app.store.put_stories([big])
    # its card (the story list's row) is made by the clustering that changes a story, as the
    # dossier below: timed on its own, so that ``/`` is what a reader pays after an ingest
    start = time.process_time()
    app.refresh_listing()
    out["card_500_cpu_s"] = time.process_time() - start
    # web pages in process: the story list, a story, an article
    from lagebild.web.app import WebApp

    web = WebApp(app)
    for name, path in (
        ("web_index", "/"),
        ("web_story", f"/story/{stories[0].id}"),
        ("web_article", f"/article/{ids[-1]}"),
    ):
        start = time.process_time()
        status, _ = _get(web, path)
        out[name + "_cpu_s"] = time.process_time() - start
        assert status == 200, (path, status)
    app.close()
    db_bytes = sum(p.stat().st_size for p in folder.glob(f"path-{size}.db*"))
    out["db_mb_per_1k"] = db_bytes / 1e6 / stored * 1000
    # what a change of the story costs (its dossier built and kept, as clustering does it),
    # then its first and a repeated view from the CLI, start-up included
    from lagebild.dossier.cache import precompute

    app = Lagebild(db, config)
    start = time.process_time()
    assert precompute(app) == 1
    out["dossier_500_build_cpu_s"] = time.process_time() - start
    app.close()
    for name in ("dossier_500_cpu_s", "dossier_500_again_cpu_s"):
        before = _children_cpu()
        subprocess.run(
            [sys.executable, "-m", "lagebild", "--db", str(db), "--config", str(toml),
             "dossier", big.id, "--format", "html", "--out", str(folder / "dossier.html")],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        out[name] = _children_cpu() - before
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keep", type=Path, help="Keep corpora and databases in DIR.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size
    args = parser.parse_args()
    if args.one:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="lagebild-path-"))
        folder.mkdir(parents=True, exist_ok=True)
        print(json.dumps(measure(args.one, folder)))
        return
    cols = ("articles", "cpu_ms_per_article", "db_mb_per_1k", "dossier_500_build_cpu_s",
            "dossier_500_cpu_s", "dossier_500_again_cpu_s", "card_500_cpu_s", "web_index_cpu_s", "web_story_cpu_s", "web_article_cpu_s", "peak_rss_mb")  # fmt: skip
    print(" ".join(f"{c:>18}" for c in cols), flush=True)
    first: float | None = None
    for size in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--one", str(size)]
        with tempfile.TemporaryDirectory(prefix="lagebild-path-") as tmp:
            keep = args.keep / str(size) if args.keep else Path(tmp)
            result = subprocess.run(
                [*cmd, "--keep", str(keep)], check=True, capture_output=True, text=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )  # fmt: skip
        row = json.loads(io.StringIO(result.stdout).read().strip().splitlines()[-1])
        first = first or row["cpu_ms_per_article"]
        print(" ".join(f"{row[c]:>18.3f}" for c in cols), flush=True)
        print(f"   per-article CPU vs. the first size: {row['cpu_ms_per_article'] / first:.2f}x")


if __name__ == "__main__":
    main()
