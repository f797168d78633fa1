"""bench/dossier.py: the cold path step by step, in a fresh process, keeps what it built."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dossier", ROOT / "bench" / "dossier.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_cold_phases_time_every_step_and_keep_the_texts(tmp_path: Path) -> None:
    from lagebild.app import Lagebild
    from lagebild.config import Config
    from lagebild.dossier.formats import FORMATS
    from lagebild.pipeline import Pipeline
    from lagebild.store import dossiers

    bench = _bench()
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


def test_the_changed_path_reads_the_kept_parts(tmp_path: Path, capfd) -> None:
    """With ``parts`` the probe builds as ``dossier_text`` does for a story that changed: from
    the articles' kept parts, none worked out anew; without kept parts it says so."""
    from lagebild.app import Lagebild
    from lagebild.config import Config
    from lagebild.pipeline import Pipeline
    from lagebild.store import dossiers

    bench = _bench()
    story, arts = bench.synthetic_story(6, seed=2)
    docs = list(Pipeline(Config(), ("text",)).pipe(arts))
    db = tmp_path / "b.db"
    story = bench.store_story(db, story, arts, docs)
    app = Lagebild(db, Config.load(dossier={"precompute_articles": 2}))
    app.dossier(story.id, "html")  # built, its texts and its articles' parts kept
    kept = app.store.db.execute("SELECT count(*) FROM dossier_parts").fetchone()[0]
    app.close()
    assert kept >= 2
    bench.forget(db, parts=False)
    capfd.readouterr()
    phases = bench.cold_phases(db, story.id, parts=True)
    assert "read parts" in phases and phases["start-up and the rest"] > 0
    assert "worked out anew" not in capfd.readouterr().err
    app = Lagebild(db, Config())
    assert dossiers.cached_key(app.store, story.id)  # kept again
    app.close()
    bench.forget(db, parts=True)
    bench.cold_phases(db, story.id, parts=True)
    assert f"{kept} articles' parts worked out anew" in capfd.readouterr().err


def test_the_rest_leaves_out_the_second_build(monkeypatch) -> None:
    """The probe builds twice (to tell set-up from work): the rest is the process's CPU
    minus every step and minus that second build."""
    bench = _bench()
    steps = {"decode analyses": 1.0, "first-use set-up": 0.5, "build (warm)": 2.0}

    class Child:
        pid = 1
        stdout = SimpleNamespace(read=lambda: json.dumps(steps))

    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: Child())
    usage = SimpleNamespace(ru_utime=5.0, ru_stime=1.0)
    monkeypatch.setattr(os, "wait4", lambda pid, opts: (pid, 0, usage))
    phases = bench.cold_phases(Path("x.db"), "s")
    assert phases["start-up and the rest"] == 6.0 - 3.5 - 2.0


def test_children_read_bytecode_from_the_cache_unless_told_not_to(monkeypatch, tmp_path) -> None:
    bench = _bench()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = bench.child_env(tmp_path / "pyc")
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "pyc")
    assert bench.child_env(None)["PYTHONDONTWRITEBYTECODE"] == "1"
    # a child run with the cache writes the bytecode of what it imports there
    subprocess.run([sys.executable, "-c", "import lagebild.config"], env=env, check=True)
    assert any((tmp_path / "pyc").rglob("config*.pyc"))


def test_the_small_story_shares_no_article_with_the_big_one() -> None:
    bench = _bench()
    big, big_arts = bench.synthetic_story(60, seed=7)
    small, small_arts = bench.synthetic_story(60, seed=7, story_id=bench.SMALL_ID, tag="s")
    assert small.id != big.id
    assert not {a.id for a in big_arts} & {a.id for a in small_arts}
    assert any(a.id.startswith("copy") for a in small_arts)  # copies are renamed too
