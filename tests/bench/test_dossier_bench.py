"""bench/dossier.py: the cold path step by step, in a fresh process, keeps what it built."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cold_phases_time_every_step_and_keep_the_texts(tmp_path: Path) -> None:
    from lagebild.app import Lagebild
    from lagebild.config import Config
    from lagebild.dossier.formats import FORMATS
    from lagebild.pipeline import Pipeline
    from lagebild.store import dossiers

    spec = importlib.util.spec_from_file_location("bench_dossier", ROOT / "bench" / "dossier.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    story, arts = bench.synthetic_story(6, seed=1)
    docs = list(Pipeline(Config(), ("text",)).pipe(arts))
    db = tmp_path / "b.db"
    story = bench.store_story(db, story, arts, docs)

    phases = bench.cold_phases(db, story.id)

    steps = {"imports (app)", "decode analyses", "build (warm)", "first-use set-up", "keep"}
    assert steps | {f"render {f}" for f in FORMATS} | {"start-up and the rest"} <= set(phases)
    assert all(v >= 0 for k, v in phases.items() if k != "first-use set-up")
    assert phases["start-up and the rest"] > 0  # the interpreter's own start is in no step
    app = Lagebild(db, Config())
    assert dossiers.cached_key(app.store, story.id)  # the probe kept what it built
    app.close()
