"""The entity page: linked from the list, one entity across the store, with its citations."""

from __future__ import annotations

import json
import re

from lagebild.app import Lagebild
from lagebild.web import WebApp, get


def test_the_list_links_entity_pages_not_a_text_search(corpus_db) -> None:
    lb = Lagebild(corpus_db)
    web = WebApp(lb)
    try:
        page = get(web, "/entities").text
        assert "/search?q=" not in page
        ids = re.findall(r'href="/entity/([0-9a-f]+)"', page)
        assert ids
        weselsky = next(r for r in lb.entities() if r.entity.name == "Claus Weselsky")
        assert weselsky.entity.id in ids
        r = get(web, f"/entity/{weselsky.entity.id}")
        assert r.status == 200
        for part in (
            "Claus Weselsky",
            "Mentions",
            "Stories",
            "Named beside it",
            "Mentions per day",
        ):
            assert part in r.text
        assert "<mark>Claus Weselsky</mark>" in r.text or "<mark>Weselsky</mark>" in r.text
        data = json.loads(get(web, "/api/entity/Weselsky").text)
        assert data["id"] == weselsky.entity.id and data["type"] == "PER"
        assert len(data["mention_list"]) == data["mentions"] >= 3
        assert {m["outlet"] for m in data["mention_list"]} >= {"nordblatt.txt"} or data["outlets"]
        assert any(c["name"] for c in data["cooccurring"])
        assert sum(n for _, n in data["per_day"]) == data["mentions"]
        assert get(web, "/entity/nobody-at-all").status == 404
    finally:
        lb.close()


def test_a_mention_links_to_its_highlighted_words_and_the_context_keeps_whole_words(
    corpus_db,
) -> None:
    from html import unescape

    lb = Lagebild(corpus_db)
    web = WebApp(lb)
    try:
        page = get(web, "/entity/Claus%20Weselsky").text
        links = re.findall(r'href="(/article/[0-9a-f]+#e-(\d+)-(\d+))"', page)
        assert len(links) >= 3
        for url, start, end in links:
            path, anchor = url.split("#")
            article = get(web, path).text
            tag = re.search(rf'<a id="{anchor}"[^>]*>(.*?)</a>', article)
            assert tag is not None, f"{url}: no anchor"
            assert "Weselsky" in unescape(re.sub("<[^>]+>", "", tag.group(1)))
            text = lb.article(path.split("/")[-1]).text
            assert "Weselsky" in text[int(start) : int(end)]
        # every context cell starts and ends on a whole word of the article
        for cell in re.findall(r"<td>(…?[^<]*)<mark>[^<]*</mark>([^<]*…?)</td>", page):
            left, right = (unescape(c) for c in cell)
            text = " ".join(a.text for a in lb.articles())
            if left.startswith("…"):
                assert (" " + left[1:]) in text.replace("\n", " ")
            if right.endswith("…"):
                assert (right[:-1] + " ") in text.replace("\n", " ")
        assert "1 articles" not in page and "1 mentions" not in page
        assert 'href="/?entity=Claus%20Weselsky"' in page  # the story list, filtered
    finally:
        lb.close()


def test_the_list_filters_by_type_grows_and_opens_an_entity_by_any_spelling(corpus_db) -> None:
    lb = Lagebild(corpus_db)
    web = WebApp(lb)
    try:
        people = get(web, "/entities?type=PER").text
        types = set(re.findall(r"</a></td><td>([A-Z]{3})</td>", people))
        assert types == {"PER"}
        assert f"PER</a> ({lb.entity_count(['PER'])})" in people
        data = json.loads(get(web, "/api/entities?type=per").text)
        assert {e["type"] for e in data["entities"]} == {"PER"}
        assert data["total"] == lb.entity_count(["PER"])
        assert get(web, "/entities?type=XYZ").status == 400
        one = get(web, "/entities?limit=1&type=LOC").text
        assert 'href="/entities?limit=201&amp;type=LOC">Show 200 more' in one
        found = get(web, "/entity?name=weselsky")
        assert found.status == 200 and "Claus Weselsky" in found.text
        assert 'action="/entity"' in get(web, "/entities").text
    finally:
        lb.close()


def test_a_genitive_the_entity_does_not_list_opens_its_page(tmp_path) -> None:
    """A story page links an entity by the words its articles use ("Russlands"); the corpus
    entity does not list a genitive as a variant, but its page opens by it."""
    texts = {
        "a": "Russland schickt Truppen an die Grenze. Russland bestätigte den Schritt am Montag.",
        "b": "Das Lager liegt im Norden Russlands. Die Behörden Russlands schweigen dazu.",
    }
    filler = (
        " Die Lage bleibt nach Angaben von Beobachtern angespannt, weitere Schritte werden"
        " in den kommenden Tagen erwartet. Die Zahl der Betroffenen ist noch nicht bekannt,"
        " Hilfsorganisationen bereiten sich auf einen längeren Einsatz vor."
    )
    for name, body in texts.items():
        (tmp_path / f"{name}.txt").write_text(f"Titel {name}\n\n{body}{filler}\n", encoding="utf-8")
    lb = Lagebild(tmp_path / "g.db")
    try:
        lb.ingest([tmp_path])
        home = lb.entity("Russland")
        assert home is not None
        genitive = lb.entity("Russlands")
        assert genitive is not None and genitive.row.entity.id == home.row.entity.id
        assert get(WebApp(lb), "/entity/Russlands").status == 200
    finally:
        lb.close()
