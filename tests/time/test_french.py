"""French is a language because resources/time/fr/ exists: the phrases of 20min's French
articles resolve, and French tense cues set a bare weekday's direction."""

from __future__ import annotations

from lagebild.time.rules import languages


def test_french_is_a_folder() -> None:
    assert "fr" in languages()


def test_the_phrases_of_issue_20_resolve(doc_of) -> None:
    doc = doc_of(
        "Le footballeur est mort ce mardi. Les prix ont augmenté la semaine dernière. "
        "Les rentes seront relevées en 2025. Vers 10h, il a appelé sa femme.",
        "2024-08-28",
        lang="fr",
    )
    got = {(t.text, t.value) for t in doc.times}
    assert {
        ("ce mardi", "2024-08-27"),
        ("la semaine dernière", "2024-W34"),
        ("2025", "2025"),
    } <= got
    assert ("10h", "2024-08-27T10:00") in got  # the day the text last told


def test_french_tense_sets_the_direction_of_a_weekday(doc_of) -> None:
    past = doc_of("Le conseil s'est réuni lundi.", "2024-08-28", lang="fr")
    ahead = doc_of("Le conseil se réunira lundi.", "2024-08-28", lang="fr")
    assert [t.value for t in past.times] == ["2024-08-26"]
    assert [t.value for t in ahead.times] == ["2024-09-02"]


def test_a_passe_compose_the_lemmatiser_leaves_sets_a_date_in_the_past(doc_of) -> None:
    """ "a arrêté": simplemma keeps the participle as its own lemma; the "-é" ending after
    the auxiliary still says past, so "le 3 mai" is the last 3 May, not the next."""
    past = doc_of("Le 3 mai, la police a arrêté deux hommes.", "2025-11-12", lang="fr")
    assert [t.value for t in past.times] == ["2025-05-03"]
    present = doc_of("Le 3 mai, le match a lieu à Berne.", "2025-11-12", lang="fr")
    assert [t.value for t in present.times] == ["2026-05-03"]  # "a lieu": no participle
