"""Full-text search: one query language and one function for the CLI, the web and the API.

A query is words (all must occur), ``"a phrase"``, ``prefix*``, ``A OR B`` and ``-word`` or
``-"a phrase"`` (excluded). Diacritics and case never matter: the index (``articles_search``,
FTS5 with ``remove_diacritics 2``, migration 9) folds Erdoğan to erdogan and München to
munchen, and a typed umlaut spelling (Muenchen) or ss for ß (Strasse) also looks for the
letter it stands for. ``search`` returns the true number of hits, one page of them and a
snippet of each, cut at word boundaries, with the matched words marked.
"""

from __future__ import annotations

import base64
import binascii
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lagebild.errors import StoreError
from lagebild.model import Article
from lagebild.store.codec import decode_article
from lagebild.text.fold import fold, spellings

if TYPE_CHECKING:
    from lagebild.store.sqlite import Store

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
SORTS = ("relevance", "latest")


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    prefix: bool = False  # the last word may go on


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group must match (a group is alternatives joined by OR); no
    excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def fts(self) -> str:
        """The FTS5 MATCH expression."""
        pos = " AND ".join(
            "(" + " OR ".join(_fts_term(t) for t in group) + ")" for group in self.groups
        )
        if self.excluded:
            pos = f"({pos}) NOT ({' OR '.join(_fts_term(t) for t in self.excluded)})"
        return pos

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(t for g in self.groups for t in g)


def parse(query: str) -> Query:
    """The ``Query`` of what a user typed; a query that finds nothing by its form is an error."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    negate_next = False
    for m in _TOKEN.finditer(query):
        neg, phrase, raw = m.group(1), m.group(2), m.group(3)
        if raw is not None and raw in ("OR", "|"):
            join_next = bool(groups)
            continue
        if raw is not None and raw in ("AND", "&"):
            continue
        if raw == "NOT":
            negate_next = True
            continue
        if phrase is not None:
            term = _term(phrase, prefix=False)
        else:
            neg = "-" if raw.startswith("-") and len(raw) > 1 else ""
            word = raw[1:] if neg else raw
            term = _term(word.rstrip("*"), prefix=word.endswith("*"))
        if term is None:
            continue
        if neg or negate_next:
            excluded.append(term)
            negate_next = join_next = False
            continue
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        if excluded:
            raise StoreError(f"{query!r} only excludes: give at least one word to find")
        raise StoreError(f"{query!r} has no word to search for")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _term(text: str, prefix: bool) -> Term | None:
    words = tuple(_WORD.findall(text))
    return Term(words, prefix) if words else None


def _fts_term(term: Term) -> str:
    """A term in FTS5 syntax, with the spellings a single word may stand for."""
    if len(term.words) > 1:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")
    forms = _forms(term.words[0])
    star = "*" if term.prefix else ""
    alts = [f'"{f}"{star}' for f in forms]
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def _forms(word: str) -> tuple[str, ...]:
    """A word's spellings as the index holds them (diacritics folded by FTS5, ß kept)."""
    out = list(spellings(word))
    out += [f.replace("ss", "ß") for f in out if "ss" in f]
    return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------------- running


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    marks: tuple[tuple[int, int], ...]  # spans of matched words in ``text``

    def bracketed(self) -> str:
        """The snippet with matched words in [brackets] (the CLI's and exports' form)."""
        out, last = [], 0
        for s, e in self.marks:
            out += [self.text[last:s], "[", self.text[s:e], "]"]
            last = e
        return "".join([*out, self.text[last:]])


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    snippet: Snippet
    title_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: Query
    total: int
    hits: tuple[Hit, ...]
    next_cursor: str | None


