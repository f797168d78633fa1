"""The five seed articles (../shared/seeds): the merges and the non-merge of EXPECTED.md hold,
and most of the other expected entities are found with the right type."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from lagebild.entities import analyze, canonical_entities
from lagebild.entities.catalog import match
from lagebild.entities.ner import load_tagger
from lagebild.ingest import read_file
from lagebild.model import Article, Doc, Entity
from lagebild.text import analyze as text_analyze

# EXPECTED.md, "Entities": (name, type) found with the right type, beyond the merges
OTHERS = [
    ("Jens Stoltenberg", "PER"), ("Nikolai Starikow", "PER"),
    ("Wladiwostok", "LOC"), ("Pjöngjang", "LOC"), ("Ussurijsk", "LOC"),
    ("Komsomolsk am Amur", "LOC"), ("Moskau", "LOC"), ("Seoul", "LOC"), ("Uglegorsk", "LOC"),
    ("Amur-Region", "LOC"), ("Nordkorea", "LOC"), ("Russland", "LOC"), ("Ukraine", "LOC"),
    ("USA", "LOC"), ("China", "LOC"),
    ("NATO", "ORG"), ("Kreml", "ORG"), ("Yonhap", "ORG"), ("YTN", "ORG"), ("KCNA", "ORG"),
    ("Interfax", "ORG"), ("Tass", "ORG"), ("New York Times", "ORG"), ("Washington Post", "ORG"),
    ("Rossija 1", "ORG"), ("Sogang-Universität", "ORG"), ("UN-Sicherheitsrat", "ORG"),
]  # fmt: skip


@cache
def _entities_of(seeds: Path) -> list[Entity]:
    """Seed entities, computed once per test session (the tagging is the slow part)."""
    tagger = load_tagger("crf")
    docs = []
    for path in sorted(seeds.glob("*.txt")):
        (article,) = list(read_file(path))
        assert isinstance(article, Article)
        docs.append(analyze(text_analyze(Doc(article=article)), None, tagger))
    return canonical_entities(docs)


@pytest.fixture
def seed_entities(seeds_dir: Path) -> list[Entity]:
    return _entities_of(seeds_dir)


def _holding(entities: list[Entity], surface: str) -> list[Entity]:
    return [e for e in entities if surface in dict(e.variants)]


def _one(entities: list[Entity], *surfaces: str) -> Entity:
    owners = {e.id: e for s in surfaces for e in _holding(entities, s)}
    assert len(owners) == 1, {s: [e.name for e in _holding(entities, s)] for s in surfaces}
    return next(iter(owners.values()))


def test_wostotschny_spellings_merge(seed_entities) -> None:
    e = _one(
        seed_entities,
        "Wostotschny",
        "Kosmodrom Vostotsjny",
        "Wostochny",
        "Weltraumbahnhof Wostotschny",
        "Kosmodrom Wostotschny",
    )
    assert (e.name, e.type) == ("Kosmodrom Wostotschny", "LOC")


def test_rossija_24_merges(seed_entities) -> None:
    assert _one(seed_entities, "Rossija-24", "Rossiya-24").type == "ORG"


def test_kim_jong_un_merges_and_kim_jae_chun_stays_apart(seed_entities) -> None:
    kim = _one(seed_entities, "Kim Jong-un", "Kim Jong Un")
    assert kim.type == "PER" and "Kim" in dict(kim.variants)
    jae = _one(seed_entities, "Kim Jae-chun")
    assert jae.id != kim.id and jae.type == "PER"
    assert all(m.text != "Kim" for m in jae.mentions)


@pytest.mark.parametrize(
    ("full", "bare"),
    [
        ("Wladimir Putin", "Putin"),
        ("Sergej Schoigu", "Schoigu"),
        ("Dmitri Peskow", "Peskow"),
        ("John Kirby", "Kirby"),
    ],
)
def test_surnames_merge_with_the_full_name(seed_entities, full: str, bare: str) -> None:
    e = _one(seed_entities, full, bare)
    assert (e.name, e.type) == (full, "PER")


def test_most_other_expected_entities_found_with_the_right_type(seed_entities) -> None:
    found = [(n, t) for n, t in OTHERS if any(e.type == t for e in match(n, seed_entities)[:1])]
    missing = sorted(set(OTHERS) - set(found))
    assert len(found) / len(OTHERS) >= 0.8, missing
