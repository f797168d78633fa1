"""`lagebild reread`: stored articles read again from their raw input under the current rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from lagebild.app import Lagebild
from lagebild.ingest.textdump import read_text_dump
from lagebild.model import Article, article_id

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet, sagte der Bürgermeister. "
DUMP = f"Neues Rathaus eröffnet\n\n{BODY * 4}\n\nKommentar schreiben\n"


def _as_old_rules_stored_it(tmp_path: Path) -> tuple[Lagebild, Article]:
    """A store holding the dump as older rules cleaned it: the comment prompt left in."""
    fresh = read_text_dump(DUMP.encode(), str(tmp_path / "rathaus.txt"))
    assert isinstance(fresh, Article) and "Kommentar" not in fresh.text
    text = fresh.text + "\n\nKommentar schreiben"
    old = dataclasses.replace(fresh, text=text, id=article_id(fresh.title, text, fresh.url))
    app = Lagebild(tmp_path / "x.db")
    app.store.add_articles([old])
    app.analyze()
    app.cluster()
    return app, old


def test_a_changed_article_replaces_its_old_version_which_is_kept(tmp_path: Path) -> None:
    app, old = _as_old_rules_stored_it(tmp_path)
    dry = app.reread(dry_run=True)
    assert len(dry.changed) == 1 and app.store.article(old.id).text == old.text  # untouched
    report = app.reread()
    ((old_id, new_id),) = report.changed
    assert old_id == old.id and new_id != old.id
    assert "Kommentar" not in app.store.article(new_id).text and app.store.count() == 1
    assert [a.text for a in app.store.rereads(new_id)] == [old.text]  # nothing lost
    assert [s.article_ids for s in app.stories()] == [(new_id,)]
    assert next(app.docs([new_id])).sentences  # analysed again
    assert app.reread().changed == []  # reading again changes nothing more


def test_reread_command_reports_counts(tmp_path: Path) -> None:
    from lagebild.cli import main

    app, _ = _as_old_rules_stored_it(tmp_path)
    app.close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "reread", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would change 1, unchanged 0" in result.output
