"""How one surface form of a name is compared: its words, their keys, its genitive base.

A mention's text is reduced to what identifies the entity: the possessive "-s"/"'s",
generic facility nouns ("Kosmodrom", "Cosmodrome"), legal forms ("AG") and the case endings
of multi-word place and organisation names do not, and every word is keyed with
``translit`` so spellings from different languages compare equal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lagebild.entities.lexicon import descriptors
from lagebild.entities.translit import name_key, name_parts
from lagebild.model import EntityType


@dataclass(frozen=True, slots=True)
class NameForm:
    """The identifying part of one surface form."""

    text: str
    words: tuple[str, ...]  # word keys (one per space-separated word; hyphens kept inside)
    key: str  # the whole name's key: word keys joined
    base: str = ""  # key without a German genitive "s" ("Kims" -> "kim"), "" when not possible

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
        return NameForm(self.text, words, self.base)


def name_form(text: str, label: EntityType, lang: str = "de") -> NameForm:
    """The comparable form of ``text`` as a name of type ``label``."""
    raw = text.strip().strip("„“”\"»«‚‘’'()")
    for apostrophe in ("'s", "’s", "'", "’"):
        if raw.endswith(apostrophe) and len(raw) > len(apostrophe) + 1:
            raw = raw[: -len(apostrophe)]
            break
    words = raw.split()
    if label != "PER":
        words = _strip_descriptors(words)
    if label != "PER" and len(words) > 1:
        words = [_uninflected(w) for w in words]
    keys = tuple(k for k in ("".join(_word_key(w, lang)) for w in words) if k)
    key = "".join(keys)
    base = ""
    if keys and words[-1].endswith("s") and len(keys[-1]) > 2 and lang in ("de", "nl"):
        base = key[:-1]
    return NameForm(text, keys, key, base)


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
    return name_key(word, lang) if name_parts(word) else ""


def _strip_descriptors(words: list[str]) -> list[str]:
    table = descriptors()
    out = list(words)
    while len(out) > 1 and table.get(out[0].casefold()) == "prefix":
        out = out[1:]
    while len(out) > 1 and table.get(out[-1].casefold()) in ("suffix", "legal"):
        out = out[:-1]
    return out


def entity_id(label: str, key: str) -> str:
    """A stable id for an entity: a hash of its type and key."""
    return hashlib.sha1(f"{label}:{key}".encode()).hexdigest()[:12]


__all__ = ["NameForm", "entity_id", "name_form"]
