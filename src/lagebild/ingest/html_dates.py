"""The publication date of an HTML page.

Sources, most explicit first: the JSON-LD ``datePublished`` of the article object, publication
``<meta>`` tags, a ``<time>`` element marked as the publication time, the URL
(``/2023/09/13/``), the first date printed under the headline (the dateline: "By Jane Roe ·
January 3, 2024"), and finally htmldate, which searches the whole page. Modification
dates are not taken for publication dates, unless an article object states nothing else; they
are read on their own by ``choose_modified`` (JSON-LD ``dateModified``, modification ``<meta>``
tags, a ``<time>`` marked as an update, "Updated …" / "Aktualisiert …" under the headline), since
pages print either date under the headline and a reader needs to know both. The
day is kept as the page states it
(``local_day``) beside the instant in UTC, because converting "00:30+02:00" to UTC moves it
to the day before.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from dateutil import parser as dateutil_parser

from lagebild.ingest.html_meta import PageMeta


@dataclass(frozen=True, slots=True)
class Published:
    """A date the page states (of publication, or of its last update)."""

    when: datetime  # timezone-aware, UTC
    local_day: date  # the calendar day as the page gives it
    source: str  # "json-ld", "meta", "time", "url", "htmldate", "headline"


_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "created",
    "date_published",
    "originalpublicationdate",
)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:[/-]|$)"
)
_MIN_YEAR = 1995


def parse_date(value: Any) -> tuple[datetime, date] | None:
    """(UTC instant, stated day) of a date string; ``None`` for anything not a plausible date."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 60 or not re.search(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}", text):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            with warnings.catch_warnings():  # unknown zone names ("EST") are read as local time
                warnings.simplefilter("ignore")
                dt = dateutil_parser.parse(text, default=datetime(2000, 1, 1), fuzzy=False)
        except (ValueError, OverflowError, TypeError):
            return None
    day = dt.date()
    if not _MIN_YEAR <= day.year <= datetime.now(UTC).year + 1:
        return None
    when = dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    return when, day


def _ld_dates(meta: PageMeta) -> list[str]:
    out = []
    for obj in meta.articles():
        for key in ("datePublished", "dateCreated", "uploadDate"):
            v = obj.get(key)
            if isinstance(v, list):
                v = v[0] if v else None
            if isinstance(v, str):
                out.append(v)
                break
    return out


def _time_dates(meta: PageMeta) -> list[str]:
    marked, plain = [], []
    for t in meta.times:
        if re.search(r"modif|updat|aktualis|edit", t.hint):
            continue
        value = t.value or t.text
        (marked if re.search(r"publish|pub|date|created|posted", t.hint) else plain).append(value)
    return marked + plain[:1]


def _modified(meta: PageMeta) -> set[str]:
    values = [v for k in _MODIFIED_KEYS for v in meta.meta.get(k, ())]
    values += [o.get("dateModified") for o in meta.articles()]
    return {_stamp(v) for v in values if isinstance(v, str) and len(_stamp(v)) == 14}


def _stamp(value: str) -> str:
    """The wall-clock digits YYYYMMDDhhmmss of an ISO-like date (its zone spelling ignored)."""
    return re.sub(r"\D", "", value)[:14]


_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "dcterms.modified", "last-modified")


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january", "januar", "jän", "jänner"),
            ("feb", "february", "februar"),
            ("mar", "march", "märz", "mär", "maerz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ]
    )
    for m in names
}
_MONTH = r"\b(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TEXT_DATES = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(_MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(
        r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|\.)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b"),
    # "03/10/2023" may be 3 October or 10 March: read only when one number is above 12.
    re.compile(r"\b(?P<m>[01]?\d)/(?P<d>1[3-9]|2\d|3[01])/(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>1[3-9]|2\d|3[01])/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b"),
)


def text_dates(text: str) -> list[date]:
    """Calendar dates written out in running text, in the order they appear."""
    return [d for _, d in text_dates_at(text)]


def month_names() -> frozenset[str]:
    """The month names and abbreviations the date patterns read, case-folded (de, en, fr)."""
    return frozenset(_MONTHS)


