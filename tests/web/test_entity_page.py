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
