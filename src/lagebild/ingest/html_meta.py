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
    how: str  # "itemprop", "rel", "link", "class", "label", "text" (a visible "By …" line)
    in_article: bool
    after_h1: bool = False  # follows the page's first <h1> (the article's own byline, not a list's)


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
    script_authors: tuple[str, ...] = ()  # author fields of analytics scripts (dataLayer & co.)
    after_h1: str = ""  # the visible text that follows the first <h1> (byline, dateline), cut short
    visible: str = ""  # the page's visible text, squashed (``html_title.squash``): "is it shown?"
    archive_by: tuple[str, ...] = ()  # names of "More articles by Jane Roe" links and buttons

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
    headline = _headline(tree, meta, title_el)
    return PageMeta(
        jsonld=tuple(_jsonld(tree)),
        meta={k: tuple(v) for k, v in meta.items()},
        title_tag=clean_space(title_el.text_content()) if title_el is not None else "",
        h1=tuple(t for t in (clean_space(h.text_content()) for h in tree.iter("h1")) if t),
        bylines=tuple(_bylines(tree, headline)),
        times=tuple(_times(tree)),
        captions=tuple(dict.fromkeys(_captions(tree))),
        canonical=canonical,
        url=url,
        lang=root_lang,
        script_authors=tuple(dict.fromkeys(_script_authors(tree))),
        after_h1=_after_h1(tree, headline),
        visible=_visible(tree),
        archive_by=tuple(dict.fromkeys(_archive_by(tree))),
    )


_INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "button", "select"))


def _headline(tree: Any, meta: dict[str, list[str]], title_el: Any) -> Any:
    """The article's ``<h1>``: the one the page title repeats (a logo or a counter is an
    ``<h1>`` on some sites too), else the first of several words, else the first."""
    h1s = [(h, clean_space(h.text_content())) for h in tree.iter("h1")]
    titles = [clean_space(title_el.text_content()) if title_el is not None else ""]
    titles += meta.get("og:title", [])
    key = [re.sub(r"\W+", "", t.casefold()) for t in titles if t]
    for h, text in h1s:
        bare = re.sub(r"\W+", "", text.casefold())
        if len(text.split()) >= 2 and any(bare and bare in k for k in key):
            return h
    for h, text in h1s:
        if len(text.split()) >= 2:
            return h
    return h1s[0][0] if h1s else None


def _after_h1(tree: Any, headline: Any, limit: int = 300) -> str:
    """The first ``limit`` characters of visible text after the first ``<h1>``: where a page
    prints its byline and dateline."""
    parts: list[str] = []
    size = 0
    started = False
    hidden = 0
    for event, el in lxml_html.etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if not started:
            if event == "end" and el is headline:
                started = True
                parts.append(" " + (el.tail or ""))
                size += len(parts[-1])
            continue
        if tag in _INVISIBLE:
            hidden += 1 if event == "start" else -1
            if event == "end" and hidden == 0:
                parts.append(" " + (el.tail or ""))
            continue
        if hidden:
            continue
        text = el.text if event == "start" else el.tail
        parts.append(" " + (text or "") if tag in _BLOCK_TAGS or event == "end" else (text or ""))
        size += len(text or "")
        if size > limit * 2:
            break
    return clean_space("".join(parts))[:limit]


def _visible(tree: Any, limit: int = 400_000) -> str:
    """The text a reader sees (no scripts, styles, templates), squashed for membership tests."""
    from lagebild.ingest.html_title import squash

    parts: list[str] = []
    hidden = 0
    size = 0
    for event, el in lxml_html.etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _INVISIBLE or tag in ("head", "title"):
            hidden += 1 if event == "start" else -1
            if event == "end" and hidden == 0 and el.tail:
                parts.append(el.tail)
            continue
        if hidden:
            continue
        text = el.text if event == "start" else el.tail
        if text:
            parts.append(text)
            size += len(text)
            if size > limit:
                break
    return squash(" ".join(parts))


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


_SKIP_TAGS = frozenset(("script", "style", "meta", "link", "img", "html", "body", "head", "title"))
_BLOCK_TAGS = frozenset(
    (
        "div",
        "p",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "header",
        "dd",
        "dt",
    )
)
# A visible byline printed as text: "By Jane Roe", "Written by Jane Roe", "Von Max Muster".
_BY_TEXT = re.compile(
    r"^(?:by|written\s+by|posted\s+by|words\s+by|story\s+by|von|geschrieben\s+von|verfasst\s+von)\b\s*:?(?:\s*\S|$)",
    re.IGNORECASE,
)


