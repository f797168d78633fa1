"""A title that is really a lead paragraph is shown as a headline in lists and headings."""

from __future__ import annotations

from lagebild.dossier.assemble import headline as dossier_headline
from lagebild.model import Story, headline

LEAD = (
    "Die Gewerkschaft hat ihre Mitglieder in allen Betrieben zu Streiks von Mittwoch bis "
    "Freitag aufgerufen. Zunächst ab Dienstagabend im Güterverkehr, dann ab Mittwoch früh "
    "auch im Personenverkehr, teilte die Gewerkschaft am Montag mit."
)


def test_a_short_title_is_kept_with_its_spaces_collapsed() -> None:
    assert headline("Streik  bei der\nBahn") == "Streik bei der Bahn"


def test_a_lead_paragraph_becomes_its_first_sentence() -> None:
    assert headline(LEAD) == (
        "Die Gewerkschaft hat ihre Mitglieder in allen Betrieben zu Streiks von Mittwoch bis "
        "Freitag aufgerufen."
    )


def test_abbreviations_and_ordinals_are_no_sentence_ends() -> None:
    title = (
        "Dr. Hans Roth sagt, die Anlage werde am 3. Oktober geschlossen und die Belegschaft "
        "müsse sich bis dahin um neue Stellen bemühen, sonst drohe ihr die Arbeitslosigkeit"
    )
    short = headline(title)
    assert short.startswith("Dr. Hans Roth sagt, die Anlage werde am 3. Oktober geschlossen")
    assert short.endswith("…") and len(short) <= 120
    assert not short[:-1].endswith(" ")


def test_a_first_sentence_too_short_for_a_headline_takes_the_next_one() -> None:
    first = "Sie können es kaum glauben. Der Verein hat den Trainer nach drei Wochen entlassen."
    assert headline(f"{first} {LEAD}") == first


def test_a_dossier_heading_is_the_headline_of_its_story_title() -> None:
    assert dossier_headline(Story(id="s1", article_ids=(), title=LEAD), []) == headline(LEAD)
    assert dossier_headline(Story(id="s1", article_ids=(), title="  "), []) == "s1"
