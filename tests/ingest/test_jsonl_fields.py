"""A JSONL line with a field of the wrong type is one rejection (file:line, field, reason);
the rest of the file goes in, and nothing stored can break a later command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lagebild.cli import main
from lagebild.errors import Rejection
from lagebild.ingest import read_bytes
from lagebild.model import Article

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 6


def _line(**fields: object) -> str:
    return json.dumps({"title": "Rathaus", "text": BODY, **fields})


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"outlet": ["a", "b"]}, "outlet", "must be a string, not a list"),
        ({"language": 5}, "language", "must be a string, not a number"),
        ({"lang": "Deutsch (Österreich)"}, "lang", "not a language code"),
        ({"url": {"x": 1}}, "url", "must be a string, not an object"),
        ({"url": 17}, "url", "must be a string, not a number"),
        ({"url": True}, "url", "must be a string, not true/false"),
        ({"published": "9999-12-31T23:59:59-14:00"}, "published", "out of range"),
        ({"modified": "0001-01-01T00:00:00+14:00"}, "modified", "out of range"),
        ({"published": 1704164645}, "published", "ISO 8601 date string, not a number"),
        ({"title": ["x"]}, "title", "must be a string, not a list"),
        ({"text": {"de": BODY}}, "text", "must be a string, not an object"),
        ({"authors": [{"name": "Eva"}]}, "authors", "must list strings, not an object"),
        ({"agencies": 3}, "agencies", "string or a list of strings, not a number"),
    ],
)
def test_a_bad_field_rejects_its_line_only(fields: dict, field: str, words: str) -> None:
    data = "\n".join([_line(title="Erst"), _line(**fields), _line(title="Dritt")]).encode()
    items = list(read_bytes(data, "in.jsonl"))
    assert [type(x) for x in items] == [Article, Rejection, Article]
    rej = items[1]
    assert rej.source == "in.jsonl:2"
    assert f"field '{field}'" in rej.reason and words in rej.reason


def test_language_codes_are_kept_in_their_primary_form() -> None:
    items = list(
        read_bytes("\n".join([_line(language="DE-at"), _line(lang="fr")]).encode(), "l.jsonl")
    )
    assert [a.language for a in items] == ["de", "fr"]


def test_null_fields_are_absent_fields() -> None:
    (item,) = read_bytes(
        _line(url=None, outlet=None, published=None, authors=None).encode(), "n.jsonl"
    )
    assert isinstance(item, Article) and item.url is None and item.published is None


def test_the_issue_lines_are_rejected_and_nothing_breaks_later(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    good = [_line(title=f"Artikel {i}", text=BODY + f" Nummer {i}.") for i in range(3)]
    bad = [
        _line(title="a", outlet=["a", "b"]),
        _line(title="b", language=5),
        _line(title="c", url={"x": 1}),
        _line(title="d", published="9999-12-31T23:59:59-14:00"),
    ]
    src.write_text("\n".join([good[0], *bad, good[1], good[2]]) + "\n", encoding="utf-8")
    db = str(tmp_path / "x.db")
    runner = CliRunner()
    result = runner.invoke(main, ["--db", db, "ingest", "--no-analyze", str(src)])
    assert result.exit_code == 0, result.output
    assert "ingested 3, duplicates 0, rejected 4" in result.output
    for n, field in ((2, "outlet"), (3, "language"), (4, "url"), (5, "published")):
        assert f"mixed.jsonl:{n}: field '{field}'" in result.output
    assert runner.invoke(main, ["--db", db, "articles"]).exit_code == 0
