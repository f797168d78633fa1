"""Authors and agencies of an HTML page, without inventing anyone.

Sources, most trusted first: the JSON-LD ``author`` of the article object, ``<meta name=author>``
and its relatives, and elements the markup marks as a byline (itemprop/rel ``author``, a label
such as "Contributors:" or "Article by" with the name after it, then class names such as
``byline``). For the learned chooser only, a credit in the first words under the headline
("Dec 26, 2025 • Jane Roe", "Written by: Jane Roe") when no other source names that person. Each candidate is cut into names; words that are not people
(the outlet, "Redaktion", "Staff", "Written by", URLs, e-mail addresses, dates) are dropped and
agency names ("dpa", "Reuters") go to ``agencies``. A page with no usable candidate has no
author: nothing is guessed from the body text except agency credits.

The outlet itself or one of its desks ("News Desk", "Podium Staff") is never taken while the
page names a person or an agency. When it names nobody else and shows the outlet as the byline
(a visible "By …" line, or a byline element confirmed by structured data), that credit is what
the page says and is kept, as ``Credits.source == "desk"``: the reader stores it as the
article's ``desk``, apart from the people in ``authors``. Visible bylines
lose job titles printed after the name and everyone after "Reviewed by"; author links beside a
"By …" line count only if the line names them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from lagebild.ingest import rules
from lagebild.ingest.author_model import Candidate
from lagebild.ingest.html_meta import Byline, PageMeta, clean_space
from lagebild.ingest.html_title import site_names, squash


@dataclass(frozen=True, slots=True)
class Credits:
    authors: tuple[str, ...]
    agencies: tuple[str, ...]
    source: str | None  # "json-ld", "meta", "byline", "desk" or None


@cache
def _words(name: str) -> tuple[re.Pattern[str], ...]:
    """Patterns of one ``resources/ingest/<lang>/<name>`` list, every language folder merged."""
    return tuple(re.compile(line, re.IGNORECASE) for line in rules.word_list(name))


def _junk(text: str) -> bool:
    return bool(_NOT_NAMES.match(text)) or any(p.fullmatch(text) for p in _words("author_junk.txt"))


def _desk(text: str, sites: set[str]) -> bool:
    """A credit to the outlet itself or to one of its desks ("News Desk", "Podium Staff")."""
    if not _plausible(text) or _NOT_NAMES.match(text) or len(text.split()) > 5:
        return False
    return squash(text) in sites or any(p.fullmatch(text) for p in _words("desk_credits.txt"))


_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|text|story|words|article|guest post|author(?:ed)?|recipe|"
    r"by|von|autor(?:in)?|verfasst|geschrieben|texte?|par|door|di|por|de)\b(?:\s+(?:by|von))?\s*[:\-–]?\s*)+",
    re.IGNORECASE,
)
_CUT = re.compile(
    r"\s*(?:[|•·]|\s[-–—]\s|\b(?:last\s+)?updated\b|\bpublished\b|\baktualisiert\b|\bveröffentlicht\b|\bon\s+\w+\s+\d|"
    r"\bam\s+\d|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d\d-\d\d|\b\d+\s+min(?:ute)?s?\b|\bfollow\b|\bread\b|"
    r"\bview\s+(?:in|all|full|profile|more)\b).*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:;|,|\s&\s|\sand\s|\sund\s|\set\s|\sy\s|\sen\s|\se\s)\s*", re.IGNORECASE)
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}(?:-[A-Z]{1,4})?\d*|(?:[A-Z][a-z]?\.){2,4}|Ph\.?\s?D\.?|M\.?D\.?|Jr\.?|Sr\.?|II|III|"
    r"[A-Z]{2,6}®|[A-Z]{1,5}\s\d{2,4}|Dr\.?|Prof\.?)$"
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ\u0100-\u024f][\w'’.\-]*|[a-z]{1,3}|d[aeiu]|van|von|der|de|la|le|bin|al|[A-Z]\.)$"
)


def _is_name(text: str) -> bool:
    """Looks like a person's name: 1–5 tokens, capitalised (particles allowed), no digits/URLs."""
    if not text or len(text) > 60 or re.search(r"\d|@|https?:|www\.|\.(?:com|de|org|net)\b", text):
        return False
    tokens = text.split()
    if not 1 <= len(tokens) <= 5:
        return False
    if text.isupper() or text.islower():
        return len(tokens) >= 2 and all(t.isalpha() or "-" in t or "'" in t for t in tokens)
    caps = sum(1 for t in tokens if t[:1].isupper())
    # particles do not count against the capitals: "Dr Marna van der Merwe"
    words = sum(1 for t in tokens if t not in _PARTICLES)
    return caps >= max(1, words - 1) and all(_NAME_TOKEN.match(t) for t in tokens)


