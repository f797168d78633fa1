"""`lagebild reanalyse`: analyses made by other stage versions (an upgrade, a retrained model,
a switch of NER mode) are redone in one run, leaving the stories as they are, instead of one by
one when each is first shown; the story cards made from them follow either way."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from lagebild.app import Lagebild
from lagebild.cli import main
from lagebild.model import to_dict
from lagebild.store.listing import dirty

LEADS = [
    "Die Donau ist in Passau über die Ufer getreten. Die Feuerwehr pumpt Keller aus.",
    "Die Lokführer der Bahn streiken am Montag. Pendler in Bayern müssen auf Busse umsteigen.",
]


def _ingested(tmp_path: Path) -> Path:
    lines = [
        json.dumps(
            {
                "title": f"Meldung {i}",
                "text": f"{LEADS[i % 2]} Bürgermeisterin Eva Muster sagte, man arbeite an "
                f"einer Lösung. Bis zum Abend waren {10 * (i + 1)} Menschen im Einsatz.",
                "outlet": ["Bote", "Kurier", "Zeitung"][i % 3],
                "published": f"2024-05-0{1 + i // 2}T10:00:00Z",
                "language": "de",
            }
        )
        for i in range(6)
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "l.db"
    result = CliRunner().invoke(main, ["--db", str(db), "ingest", str(src)])
    assert result.exit_code == 0, result.output
    return db


def _make_stale(db: Path, ids: list[str]) -> None:
    """What an upgrade leaves: analyses stored under other stage versions."""
    con = sqlite3.connect(db)
    with con:
        con.execute(  # each list of stage versions once, by number (schema 57)
            "INSERT INTO stage_sets (stages) SELECT stages || ',older@0' FROM stage_sets"
        )
        con.executemany(
            "UPDATE docs SET stages = (SELECT o.id FROM stage_sets s JOIN stage_sets o"
            " ON o.stages = s.stages || ',older@0' WHERE s.id = docs.stages)"
            " WHERE article_id = ?",
            [(i,) for i in ids],
        )
    con.close()


def _state(db: Path) -> tuple[dict[str, dict], set[frozenset[str]]]:
    app = Lagebild(db)
    docs = {d.id: to_dict(d) for d in app.docs([a.id for a in app.store.articles()])}
    return docs, {frozenset(s.article_ids) for s in app.store.stories()}


def test_reanalyse_redoes_out_of_date_analyses_and_keeps_the_stories(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    docs_before, stories_before = _state(db)
    stale = sorted(docs_before)[:3]
    _make_stale(db, stale)
    runner = CliRunner()

    counted = runner.invoke(main, ["--db", str(db), "reanalyse", "--dry-run"])
    assert counted.exit_code == 0, counted.output
    assert "3 of 6 analyses are out of date" in counted.output
    app = Lagebild(db)
    assert sorted(app.store.stale(app.pipeline.versions)) == stale  # a dry run changes nothing

    done = runner.invoke(main, ["--db", str(db), "reanalyse"])
    assert done.exit_code == 0, done.output
    assert "re-analysed 3 of 3 out-of-date analyses" in done.output
    app = Lagebild(db)
    assert app.store.stale(app.pipeline.versions) == []
    assert dirty(app.store) == 0  # the cards of the stories holding them were rewritten
    assert _state(db) == (docs_before, stories_before)  # same analyses, same stories

    again = runner.invoke(main, ["--db", str(db), "reanalyse"])
    assert "re-analysed 0 of 0" in again.output


def test_an_analysis_redone_on_first_view_marks_its_story_card(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    app = Lagebild(db)
    app.list_stories()  # every card written
    assert dirty(app.store) == 0
    article = next(iter(app.store.articles()))
    _make_stale(db, [article.id])

    app = Lagebild(db)
    list(app.docs([article.id]))
    holding = {s.id for s in app.store.stories() if article.id in s.article_ids}
    marked = {r[0] for r in app.store.db.execute("SELECT story_id FROM story_dirty")}
    assert marked == holding and len(holding) == 1


def test_the_first_entity_list_after_an_upgrade_says_why_it_takes_a_while(
    tmp_path: Path,
) -> None:
    db = _ingested(tmp_path)
    Lagebild(db).entities()  # the tables built with today's analyses: nothing to say
    ids = [a.id for a in Lagebild(db).store.articles()]
    _make_stale(db, ids)
    con = sqlite3.connect(db)
    with con:  # what an upgrade of the entity rules leaves: tables of another scheme
        con.execute("UPDATE state SET value = '\"older\"' WHERE key = 'entities.index'")
    con.close()
    said: list[str] = []
    app = Lagebild(db, notify=said.append)
    names = {row.entity.name for row in app.entities()}
    assert "Eva Muster" in names
    assert len(said) == 1 and f"{len(ids)} stored analyses" in said[0], said
    assert "lagebild reanalyse" in said[0]
    assert app.store.stale(app.pipeline.versions) == []
    said.clear()
    Lagebild(db, notify=said.append).entities()
    assert said == []
