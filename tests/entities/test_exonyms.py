"""The shipped CLDR territory table: what Babel gives, read without loading Babel."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources

import pytest

from lagebild.entities import exonyms
from lagebild.entities.names import name_form


def _shipped() -> str:
    path = resources.files("lagebild") / "resources" / "entities" / exonyms.CLDR_FILE
    return path.read_text(encoding="utf-8")


def test_the_shipped_table_is_what_babel_gives() -> None:
    """Regenerates the table; run ``python -m lagebild.entities.exonyms`` when it differs
    because Babel's CLDR moved on (the table names the versions it was written from)."""
    import babel

    made_with = re.search(r"\(Babel ([^)]+)\)", _shipped().splitlines()[0])
    assert made_with, "the header names the Babel version"
    if made_with.group(1) != babel.__version__:
        pytest.skip(f"table written with Babel {made_with.group(1)}, {babel.__version__} here")
    assert exonyms.cldr_table() == _shipped()


def test_the_table_covers_every_language_and_names_countries_across_them() -> None:
    rows = [line.split("\t") for line in _shipped().splitlines() if not line.startswith("#")]
    assert all(len(r) == 3 for r in rows)
    assert {r[0] for r in rows} == set(exonyms.LANGUAGES)
    assert len(rows) > 200 * len(exonyms.LANGUAGES)

    def key(name: str, lang: str) -> str | None:
        return exonyms.territory_key(name_form(name, "LOC", lang).key)

    assert key("Deutschland", "de") == key("Germany", "en") == key("Allemagne", "fr")
    assert key("Deutschland", "de") == "territory:DE"
    assert key("Nordkorea", "de") == key("North Korea", "en") != key("Südkorea", "de")
    assert key("Passau", "de") is None


def test_keying_a_territory_does_not_load_babel() -> None:
    probe = (
        "import sys\nfrom lagebild.entities.exonyms import territory_key\n"
        "from lagebild.entities.names import name_form\n"
        "assert territory_key(name_form('Frankreich', 'LOC', 'de').key) == 'territory:FR'\n"
        "print(any(m == 'babel' or m.startswith('babel.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