_MONTH_DATE = re.compile(
    r"\s*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember)[a-z]*\.?\s+\d{1,2}\b.*$|\s*\b\d{1,2}\.?\s+(?:jan|feb|mär|apr|mai|jun|jul|aug|sep|okt|nov|dez|"
    r"mar|may|oct|dec)[a-zä]*\.?\s+\d{4}.*$",
    re.IGNORECASE,
)
_GLUED = re.compile(r"^(?:[Bb]y|[Vv]on|Author|Autor|Written by)(?=[A-ZÄÖÜ][a-zäöü])")
# A name run into what follows it on the page: "Luke KimDecember 17", "Jane DoeLast Updated".
_GLUED_TAIL = re.compile(
    r"(?<=[a-z])(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d|Last\s|Updated|Published|\d).*$"
    r"|\s+on\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.*$|\s+(?-i:on)\s*$",
    re.IGNORECASE,
)
_NOT_NAMES = re.compile(
    # weekdays ("Fri", "Saturday", "Mi."), not names that begin like one ("Sarah", "Mike")
    r"^(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|sonnabend|mo|di|mi|do|fr|sa|so)\.?$|^(?:today|heute|gestern|yesterday)$",
    re.IGNORECASE,
)


# Bylines naming someone who did not write the piece.
_NOT_AUTHOR_ROLE = re.compile(
    r"^(?:medically\s+|fact[- ]?)?(?:reviewed|checked|edited|photos?|photographed|illustrations?|illustrated|"
    r"fotos?|bilder?|grafik|redigiert|geprüft|übersetzt|translated)\s+(?:by|von)\b",
    re.IGNORECASE,
)


def _plausible(text: str) -> bool:
    """Loose check for names given by structured metadata: organisations and handles pass."""
    if not text or len(text) > 80 or re.search(r"@|https?:|www\.|^\W+$|^\d", text):
        return False
    return 1 <= len(text.split()) <= 8


def split_names(text: str) -> list[str]:
    """Names in one author string; credentials ("MD", "Ph.D.") stay with the name before them."""
    text = _GLUED.sub("", clean_space(html.unescape(text)).strip("\"'“”„"))
    text = _without_avatar(text)
    if _NOT_AUTHOR_ROLE.match(text) or re.fullmatch(r"[a-z]+\d[\w-]*", text):
        return []
    text = _GLUED_TAIL.sub("", text)
    text = _MONTH_DATE.sub("", text)
    text = _PREFIX.sub("", text).lstrip(
        " |:•·"
    )  # "Written by | Jane Roe": label and name in two blocks
    text = _CUT.sub("", text).strip(" ,;:-–—")
    text = _ROLE_TAIL.sub("", text).strip(" ,;:-–—")
    text = _PREFIX.sub("", text)
    text = re.sub(r"\s+(?:at|on|am|um|le)$", "", text)  # "Posted by Jane at <date>"
    names: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip(" ,;:[]\"'“”*→›»").strip()  # "View all posts by Jane Roe →"
        if part.count("(") != part.count(")"):
            part = part.strip("()")
        if not _CREDENTIAL.match(part):
            part = part.rstrip(".")
        if not part:
            continue
        if names and _CREDENTIAL.match(part):
            names[-1] = f"{names[-1]}, {part}"
            continue
        names.append(part)
    if len(names) > 1:  # "Charles Patterson, WCI Columnist": the job title is nobody
        titled = [n for n in names if n.split()[-1].casefold() in _job_words()]
        if len(titled) < len(names):
            names = [n for n in names if n not in titled]
    return names


_AVATAR = re.compile(r"^(?P<initials>[A-Z]{2,3})\s*\|?\s+(?P<rest>[A-Z].*)$")


def _without_avatar(text: str) -> str:
    """ "JR | Jane Roe": the initials an avatar placeholder prints before the name go."""
    m = _AVATAR.match(text)
    if m is None:
        return text
    words = m["rest"].split()
    initials = "".join(w[0] for w in words[: len(m["initials"])])
    return m["rest"] if initials == m["initials"] else text


