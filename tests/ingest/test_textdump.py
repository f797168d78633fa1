"""The text-dump cleaner: the seed expectations, and the same rules on text we wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagebild.errors import Rejection
from lagebild.ingest.textdump import read_text_dump
from lagebild.model import Article

BOILERPLATE = [
    "Schreibe einen Kommentar",
    "ttn-de-23",
    "ttn-de-58",
    "Erhalten Sie kostenlose Updates zum Krieg in der Ukraine",
    "Dieser Browser wird nicht mehr unterstützt",
    "Bitte wechseln Sie zu einem unterstützten Browser",
    "Lesen Sie mehr zu diesen Themen:",
    "• Drucken",
]
CREDITS = [
    "Bild ANP / EPA",
    "Bild AFP",
    "© KCNA/AFP/Getty Images",
    "© Vladimir Smirnov/Imago",
    "Reuters / Pool",
]


def _read(path: Path) -> Article:
    art = read_text_dump(path.read_bytes(), str(path))
    assert isinstance(art, Article), art
    return art


@pytest.fixture
def seeds(seeds_dir: Path) -> dict[str, Article]:
    return {p.name[:3]: _read(p) for p in sorted(seeds_dir.glob("*.txt"))}


def test_seed_titles_are_first_nonempty_line(seeds: dict[str, Article], seeds_dir: Path) -> None:
    assert len(seeds) == 5
    for key, art in seeds.items():
        path = next(seeds_dir.glob(f"{key}_*.txt"))
        first = next(
            ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()
        )
        assert art.title == first


def test_seed_dates(seeds: dict[str, Article]) -> None:
    assert seeds["000"].published == datetime(2023, 9, 13, 12, 58, 22, tzinfo=UTC)
    assert "1694609902" not in seeds["000"].text
    for key in ("001", "002", "003", "004"):
        assert seeds[key].published is None


def test_seed_boilerplate_and_credits_not_in_body(seeds: dict[str, Article]) -> None:
    for art in seeds.values():
        for line in BOILERPLATE + CREDITS:
            assert line not in art.text, (art.title, line)


def test_seed_captions_kept_once(seeds: dict[str, Article]) -> None:
    handshake = [c for c in seeds["000"].captions if "schütteln sich" in c]
    assert len(handshake) == 1
    assert "schütteln sich vor Gesprächen" not in seeds["000"].text
    april = [c for c in seeds["004"].captions if "Im April 2019 sind Kim" in c]
    assert len(april) == 1
    assert "Im April 2019 sind Kim (li.)" not in seeds["004"].text
    assert any("© KCNA" not in c and "KCNA/AFP/Getty Images" in c for c in seeds["001"].captions)


def test_seed_authors_and_agencies(seeds: dict[str, Article]) -> None:
    assert seeds["000"].authors == ("Tom Vennink",)
    assert "Über den Autor" not in seeds["000"].text
    assert "verschreibt de Volkskrant" not in seeds["000"].text
    assert seeds["002"].authors == ("Nail Akkoyun",)
    assert seeds["002"].agencies == ("dpa",)
    assert "(nak/dpa)" not in seeds["002"].text
    assert seeds["004"].agencies == ("APA", "Reuters")
    for key in ("001", "003", "004"):
        assert seeds[key].authors == ()


def test_nothing_read_is_lost(seeds: dict[str, Article], seeds_dir: Path) -> None:
    for key, art in seeds.items():
        raw = next(seeds_dir.glob(f"{key}_*.txt")).read_text(encoding="utf-8")
        assert art.raw == raw
        for removed in art.removed:
            assert removed.text in raw


WRITTEN = """Hochwasser in Passau: Pegel steigt weiter

1700000000 hochwasser-in-passau-pegel-steigt-weiter

Von: Anna Beispiel und Jonas Muster

Die Feuerwehr räumt eine Uferstraße.Foto DPA / Weber

