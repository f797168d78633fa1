"""Speaker noun phrases around a cue, found from capitalisation and closed word classes.

German marks nouns with a capital, so a speaker is a run of determiners, inflected adjectives
and capitalised words ("der russische Präsident Wladimir Putin", "die „New York Times“"),
optionally with a genitive ("des Nationalen Sicherheitsrats") and an apposition after a comma
(", Professor an der Sogang-Universität in Seoul"). No tagger is needed, which keeps it fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lagebild.quotes.view import CLOSERS, OPENERS, View

if TYPE_CHECKING:
    from lagebild.quotes.lexicon import Lexicon

_ADJ_ENDINGS = ("e", "en", "er", "es", "em")


def _adjective(v: View, i: int) -> bool:
    w = v.low[i]
    lex = v.lex
    if v.cap(i) or (not w.isalpha() and "-" not in w):
        return False
    if w in lex.cls("prepositions") or w in lex.cls("adverbs") or w in lex.cls("conjunctions"):
        return False
    if w in lex.cls("subordinators") or w in lex.cls("pronouns") or w in lex.cls("determiners"):
        return False
    return w.endswith(_ADJ_ENDINGS) and not v.is_konjunktiv(i)


def np_after(v: View, i: int, end: int, *, apposition: bool = True) -> tuple[int, int] | None:
    """The noun phrase starting at token ``i`` (before ``end``), as [start, stop)."""
    lex = v.lex
    while i < end and v.low[i] in lex.cls("adverbs") and v.low[i] not in ("laut", "zufolge"):
        i += 1
    if i >= end:
        return None
    if v.low[i] in lex.pronouns:
        return (i, i + 1)
    if lex.svo:
        return _svo_phrase(v, i, end, apposition)
    return capitalised_phrase(v, i, end, apposition=apposition)


def capitalised_phrase(
    v: View, i: int, end: int, *, apposition: bool = True
) -> tuple[int, int] | None:
    """The phrase of determiners, inflected adjectives and capitalised words at ``i``: a German
    noun phrase, or an English name ("Pedro Sanchez"). The fallback's searches for a speaker
    anywhere in a clause take this in every language: an English phrase of lower-case nouns
    there is as often an object ("suggests its name") as a subject."""
    lex = v.lex
    j = i
    has_noun = False
    genitives = 0
    prev = ""  # kind of the previous token: det, adj, noun
    while j < end:
        w = v.text[j]
        low = v.low[j]
        if low in lex.cls("determiners") and not has_noun:
            j, prev = j + 1, "det"
        elif (
            low in lex.cls("determiners")
            and has_noun
            and prev == "noun"
            and genitives == 0
            and j + 1 < end
            and _nominal_ahead(v, j + 1, end)
        ):
            j, prev, genitives = j + 1, "det", genitives + 1  # "des Nationalen Sicherheitsrats"
        elif (
            v.cap(j)
            and w[:1].isalpha()
            and low not in lex.cls("pronouns")
            and low not in lex.cls("timewords")
        ):
            has_noun, prev = True, "noun"
            j += 1
        elif w in OPENERS and j + 1 < end and v.cap(j + 1):
            close = _close(v, j, end)
            if close is None:
                break
            has_noun, prev = True, "noun"
            j = close + 1
        elif (
            prev in ("", "det", "adj")
            and _adjective(v, j)
            and j + 1 < end
            and (v.cap(j + 1) or _adjective(v, j + 1))
        ):
            j, prev = j + 1, "adj"
        elif (
            low in ("von", "van", "de", "al", "bin", "und")
            and prev == "noun"
            and j + 1 < end
            and v.cap(j + 1)
        ):
            j, prev = j + 1, "det"
        elif w == "(" and has_noun:
            close = next((k for k in range(j + 1, min(end, j + 8)) if v.text[k] == ")"), None)
            if close is None:
                break
            j = close + 1
        else:
            break
    if not has_noun:
        return None
    stop = j
    if apposition and stop + 1 < end and v.text[stop] == ",":
        app = _apposition(v, stop + 1, end)
        if app is not None:
            stop = app
    return (i, stop)


def _nominal_ahead(v: View, j: int, end: int) -> bool:
    while j < end and _adjective(v, j):
        j += 1
    return j < end and v.cap(j) and v.low[j] not in v.lex.cls("pronouns")


def _close(v: View, j: int, end: int) -> int | None:
    closers = OPENERS[v.text[j]]
    for k in range(j + 1, min(end, j + 8)):
        if v.text[k] in closers:
            return k
    return None


def _apposition(v: View, i: int, end: int) -> int | None:
    """End of ", Professor an der Sogang-Universität," / ", John Kirby," after a noun phrase."""
    lex = v.lex
    j = i
    if j < end and v.low[j] in lex.cls("determiners"):
        j += 1
    while j < end and _adjective(v, j):
        j += 1
    if j >= end or not v.cap(j):
        return None
    role = lex.role_kind(v.text[j]) is not None
    name_run = 0
    k = j
    while k < end and v.cap(k):
        name_run += 1
        k += 1
    if not role and name_run > 3:
        return None
    # run on to the next comma or the sentence end, through genitives and prepositions
    limit = min(end, k + 10)
    while (
        k < limit and v.text[k] not in {",", ".", ":", ";", "!", "?"} and v.text[k] not in CLOSERS
    ):
        if not role and not (v.cap(k) or v.low[k] in lex.cls("determiners")):
            return None
        if v.is_konjunktiv(k) or v.lemma[k] in lex.cues:
            return None
        k += 1
    if k < end and v.text[k] not in {",", ".", "!", "?"}:
        return None
    return k


def np_before(v: View, start: int, cue: int) -> tuple[int, int] | None:
    """The subject in the field before a verb ("Der Minister sagte"), or None for adverbials."""
    lex = v.lex
    a, b = start, cue
    while a < b and v.low[a] in lex.cls("conjunctions"):
        a += 1
    while b > a and v.text[b - 1] in {",", ":", "-"}:
        b -= 1
    if a >= b:
        return None
    if lex.svo and b < cue:
        return None  # "The talks went well, said …": a message, the speaker follows the verb
    first = v.low[a]
    if (
        first in lex.cls("prepositions")
        or first in lex.cls("subordinators")
        or first in lex.cls("adverbs")
    ):
        return None
    if first in {"es", "das", "dies", "dann", "so", "man"} and b - a == 1:
        return None
    if v.text[a][:1].isdigit():
        return None
    if first in lex.pronouns:
        return (a, a + 1) if b - a <= 2 else None
    if lex.svo:
        return _svo_subject(v, a, b)
    # a subject ends where the verb begins; trailing adverbials ("im Januar") are dropped
    return np_after(v, a, b)


def _svo_subject(v: View, a: int, b: int) -> tuple[int, int] | None:
    """English and French write the whole subject before the verb, lower-case nouns and all
    ("German lighting maker Lumetra AG", "Chief executive Henrik Sauer", "Le ministre Bruno Le
    Maire"): the field up to the verb, when it is short and holds no clause."""
    if b - a > 8 or any(v.text[j] in {",", ";", ":", "(", ")", "-", "–"} for j in range(a, b)):
        return None
    if not any(v.text[j][:1].isalpha() for j in range(a, b)):
        return None
    lex = v.lex
    first = v.low[a]
    if first in lex.cls("wh") or (first.endswith("ing") and not v.cap(a)):
        return None  # "where models predict", "knowing what to say"
    for j in range(a, b):
        low = v.low[j]
        if low in lex.cls("clausal") or _contracted_verb(low, lex):
            return None  # "It enables systems to understand and predict", "we're here to tell"
        if b - a > 1 and low in lex.pronouns:
            return None  # "you can practice …", "I firmly believe": the writer, not a source
    return (a, b)


def _contracted_verb(low: str, lex: Lexicon) -> bool:
    """ "we're", "it's", "there's": a pronoun with its verb, not a genitive ("Strava's")."""
    stem, sep, tail = low.replace("’", "'").rpartition("'")
    if not sep or not stem:
        return False
    return tail in ("re", "ve", "m", "ll", "d") or (tail == "s" and stem in lex.cls("contracted"))


_SVO_STOPS = (
    "prepositions",
    "conjunctions",
    "subordinators",
    "relatives",
    "wh",
    "auxiliaries",
    "timewords",
)


def _svo_phrase(v: View, i: int, end: int, apposition: bool) -> tuple[int, int] | None:
    """The speaker after a verb of saying where nouns go lower case ("…, said the spokesman of
    the ministry", "said Pedro Sanchez on Tuesday", "a déclaré le président du club"): a
    determiner or a capitalised word and the words after it up to a clause word, a
    preposition (one genitive phrase joins: "the head of the agency", "le patron de Ryanair"),
    a time word or a punctuation mark."""
    lex = v.lex
    elided = v.low[i][:2] in ("l'", "l’") and v.low[i][2:3].isalpha()  # "l’expert"
    if v.low[i] in lex.cls("wh") or not (v.low[i] in lex.cls("determiners") or v.cap(i) or elided):
        return None  # "reports that more than 2 % …": a clause
    j = i + 1
    of_used = False
    while j < end and j - i < 8:
        low = v.low[j]
        if not v.text[j][:1].isalnum():
            break
        if (
            low in lex.cls("genitive")
            and not of_used
            and j + 1 < end
            and v.text[j + 1][:1].isalpha()
        ):
            of_used = True
            j += 1
            continue
        if any(low in lex.cls(c) for c in _SVO_STOPS) or low in lex.cues or low in lex.pronouns:
            break
        if v.lemma[j] in lex.cues and not v.cap(j):
            break
        j += 1
    while j > i + 1 and (
        v.low[j - 1] in lex.cls("genitive") or v.low[j - 1] in lex.cls("determiners")
    ):
        j -= 1  # "the head of" cut at the sentence end
    if j == i + 1 and v.low[i] in lex.cls("determiners"):
        return None
    if apposition and j + 1 < end and v.text[j] == ",":
        j = _apposition(v, j + 1, end) or j  # "says co-founder, Stephanie Özcan"
    return (i, j)