# "By Jane Roe. Reviewed by John Doe": the people after a reviewing role did not write it.
_ROLE_TAIL = re.compile(
    r"\s*\b(?:(?:medically\s+|fact[- ]?)?(?:reviewed|checked|edited)|geprüft|redigiert)\s+(?:by|von)\b.*$",
    re.IGNORECASE,
)


def _cut_job_title(part: str) -> str:
    """ "Meghan Neville Content Marketing Coordinator" -> "Meghan Neville": a job title printed
    after the name without a comma. Two name words are kept (three with a middle initial or a
    particle), and only if a job-title word follows them."""
    tokens: list[str] = []
    for token in part.split():  # "HabernyFounder": a name run into the title after it
        glued = re.fullmatch(r"(.*[a-zà-ÿ])([A-Z][\w-]+)", token)
        if glued and glued[2].casefold() in _job_words():
            tokens += [glued[1], glued[2]]
        else:
            tokens.append(token)
    if len(tokens) < 3 or not any(t.strip(",.").casefold() in _job_words() for t in tokens[2:]):
        return part
    keep = 3 if len(tokens[1].strip(".")) == 1 or tokens[1] in _PARTICLES else 2
    kept = tokens[:keep]
    if any(
        t.casefold() in ("by", "von", "this", "the", "more")
        or t.casefold() in _job_words()
        or (t.isupper() and len(t) > 1)
        for t in kept
    ):
        return part
    if keep == 3 and (len(tokens) < 4 or tokens[2].strip(",.").casefold() in _job_words()):
        return part
    return " ".join(tokens[:keep])


_PARTICLES = frozenset(
    ("van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "bin")
)


@cache
def _job_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in rules.word_list("job_words.txt"))


@cache
def _agency_names() -> dict[str, str]:
    """Case-folded agency name -> the spelling listed first in ``agencies.txt`` ("dpa", not "DPA")."""
    path = resources.files("lagebild") / "resources" / "ingest" / "agencies.txt"
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            out.setdefault(name.casefold(), name)
    return out


def _agency(name: str) -> str | None:
    known = _agency_names()
    return known.get(name.casefold()) or known.get(name.strip("()").casefold())


@dataclass(frozen=True, slots=True)
class Cleaned:
    people: list[str]
    agencies: list[str]
    desks: list[str]  # credits to the outlet or a desk, kept only if nobody else is credited


def clean_authors(raw: list[str], meta: PageMeta, strict: bool | str = True) -> Cleaned:
    """Authors, agencies and desk credits in the raw author strings, junk removed.

    ``strict`` (visible bylines) keeps only person-like names; structured metadata, which
    names the author on purpose, may also name an organisation or a user handle, but never the
    outlet itself, unless the outlet is a person's own site (its name looks like a person's).
    ``strict="line"`` (a "By …" line of running text) takes the line only if every part of it
    is a capitalised name: "By providing your e-mail, you agree …" is prose, not a byline.
    """
    sites = {squash(s) for s in site_names(meta)}
    if meta.domain:
        sites.add(squash(meta.domain.rsplit(".", 1)[0]))
        sites.add(squash(meta.domain))
    people: list[str] = []
    agencies: list[str] = []
    desks: list[str] = []
    for text in raw:
        names = split_names(text)
        if strict:  # visible bylines print job titles after the name; metadata does not
            names = [_without_site(_cut_job_title(n), sites) for n in names]
        if strict == "line" and not all(
            _line_name(n.split(",")[0].strip()) or _desk(n, sites) or _handle(n, names)
            for n in names
        ):
            continue
        for name in names:
            base = name.split(",")[0].strip()
            agency = _agency(base)
            if agency:
                if agency not in agencies:
                    agencies.append(agency)
            elif (
                _junk(base)
                or not (
                    _is_name(base) or (strict == "line" and _handle(base, names))
                    if strict
                    else _plausible(base)
                )
                or (strict == "two-words" and len(base.split()) < 2)
                or (squash(base) in sites and not (_is_name(base) and not _org_like(base)))
            ):
                if _desk(base, sites) and name not in desks:
                    desks.append(name)
                continue
            elif name not in people:
                people.append(name)
    # In a list that names people, an organisation beside them is the outlet or employer.
    if any(_is_name(p.split(",")[0]) and not _org_like(p) for p in people):
        people = [p for p in people if _is_name(p.split(",")[0])]
    return Cleaned(people, agencies, desks)


