"""Publication dates known to the month or year only: read, stored, shown and clustered as the
span they are, never as the 1st of the month."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lagebild.ingest.jsonl import read_jsonl
from lagebild.model import Article, Doc, parse_published
from lagebild.pipeline import Pipeline
from lagebild.store.sqlite import Store
from lagebild.stories import from_doc
from lagebild.stories.evaluate import family, read_gold, split
from lagebild.time import analyze, infer_date_window
from lagebild.web.pages import _date


def test_parse_published_gives_the_precision() -> None:
    assert parse_published("2019-04") == (datetime(2019, 4, 1, tzinfo=UTC), "month")
    assert parse_published("2019") == (datetime(2019, 1, 1, tzinfo=UTC), "year")
    assert parse_published("2019-04-15T14:00:00+02:00") == (
        datetime(2019, 4, 15, 12, tzinfo=UTC),
        "day",
    )
    with pytest.raises(ValueError):
        parse_published("2019-13")


def _read_with(published: str, text: str, url_key: str) -> Article:
    line = json.dumps({"title": "Streik", "text": text, "published": published,
                       "url": f"https://x.example/{url_key}"})  # fmt: skip
    (art,) = read_jsonl(line.encode(), "x.jsonl")
    assert isinstance(art, Article), art
    return art


def _read(published: str) -> Article:
    line = json.dumps({"title": "T", "text": "Ein Text.", "published": published})
    (art,) = read_jsonl(line.encode(), "x.jsonl")
    assert isinstance(art, Article), art
    return art


def test_jsonl_month_only_date_is_a_month_span() -> None:
    art = _read("2019-04")
    assert art.published_precision == "month"
    assert art.published_span == (date(2019, 4, 1), date(2019, 4, 30))
    assert art.published_label == "2019-04"
    assert _date(art) == "2019-04"  # the web page does not invent a day and an hour
    day = _read("2019-04-15")
    assert day.published_precision == "day" and day.published_span == (date(2019, 4, 15),) * 2
    assert _read("2020").published_span == (date(2020, 1, 1), date(2020, 12, 31))


def test_store_keeps_the_precision(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    art = _read("2019-04")
    store.add_articles([art])
    assert store.article(art.id).published_precision == "month"
    store.close()


def test_month_only_date_is_no_anchor_and_the_text_narrows_it() -> None:
    art = Article(id="m", title="Brand", text="Am 12. April 2019 brannte in der Nacht eine "
                  "Lagerhalle. Gestern nahm die Polizei einen Verdächtigen fest.", source="m",
                  format="text", published=datetime(2019, 4, 1, tzinfo=UTC),
                  published_precision="month", language="de")  # fmt: skip
    doc = Pipeline(names=("text",))(Doc(article=art))
    tagged = analyze(doc)
    gestern = next(t for t in tagged.times if t.text == "Gestern")
    assert gestern.value != "2019-03-31"  # not resolved against the 1st of the month
    w = infer_date_window(tagged)
    assert w is not None and date(2019, 4, 10) <= w.earliest and w.latest <= date(2019, 4, 30)
    f = from_doc(tagged)
    # the day the text names, a few days either side: not any day of the month
    assert f.span == (date(2019, 4, 9), date(2019, 4, 15))


def test_a_month_only_date_with_weekdays_only_keeps_the_month() -> None:
    """ "am Mittwoch" fits every week of the month: only a named day narrows a month."""
    art = Article(id="w", title="Streik", text="Die GDL streikt ab Mittwoch, die Bahn rechnet "
                  "bis Montag mit Ausfällen.", source="w", format="text",
                  published=datetime(2024, 1, 1, tzinfo=UTC), published_precision="month",
                  language="de")  # fmt: skip
    f = from_doc(analyze(Pipeline(names=("text",))(Doc(article=art))))
    assert f.span == (date(2024, 1, 1), date(2024, 1, 31))


def test_split_halves_are_whole_events_and_cover_the_gold(tmp_path: Path) -> None:
    rows = [
        {"id": f"a{i}", "event_id": f"e{i % 5}", "title": "t", "text": "x", "published": "2020-01"}
        for i in range(20)
    ]
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = read_gold(path)
    even, odd = split(items, "even"), split(items, "odd")
    assert {i.event_id for i in even} == {"e0", "e2", "e4"}
    assert {i.event_id for i in odd} == {"e1", "e3"}
    assert len(even) + len(odd) == len(items)
    assert all(i.article.published_precision == "month" for i in items)


def test_split_by_family_keeps_an_actors_events_and_distractors_in_one_half(tmp_path: Path) -> None:
    events = ["gdl_streik_2014", "gdl_streik_2024_01", "gdl_streik_2024_03",
              "distractor_gdl_wellenstreik", "galeria_2020", "galeria_2024", "papst_tod",
              "distractor_papst_benedikt", "merz_wahl"]  # fmt: skip
    rows = [{"id": f"a{i}", "event_id": e, "text": "x"} for i, e in enumerate(events)]
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = read_gold(path)
    assert family("distractor_gdl_wellenstreik") == family("gdl_streik_2024_03") == "gdl"
    halves = [{i.event_id for i in split(items, h, "family")} for h in ("even", "odd")]
    assert halves[0] | halves[1] == set(events) and not halves[0] & halves[1]
    for fam in ("gdl", "galeria", "papst"):
        own = {e for e in events if family(e) == fam}
        assert own <= halves[0] or own <= halves[1]
    # split by event, the GDL strikes fall into both halves
    by_event = {i.event_id for i in split(items, "even")}
    assert "gdl_streik_2014" in by_event and "gdl_streik_2024_01" not in by_event


def test_story_command_shows_month_only_dates_as_months(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import main

    src = tmp_path / "a.jsonl"
    src.write_text(
        json.dumps({"title": "Streik bei der Bahn", "text": "Die Lokführer streiken erneut.",
                    "published": "2019-04", "url": "https://a.example/1"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(src)]).exit_code == 0
    listed = runner.invoke(main, ["--db", db, "stories", "--format", "jsonl"])
    story_id = json.loads(listed.output.splitlines()[0])["id"]
    out = runner.invoke(main, ["--db", db, "story", story_id], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "2019-04 .. 2019-04" in out.output
    assert "2019-04-01" not in out.output  # no invented first day of the month
    # the story list and its records say the same
    listing = runner.invoke(main, ["--db", db, "stories"], terminal_width=200)
    assert "2019-04" in listing.output and "2019-04-01" not in listing.output
    record = json.loads(listed.output.splitlines()[0])
    assert (record["first_precision"], record["last_precision"]) == ("month", "month")


def test_story_dates_keep_the_precision_of_the_articles_they_come_from() -> None:
    from lagebild.config import StoriesConfig
    from lagebild.stories.cluster import StoryIndex

    def features(art_id: str, published: str, text: str):
        art = _read_with(published, text, art_id)
        return from_doc(analyze(Pipeline(names=("text",))(Doc(article=art))))

    text = "Die Lokführergewerkschaft GDL streikt bei der Deutschen Bahn erneut drei Tage lang."
    index = StoryIndex(config=StoriesConfig())
    ids = {index.add(features(a, published, text))[0] for a, published in
           [("m", "2024-01"), ("d", "2024-01-10")]}  # fmt: skip
    assert len(ids) == 1  # one story (a near-copy joins the first report)
    story = index.active[ids.pop()].record()
    assert (story.first_label, story.first_precision) == ("2024-01", "month")
    assert (story.last_label, story.last_precision) == ("2024-01-10", "day")


def test_a_month_dated_report_narrows_by_a_dotted_day_but_not_by_a_magnitude() -> None:
    def span(text: str):
        art = Article(id="d", title="Streik", text=text, source="d", format="text",
                      published=datetime(2024, 1, 1, tzinfo=UTC), published_precision="month",
                      language="de")  # fmt: skip
        return from_doc(analyze(Pipeline(names=("text",))(Doc(article=art)))).span

    assert span("Der Streik endet schon am Sonntagabend (28.01.), heißt es bei der Bahn.") == (
        date(2024, 1, 25), date(2024, 1, 31))  # fmt: skip
    # "M 5.4." is a quake's magnitude, "18.01 Uhr" a time: neither names a day
    assert span("Ein Erdbeben der Stärke M 5.4. erschütterte die Stadt um 18.01 Uhr.") == (
        date(2024, 1, 1), date(2024, 1, 31))  # fmt: skip


def test_a_month_only_report_sorts_by_the_days_its_text_names_else_after_its_month() -> None:
    from dataclasses import dataclass

    from lagebild.stories.build import order

    @dataclass
    class Item:
        id: str
        published: datetime | None
        published_precision: str = "day"
        span: tuple[date, date] | None = None

    jan = datetime(2024, 1, 1, tzinfo=UTC)
    items = [
        Item("named", jan, "month", (date(2024, 1, 21), date(2024, 1, 27))),  # "am 24. Januar"
        Item("month", jan, "month", (date(2024, 1, 1), date(2024, 1, 31))),  # names no day
        Item("after-month", None),  # undated: stays behind its ingest predecessor
        Item("year", datetime(2023, 1, 1, tzinfo=UTC), "year"),  # no span known: the year's end
        Item("d10", datetime(2024, 1, 10, 9, tzinfo=UTC)),
        Item("d31", datetime(2024, 1, 31, 23, tzinfo=UTC)),
        Item("d22", datetime(2024, 1, 22, tzinfo=UTC)),
        Item("feb", datetime(2024, 2, 1, tzinfo=UTC)),
        Item("dec", datetime(2023, 12, 31, 12, tzinfo=UTC)),
    ]
    got = [it.id for it in order(items)]
    # "2024-01" on the 1st would come before every report of January whose day is known
    assert got == ["dec", "year", "d10", "named", "d22", "d31", "month", "after-month", "feb"]


def test_the_store_orders_a_month_only_report_as_the_gold_evaluation_does(tmp_path: Path) -> None:
    """The store keeps "2024-01" as the 1st: it reads such articles' features before ordering,
    so a store clusters in the order ``eval stories`` measures."""
    from lagebild.app import Lagebild
    from lagebild.stories.cluster import StoryIndex

    def art(i: str, text: str, published: datetime, precision: str = "day") -> Article:
        return Article(id=i, title=f"Bahnstreik {i}", text=text, source=i, format="text",
                       outlet=f"{i}.example", language="de", published=published,
                       published_precision=precision)  # fmt: skip

    jan = datetime(2024, 1, 1, tzinfo=UTC)
    arts = [
        art(
            "m-none",
            "Die GDL streikt ab Mittwoch, die Bahn rechnet bis Montag mit Ausfällen.",
            jan,
            "month",
        ),
        art(
            "m-24",
            "Die GDL streikt seit dem 24. Januar, die Bahn fährt einen Notfahrplan.",
            jan,
            "month",
        ),
        art("d10", "Die GDL streikt, Pendler warten auf Züge.", datetime(2024, 1, 10, tzinfo=UTC)),
        art("d30", "Die GDL hat den Streik beendet.", datetime(2024, 1, 30, tzinfo=UTC)),
        art("midnight", "Die GDL ruft zum Streik auf.", jan),  # a day-dated report on the 1st
    ]
    seen: list[str] = []
    add = StoryIndex.add

    def recording(self, f, emb=None):  # type: ignore[no-untyped-def]
        seen.append(f.id)
        return add(self, f, emb)

    app = Lagebild(tmp_path / "s.db")
    app.store.add_articles(arts)
    StoryIndex.add = recording  # type: ignore[method-assign]
    try:
        app.cluster()
    finally:
        StoryIndex.add = add  # type: ignore[method-assign]
    app.close()
    assert seen == ["midnight", "d10", "m-24", "d30", "m-none"]
