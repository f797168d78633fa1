"""The stories and articles lists: filters, facets, sorting and paging, HTML and JSON alike."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape

import pytest

from lagebild.app import Lagebild
from lagebild.dossier.card import StoryCard
from lagebild.store.listing import StoryQuery, dirty, query_stories, refresh
from lagebild.web import WebApp, get


@pytest.fixture(scope="module")
def web(corpus_db) -> WebApp:
    lb = Lagebild(corpus_db)
    yield WebApp(lb)
    lb.close()


def api(web: WebApp, path: str) -> dict:
    r = get(web, path)
    assert r.status == 200, (path, r.text)
    return json.loads(r.text)


def test_outlet_facet_counts_what_its_filter_returns(web):
    data = api(web, "/api/stories")
    assert data["total"] == len(web.lagebild().stories()) == data["count"]
    outlets = data["facets"]["outlet"]
    assert outlets and {"value", "count"} <= set(outlets[0])
    for facet in outlets:
        some = api(web, f"/api/stories?outlet={facet['value']}")
        assert some["total"] == facet["count"]
        assert all(facet["value"] in s["outlets"] for s in some["stories"])
    two = api(web, f"/api/stories?outlet={outlets[0]['value']}&outlet={outlets[-1]['value']}")
    assert two["total"] >= max(outlets[0]["count"], outlets[-1]["count"])  # one of them


def test_entity_filter_folds_case_and_diacritics_and_needs_every_entity(web):
    strike = api(web, "/api/stories?entity=Claus+Weselsky")
    assert strike["total"] == 1 and "GDL" in json.dumps(strike["stories"][0])
    assert api(web, "/api/stories?entity=claus+WESELSKY")["total"] == 1
    other = next(s for s in api(web, "/api/stories")["stories"] if "GDL" not in s["title"])
    name = other["entities"][0]["name"]  # whatever the tagger found in the Kürbisfest story
    fest = api(web, f"/api/stories?entity={name}")
    assert fest["total"] == 1 and fest["stories"][0]["id"] == other["id"]
    assert api(web, f"/api/stories?entity=Claus+Weselsky&entity={name}")["total"] == 0
    assert api(web, "/api/stories?entity=%25")["total"] == 0  # a literal %, no wildcard
    assert api(web, "/api/stories?entity=Weselsk")["total"] == 0  # whole names only


def test_date_range_and_changed_since(web):
    everything = api(web, "/api/stories")["total"]
    assert api(web, "/api/stories?from=2026-03-19")["total"] == 1  # the Kürbisfest only
    assert api(web, "/api/stories?to=2026-03-18")["total"] == everything - 1
    assert api(web, "/api/stories?from=2026-03-30")["total"] == 0
    assert api(web, "/api/stories?changed=2000-01-01")["total"] == everything
    assert api(web, "/api/stories?changed=24h")["total"] == everything  # just ingested
    assert api(web, "/api/stories?changed=2999-01-01T00:00:00")["total"] == 0


def test_paging_by_cursor_visits_every_story_once_in_order(web):
    for sort in ("latest", "largest", "outlets", "changed"):
        seen, path = [], f"/api/stories?limit=1&sort={sort}"
        while path:
            data = api(web, path)
            assert data["count"] <= 1
            seen += data["stories"]
            path = data["next"]
        assert len(seen) == len({s["id"] for s in seen}) == api(web, "/api/stories")["total"]
    sizes = [s["articles"] for s in api(web, "/api/stories?sort=largest")["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    lasts = [s["last"] for s in api(web, "/api/stories?sort=latest")["stories"]]
    assert lasts == sorted(lasts, reverse=True)


def test_bad_list_parameters_are_400(web):
    for path in (
        "/?sort=random",
        "/api/stories?from=yesterday",
        "/api/stories?changed=soon",
        "/api/stories?cursor=%25%25",
        "/api/stories?limit=0",
        "/api/articles?cursor=abc",
    ):
        assert get(web, path).status == 400, path


def test_stories_page_has_facets_filters_chips_and_pages(web):
    page = get(web, "/?limit=1").text
    assert 'rel="next"' in page and 'data-facet="outlet"' in page and 'name="divergent"' in page
    nxt = unescape(page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    second = get(web, nxt)
    assert second.status == 200 and 'rel="first"' in second.text
    filtered = get(web, "/?from=2026-03-19").text
    assert "Kürbisfest" in filtered and "GDL" not in filtered.split('class="stories"')[1]
    assert 'class="chip"' in filtered and 'href="/"' in filtered
    assert 'href="/api/stories?from=2026-03-19"' in filtered  # its JSON twin


def test_articles_list_pages_and_filters(web):
    data = api(web, "/api/articles?limit=3")
    assert data["total"] == 4 and data["count"] == 3 and data["next"]
    dates = [a["published"] for a in data["articles"]]
    assert dates == sorted(dates, reverse=True)  # latest first
    lang = data["facets"]["language"][0]
    assert api(web, f"/api/articles?lang={lang['value']}")["total"] == lang["count"] == 4
    assert api(web, "/api/articles?lang=fr")["total"] == 0
    assert api(web, "/api/articles?from=2026-03-19")["total"] == 1
    html = get(web, "/articles?limit=3").text
    assert html.count("<tr data-nav>") == 3 and 'rel="next"' in html


def test_divergent_filter_and_dirty_rows(corpus_db, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(corpus_db, db)
    lb = Lagebild(db)
    lb.refresh_listing()
    assert dirty(lb.store) == 0
    story = max(lb.stories(), key=lambda s: len(s.article_ids))
    lb.store.put_stories([replace(story, title="Neu betitelt")])
    assert dirty(lb.store) == 1  # the trigger marked it

    def card(st):
        return StoryCard(st, ("A", "B"), ("de",), (("Erdoğan", "PER", 3),), 2)

    assert refresh(lb.store, card) == 1
    page = query_stories(lb.store, StoryQuery(divergent=True))
    assert [i.story_id for i in page.items] == [story.id] and page.items[0].title == "Neu betitelt"
    for spelling in ("Erdogan", "ERDOĞAN", "erdogan"):
        assert query_stories(lb.store, StoryQuery(entities=(spelling,))).total == 1
    lb.close()


def test_entities_link_to_their_page_from_every_mention_and_list(web):
    lb = web.lagebild()
    strike = max(lb.stories(), key=lambda s: len(s.article_ids))
    pages = {
        "story list": get(web, "/").text,
        "dossier": get(web, f"/story/{strike.id}").text,
        "article": get(web, f"/article/{strike.article_ids[0]}").text,
    }
    for where, html in pages.items():
        hrefs = {h for h in _hrefs(html) if h.startswith("/entity/")}
        assert "/entity/Claus%20Weselsky" in hrefs, where
        for h in sorted(hrefs)[:5]:
            assert get(web, unescape(h)).status == 200, (where, h)


def _hrefs(html: str) -> list[str]:
    import re

    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def test_a_card_shows_the_filtered_entity_first_and_the_keys_are_said(web):
    page = get(web, "/?entity=frankfurt").text
    chips = re.findall(r'<a class="ent( on)?" href="[^"]*">([^<]*)</a>', page)
    assert chips and chips[0] == (" on", "Frankfurt")  # first, marked, as the card spells it
    assert sum(1 for on, _ in chips if on) == 1
    assert "<kbd>j</kbd>" in page and "<kbd>/</kbd>" in page


def test_an_entity_filter_by_a_surname_offers_the_full_name(web):
    page = get(web, "/?entity=weselsky").text
    assert "No story matches" in page
    assert "Did you mean" in page and 'href="/?entity=Claus+Weselsky">Claus Weselsky</a>' in page
    assert get(web, "/?entity=Claus+Weselsky").text.count("<li data-nav>") == 1
    assert 'name="entity"' in page  # any name can be typed, not only the facet's
    assert "Did you mean" not in get(web, "/?entity=nobody-at-all").text
