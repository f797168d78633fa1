"""An entity's articles and mentions come out in one order whatever order the store hands
the stories over in (stories of one size and date are read in the order they were written,
which follows the clustering's set iteration and so ``PYTHONHASHSEED``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.entities import index
from lagebild.store import Store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _listing(app: Lagebild) -> list[tuple[object, ...]]:
    rows = [
        (r.entity.id, r.entity.name, r.entity.type, r.entity.variants, r.article_ids)
        for r in app.entities()
    ]
    mentions = list(
        app.store.db.execute(
            'SELECT e.id, m.article, m.start, m."end" FROM entity_mentions m'
            " JOIN entity_index e ON e.n = m.entity ORDER BY m.rowid"
        )
    )
    return [*rows, *(tuple(m) for m in mentions)]


def test_entity_rows_do_not_depend_on_the_order_stories_are_read_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Lagebild(tmp_path / "x.db")
    app.ingest([DEMO])
    assert len(app.store.stories()) >= 4
    index.refresh(app, full=True)
    first = _listing(app)
    assert any(len(row[4]) > 1 for row in first[:20])  # entities spread over several articles

    real = Store.stories
    monkeypatch.setattr(Store, "stories", lambda self: list(reversed(real(self))))
    index.refresh(app, full=True)
    assert _listing(app) == first
    app.close()
