"""Boilerplate in every format: rule lines (calls to action in de/en/fr) and the lines one
outlet prints under many different articles."""

from __future__ import annotations

import json

from lagebild.ingest.boilerplate import MIN_ARTICLES, OutletLines, clean_body
from lagebild.ingest.jsonl import article_from_object
from lagebild.model import Article

PROMO = "Folgst du schon 20 Minuten auf Whatsapp?"
TOPICS = ["Brand in Bern", "Wahl in Genf", "Streik in Basel", "Unfall in Chur", "Hagel in Zug"]
BOX = "Darum gehts"


def _article(i: int, body: str, outlet: str | None = "20 Minuten") -> Article:
    return Article(id=f"a{i}", title=f"T{i}", text=body, source="s", format="jsonl", outlet=outlet)


def test_calls_to_action_go_in_every_language() -> None:
    text = (
        "Der Fussballer ist tot.\n\nFolgst du schon 20 Minuten auf Whatsapp?\n\n"
        "Eine Newsübersicht am Morgen: Abonniere den Whatsapp-Kanal von 20 Minuten und du "
        "bekommst Updates.\n\nSuivez-nous sur Instagram\n\nFollow us on X\n\nEr wurde 27."
    )
    body, removed = clean_body(text)
    assert body == "Der Fussballer ist tot.\n\nEr wurde 27."
    assert {r.reason for r in removed} == {"call-to-action"} and len(removed) == 4


def test_a_jsonl_body_loses_its_promos_but_keeps_its_id_and_what_was_removed() -> None:
    obj = {"title": "Tot", "text": f"Er ist tot.\n\n{PROMO}", "outlet": "20 Minuten"}
    plain = {"title": "Tot", "text": f"Er ist tot.\n\n{PROMO}"}
    a = article_from_object(obj, "x.jsonl:1", _config())
    assert isinstance(a, Article) and a.text == "Er ist tot."
    assert [r.text for r in a.removed] == [PROMO]
    assert a.id == article_from_object(plain, "x.jsonl:1", _config()).id
    assert json.loads(a.raw or "{}")["text"].endswith(PROMO)  # the input is kept as it came


def test_a_caption_with_its_photo_credit_leaves_the_body_and_names_no_place() -> None:
    caption = "Blick auf den Fluss nach dem Regen in der Region Ostland Foto: Jana Roe / AFP"
    text = (
        f"Das Hochwasser traf die Region Ostland.\n\n{caption}\n\n"
        "Die Brücke ist gesperrt. © Max Muster/Imago\n\n© dpa\n\n"
        "Das zeigt ein Bild: Darauf ist die Brücke zu sehen\n\nDie Polizei schrieb auf Twitter/X"
    )
    a = article_from_object({"title": "Hochwasser", "text": text}, "x.jsonl:1", _config())
    assert isinstance(a, Article)
    assert a.text == (
        "Das Hochwasser traf die Region Ostland.\n\n"
        "Das zeigt ein Bild: Darauf ist die Brücke zu sehen\n\nDie Polizei schrieb auf Twitter/X"
    )
    assert [r.reason for r in a.removed] == ["caption", "caption", "photo-credit"]
    assert a.captions == (caption, "Die Brücke ist gesperrt. © Max Muster/Imago")
    long_para = "Der Satz geht weiter und weiter. " * 12 + "Foto: Max Muster"
    assert clean_body(long_para)[1] == ()  # a paragraph of news that ends in a credit stays


def _config():
    from lagebild.config import Config

    return Config()


def test_a_line_under_many_different_articles_of_an_outlet_is_the_outlets() -> None:
    arts = [
        _article(i, f"Meldung: {TOPICS[i]}.\n\n{BOX}\n\nMehr zu {TOPICS[i]}.") for i in range(4)
    ]
    lines = OutletLines()
    lines.learn(arts)
    cleaned = [lines.strip(a) for a in arts]
    assert all(BOX not in a.text for a in cleaned)
    assert all(any(r.reason == "outlet-repeated" for r in a.removed) for a in cleaned)


def test_updates_of_one_story_keep_their_shared_paragraphs() -> None:
    shared = "Die Polizei sucht nach dem Täter und bittet um Hinweise."
    updates = [_article(i, f"{shared}\n\nDer Täter ist flüchtig.") for i in range(MIN_ARTICLES + 1)]
    lines = OutletLines()
    lines.learn(updates)
    assert all(lines.strip(a).text == a.text for a in updates)


