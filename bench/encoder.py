"""The contextual encoder: pieces/s on one core, articles/s per mode, peak RSS of an ingest.

    nice .venv/bin/python bench/encoder.py [--articles 200] [--ingest 1000] [--skip-ingest]

Real German news (10kGNAD test split from ../shared, cut to about 600 tokens each). All times
are CPU seconds of this process (``time.process_time``), so a loaded machine inflates them
less than wall time would. No outer thread limit: the library puts numpy's BLAS on one thread
itself (the encoder's forward pass and the heads, ``lagebild.text.encoder.blas_threads``), so
this measures what ``lagebild`` does. The first line names the CPU, its vector extensions and
the BLAS kernel (a figure from another machine is only comparable with these beside it), and
the load average before and after. Prints:

1. encoder speed: pieces and tokens per second for what the heads need (every sentence
   through layers 1-8, no text vector) and for all 12 layers with the e5 text vector;
2. whole per-article analysis (all stages) in encoder mode and in ``--fast`` mode, articles/s;
3. peak RSS of ``Lagebild.ingest`` + analysis of N articles in encoder mode (a subprocess each).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GNAD = HERE.parents[1] / "shared" / "data" / "stories" / "10kgnad" / "test.csv"


def articles(n: int, tokens: int = 600) -> list[str]:
    """Up to ``n`` 10kGNAD articles cut after the sentence that reaches ``tokens`` tokens."""
    from lagebild.text.tokenize import sentences

    out = []
    with GNAD.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";", quotechar="'"):
            text = row[-1]
            cut, count = 0, 0
            for s in sentences(text, "de"):
                count += len(s.tokens)
                cut = s.end
                if count >= tokens:
                    break
            if count >= tokens * 0.8:
                out.append(text[:cut])
            if len(out) == n:
                break
    return out


def encoder_speed(texts: list[str]) -> None:
    from lagebild.model import Article, Doc
    from lagebild.text import analyze as text_stage
    from lagebild.text.encoder import load_encoder
    from lagebild.text.states import doc_states

    enc = load_encoder()
    docs = [text_stage(Doc(article=Article(id=str(i), title="", text=t, source="bench",
                                           format="text", language="de")))
            for i, t in enumerate(texts)]  # fmt: skip
    n_tok = sum(len(d.tokens) for d in docs)
    n_pieces = sum(len(enc.tokenizer(t).ids) for t in texts)
    doc_states(docs[0], enc, (4, 8), pooled=False)  # warm-up
    for label, layers, pooled in (("layers 1-8, no text vector", (4, 5, 6, 7, 8), False),
                                  ("layers 1-12 + text vector", (4, 5, 6, 7, 8), True)):  # fmt: skip
        t0 = time.process_time()
        for d in docs:
            doc_states(d, enc, layers, pooled=pooled)
        dt = time.process_time() - t0
        print(f"encoder, {label}: {n_pieces / dt:,.0f} pieces/s, {n_tok / dt:,.0f} tokens/s, "
              f"{len(docs) / dt:.2f} articles/s ({n_tok / len(docs):.0f} tokens each)")  # fmt: skip


def pipeline_speed(texts: list[str]) -> None:
    from lagebild.config import Config
    from lagebild.model import Article
    from lagebild.pipeline import Pipeline

    arts = [Article(id=str(i), title="", text=t, source="bench", format="text", language="de")
            for i, t in enumerate(texts)]  # fmt: skip
    for label, fast in (("encoder mode", False), ("--fast", True)):
        pipe = Pipeline(Config(fast=fast))
        pipe(arts[0])  # warm-up: loads the models
        t0, w0 = time.process_time(), time.perf_counter()
        for a in arts:
            pipe(a)
        dt, wall = time.process_time() - t0, time.perf_counter() - w0
        print(f"whole analysis, {label}: {len(arts) / dt:.2f} articles/s ({dt / len(arts) * 1000:.0f} "
              f"ms CPU, {wall / len(arts) * 1000:.0f} ms wall each)")  # fmt: skip


def ingest_rss(n: int) -> None:
    """Run the ingest in a child so its peak RSS is its own."""
    code = (
        "import json,resource,sys,time,pathlib,tempfile\n"
        "from lagebild.app import Lagebild\nfrom lagebild.config import Config\n"
        "sys.path.insert(0, sys.argv[1]); from encoder import articles\n"
        "texts = articles(int(sys.argv[2]))\n"
        "d = pathlib.Path(tempfile.mkdtemp()); src = d / 'in'; src.mkdir()\n"
        "(src / 'gnad.jsonl').write_text(''.join(json.dumps({'title': t[:60], 'text': t, "
        "'url': f'https://example.org/{i}'}) + '\\n' for i, t in enumerate(texts)))\n"
        "app = Lagebild(d / 'db.sqlite', Config(fast=False))\n"
        "t0 = time.process_time(); app.ingest([src / 'gnad.jsonl'])\n"
        "print(json.dumps({'articles': len(texts), 'cpu_s': time.process_time() - t0, "
        "'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(HERE), str(n)], check=True,
                         capture_output=True, text=True)  # fmt: skip
    print("ingest + analysis, encoder mode:", res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--ingest", type=int, default=1000)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    texts = articles(args.articles)
    print(json.dumps({"cpu": _cpu(), "articles": len(texts), **_blas(), "load": os.getloadavg()}))
    encoder_speed(texts)
    pipeline_speed(texts)
    print(json.dumps({"load": os.getloadavg()}))
    if not args.skip_ingest:
        ingest_rss(args.ingest)
    print(
        f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def _blas() -> dict[str, object]:
    """numpy's BLAS: library, version, the kernel it picked for this CPU, default threads."""
    import numpy  # noqa: F401 -- loads the library threadpoolctl reports
    from threadpoolctl import threadpool_info

    for lib in threadpool_info():
        if lib["user_api"] == "blas":
            keys = ("internal_api", "version", "architecture", "num_threads")
            return {"blas": {k: lib.get(k) for k in keys}}
    return {"blas": None}


_FLAGS = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile")


def _cpu() -> str:
    """The CPU's name and the vector extensions that decide the BLAS kernel's speed."""
    name, flags = "", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags.update(f for f in line.split() if f in _FLAGS)
            if line.startswith("model name") and not name:
                name = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{name or 'unknown'} ({' '.join(f for f in _FLAGS if f in flags) or 'no AVX2'})"


if __name__ == "__main__":
    main()
