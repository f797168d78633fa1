"""What surrounds a fact: its clause, whether it is a forecast, and who is cited for it.

Facts are read off tokens the text layer made; a clause is a run of tokens between commas,
semicolons, colons, dashes and brackets, which is enough to keep "… eingetroffen, das einen
Waffenhandel besiegeln könnte" from turning the arrival into a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lagebild.facts.lexicon import Lexicon
from lagebild.model import Doc, Quote, Sentence, Token

# Function words with an adjective's ending: never part of a noun phrase's adjectives.
_NOT_ADJECTIVES = {
    "zwischen", "gegen", "neben", "binnen", "oder", "aber", "unter", "über", "hinter", "wegen",
    "außer", "wieder", "immer", "mehr", "weiter", "oben", "unten", "innen", "außen", "eben",
    "ohne", "gerne", "heute", "gestern", "morgen", "alle", "beide", "wie", "sie", "die", "der",
    "under", "over", "after", "before", "the", "whether", "other",
}  # fmt: skip
_QUOTES = {"„", "“", "”", '"', "»", "«", "‚", "‘"}
_BOUNDARY = {",", ";", ":", "–", "—", "(", ")", "-"}
_DETERMINERS = {
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem", "einen",
    "sein", "seine", "seinem", "seinen", "seiner", "seines", "ihr", "ihre", "ihrem", "ihren",
    "ihrer", "dieser", "diese", "dieses", "diesem", "diesen", "the", "a", "an", "its", "his", "her",
}  # fmt: skip
_PARTICIPLE_PREFIXES = (
    "",
    "an",
    "auf",
    "aus",
    "ein",
    "mit",
    "vor",
    "zu",
    "ab",
    "bei",
    "nach",
    "zurück",
    "fest",
    "dar",
)


@dataclass(frozen=True, slots=True)
class Clause:
    first: int  # token index range [first, last) within the sentence
    last: int


def is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text[:1].isalpha()


def is_word(tok: Token) -> bool:
    return tok.text[:1].isalpha()


def is_determiner(tok: Token) -> bool:
    return tok.text.casefold() in _DETERMINERS


def is_lower_adj(tok: Token) -> bool:
    """A lowercase inflected word that can stand between a determiner and its noun."""
    t = tok.text
    return (
        t[:1].islower()
        and t[:1].isalpha()
        and t.endswith(("e", "en", "er", "es", "em"))
        and t not in _NOT_ADJECTIVES
    )


def clauses(sent: Sentence) -> list[Clause]:
    out = []
    start = 0
    for i, tok in enumerate(sent.tokens):
        if tok.text in _BOUNDARY:
            if i > start:
                out.append(Clause(start, i))
            start = i + 1
    if start < len(sent.tokens):
        out.append(Clause(start, len(sent.tokens)))
    return out


def clause_of(sent: Sentence, index: int) -> Clause:
    for c in clauses(sent):
        if c.first <= index < c.last:
            return c
    return Clause(index, index + 1)


def token_index(sent: Sentence, char: int) -> int:
    """The index of the token that contains (or first follows) character offset ``char``."""
    for i, tok in enumerate(sent.tokens):
        if tok.end > char:
            return i
    return max(0, len(sent.tokens) - 1)


def _participle(word: str) -> bool:
    return any(word.startswith(p + "ge") for p in _PARTICIPLE_PREFIXES)


def modality(sent: Sentence, clause: Clause, lex: Lexicon) -> str:
    """``"forecast"`` when the clause says what is planned or expected, else ``""``."""
    toks = sent.tokens[clause.first : clause.last]
    words = [t.text for t in toks if is_word(t)]
    if any("marker" in lex.modal(w) for w in words):
        return "forecast"
    if any("perfect" in lex.modal(w) for w in words):
        return ""
    if not any("aux" in lex.modal(w) for w in words):
        return ""
    if not lex.infinitive_endings:
        return "forecast"
    verbs = [w for w in words if w[:1].islower() and w.casefold() not in lex.modality]
    if not verbs:
        return ""
    last = verbs[-1]
    if last.endswith(lex.infinitive_endings) and not _participle(last) and last not in _DETERMINERS:
        return "forecast"
    return ""


# --------------------------------------------------------------------------- attribution


def _name_after(toks: Sequence[Token], i: int, lex: Lexicon) -> str:
    """The capitalised run starting at ``i`` after determiners and adjectives."""
    while i < len(toks) and (
        is_determiner(toks[i]) or is_lower_adj(toks[i]) or toks[i].text in _QUOTES
    ):
        i += 1
    run = []
    while i < len(toks) and is_cap(toks[i]) and not lex.speech_role(toks[i].text):
        run.append(toks[i].text)
        i += 1
    return " ".join(run)


def _name_before(toks: Sequence[Token], i: int) -> str:
    """The capitalised run ending right before ``i`` (adjectives of a phrase included)."""
    run: list[str] = []
    j = i - 1
    while j >= 0 and (
        is_cap(toks[j]) or (run and is_lower_adj(toks[j]) and not is_determiner(toks[j]))
    ):
        run.insert(0, toks[j].text)
        j -= 1
    while run and not run[0][:1].isupper():
        run.pop(0)
    return " ".join(run)


def _phrase_roles(words: Sequence[str], i: int, lex: Lexicon) -> tuple[frozenset[str], int]:
    """Roles of the longest speech phrase starting at word ``i`` and its length in words."""
    for n in (3, 2, 1):
        if i + n <= len(words):
            roles = lex.speech_role(" ".join(words[i : i + n]))
            if roles:
                return roles, n
    return frozenset(), 1


def explicit_source(sent: Sentence, index: int, lex: Lexicon) -> str | None:
    """The source a sentence names for the fact at token ``index`` ("laut X", "…, sagte X")."""
    name = _explicit_source(sent, index, lex)
    if name and "generic" in lex.speech_role(name.split()[-1]):
        return None  # "eigenen Angaben zufolge": a source, but not one to name
    return name


def _explicit_source(sent: Sentence, index: int, lex: Lexicon) -> str | None:
    toks = sent.tokens
    words = [t.text.casefold() for t in toks]
    if not any(w in lex.speech_words for w in words):
        return None  # no speech word, no phrase: the scans below would find nothing
    for i, w in enumerate(words):
        if "verb" not in lex.speech_role(w):
            continue
        if index < i and i > 0 and toks[i - 1].text in {",", "“", '"', "»"}:
            name = _name_after(toks, i + 1, lex)
            if name:
                return name
        elif index > i:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and (is_cap(nxt) or is_determiner(nxt)):
                name = _name_after(toks, i + 1, lex)
            else:
                name = _name_after(toks, 0, lex)
            if name and name.split()[0].casefold() not in {"er", "sie", "es", "man", "dies"}:
                return name
    for i in range(len(words)):
        roles, n = _phrase_roles(words, i, lex)
        if "before" in roles:
            j = i + n
            while j < len(toks) and words[j] in {"von", "des", "der", "auf"}:
                j += 1
            name = _name_after(toks, j, lex)
            if name:
                return name
        if "after" in roles:
            name = _name_before(toks, i)
            if name:
                return name
    return None


def quote_speaker(quotes: Sequence[Quote], start: int, end: int) -> str | None:
    """The speaker of a quote (from the quotes stage) whose message contains the span."""
    for q in quotes:
        if q.message.start <= start and end <= q.message.end:
            return q.speaker_name or q.speaker_text or None
    return None


def sentence_sources(doc: Doc, lex: Lexicon) -> list[str | None]:
    """Per sentence, the source carried over into it by reported speech (Konjunktiv I).

    "…, teilte der Generalstab mit. Die Raketen seien … geflogen." — the second sentence has
    no source of its own but is still the Generalstab's.
    """
    out: list[str | None] = []
    current: str | None = None
    text = doc.article.text
    prev_end = -1
    for sent in doc.sentences:
        if prev_end >= 0 and "\n" in text[prev_end : sent.start]:
            current = None
        own = explicit_source(sent, len(sent.tokens), lex) or explicit_source(sent, -1, lex)
        konj = any("konj" in lex.speech_role(t.text) for t in sent.tokens)
        if own:
            current = own
        elif not konj:
            current = None
        out.append(current)
        prev_end = sent.end
    return out


def attribution(
    doc: Doc, sent_index: int, start: int, end: int, carried: Sequence[str | None], lex: Lexicon
) -> str | None:
    """Who the fact at ``[start, end)`` is attributed to, or None when the outlet states it."""
    speaker = quote_speaker(doc.quotes, start, end)
    if speaker:
        return speaker
    sent = doc.sentences[sent_index]
    own = explicit_source(sent, token_index(sent, start), lex)
    if own:
        return own
    konj = any("konj" in lex.speech_role(t.text) for t in sent.tokens)
    if konj and sent_index > 0:
        return carried[sent_index - 1]
    return None


__all__ = [
    "Clause",
    "attribution",
    "clause_of",
    "clauses",
    "explicit_source",
    "is_cap",
    "is_determiner",
    "is_lower_adj",
    "modality",
    "quote_speaker",
    "sentence_sources",
    "token_index",
]
