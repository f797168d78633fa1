"""Country and region names across languages: Deutschland = Germany = Allemagne.

Transliteration keys merge spellings of one name (Wostotschny / Vostochny); exonyms are
different names altogether, so they come from a table: the territory names of the Unicode
CLDR in every language lagebild reads, through Babel (already installed with trafilatura).
CLDR has the names news use ("Russland", "Nordkorea", "Vereinigte Staaten"), not the
official ones ("Russische Föderation"); ``resources/entities/territories.tsv`` adds the
abbreviations and other names news use beside them ("USA", "Großbritannien", "VAE"). A key
two territories share is left out.
"""

from __future__ import annotations

from functools import cache

from lagebild.entities.lexicon import territory_aliases
from lagebild.entities.names import name_form

LANGUAGES = ("de", "en", "fr", "nl", "it", "es")


@cache
def _territories() -> dict[str, str]:
    from babel import Locale

    table: dict[str, str] = {}
    clashes: set[str] = set()
    names = [
        (lang, code, name)
        for lang in LANGUAGES
        for code, name in Locale.parse(lang).territories.items()
    ]
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
