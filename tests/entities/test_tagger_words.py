"""The gazetteer's word sets, read in one piece, are what a line-by-line reading gives."""

from __future__ import annotations

import gzip

import pytest

from lagebild.entities.lexicon import tagger_words
from lagebild.entities.ner import default_model_dir
from lagebild.entities.ner.lexicon import model_file


def test_tagger_words_match_reading_the_gazetteer_line_by_line() -> None:
    path = model_file(default_model_dir(), "gazetteer.tsv.gz")
    if not path.exists():
        pytest.skip("no shipped German tagger gazetteer")
    want: dict[str, set[str]] = {k: set() for k in ("common", "places", "firsts", "named", "sur")}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("W\t"):
                continue
            _, word, feats = line.rstrip("\n").split("\t")
            have = feats.split()
            checks = {
                "common": "gO" in have,
                "places": "g+:LOC" in have,
                "firsts": "gf:PER" in have and "g+:PER" in have,
                "named": any(f.startswith(("g:", "gf:", "gl:")) for f in have),
                "sur": "gl:PER" in have,
            }
            for k, hit in checks.items():
                if hit:
                    want[k].add(word)
    got = tagger_words()
    assert got.common == want["common"] and got.places == want["places"]
    assert got.first_names == want["firsts"] and got.named == want["named"]
    assert got.surnames == want["sur"]
    assert all(len(v) > 500 for v in want.values())
