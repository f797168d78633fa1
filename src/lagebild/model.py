"""The records every stage shares.

One article's cleaned text is the coordinate system: every annotation (sentence, token,
mention, time expression, quote, fact, summary line) is a ``start``/``end`` character span
into ``Article.text``. Stages never rewrite the text, they add spans; that is what makes
every line of a dossier citable. Records are frozen so a stage cannot change another
stage's output behind its back; use ``dataclasses.replace`` to derive a new one.

``to_dict``/``from_dict`` turn any record into plain JSON-able data and back; the store and
the JSON export use them, so a field added here is persisted without further code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

SCHEMA_VERSION = 1

SourceFormat = Literal["text", "html", "rss", "warc", "jsonl"]
EntityType = Literal["PER", "LOC", "ORG", "OTH"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
QuoteForm = Literal["direct", "indirect", "reported"]
Granularity = Literal["year", "month", "day", "time", "range", "decade", "century"]
# How much of ``Article.published`` is known: a page may give only "2019-04" or "2019".
DatePrecision = Literal["day", "month", "year"]


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's cleaned text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a dossier line comes from: article, outlet and the exact span."""

    article_id: str
    start: int
    end: int
    outlet: str | None = None


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input that is not body text, kept so nothing ingested is lost."""

    text: str
    reason: str  # e.g. "comment-prompt", "caption", "author-box", "aggregator-tag"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after reading and cleaning.

    ``text`` is the cleaned body (title not included); ``raw`` is the input exactly as read
    (decoded), so the cleaning can be audited or redone.
    """

    id: str
    title: str
    text: str
    source: str  # path or URL it was read from (plus "#n" for the n-th item of a container)
    format: SourceFormat
    url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()  # people credited
    agencies: tuple[str, ...] = ()
    desk: str | None = None  # a byline crediting the outlet or a desk ("Staff"), no person
    published: datetime | None = None  # always timezone-aware (UTC) when set
    published_source: str | None = None  # "unix-slug", "json-ld", "meta", "url", "feed", ...
    # "month"/"year": only that much is known and ``published`` holds the first day of it
    # (00:00 UTC); treat the date as the whole span (``published_span``), never as that day.
    published_precision: DatePrecision = "day"
    # The last update the source states, when later than ``published`` (UTC). Kept beside it:
    # pages print either under the headline, and a fact-checker needs both.
    modified: datetime | None = None
    language: str | None = None  # ISO 639-1
    captions: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()
    flags: tuple[str, ...] = ()  # e.g. "summary-only"
    raw: str = ""

    @property
    def published_span(self) -> tuple[date, date] | None:
        """First and last day the publication date can be, by its precision (None: undated)."""
        if self.published is None:
            return None
        return date_span(self.published.date(), self.published_precision)

    @property
    def published_label(self) -> str:
        """The publication date as precisely as it is known: "2019-04-15 14:00", "2019-04"."""
        if self.published is None:
            return ""
        return date_label(self.published, self.published_precision)

    @property
    def outlet_label(self) -> str:
        """The outlet, else the site of the URL, else the file name: what a reader recognises."""
        if self.outlet:
            return self.outlet
        if self.url:
            host = re.sub(r"^[a-z]+://", "", self.url).split("/", 1)[0]
            return host.removeprefix("www.")
        return self.source.replace("\\", "/").rsplit("/", 1)[-1].split("#", 1)[0]

    @property
    def byline(self) -> str:
        """Who the article credits, as a reader would say it: the authors, else the desk."""
        return ", ".join(self.authors) or (f"{self.desk} (desk)" if self.desk else "")

    @property
    def lead(self) -> str:
        """Title plus the first paragraph: what embeddings and headline matching look at."""
        first = self.text.split("\n\n", 1)[0]
        return f"{self.title}\n{first}".strip()


