"""How the exports group statements by speaker (dossier.views.by_speaker)."""

from __future__ import annotations

from lagebild.dossier.views import by_speaker
from lagebild.model import Statement


def _st(speaker: str, entity: str | None, text: str) -> Statement:
    return Statement(speaker, entity, "direct", text)


def test_one_heading_per_speaker_resolved_or_not() -> None:
    groups = by_speaker(
        [
            _st("Pilotengewerkschaft Aerosyn", "e1", "a"),
            _st("Pilotengewerkschaft Aerosyn", None, "b"),
            _st("Pilotengewerkschaft Aerosyn", "e9", "c"),
            _st("Kim", "kim-jong-un", "d"),
            _st("Kim", "kim-jae-chun", "e"),
            _st("Putin", None, "f"),
            _st("Wladimir Putin", "putin", "g"),
        ]
    )
    heads = {name: [s.text for s in g] for name, g in groups}
    assert heads["Pilotengewerkschaft Aerosyn"] == ["a", "b", "c"]
    assert heads["Wladimir Putin"] == ["g", "f"]
    assert [name for name, _ in groups].count("Kim") == 2  # two people, both written "Kim"