def block_text(el: Any) -> str:
    """Text of an element with `` | `` where block elements meet, so "Jane Roe" and the job
    title printed in the next ``<p>`` do not run together as "Jane RoeEditor"."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if tag in _SKIP_TAGS:
            pass
        elif tag or node is el:
            if block:
                parts.append(" | ")
            parts.append(node.text or "")
            for child in node:
                walk(child)
            if block:
                parts.append(" | ")
        if node is not el:
            parts.append(node.tail or "")

    walk(el)
    text = clean_space("".join(parts))
    text = re.sub(r"(?:\s*\|\s*)+", " | ", text)
    return text.strip(" |")


def _bylines(tree: Any, headline: Any) -> Iterator[Byline]:
    seen: set[str] = set()
    h1_seen = False
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if el is headline:
            h1_seen = True
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
            elif _BY_TEXT.match(clean_space(el.text or "")) and el.tag not in _HEADINGS:
                how = "text"
        if not how:
            continue
        text = block_text(el) if how in ("class", "text") else clean_space(el.text_content())
        if how == "text" and (_BY_TEXT.fullmatch(text) or _in_nav(el)):
            continue  # the label alone (the name follows in the next element) or a menu entry
        if not text or len(text) > (120 if how == "text" else 200) or text in seen:
            continue
        seen.add(text)
        yield Byline(text, how, _inside_article(el), h1_seen)
    # "Written by" alone in one element, the name in the next.
    h1_seen = False
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        if el is headline:
            h1_seen = True
        own = clean_space(el.text or "")
        if _LABEL.fullmatch(own) and len(el) == 0:
            nxt = el.getnext()
            tail = clean_space(el.tail)  # "<strong>Contributors:</strong> Jane Roe"
            if tail and nxt is None:
                text = tail
            elif nxt is not None and nxt.tag in ("ul", "ol"):  # one author per list item
                text = ", ".join(clean_space(li.text_content()) for li in nxt.iter("li"))
            else:
                text = block_text(nxt) if nxt is not None else ""
            # A metadata sidebar (<aside>: "Published … Author …") labels the article's own
            # author; a menu or a page footer does not.
            if text and len(text) <= 80 and text not in seen and not _in_nav(el, ("nav", "footer")):
                seen.add(text)
                # A bare "By" is a weaker label than "Written by": read it as a "By …" line.
                how = "text" if re.fullmatch(r"by:?", own, re.IGNORECASE) else "label"
                yield Byline(text, how, _inside_article(el), h1_seen)


_HEADINGS = frozenset(("h1", "h2"))
_LABEL = re.compile(
    r"(?:written|posted|reported|article|story|words)\s+by:?|by:?|author(?:s|\(s\))?:?|"
    r"contributors?:?|autor(?:in|en)?:?|von:?|text:?",
    re.IGNORECASE,
)
# Author fields of tracking/analytics scripts: dataLayer {'authors': 'Jane Roe'},
# pagePostAuthor: "Jane Roe", woopra.track(..., {"author":"Jane Roe"}).
_SCRIPT_AUTHOR = re.compile(
    r"""["']?(?:authors?|pagePostAuthor|author_?name|articleAuthor|content_?author)["']?\s*[:=]\s*"""
    r"""\[?\s*["']([^"'<>{}\[\]\\]{3,60})["']""",
    re.IGNORECASE,
)


def _script_authors(tree: Any) -> Iterator[str]:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if "json" in kind or script.get("src"):
            continue
        for m in _SCRIPT_AUTHOR.finditer(script.text or ""):
            yield clean_space(m.group(1))


# "More articles by Jane Roe", "View all posts by Jane Roe": a link to an author's archive.
_ARCHIVE_BY = re.compile(
    r"(?:(?:view|see|read|browse)\s+)?(?:all|more)\s+(?:articles|posts|stories|blogs?|insights)"
    r"\s+(?:by|from)\s+(?P<name>\S.{1,60})",
    re.IGNORECASE,
)


def _archive_by(tree: Any) -> Iterator[str]:
    """Names in the text (or ``aria-label``) of links and buttons to an author's archive, in page
    order: pages with several authors print one such link per author."""
    for el in tree.iter("a", "button"):
        for text in (clean_space(el.text_content()), clean_space(el.get("aria-label"))):
            m = _ARCHIVE_BY.fullmatch(text)
            if m and not _in_nav(el, ("nav", "footer")):
                yield m.group("name").strip(" .")
                break


def _in_nav(el: Any, tags: tuple[str, ...] = ("nav", "footer", "aside")) -> bool:
    return any(a.tag in tags for a in el.iterancestors() if isinstance(a.tag, str))


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
