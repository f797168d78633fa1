"""`lagebild entities` and `lagebild entity NAME` on a tiny corpus (rules only, no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lagebild.cli import main

ARTICLES = {
    "a.txt": (
        "Kim reist nach Russland\n\n"
        "Der nordkoreanische Machthaber Kim Jong-un ist am Dienstag mit seinem Zug in Russland "
        "eingetroffen. Das meldete die Nachrichtenagentur Interfax. Kreml-Sprecher Dmitri Peskow "
        "sagte, das Treffen finde im Kosmodrom Wostotschny statt. Machthaber Kim werde dort den "
        "russischen Präsidenten Wladimir Putin treffen, berichtete der Sender Rossija-24.\n"
    ),
    "b.txt": (
        "Treffen am Weltraumbahnhof\n\n"
        "Der russische Präsident Wladimir Putin hat den nordkoreanischen Staatschef Kim Jong Un am "
        "Weltraumbahnhof Wostotschny empfangen. Rossiya-24 zeigte den Händedruck. Laut der "
        "Nachrichtenagentur Interfax besichtigten beide eine Startrampe. Staatschef Kim lobte "
        "die russische Raumfahrt, teilte die Agentur Tass mit.\n"
    ),
}


def _run(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["--db", str(tmp_path / "t.db"), "--config", str(tmp_path / "c.toml"), *args]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_entities_and_entity_commands(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    (tmp_path / "c.toml").write_text('[entities]\nner = "none"\n', encoding="utf-8")
    _run(tmp_path, "ingest", str(src))

    rows = [json.loads(line) for line in _run(tmp_path, "entities", "--json").splitlines()]
    by_name = {r["name"]: r for r in rows}
    place = by_name["Kosmodrom Wostotschny"]
    assert place["type"] == "LOC" and place["articles"] == 2
    assert {v for v, _ in place["variants"]} == {
        "Kosmodrom Wostotschny",
        "Weltraumbahnhof Wostotschny",
    }
    kim = by_name["Kim Jong-un"]
    assert {v for v, _ in kim["variants"]} == {"Kim Jong-un", "Kim Jong Un", "Kim"}
    assert (
        by_name["Rossija-24"]["articles"] == 2 or by_name.get("Rossiya-24", {}).get("articles") == 2
    )

    detail = json.loads(_run(tmp_path, "entity", "Vostochny", "--json").splitlines()[-1])
    assert detail["name"] == "Kosmodrom Wostotschny" and detail["stories"]
    assert all(s["mentions"] >= 1 for s in detail["stories"])
    table = _run(tmp_path, "entities", "--type", "PER")
    assert "Dmitri Peskow" in table and "Interfax" not in table
    shown = _run(tmp_path, "entity", "Peskov")
    assert "Dmitri Peskow" in shown and "Kreml-Sprecher" in shown


def test_outlet_column_says_plainly_when_no_outlet_is_known() -> None:
    from types import SimpleNamespace

    from lagebild.entities.commands import _outlets

    assert _outlets(SimpleNamespace(outlets=(), unknown_outlet=5)) == "unknown (5 articles)"
    assert _outlets(SimpleNamespace(outlets=("A", "B"), unknown_outlet=1)) == (
        "2 (+1 of unknown outlet)"
    )
    assert _outlets(SimpleNamespace(outlets=("A",), unknown_outlet=0)) == "1"
    assert _outlets(SimpleNamespace(outlets=(), unknown_outlet=1)) == "unknown (1 article)"


def test_an_empty_entity_name_is_refused_before_any_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "entity", "  "])
    assert result.exit_code == 2  # an error of the input, as for an unknown name
    assert "give an entity's name" in result.output