def test_other_outlets_and_the_stores_state_round_trip() -> None:
    arts = [_article(i, f"Nachricht: {TOPICS[i]}.\n\n{BOX}") for i in range(3)]
    lines = OutletLines()
    lines.learn(arts)
    again = OutletLines.from_state(json.loads(json.dumps(lines.to_state())))
    assert again.outlet_line("20 Minuten", BOX) and not again.outlet_line("Blick", BOX)
    assert OutletLines.from_state("junk").seen == {}


def test_the_repeated_lines_are_learned_across_ingests(tmp_path) -> None:
    from lagebild.app import Lagebild

    lb = Lagebild(tmp_path / "b.db")
    for i in range(4):
        path = tmp_path / f"b{i}.jsonl"
        body = f"{TOPICS[i]}: der Gemeinderat beschloss am Montag etwas.\n\n{BOX}"
        path.write_text(json.dumps({"title": f"T{i}", "text": body, "outlet": "20 Minuten"}) + "\n")
        lb.ingest([path], analyze=False)
    last = next(a for a in lb.articles() if a.title == "T3")
    assert BOX not in last.text and any(r.text == BOX for r in last.removed)
    lb.close()


def test_a_long_page_is_counted_as_each_line_against_all_the_others() -> None:
    """The fingerprints of a page are made once; what is counted is what comparing each line
    with every other line (the definition) gives."""
    import hashlib

    from lagebild.ingest.boilerplate import MAX_LINE, fingerprint

    body = "\n\n".join(
        f"Zeile {i}: {TOPICS[i % len(TOPICS)]} und {chr(97 + i % 26) * (1 + i % 3)}"
        for i in range(120)
    )
    page = _article(0, f"{body}\n\nEin\n\n{'lang ' * 100}")
    lines = OutletLines()
    lines.learn([page])
    text_lines = [x.strip() for x in page.text.split("\n") if x.strip()]
    expected: dict[str, list[str]] = {}
    for line in text_lines:
        if len(line) > MAX_LINE or len(line.split()) < 2:
            continue
        fp = fingerprint(line)
        rest = sorted(fingerprint(x) for x in text_lines if fingerprint(x) != fp)
        sig = hashlib.sha1(" ".join(rest[:6]).encode()).hexdigest()[:12]
        expected.setdefault(fp, [])
        if sig not in expected[fp]:
            expected[fp].append(sig)
    assert lines.seen[page.outlet] == expected
    assert len(expected) > 30 and len({s for sigs in expected.values() for s in sigs}) > 1


def test_a_topic_before_the_outlets_box_line_and_the_boxs_byline_go_too() -> None:
    arts = [
        _article(i, f"Meldung: {TOPICS[i]}.\n\n{BOX}\n\nMehr zu {TOPICS[i]}.") for i in range(4)
    ]
    lines = OutletLines()
    lines.learn(arts)
    body = (
        "Die Swiss beförderte fast drei Millionen Passagiere.\n\nFabian Pöschl\n\n"
        f"Swiss in den Sommerferien: {BOX}\n\nDie Pünktlichkeit hapert.\n\nNeue Regeln\n\n"
        "Ab Juli gilt ein neuer Fahrplan."
    )
    got = lines.strip(_article(9, body))
    assert got.text == (
        "Die Swiss beförderte fast drei Millionen Passagiere.\n\nDie Pünktlichkeit hapert."
        "\n\nNeue Regeln\n\nAb Juli gilt ein neuer Fahrplan."
    )  # a name-like heading that stands above news, not above the box, stays
    assert [(r.text, r.reason) for r in got.removed] == [
        ("Fabian Pöschl", "byline"),
        (f"Swiss in den Sommerferien: {BOX}", "outlet-repeated"),
    ]
    # a sentence that ends with the box words is news: its head is longer than a topic
    long_head = f"Der Gemeinderat hat am Montag nach langer Debatte entschieden: {BOX}"
    assert not lines.outlet_line("20 Minuten", long_head)


def test_only_a_bare_name_is_a_byline() -> None:
    from lagebild.ingest.boilerplate import bare_name

    assert bare_name("Fabian Pöschl") and bare_name("Anna von der Heide")
    assert bare_name("Jean-Luc Martin")
    assert not bare_name("Fabian") and not bare_name("Der Täter ist flüchtig.")
    assert not bare_name("von Berg") and not bare_name("Swiss 2024 Bilanz")


