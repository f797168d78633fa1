"""Country and region names across languages: Deutschland = Germany = Allemagne.

Transliteration keys merge spellings of one name (Wostotschny / Vostochny); exonyms are
different names altogether, so they come from a table: the territory names of the Unicode
CLDR in every language lagebild reads (``resources/entities/cldr_territories.tsv``, written
from Babel by ``python -m lagebild.entities.exonyms``: reading Babel's locale data cost
~0.05 s CPU in every process that keys a place, e.g. each cold dossier).
CLDR has the names news use ("Russland", "Nordkorea", "Vereinigte Staaten"), not the
official ones ("Russische Föderation"); ``resources/entities/territories.tsv`` adds the
abbreviations and other names news use beside them ("USA", "Großbritannien", "VAE"). A key
two territories share is left out.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lagebild.entities.lexicon import territory_aliases
from lagebild.entities.names import name_form

LANGUAGES = ("de", "en", "fr", "nl", "it", "es")
CLDR_FILE = "cldr_territories.tsv"


def cldr_table() -> str:
    """The text of ``CLDR_FILE`` as Babel gives it now (``lang<TAB>code<TAB>name`` lines
    after a header naming Babel's and CLDR's versions)."""
    import babel
    from babel import Locale
    from babel.core import get_cldr_version

    lines = [
        f"# Territory names of the Unicode CLDR {get_cldr_version()} (Babel {babel.__version__})"
        " in the languages lagebild reads: lang<TAB>code<TAB>name.",
        "# Written by `python -m lagebild.entities.exonyms`; do not edit by hand.",
    ]
    for lang in LANGUAGES:
        lines += [
            f"{lang}\t{code}\t{name}" for code, name in Locale.parse(lang).territories.items()
        ]
    return "\n".join(lines) + "\n"


def _cldr_names() -> list[tuple[str, str, str]]:
    text = (
        resources.files("lagebild").joinpath("resources", "entities", CLDR_FILE).read_text("utf-8")
    )
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return [(lang, code, name) for lang, code, name in rows]


@cache
def _territories() -> dict[str, str]:
    table: dict[str, str] = {}
    clashes: set[str] = set()
    names = _cldr_names()
    names += [(lang, code, name) for code, name in territory_aliases() for lang in LANGUAGES]
    for lang, code, name in names:
        key = name_form(name, "LOC", lang).key  # as groups of place mentions key it
        if not key:
            continue
        if table.setdefault(key, code) != code:
            clashes.add(key)
    return {k: v for k, v in table.items() if k not in clashes}


def territory_key(key: str) -> str | None:
    """One key for every language's name of a country or region (None for other names)."""
    code = _territories().get(key)
    return f"territory:{code}" if code else None


__all__ = ["territory_key"]

if __name__ == "__main__":
    out = resources.files("lagebild").joinpath("resources", "entities", CLDR_FILE)
    with resources.as_file(out) as path:
        path.write_text(cldr_table(), encoding="utf-8")
