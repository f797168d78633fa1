"""Places the tagger took for people, and nationality words it took for names.

A tagger trained on sentences types an unfamiliar one-word name by its slot, and a country in
subject position ("Valdoria will über die Leitung Gas liefern") looks like a person. The
article usually says otherwise somewhere: a place preposition ("in Valdoria", "aus
Valdoria"), a head noun of states ("die Präsidentin von Valdoria", "the government of X"),
coordination with a known place ("Deutschland und Valdoria"), or an adjective derived from
the name ("die valdorische Präsidentin", "Valdorian care workers") — people's names have no
such adjectives in news German or English. One such cue at any of its mentions, and no person
cue (a role noun or title right before it, "Präsidentin Voss"), makes every mention of the
name a place.

Nationality words ("German", "Valdorian") are adjectives, not names: GermEval's ``-deriv``
convention, which the tagger's scores follow, leaves them out, so they are dropped here; in
German the inhabitant nouns and place adjectives ("Israelis", "Lissaboner") of a place the
article names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from lagebild.entities.lexicon import tagger_words, word_set
from lagebild.entities.names import name_form
from lagebild.entities.rules import role_match
from lagebild.model import Doc, Mention, Token

_COORD = frozenset({"und", "sowie", "oder", "and", "or", "en", "et"})
_PREPS = {
    "de": frozenset({"in", "aus"}),
    "en": frozenset({"in"}),
    "fr": frozenset({"en", "au", "aux"}),  # "en Suisse", "au Brésil", "aux États-Unis"
    "nl": frozenset({"in", "uit"}),
}
_OF = frozenset({"von", "of", "van"})
_DEMONYM_ENDINGS = ("ian", "an", "n", "ese")
_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ]\w{3,}")


@dataclass(slots=True)
class _Votes:
    place: int = 0
    person: int = 0


def place_fixes(doc: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions with misread places retyped and nationality adjectives dropped."""
    lang = doc.article.language or "de"
    tokens = [t for s in doc.sentences for t in s.tokens]
    starts = {t.start: i for i, t in enumerate(tokens)}
    words = set(_CAPITALISED.findall(doc.article.text))
    keys = [_key(m, lang) for m in mentions]
    places = _place_keys(doc, mentions, keys, tokens, starts, lang, words)
    out = [
        replace(m, label="LOC") if key in places else m
        for m, key in zip(mentions, keys, strict=True)
    ]
    if lang == "de":
        text = doc.article.text
        places = {x.text for x in out if x.label == "LOC" and " " not in x.text}
        return [m for m in out if not _german_derivative(m, places, text)]
    return [m for m in out if not _nationality(m, out, words, lang)]


def _key(m: Mention, lang: str) -> str | None:
    if " " in m.text or m.source == "coref":
        return None
    return name_form(m.text, m.label, lang).key or None


def _place_keys(
    doc: Doc,
    mentions: Sequence[Mention],
    keys: Sequence[str | None],
    tokens: Sequence[Token],
    starts: dict[int, int],
    lang: str,
    words: set[str],
) -> set[str]:
    person_words = {
        w
        for m in mentions
        if m.label == "PER" and (f := name_form(m.text, m.label, lang)).full
        for w in (f.first, f.last)
    }
    place_at = {m.start for m in mentions if m.label == "LOC" and " " not in m.text}
    votes: dict[str, _Votes] = defaultdict(_Votes)
    written: dict[str, str] = {}  # key -> the first way the article writes it
    for m, key in zip(mentions, keys, strict=True):
        if not key or key in person_words or m.start not in starts:
            continue
        written.setdefault(key, m.text)
        v = votes[key]
        i = starts[m.start]
        before = [t.text for t in tokens[max(0, i - 2) : i]]
        after = tokens[i + 1 : i + 3]
        prev = before[-1] if before else ""
        if prev[:1].isupper() and role_match(prev) is not None:
            v.person += 1  # "Präsidentin Voss"
        elif prev.casefold() in _PREPS.get(lang, ()) or (
            prev.casefold() in _OF and len(before) == 2 and _state_head(before[0], lang)
        ):
            v.place += 1
        if prev.casefold() in _COORD and i >= 2 and tokens[i - 2].start in place_at:
            v.place += 1
        if len(after) == 2 and after[0].text.casefold() in _COORD and after[1].start in place_at:
            v.place += 1
        if (
            prev == ","
            and i >= 2
            and tokens[i - 2].start in place_at
            and len(after) == 2
            and after[0].text in (",", *_COORD)
            and after[1].start in place_at
        ):
            v.place += 1  # "Moskau, Tscheljabinsk, Kirow, Workuta": a list of places
    text = doc.article.text
    adjectives = _isch_stems(text) if lang == "de" else frozenset()
    for key, v in votes.items():
        if _has_adjective(written[key], text, words, lang, adjectives):
            v.place += 1
    misread = {key for m, key in zip(mentions, keys, strict=True) if m.label == "PER"}
    return {k for k, v in votes.items() if k in misread and v.place and not v.person}


def _state_head(word: str, lang: str) -> bool:
    """ "Präsidentin (von)", "government (of)": nouns whose "of X" is a state or place."""
    return word.casefold() in word_set(lang, "state_heads.txt")


def _stems(word: str) -> set[str]:
    return {word[: len(word) - k] for k in range(4) if len(word) - k >= 4}


_ISCH_WORD = re.compile(r"(\w+)isch(?:e[mnrs]?)?")


