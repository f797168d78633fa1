"""Tokens and sentences with character offsets, for German first and any Latin-script language.

Our own because it has to be fast: SoMaJo (the reference German tokenizer) manages about
250 sentences/s on this machine, and the temporal and quote stages need thousands. The rules
are the ones SoMaJo documents for news text (abbreviations, ordinals, „…“ quotes, numbers
with thousands separators, URLs); the abbreviation lists live in ``resources/text/<lang>/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

from lagebild.model import Sentence, Token, token_maker

_TOKEN_MAKER = token_maker()  # Token(...) at half the cost: one per token of every article

_TOKEN = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>"„“”»«]+[^\s<>"„“”»«.,;:!?)\]])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d) | \d+(?:[.,:/]\d+)+ | \d+)
  | (?P<abbrdots>(?:[^\W\d_]\.){2,})
  | (?P<word>[^\W\d_](?:[\w'’]*[\w])?(?:-[\w]+)*-?)
  | (?P<alnum>\w+(?:-\w+)*)
  | (?P<ellipsis>\.\.\.|…)
  | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)

_SENT_END = {".", "!", "?", "…", "..."}
_CLOSERS = {"“", "”", '"', "»", "«", "‘", "’", "'", ")", "]", "‹", "›"}
_MONTHS = {
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember", "Jan", "Feb", "Mär", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Okt", "Nov", "Dez",
}  # fmt: skip
# Capitalised words that start a German sentence far more often than they follow an ordinal.
_STARTERS = {
    "Der", "Die", "Das", "Es", "Er", "Sie", "Ich", "Wir", "Ihr", "Man", "In", "Im", "Am",
    "Auch", "Doch", "Aber", "Und", "Dann", "Damit", "Dort", "Seit", "Bei", "Nach", "Mit",
    "Für", "Ein", "Eine", "Dies", "Diese", "Dieser", "So", "Zudem", "Laut", "Wie", "Was",
    "The", "A", "An", "It", "He", "She", "They", "We", "On", "At", "This", "But",
}  # fmt: skip


@cache
def abbreviations(lang: str) -> frozenset[str]:
    """Abbreviations (without final period) that do not end a sentence in ``lang``."""
    root = resources.files("lagebild") / "resources" / "text" / lang / "abbreviations.txt"
    try:
        lines = root.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def tokenize(text: str, lang: str = "de", lemma: Callable[[str], str] | None = None) -> list[Token]:
    """Tokens of ``text``; a period stays on an abbreviation or ordinal it belongs to.
    With ``lemma``, each token is made with its lemma (one Token per token, not two)."""
    abbr = abbreviations(lang)
    make = _TOKEN_MAKER
    # (start, end, kind) of every regex match: plain tuples, as this runs for every token
    raws = [(m.start(), m.end(), m.lastgroup or "punct") for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    size = len(text)
    i = 0
    n = len(raws)
    while i < n:
        start, end, kind = raws[i]
        if i + 1 < n:
            nstart, nend, nkind = raws[i + 1]
            if nkind == "punct" and nstart == end and text[nstart] == ".":
                word = text[start:end]
                if (kind == "word" and (word in abbr or (len(word) == 1 and word.isupper()))) or (
                    kind == "num" and _is_ordinal(text, word, raws, i + 2)
                ):
                    end = nend
                    i += 1
        space_after = end < size and text[end].isspace()
        word = text[start:end]
        out.append(make(start, end, word, "" if lemma is None else lemma(word), "", space_after))
        i += 1
    return out


def _is_ordinal(text: str, number: str, raws: list[tuple[int, int, str]], after: int) -> bool:
    """Whether ``number.`` is an ordinal ("27. Juli", "70. Jahrestag") and not a sentence end."""
    if not number.isdigit() or len(number) > 3:
        return False
    if after >= len(raws):
        return False
    nstart, nend, nkind = raws[after]
    gap = text[raws[after - 1][1] : nstart]
    if "\n" in gap:
        return False
    word = text[nstart:nend]
    if word in _MONTHS or word[:1].islower() or nkind == "num":
        return True
    return word not in _STARTERS and nkind == "word"


def sentences(
    text: str, lang: str = "de", lemma: Callable[[str], str] | None = None
) -> list[Sentence]:
    """Sentences of ``text``, each with its tokens (with ``lemma``: their lemmas set); a line
    break always ends a sentence."""
    tokens = tokenize(text, lang, lemma)
    out: list[Sentence] = []
    for group in _split(text, tokens):
        s, e = group[0].start, group[-1].end
        out.append(Sentence(s, e, text[s:e], tuple(group)))
    return out


# A "sentence" longer than this is no sentence (a table, a list run together, a text without
# punctuation): it is split, so the cost of every per-sentence stage stays linear in the text.
MAX_SENTENCE_TOKENS = 300


def _split(text: str, tokens: list[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if current and (
            "\n" in text[current[-1].end : tok.start] or len(current) >= MAX_SENTENCE_TOKENS
        ):
            yield current
            current = []
        current.append(tok)
        i += 1
        if tok.text not in _SENT_END:
            continue
        # closing quotes and brackets stay with the sentence they close
        while i < n and tokens[i].text in _CLOSERS and tokens[i].start == tokens[i - 1].end:
            current.append(tokens[i])
            i += 1
        if (
            i >= n
            or _starts_sentence(tokens[i])
            or "\n" in text[tokens[i - 1].end : tokens[i].start]
        ):
            yield current
            current = []
    if current:
        yield current


def _starts_sentence(tok: Token) -> bool:
    c = tok.text[:1]
    return c.isupper() or c.isdigit() or c in '„"»«“‚('
