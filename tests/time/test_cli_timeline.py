"""`lagebild timeline STORY` on the ingested seeds."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lagebild.app import Lagebild


def test_timeline_command_lists_dated_events(seeds_dir, tmp_path) -> None:
    from lagebild.cli import main

    db = tmp_path / "t.db"
    app = Lagebild(db)
    app.ingest([seeds_dir])
    dated = next(a for a in app.articles() if a.published is not None)
    story = next(s for s in app.stories() if dated.id in s.article_ids)
    app.close()
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db), "timeline", story.id[:10], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    events = data["events"]
    luna = [e for e in events if e["date"] == "2023-08"]  # "Letzten Monat" in the dated seed
    assert luna and luna[0]["citations"][0]["article_id"] == dated.id
    dates = [e["date"] for e in events]
    assert dates.index("2023-08") < dates.index("2023-09-13")
    table = runner.invoke(main, ["--db", str(db), "timeline", story.id[:10]])
    assert table.exit_code == 0 and "2023-08" in table.output
    decades = [d for d in dates if d.isdigit() and len(d) == 3]
    assert all(f"{d}0s" in table.output for d in decades)


def test_timeline_heads_a_lead_paragraph_title_with_its_first_sentence(tmp_path) -> None:
    from lagebild.cli import main

    lead = (
        "Nach dem ersten Streiktag in Lindau warten noch zwei weitere Tage auf die Pendler. "
        "Auch am Donnerstag und am Freitag fährt kaum ein Zug der Nordbahn durch die Stadt. "
        "Der Arbeitskampf begann am frühen Mittwochmorgen wie von der Gewerkschaft geplant. "
        "Ein vorzeitiges Ende ist nach Aussagen der Gewerkschaft keine Option."
    )
    row = {"id": "s1", "title": lead, "text": "Am Mittwoch streikten die Lokführer in Lindau.",
           "published": "2024-01-10", "outlet": "Nordblatt", "language": "de"}  # fmt: skip
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    app = Lagebild(db)
    app.ingest([src])
    story = app.stories()[0]
    app.close()
    out = CliRunner().invoke(main, ["--db", str(db), "timeline", story.id[:10]]).output
    first_line = out.strip().splitlines()[0]
    assert first_line.startswith("Nach dem ersten Streiktag in Lindau warten noch zwei weitere")
    assert "keine Option" not in " ".join(out.split()), out
