"""Everything a page says about itself, collected once from the parsed tree.

``collect`` gathers the raw signals (JSON-LD objects, ``<meta>`` tags, ``<h1>``, ``<title>``,
byline elements, ``<time>`` elements, figure captions); ``html_title``, ``html_authors`` and
``html_dates`` decide among them. Keeping collection apart from decision lets each rule be
tested on a few lines of HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in [
        "Article",
        "NewsArticle",
        "BlogPosting",
        "Report",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "TechArticle",
        "ScholarlyArticle",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "MedicalScholarlyArticle",
        "Review",
        "Recipe",
        "HowTo",
        "SatiricalArticle",
        "AdvertiserContentArticle",
        "Posting",
    ]
)
PAGE_TYPES = frozenset(
    ("webpage", "itempage", "medicalwebpage", "aboutpage", "faqpage", "collectionpage")
)


@dataclass(frozen=True, slots=True)
class Byline:
    """Text of an element that the markup marks as naming the author."""

    text: str
    how: str  # "itemprop", "rel", "class"
    in_article: bool


@dataclass(frozen=True, slots=True)
class TimeTag:
    """A ``<time>`` element (or an element with itemprop date*)."""

    value: str
    text: str
    hint: str  # class / itemprop words around it, lower-cased


@dataclass(frozen=True, slots=True)
class PageMeta:
    jsonld: tuple[dict[str, Any], ...]
    meta: dict[str, tuple[str, ...]]
    title_tag: str
    h1: tuple[str, ...]
    bylines: tuple[Byline, ...]
    times: tuple[TimeTag, ...]
    captions: tuple[str, ...]
    canonical: str | None
    url: str | None
    lang: str | None

    def first(self, *names: str) -> str | None:
        """The first non-empty ``<meta>`` value under any of ``names`` (lower-cased keys)."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None

    def articles(self) -> list[dict[str, Any]]:
        """JSON-LD objects of an article type, then of a web-page type."""
        arts = [o for o in self.jsonld if _types(o) & ARTICLE_TYPES]
        pages = [o for o in self.jsonld if _types(o) & PAGE_TYPES and o not in arts]
        return arts + pages

    @property
    def domain(self) -> str | None:
        url = self.canonical or self.url
        if not url:
            return None
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None


def clean_space(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def parse_tree(text: str) -> Any:
    """The lxml tree of a page (``None`` if lxml cannot make one)."""
    try:
        return lxml_html.fromstring(
            text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8")
        )
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def collect(tree: Any, url: str | None = None) -> PageMeta:
    meta: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content is not None:
            meta.setdefault(key, []).append(clean_space(content))
    title_el = tree.find(".//title")
    canonical = None
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower().strip() == "canonical" and el.get("href", "").startswith(
            "http"
        ):
            canonical = el.get("href").strip()
            break
    root_lang = tree.get("lang") if tree.tag == "html" else None
    return PageMeta(
        jsonld=tuple(_jsonld(tree)),
        meta={k: tuple(v) for k, v in meta.items()},
        title_tag=clean_space(title_el.text_content()) if title_el is not None else "",
        h1=tuple(t for t in (clean_space(h.text_content()) for h in tree.iter("h1")) if t),
        bylines=tuple(_bylines(tree)),
        times=tuple(_times(tree)),
        captions=tuple(dict.fromkeys(_captions(tree))),
        canonical=canonical,
        url=url,
        lang=root_lang,
    )


def _jsonld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        data = _loads(raw)
        if data is not None:
            yield from _walk(data, 0)


def _loads(raw: str) -> Any:
    raw = raw.removeprefix("<!--").removesuffix("-->").strip().removesuffix(";")
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _walk(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every typed object, with ``@graph`` lists and nested main entities unfolded."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if isinstance(data.get(key), list | dict):
                yield from _walk(data[key], depth + 1)


_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|by-line|autor|writer|contributor|reporter|creator)", re.I
)
_NOT_BYLINE_CLASS = re.compile(
    r"(?:avatar|image|img|photo|bio|description|box|about|social|follow|more|date|time)", re.I
)


def _bylines(tree: Any) -> Iterator[Byline]:
    seen: set[str] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in (
            "script",
            "style",
            "meta",
            "link",
            "img",
            "html",
            "body",
        ):
            continue
        how = ""
        href = (el.get("href") or "").lower() if el.tag == "a" else ""
        if re.search(r"/(?:author|authors|autor|autoren|profile/author)/[\w.-]+/?$", href):
            how = "link"
        elif "author" in (el.get("itemprop") or "").lower():
            how = "itemprop"
        elif "author" in (el.get("rel") or "").lower():
            how = "rel"
        else:
            cls = f"{el.get('class') or ''} {el.get('id') or ''}"
            if _BYLINE_CLASS.search(cls) and not _NOT_BYLINE_CLASS.search(cls):
                how = "class"
        if not how:
            continue
        text = clean_space(el.text_content())
        if not text or len(text) > 200 or text in seen:
            continue
        seen.add(text)
        yield Byline(text, how, _inside_article(el))
    # "Written by" alone in one element, the name in the next.
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        own = clean_space(el.text or "")
        if _LABEL.fullmatch(own) and len(el) == 0:
            nxt = el.getnext()
            text = clean_space(nxt.text_content()) if nxt is not None else ""
            if text and len(text) <= 80 and text not in seen:
                seen.add(text)
                yield Byline(text, "label", _inside_article(el))


_LABEL = re.compile(
    r"(?:written|posted|reported)\s+by:?|author:?|autor(?:in)?:?|von:?|text:?", re.IGNORECASE
)


def _inside_article(el: Any) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("article", "main"):
            return True
        if tag in ("footer", "aside", "nav"):
            return False
    return False


def _times(tree: Any) -> Iterator[TimeTag]:
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        prop = (el.get("itemprop") or "").lower()
        if el.tag != "time" and not prop.startswith("date"):
            continue
        value = el.get("datetime") or el.get("content") or ""
        hint = " ".join(
            x
            for x in (
                prop,
                el.get("class") or "",
                (el.getparent().get("class") or "") if el.getparent() is not None else "",
            )
        ).lower()
        yield TimeTag(value.strip(), clean_space(el.text_content()), hint)


def _captions(tree: Any) -> Iterator[str]:
    for el in tree.iter("figcaption"):
        text = clean_space(el.text_content())
        if text:
            yield text
