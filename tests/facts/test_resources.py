"""Every EXAMPLE line in resources/facts/<lang>/ is a test."""

from __future__ import annotations

import pytest

from lagebild.facts.compare import place_key
from lagebild.facts.lexicon import examples, languages

CASES = [(lang, ex) for lang in languages() for ex in examples(lang)]


def _matches(fact, expect: dict[str, str]) -> bool:
    for key, want in expect.items():
        got = getattr(fact, key)
        if isinstance(got, float) or key in {"value", "value_max"}:
            if got is None or abs(float(got) - float(want)) > 1e-6:
                return False
        elif (got or "") != want:
            return False
    return True


def test_every_language_has_examples():
    assert CASES
    assert "de" in languages()


@pytest.mark.parametrize(
    ("lang", "ex"), CASES, ids=[f"{lg}/{e.file}:{e.text[:40]}" for lg, e in CASES]
)
def test_example(lang, ex, doc_of):
    if not ex.expect and not ex.none:  # "A = B = C": names that must fold to one key
        names = [n.strip() for n in ex.text.split("=")]
        assert len({place_key(n, lang) for n in names}) == 1, names
        return
    doc = doc_of(ex.text, language=lang)
    if ex.none:
        assert doc.facts == (), [f.text for f in doc.facts]
        return
    found = [f for f in doc.facts if _matches(f, ex.expect)]
    assert found, (
        f"{ex.expect} not in {[(f.kind, f.value, f.unit, f.approx, f.measures, f.value_text, f.modality, f.attributed_to) for f in doc.facts]}"
    )