def _handle(name: str, names: list[str]) -> bool:
    """A user handle alone in a "By …" line ("by jsteinhardt"): forums and blogs sign so."""
    return (
        len(names) == 1 and bool(re.fullmatch(r"[a-z][a-z0-9_.-]{2,30}", name)) and not _junk(name)
    )


def _line_name(name: str) -> bool:
    return (
        _is_name(name)
        and not name.islower()
        and not _junk(name)
        and len(name.split()) <= 4
        and not re.search(r"[a-z]{4}[A-Z]", name)  # menu words run together: "ChecklistsJust"
    )


def _org_like(name: str) -> bool:
    words = {w.casefold() for w in re.findall(r"\w+", name)}
    # "The Organized Mama": an article in front is a title, not a person's name
    return (
        bool(words & _org_words()) or len(name.split()) == 1 or name.casefold().startswith("the ")
    )


@cache
def _org_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in rules.word_list("org_words.txt"))


def _ld_authors(meta: PageMeta, orgs: bool = False) -> list[str]:
    """Author names of the first article object that has any: its people, or (``orgs``) the
    authors typed as an organisation, which are never taken for people."""
    for obj in meta.articles():
        value = obj.get("author") or obj.get("creator")
        if not [n for n in _names(value) if n]:
            continue
        values = value if isinstance(value, list) else [value]
        return [n for v in values if _is_org(v) == orgs for n in _names(v) if n]
    return []


def _is_org(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    kind = value.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ("Organization" in k or k == "Corporation") for k in kinds)


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return [clean_space(str(n)) for n in name]
        if not name and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName', '')} {value.get('familyName', '')}"
        return [clean_space(name)] if isinstance(name, str) else []
    if isinstance(value, str) and not value.startswith(("http://", "https://")):
        return [clean_space(value)]
    return []


_META_AUTHOR = (
    "citation_author",  # scholarly pages list every author, one tag each
    "citation_authors",
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dcterms.creator",
    "cxenseparse:author",
)


@dataclass(frozen=True, slots=True)
class _Source:
    name: str  # reported in Credits.source
    raw: list[str]
    strict: bool | str  # see clean_authors
    signal: str  # kind of evidence, for confirming a desk credit: "json-ld", "meta", "visible", …
    desk_only: bool = False  # names an organisation: at most a desk credit


def _sources(meta: PageMeta, extra: str | None) -> list[_Source]:
    """Every place the page may name its author, most trusted first."""
    marked = [
        b
        for b in meta.bylines
        if b.how in ("itemprop", "rel", "link", "label") and (b.in_article or b.after_h1)
    ]
    classed = [b for b in meta.bylines if b.how == "class"]
    by_line = [b.text for b in _by_lines(meta) if len(b.text) <= 80][:1]
    by_class = [b.text for b in classed if _by_label(b, meta)][:1]
    sources = [
        _Source("json-ld", _ld_authors(meta), False, "json-ld"),
        _Source("json-ld", _ld_authors(meta, orgs=True), False, "json-ld", desk_only=True),
        _Source("meta", _meta_authors(meta), False, "meta"),
        _Source("meta", _written_by_label(meta), False, "label"),
        _Source(
            "byline", _in_line([b.text for b in marked], by_line + by_class)[:2], True, "visible"
        ),
        _Source("byline", by_line, "line", "line"),
        # A byline element that starts with "By …" reads like a visible byline line.
        _Source("byline", by_class, "line", "line"),
        # Weaker signals (a class name, another extractor's guess) need a full name.
        _Source("byline", [b.text for b in classed if b.in_article][:1], "two-words", "visible"),
    ]
    if extra:
        sources.append(_Source("byline", [extra.replace(";", ",")], "two-words", "extra"))
    return sources


