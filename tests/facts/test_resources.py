"""Every EXAMPLE line in resources/facts/<lang>/ is a test."""

from __future__ import annotations

import re

import pytest

from lagebild.facts.compare import place_key
from lagebild.facts.lexicon import GRAMMAR_ROLES, examples, languages, lexicon

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


def test_grammar_roles_are_the_ones_the_reader_asks_for():
    """A misspelt role in words.tsv would be ignored silently; a role the extractor asks for
    that no list can give would never fire."""
    from pathlib import Path

    import lagebild.facts.extract as extract

    folder = Path(extract.__file__).parent
    asked = {
        role
        for name in ("extract.py", "claims.py")
        for role in re.findall(r'lex\.words\("([a-z-]+)"\)', (folder / name).read_text())
    }
    assert asked == GRAMMAR_ROLES
    for lang in languages():
        assert set(lexicon(lang).grammar) <= GRAMMAR_ROLES, lang


@pytest.mark.parametrize(
    ("lang", "text", "value_max"),
    [
        ("de", "Zwischen 10 und 12 Prozent stimmten zu.", 12.0),
        ("de", "Die Preise stiegen um 10 und 12 Prozent.", None),
        ("en", "Between 10 and 12 percent agreed.", 12.0),
        ("fr", "Entre 10 et 12 pour cent ont accepté.", 12.0),
        ("de", "Drei Kisten à 5 Euro wurden verkauft.", None),
    ],
)
def test_ranges_by_the_language_s_own_words(lang, text, value_max, doc_of):
    """ "und"/"and"/"et" join a range only after the language's "zwischen"; "à" is a range
    only in French (German "Kisten à 5 Euro" is a price)."""
    doc = doc_of(text, language=lang)
    assert doc.facts, text
    assert doc.facts[0].value_max == value_max, [(f.text, f.value, f.value_max) for f in doc.facts]
