"""Dates no news page can have: the article stays, undated, flagged, the value kept.

A SpkAtt record dated 0001-01-01 once made two dossier stages fail with OverflowError; a
timestamp read in the wrong unit or a typo (2204) would put an article centuries away from its
story. Such a date is dropped where every input passes (readers and ``reread``), not patched
in each stage that does date arithmetic.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from lagebild.config import Config
from lagebild.ingest import read_bytes
from lagebild.ingest.limits import DATE_FLAG, bounded
from lagebild.ingest.reread import reread
from lagebild.model import Article

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 4


def _read(obj: dict) -> Article:
    (item,) = list(read_bytes(json.dumps(obj).encode(), "x.jsonl"))
    assert isinstance(item, Article), item
    return item


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",
        "1799-12-31T23:00:00Z",
        "2204-05-01",
        "9999",
        "1970-01-01T00:00:00Z",
        "1970-01-01T01:00:00+01:00",  # the same zero timestamp in another zone
    ],
)
def test_an_impossible_publication_date_leaves_the_article_undated_and_kept(value: str) -> None:
    a = _read({"title": "Rathaus eröffnet", "text": BODY, "published": value})
    assert a.published is None and a.published_source is None
    assert a.published_precision == "day"
    assert DATE_FLAG in a.flags
    (kept,) = [r for r in a.removed if r.reason == DATE_FLAG]
    assert kept.text.startswith("published: ") and value[:4] in kept.text
    assert a.text.startswith("Die Stadt Musterhausen")  # nothing else is touched


def test_plausible_dates_and_month_precision_pass_unchanged() -> None:
    a = _read({"title": "Rathaus", "text": BODY, "published": "1850-03", "modified": "2019-04-02"})
    assert a.published == datetime(1850, 3, 1, tzinfo=UTC)
    assert a.published_precision == "month" and a.modified is not None
    assert DATE_FLAG not in a.flags and not a.removed


def test_only_the_zero_timestamp_itself_is_a_placeholder() -> None:
    a = _read({"title": "Rathaus", "text": BODY, "published": "1970-01-01T00:00:01Z"})
    assert a.published == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC) and not a.flags
    b = _read({"title": "Rathaus", "text": BODY, "published": "1970-01-02"})
    assert b.published is not None and not b.flags


def test_an_impossible_update_date_goes_alone() -> None:
    a = _read(
        {"title": "Rathaus", "text": BODY, "published": "2019-04-02", "modified": "0001-01-01"}
    )
    assert a.published == datetime(2019, 4, 2, tzinfo=UTC) and a.modified is None
    assert [r.text for r in a.removed] == ["modified: 0001-01-01T00:00:00+00:00"]


def test_the_future_is_measured_from_the_clock_with_a_margin() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    base = Article(id="x", title="t", text=BODY, source="s", format="jsonl")
    tomorrow = bounded(_with(base, datetime(2026, 12, 8, 20, tzinfo=UTC)), Config(), now=now)
    assert tomorrow.published is not None and not tomorrow.flags  # a time zone off: kept
    later = bounded(_with(base, datetime(2027, 1, 8, tzinfo=UTC)), Config(), now=now)
    assert later.published is None and later.flags == (DATE_FLAG,)
    assert bounded(later, Config(), now=now) == later  # applying it again changes nothing


def _with(a: Article, when: datetime) -> Article:
    import dataclasses

    return dataclasses.replace(a, published=when, published_source="feed")


def test_reread_applies_the_same_bound() -> None:
    a = _read({"title": "Rathaus eröffnet", "text": BODY, "published": "0001-01-01"})
    again = reread(a)
    assert isinstance(again, Article)
    assert again.published is None and again.removed == a.removed and again.flags == a.flags


def test_how_far_ahead_is_a_setting(tmp_path) -> None:
    """A corpus dated in the future on purpose (the benchmarks' replicas) raises the bound."""
    toml = tmp_path / "lagebild.toml"
    toml.write_text("[ingest]\nmax_days_ahead = 36500\n", encoding="utf-8")
    config = Config.load(toml)
    line = json.dumps({"title": "Rathaus", "text": BODY, "published": "2040-03-01"})
    (kept,) = list(read_bytes(line.encode(), "x.jsonl", config))
    (dropped,) = list(read_bytes(line.encode(), "x.jsonl"))
    assert isinstance(kept, Article) and kept.published is not None and not kept.flags
    assert isinstance(dropped, Article) and dropped.published is None


def test_a_bound_past_year_9999_keeps_every_date() -> None:
    """A huge setting is no OverflowError: nothing is too far ahead then."""
    from lagebild.ingest.limits import plausibly_dated

    far = _with(
        Article(id="x", title="t", text=BODY, source="s", format="jsonl"),
        datetime(9999, 1, 1, tzinfo=UTC),
    )
    assert plausibly_dated(far, 1e9).published is not None
