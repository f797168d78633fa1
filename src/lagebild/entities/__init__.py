"""entities stage: named-entity mentions of one article, grouped into the entities they name.

The statistical tagger (``entities.ner``, chosen by ``config.entities.ner``) finds most
names; rules and gazetteers add what news text spells in fixed patterns (agencies,
newspapers in quotes, names behind roles and facility nouns) and win where they overlap
the tagger; a name found once is then found (and typed) the same way everywhere in the
article. Mentions are then linked within the article ("Kim" -> "Kim Jong-un"), each
carrying its article-level ``entity_id``. Story- and store-level canonical entities are
built from these by ``canonical_entities`` / ``store_entities``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

NAME = "entities"
# 13: role nouns, genitives, two surnames, model codes (spans.py); 14: women's demonyms;
# 15: no lower-case trigger nouns, no lone common noun after one, demonyms of known places;
# 16: titles after work nouns (OTH), no lone role noun as a person, common nouns in appositions;
# 17: an unknown noun before a first name is cut ("Obmann Reinhard Koch"), "am" + longer name
# 18: a name ends before a time or decimal value ("Toro Rosso 1:45,718"), a counted number;
# a title starts after its work noun; an organisation guessed from a role compound is unsure;
# a common noun before a name is cut ("Jagdleiter Koller"); no role inside a sure ORG span;
# no compound part ("Mittel-"); a descriptor compound before a name ("US-Magazin Wired")
# 19: a name introduced as a work is one throughout its article; more work nouns ("Miniserie",
# "Album"); a single letter ("Partei B") is no name
# 20: no sentence-opening function word or article in a name ("Nachdem CDU", "Das Amtsgericht")
# 21: a one-character sign ("€") is kept: only a letter stands for a name
# 22: a relative clause after a comma ("der erste Papst, der die Stadt …") is no apposition
# 23: a person's name goes on over a capitalised particle ("Alexander Van" + "der Bellen");
# a role or common noun before a comma is no apposition's name ("Sein Vertreter, …")
# 26: English and French sentence openers are no part of a name ("While CrowdStrike")
# 27: a person's name ends before "zu" and a word never seen in a name ("Charles Michel zu Wort")
# 28: languages writing nouns in lower case: lower-case words before a name and a common word
#     only ever capitalised as a sentence's first word are no name ("de Tarek Obaid", "Pourtant")
# 29: a country code or prefix before a role noun goes with it, and what follows a person's
#     role is a person ("US Vice President JD Vance" ORG -> "JD Vance" PER); "Trump's" -> "Trump"
# 30: a name's apostrophe genitive before a noun is that name ("Franz' Tod" -> "Franz'")
# 31: an organisation named noun + adjective + plural noun, tagged at its adjective, is named
#     whole ("Deutscher" ORG -> "Gewerkschaft Deutscher Lokomotivführer")
# 32: a name between two places in a list is a place ("Moskau, Tscheljabinsk, Kirow, Workuta")
VERSION = 32

# Exported lazily, so reading precomputed entity lists does not load the tagger and rules.
_LAZY = {
    "RulesOnly": "lagebild.entities.stage",
    "analyze": "lagebild.entities.stage",
    "caption_mentions": "lagebild.entities.stage",
    "default_tagger": "lagebild.entities.stage",
    "release": "lagebild.entities.stage",
    "canonical_entities": "lagebild.entities.canon",
    "store_entities": "lagebild.entities.canon",
    "name_key": "lagebild.entities.translit",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lagebild.entities' has no attribute {name!r}")


__all__ = [
    "NAME",
    "VERSION",
    "RulesOnly",
    "analyze",
    "canonical_entities",
    "name_key",
    "store_entities",
]
