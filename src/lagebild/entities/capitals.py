"""Places that English capitals give away where the German-trained tagger saw nothing.

The shipped tagger learned German, where every noun is capitalised, so in English text it
misses names it has never seen ("the river Wiesach", "the town of Altmühlbrück", "a visit to
Germany"). In English a capitalised word inside a sentence is a name, and the words around it
often say it is a place: a place preposition ("to Germany"), a place noun ("the river
Wiesach", "the town of Altmühlbrück"), a state's head noun after its possessive
("Valdoria's president"), or coordination with a place already found ("Germany and
Valdoria"). Only such places are added, typed LOC; the article-level consistency that runs
next finds their other occurrences. Other capitalised words stay the tagger's business:
without a cue their type would be a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from lagebild.entities.casing import CAPITALISED_NOUNS, PARTICLES
from lagebild.entities.lexicon import stopwords, word_set
from lagebild.entities.rules import role_match
from lagebild.model import Doc, Mention, Token

_PLACE_BEFORE = frozenset({"in", "at", "from", "to", "near", "into", "across", "outside"})
_PLACE_NOUNS = frozenset(
    {"town", "city", "village", "river", "region", "province", "island", "port", "district"}
)
_COORD = frozenset({"and", "or"})
_JOINERS = PARTICLES - {"and", "or", "on", "for", "y", "et"}  # inside a name: "Bank of England"


def capital_places(doc: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """LOC mentions for capitalised runs with a place cue that no mention covers yet."""
    lang = doc.article.language or "de"
    if lang in CAPITALISED_NOUNS:
        return []
    text = doc.article.text
    taken = [(m.start, m.end) for m in mentions]
    inner = {t.text for s in doc.sentences for t in s.tokens[1:] if t.text[:1].isupper()}
    heads = word_set(lang, "state_heads.txt")
    runs = [run for s in doc.sentences for run in _runs(s.tokens, taken, inner)]
    found: list[Mention] = []
    places = {m.text for m in mentions if m.label == "LOC"}
    for _ in range(2):  # a second pass lets "X and Y" lean on a place found in the first
        for toks, before, after in runs:
            start, end = toks[0].start, toks[-1].end
            name = text[start:end].removesuffix("'s").removesuffix("’s")
            if any(m.start == start for m in found) or not name:
                continue
            if _cue(before, after, toks, heads, places):
                found.append(Mention(doc.id, start, start + len(name), name, "LOC", None, "rule"))
                places.add(name)
    return found


def _runs(
    tokens: Sequence[Token], taken: list[tuple[int, int]], inner: set[str]
) -> list[tuple[list[Token], list[Token], list[Token]]]:
    """Capitalised runs of a sentence (with the two tokens before and after each)."""
    out = []
    i = 0
    while i < len(tokens):
        if not _capital(tokens[i], taken) or (i == 0 and _plain(tokens[i].text) not in inner):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            _capital(tokens[j], taken)
            or (
                tokens[j].text in _JOINERS
                and j + 1 < len(tokens)
                and _capital(tokens[j + 1], taken)
            )
        ):
            j += 1
        out.append((list(tokens[i:j]), list(tokens[max(0, i - 2) : i]), list(tokens[j : j + 2])))
        i = j
    return out


def _plain(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def _capital(tok: Token, taken: list[tuple[int, int]]) -> bool:
    word = _plain(tok.text)
    return (
        len(word) > 1
        and word[:1].isupper()
        and word.replace("-", "").isalpha()
        and word.casefold() not in stopwords()
        and role_match(word) is None
        and not any(s < tok.end and tok.start < e for s, e in taken)
    )


def _cue(
    before: list[Token],
    after: list[Token],
    run: list[Token],
    heads: frozenset[str],
    places: set[str],
) -> bool:
    prev = before[-1].text.casefold() if before else ""
    prev2 = before[-2].text.casefold() if len(before) > 1 else ""
    if prev in _PLACE_BEFORE or prev in _PLACE_NOUNS:
        return True  # "to Germany", "the river Wiesach"
    if prev == "of" and prev2 in _PLACE_NOUNS:
        return True  # "the town of Altmühlbrück"
    last = run[-1].text
    if last.endswith(("'s", "’s")) and after and after[0].text.casefold() in heads:
        return True  # "Valdoria's president"
    if prev in _COORD and len(before) > 1 and _plain(before[-2].text) in places:
        return True  # "Germany and Valdoria"
    nxt = after[0].text.casefold() if after else ""
    return nxt in _COORD and len(after) > 1 and _plain(after[1].text) in places


__all__ = ["capital_places"]
