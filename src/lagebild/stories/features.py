"""What the story clusterer looks at in one article: weighted lemmas, names, numbers, shingles.

Built once per article from the analysed doc (tokens and lemmas of the text layer; the title
is tokenised here because it is not part of ``Article.text``). The clusterer never sees the
doc again, so the same features can come from a cheap tokenisation in the benchmark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

import simplemma

from lagebild.model import Doc, Token

TITLE_WEIGHT = 3.0  # a title word counts like this many body occurrences
NAME_WEIGHT = 2.0  # proper names and entity mentions: what a desk editor keys a story on
NUMBER_WEIGHT = 1.5  # shared figures ("650 Kilometer", "2019") tie coverage of one event
LEAD_CHARS = 600  # body characters that go with the title into the embedding
SHINGLE = 5  # words per shingle for near-duplicate detection

_NUM = re.compile(r"^\d[\d.,:/]*$")
_LEMMA_LANGS = {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "ru", "sv", "da", "fi", "cs"}


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as the clusterer sees it."""

    id: str
    terms: dict[str, float]  # term -> weighted (title-boosted) count
    shingles: tuple[str, ...]  # word n-grams of the body, for near-duplicates
    published: datetime | None = None
    outlet: str | None = None
    language: str | None = None
    title: str = ""
    lead: str = ""  # title + start of the body, for embeddings


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Case-folded function words of ``lang`` (empty when we have no list)."""
    path = resources.files("lagebild") / "resources" / "stories" / lang / "stopwords.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(x.strip().casefold() for x in lines if x.strip() and not x.startswith("#"))


def _number_key(text: str) -> str | None:
    """``#650`` for "650", ``#1200`` for "1.200"; None for single digits (too common)."""
    digits = re.sub(r"[.,](?=\d{3}\b)", "", text)
    if len(digits.replace(",", "").replace(".", "")) < 2:
        return None
    return "#" + digits


def _is_name(tok: Token, first: bool, lang: str) -> bool:
    """A capitalised word mid-sentence that the lemma dictionary does not know: likely a name.

    German capitalises every noun, so capitalisation alone says little; an unknown word
    (Putin, Wostotschny, Izquierdo) is much more likely a proper name.
    """
    w = tok.text
    if first or not w[:1].isupper() or len(w) < 3:
        return False
    if w.isupper():  # acronyms: NATO, KCNA
        return True
    return lang not in _LEMMA_LANGS or not simplemma.is_known(w, lang=lang)


def add_tokens(
    counts: Counter[str], sentences: Iterable[Sequence[Token]], lang: str, weight: float
) -> None:
    """Add the content words of ``sentences`` to ``counts`` with their weights."""
    stop = stopwords(lang)
    for sent in sentences:
        for i, tok in enumerate(sent):
            text = tok.text
            c = text[:1]
            if c.isdigit():
                if _NUM.match(text) and (key := _number_key(text)):
                    counts[key] += weight * NUMBER_WEIGHT
                continue
            if not c.isalpha() or len(text) < 3:
                continue
            lemma = (tok.lemma or text).casefold()
            if lemma in stop or len(lemma) < 3:
                continue
            counts[lemma] += weight * (NAME_WEIGHT if _is_name(tok, i == 0, lang) else 1.0)


def shingles(words: Sequence[str], n: int = SHINGLE) -> tuple[str, ...]:
    """Word n-grams (case-folded words, punctuation dropped); the whole text when shorter."""
    words = [w.casefold() for w in words if w[:1].isalnum()]
    if len(words) <= n:
        return (" ".join(words),) if words else ()
    return tuple(dict.fromkeys(" ".join(words[i : i + n]) for i in range(len(words) - n + 1)))


def from_doc(doc: Doc) -> ArticleFeatures:
    """Features of an analysed doc (text layer ran; mentions used when present)."""
    from lagebild.text import tokenize
    from lagebild.text.lemma import lemmatize_tokens

    art = doc.article
    lang = art.language or "de"
    counts: Counter[str] = Counter()
    sents = [s.tokens for s in doc.sentences]
    add_tokens(counts, sents, lang, 1.0)
    if art.title:
        title_tokens = lemmatize_tokens(tuple(tokenize(art.title, lang)), lang)
        add_tokens(counts, [title_tokens], lang, TITLE_WEIGHT)
    for m in doc.mentions:
        for part in m.text.split():
            key = part.casefold().strip(".,;:!?\"'()")
            if len(key) >= 3 and key not in stopwords(lang):
                counts[key] += NAME_WEIGHT - 1.0
    words = [t.text for s in sents for t in s]
    return ArticleFeatures(
        id=art.id,
        terms=dict(counts),
        shingles=shingles(words),
        published=art.published,
        outlet=art.outlet,
        language=art.language,
        title=art.title,
        lead=_lead(art.title, art.text),
    )


def _lead(title: str, text: str) -> str:
    """Title and the start of the body: e5-small sees ~512 tokens, news leads are short."""
    return f"{title}\n{text[:LEAD_CHARS]}".strip()


_WORD = re.compile(r"\w+(?:-\w+)*")


def from_text(
    article_id: str,
    title: str,
    text: str,
    *,
    published: datetime | None = None,
    outlet: str | None = None,
    language: str = "de",
) -> ArticleFeatures:
    """Features from a cheap regex tokenisation without lemmas (benchmarks, quick checks)."""
    counts: Counter[str] = Counter()
    body = [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    head = [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(title)]
    add_tokens(counts, [body], language, 1.0)
    add_tokens(counts, [head], language, TITLE_WEIGHT)
    return ArticleFeatures(
        id=article_id,
        terms=dict(counts),
        shingles=shingles([t.text for t in body]),
        published=published,
        outlet=outlet,
        language=language,
        title=title,
        lead=_lead(title, text),
    )


__all__ = ["ArticleFeatures", "add_tokens", "from_doc", "from_text", "shingles", "stopwords"]
