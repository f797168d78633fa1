"""Entity ids stay unique in the store's entity tables when names stay apart although their
keys agree ("Tokio" / "Tokyo") and when many articles share one text.

A real corpus of 1,000 10kGNAD articles (and ten copies of one text under other URLs) once
ended the ingest with ``UNIQUE constraint failed: entity_index.id``.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.entities.canon import _unique_ids
from lagebild.model import Entity

TEXT = (
    "Die Gouverneurin von Tokio, Yuriko Koike, sagte am Dienstag in Tokio, die Stadt werde "
    "die Spiele vorbereiten. In Tokyo warten viele Menschen auf die Entscheidung. Das "
    'Olympische Komitee in Lausanne äußerte sich nicht. Koike sagte: "Wir sind bereit." '
    "Die Regierung in Tokyo bestätigte das am Mittwoch."
)
OTHER = "In Tokyo sagte der Minister Taro Kono, Japan werde helfen. Kono besuchte danach Tokio."


def _records() -> list[dict[str, str]]:
    """Ten copies of one text (own URLs, outlets, days) and one other article."""
    out = [
        {
            "title": "Tokio bereitet sich vor",
            "text": TEXT,
            "url": f"https://copies.example/a/{i}",
            "outlet": f"Outlet {i % 3}",
            "language": "de",
            "published": f"2024-03-0{1 + i % 5}T10:00:00+00:00",
        }
        for i in range(10)
    ]
    out.append(
        {
            "title": "Hilfe aus Japan",
            "text": OTHER,
            "url": "https://copies.example/b/1",
            "outlet": "Outlet 9",
            "language": "de",
            "published": "2024-05-01T10:00:00+00:00",
        }
    )
    return out


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _check(app: Lagebild) -> None:
    rows = app.entities()
    ids = [r.entity.id for r in rows]
    assert len(ids) == len(set(ids))
    assert app.entity_count() == len(rows)
    places = {r.entity.name: r.entity for r in rows if r.entity.type == "LOC"}
    # the case itself: two places kept apart whose keys agree (else this test tests nothing)
    assert {"Tokio", "Tokyo"} <= set(places), sorted(places)
    assert places["Tokio"].id != places["Tokyo"].id
    for name in ("Tokio", "Tokyo"):
        detail = app.entity(places[name].id)
        assert detail is not None and detail.row.entity.name == name
        assert {m.text for m in detail.row.entity.mentions} == {name}


@pytest.mark.parametrize("batches", [1, 3], ids=["one-ingest", "three-ingests"])
def test_same_key_and_copies_of_one_text_keep_unique_ids(tmp_path: Path, batches: int) -> None:
    records = _records()
    app = Lagebild(tmp_path / "x.db")
    try:
        cut = [0, 3, 7, len(records)] if batches == 3 else [0, len(records)]
        for n, (a, b) in enumerate(itertools.pairwise(cut)):
            app.ingest([_write(tmp_path / f"in{n}.jsonl", records[a:b])])  # no IntegrityError
            _check_ids(app)
        _check(app)
    finally:
        app.close()


def _check_ids(app: Lagebild) -> None:
    ids = [r[0] for r in app.store.db.execute("SELECT id FROM entity_index")]
    assert ids and len(ids) == len(set(ids))


def test_entities_kept_apart_with_one_key_get_ids_of_their_own() -> None:
    same = [Entity("d060a0b7918c", "Tokio", "LOC"), Entity("d060a0b7918c", "Tokyo", "LOC")]
    twice = [Entity("d060a0b7918c", "Tokio", "LOC")] * 3  # one name, three entities
    for entities in (same, twice):
        ids = [e.id for e in _unique_ids(entities)]
        assert len(set(ids)) == len(ids) and ids[0] == "d060a0b7918c"
