"""Never lose work: a run killed with SIGKILL at any point is finished by the next one, two
ingests at once both finish, and a stage that fails on one article does not end the run.

The killed runs are real processes: a small driver patches one function to SIGKILL its own
process at a chosen point (reading, analysis, clustering), then runs the CLI as a user would.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from lagebild.app import Lagebild
from lagebild.cli import EXIT_STAGE_FAILED, main

TOPICS = [
    ("Hochwasser in Passau", "Die Donau ist in Passau über die Ufer getreten. Die Feuerwehr pumpt Keller aus."),
    ("Streik bei der Bahn", "Die Lokführer streiken am Montag. Pendler müssen auf Busse umsteigen."),
    ("Neues Stadion in Linz", "Der Gemeinderat von Linz hat den Bau eines Stadions beschlossen."),
    ("Waldbrand in Kärnten", "Ein Waldbrand bei Villach hält die Einsatzkräfte seit Tagen in Atem."),
]  # fmt: skip


def _corpus(folder: Path, n: int = 12) -> Path:
    """``n`` invented articles, three per topic, on four days."""
    lines = []
    for i in range(n):
        title, lead = TOPICS[i % len(TOPICS)]
        text = (
            f"{lead} Das berichtete der Sender am {i + 1}. Mai. "
            f"Bürgermeisterin Eva Muster sagte, man arbeite mit Hochdruck an einer Lösung. "
            f"Bis zum Abend waren {10 * (i + 1)} Menschen im Einsatz. Meldung Nummer {i}."
        )
        lines.append(
            json.dumps(
                {
                    "title": f"{title} ({i})",
                    "text": text,
                    "outlet": ["Bote", "Kurier", "Zeitung"][i % 3],
                    "published": f"2024-05-{1 + i // 4:02d}T{10 + i % 4}:00:00Z",
                    "language": "de",
                }
            )
        )
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    point, db, src = sys.argv[1:4]
    import lagebild.app as app_mod
    from lagebild import pipeline
    from lagebild.store import sqlite as store_mod
    from lagebild.stories import cluster

    app_mod.Lagebild.analysis_batch = 4
    calls = [0]

    def dying(cls, name, at):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            calls[0] += 1
            if calls[0] == at:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        setattr(cls, name, wrapper)

    if point == "reading":
        ingest = app_mod.Lagebild.ingest
        app_mod.Lagebild.ingest = lambda self, s, **kw: ingest(self, s, **{**kw, "batch_size": 5})
        dying(store_mod.Store, "add_articles", 3)
    elif point == "analysis":
        dying(pipeline.Pipeline, "run", 10)
    elif point == "clustering":
        dying(cluster.StoryIndex, "add", 8)
    from lagebild.cli import main
    main(["--db", db, "ingest", src])
    """
)


CLI = [sys.executable, "-c", "from lagebild.cli import main; main()"]


def _lagebild(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600)


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return {
            "articles": con.execute("SELECT id, seq, data FROM articles ORDER BY seq").fetchall(),
            "docs": con.execute("SELECT article_id, stages, data FROM docs ORDER BY 1").fetchall(),
            "stories": con.execute("SELECT id, size, data FROM stories ORDER BY id").fetchall(),
            "links": con.execute("SELECT * FROM story_articles ORDER BY 1, 2").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    folder = tmp_path_factory.mktemp("recovery")
    src = _corpus(folder)
    db = folder / "clean.db"
    done = _lagebild("--db", str(db), "ingest", str(src))
    assert done.returncode == 0, done.stderr
    return src, _snapshot(db)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["reading", "analysis", "clustering"])
