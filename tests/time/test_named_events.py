"""An undated report of a dated, named event is cited by the event: across languages and
names, when both stand near the same place."""

from __future__ import annotations

import re
from importlib import resources

from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.time.named_events import event_classes
from lagebild.time.timeline import timeline

DATED = (
    "Kim wird nach Wladiwostok an der Pazifikküste reisen. Dort trifft er Putin.\n\n"
    "In der Stadt an der russischen Pazifikküste findet von 10. bis 13. September ein "
    "Wirtschaftsforum statt, die Staatschefs wollen am Rande zusammenkommen."
)
UNDATED = (
    "Peskow sagte, Putin und Kim würden sich nach dem Eastern Economic Forum treffen, an dem "
    "der Präsident in der Stadt Wladiwostok teilnehme."
)
ELSEWHERE = (
    "Peskow sagte, Putin werde auch das Wirtschaftsforum in Sankt Petersburg besuchen, wie "
    "jedes Jahr."
)


def _doc(i: str, text: str, day: str | None):
    from datetime import UTC, datetime

    published = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else None
    art = Article(
        id=i, title="t", text=text, source=i, format="text", language="de", published=published
    )
    return Pipeline()(art)


def test_the_undated_report_of_the_same_forum_at_the_same_place_is_cited() -> None:
    docs = [_doc("a", DATED, "2023-09-04"), _doc("b", UNDATED, "2023-09-05")]
    forum = [e for e in timeline(docs) if "Wirtschaftsforum" in e.label]
    assert len(forum) == 1 and forum[0].date.startswith("2023-09-10")
    assert {c.article_id for c in forum[0].citations} == {"a", "b"}


def test_a_forum_at_another_place_is_not_the_event() -> None:
    docs = [_doc("a", DATED, "2023-09-04"), _doc("c", ELSEWHERE, "2023-09-05")]
    forum = [e for e in timeline(docs) if e.date.startswith("2023-09-10")]
    assert len(forum) == 1 and {c.article_id for c in forum[0].citations} == {"a"}


def test_event_noun_examples() -> None:
    path = resources.files("lagebild").joinpath("resources", "time", "event_nouns.tsv")
    examples = [
        line.split("EXAMPLE:", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if "EXAMPLE:" in line
    ]
    assert examples
    for ex in examples:
        if "!=" in ex:
            a, b = ex.split("!=")
            assert not (event_classes(a) & event_classes(b)), ex
        else:
            sides = [event_classes(s) for s in re.split(r"\s=\s", ex)]
            assert sides[0] and all(sides[0] & s for s in sides[1:]), ex
    assert not event_classes("Auswahl")  # a prefix too short for a compound
