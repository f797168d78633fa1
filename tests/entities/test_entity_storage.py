"""The entity tables' compact layout: an entity's articles are kept once, packed, and read
back as they went in; a store of the earlier layout is built again on opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import msgspec

from lagebild.app import Lagebild
from lagebild.entities import index
from lagebild.entities.update import article_ids, pack_articles, unpack_articles

_MSGPACK = msgspec.msgpack.Decoder()
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_articles_pack_small_and_come_back_in_order() -> None:
    arts = {
        "00ff00ff00ff00ff": [3, "Bote"],
        "a1b2c3d4e5f60718": [1, ""],
        "0123456789abcdef": [2, "Bote"],
    }
    packed = pack_articles(arts)
    assert unpack_articles(packed) == arts and list(unpack_articles(packed)) == list(arts)
    assert article_ids(packed) == tuple(arts)
    assert len(packed) < 45  # 3 x 8 bytes of ids, 3 counts, 3 outlet numbers, "Bote" once
    odd = {"Not-Hex": [1, "X"], "ABCDEF0123456789": [2, "X"]}  # kept as written
    assert unpack_articles(pack_articles(odd)) == odd
    assert article_ids(pack_articles(odd)) == ("Not-Hex", "ABCDEF0123456789")
    from lagebild.entities.update import _ENC

    assert unpack_articles(_ENC.encode(arts)) == arts  # the map of the earlier layout
    assert article_ids(_ENC.encode(arts)) == tuple(arts)


def test_rows_read_their_article_ids_from_the_tally_and_old_stores_are_rebuilt(
    tmp_path: Path,
) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    rows = index.rows(app, doubtful=True)  # every entity, the unsure ones too
    assert rows and all(r.article_ids for r in rows)
    db = app.store.db
    # a row's data is (variants, outlets, articles of no known outlet): no article ids
    assert {len(_MSGPACK.decode(d)) for (d,) in db.execute("SELECT data FROM entity_index")} == {3}
    per_entity: dict[str, set[str]] = {}
    for eid, aid in db.execute(
        "SELECT e.id, m.article FROM entity_mentions m JOIN entity_index e ON e.n = m.entity"
    ):
        per_entity.setdefault(eid, set()).add(index.article_of(aid))
    assert {r.entity.id: set(r.article_ids) for r in rows} == per_entity
    app.close()
    # rows with their article ids (as a store of schema 15 left them), the tables marked
    # built: migration 19 makes the entity tables anew, and they are built again
    raw = sqlite3.connect(tmp_path / "x.db")
    raw.execute("PRAGMA user_version=18")
    raw.execute(
        "UPDATE entity_index SET data = json_object('variants', json('[]'), 'outlets',"
        " json('[]'), 'unknown_outlet', 0, 'article_ids', json('[]'))"
    )
    raw.commit()
    raw.close()
    again = Lagebild(tmp_path / "x.db")
    assert again.store.get_state(index.STATE_KEY) is None  # to be built again
    assert [(r.entity, r.article_ids) for r in index.rows(again, doubtful=True)] == [
        (r.entity, r.article_ids) for r in rows
    ]
    assert {
        len(_MSGPACK.decode(d)) for (d,) in again.store.db.execute("SELECT data FROM entity_index")
    } == {3}


def test_an_article_key_gives_back_the_id_it_was_made_from() -> None:
    """entity_mentions keeps a 16-hex-digit id as 8 bytes; any id comes back as it was given,
    a hex id with capitals too (its bytes would read back in lower case)."""
    from lagebild.entities.index import article_key, article_of

    for aid in ("0123456789abcdef", "ABCDEF0123456789", "AbCdEf0123456789", "rd-001", "x" * 16):
        assert article_of(article_key(aid)) == aid
    assert isinstance(article_key("0123456789abcdef"), bytes)
    assert isinstance(article_key("ABCDEF0123456789"), str)
