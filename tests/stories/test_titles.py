"""A story is named by a headline: a photo credit given as an article's title is not one."""

from __future__ import annotations

from pathlib import Path

from flood_corpus import FIRST, SECOND, write_jsonl

from lagebild.app import Lagebild
from lagebild.stories.titles import reads_as_headline


def test_credits_and_empty_titles_are_no_headlines() -> None:
    assert not reads_as_headline("Alberto Saiz/AP")
    assert not reads_as_headline("Michael Kappeler/dpa")
    assert not reads_as_headline("Foto: dpa")
    assert not reads_as_headline("  ")
    assert reads_as_headline("Hochwasser in Wendelstadt: Ilm erreicht 6,2 Meter")
    assert reads_as_headline("Valencia/Mallorca (Spanien) – Alarmstufe Rot")  # a slash, no credit
    assert not reads_as_headline("Von Michael Kläsgen und Uwe Ritzer")  # a byline
    assert not reads_as_headline("By Jane Doe")
    assert not reads_as_headline("Artikel per Mail weiterempfehlen")  # a share button
    assert reads_as_headline("Von Wendelstadt bis Ilmenau: Pegel steigen")  # "von", no names
    # a picture's caption with its credit, the site name cut off after the separator
    assert not reads_as_headline("Helfer bei der Aufräumarbeit in Spanien. (Foto: Independent) |")
    assert reads_as_headline("Flut in Spanien: Helfer räumen auf |")


def test_a_headline_ranks_above_a_sentence_or_a_cut_teaser() -> None:
    from lagebild.stories.titles import takes_title, title_rank

    assert title_rank("Galeria Karstadt Kaufhof stellt Insolvenzantrag") == 2
    assert title_rank("Wer zahlt für die Flut?") == 2
    assert title_rank("Das teilte das Unternehmen am Dienstag in Essen mit.") == 1
    assert title_rank("Die Ilm hat in Wendelstadt einen Pegelstand von 6,2 Metern …") == 1
    assert title_rank("Karin Lohse/dpa") == 0
    assert title_rank("eilmeldung Trauer um Fußball-Legende") == 1  # a kicker glued on
    assert title_rank("Magdeburg. Die Haftstrafe für den Attentäter ist rechtskräftig") == 1
    assert title_rank("Nr. 1 der Welt: Sinner gewinnt in Wien") == 2
    assert title_rank("Der Papst ist tot. (AP / Martin Meissner)") == 1  # a picture credit
    assert title_rank("Brücke eingestürzt – https://www.flickr.com/photos/x") == 1
    # a page's date line given as its title names no story; a headline with a date does
    assert title_rank("Nov 15, 2023") == 0
    assert title_rank("München, 30.12.2020 | 08:49 | soe") == 0
    assert title_rank("Gipfel am 12. Juni 2018 in Singapur beendet") == 2
    sentence = "Das teilte das Unternehmen am Dienstag in Essen mit."
    assert takes_title("Galeria stellt Insolvenzantrag", sentence, earliest=False)
    assert not takes_title(sentence, "Galeria stellt Insolvenzantrag", earliest=True)
    assert takes_title("Galeria ist pleite", "Galeria stellt Insolvenzantrag", earliest=True)
    assert not takes_title("Galeria ist pleite", "Galeria stellt Insolvenzantrag", earliest=False)


def test_of_two_titles_of_one_kind_the_one_that_stands_for_the_story_names_it() -> None:
    from lagebild.stories.titles import stands_for, takes_title

    shared = {"galeria": 3.0, "insolvenzantrag": 2.0, "amtsgericht": 1.0}  # words reports share
    terms = {
        "Galeria stellt Insolvenzantrag": ["galeria", "stellen", "insolvenzantrag"],
        "Filialen auch in Berlin": ["filiale", "berlin"],  # a subheading: its own words
        "Galeria ist pleite": ["galeria", "pleite"],
        "Das Amtsgericht hat das Verfahren für Galeria eröffnet.": ["amtsgericht", "galeria"],
        "Das teilte das Unternehmen mit.": ["teilen", "unternehmen"],
        "Galeria ist pleite!": ["galeria", "pleite"],
    }

    def weigh(title: str) -> float:
        return stands_for(terms[title], shared)

    # a cosine: more of the story's words, not merely more words
    assert weigh("Galeria stellt Insolvenzantrag") > weigh("Galeria ist pleite") > 0
    assert stands_for(["galeria", "pleite"], shared) < stands_for(["galeria"], shared)
    assert weigh("Filialen auch in Berlin") == 0.0
    # of two headlines, the one that weighs more, whichever report is the earliest
    assert takes_title("Galeria stellt Insolvenzantrag", "Galeria ist pleite",
                       earliest=False, weigh=weigh)  # fmt: skip
    assert not takes_title("Galeria ist pleite", "Galeria stellt Insolvenzantrag",
                           earliest=True, weigh=weigh)  # fmt: skip
    # a headline of none of the story's words counts as no more than a lead sentence ...
    lead = "Das Amtsgericht hat das Verfahren für Galeria eröffnet."
    assert takes_title(lead, "Filialen auch in Berlin", earliest=False, weigh=weigh)
    assert not takes_title("Filialen auch in Berlin", lead, earliest=True, weigh=weigh)
    # ... a headline that carries some of it still outranks any sentence
    assert not takes_title(lead, "Galeria ist pleite", earliest=True, weigh=weigh)
    # weighing the same (nothing): the better kind, then the earliest report
    empty = "Das teilte das Unternehmen mit."
    assert not takes_title(empty, "Filialen auch in Berlin", earliest=True, weigh=weigh)
    assert takes_title("Filialen auch in Berlin", empty, earliest=False, weigh=weigh)
    assert takes_title("Galeria ist pleite", "Galeria ist pleite!", earliest=True, weigh=weigh)
    assert not takes_title("Galeria ist pleite", "Galeria ist pleite!", earliest=False, weigh=weigh)


