"""A small written story for the dossier tests: four outlets, one syndicated copy, captions,
a teaser question and a heading left in the body (as a careless cleaner would leave them)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from lagebild.dossier.assemble import CoverageMatrix, CoverageRow, DossierBundle, build_bundle
from lagebild.model import (
    Article,
    Citation,
    Divergence,
    Doc,
    Entity,
    FactGroup,
    Mention,
    Statement,
    Story,
    TimelineEvent,
    article_id,
)
from lagebild.text import analyze

CAPTION = "Feuerwehrleute sichern am Montag die Uferpromenade in Passau mit Sandsäcken."

TEXTS = {
    "Donaubote": (
        "Hochwasser in Passau: Donau erreicht 9,5 Meter",
        datetime(2024, 6, 3, 8, 0, tzinfo=UTC),
        "Die Donau hat in Passau am Montagmorgen einen Pegelstand von 9,5 Metern erreicht.\n\n"
        "Die Stadt rief den Katastrophenfall aus und sperrte die Altstadt für den Verkehr.\n\n"
        f"{CAPTION}\n\n"
        "Rund 1.200 Einsatzkräfte von Feuerwehr und Technischem Hilfswerk sind in der Stadt im Einsatz.\n\n"
        "Wie hoch steigt das Wasser noch?\n\n"
        "Lage am Inn\n\n"
        "Auch der Inn führt Hochwasser, die Innpromenade steht bereits komplett unter Wasser.\n\n"
        "Oberbürgermeister Jürgen Dupper sagte, die Lage sei ernst, aber unter Kontrolle.",
    ),
    "Bayernblatt": (
        "Katastrophenfall in Passau nach Donau-Hochwasser",
        datetime(2024, 6, 3, 14, 30, tzinfo=UTC),
        "Passau hat wegen des Hochwassers der Donau den Katastrophenfall ausgerufen.\n\n"
        "Der Pegel der Donau erreichte am Montag in Passau 9,5 Meter, die Altstadt ist gesperrt.\n\n"
        "Nach Angaben der Stadt sind rund 1.200 Helfer von Feuerwehr und THW im Einsatz.\n\n"
        "Die Schulen in der Innenstadt bleiben am Dienstag geschlossen, teilte das Schulamt mit.\n\n"
        "Der Deutsche Wetterdienst erwartet für die kommenden Tage weiteren Regen im Einzugsgebiet der Donau.",
    ),
    "Südkurier": (
        "Passau kämpft gegen die Flut",
        datetime(2024, 6, 4, 7, 15, tzinfo=UTC),
        "In Passau ist der Pegel der Donau in der Nacht auf Dienstag auf 10,1 Meter gestiegen.\n\n"
        "Die Altstadt bleibt gesperrt, rund 400 Anwohner mussten ihre Wohnungen verlassen.\n\n"
        f"{CAPTION}\n\n"
        "Die Stadt hatte bereits am Montag den Katastrophenfall ausgerufen.\n\n"
        "Nach Einschätzung des Hochwassernachrichtendienstes ist der Scheitel damit erreicht.\n\n"
        "Lesen Sie auch: So schützen Sie Ihr Haus vor Hochwasser.",
    ),
    "Ostbayern Online": (
        "Hochwasser: Donau-Scheitel in Passau erreicht",
        datetime(2024, 6, 4, 12, 0, tzinfo=UTC),
        "Das Hochwasser der Donau hat in Passau am Dienstag seinen Scheitel bei 10,1 Metern erreicht.\n\n"
        "Rund 400 Menschen mussten ihre Wohnungen in der Altstadt verlassen.\n\n"
        "Der Katastrophenfall in Passau gilt weiter, wie die Stadt mitteilte.\n\n"
        "Oberbürgermeister Dupper dankte den Helfern für ihren unermüdlichen Einsatz.",
    ),
}


def make_article(outlet: str, title: str, published: datetime, text: str) -> Article:
    return Article(
        id=article_id(title, text, f"https://{outlet.lower().replace(' ', '-')}.example/a"),
        title=title,
        text=text,
        source=f"{outlet}.txt",
        format="text",
        outlet=outlet,
        published=published,
        language="de",
        captions=(CAPTION,),
    )


def flood_docs() -> tuple[Story, list[Doc]]:
    """The story (with one syndicated copy of the first article) and its text-layer docs."""
    arts = [make_article(o, t, p, x) for o, (t, p, x) in TEXTS.items()]
    first = arts[0]
    copy = dataclasses.replace(
        first,
        id=first.id[:8] + "copy0001",
        outlet="Nachrichten Niederbayern",
        published=datetime(2024, 6, 3, 9, 0, tzinfo=UTC),
    )
    arts.insert(1, copy)
    docs = [analyze(Doc(article=a)) for a in arts]
    story = Story(
        id="story-flood",
        article_ids=tuple(a.id for a in arts),
        title="",
        duplicates=((copy.id, first.id),),
        first=arts[0].published,
        last=arts[-1].published,
        outlets=tuple(dict.fromkeys(a.outlet for a in arts if a.outlet)),
        languages=("de",),
    )
    return story, docs


def _cite(docs: list[Doc], outlet: str, phrase: str) -> Citation:
    doc = next(d for d in docs if d.article.outlet == outlet)
    start = doc.article.text.index(phrase)
    return Citation(doc.id, start, start + len(phrase), outlet)


def full_bundle_of(story: Story, docs: list[Doc]) -> DossierBundle:
    """The story's real bundle plus hand-made section records (as the other stages would make
    them) so every section of the exports has something to render."""
    bundle = build_bundle(story, docs)
    c = lambda outlet, phrase: _cite(docs, outlet, phrase)  # noqa: E731
    level1 = FactGroup(
        "distance",
        "Pegel Donau Passau",
        9.5,
        "m",
        "9,5 Metern",
        (c("Donaubote", "9,5 Metern"), c("Bayernblatt", "9,5 Meter")),
        ("Donaubote", "Bayernblatt"),
        docs[0].article.published,
    )
    level2 = FactGroup(
        "distance",
        "Pegel Donau Passau",
        10.1,
        "m",
        "10,1 Meter",
        (c("Südkurier", "10,1 Meter"), c("Ostbayern Online", "10,1 Metern")),
        ("Südkurier", "Ostbayern Online"),
        docs[3].article.published,
    )
    helpers = FactGroup(
        "count",
        "Einsatzkräfte",
        1200,
        "",
        "Rund 1.200 Einsatzkräfte",
        (c("Donaubote", "Rund 1.200 Einsatzkräfte"), c("Bayernblatt", "rund 1.200 Helfer")),
        ("Donaubote", "Bayernblatt"),
        docs[0].article.published,
    )
    schools = FactGroup(
        "claim",
        "Schulen geschlossen",
        None,
        "",
        "Schulen <bleiben> geschlossen",
        (c("Bayernblatt", "Die Schulen in der Innenstadt bleiben am Dienstag geschlossen"),),
        ("Bayernblatt",),
        docs[2].article.published,
    )
    groups = (level1, level2, helpers, schools)
    dossier = dataclasses.replace(
        bundle.dossier,
        timeline=(
            TimelineEvent(
                "2024-06-03",
                None,
                "day",
                "Passau ruft den Katastrophenfall aus",
                (
                    c(
                        "Bayernblatt",
                        "Passau hat wegen des Hochwassers der Donau den Katastrophenfall ausgerufen.",
                    ),
                ),
            ),
            TimelineEvent(
                "2024-06-04",
                None,
                "day",
                "Scheitel bei 10,1 Metern <erreicht>",
                (c("Ostbayern Online", "seinen Scheitel bei 10,1 Metern erreicht"),),
                inferred=True,
            ),
            TimelineEvent("2013-06", None, "month", "Jahrhunderthochwasser", ()),
        ),
        statements=(
            Statement(
                "Jürgen Dupper",
                "e-dupper",
                "indirect",
                "die Lage sei ernst, aber unter Kontrolle",
                (c("Donaubote", "die Lage sei ernst, aber unter Kontrolle"),),
            ),
        ),
        facts=groups,
        corroborated=(level1, level2, helpers),
        divergences=(
            Divergence(
                "Pegel der Donau in Passau",
                (("9,5 m", level1.citations), ("10,1 m", level2.citations)),
                "update",
                "the later articles report a higher level",
            ),
        ),
        entities=(
            Entity(
                "e-passau",
                "Passau",
                "LOC",
                (("Passau", 9),),
                (Mention(docs[0].id, 0, 6, "Passau", "LOC"),),
            ),
        ),
    )
    matrix = CoverageMatrix(
        ("Donaubote", "Bayernblatt", "Südkurier"),
        (CoverageRow("Pegel 9,5 m", "distance", (level1.citations[:1], level1.citations[1:], ())),),
    )
    return dataclasses.replace(bundle, dossier=dossier, coverage=matrix)
