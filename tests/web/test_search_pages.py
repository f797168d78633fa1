"""Search on the web: true totals, pages, marks, within a story; the JSON twin; the CLI agrees."""

from __future__ import annotations

import json
from html import unescape

import pytest
from click.testing import CliRunner

from lagebild.app import Lagebild
from lagebild.cli import main
from lagebild.web import WebApp, get


@pytest.fixture(scope="module")
def web(corpus_db) -> WebApp:
    lb = Lagebild(corpus_db)
    yield WebApp(lb)
    lb.close()


def test_search_within_a_story(corpus_db):
    lb = Lagebild(corpus_db)
    strike = max(lb.stories(), key=lambda s: len(s.article_ids))
    inside = lb.find("Streik", story=strike.id, limit=50)
    assert inside.total == len(strike.article_ids) and inside.total >= 2
    assert lb.find("Kürbis*", story=strike.id).total == 0
    assert lb.find("Kürbis*").total == 1
    lb.close()


def test_search_page_counts_pages_and_marks(web):
    r = get(web, "/search?q=GDL&limit=1")
    assert r.status == 200
    assert "1–1 of <b>3</b> hits" in r.text
    assert "<mark>GDL</mark>" in r.text and 'rel="next"' in r.text
    nxt = unescape(r.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    second = get(web, nxt)
    assert "2–2 of <b>3</b> hits" in second.text
    data = json.loads(get(web, "/api/search?q=gdl&limit=2").text)
    assert data["total"] == 3 and data["count"] == 2 and data["next"]
    hit = data["hits"][0]
    assert all(hit["snippet"][a:b].casefold() == "gdl" for a, b in hit["snippet_marks"])


def test_search_scoped_to_a_story_and_bad_searches(web):
    lb = web.lagebild()
    strike = max(lb.stories(), key=lambda s: len(s.article_ids))
    page = get(web, f"/search?q=Bahn&story={strike.id}")
    assert page.status == 200 and "only in the story" in page.text
    assert get(web, "/search?q=Bahn&story=%25").status == 404
    assert get(web, "/api/search?q=-Bahn").status == 400
    assert get(web, "/api/search?q=Bahn&sort=random").status == 400
    latest = json.loads(get(web, "/api/search?q=Bahn&sort=latest").text)["hits"]
    dates = [h["published"] for h in latest]
    assert dates == sorted(dates, reverse=True)


def test_cli_search_is_the_same_search(corpus_db):
    res = CliRunner().invoke(main, ["--db", str(corpus_db), "search", "gdl", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "1 of 3 hits" in res.output
    res = CliRunner().invoke(main, ["--db", str(corpus_db), "search", "--", "-GDL"])
    assert res.exit_code != 0 and "only excludes" in res.output
