"""Every list command writes table, JSON, JSON Lines, CSV and Parquet with the same rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flood_corpus import FIRST, OTHER, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.cli import main
from lagebild.tabular import LIST_SEPARATOR


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("formats")
    tricky = dict(
        SECOND[1], title='Wendelstadt, "Ilm": Hochwasser geht zurück; Katastrophenfall bleibt'
    )
    lb = Lagebild(tmp / "c.db")
    lb.ingest([write_jsonl(tmp / "a.jsonl", [*FIRST, SECOND[0], tricky, OTHER])])
    story = max(lb.stories(), key=lambda s: len(s.article_ids)).id
    lb.close()
    return tmp / "c.db", story


def _run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_stories_csv_round_trips_through_the_csv_module(corpus: tuple[Path, str]) -> None:
    db, _ = corpus
    as_json = json.loads(_run(db, "stories", "--all", "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(_run(db, "stories", "--all", "--format", "csv"))))
    assert len(rows) == len(as_json) >= 2
    for row, record in zip(rows, as_json, strict=True):
        expected = {
            k: LIST_SEPARATOR.join(v) if isinstance(v, list) else "" if v is None else str(v)
            for k, v in record.items()
        }
        assert row == expected
    titles = [
        r["title"] for r in csv.DictReader(io.StringIO(_run(db, "articles", "--format", "csv")))
    ]
    assert 'Wendelstadt, "Ilm": Hochwasser geht zurück; Katastrophenfall bleibt' in titles


def test_parquet_opens_with_pyarrow(corpus: tuple[Path, str], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    db, _ = corpus
    out = tmp_path / "stories.parquet"
    _run(db, "stories", "--all", "--format", "parquet", "--out", str(out))
    table = pq.read_table(out)
    as_json = json.loads(_run(db, "stories", "--all", "--format", "json"))
    assert table.column("id").to_pylist() == [r["id"] for r in as_json]
    assert table.column("outlets").to_pylist() == [
        r["outlets"] for r in as_json
    ]  # lists stay lists


@pytest.mark.parametrize(
    ("command", "column"),
    [
        (["articles"], "title"),
        (["search", "Wendelstadt"], "snippet"),
        (["stories"], "outlets"),
        (["entities"], "variants"),
        (["quotes"], "speaker"),
        (["facts"], "measures"),
        (["timeline", "STORY"], "date"),
    ],
)
def test_every_list_command_writes_jsonl_and_csv(
    corpus: tuple[Path, str], command: list[str], column: str
) -> None:
    db, story = corpus
    command = [story if c == "STORY" else c for c in command]
    lines = _run(db, *command, "--format", "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(column in r for r in records)
    rows = list(csv.DictReader(io.StringIO(_run(db, *command, "--format", "csv"))))
    assert len(rows) == len(records) and list(rows[0]) == list(records[0])


def test_json_to_a_file(corpus: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = corpus
    out = tmp_path / "a.json"
    assert _run(db, "articles", "--format", "json", "--out", str(out)) == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 5
