"""The seed story: inferred dates of the undated articles and the timeline (EXPECTED.md)."""

from __future__ import annotations

from datetime import date

import pytest

from lagebild import text as text_stage
from lagebild import time as time_stage
from lagebild.config import Config
from lagebild.model import Doc


@pytest.fixture
def seed_docs(seeds_dir) -> dict[str, Doc]:
    from lagebild.ingest.textdump import read_text_dump

    folder = seeds_dir
    docs = {}
    for path in sorted(folder.glob("0*.txt")):
        article = read_text_dump(path.read_bytes(), str(path), Config())
        docs[path.name[:3]] = time_stage.analyze(text_stage.analyze(Doc(article=article)))
    return docs


@pytest.fixture
def story(seed_docs):
    windows, events = time_stage.story_timeline(list(seed_docs.values()))
    return windows, events


WINDOWS = {
    "001": [date(2023, 9, 12)],
    "002": [date(2023, 9, 13)],
    "003": [date(2023, 9, 13)],
    "004": [date(2023, 9, 4), date(2023, 9, 5), date(2023, 9, 6)],
}


@pytest.mark.parametrize("seed", sorted(WINDOWS))
def test_undated_seed_windows_contain_expected_dates(seed_docs, story, seed: str) -> None:
    windows, _ = story
    doc = seed_docs[seed]
    assert doc.article.published is None
    window = windows[doc.id]
    for d in WINDOWS[seed]:
        assert window.contains(d), f"{seed}: {window.earliest}..{window.latest} misses {d}"
    assert (window.latest - window.earliest).days <= 3
    assert 0 < window.confidence <= 1 and window.evidence


def test_dated_seed_has_no_window(seed_docs, story) -> None:
    windows, _ = story
    assert seed_docs["000"].id not in windows


# (date, date_end, seeds that must be cited), in timeline order
EXPECTED = [
    ("1950", "1953", {"004"}),
    ("2019-04", None, {"001", "002", "004"}),
    ("2023-07", None, {"004"}),
    ("2023-08", None, {"000"}),
    ("2023-08-15", None, {"004"}),
    ("2023-08-30", None, {"004"}),
    ("2023-09-04", None, {"004"}),
    ("2023-09-10", None, {"001"}),
    ("2023-09-10", "2023-09-13", {"004"}),
    ("2023-09-12", None, {"001"}),
    ("2023-09-13", None, {"000", "002", "003"}),
]


def test_seed_timeline_has_expected_events_in_order(seed_docs, story) -> None:
    _, events = story
    seed_of = {d.id: s for s, d in seed_docs.items()}
    positions = []
    for day, end, seeds in EXPECTED:
        hits = [
            i
            for i, e in enumerate(events)
            if e.date == day
            and e.date_end == end
            and seeds <= {seed_of[c.article_id] for c in e.citations}
        ]
        assert hits, f"no event {day}..{end} citing {sorted(seeds)}"
        positions.append(hits[0])
    assert positions == sorted(positions)


def test_missile_launch_is_its_own_event(seed_docs, story) -> None:
    _, events = story
    launch = [
        e for e in events if e.date.startswith("2023-09-13") and "Kurzstreckenraketen" in e.label
    ]
    assert launch and {c.article_id for c in launch[0].citations} == {seed_docs["003"].id}


def test_citations_are_sentences_and_undated_events_are_inferred(seed_docs, story) -> None:
    _, events = story
    by_id = {d.id: d for d in seed_docs.values()}
    for e in events:
        for c in e.citations:
            doc = by_id[c.article_id]
            assert any(s.start == c.start and s.end == c.end for s in doc.sentences)
    kirby = next(e for e in events if e.date == "2023-08-30")
    assert kirby.inferred  # "vergangenen Mittwoch" in an undated article
    luna = next(e for e in events if e.date == "2023-08")
    assert not luna.inferred  # "Letzten Monat" in the dated article