def test_a_story_whose_earliest_report_is_titled_by_a_sentence_takes_a_later_headline(
    tmp_path: Path,
) -> None:
    snippet = "Die Ilm hat in Wendelstadt am Montagmorgen einen Pegelstand von 6,2 Metern erreicht."
    rows = [{**FIRST[0], "title": snippet}, FIRST[1]]
    lb = Lagebild(tmp_path / "s.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", rows)])
    (story,) = [s for s in lb.stories() if len(s.article_ids) == 2]
    assert story.title == FIRST[1]["title"]
    assert lb.article(story.article_ids[0]).title == snippet  # the article keeps its own title
    lb.close()


def test_a_story_is_named_by_the_headline_that_stands_for_it_not_the_earliest_caption(
    tmp_path: Path,
) -> None:
    """The earliest report's page gave a picture's caption as its title, set as a headline
    and made of words no other report has: a headline made of the story's words names it,
    whatever the order the reports come in."""
    caption = "Ein Helfer trägt einen Stuhl durch die Gasse"
    rows = [{**FIRST[0], "title": caption}, FIRST[1], *SECOND]
    names = set()
    for i, order in enumerate([rows, rows[::-1]]):
        lb = Lagebild(tmp_path / f"{i}.db")
        lb.ingest([write_jsonl(tmp_path / f"{i}.jsonl", order)])
        (story,) = [s for s in lb.stories() if len(s.article_ids) > 1]
        assert len(story.article_ids) == 4
        assert story.title in {r["title"] for r in rows[1:]}
        names.add(story.title)
        lb.close()
    assert len(names) == 1


def test_a_story_whose_earliest_report_is_titled_by_a_credit_takes_the_next_headline(
    tmp_path: Path,
) -> None:
    credited = [{**FIRST[0], "title": "Karin Lohse/dpa"}, FIRST[1]]
    lb = Lagebild(tmp_path / "c.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", credited)])
    (story,) = [s for s in lb.stories() if len(s.article_ids) == 2]
    assert story.title == FIRST[1]["title"]
    lb.close()


def test_a_label_given_as_title_yields_to_the_headline_line_of_the_text() -> None:
    from lagebild.stories.titles import lead_title, story_title

    text = "Fähre sinkt vor Kalmar: zwölf Vermisste\n\nDie Fähre war am Morgen ausgelaufen."
    assert story_title("Panorama", text) == "Fähre sinkt vor Kalmar: zwölf Vermisste"
    assert story_title("World News", text) == "Fähre sinkt vor Kalmar: zwölf Vermisste"
    headline3 = "Hochwasser in Wendelstadt: Ilm erreicht 6,2 Meter"
    # No headline line: a title that is no headline gives way to the lead's first sentence.
    lead = "Die Fähre sank am Morgen vor Kalmar, zwölf Menschen werden vermisst. Mehr folgt."
    assert story_title("+", lead) == "+"
    assert (
        lead_title("+", lead)
        == "Die Fähre sank am Morgen vor Kalmar, zwölf Menschen werden vermisst."
    )
    assert lead_title(headline3, lead) == ""
    # A short real headline stays when the text opens with body text.
    assert story_title("Tatverdächtiger festgenommen", lead) == "Tatverdächtiger festgenommen"
    assert story_title(headline3, text) == headline3


def test_a_single_article_story_is_not_named_by_a_page_label(tmp_path: Path) -> None:
    row = {
        **FIRST[0],
        "title": "+",
        "text": "Pegel der Ilm steigt weiter an\n\n" + FIRST[0]["text"],
    }
    lb = Lagebild(tmp_path / "l.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", [row])])
    (story,) = lb.stories()
    assert story.title == "Pegel der Ilm steigt weiter an"
    assert lb.article(story.article_ids[0]).title == "+"  # the article keeps its own title
    lb.close()


def test_a_single_article_story_titled_by_a_label_shows_its_lead(tmp_path: Path) -> None:
    row = {**FIRST[0], "title": "Anzeige"}
    lb = Lagebild(tmp_path / "a.db")
    lb.ingest([write_jsonl(tmp_path / "a.jsonl", [row])])
    (story,) = lb.stories()
    assert story.title != "Anzeige" and FIRST[0]["text"].startswith(story.title.rstrip("…"))
    lb.close()
