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
from importlib import resources

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
    names += [(lang, code, name) for code, name in aliases() for lang in LANGUAGES]
    for lang, code, name in names:
        key = name_form(name, "LOC", lang).key  # as groups of place mentions key it
        if not key:
            continue
        if table.setdefault(key, code) != code:
            clashes.add(key)
    return {k: v for k, v in table.items() if k not in clashes}


@cache
def aliases() -> tuple[tuple[str, str], ...]:
    """``(territory code, name)`` of the names CLDR lacks (``territories.tsv``)."""
    path = resources.files("lagebild") / "resources" / "entities" / "territories.tsv"
    text = path.read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((code.strip(), name.strip()) for code, name in rows)


def territory_key(key: str) -> str | None:
    """One key for every language's name of a country or region (None for other names)."""
    code = _territories().get(key)
    return f"territory:{code}" if code else None


__all__ = ["aliases", "territory_key"]
