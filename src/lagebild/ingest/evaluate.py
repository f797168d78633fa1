"""Scoring the HTML reader on two public extraction benchmarks.

**Zyte article-extraction-benchmark** (``--zyte``): the benchmark's own body metric. Each text
is split into ``\\w+`` tokens, turned into a multiset of 4-token shingles, and compared with the
gold shingles: tp/fp/fn are normalised to sum 1 per page (so long pages do not weigh more);
precision and recall are averaged over pages and F1 is taken of the two means.

**WCXB dev articles** (``--wcxb``); the matching rules, stated once:

- *body word-F1*: bag-of-words F1 over case-folded ``\\w+`` tokens, per page, averaged.
- *title exact*: equal after whitespace is collapsed (case, quotes and dashes kept), as
  trafilatura's figure is measured; *title exact, folded* beside it also maps NFKC and
  typographic quotes/dashes to ASCII (3 points more on WCXB dev).
- *author exact*, on pages whose gold author is set: the gold string and our authors are both
  split into parts on ``,`` ``;`` ``&`` ``|`` and the words "and"/"und"; the parts, case-folded
  and whitespace-collapsed, must be the same set. So "A, B and C" matches ("A", "B", "C") and
  a credential the page prints in the byline ("Jane Roe, MD") is part of the gold name.
- *author exact (gold not the outlet)*: the same, leaving out pages whose gold author is the
  site itself (equal, ignoring case and punctuation, to the outlet name or the domain we
  read): lagebild rejects outlet names as authors on purpose.
- *author invented*, on pages whose gold author is empty: the share where we give any author.
- "our authors" are the people credited, else the desk the byline credits (``Article.desk``:
  "By News Desk"); a desk is kept apart from people in the Article, not dropped.
- *date day*, on pages with a gold date: the publication day as the page states it (before
  conversion to UTC) equals the gold ``YYYY-MM-DD`` (a gold ``YYYY-MM`` needs the month).
- *date day, published or updated* (not a published metric; ours): the gold day equals the
  publication day or the day of the last update we read. The gold gives one date per page and
  takes the updated date on some pages where the page states both; this figure shows how many
  misses are of that kind, since lagebild keeps both dates.

The page's URL from the gold file is handed to the reader, as a crawler would. Split-half
figures are by site (``author_eval.site_half``: a hash of the host name), so a site's pages
are never on both sides; the author model is fitted on one half and scored on the other by
``lagebild eval authors``.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from lagebild.config import Config

ZYTE_PUBLISHED_F1 = 0.958  # trafilatura on the Zyte benchmark (published)
WCXB_TRAFILATURA = {
    "title_exact": 0.56,
    "author_exact": 0.65,
    "author_invented": 0.23,
    "date_day": 0.85,
    "body_f1": 0.93,
}

_TOKEN = re.compile(r"\w+")


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Per-page shingle matches, normalised to sum to 1 (the Zyte benchmark's weighting)."""

    tp: float
    fp: float
    fn: float


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_counts(gold: str, predicted: str) -> PageCounts:
    """tp/fp/fn over 4-token shingles of one page, normalised per page."""
    g, p = _shingles(gold), _shingles(predicted)
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return PageCounts(tp / total, fp / total, fn / total) if total else PageCounts(0.0, 0.0, 0.0)


