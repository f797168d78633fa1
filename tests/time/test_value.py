"""The one parsed TIMEX3 value type: every kind parses, sorts and renders; nothing raises."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lagebild.app import Lagebild
from lagebild.dossier.charts import in_time_order
from lagebild.model import TimelineEvent
from lagebild.time.labels import timex_label, when
from lagebild.time.value import parse
from lagebild.web import WebApp, get

WINTER = {
    "title": "Winterbericht",
    "text": "Im Winter 2015 fiel in Wien viel Schnee. Der Bürgermeister sagte am Montag, man "
    "sei vorbereitet.",
    "published": "2016-01-04T10:00:00Z",
}


@pytest.mark.parametrize(
    ("raw", "kind", "first", "label"),
    [
        ("19", "century", date(1900, 1, 1), "1900s"),
        ("195", "decade", date(1950, 1, 1), "1950s"),
        ("2023", "year", date(2023, 1, 1), "2023"),
        ("2023-H2", "half", date(2023, 7, 1), "2023 second half"),
        ("2023-Q2", "quarter", date(2023, 4, 1), "2023 Q2"),
        ("2023-SU", "season", date(2023, 6, 21), "2023 summer"),
        ("2015-WI", "season", date(2015, 12, 21), "2015 winter"),
        ("2023-09", "month", date(2023, 9, 1), "2023-09"),
        ("2023-W37", "week", date(2023, 9, 11), "2023 week 37"),
        ("2023-W37-WE", "weekend", date(2023, 9, 16), "2023 week 37 weekend"),
        ("2023-09-13", "day", date(2023, 9, 13), "2023-09-13"),
        ("2023-W37-3", "day", date(2023, 9, 13), "2023-W37-3"),
        ("2023-09-12TMO", "time", date(2023, 9, 12), "2023-09-12 morning"),
        ("2023-09-12T14:30", "time", date(2023, 9, 12), "2023-09-12 14:30"),
        ("P4Y", "duration", None, "4 years"),
        ("PT90M", "duration", None, "90 minutes"),
        ("P1Y6M", "duration", None, "1 year 6 months"),
        ("PXW", "duration", None, "weeks"),
        ("XXXX-09-13", "day", None, "XXXX-09-13"),
        ("XXXX-WXX-2", "day", None, "Tuesday"),
        ("XXXX-XX-XXT20:00", "time", None, "XXXX-XX-XX 20:00"),
        ("PRESENT_REF", "ref", None, "now"),
        ("2023-02-30", "unknown", None, "2023-02-30"),
        ("2021-W53", "unknown", None, "2021-W53"),
        ("Dienstag", "unknown", None, "Dienstag"),
    ],
)
def test_every_kind_parses_and_renders(raw: str, kind: str, first: date | None, label: str):
    v = parse(raw)
    assert (v.kind, v.first_day(), v.label()) == (kind, first, label)
    assert timex_label(raw) == label


def test_sets_and_mods() -> None:
    assert parse("XXXX-WXX-2", type="SET").kind == "set"
    assert parse("XXXX-WXX-2", type="SET").label() == "every Tuesday"
    assert parse("P1W", type="SET").label() == "every week"
    assert timex_label("2023", "START") == "early 2023"
    assert timex_label("P3Y", "MORE_THAN") == "more than 3 years"
    assert parse("2023", "MID").mod == "MID"


def test_seasons_quarters_and_halves_sort_in_the_calendar() -> None:
    values = ["2023-07", "2023-SU", "2023-H2", "2023-Q1", "2023", "2023-01", "195", "2022-WI",
              "2023-W37", "XXXX-09", "junk", "2023-09-12T14:30", "2023-09-12TMO", "2023-09-12"]  # fmt: skip
    ordered = sorted(values, key=lambda r: parse(r).sort_key())
    # by first day; on the same first day the coarser value first
    assert ordered == ["195", "2022-WI", "2023", "2023-Q1", "2023-01", "2023-SU", "2023-H2",
                       "2023-07", "2023-W37", "2023-09-12", "2023-09-12TMO",
                       "2023-09-12T14:30", "XXXX-09", "junk"]  # fmt: skip
    events = [TimelineEvent(v, None, "month", v) for v in ("2023-SU", "2023-01", "2023-Q3")]
    assert [e.date for e in in_time_order(events)] == ["2023-01", "2023-SU", "2023-Q3"]


def test_containment() -> None:
    assert parse("2023-SU").contains(parse("2023-07-15"))
    assert parse("2022-WI").contains(parse("2023-01-10"))
    assert parse("195").contains(parse("1953"))
    assert parse("2023-09-12").contains(parse("2023-09-12T14:30"))
    assert parse("2023-SU").contains(parse("2023-07"))
    assert not parse("2023-SU").contains(parse("2023-06"))  # June begins before the 21st
    assert not parse("2023").contains(parse("2023"))


def test_when_ranges() -> None:
    assert when("2023-09-12", "2023-09-14") == "2023-09-12 – 09-14"
    assert when("2023-SU", "2023-FA") == "2023 summer – 2023 autumn"


_PIECES = st.sampled_from(
    ["", "X", "XX", "XXXX", "2023", "195", "19", "-", "W", "WE", "Q", "H", "SP", "SU", "FA",
     "WI", "T", "MO", "EV", "P", "Y", "M", "D", "S", "1", "12", "53", "99", ":", "00", "_REF"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=24), st.lists(_PIECES, max_size=8).map("".join)))
def test_no_value_string_raises_from_the_consumers(raw: str) -> None:
    v = parse(raw)
    assert isinstance(v.sort_key(), tuple) and isinstance(v.label(with_mod=True), str)
    assert v.first_day() is None or v.first_day() <= v.last_day()
    timex_label(raw, "START")
    when(raw, "2023-SU")
    when("2023-09-12", raw)
    event = TimelineEvent(raw, None, v.granularity, "x")
    in_time_order([event, TimelineEvent("2023-SU", None, "month", "y")])


def test_a_season_in_the_text_does_not_end_the_main_job(tmp_path) -> None:
    """Issue 14: "Im Winter 2015" (TIMEX3 2015-WI) killed run, dossier, timeline, /story/ID."""
    from lagebild.cli import main

    src = tmp_path / "winter.jsonl"
    src.write_text(json.dumps(WINTER, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    run = runner.invoke(main, ["--db", db, "run", str(src), "--out", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "out" / "index.html").exists()
    lb = Lagebild(db)
    story = lb.stories()[0]
    timeline = runner.invoke(main, ["--db", db, "timeline", story.id, "--json"])
    assert timeline.exit_code == 0, timeline.output
    events = json.loads(timeline.output.strip().splitlines()[-1])["events"]
    assert [e["date"] for e in events][:2] == ["2015-WI", "2016-01-04"]
    dossier = runner.invoke(main, ["--db", db, "dossier", story.id])
    assert dossier.exit_code == 0 and "2015 winter" in dossier.output, dossier.output
    assert get(WebApp(lb), f"/story/{story.id}").status == 200
    lb.close()