def normalise_for_id(text: str) -> str:
    """Text as the identity sees it: NFC, case-folded, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def article_id(title: str, text: str, url: str | None = None) -> str:
    """Stable id: a hash of the normalised title and body, plus the URL when known."""
    h = hashlib.sha256()
    h.update(normalise_for_id(title).encode())
    h.update(b"\x00")
    h.update(normalise_for_id(text).encode())
    if url:
        h.update(b"\x00")
        h.update(url.strip().encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- text layer


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str = ""
    pos: str = ""  # STTS tag for German, UD-ish for others
    space_after: bool = True


def token_maker() -> typing.Callable[[int, int, str, str, str, bool], Token]:
    """``Token(start, end, text, lemma, pos, space_after)`` at about half the cost, for the
    places that make one per token of every article (tokenizer, lemmas, stored analyses): a
    frozen dataclass's ``__init__`` goes through ``object.__setattr__`` for every field; this
    sets the slots directly (the same object). ``Token`` itself if its fields change."""
    names = tuple(f.name for f in dataclasses.fields(Token))
    if names != ("start", "end", "text", "lemma", "pos", "space_after"):
        return Token
    s0, s1, s2, s3, s4, s5 = (getattr(Token, n).__set__ for n in names)
    new = object.__new__

    def make(start: int, end: int, text: str, lemma: str, pos: str, space: bool) -> Token:
        tok = new(Token)
        s0(tok, start)
        s1(tok, end)
        s2(tok, text)
        s3(tok, lemma)
        s4(tok, pos)
        s5(tok, space)
        return tok

    return make


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...] = ()


# --------------------------------------------------------------------------- annotations


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    start: int
    end: int
    text: str
    label: EntityType
    entity_id: str | None = None
    source: str = "ner"  # "ner", "rule", "gazetteer", "coref"
    caption: int | None = None  # index into ``Article.captions``: the offsets count in that caption
    # the tagger's confidence (its least sure token's marginal probability); None: a rule's
    # mention or a tagger that gives none
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world person, organisation or place with all the ways it is written."""

    id: str
    name: str
    type: EntityType
    variants: tuple[tuple[str, int], ...] = ()  # (surface form, count), most frequent first
    mentions: tuple[Mention, ...] = ()

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article_id for m in self.mentions))


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A TIMEX3 expression with its value resolved against the article date."""

    article_id: str
    start: int
    end: int
    text: str
    type: TimexType
    value: str  # TIMEX3 value: "2023-09-13", "2023-07", "P4Y", "XXXX-WXX-1", "PRESENT_REF"
    mod: str | None = None  # TIMEX3 mod: "START", "MID", "END", "APPROX", "MORE_THAN", ...
    anchor: str | None = None  # the date the value was resolved against


@dataclass(frozen=True, slots=True)
class DateWindow:
    """A publication date inferred from text and story, with how sure we are."""

    earliest: date
    latest: date
    confidence: float
    evidence: tuple[str, ...] = ()
    likely: date | None = None  # the likeliest day inside the window, when the text tells

    def contains(self, d: date) -> bool:
        return self.earliest <= d <= self.latest


@dataclass(frozen=True, slots=True)
class Quote:
    """An attributed statement: who said what, and how (direct, indirect, reported)."""

    article_id: str
    form: QuoteForm
    message: Span
    message_text: str
    cue: Span | None = None
    cue_text: str = ""
    speaker: Span | None = None
    speaker_text: str = ""
    speaker_entity: str | None = None  # Entity.id once resolved
    speaker_name: str = ""  # canonical name once resolved


@dataclass(frozen=True, slots=True)
class Fact:
    """A quantity or claim stated in one article."""

    article_id: str
    start: int
    end: int
    text: str  # the surface expression, e.g. "rund 900 km"
    kind: str  # "distance", "percent", "count", "money", "age", "duration", "speed", "claim"
    value: float | None = None
    value_max: float | None = None  # for ranges ("zwei bis vier Millionen")
    unit: str = ""
    approx: str | None = None  # "about", "at-least", "more-than", "at-most"
    measures: str = ""  # what it measures: "distance Wostotschny -> Ussurijsk"
    subject: str = ""
    sentence: Span | None = None
    attributed_to: str | None = None  # speaker when the fact is reported speech
    outlet: str | None = None  # the article's outlet, so a fact can be cited on its own
    value_text: str = ""  # a claim's value: the place, the event ("Kosmodrom Wostotschny")
    modality: str = ""  # "forecast" (soll/werde/voraussichtlich …) or "" when stated as fact


# --------------------------------------------------------------------------- per-article analysis


@dataclass(frozen=True, slots=True)
class Doc:
    """An article with everything the per-article stages found in it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    caption_mentions: tuple[Mention, ...] = ()  # mentions in captions and credits ("KCNA")
    times: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    facts: tuple[Fact, ...] = ()
    date_window: DateWindow | None = None
    stages: tuple[str, ...] = ()  # "name@version" of every stage that ran
    # encoder states of the ``encode`` stage (``lagebild.text.states.DocStates``): read by
    # later stages of the same run, never stored (``to_dict`` skips transient fields)
    encoding: Any = dataclasses.field(
        default=None, compare=False, repr=False, metadata={"transient": True}
    )

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.sentences for t in s.tokens)


