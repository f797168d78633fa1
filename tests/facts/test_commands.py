"""`lagebild facts` on a tiny corpus: the command prints facts and ends with one JSON line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lagebild.cli import main

BODY = (
    "Bei dem Hochwasser an der Oder kamen nach Angaben der Feuerwehr mindestens 12 Menschen "
    "ums Leben. Die Pegel stiegen um rund 80 Zentimeter. Der Landrat sagte, der Schaden liege "
    "bei etwa 40 Millionen Euro. Die Ministerpräsidentin besuchte das Krisengebiet erstmals "
    "seit der Wahl. Das Treffen des Krisenstabs fand in Frankfurt statt."
)


def test_facts_command_json(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Hochwasser an der Oder\n\n" + BODY + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(src)]).exit_code == 0
    result = runner.invoke(main, ["--db", db, "facts", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    kinds = {(f["kind"], f["value"]) for f in data["facts"]}
    assert {("count", 12.0), ("distance", 80.0), ("money", 40e6)} <= kinds
    money = next(f for f in data["facts"] if f["kind"] == "money")
    assert money["attributed_to"] == "Landrat"
