"""A story is named by a headline: a photo credit given as an article's title is not one."""

from __future__ import annotations

from pathlib import Path

from flood_corpus import FIRST, write_jsonl

from lagebild.app import Lagebild
from lagebild.stories.titles import reads_as_headline


def test_credits_and_empty_titles_are_no_headlines() -> None:
    assert not reads_as_headline("Alberto Saiz/AP")
    assert not reads_as_headline("Michael Kappeler/dpa")
    assert not reads_as_headline("Foto: dpa")
    assert not reads_as_headline("  ")
    assert reads_as_headline("Hochwasser in Wendelstadt: Ilm erreicht 6,2 Meter")
    assert reads_as_headline("Valencia/Mallorca (Spanien) – Alarmstufe Rot")  # a slash, no credit


def test_a_story_whose_earliest_report_is_titled_by_a_credit_takes_the_next_headline(
    tmp_path: Path,
) -> None:
    credited = [{**FIRST[0], "title": "Karin Lohse/dpa"}, FIRST[1]]
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", credited)])
    (story,) = [s for s in lb.stories() if len(s.article_ids) == 2]
    assert story.title == FIRST[1]["title"]
    lb.close()
