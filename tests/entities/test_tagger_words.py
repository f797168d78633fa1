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


def _gazetteer() -> bytes:
    path = model_file(default_model_dir(), "gazetteer.tsv.gz")
    if not path.exists():
        pytest.skip("no shipped German tagger gazetteer")
    return path.read_bytes()


def test_the_shipped_derived_word_sets_are_the_gazetteers() -> None:
    """After a retrained gazetteer, run ``python -m lagebild.entities.lexicon``."""
    from lagebild.entities.lexicon import WORDS_FILE, derived_words_text

    gaz = _gazetteer()
    shipped = default_model_dir() / WORDS_FILE
    # compared decompressed: another zlib build may compress the same text to other bytes
    want = gzip.decompress(derived_words_text(gaz))
    got = gzip.decompress(shipped.read_bytes())
    assert got == want, "stale: python -m lagebild.entities.lexicon"


def test_the_derived_file_is_read_and_only_for_its_gazetteer(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lagebild.entities import lexicon

    gaz = _gazetteer()
    path = tmp_path / lexicon.WORDS_FILE
    path.write_bytes(lexicon.derived_words_text(gaz))
    assert lexicon._derived_words(path, gaz) == lexicon.words_of_gazetteer(gaz)
    other = gzip.compress(b"W\tPaderborn\tg+:LOC\n", mtime=0)
    assert lexicon._derived_words(path, other) is None  # made from another gazetteer
    assert lexicon._derived_words(tmp_path / "missing.gz", gaz) is None
    # the shipped model's sets come from the derived file, not from the 57,000 word lines
    monkeypatch.setattr(lexicon, "words_of_gazetteer", lambda _: pytest.fail("scanned"))
    assert lexicon.tagger_words.__wrapped__() == tagger_words()


def test_a_set_without_words_survives_the_derived_file(tmp_path) -> None:
    from lagebild.entities import lexicon

    gaz = gzip.compress(b"W\tPaderborn\tg+:LOC g:LOC\nW\tund\tgO\n", mtime=0)
    path = tmp_path / lexicon.WORDS_FILE
    path.write_bytes(lexicon.derived_words_text(gaz))
    got = lexicon._derived_words(path, gaz)
    assert got == lexicon.words_of_gazetteer(gaz)
    assert got is not None and got.places == {"Paderborn"} and got.surnames == frozenset()
