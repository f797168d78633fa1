"""The acceptance commands of the foundation, through the real CLI."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from lagebild.cli import main

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 6


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_seeds_twice_counts_duplicates(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "ingest", str(seeds_dir))
    assert code == 0 and "ingested 5, duplicates 0, rejected 0" in out
    code, out, _ = _run(db, "ingest", str(seeds_dir))
    assert code == 0 and "ingested 0, duplicates 5, rejected 0" in out
    code, out, _ = _run(db, "search", "Wostotschny")
    assert code == 0 and "Wostotschny" in out
    from lagebild.store import Store

    hits = {Path(a.source).name[:3] for a, _ in Store(db).search("Wostotschny")}
    assert {"000", "002"} <= hits


def test_bad_files_named_batch_goes_on_db_consistent(tmp_path: Path, seeds_dir: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(next(seeds_dir.glob("002_*.txt")), src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (src / "latin1.txt").write_bytes(
        ("Überschrift für Köln\n\n" + BODY.replace("Stadt", "Straße")).encode("latin-1")
    )
    (src / "cut.txt.gz").write_bytes(gzip.compress(("Titel\n\n" + BODY).encode())[:30])
    db = tmp_path / "x.db"
    code, out, err = _run(db, "ingest", str(src))
    assert code == 0
    assert "ingested 2, duplicates 0, rejected 3" in out
    for name, reason in (
        ("empty.txt", "empty file"),
        ("binary.bin", "binary file"),
        ("cut.txt.gz", "truncated or corrupt gzip"),
    ):
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
    assert con.execute("SELECT COUNT(*) FROM articles_search").fetchone()[0] == 2
    assert con.execute("SELECT COUNT(*) FROM rejections").fetchone()[0] == 3


def test_nothing_readable_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = _run(
        tmp_path / "x.db", "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "nope")
    )
    assert code == 1
    assert "no such file or directory" in err


def test_articles_and_show(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "x.db"
    _run(db, "ingest", "--no-analyze", str(seeds_dir))
    code, out, _ = _run(db, "articles")
    assert code == 0 and "Nail Akkoyun" in out and "APA, Reuters" in out
    art_id = next(line.split()[1] for line in out.splitlines() if "Medienbericht" in line)
    code, out, _ = _run(db, "show", art_id)
    assert code == 0 and "agencies: APA, Reuters" in out and "[browser-notice]" in out
    code, _, err = _run(db, "show", "zzzz")
    assert code == 2 and "no article with id" in err


def test_outlet_option_fills_only_missing_outlets(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plain.txt").write_text("Rathaus eröffnet\n\n" + BODY, encoding="utf-8")
    footer = (
        "Neue Brücke freigegeben\n\n"
        + BODY.replace("Rathaus", "Brücke")
        + "\n© Elbe-Zeitung 2026\n"
    )
    (tmp_path / "in" / "footer.txt").write_text(footer, encoding="utf-8")
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "ingest", "--no-analyze", "--outlet", "Kurier", str(tmp_path / "in"))
    assert code == 0 and "ingested 2" in out
    from lagebild.store import Store

    outlets = {a.title: a.outlet for a in Store(db).articles()}
    assert outlets["Rathaus eröffnet"] == "Kurier"
    assert outlets["Neue Brücke freigegeben"] not in (None, "Kurier")  # the footer names it