def text_dates_at(text: str) -> list[tuple[int, date]]:
    """(offset, date) of the calendar dates written out in running text, in text order."""
    found: list[tuple[int, date]] = []
    taken: list[range] = []
    for pattern in _TEXT_DATES:
        for m in pattern.finditer(text):
            if any(m.start() in r for r in taken):
                continue
            month = _MONTHS.get(m["mon"].casefold()) if "mon" in m.groupdict() else int(m["m"])
            try:
                d = date(int(m["y"]), month or 0, int(m["d"]))
            except ValueError:
                continue
            if _MIN_YEAR <= d.year <= datetime.now(UTC).year + 1:
                found.append((m.start(), d))
                taken.append(range(m.start(), m.end()))
    return sorted(found, key=lambda x: x[0])


def url_date(url: str | None) -> tuple[datetime, date] | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return datetime(d.year, d.month, d.day, tzinfo=UTC), d


def choose_published(meta: PageMeta, html_text: str | None = None) -> Published | None:
    """The first source that gives a plausible date; htmldate only when the markup says nothing."""
    modified = _modified(meta)
    tiers: list[tuple[str, list[str], bool]] = [
        ("json-ld", _ld_dates(meta), False),
        ("meta", [v for k in _META_KEYS if "publish" in k for v in meta.meta.get(k, ())], False),
        ("meta", [v for k in _META_KEYS if "publish" not in k for v in meta.meta.get(k, ())], True),
        ("time", _time_dates(meta), True),
    ]
    for source, values, vague in tiers:
        for value in values:
            parsed = parse_date(value)
            # A generic "date" that is to the second the page's modification time is that.
            if parsed and not (vague and _stamp(value) in modified):
                return Published(parsed[0], parsed[1], source)
    parsed = url_date(meta.canonical) or url_date(meta.url)
    if parsed:
        return Published(parsed[0], parsed[1], "url")
    # An article object that states only when it was modified: the one date the page gives.
    for obj in meta.articles():
        stated = parse_date(obj.get("dateModified"))
        if stated:
            return Published(stated[0], stated[1], "json-ld-modified")
    # The date printed under the headline (the dateline), before htmldate searches the page.
    shown = text_dates(meta.after_h1)
    if shown:
        d = shown[0]
        return Published(datetime(d.year, d.month, d.day, tzinfo=UTC), d, "headline")
    if html_text:
        return _htmldate(html_text, meta.canonical or meta.url)
    return None


# "Updated: …", "Last updated …", "Aktualisiert am …", "Stand: …", "Zuletzt geändert …"
_UPDATE_LABEL = re.compile(
    r"\b(?:(?:last\s+)?updated|modified|aktualisiert|zuletzt\s+(?:geändert|aktualisiert)"
    r"|(?-i:Stand)(?=\s*:))\b(?:\s+(?:on|am|at|um))?\s*:?",
    re.I,
)


def _updated_in_text(text: str) -> list[str]:
    """The dates that follow an update label in the text under the headline."""
    out = []
    for m in _UPDATE_LABEL.finditer(text):
        shown = text_dates(text[m.end() : m.end() + 40])
        if shown:
            out.append(shown[0].isoformat())
    return out


def choose_modified(meta: PageMeta, published: Published | None) -> Published | None:
    """The page's last update, most explicit source first; only a date later than the
    publication counts (an equal one is no update, an earlier one a mistake of the page)."""
    tiers: list[tuple[str, list[str]]] = [
        ("json-ld", [o.get("dateModified") for o in meta.articles()]),
        ("meta", [v for k in _MODIFIED_KEYS for v in meta.meta.get(k, ())]),
        (
            "time",
            [t.value or t.text for t in meta.times if re.search(r"modif|updat|aktualis", t.hint)],
        ),
        ("headline", _updated_in_text(meta.after_h1)),
    ]
    for source, values in tiers:
        for value in values:
            parsed = parse_date(value)
            if parsed is None:
                continue
            if published is not None and not _later(parsed, published):
                continue
            return Published(parsed[0], parsed[1], source)
    return None


def _later(parsed: tuple[datetime, date], published: Published) -> bool:
    """Later than the publication; a bare day (midnight) must be a later day."""
    when, day = parsed
    if when.time() == datetime.min.time() or published.when.time() == datetime.min.time():
        return day > published.local_day
    return when > published.when


def _htmldate(html_text: str, url: str | None) -> Published | None:
    from htmldate import find_date

    try:
        found = find_date(
            html_text, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # htmldate raises assorted errors on odd markup; no date is the answer
        return None
    parsed = parse_date(found) if found else None
    return Published(parsed[0], parsed[1], "htmldate") if parsed else None
