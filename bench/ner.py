"""NER tagger speed: tokens per CPU second of a tagger on pre-tokenised GermEval sentences.

    nice .venv/bin/python bench/ner.py [--tagger crf] [--sentences 2000]

The GermEval 2014 dev sentences from ../shared (the tokens as the gold has them). Times are
CPU seconds of this process (``time.process_time``), so a loaded machine inflates them less
than wall time would. This was a timed unit test once; speed belongs here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "data" / "ner" / "germeval2014-dev.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tagger", default="crf", help="crf, encoder, spacy:<name>, or a dir")
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()

    from lagebild.entities.ner import load_tagger, tag_tokens
    from lagebild.entities.ner.data import read_germeval

    sents = [list(s.tokens) for s in read_germeval(DEV)[: args.sentences]]
    t0 = time.process_time()
    tagger = load_tagger(args.tagger)
    loaded = time.process_time() - t0
    tag_tokens(tagger, sents[0])  # warm-up: lazy tables
    t0 = time.process_time()
    tokens = sum(len(tag_tokens(tagger, s)) for s in sents)
    took = time.process_time() - t0
    print(f"{args.tagger}: loaded in {loaded:.2f} s CPU; {len(sents)} sentences, {tokens} tokens "
          f"in {took:.2f} s CPU: {tokens / took:,.0f} tokens/s")  # fmt: skip


if __name__ == "__main__":
    main()