def test_a_name_on_the_same_early_line_of_many_articles_is_the_outlets_byline() -> None:
    names = ["Fabian Pöschl", "Silvan Haenni", "Anja Zobrist", "Nino Vinzens"]
    arts = [
        _article(i, f"Lead über {TOPICS[i]}.\n\n{names[i]}\n\nMehr zu {TOPICS[i]} am Montag.")
        for i in range(4)
    ]
    lines = OutletLines()
    lines.learn(arts[:3])
    got = lines.strip(arts[3])
    assert got.text == f"Lead über {TOPICS[3]}.\n\nMehr zu {TOPICS[3]} am Montag."
    assert [(r.text, r.reason) for r in got.removed] == [("Nino Vinzens", "byline")]
    # another outlet has no such slot; a name further down is news ("Anna Muster sagte …")
    assert lines.strip(_article(9, arts[3].text, outlet="Blick")).text == arts[3].text
    late = _article(8, f"Lead.\n\nZweiter Absatz.\n\nDritter Absatz.\n\n{names[0]}\n\nEnde.")
    assert lines.strip(late).text == late.text


def test_a_placeholder_for_text_that_is_gone_goes_but_the_teaser_stays() -> None:
    teaser = "Die Brücke über den Inn bleibt bis März gesperrt."
    gone = "Der Volltext dieses Beitrags ist aus rechtlichen Gründen nicht mehr abrufbar."
    a = article_from_object({"title": "Brücke", "text": f"{teaser} {gone}"}, "x:1", _config())
    assert isinstance(a, Article) and a.text == teaser
    assert [(r.text, r.reason) for r in a.removed] == [(gone, "placeholder")]
    only = article_from_object({"title": "Brücke", "text": gone}, "x:2", _config())
    assert not isinstance(only, Article) and "placeholder" in only.reason
    english = "Officials closed the bridge.\n\nThis story is no longer available online."
    assert clean_body(english)[0] == "Officials closed the bridge."


def test_news_about_something_unavailable_is_no_placeholder() -> None:
    for text in (
        "Die Tickets für das Konzert sind nicht mehr verfügbar.",
        "Der Verlag hat den Artikel gelöscht, nachdem der Minister mit einer Klage gedroht hatte.",
        "Dieser Artikel ist nicht mehr verfügbar, sagte ein Sprecher der Zeitung am Montag in "
        "Wien, nachdem Leser sich über die Darstellung der Vorgänge beschwert und eine "
        "Richtigstellung verlangt hatten, die der Verlag ablehnte.",  # too long for a stand-in
    ):
        assert clean_body(text) == (text, ()), text


def test_a_text_dump_loses_the_placeholder_sentence_too() -> None:
    from lagebild.ingest.textdump import read_text_dump

    body = (
        "Die Brücke über den Inn bleibt bis März für Lastwagen gesperrt, teilte das Land mit. "
        "Die Umleitung über Kufstein kostet Speditionen nach Schätzung der Kammer eine halbe "
        "Stunde je Fahrt, und die Gemeinden an der Strecke fürchten den Lärm der Nacht."
    )
    dump = f"Brücke gesperrt\n\n{body} Dieser Artikel ist nicht mehr verfügbar.\n"
    a = read_text_dump(dump.encode(), "d.txt")
    assert isinstance(a, Article) and a.text == body
    assert [r.reason for r in a.removed] == ["placeholder"]


def test_the_agency_editors_codes_after_the_last_sentence_go() -> None:
    """ "… zu vermeiden./jac/DP/he" ends a dpa-AFX report in every format; a slash inside a
    sentence or a web address stays."""
    from lagebild.ingest.textdump import read_text_dump

    last = "Ziel sei, ein Abdriften in einen Konflikt zu vermeiden."
    obj = {"title": "Gipfel", "text": f"Die beiden trafen sich.\n\n{last}/jac/DP/he"}
    a = article_from_object(obj, "x.jsonl:1", _config())
    assert isinstance(a, Article) and a.text.endswith(last)
    assert [(r.text, r.reason) for r in a.removed] == [("/jac/DP/he", "editor-codes")]
    body = (
        "Die beiden Präsidenten trafen sich am Rande des Gipfels für vier Stunden auf einem "
        "Landgut südlich der Stadt. Beide Seiten sprachen danach von offenen Gesprächen über "
        f"Handel, Militär und die Lage in der Region. {last}"
    )
    dump = read_text_dump(f"Gipfel\n\n{body} /ajx/he\n".encode(), "d.txt")
    assert isinstance(dump, Article) and dump.text == body
    kept = {
        "title": "Wahl",
        "text": "Die Partei erhielt 3/4 der Sitze und/oder mehr. Siehe x.de/ab/cd",
    }
    b = article_from_object(kept, "x.jsonl:2", _config())
    assert isinstance(b, Article) and b.text == kept["text"] and not b.removed
