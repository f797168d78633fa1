"""bench/grow.py: a build reads its source store without changing it, and a probe clusters
the next articles of a build against its stored index without writing anything."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from lagebild.app import Lagebild

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"


@pytest.fixture(scope="module")
def grow() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("bench_grow", ROOT / "bench" / "grow.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.path.remove(str(ROOT / "bench"))


def _source(grow: ModuleType, tmp_path: Path) -> tuple[Path, Lagebild, list[str]]:
    """A source store holding one demo outlet's articles (open, for the caller to close)."""
    from lagebild.app import Lagebild

    src = tmp_path / "src.db"
    app = Lagebild(src, grow.CONFIG)
    folder = tmp_path / "in"
    shutil.copytree(DEMO / "rheinischer-kurier", folder)
    return src, app, list(app.ingest([folder]).added)


def _digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def test_build_leaves_a_stale_source_alone_and_probe_writes_nothing(
    grow: ModuleType, tmp_path: Path
) -> None:
    from lagebild.app import Lagebild

    src, app, added = _source(grow, tmp_path)
    assert len(added) >= 3
    # one analysis made by other stage versions: a bench must not redo it into SRC
    other = app.store.stage_set("text@0")
    app.store.db.execute("UPDATE docs SET stages=? WHERE article_id=?", (other, added[0]))
    app.store.db.commit()
    app.close()
    before = _digest(src)
    big = tmp_path / "big.db"
    grow.build(src, big, replicas=2, of=0)
    assert _digest(src) == before
    done = Lagebild(big, grow.CONFIG)
    assert done.store.count() == 2 * len(added)
    assert {a for s in done.store.stories() for a in s.article_ids} == {
        a for a, _ in done.store.article_dates()
    }
    done.close()
    stored = _digest(big)
    got = grow.probe(src, big, replicas=3, of=0, n=2)
    assert got["clustered_before"] == 2 * len(added) and got["probed"] == 2
    assert got["cpu_ms_per_article"] > 0
    assert _digest(big) == stored  # nothing written, not even a migration


def test_grow_adds_blocks_of_replicas_with_their_entity_lists(
    grow: ModuleType, tmp_path: Path
) -> None:
    from lagebild.app import Lagebild
    from lagebild.entities.index import refresh

    src, app, added = _source(grow, tmp_path)
    n = len(added)
    app.close()
    big = tmp_path / "big.db"
    steps = [grow.grow(src, big, replicas=3, of=0, block=2) for _ in range(3)]
    assert [(s["replicas"], s["done"]) for s in steps] == [(2, False), (3, True), (3, True)]
    done = Lagebild(big, grow.CONFIG)
    db = done.store.db
    ids = {a for a, _ in done.store.article_dates()}
    assert len(ids) == 3 * n
    assert {a for s in done.store.stories() for a in s.article_ids} == ids
    assert db.execute("SELECT count(*) FROM entity_dirty").fetchone()[0] == 0

    def mentioned() -> set[bytes]:
        return {r[0] for r in db.execute("SELECT DISTINCT article FROM entity_mentions")}

    pieces = mentioned()
    refresh(done, full=True)  # the lists from nothing name the same articles
    assert pieces == mentioned() and len(pieces) >= 3 * (n - 1)
    done.close()


def _clear_refs_writable() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def test_phase_peaks_tell_the_phase_that_held_memory(grow: ModuleType) -> None:
    if not _clear_refs_writable():
        pytest.skip("no writable /proc/self/clear_refs: peaks by phase need Linux")

    class Work:
        def hold(self, mb: int) -> int:
            block = b"\x01" * (mb << 20)  # written, so resident
            return len(block)

        def light(self) -> int:
            return sum(range(1000))

    phases = grow.Phases(peaks=True)
    phases.wrap(Work, "hold", "hold")
    phases.wrap(Work, "light", "light")
    work = Work()
    work.light()
    work.hold(96)
    work.light()  # after the big phase: its own peak does not carry the 96 MB
    assert phases.peak_mb["hold"] >= phases.peak_mb["light"] + 80
    assert set(phases.cpu) == {"hold", "light"}
    # the reset lowers the kernel's mark; the process's peak is kept apart
    assert phases.process_peak_mb() >= phases.peak_mb["hold"]
    assert grow._hwm_kb() / 1024 < phases.peak_mb["hold"]


