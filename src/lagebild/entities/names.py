"""How one surface form of a name is compared: its words, their keys, its genitive base.

A mention's text is reduced to what identifies the entity: the possessive "-s"/"'s",
generic facility nouns ("Kosmodrom", "Cosmodrome"), legal forms ("AG") and the case endings
of multi-word place and organisation names do not, and every word is keyed with
``translit`` so spellings from different languages compare equal.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lagebild.entities.lexicon import descriptors
from lagebild.entities.translit import name_key, name_parts, weak_key
from lagebild.model import EntityType


@dataclass(frozen=True, slots=True)
class NameForm:
    """The identifying part of one surface form."""

    text: str
    words: tuple[str, ...]  # word keys (one per space-separated word; hyphens kept inside)
    key: str  # the whole name's key: word keys joined (a facility noun or legal form as a tag)
    base: str = ""  # key without a German genitive "s" ("Kims" -> "kim"), "" when not possible
    core: str = ""  # key without facility nouns and legal forms ("Flughafen Wien" -> "vien")
    kind: str = ""  # "" a plain name, "legal" with a legal form, else the facility class
    plain: tuple[str, ...] = ()  # per word: case-folded, diacritics and punctuation gone
    weak: tuple[str, ...] = ()  # per word: only the weak foldings (z/s, y/i, doubled letters)

    @property
    def first(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def last(self) -> str:
        return self.words[-1] if self.words else ""

    @property
    def full(self) -> bool:
        """A name of more than one word ("Wladimir Putin", not "Putin")."""
        return len(self.words) > 1

    def without_genitive(self) -> NameForm:
        if not self.base:
            return self
        words = (*self.words[:-1], self.words[-1][:-1])
        plain = (*self.plain[:-1], self.plain[-1][:-1]) if self.plain else ()
        weak = (*self.weak[:-1], self.weak[-1][:-1]) if self.weak else ()
        core = self.base if not self.kind else self.core
        return NameForm(self.text, words, self.base, "", core, self.kind, plain, weak)


def alike(a: NameForm, b: NameForm) -> bool:
    """Whether two forms with one key may name one entity: the same spelling (case, hyphens
    and diacritics aside), or one that a transliteration convention explains (w/v, j/y,
    tsch/ch/sch/sh ...), not only a weak folding (z/s, i/y, doubled letters: "Kurs" is not
    "Kurz", "Gras" not "Graz"); in a name of several words weak differences are allowed. The
    same spelling is one name whatever the languages keyed it (a French and a German "Lynch").
    """
    if a.kind != b.kind:
        return False
    if a.plain and a.plain == b.plain:
        return True  # one spelling, keyed by two languages ("Lynch": fr linS, de linC)
    if a.key != b.key:
        return False
    if a.plain == b.plain or a.weak != b.weak:
        return True
    return len(a.words) > 1


def word_alike(a: NameForm, i: int, b: NameForm, j: int) -> bool:
    """Whether word ``i`` of ``a`` and word ``j`` of ``b`` may be one name (see ``alike``)."""
    if a.plain and b.plain and a.plain[i] == b.plain[j]:
        return True
    if a.words[i] != b.words[j]:
        return False
    if not a.plain or not b.plain:
        return True
    return a.plain[i] == b.plain[j] or a.weak[i] != b.weak[j]


@lru_cache(maxsize=65536)
def name_form(text: str, label: EntityType, lang: str = "de") -> NameForm:
    """The comparable form of ``text`` as a name of type ``label`` (memoised: the stages and
    the store's entities ask for the same names again and again; the result is immutable)."""
    raw = text.strip().strip("„“”\"»«‚‘’'()")
    for apostrophe in ("'s", "’s", "'", "’"):
        if raw.endswith(apostrophe) and len(raw) > len(apostrophe) + 1:
            raw = raw[: -len(apostrophe)]
            break
    words = raw.split()
    kind = ""
    if label != "PER":
        words, kind = _strip_descriptors(words)
    if label != "PER" and len(words) > 1:
        words = [_uninflected(w) for w in words]
    pairs = [(k, w) for w in words if (k := _word_key(w, lang))]
    keys = tuple(k for k, _ in pairs)
    core = "".join(keys)
    key = f"{kind}:{core}" if kind and core else core
    base = ""
    if keys and words[-1].endswith("s") and len(keys[-1]) > 2 and lang in ("de", "nl"):
        base = key[:-1]
    plain = tuple(_plain(w) for _, w in pairs)
    weak = tuple(_weak_key(w, lang) for _, w in pairs)
    return NameForm(text, keys, key, base, core, kind, plain, weak)


def spelling(word: str, lang: str = "de") -> tuple[str, str]:
    """(plain, weak key) of one word: what ``alike`` compares beyond the key."""
    return _plain(word), _weak_key(word, lang)


def same_spelling(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two words with one key are one name: same plain spelling, or a difference a
    transliteration convention (not a weak folding) explains."""
    return a[0] == b[0] or a[1] != b[1]


def _plain(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in text if c.isalnum())


def _weak_key(word: str, lang: str) -> str:
    if _is_acronym(word):
        return _plain(word)
    return "".join(weak_key(p, lang) for p in name_parts(word))


def _is_acronym(word: str) -> bool:
    """ "ISS", "ÖVP", "UN": all capitals, keyed as written (no folding: "IS" is not "ISS")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_ENDINGS = ("es", "en", "er", "em", "e", "s")


def _uninflected(word: str) -> str:
    """A word of a place or organisation name without its case ending, so "Deutschen
    Wetterdienstes" and "Deutscher Wetterdienst" compare equal. Only names of several words
    are folded so: one word ("Berliner" vs "Berlin") says too little to risk it."""
    if len(word) < 5 or not word[-1:].islower():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _word_key(word: str, lang: str) -> str:
    if not name_parts(word):
        return ""
    return _plain(word) if _is_acronym(word) else name_key(word, lang)


def _strip_descriptors(words: list[str]) -> tuple[list[str], str]:
    """The name without generic facility nouns and legal forms, and what was dropped: the
    facility's class ("Kosmodrom" and "Weltraumbahnhof" are one) or "legal"."""
    table = descriptors()
    out = list(words)
    kind = ""
    while len(out) > 1 and (d := table.get(out[0].casefold())) and d[0] == "prefix":
        kind = d[1]
        out = out[1:]
    while len(out) > 1 and (d := table.get(out[-1].casefold())) and d[0] in ("suffix", "legal"):
        kind = kind or d[1]
        out = out[:-1]
    return out, kind


def entity_id(label: str, key: str) -> str:
    """A stable id for an entity: a hash of its type and key."""
    return hashlib.sha1(f"{label}:{key}".encode()).hexdigest()[:12]


__all__ = [
    "NameForm",
    "alike",
    "entity_id",
    "name_form",
    "same_spelling",
    "spelling",
    "word_alike",
]