# A credit in the text right under the headline: "Written by: Jane Roe", "by News Desk",
# "Contributors: Jane Roe", "Dec 26, 2025 • Jane Roe", "2025-12-17 · Jane Roe".
_NAME_RUN = (
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.-]+"
    r"(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.-]+|van|von|de|der|da|di|le|la)){0,3})"
)
_UNDER_TITLE = (
    re.compile(
        r"(?:^|\s)(?i:written\s+by|posted\s+by|by|von|par|contributors?|authors?|autor(?:in)?"
        r"|auteur)\s*:?\s+" + _NAME_RUN
    ),
    re.compile(r"(?:\d{4}|\d{1,2})\s*[·•|]\s*" + _NAME_RUN),
)
_UNDER_TITLE_CHARS = 120
# words that end a name run under the headline: months, days, the next label
_RUN_STOP = re.compile(
    r"(?i:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun(?:e|i)?|"
    r"jul(?:y|i)?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?|dez(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?|updated|published|written|posted|reviewed|edited|"
    r"fact-?checked|photos?|in|on|am|le|last|share|follow|read|min|comments?)[.,:]?"
)

_RUN_NEXT = re.compile(r"(?i:we|it|it['’]s|this|the|i|our|my|a|an|dr\.?|prof\.?|associate|senior)")


def _under_title(meta: PageMeta) -> list[str]:
    """The name of a credit in the first words under the headline, if the text there has one:
    two or three capitalised words, cut before a date, the next label or a repetition."""
    head = meta.after_h1[:_UNDER_TITLE_CHARS]
    for pattern in _UNDER_TITLE:
        m = pattern.search(head)
        if m is None:
            continue
        words: list[str] = []
        for w in m.group("name").split():
            if _RUN_STOP.fullmatch(w) or w in words or len(words) == 3:
                break
            if words and _RUN_NEXT.fullmatch(w):  # "Jane Roe We independently review …"
                break
            if len(words) >= 2 and w.isupper() and len(w) > 2:  # "Jane Roe USA TODAY"
                break
            words.append(w.rstrip(".") if len(w) > 2 else w)
            if w.endswith(".") and len(w) > 2:  # a sentence ends: "by Class Central. Rui"
                break
        if words:
            return [" ".join(words)]
    return []


# the model's name for each source of ``_sources``, in the same order
_KINDS = (
    "json-ld", "json-ld-org", "meta", "label", "marked", "line", "class-by", "class", "extra",
    "title",
)  # fmt: skip


def _position(meta: PageMeta, names: Sequence[str]) -> tuple[bool, bool]:
    """Whether a byline element naming one of ``names`` is inside the article / after the h1."""
    keys = [squash(n) for n in names if squash(n)]
    hits = [b for b in meta.bylines if any(k in squash(b.text) for k in keys)]
    return any(b.in_article for b in hits), any(b.after_h1 for b in hits)


def author_candidates(meta: PageMeta, extra: str | None = None) -> list[Candidate]:
    """Every source's names as model candidates: cut into names ("By", dates and job titles
    off, agencies out), but not filtered: whether a string is junk, a desk or a person is for
    the model to weigh (``Candidate.checks``)."""
    cands: list[Candidate] = []
    sites = _sites(meta)
    sources = list(zip(_KINDS, _sources(meta, extra), strict=False))
    # the text under the headline is the model's candidate only, never a rule's credit
    sources.append(("title", _Source("byline", _under_title(meta), "two-words", "visible")))
    sources.append(("archive", _Source("byline", list(meta.archive_by), "two-words", "visible")))
    outside = [b.text for b in meta.bylines if b.how == "class" and b.after_h1 and not b.in_article]
    sources.append(("class-out", _Source("byline", outside[:1], "two-words", "visible")))
    for kind, src in sources:
        names: list[str] = []
        for text in src.raw:
            parts = split_names(text)
            if src.strict:
                parts = [_without_site(_cut_job_title(n), sites) for n in parts]
            names += [n for n in parts if not _agency(n.split(",")[0].strip()) and n not in names]
        if not names:
            continue
        inside, after = _position(meta, names)
        checks = _checks(names, sites, src.strict)
        cleaned = clean_authors(src.raw, meta, src.strict)
        kept = () if src.desk_only else tuple(cleaned.people)
        if not kept and kind in _BYLINE_SLOTS and cleaned.desks:
            # the outlet or a desk where the page prints its byline: what the page credits,
            # chosen only if the model trusts it (stored as the desk, never as a person)
            kept, checks = (cleaned.desks[0],), checks | {"as-desk"}
        if kind == "title" and _told_already(names, cands):
            continue
        if kind == "extra":  # trafilatura's copy of a name the page spells ("Dr Jane Roe")
            names, kept = _page_spelling(names, cands), tuple(_page_spelling(list(kept), cands))
        cands.append(Candidate(kind, tuple(names[:12]), inside, after, checks, kept))
    return cands