def _precision(c: PageCounts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fp == 0 else c.tp / (c.tp + c.fp)


def _recall(c: PageCounts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fn == 0 else c.tp / (c.tp + c.fn)


@dataclass(frozen=True, slots=True)
class BodyScore:
    precision: float
    recall: float
    f1: float


def body_score(pages: list[PageCounts]) -> BodyScore:
    """Means of per-page precision and recall (pages with nothing to score left out), and their F1."""
    precisions = [_precision(c) for c in pages if c.tp + c.fp > 0]
    recalls = [_recall(c) for c in pages if c.tp + c.fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return BodyScore(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def word_f1(gold: str, predicted: str) -> float:
    """Bag-of-words F1 over case-folded word tokens."""
    g = Counter(_TOKEN.findall((gold or "").casefold()))
    p = Counter(_TOKEN.findall((predicted or "").casefold()))
    if not g and not p:
        return 1.0
    common = sum((g & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


_TYPO = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "\u00a0": " "}
)


def norm_title(text: str | None) -> str:
    """Whitespace collapsed, nothing else: the headline title figure."""
    return re.sub(r"\s+", " ", text or "").strip()


def fold_title(text: str | None) -> str:
    """NFKC, typographic quotes and dashes as ASCII, whitespace collapsed."""
    return norm_title(unicodedata.normalize("NFKC", text or "").translate(_TYPO))


_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&|]|\band\b|\bund\b)\s*", re.IGNORECASE)


def author_parts(text: str) -> frozenset[str]:
    """The names in a gold or predicted author string, as a set of normalised parts."""
    parts = _AUTHOR_SPLIT.split(fold_title(text))
    return frozenset(re.sub(r"\s+", " ", p).strip().casefold() for p in parts if p.strip())


def author_match(gold: str, predicted: tuple[str, ...]) -> bool:
    return author_parts(gold) == author_parts(", ".join(predicted))


def date_match(gold: str, predicted: date | None) -> bool:
    if predicted is None:
        return False
    return predicted.isoformat().startswith(gold.strip()[:10])


# --------------------------------------------------------------------------- running the reader


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the evaluation looks at from one page."""

    body: str
    title: str
    authors: tuple[str, ...]
    day: date | None
    sites: tuple[str, ...] = ()  # outlet name and domain, to tell outlet-as-author gold apart
    modified_day: date | None = None


Extractor = Callable[[bytes, str, str | None], Extracted]


def lagebild_extractor(config: Config | None = None) -> Extractor:
    """Our HTML reader, seen through the fields the benchmarks score."""
    from lagebild.errors import Rejection
    from lagebild.ingest.html import read_page

    config = config or Config()

    def run(data: bytes, source: str, url: str | None) -> Extracted:
        page = read_page(data, source, config, url=url)
        if isinstance(page, Rejection):
            return Extracted("", "", (), None)
        a = page.article
        domain = urlsplit(a.url or "").hostname or ""
        sites = tuple(x for x in (a.outlet, domain.removeprefix("www.")) if x)
        byline = a.authors or ((a.desk,) if a.desk else ())  # a desk is what the byline credits
        return Extracted(a.text, a.title, byline, page.local_day, sites, page.modified_day)

    return run


def _html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


@dataclass(frozen=True, slots=True)
class ZyteResult:
    body: BodyScore
    pages: int
    published_f1: float = ZYTE_PUBLISHED_F1

    def as_dict(self) -> dict[str, float | int]:
        return {
            "body_f1": round(self.body.f1, 4),
            "body_precision": round(self.body.precision, 4),
            "body_recall": round(self.body.recall, 4),
            "pages": self.pages,
            "published_trafilatura_f1": self.published_f1,
        }


def zyte_pages(root: Path, limit: int | None = None) -> Iterator[tuple[str, Path, dict]]:
    """``(page id, html path, gold record)`` of the Zyte benchmark, in id order."""
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for n, key in enumerate(sorted(gold)):
        if limit is not None and n >= limit:
            break
        yield key, root / "html" / f"{key}.html.gz", gold[key]


def evaluate_zyte(
    root: Path, extractor: Extractor | None = None, limit: int | None = None
) -> ZyteResult:
    extractor = extractor or lagebild_extractor()
    counts = []
    for _key, path, gold in zyte_pages(root, limit):
        got = extractor(_html(path), str(path), gold.get("url"))
        counts.append(shingle_counts(gold.get("articleBody", ""), got.body))
    return ZyteResult(body_score(counts), len(counts))


@dataclass(slots=True)
class WcxbTally:
    """Running counts for one set of WCXB pages."""

    pages: int = 0
    body: list[float] = field(default_factory=list)
    title_hits: int = 0
    title_folded_hits: int = 0
    author_pages: int = 0
    author_hits: int = 0
    people_pages: int = 0
    people_hits: int = 0
    no_author_pages: int = 0
    invented: int = 0
    date_pages: int = 0
    date_hits: int = 0
    date_either_hits: int = 0

    def add(self, gold: dict, got: Extracted) -> None:
        self.pages += 1
        self.body.append(word_f1(gold.get("main_content") or "", got.body))
        self.title_hits += norm_title(gold.get("title")) == norm_title(got.title)
        self.title_folded_hits += fold_title(gold.get("title")) == fold_title(got.title)
        if gold.get("author"):
            self.author_pages += 1
            hit = author_match(gold["author"], got.authors)
            self.author_hits += hit
            if not _is_site(gold["author"], got.sites):
                self.people_pages += 1
                self.people_hits += hit
        else:
            self.no_author_pages += 1
            self.invented += bool(got.authors)
        if gold.get("publish_date"):
            self.date_pages += 1
            hit = date_match(gold["publish_date"], got.day)
            self.date_hits += hit
            self.date_either_hits += hit or date_match(gold["publish_date"], got.modified_day)

    def as_dict(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "body_f1": round(statistics.mean(self.body), 4) if self.body else 0.0,
            "title_exact": ratio(self.title_hits, self.pages),
            "title_exact_folded": ratio(self.title_folded_hits, self.pages),
            "author_exact": ratio(self.author_hits, self.author_pages),
            "author_exact_people": ratio(self.people_hits, self.people_pages),
            "author_invented": ratio(self.invented, self.no_author_pages),
            "date_day": ratio(self.date_hits, self.date_pages),
            "date_day_either": ratio(self.date_either_hits, self.date_pages),
            "pages": self.pages,
        }


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_site(author: str, sites: tuple[str, ...]) -> bool:
    a = _squash(author)
    for site in sites:
        s = _squash(site)
        if a and s and (a == s or (len(a) >= 4 and a in s)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class WcxbResult:
    all: dict[str, float | int]
    half0: dict[str, float | int]  # the pages of the sites in site half 0 (see author_eval)
    half1: dict[str, float | int]
    misses: tuple[dict, ...] = ()
    anchors: dict[str, float] = field(default_factory=lambda: dict(WCXB_TRAFILATURA))


def wcxb_pages(root: Path, limit: int | None = None) -> Iterator[tuple[str, Path, dict]]:
    """``(file id, html path, full gold record)`` of the WCXB pages, in id order."""
    for n, path in enumerate(sorted((root / "ground-truth").glob("*.json"))):
        if limit is not None and n >= limit:
            break
        yield (
            path.stem,
            root / "html" / f"{path.stem}.html.gz",
            json.loads(path.read_text(encoding="utf-8")),
        )


def evaluate_wcxb(
    root: Path,
    extractor: Extractor | None = None,
    limit: int | None = None,
    keep_misses: bool = False,
) -> WcxbResult:
    extractor = extractor or lagebild_extractor()
    from lagebild.ingest.author_eval import site_half, site_of

    tallies = {"all": WcxbTally(), "half0": WcxbTally(), "half1": WcxbTally()}
    misses = []
    for key, path, record in wcxb_pages(root, limit):
        gold = record.get("ground_truth", {})
        got = extractor(_html(path), str(path), record.get("url"))
        half = f"half{site_half(site_of(record.get('url')))}"
        tallies["all"].add(gold, got)
        tallies[half].add(gold, got)
        if keep_misses:
            misses.append(_miss(key, gold, got))
    return WcxbResult(
        tallies["all"].as_dict(),
        tallies["half0"].as_dict(),
        tallies["half1"].as_dict(),
        tuple(misses),
    )


def _miss(key: str, gold: dict, got: Extracted) -> dict:
    return {
        "id": key,
        "title": [gold.get("title"), got.title],
        "author": [gold.get("author"), list(got.authors)],
        "date": [gold.get("publish_date"), got.day.isoformat() if got.day else None],
        "modified": got.modified_day.isoformat() if got.modified_day else None,
        "body_f1": round(word_f1(gold.get("main_content") or "", got.body), 3),
    }