def test_a_killed_ingest_is_finished_by_the_next(
    point: str, clean: tuple[Path, dict[str, list[tuple]]], tmp_path: Path
) -> None:
    src, want = clean
    db = tmp_path / "killed.db"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    killed = subprocess.run(
        [sys.executable, str(driver), point, str(db), str(src)], capture_output=True, timeout=600
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = _snapshot(db)
    assert left != want  # the kill did leave work undone
    again = _lagebild("--db", str(db), "ingest", str(src))
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    got = _snapshot(db)
    assert got["articles"] == want["articles"]
    assert got["docs"] == want["docs"]
    assert got["stories"] == want["stories"]
    assert got["links"] == want["links"]


@pytest.mark.slow
def test_two_ingests_at_once_store_the_union(tmp_path: Path) -> None:
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    folder_a.mkdir()
    folder_b.mkdir()
    src = _corpus(tmp_path, 12)
    lines = src.read_text(encoding="utf-8").splitlines()
    (folder_a / "a.jsonl").write_text("\n".join(lines[:6]), encoding="utf-8")
    (folder_b / "b.jsonl").write_text("\n".join(lines[6:]), encoding="utf-8")
    db = str(tmp_path / "both.db")
    procs = [
        subprocess.Popen(
            [*CLI, "--db", db, "ingest", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (folder_a, folder_b)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    lb = Lagebild(db)
    try:
        assert lb.store.count() == 12
        assert lb.pending() == (0, 0)
        clustered = {a for s in lb.store.stories() for a in s.article_ids}
        assert clustered == {a.id for a in lb.articles()}
    finally:
        lb.close()


@pytest.mark.slow
def test_an_ingest_and_a_recluster_at_once_both_finish(tmp_path: Path) -> None:
    lines = _corpus(tmp_path, 12).read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:6]), encoding="utf-8")
    second.write_text("\n".join(lines[6:]), encoding="utf-8")
    db = str(tmp_path / "busy.db")
    assert _lagebild("--db", db, "ingest", str(first)).returncode == 0
    procs = [
        subprocess.Popen([*CLI, "--db", db, *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for args in (["ingest", str(second)], ["recluster"])
    ]  # fmt: skip
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    lb = Lagebild(db)
    try:
        assert lb.store.count() == 12
        assert lb.pending() == (0, 0)  # nothing unanalysed, nothing outside a story
        clustered = [a for s in lb.store.stories() for a in s.article_ids]
        assert sorted(clustered) == sorted(a.id for a in lb.articles())  # each in one story
    finally:
        lb.close()


def test_resume_and_later_commands_finish_an_unanalysed_ingest(tmp_path: Path) -> None:
    src = _corpus(tmp_path, 6)
    db = str(tmp_path / "later.db")
    runner = CliRunner()
    first = runner.invoke(main, ["--db", db, "ingest", "--no-analyze", str(src)])
    assert first.exit_code == 0
    lb = Lagebild(db)
    assert lb.pending() == (6, 6)
    lb.close()
    shown = runner.invoke(main, ["--db", db, "stories", "--all"])
    assert shown.exit_code == 0, shown.output
    assert "6 articles without analysis, 6 in no story" in shown.output
    lb = Lagebild(db)
    assert lb.pending() == (0, 0) and lb.store.stories()
    lb.close()
    again = runner.invoke(main, ["--db", db, "resume"])
    assert again.exit_code == 0 and "analysed 0 (of 0 without analysis)" in again.output


def test_the_same_ingest_again_finishes_what_the_first_left(tmp_path: Path) -> None:
    src = _corpus(tmp_path, 6)
    db = str(tmp_path / "again.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", "--no-analyze", str(src)]).exit_code == 0
    again = runner.invoke(main, ["--db", db, "ingest", str(src)])
    assert again.exit_code == 0, again.output
    assert "ingested 0, duplicates 6, rejected 0, finished 6 left by an earlier run" in again.output
    lb = Lagebild(db)
    try:
        assert lb.pending() == (0, 0)
    finally:
        lb.close()


def test_a_stage_failing_on_one_article_is_named_counted_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lagebild.quotes as quotes

    original = quotes.analyze

    def fragile(doc, config=None):
        if "(2)" in doc.article.title:
            raise RuntimeError("kaputt")
        return original(doc, config)

    monkeypatch.setattr(quotes, "analyze", fragile)
    src = _corpus(tmp_path, 6)
    db = str(tmp_path / "fail.db")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["--db", db, "run", str(src), "--out", str(out)])
    assert result.exit_code == EXIT_STAGE_FAILED, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lb = Lagebild(db)
    try:
        bad = next(a for a in lb.articles() if "(2)" in a.title)
        assert f"stage quotes failed on article {bad.id}: RuntimeError: kaputt" in result.output
        assert "1 stage failures" in result.output
        assert lb.pending() == (0, 0)
        doc = next(lb.docs([bad.id]))
        assert doc.sentences and doc.mentions and not doc.quotes  # kept, without that stage
        assert any(r.stage == "quotes" and r.source == bad.id for r in lb.store.rejections())
    finally:
        lb.close()
    assert (out / "index.html").exists()
    assert os.listdir(out)


def test_a_failing_step_after_clustering_keeps_the_stories_and_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lagebild.entities.index as index

    def broken(app) -> None:
        raise RuntimeError("UNIQUE constraint failed: entity_index.id")

    monkeypatch.setattr(index, "refresh", broken)
    src = _corpus(tmp_path, 4)
    db = str(tmp_path / "step.db")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["--db", db, "run", str(src), "--out", str(out)])
    assert result.exit_code == EXIT_STAGE_FAILED, result.output
    assert "stage entity lists failed on the corpus: RuntimeError" in result.output
    assert (out / "index.html").exists()
    lb = Lagebild(db)
    try:
        assert lb.pending() == (0, 0) and lb.store.stories()
    finally:
        lb.close()
