"""The headline and the outlet name of a page.

A page states its headline several times: ``og:title``, ``twitter:title``, the JSON-LD
``headline``, ``<title>`` and the ``<h1>``. The first four often carry the site name
(" - Site", " | Site", "Site: …"), the ``<h1>`` often is a logo or a section name. So each
is cleaned of site affixes and the cleaned forms vote; ties go to the more reliable source.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from lagebild.ingest.html_meta import PageMeta, clean_space

# Separators between headline and site name; " - " needs spaces, so hyphenated words survive.
_SEP = re.compile(r"\s+(?:[|–—·•»«/~]|-{1,2}|::)\s+|\s*\|\s*")
_BAD_H1 = re.compile(
    r"^(?:menu|search|blog|news|home|navigation|skip to .*|\d+|follow us|contact us)$", re.I
)


def squash(text: str) -> str:
    """Lower-case letters and digits only: how site names are compared."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return clean_space(value) if isinstance(value, str) and value.strip() else None


def site_names(meta: PageMeta, handles: bool = True) -> list[str]:
    """Names the site calls itself: og:site_name, JSON-LD publisher/WebSite, application-name."""
    names = [meta.first("og:site_name")]
    for obj in meta.articles():
        names.append(_name(obj.get("publisher")))
    for obj in meta.jsonld:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(str(t) in ("WebSite", "Organization", "NewsMediaOrganization") for t in types):
            names.append(_name(obj))
    names.append(meta.first("application-name"))
    if handles:
        names.append(meta.first("twitter:site"))
    out: list[str] = []
    for n in names:
        if n:
            n = n.lstrip("@")
            if n and n not in out and len(n) <= 80:
                out.append(n)
    return out


def outlet(meta: PageMeta) -> str | None:
    """The outlet: the site's own name if it gives one, else the domain."""
    names = site_names(meta, handles=False)
    return names[0] if names else meta.domain


def _site_like(segment: str, sites: list[str], domain: str | None) -> bool:
    s = squash(segment)
    if not s:
        return True
    for name in sites:
        n = squash(name)
        if n and (s == n or (len(s) >= 3 and (s in n or n in s) and len(segment.split()) <= 5)):
            return True
    if domain:
        core = squash(domain.rsplit(".", 1)[0])
        if core and len(s) >= 3 and (s == core or s in core or core in s or s == squash(domain)):
            return len(segment.split()) <= 5
    return False


def strip_site(title: str, sites: list[str], domain: str | None) -> str:
    """The title without leading or trailing segments that name the site."""
    title = clean_space(title)
    for _ in range(3):
        parts = _SEP.split(title)
        if len(parts) < 2:
            break
        if _site_like(parts[-1], sites, domain):
            title = title[: _last_sep(title).start()].strip()
        elif _site_like(parts[0], sites, domain):
            title = title[_SEP.search(title).end() :].strip()  # type: ignore[union-attr]
        else:
            break
    title = _drop_tail(title)
    m = re.match(r"^([^:]{2,40}):\s+(.{8,})$", title)
    if m and _site_like(m.group(1), sites, domain):
        title = m.group(2)
    return title


_PIPE_TAIL = re.compile(r"\s+\|\s+.*$")
_DASH_TAIL = re.compile(r"\s+[-–—]\s+(?P<tail>[^-–—|]+)$")


def _drop_tail(title: str) -> str:
    """Without a trailing " | tagline" or a short capitalised " - Tagline" (sites add them).

    A lower-case tail ("Putin empfängt Kim – mit Pomp") is part of the headline and stays.
    """
    title = html.unescape(title)
    head = _PIPE_TAIL.sub("", title)
    if len(head.split()) >= 2:
        title = head
    m = _DASH_TAIL.search(title)
    tail_ok = m is not None and m.group("tail")[:1].isupper() and len(m.group("tail").split()) <= 3
    if m and tail_ok and len(title[: m.start()].split()) >= 3:
        title = title[: m.start()]
    return title


def _last_sep(title: str) -> re.Match[str]:
    return list(_SEP.finditer(title))[-1]


def _headlines(meta: PageMeta) -> list[str]:
    out = []
    for obj in meta.articles():
        for key in ("headline", "name", "alternativeHeadline"):
            v = obj.get(key)
            if isinstance(v, str) and v.strip():
                out.append(clean_space(v))
                break
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _overlap(a: str, b: str) -> float:
    """Share of the words of ``a`` that ``b`` also has."""
    wa = _words(a)
    return len(wa & _words(b)) / len(wa) if wa else 0.0


def choose_title(meta: PageMeta, fallback: str = "") -> str:
    """The visible headline (an ``<h1>`` the metadata agrees with), else the metadata's own.

    Readers see the ``<h1>``; the metadata titles are rewritten for search engines and social
    cards. So an ``<h1>`` wins when most of its words recur in some metadata title (which
    rules out logos, section names and teaser headings); otherwise the metadata titles, cleaned
    of site names, vote, in the order og:title, JSON-LD, <title>, twitter:title.
    """
    sites = site_names(meta)
    domain = meta.domain
    ld = _headlines(meta)[:1]
    raw = [
        meta.first("og:title"),
        ld[0] if ld else None,
        meta.title_tag,
        meta.first("twitter:title"),
    ]
    metas = [t for t in (strip_site(r, sites, domain) for r in raw if r) if t]
    h1s = [
        _drop_tail(h)
        for h in meta.h1
        if not _BAD_H1.match(h) and not _site_like(h, sites, domain) and len(h) <= 300
    ]
    best_h1, best = None, 0.0
    for h in h1s:
        score = max((min(_overlap(h, t), _overlap(t, h) + 0.5) for t in metas), default=0.0)
        if score > best:
            best_h1, best = h, score
    if best_h1 is not None and best >= H1_AGREEMENT:
        return _case_from(best_h1, metas)
    if not metas:
        return h1s[0] if h1s else clean_space(fallback)
    votes = Counter(squash(t) for t in metas)
    top = max(votes.values())
    return _case_from(next(t for t in metas if votes[squash(t)] == top), metas)


H1_AGREEMENT = 0.6


def _case_from(title: str, metas: list[str]) -> str:
    """A title set in capitals or lower case only takes its case from an equal metadata title."""
    if title.isupper() or title.islower():
        for t in metas:
            if squash(t) == squash(title) and not (t.isupper() or t.islower()):
                return t
    return title
