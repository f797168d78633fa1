"""The main job and the report commands, end to end through the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lagebild.dossier.verify import json_citation_problems

SECTIONS = ("summary", "timeline", "statements", "facts", "divergences", "corroborated", "entities")


def _cli():
    return pytest.importorskip("lagebild.cli").main


def _check_report(out):
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert index["stories"]
    for story in index["stories"]:
        assert {f.rsplit(".", 1)[-1] for f in story["files"]} == {"html", "json", "md"}
        data = json.loads((out / story["files"][1]).read_text(encoding="utf-8"))
        assert data["schema"] == "lagebild.dossier/1"
        for key in SECTIONS:
            assert isinstance(data[key], list), key
        assert json_citation_problems(data) == []
    return index


def test_run_writes_a_report(tmp_path, corpus_dir):
    runner = CliRunner()
    out = tmp_path / "report"
    db = tmp_path / "t.db"
    result = runner.invoke(_cli(), ["--db", str(db), "run", str(corpus_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    index = _check_report(out)
    assert sum(s["originals"] for s in index["stories"]) == 4
    assert "stories" in result.output

    story = index["stories"][0]["id"]
    md = runner.invoke(_cli(), ["--db", str(db), "dossier", story[:8], "--format", "md"])
    assert md.exit_code == 0, md.output
    assert "## Summary" in md.output
    page = tmp_path / "d.html"
    html = runner.invoke(
        _cli(), ["--db", str(db), "dossier", story, "--format", "html", "--out", str(page)]
    )
    assert html.exit_code == 0, html.output
    assert "<svg" in page.read_text(encoding="utf-8") or "No dated" in page.read_text(
        encoding="utf-8"
    )

    again = runner.invoke(_cli(), ["--db", str(db), "report", str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    _check_report(tmp_path / "again")


@pytest.mark.shared
def test_seed_dossiers_have_working_citations(tmp_path, seeds_dir):
    runner = CliRunner()
    out = tmp_path / "report"
    args = ["--db", str(tmp_path / "s.db"), "run", str(seeds_dir), "--out", str(out)]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    index = _check_report(out)
    assert sum(s["originals"] for s in index["stories"]) == 5
    # EXPECTED.md, a must: all five seeds form one story
    assert [s["originals"] for s in index["stories"]] == [5]
    assert any(s["summary_lines"] for s in index["stories"])


@pytest.mark.shared
def test_one_seed_story_dossier_is_fully_cited(tmp_path, seeds_dir):
    """All five seeds as one story (whatever the clustering does): every section's citations
    land in the stored text, and every divergence and corroborated fact is on the page."""
    from html import escape

    from lagebild.app import Lagebild
    from lagebild.dossier import build_bundle, render_html
    from lagebild.dossier.verify import citation_problems
    from lagebild.model import Story

    app = Lagebild(tmp_path / "one.db")
    try:
        app.ingest([seeds_dir])
        ids = tuple(a.id for a in app.articles())
        bundle = build_bundle(Story(id="seeds", article_ids=ids), list(app.docs(ids)), app.config)
        stored = {a.id: a.text for a in app.articles()}
    finally:
        app.close()
    d = bundle.dossier
    assert len(d.articles) == 5 and 8 <= len(d.summary) <= 12
    assert citation_problems(d) == []
    for line in d.summary:
        c = line.citation
        assert stored[c.article_id][c.start : c.end] == line.text
    page = render_html(bundle)
    for dv in d.divergences:
        assert escape(dv.slot) in page
    for g in d.corroborated:
        assert escape(g.text) in page


def test_demo_corpus_report(tmp_path):
    """What `make demo` runs: five stories, the syndicated copy folded, every citation works."""
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "examples" / "demo"
    out = tmp_path / "report"
    args = ["--db", str(tmp_path / "d.db"), "run", str(demo), "--out", str(out)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    index = _check_report(out)
    assert len(index["stories"]) == 5
    sizes = sorted(s["originals"] for s in index["stories"])
    assert sizes == [2, 4, 4, 5, 5]
    from lagebild.store import Store

    copies = [c for st in Store(tmp_path / "d.db").stories() for c in st.duplicates]
    assert len(copies) == 1


def test_run_on_nothing_readable_exits_1_and_writes_no_report(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(
        _cli(), ["--db", str(tmp_path / "x.db"), "run", str(tmp_path / "in"), "--out", str(out)]
    )
    assert result.exit_code == 1 and "nothing could be read" in result.stderr
    assert "empty.txt" in result.stderr and not out.exists()