# where a page prints its byline: an outlet or desk credit there is what the page says
_BYLINE_SLOTS = frozenset({"marked", "line", "class-by", "class", "class-out", "title"})


def _without_site(name: str, sites: set[str]) -> str:
    """ "Brian Truitt USA TODAY" -> "Brian Truitt": the outlet's name printed after the
    author's in one byline element, when two name words are left."""
    words = name.split()
    for k in (1, 2, 3):
        if len(words) - k >= 2 and squash(" ".join(words[-k:])) in sites:
            return " ".join(words[:-k])
    return name


def _page_spelling(names: list[str], cands: Sequence[Candidate]) -> list[str]:
    """Each name as another source of the page spells it, when one does ("Dr. Jane Roe" for
    "Dr Jane Roe"): the page's own spelling is the byline's, another extractor's is a copy."""
    spelt = {squash(n): n for c in cands for n in c.names if squash(n)}
    return [spelt.get(squash(n), n) for n in names]


def _told_already(names: Sequence[str], cands: Sequence[Candidate]) -> bool:
    """Whether another source names these people already, maybe in full or with more words
    ("Top Growth" of "Top Growth Marketing", "News Desk Text" of "News Desk"): the cut text
    under the headline then adds nothing but a worse spelling."""
    mine = [squash(n) for n in names if squash(n)]
    theirs = [squash(n) for c in cands for n in c.names]
    return any(t.startswith(m) or m.startswith(t) for m in mine for t in theirs if t)


def _sites(meta: PageMeta) -> set[str]:
    sites = {squash(s) for s in site_names(meta)}
    if meta.domain:
        sites.add(squash(meta.domain.rsplit(".", 1)[0]))
        sites.add(squash(meta.domain))
    return sites


def _checks(names: list[str], sites: set[str], strict: bool | str) -> frozenset[str]:
    """What the rules know of the names: the model's lexical and shape cues."""
    bases = [n.split(",")[0].strip() for n in names]
    out = set()
    if any(_junk(b) for b in bases):
        out.add("junk")
    if all(_is_name(b) for b in bases):
        out.add("name")
    if not all(_plausible(b) for b in bases):
        out.add("implausible")
    if any(_desk(b, sites) for b in bases):
        out.add("desk")
    if any(squash(b) in sites for b in bases):
        out.add("site")
    if any(_org_like(b) for b in bases):
        out.add("org")
    if any(re.fullmatch(r"[a-z][a-z0-9_.-]{2,30}", b) for b in bases):
        out.add("handle")
    if strict == "line" and not all(_line_name(b) for b in bases):
        out.add("prose")
    return frozenset(out)


def choose_authors(meta: PageMeta, extra: str | None = None, body: str = "") -> Credits:
    """The page's authors: the candidate the learned model (``author_model``) trusts most, when
    it trusts it enough; agencies and desk credits as the rules find them.

    Without a shipped model the rules decide alone (see ``_rule_credits``).
    """
    from lagebild.ingest import author_model

    ruled = _rule_credits(meta, extra)
    m = author_model.model()
    if m is None:
        return ruled
    cands = author_candidates(meta, extra)
    chosen, _score = author_model.best(cands, meta, body[:3000], m)
    if chosen is not None and "as-desk" in chosen.checks:
        return Credits(chosen.kept, ruled.agencies, "desk") if not ruled.agencies else ruled
    if chosen is not None:
        kind = (
            "json-ld"
            if chosen.source.startswith("json-ld")
            else ("meta" if chosen.source in ("meta", "label") else "byline")
        )
        return Credits(chosen.kept, ruled.agencies, kind)
    if ruled.source == "desk":
        return ruled
    return Credits((), ruled.agencies, None)


