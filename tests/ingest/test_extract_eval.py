"""The extraction evaluation: its metrics, and floors on fixed benchmark subsets.

The floors (``extract_floors.json``, beside this file) pin what the HTML reader scored on the
first pages of each benchmark, with a hash of those pages so a changed data set is noticed
instead of passing or failing silently. Lowering a floor is a deliberate, visible change.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from lagebild.ingest.evaluate import (
    Extracted,
    WcxbTally,
    author_match,
    body_score,
    evaluate_wcxb,
    evaluate_zyte,
    fold_title,
    norm_title,
    shingle_counts,
    wcxb_pages,
    word_f1,
    zyte_pages,
)

FLOORS = json.loads((Path(__file__).parent / "extract_floors.json").read_text(encoding="utf-8"))


def test_shingle_metric_on_known_cases() -> None:
    same = shingle_counts("one two three four five", "one two three four five")
    assert (same.tp, same.fp, same.fn) == (1.0, 0.0, 0.0)
    extra = shingle_counts("a b c d", "a b c d e")  # gold 1 shingle, predicted 2
    assert extra.tp == pytest.approx(0.5) and extra.fp == pytest.approx(0.5)
    score = body_score([same, extra])
    assert score.precision == pytest.approx(0.75) and score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_word_f1_and_title_normalisation() -> None:
    assert word_f1("The cat sat", "the cat sat") == 1.0
    assert word_f1("a b", "c d") == 0.0
    assert norm_title("  Kim’s   trip – Putin ") == "Kim’s trip – Putin"  # whitespace only
    assert fold_title("  Kim’s   trip – Putin ") == "Kim's trip - Putin"


def test_author_matching_rules() -> None:
    assert author_match(
        "Danielle DeSiato, Donna Enzmann, and Natalie Nguyen",
        ("Danielle DeSiato", "Donna Enzmann", "Natalie Nguyen"),
    )
    assert author_match("Jane Roe, MD", ("Jane Roe, MD",))
    assert not author_match("Jane Roe, MD", ("Jane Roe",))
    assert author_match("kirstin boatto", ("Kirstin Boatto",))


def test_tally_counts_invented_authors_and_days() -> None:
    t = WcxbTally()
    t.add(
        {"title": "T", "author": None, "publish_date": "2023-09-13", "main_content": "x y"},
        Extracted("x y", "T", ("Someone",), date(2023, 9, 13)),
    )
    t.add(
        {"title": "U", "author": "A B", "publish_date": None, "main_content": "x"},
        Extracted("x", "V", ("A B",), None),
    )
    d = t.as_dict()
    assert d["author_invented"] == 1.0 and d["author_exact"] == 1.0
    assert d["date_day"] == 1.0 and d["title_exact"] == 0.5


def _hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def test_zyte_floor(need) -> None:
    root = need("data", "extraction", "zyte-aeb")
    floor = FLOORS["zyte"]
    pages = list(zyte_pages(root, floor["pages"]))
    assert _hash([p for _, p, _ in pages]) == floor["data_hash"], (
        "Zyte subset changed: re-measure the floors"
    )
    result = evaluate_zyte(root, limit=floor["pages"])
    assert result.body.f1 >= floor["body_f1"]


def test_wcxb_floor(need) -> None:
    root = need("data", "extraction", "wcxb-dev-articles")
    floor = FLOORS["wcxb"]
    pages = list(wcxb_pages(root, floor["pages"]))
    files = [p for _, p, _ in pages] + [root / "ground-truth" / f"{k}.json" for k, _, _ in pages]
    assert _hash(files) == floor["data_hash"], "WCXB subset changed: re-measure the floors"
    got = evaluate_wcxb(root, limit=floor["pages"]).all
    for key in ("body_f1", "title_exact", "title_exact_folded", "author_exact", "date_day"):
        assert got[key] >= floor[key], (key, got[key], floor[key])
    assert got["author_invented"] <= floor["author_invented"]