def search(
    store: Store,
    text: str,
    *,
    limit: int = 20,
    cursor: str | None = None,
    story_id: str | None = None,
    article_ids: Sequence[str] | None = None,
    sort: str = "relevance",
) -> SearchPage:
    """Articles matching ``text`` (within one story when ``story_id``, among ``article_ids``
    when given), best or latest first. Alerts ask this too, so an alert's query means what a
    search means."""
    if sort not in SORTS:
        raise StoreError(f"unknown sort {sort!r} (one of: {', '.join(SORTS)})")
    q = parse(text)
    where, args = "articles_search MATCH ?", [q.fts()]
    if story_id is not None:
        where += (
            " AND articles_search.rowid IN (SELECT a.seq FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?)"
        )
        args.append(story_id)
    if article_ids is not None:
        marks = ",".join("?" * len(article_ids))
        where += f" AND articles_search.rowid IN (SELECT seq FROM articles WHERE id IN ({marks}))"
        args.extend(article_ids)
    offset = _offset(cursor)
    order = "rank, a.seq" if sort == "relevance" else "COALESCE(a.published, '') DESC, a.seq DESC"
    db = store.db
    try:
        total = db.execute(f"SELECT COUNT(*) FROM articles_search WHERE {where}", args).fetchone()[
            0
        ]
        rows = (
            db.execute(
                "SELECT a.title, a.text, a.data, a.id, a.source, a.format, a.url, a.outlet,"
                " a.published, a.language FROM articles_search"
                " JOIN articles a ON a.seq = articles_search.rowid"
                f" WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
            if limit > 0
            else []
        )
    except sqlite3.OperationalError as exc:
        raise StoreError(f"bad search query {text!r}: {exc}") from exc
    hits = []
    for r in rows:
        art = decode_article(r["title"], r["text"], r["data"], r, store.text_dict)
        hits.append(Hit(art, snippet(art.text, q), tuple(find(art.title, q))))
    more = offset + len(rows) < total
    nxt = _encode(offset + len(rows)) if more and rows else None
    return SearchPage(q, int(total), tuple(hits), nxt)


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith("o") and raw[1:].isdigit():
            return int(raw[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise StoreError(f"bad cursor {cursor!r}: take it from a page's next link")


# ---------------------------------------------------------------------- snippets


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` folded as the index folds it, and for each folded character its offset in
    ``text`` (folding may change lengths: ß → ss, ligatures)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch) if not ch.isascii() else ch.lower()
        if not f and unicodedata.combining(ch):
            continue
        for c in f:
            out.append(c)
            where.append(i)
    return "".join(out), where


def _pattern(term: Term) -> str:
    parts = []
    for w in term.words:
        forms = sorted({fold(f) for f in _forms(w)}, key=len, reverse=True)
        parts.append("(?:" + "|".join(re.escape(f) for f in forms) + ")")
    body = r"\W+".join(parts)
    tail = r"\w*" if term.prefix else r"(?!\w)"
    return rf"(?<!\w){body}{tail}"


def find(text: str, q: Query) -> list[tuple[int, int]]:
    """Spans of ``text`` that the query's wanted terms match, in order, not overlapping."""
    if not text:
        return []
    folded, where = _folded_with_offsets(text)
    rx = re.compile("|".join(f"(?:{_pattern(t)})" for t in q.terms))
    spans = []
    for m in rx.finditer(folded):
        if m.end() > m.start():
            spans.append((where[m.start()], where[m.end() - 1] + 1))
    return spans


def snippet(text: str, q: Query, width: int = 220) -> Snippet:
    """About ``width`` characters of ``text`` around its best stretch of hits, cut between
    words, with '…' where text is left out."""
    spans = find(text, q)
    if not spans:
        start, end = 0, min(len(text), width)
    else:
        best, best_n = spans[0][0], 0
        for s, _ in spans:  # the window holding the most hits, the earliest of equals
            n = sum(1 for a, b in spans if s <= a and b <= s + width)
            if n > best_n:
                best, best_n = s, n
        start = max(0, best - width // 4)
        end = min(len(text), start + width)
    start = _word_start(text, start)
    end = _word_end(text, end)
    piece = text[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(lead) - start
    marks = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    clean = (lead + piece + tail).replace("\n", " ")
    return Snippet(clean, marks)


def _word_start(text: str, i: int) -> int:
    if i <= 0:
        return 0
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


__all__ = ["Hit", "Query", "SearchPage", "Snippet", "find", "parse", "search", "snippet"]