def _isch_stems(text: str) -> frozenset[str]:
    """What comes before "isch", "ische", "ischen", … in each whole word of the text
    ("valdor" of "valdorischen"): the stems ``_has_adjective`` looks for, found in one pass.

    The matches of ``\\b(\\w+)isch(?:e[mnrs]?)?\\b`` over the text, each a whole word; only
    the words around an "isch" are tried (the pattern tried every letter of the text, ~10x
    the time)."""
    out = set()
    size = len(text)
    at = text.find("isch")
    while at >= 0:
        start = at
        while start > 0 and _word_char(text[start - 1]):
            start -= 1
        end = at + 4
        while end < size and _word_char(text[end]):
            end += 1
        m = _ISCH_WORD.fullmatch(text, start, end)
        if m is not None:
            out.add(m.group(1))
        at = text.find("isch", end)
    return frozenset(out)


def _word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern: a letter, digit or numeral, or the underscore."""
    return c.isalnum() or c == "_"


def _has_adjective(
    word: str, text: str, words: set[str], lang: str, adjectives: frozenset[str] | None = None
) -> bool:
    """Whether the text derives an adjective from the name: "valdorische", "Valdorian".

    ``adjectives`` (``_isch_stems`` of the text) answers for stems of word characters only;
    a stem with others ("nord-kor") is searched in the text itself."""
    if lang != "de":
        return any(_demonym_of(w, word) for w in words)
    stems = sorted(_stems(word), key=len, reverse=True)
    if not stems:
        return False
    low = [s.lower() for s in stems]
    if adjectives is not None and all(_WORD.fullmatch(s) for s in low):
        return any(s in adjectives for s in low)
    pattern = "|".join(re.escape(s) for s in stems)
    return re.search(rf"\b(?:{pattern.lower()})isch(?:e[mnrs]?)?\b", text) is not None


_WORD = re.compile(r"\w+")


def _demonym_of(adjective: str, place: str) -> bool:
    """English: "Valdorian" of "Valdoria", "German" of "Germany", "Chinese" of "China"."""
    return adjective != place and any(
        adjective == stem + suffix for stem in _stems(place) for suffix in _DEMONYM_ENDINGS
    )


# German inhabitant nouns and place adjectives from a place's name, as GermEval's gold pairs
# them (``LOCderiv`` beside ``LOC``; test-a: +er 14, +ern 2, ...): "Lissaboner", "Israelis",
# "Türken" (Türkei), "Tschechen" (Tschechien), "Münchner" (München); the women's forms too
# (LOCderiv in dev/test-a: "Israelin", "Bosnierin", "Australierin"; "Polin", "Schwedin",
# "Russin"). Only endings that add to the name or replace a place ending: "Bayer" is no
# derivation of "Bayern".
_DE_DERIVED = (
    ("", "er"), ("", "ern"), ("", "erin"), ("", "erinnen"), ("", "i"), ("", "is"), ("", "in"),
    ("ei", "en"), ("ien", "en"), ("ien", "er"), ("ien", "ier"), ("ien", "ierin"),
    ("en", "ner"), ("en", "nern"), ("en", "in"), ("land", "en"), ("land", "in"), ("ien", "in"),
)  # fmt: skip


def _derived_de(word: str, place: str) -> bool:
    """ "Israelis" of "Israel", "Türken" of "Türkei", "Münchner" of "München"."""
    if word == place or len(place) < 4:
        return False
    for cut, add in _DE_DERIVED:
        if place.endswith(cut) and word == place[: len(place) - len(cut)] + add:
            return True
    return False


def _german_derivative(m: Mention, places: set[str], text: str) -> bool:
    """A German inhabitant noun or place adjective tagged as a name of its own ("vier
    Israelis", "die Türken", "Lissaboner") when the article names the place it comes from
    (``places``: its one-word place mentions) and never uses the word as a place ("in X",
    "aus X", "nach X")."""
    word = m.text
    if m.label == "PER" or " " in word or not word.isalpha() or m.source == "coref":
        return False
    if not _derived_from_any(word, places) and not _known_derivative(word):
        return False
    return re.search(rf"\b(?:in|aus|nach|im)\s+{re.escape(word)}\b", text) is None


def _derived_from_any(word: str, places: set[str]) -> bool:
    """Whether ``_derived_de(word, p)`` holds for a place of ``places``: the places the word
    can derive from are spelled from its endings and looked up (a few lookups per mention,
    not a pass over every place of the article)."""
    for cut, add in _DE_DERIVED:
        if word.endswith(add):
            place = word[: len(word) - len(add)] + cut
            if place in places and _derived_de(word, place):
                return True
    return False


def _known_derivative(word: str) -> bool:
    """An inhabitant noun of a place the silver data often names, though this article does
    not ("die Mutter Serbin" of Serbien, "Polin" of Polen): the tagger's gazetteer has the
    place ("g+:LOC") and not the word itself as a frequent place."""
    places = tagger_words().places
    if word in places:
        return False
    for cut, add in _DE_DERIVED:
        if word.endswith(add) and len(word) > len(add):
            place = word[: len(word) - len(add)] + cut
            if len(place) >= 4 and place in places and _derived_de(word, place):
                return True
    return False


def _nationality(m: Mention, mentions: Sequence[Mention], words: set[str], lang: str) -> bool:
    """An English nationality word as a name of its own: "Valdorian care workers", "German
    Chancellor" (a longer name, "American Airlines", is a mention of several words)."""
    if lang != "en" or " " in m.text or m.source == "coref":
        return False
    word = m.text
    if word.casefold() in word_set(lang, "nationalities.txt"):
        return True
    places = {x.text for x in mentions if x.label == "LOC" and " " not in x.text}
    if word in places:  # "Berlin" is "Berli" + "n", but a place itself
        return False
    # derived from another capitalised word of the text: "Valdorian" beside "Valdoria"
    return any(_demonym_of(word, w) for w in words)


__all__ = ["place_fixes"]