Die Donau hat in Passau am Montag einen Pegel von 9,80 Metern erreicht. Die Stadt rief den
Katastrophenfall aus, Hunderte Helfer sind im Einsatz.

Boote der Wasserwacht an der Innpromenade
Boote der Wasserwacht bringen Anwohner in Sicherheit © Max Mustermann/epd

Nach Angaben der Stadt wurden bisher 240 Menschen in Sicherheit gebracht. (ab/AFP)

Jetzt den Newsletter abonnieren
Teilen
tz-de-4711
Kommentar schreiben
"""


def test_rules_are_general_on_written_text() -> None:
    art = read_text_dump(WRITTEN.encode("utf-8"), "written.txt")
    assert isinstance(art, Article)
    assert art.title == "Hochwasser in Passau: Pegel steigt weiter"
    assert art.published == datetime.fromtimestamp(1700000000, UTC)
    assert art.authors == ("Anna Beispiel", "Jonas Muster")
    assert art.agencies == ("AFP",)
    assert len(art.captions) == 3
    body = art.text
    assert body.startswith("Die Donau hat in Passau")
    for junk in (
        "Newsletter",
        "Teilen",
        "tz-de-4711",
        "Kommentar",
        "(ab/AFP)",
        "Wasserwacht",
        "Feuerwehr",
    ):
        assert junk not in body, junk
    assert body.endswith("240 Menschen in Sicherheit gebracht.")


def test_latin1_text_is_decoded() -> None:
    art = read_text_dump(WRITTEN.encode("cp1252"), "latin1.txt")
    assert isinstance(art, Article)
    assert "räumt" in art.raw and "Katastrophenfall" in art.text


def test_short_text_is_rejected_with_reason() -> None:
    rej = read_text_dump(b"Titel\n\nNur ein Satz.", "short.txt")
    assert isinstance(rej, Rejection)
    assert "characters of article text" in rej.reason


def test_byline_does_not_eat_a_sentence() -> None:
    text = (
        "Titel der Meldung\n\nVon Moskau aus reiste die Delegation weiter nach Osten.\n\n"
        + "Mehr Text. " * 40
    )
    art = read_text_dump(text.encode(), "x.txt")
    assert isinstance(art, Article)
    assert art.authors == ()
    assert art.text.startswith("Von Moskau aus")


def test_caption_repeated_far_away_and_footer_after_related_links() -> None:
    text = (
        "Titel der Meldung\n\n"
        "Helfer füllen Sandsäcke am Ufer.Foto dpa / Keller\n\n"
        + "Der Fluss stieg am Montag weiter an, die Stadt rief den Katastrophenfall aus. " * 4
        + "\n\nHelfer füllen Sandsäcke am Ufer.\n\n"
        + "Die Straße bleibt gesperrt, sagte ein Sprecher der Stadt am Abend. " * 2
        + "\n\nLesen Sie auch:\nHochwasser\nWetter\n\n© 2026 Musterhausener Bote\n"
    )
    art = read_text_dump(text.encode(), "x.txt")
    assert isinstance(art, Article)
    assert art.captions == ("Helfer füllen Sandsäcke am Ufer. (dpa / Keller)",)
    assert "Sandsäcke" not in art.text
    assert art.outlet == "Musterhausener Bote"
    assert art.text.endswith("am Abend.")


def test_the_author_box_names_the_outlet_when_nothing_else_does() -> None:
    body = "Die Stadt hat am Montag ein neues Rathaus eröffnet, sagte der Bürgermeister. " * 4
    dump = (
        f"Neues Rathaus eröffnet\n\n{body}\n\nÜber den Autor\n"
        "Jonas Brandt berichtet für die Elbe-Zeitung aus dem Landkreis.\n"
    )
    art = read_text_dump(dump.encode(), "rathaus.txt")
    assert isinstance(art, Article)
    assert art.outlet == "Elbe-Zeitung" and art.authors == ("Jonas Brandt",)
    assert "berichtet für" not in art.text
