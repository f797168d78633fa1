"""The web app, called in-process on the small corpus of conftest.py."""

from __future__ import annotations

import json
import re
import threading
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest

from lagebild.app import Lagebild
from lagebild.web import WebApp, get


@pytest.fixture(scope="module")
def web(corpus_db) -> WebApp:
    lb = Lagebild(corpus_db)
    yield WebApp(lb)
    lb.close()


@pytest.fixture(scope="module")
def lb(web: WebApp) -> Lagebild:
    return web.lagebild()


def _strike_story(lb: Lagebild):
    return max(lb.stories(), key=lambda s: len(s.article_ids))


class Links(HTMLParser):
    """The hrefs and ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k == "href" and v:
                self.hrefs.append(v)
            if k == "id" and v:
                self.ids.add(v)


def links(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_index_lists_every_story_with_links(web, lb):
    r = get(web, "/")
    assert r.status == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(r.headers["Content-Length"]) == len(r.body)
    for story in lb.stories():
        assert f'href="/story/{story.id}"' in r.text
    # every link from the index resolves
    for h in links(r.text).hrefs:
        if h.startswith(("story/", "/")) and not h.startswith("/search"):
            path = h if h.startswith("/") else "/" + h
            assert get(web, path).status == 200, h


def test_story_page_is_the_dossier_export_with_resolving_citations(web, lb):
    story = _strike_story(lb)
    assert len(story.article_ids) >= 2
    r = get(web, f"/story/{story.id}")
    assert r.status == 200
    page = links(r.text)
    for key in ("key-facts", "summary", "timeline", "statements", "facts", "entities", "sources"):
        assert key in page.ids, key
    cites = [h for h in page.hrefs if h.startswith("#m-")]
    assert cites, "the dossier cites nothing"
    for h in cites:  # in-page: every citation lands on a mark of the page itself
        assert h[1:] in page.ids, h
    # the served article pages carry the same anchors
    articles = [h for h in page.hrefs if h.startswith("/article/")]
    assert {h.rsplit("/", 1)[1] for h in articles} == set(story.article_ids)
    for h in sorted(set(cites)):
        article_id = re.match(r"#m-(.+)-\d+-\d+$", h).group(1)
        target = links(get(web, f"/article/{article_id}").text)
        assert h[1:] in target.ids, h


def test_story_exports_and_prefix(web, lb):
    story = _strike_story(lb)
    md = get(web, f"/story/{story.id[:6]}.md")
    assert md.status == 200
    assert md.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert md.text.startswith("# ")
    js = get(web, f"/story/{story.id}.json")
    assert js.headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(js.text)
    assert data["schema"].startswith("lagebild.dossier/")
    assert data["story"]["id"] == story.id
    assert json.loads(get(web, f"/api/story/{story.id}").text) == data


def test_article_page_shows_text_times_captions_and_story(web, lb):
    story = _strike_story(lb)
    aid = story.article_ids[0]
    r = get(web, f"/article/{aid}")
    assert r.status == 200
    assert f'id="a-{aid}"' in r.text  # the dossier's article-list anchor
    assert 'class="time"' in r.text  # "am Mittwoch" etc. marked with their value
    assert 'class="tv"' in r.text
    for key in ("meta", "text", "captions", "removed", "times"):
        assert f'id="{key}"' in r.text
    assert f"/story/{story.id}#a-{aid}" in r.text


def test_output_is_escaped(web, lb):
    art = next(a for a in lb.articles() if "Kürbis" in a.title)
    r = get(web, f"/article/{art.id}")
    assert "<script>" not in r.text
    assert "&lt;script&gt;" in r.text
    s = get(web, "/search?q=" + quote('<script>"'))
    assert s.status == 200
    assert "<script>" not in s.text


def test_search_pages_and_api(web):
    r = get(web, "/search?q=Weselsky")
    assert r.status == 200
    assert r.text.count('href="/article/') >= 3
    assert "<mark>Weselsky</mark>" in r.text
    assert get(web, "/search").status == 200  # the empty form
    data = json.loads(get(web, "/api/search?q=Kürbisfest").text)
    assert data["count"] == 1
    assert data["hits"][0]["title"].startswith("Kürbisfest")


def test_bad_queries_are_400(web):
    for path in ("/search?q=AND", "/api/search?q=OR", "/api/search", "/search?q=x&limit=ten"):
        r = get(web, path)
        assert r.status == 400, path
    bad = get(web, "/api/search?q=NOT")
    assert "error" in json.loads(bad.text)


def test_unknown_ids_are_404_with_a_message(web):
    for path in ("/story/zzzz", "/story/zzzz.json", "/article/zzzz", "/nowhere", "/story/a/b"):
        r = get(web, path)
        assert r.status == 404, path
        assert "text/html" in r.headers["Content-Type"]
        assert "zzzz" in r.text or "no page" in r.text
    api = get(web, "/api/article/zzzz")
    assert api.status == 404
    assert json.loads(api.text) == {"error": "no article with id 'zzzz'", "status": 404}
    assert get(web, "/api/nothing").status == 404


def test_api_lists(web, lb):
    stories = json.loads(get(web, "/api/stories").text)
    assert stories["count"] == len(lb.stories())
    assert {"id", "title", "outlets", "languages", "first", "last"} <= set(stories["stories"][0])
    arts = json.loads(get(web, "/api/articles?limit=2").text)
    assert arts["count"] == 2 and arts["total"] == 4 and arts["next_cursor"]
    rest = json.loads(get(web, arts["next"]).text)
    assert rest["count"] == 2 and not rest["next_cursor"]
    assert {a["id"] for a in rest["articles"]}.isdisjoint(a["id"] for a in arts["articles"])
    one = json.loads(get(web, f"/api/article/{arts['articles'][0]['id']}").text)
    assert one["text"] and "raw" not in one
    assert {"times", "mentions", "quotes", "facts"} <= set(one["analysis"])
    ents = json.loads(get(web, "/api/entities").text)
    assert any(e["name"] == "Claus Weselsky" for e in ents["entities"])
    page = get(web, "/api")
    assert page.status == 200
    links = re.findall(r'href="(/api[^"]*)"', page.text)
    assert not [x for x in links if "/ID" in x]  # each path with an ID links to a real one
    for path in ("/api/story/", "/api/article/", "/api/entity/"):
        (link,) = [x for x in links if x.startswith(path)]
        assert get(web, link).status == 200, link


def test_entities_page(web, lb):
    r = get(web, "/entities")
    assert r.status == 200
    assert "Claus Weselsky" in r.text
    story = _strike_story(lb)
    assert get(web, f"/entities?story={story.id}").status == 200
    assert get(web, "/entities?story=zzzz").status == 404


def test_method_and_mount_prefix(web):
    seen = {}

    def start(status, headers):
        seen["status"] = status

    body = web({"REQUEST_METHOD": "POST", "PATH_INFO": "/"}, start)
    assert seen["status"].startswith("405")
    assert b"POST" in b"".join(body)
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/search", "QUERY_STRING": "q=Streik"}
    html = b"".join(web({**env, "SCRIPT_NAME": "/lb"}, start)).decode()
    hrefs = [h for h in links(html).hrefs if not h.startswith(("#", "data:", "http"))]
    assert hrefs and all(urlsplit(h).path.startswith("/lb/") for h in hrefs), hrefs


def test_other_threads_get_their_own_connection(web):
    seen = {}

    def worker() -> None:
        seen["lb"] = web.lagebild()
        seen["status"] = get(web, "/api/stories").status

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen["status"] == 200
    assert seen["lb"] is not web.lagebild()
