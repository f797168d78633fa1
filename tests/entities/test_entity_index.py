"""Precomputed entity lists and the entity detail on the seeds: captions, stories, days."""

from __future__ import annotations

from pathlib import Path

from lagebild.app import Lagebild
from lagebild.entities import index


def test_seed_entities_from_the_index_with_a_caption_credit(
    seeds_dir: Path, tmp_path: Path
) -> None:
    lb = Lagebild(tmp_path / "s.db")
    try:
        lb.ingest([seeds_dir])
        assert lb.store.get_state(index.STATE_KEY) == index.scheme()  # built at ingest
        assert not lb.store.db.execute("SELECT 1 FROM entity_dirty").fetchall()
        names = {r.entity.name: r for r in lb.entities()}
        assert lb.entity_count() == len(names)
        assert "Komsomolsk am Amur" in names and "Komsomolsk" not in names
        kim = lb.entity("Kim Jong Un")
        assert kim is not None and kim.row.entity.name == "Kim Jong-un"
        assert "Kims" not in dict(kim.row.entity.variants)
        assert lb.entity("Kim Jae-chun").row.entity.id != kim.row.entity.id
        kcna = lb.entity("KCNA")
        assert kcna is not None and kcna.row.entity.type == "ORG"
        m = kcna.row.entity.mentions[0]
        assert m.caption is not None
        art = lb.article(m.article_id)
        assert art.captions[m.caption][m.start : m.end] == "KCNA"
        assert kcna.context(m)[1] == "KCNA"
        assert kim.stories and kim.cooccurring and kim.per_day
        angara = lb.entity("Angara")
        assert angara is not None and angara.row.entity.type != "LOC"
        # stale rows are rebuilt when read
        lb.store.put_state(index.STATE_KEY, "old")
        assert len(lb.entities()) == len(names)
        assert lb.store.get_state(index.STATE_KEY) == index.scheme()
    finally:
        lb.close()
