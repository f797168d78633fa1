"""Names recognised by what stands around them: appositions and datelines.

"Ussurijsk, einer Stadt nördlich von …", "Yonhap, die südkoreanische Nachrichtenagentur",
"Kim Jae-chun, Professor an der …" say what the name before the comma is, and "der
Kommunikationsdirektor des Sicherheitsrats, John Kirby," the one after it; a paragraph that
opens "Uglegorsk – Inmitten …" or "Berlin (dpa) – …" opens with a dateline, a place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lagebild.entities.lexicon import common_noun, stopwords
from lagebild.entities.rules import Candidate, common_nouns_out, role_match
from lagebild.model import Doc, Token

_DETERMINERS = frozenset(
    [
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "a",
        "an",
        "the",
    ]
)
_CONNECTORS = frozenset({"am", "an", "der", "upon", "on"})
_DASHES = frozenset({"–", "—", "-"})


def context_candidates(doc: Doc) -> list[Candidate]:
    """Apposition and dateline candidates of the doc."""
    text = doc.article.text
    out: list[Candidate] = []
    for sent in doc.sentences:
        out.extend(_appositions(sent.tokens))
        out.extend(_role_then_name(sent.tokens))
        if sent.tokens and (sent.start == 0 or "\n" in text[max(0, sent.start - 2) : sent.start]):
            out.extend(_dateline(sent.tokens))
    if (doc.article.language or "de") == "de":
        return common_nouns_out(text, out)  # "mit der Ausstellung, Frau Haag?": no person
    return out


def _name_word(tok: Token) -> bool:
    return (
        tok.text[:1].isupper() and tok.text[:1].isalpha() and tok.text.casefold() not in stopwords()
    )


def _name_before(toks: Sequence[Token], end: int, limit: int = 4) -> int:
    """Index where the name ending just before ``end`` starts (``end`` when there is none)."""
    i = end
    while i > 0 and end - i < limit:
        tok = toks[i - 1]
        if _name_word(tok) or (
            tok.text in _CONNECTORS and i - 2 >= 0 and i < end and _name_word(toks[i - 2])
        ):
            i -= 1
        else:
            break
    while i < end and not _name_word(toks[i]):
        i += 1
    return i


def _appositions(toks: Sequence[Token]) -> Iterator[Candidate]:
    for i, tok in enumerate(toks):
        if tok.text != "," or i == 0:
            continue
        j = i + 1
        determined = j < len(toks) and toks[j].text.casefold() in _DETERMINERS
        j += determined
        clause = False  # "der erste Papst, der die Stadt … besucht": a relative clause
        while j < len(toks) and j - i <= 4 and toks[j].text[:1].islower():
            clause = clause or toks[j].text.casefold() in _DETERMINERS
            j += 1
        if j >= len(toks) or clause:
            continue
        role = role_match(toks[j].text)
        if (
            role is None
            or not toks[j].text[:1].isupper()
            or (role.type != "PER" and not determined)
        ):
            continue
        if role.type == "PER" and j != i + 1 + determined:
            continue  # "X, der russische Präsident" reads as a relative clause too often
        start = _name_before(toks, i)
        last = toks[i - 1].text
        if role_match(last) is not None or common_noun(last):
            continue  # "Sein Vertreter, Kanzleramtsminister Josef Ostermayer": a noun, no name
        if start < i and not (
            start > 0 and toks[start - 1].text[:1].isupper() and toks[start - 1].text[:1].isalpha()
        ):
            yield Candidate(toks[start].start, toks[i - 1].end, role.type, "trigger")


def _role_then_name(toks: Sequence[Token]) -> Iterator[Candidate]:
    """ "der Kommunikationsdirektor des Sicherheitsrats, John Kirby, sagte": a person."""
    for i, tok in enumerate(toks):
        if tok.text != "," or i == 0:
            continue
        k = i + 1
        while (
            k < len(toks)
            and k - i <= 3
            and _name_word(toks[k])
            and role_match(toks[k].text) is None
        ):
            k += 1
        if k - i < 3 or (k < len(toks) and toks[k].text not in {",", ".", ")"}):
            continue  # a first and a last name, closed by a comma or the sentence end
        j = i - 1
        while j >= 0 and i - j <= 5 and role_match(toks[j].text) is None:
            word = toks[j].text
            if not (word[:1].isupper() or word.casefold() in _DETERMINERS):
                break
            j -= 1
        if j >= 0 and i - j <= 5 and (role := role_match(toks[j].text)) and role.type == "PER":
            yield Candidate(toks[i + 1].start, toks[k - 1].end, "PER", "trigger")


def _dateline(toks: Sequence[Token]) -> Iterator[Candidate]:
    i = 0
    while i < len(toks) and i < 3 and _name_word(toks[i]) and "-" not in toks[i].text:
        i += 1
    if i == 0 or i >= len(toks):
        return
    j = i
    if toks[j].text == "(":
        while j < len(toks) and toks[j].text != ")" and j - i < 6:
            j += 1
        j += 1
    if j + 1 < len(toks) and toks[j].text in _DASHES and toks[j + 1].text[:1].isupper():
        yield Candidate(toks[0].start, toks[i - 1].end, "LOC", "trigger")
