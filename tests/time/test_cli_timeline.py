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