def _rule_credits(meta: PageMeta, extra: str | None = None) -> Credits:
    """The first source that yields an author (or an agency) wins.

    ``extra`` is one more byline found by another extractor (trafilatura's), tried last. When
    no source names a person or an agency, a credit to the outlet or one of its desks ("News
    Desk", "Podium Staff") is taken if the page makes it on purpose: in a visible "By …" line,
    or in two kinds of evidence (JSON-LD, author meta tags, the "Written by" label, a byline
    element). One structured field alone naming an organisation is often just the publisher
    filled in by a CMS, so it is not enough.
    """
    sources = _sources(meta, extra)
    # meta.script_authors (dataLayer & co.) is not a source: on WCXB it found no author the
    # visible byline had not, and named people on pages that credit nobody.
    agencies: list[str] = []
    desks: dict[str, tuple[str, set[str]]] = {}  # squashed -> (spelling, signals)
    for src in sources:
        got = clean_authors(src.raw, meta, src.strict)
        agencies += [a for a in got.agencies if a not in agencies]
        if src.desk_only:
            got = Cleaned([], got.agencies, got.people + got.desks)
        if got.people:
            return Credits(tuple(got.people), tuple(agencies), src.name)
        for desk in got.desks:
            desks.setdefault(squash(desk), (desk, set()))[1].add(src.signal)
    # Bylines outside the article element still confirm a desk named elsewhere.
    for b in meta.bylines:
        for desk in clean_authors([b.text], meta, False).desks:
            if squash(desk) in desks:
                desks[squash(desk)][1].add("visible")
    if not agencies:
        for spelling, signals in desks.values():
            if "line" in signals or ("visible" in signals and len(signals - {"extra"}) >= 2):
                return Credits((spelling,), (), "desk")
    return Credits((), tuple(agencies), None)


_BY_LABEL = re.compile(
    r"^(?:by|written\s+by|posted\s+by|von|geschrieben\s+von|verfasst\s+von)\b\s*:?\s*(?:\|\s*)?\S",
    re.IGNORECASE,
)


def _in_line(names: list[str], lines: list[str]) -> list[str]:
    """Of the author links, those the page's "By …" line names, when it names any of them: the
    others are reviewers, editors or the authors of related pieces."""
    squashed = [squash(line) for line in lines]
    named = [n for n in names if squash(n) and any(squash(n) in line for line in squashed)]
    return named or names


def _by_label(b: Byline, meta: PageMeta) -> bool:
    """A byline element that starts with "By": the article's own if it is inside the article or
    after the headline (anywhere, on a page without a headline)."""
    return (b.in_article or b.after_h1 or not meta.h1) and bool(_BY_LABEL.match(b.text))


def _meta_authors(meta: PageMeta) -> list[str]:
    """All values of the first author meta key that has any (a page repeats the tag per author)."""
    for key in _META_AUTHOR:
        values = [v for v in meta.meta.get(key, ()) if v]
        if key.startswith("citation_"):  # "Roy, Aniruddha" -> "Aniruddha Roy"
            values = [re.sub(r"^([^,]+),\s*([^,]+)$", r"\2 \1", v) for v in values]
        if values:
            return values[:12]
    return []


def _written_by_label(meta: PageMeta) -> list[str]:
    """The name beside a ``twitter:label1`` "Written by" (Yoast and similar plugins)."""
    labels = meta.meta.get("twitter:label1", ())
    if labels and labels[0].casefold() in (
        "written by",
        "verfasst von",
        "geschrieben von",
        "autor",
    ):
        return list(meta.meta.get("twitter:data1", ()))[:1]
    return []


def _by_lines(meta: PageMeta) -> list[Byline]:
    """Visible "By Jane Roe" lines, those after the headline first (the article's own byline)."""
    lines = [b for b in meta.bylines if b.how == "text"]
    if not meta.h1:
        return lines
    return [b for b in lines if b.after_h1] + [b for b in lines if b.in_article and not b.after_h1]


_CREDIT_TAIL = re.compile(r"\((?P<credit>[^()]{1,60})\)\s*$|^\s*\((?P<lead>[^()]{1,40})\)\s*[-–—]")


def agencies_in_text(text: str) -> list[str]:
    """Agencies credited at the end of the body ("(dpa)", "(nak/dpa)", "(APA/Reuters)") or at its start."""
    known = _agency_names()
    found: list[str] = []
    paragraphs = [p for p in text.strip().split("\n") if p.strip()]
    for para in paragraphs[-2:] + paragraphs[:1]:
        for m in _CREDIT_TAIL.finditer(para.strip()):
            credit = m.group("credit") or m.group("lead") or ""
            for part in re.split(r"[/,;]|\s+und\s+|\s+and\s+|\s+", credit):
                agency = known.get(part.strip(" .").casefold())
                if agency and agency not in found:
                    found.append(agency)
    return found
