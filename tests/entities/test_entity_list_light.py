"""Reading a current entity list loads neither the entity rules nor the readers, and the
lookups by article and entity use one index (migration 17)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lagebild.app import Lagebild

RULES = (
    "lagebild.entities.update",
    "lagebild.entities.canon",
    "lagebild.entities.ner",
    "lagebild.ingest.fetch",
)


def test_listing_current_entities_imports_no_rules(seeds_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    lb = Lagebild(db)
    try:
        lb.ingest([seeds_dir])
    finally:
        lb.close()
    probe = (
        "import sys\nfrom lagebild.cli import main\n"
        f"try:\n    main(['--db', {str(db)!r}, 'entities', '--limit', '3'])\n"
        "except SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.rsplit("MODULES", 1)[1].split())
    assert "Kim Jong-un" in out  # the list was printed
    assert loaded.isdisjoint(RULES), loaded & set(RULES)


def test_mentions_by_article_and_entity_use_the_index(tmp_path: Path) -> None:
    lb = Lagebild(tmp_path / "e.db")
    try:
        db = lb.store.db
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "entity_mentions_article_entity" in names
        assert "entity_mentions_article" not in names
        plan = " ".join(
            str(r[-1])
            for r in db.execute(
                "EXPLAIN QUERY PLAN DELETE FROM entity_mentions WHERE article=? AND entity=?",
                (b"a", 1),
            )
        )
        assert "entity_mentions_article_entity" in plan
    finally:
        lb.close()