# --------------------------------------------------------------------------- stories and dossiers


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one real-world event or development."""

    id: str
    article_ids: tuple[str, ...]  # in publication order, originals and copies
    title: str = ""
    duplicates: tuple[tuple[str, str], ...] = ()  # (copy id, original id)
    first: datetime | None = None
    last: datetime | None = None
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    dormant: bool = False
    merged_ids: tuple[str, ...] = ()  # stories found to be this one and merged into it
    # "month" when the first (last) date is an article's "2019-04": the 1st stands for the month
    first_precision: DatePrecision = "day"
    last_precision: DatePrecision = "day"

    @property
    def first_label(self) -> str:
        """The story's first date as precisely as it is known ("2019-04-15", "2019-04")."""
        return day_label(self.first, self.first_precision)

    @property
    def last_label(self) -> str:
        """The story's last date as precisely as it is known ("2019-04-15", "2019-04")."""
        return day_label(self.last, self.last_precision)

    @property
    def original_ids(self) -> tuple[str, ...]:
        copies = {c for c, _ in self.duplicates}
        return tuple(a for a in self.article_ids if a not in copies)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str  # TIMEX3 value of the earliest point ("2023-09-13", "2023-07", "1950")
    date_end: str | None  # for ranges
    granularity: Granularity
    label: str  # short description: the reporting sentence, trimmed
    citations: tuple[Citation, ...] = ()
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement, possibly reported by several outlets."""

    speaker: str
    speaker_entity: str | None
    form: QuoteForm
    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class FactGroup:
    """Facts from one or more articles that say the same thing."""

    kind: str
    measures: str
    value: float | None
    unit: str
    text: str
    citations: tuple[Citation, ...] = ()
    outlets: tuple[str, ...] = ()
    first_seen: datetime | None = None
    value_max: float | None = None  # upper end of a range ("zwei bis vier Millionen")
    approx: str | None = None  # "about", "at-least", "more-than", "at-most" (first report's)
    first_seen_precision: DatePrecision = "day"  # "month": the first report is dated "2019-09"

    @property
    def single_source(self) -> bool:
        return len(set(self.outlets)) <= 1

    @property
    def first_seen_label(self) -> str:
        """The day of the first report ("2019-09-12"), or its month or year when only that is
        known ("2019-09"), never an invented first day of the month; "" when undated."""
        if self.first_seen is None:
            return ""
        if self.first_seen_precision == "day":
            return self.first_seen.date().isoformat()
        return date_label(self.first_seen, self.first_seen_precision)


@dataclass(frozen=True, slots=True)
class Divergence:
    """The same slot with different values in different outlets."""

    slot: str  # e.g. "meeting place", "region of Wostotschny"
    values: tuple[tuple[str, tuple[Citation, ...]], ...]
    kind: Literal["divergence", "update"] = "divergence"
    note: str = ""


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citation: Citation
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Dossier:
    """The product: one story told with every line traceable to its source."""

    story: Story
    headline: str
    articles: tuple[Article, ...] = ()
    date_windows: tuple[tuple[str, DateWindow], ...] = ()  # (article id, window) for undated ones
    summary: tuple[SummarySentence, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    statements: tuple[Statement, ...] = ()
    facts: tuple[FactGroup, ...] = ()
    divergences: tuple[Divergence, ...] = ()
    corroborated: tuple[FactGroup, ...] = ()
    entities: tuple[Entity, ...] = ()
    schema_version: int = SCHEMA_VERSION


# --------------------------------------------------------------------------- (de)serialisation


def date_span(day: date, precision: DatePrecision) -> tuple[date, date]:
    """The days a date of ``precision`` starting at ``day`` covers."""
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return date(day.year, day.month, 1), date.fromordinal(nxt.toordinal() - 1)
    return day, day


def date_label(when: datetime, precision: DatePrecision) -> str:
    """``when`` written as precisely as it is known (a time only when one was given)."""
    if precision == "year":
        return f"{when.year:04d}"
    if precision == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return when.strftime("%Y-%m-%d %H:%M" if when.time() != datetime.min.time() else "%Y-%m-%d")


# A sentence end in a title: after a lower-case word or an acronym (not "Dr.", "Nr.", "3."),
# before a word.
_SENTENCE_END = re.compile(
    r"(?:[a-zäöüßàâçéèêëîïôûù]{2}|[A-ZÄÖÜ]{2})[.!?](?=\s+[\"„«»“'(]?[^\W\d_])"
)


def headline(title: str, limit: int = 120, *, sentence: bool = False) -> str:
    """A title short enough for a list line or a heading. Some sources give a lead paragraph
    as the title (a scraped dump's first line, a teaser): keep its first sentence when that
    is a reasonable headline, else cut at a word boundary and mark the cut with "…". The
    full title stays on the article and in every export. ``sentence``: a lead paragraph made
    into a title keeps its first sentence even when the paragraph is short enough."""
    text = " ".join(title.split())
    if len(text) <= limit and not sentence:
        return text
    for m in _SENTENCE_END.finditer(text, 0, limit + 1):
        if m.end() >= 40:
            return text[: m.end()]
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut >= limit // 2 else limit - 1].rstrip(" ,;:–-") + "…"


def day_label(when: datetime | None, precision: DatePrecision) -> str:
    """A date without its hour, as precisely as it is known ("2019-04-15", "2019-04"); ""
    when there is none. A date known to the month is stored as its 1st: never shown so."""
    if when is None:
        return ""
    return when.date().isoformat() if precision == "day" else date_label(when, precision)


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_published(value: str) -> tuple[datetime, DatePrecision]:
    """An ISO 8601 date, date-time, year-month ("2019-04") or year ("2019") in UTC, with its
    precision; a naive date-time is taken as UTC. ValueError when ``value`` is none of these."""
    text = str(value).strip()
    m = _PARTIAL.match(text)
    if m:
        month = int(m.group(2) or 1)
        if not 1 <= month <= 12:
            raise ValueError(f"month out of range: {text!r}")
        return datetime(int(m.group(1)), month, 1, tzinfo=UTC), "month" if m.group(2) else "year"
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)), "day"


def to_dict(obj: Any) -> Any:
    """Plain JSON-able data from any record (datetimes as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_dict(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not f.metadata.get("transient")
        }
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def from_dict(cls: type[Any], data: Any) -> Any:
    """The record of type ``cls`` that ``to_dict`` turned into ``data``."""
    return _convert(cls, data)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], data) if len(args) == 1 else data
    if origin is Literal:
        return data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], x) for x in data)
        return tuple(_convert(a, x) for a, x in zip(args, data, strict=True))
    if origin is dict:
        _, vt = typing.get_args(tp)
        return {k: _convert(vt, v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {k: _convert(hints[k], v) for k, v in data.items() if k in hints}
        return tp(**kwargs)
    if tp is datetime:
        dt = datetime.fromisoformat(data)
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    if tp is date:
        return date.fromisoformat(data)
    return data


__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Citation",
    "DatePrecision",
    "DateWindow",
    "Divergence",
    "Doc",
    "Dossier",
    "Entity",
    "Fact",
    "FactGroup",
    "Mention",
    "Quote",
    "Removed",
    "Sentence",
    "Span",
    "Statement",
    "Story",
    "SummarySentence",
    "TimeExpr",
    "TimelineEvent",
    "Token",
    "article_id",
    "date_label",
    "date_span",
    "from_dict",
    "parse_published",
    "to_dict",
    "token_maker",
]