def test_a_timed_ingest_keeps_the_dates_of_replicas_ahead_of_the_clock(
    grow: ModuleType, tmp_path: Path
) -> None:
    """Replica 97 of the bench corpus is dated ~24 years on; a reader would drop such a date
    (more than ``[ingest] max_days_ahead`` ahead of the clock) and leave every fresh article
    undated: the bench's configuration keeps it."""
    from lagebild.app import Lagebild

    corpus = tmp_path / "s.jsonl"
    corpus.write_text(FAR_AHEAD + "\n", encoding="utf-8")
    assert grow.timed_ingest(tmp_path / "x.db", corpus)["stored"] == 1
    app = Lagebild(tmp_path / "x.db", grow.CONFIG)
    (article,) = app.store.articles()
    assert article.published is not None and article.published.year == 2040
    app.close()


FAR_AHEAD = (  # a bench replica's JSONL line, dated as replica ~97 is
    '{"title": "Hochwasser in Wendelstadt", "published": "2040-03-01T08:00:00Z", "outlet":'
    ' "Ilmtal-Bote", "url": "https://example.org/97/1", "text": "Die Ilm hat in Wendelstadt'
    " am Montagmorgen einen Pegelstand von 6,2 Metern erreicht. Die Stadt rief den"
    ' Katastrophenfall aus und sperrte die Altstadt."}'
)


def test_current_sets_labels_and_scheme_before_migrating(grow: ModuleType, tmp_path: Path) -> None:
    """A bench copy made by older code: its analyses' stage labels and entity scheme become
    the code's, so the next ingest neither redoes old analyses nor rebuilds entity tables."""
    import sqlite3

    from lagebild.entities.index import STATE_KEY, scheme

    src, app, added = _source(grow, tmp_path)
    versions = app.pipeline.versions
    app.close()
    con = sqlite3.connect(src)
    with con:  # as older code left it
        con.execute("UPDATE stage_sets SET stages = 'text@1,entities@1'")
        con.execute("UPDATE state SET value = ? WHERE key = ?", ('"parts@1.1"', STATE_KEY))
        con.execute("DELETE FROM dossier_cache")
        con.execute(
            "INSERT INTO dossier_cache (story_id, format, key, body, size, made)"
            " SELECT id, 'md', 'k', x'00', 1, 'now' FROM stories LIMIT 1"
        )
    con.close()
    got = grow.current(src)
    assert got["relabelled"] == len(added)
    from lagebild.app import Lagebild

    app = Lagebild(src, grow.CONFIG)
    assert app.store.analysed(added, versions) == set(added)
    assert app.store.get_state(STATE_KEY) == scheme()
    assert app.store.db.execute("SELECT COUNT(*) FROM dossier_cache").fetchone()[0] == 1
    app.close()


def test_pair_counts_the_analysis_once(grow: ModuleType, tmp_path: Path) -> None:
    """The same store work with the analysis phase's noise on one side: the plain ratio moves,
    the ratio with analysis counted once is the store work's own."""

    def run(analysis: float, clustering: float) -> dict:
        phases = {"analysis": analysis, "clustering": clustering, "other": 2.0}
        return {"cpu_ms_per_article": sum(phases.values()), "phase_ms_per_article": phases,
                "peak_rss_mb": 900}  # fmt: skip

    big, empty = run(25.0, 5.0), run(20.0, 3.0)
    out = grow.pair(big, empty)
    assert out["ratio"] == round(32.0 / 25.0, 3)
    assert out["ratio_analysis_once"] == round(29.5 / 27.5, 3)  # both with 22.5
    assert out["growth_ms"] == {"clustering": 2.0, "other": 0.0}
    calm = grow.pair(run(20.0, 5.0), empty)  # the same store work, analysis as in the other
    for o in (out, calm):
        b, e = o["ms_per_article_analysis_once"]
        assert round(b - e, 6) == 2.0  # the extra store work alone
    assert abs(calm["ratio_analysis_once"] - out["ratio_analysis_once"]) < 0.01
    assert abs(calm["ratio"] - out["ratio"]) > 0.15
    (tmp_path / "b.txt").write_text("migrations: 1 s\n" + json.dumps(big) + "\n")
    assert grow._last_json(tmp_path / "b.txt") == big
