"""Tagger clean-up for languages that write common nouns in lower case (English, French …).

The shipped tagger learned German, where every noun is capitalised, so capitals tell it
little. In English they tell a lot, and three rules use that: a span running into the
clause ends before its first lower-case word that is no name particle ("Valdoria agreed on
Wednesday" -> "Valdoria"); a name grows over capitalised neighbours inside the sentence
("Air" -> "Nordwind Air"); and a one-word name the article also writes in lower case
("Floods" beside "floods") is no name.

Two more cover what a German tagger makes of a capital that only opens a sentence. Lower-case
words in front of a name are no part of it ("de Tarek Obaid", "l’encontre de Tarek Obaid"),
unless a name particle stands before a lone surname ("de Gaulle"). And a lone word that opens
a sentence, is written with a capital nowhere else in the article and is a common word of
the language ("Pourtant", "Aucune", "Jeudi", "Two": wordfreq's Zipf frequency >= 4.5, where
the common function words and weekdays of a language lie and few names do) is no name; nor
is such a word tagged in lower case ("la"). Places keep theirs: a capital city opens many a
sentence for its government ("Paris a annoncé"). A name's possessive "'s" is no part of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from lagebild.entities.lexicon import stopwords
from lagebild.entities.rules import role_match
from lagebild.model import Doc, Mention, Token
from lagebild.stories.prior import frequencies

CAPITALISED_NOUNS = frozenset({"de", "lb"})  # languages whose common nouns are capitalised
COMMON_ZIPF = 4.5  # Zipf frequency of a language's common words (10^4.5 per 10^9 words)
PARTICLES = frozenset(
    "of the and for on de del della di da do dos das du des la le van von der den ter al bin y et".split()  # noqa: SIM905
)


def casing_fixes(doc: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """The tagger's mentions cut, grown or dropped by what capitals mean in ``doc``'s language."""
    lang = doc.article.language or "de"
    if lang in CAPITALISED_NOUNS:
        return list(mentions)
    tokens = [t for s in doc.sentences for t in s.tokens]
    starts = {s.tokens[0].start for s in doc.sentences if s.tokens}
    openings = {_first_word(s.tokens) for s in doc.sentences} - {None}
    index = {t.start: i for i, t in enumerate(tokens)}
    out: list[Mention] = []
    for m in mentions:
        if m.source != "ner":
            out.append(m)
            continue
        m = _grow(
            _lower_lead_cut(_clause_cut(m)), doc.article.text, tokens, index, starts, mentions
        )
        if m.text[-2:] in ("'s", "’s") and len(m.text) > 3:  # "Donald Trump's"
            m = replace(m, end=m.end - 2, text=m.text[:-2])
        if not _written_lower(doc, m) and not _sentence_opener(doc, m, openings, lang):
            out.append(m)
    return out


def _first_word(tokens: Sequence[Token]) -> int | None:
    """Where a sentence's first word starts (after an opening quotation mark or dash)."""
    return next((t.start for t in tokens if t.text[:1].isalnum()), None)


def _lower_lead_cut(m: Mention) -> Mention:
    words = m.text.split(" ")
    lead = 0
    while lead < len(words) - 1 and words[lead].islower():  # not "eBay Kleinanzeigen"
        lead += 1
    if lead == 0 or (lead == 1 and len(words) == 2 and words[0] in PARTICLES):
        return m  # "de Gaulle": a particle before a lone surname belongs to it
    skip = len(" ".join(words[:lead])) + 1
    return replace(m, start=m.start + skip, text=m.text[skip:])


def _sentence_opener(doc: Doc, m: Mention, openings: set[int], lang: str) -> bool:
    if " " in m.text or not _common(m.text, lang):
        return False
    if m.text.islower():
        return True  # "la", "place": a common word in lower case names nothing
    if m.label == "LOC" or m.start not in openings or not m.text[:1].isupper():
        return False
    elsewhere = re.finditer(rf"(?<![\w-]){re.escape(m.text)}(?![\w-])", doc.article.text)
    return all(x.start() in openings for x in elsewhere)


def _common(word: str, lang: str) -> bool:
    freq = frequencies(lang).get(word.casefold(), 0.0)
    return freq > 0.0 and math.log10(freq) + 9 >= COMMON_ZIPF


def _clause_cut(m: Mention) -> Mention:
    words = m.text.split(" ")
    for i, w in enumerate(words[1:], 1):
        if w[:1].islower() and w not in PARTICLES:
            kept = words[:i]
            while len(kept) > 1 and kept[-1] in PARTICLES:
                kept.pop()
            text = " ".join(kept)
            return replace(m, end=m.start + len(text), text=text)
    return m


def _grow(
    m: Mention,
    text: str,
    tokens: list[Token],
    index: dict[int, int],
    starts: set[int],
    mentions: Sequence[Mention],
) -> Mention:
    first = index.get(m.start)
    if first is None:
        return m
    last = first
    while last + 1 < len(tokens) and tokens[last + 1].end <= m.end:
        last += 1
    taken = [(x.start, x.end) for x in mentions if x is not m]

    def joins(tok: Token) -> bool:
        return (
            tok.text[:1].isupper()
            and tok.text[:1].isalpha()
            and tok.start not in starts
            and tok.text.casefold() not in stopwords()
            and role_match(tok.text) is None
            and not any(s < tok.end and tok.start < e for s, e in taken)
        )

    while first > 0 and tokens[first].start not in starts and joins(tokens[first - 1]):
        if tokens[first].start - tokens[first - 1].end > 1:
            break
        first -= 1
    while last + 1 < len(tokens) and joins(tokens[last + 1]):
        if tokens[last + 1].start - tokens[last].end > 1:
            break
        last += 1
    start, end = tokens[first].start, tokens[last].end
    if (start, end) == (m.start, m.end):
        return m
    return replace(m, start=start, end=end, text=text[start:end])


def _written_lower(doc: Doc, m: Mention) -> bool:
    if " " in m.text or not m.text[:1].isupper():
        return False
    word = re.escape(m.text.casefold())
    return re.search(rf"(?<![\w-]){word}(?![\w-])", doc.article.text) is not None


__all__ = ["CAPITALISED_NOUNS", "PARTICLES", "casing_fixes"]
