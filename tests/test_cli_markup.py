"""Article data is never terminal markup: a title with ``[/bold]`` or an outlet
``[red]Fake[/red]`` is printed as written by every command that shows stored data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lagebild.cli import main

BODY = (
    "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. Bürgermeisterin Eva "
    "Beispiel sagte, das Haus habe zwölf Millionen Euro gekostet. [/i] Der Gemeinderat "
    "tagt am Donnerstag im neuen Saal, wie die Verwaltung :rocket: mitteilte. "
)
TITLE = "Rathaus [/bold] eröffnet [red]Fake[/red]"
OUTLET = "[red]Fake[/red] Bote"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("markup")
    src = folder / "in.jsonl"
    lines = [
        {
            "title": TITLE,
            "text": BODY * 3,
            "outlet": OUTLET,
            "authors": ["[bold]Eva[/bold] Beispiel"],
            "published": "2024-05-06T10:00:00Z",
            "language": "de",
        },
        {
            "title": "Rathaus eröffnet [link=http://x]x[/link]",
            "text": BODY * 2 + "Ein zweiter Bericht.",
            "outlet": "[/] Kurier",
            "published": "2024-05-06T12:00:00Z",
            "language": "de",
        },
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    path = str(folder / "m.db")
    result = CliRunner().invoke(main, ["--db", path, "ingest", str(src)])
    assert result.exit_code == 0, result.output
    return path


def _run(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", db, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result.output


def test_listings_print_titles_and_outlets_as_written(db: str) -> None:
    out = _run(db, "articles")
    assert "[/bold]" in out and "[red]Fake[/red]" in out and "[/] Kurier" in out
    assert "[bold]Eva[/bold] Beispiel" in out
    out = _run(db, "stories", "--all")
    assert "[red]Fake[/red]" in out or "[link=http://x]x[/link]" in out


def test_search_and_show_print_data_as_written(db: str) -> None:
    out = _run(db, "search", "Rathaus")
    assert "[red]Fake[/red]" in out
    out = _run(db, "search", "Gemeinderat")
    assert "2 hits" in out
    from lagebild.app import Lagebild

    lb = Lagebild(db)
    try:
        ident = next(a.id for a in lb.articles() if a.title == TITLE)
    finally:
        lb.close()
    shown = _run(db, "show", ident)
    assert TITLE in shown and OUTLET in shown and ":rocket:" in shown


def test_story_level_commands_print_data_as_written(db: str) -> None:
    from lagebild.app import Lagebild

    lb = Lagebild(db)
    try:
        story_ids = [s.id for s in lb.stories()]
    finally:
        lb.close()
    for sid in story_ids:
        out = _run(db, "story", sid)
        assert "[/bold]" in out or "[link=http://x]" in out or "[/]" in out
        _run(db, "timeline", sid)
        _run(db, "entities", "--story", sid)
        _run(db, "quotes", "--story", sid)
        _run(db, "facts", "--story", sid)
        _run(db, "dossier", sid)
