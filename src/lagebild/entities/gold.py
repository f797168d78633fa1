"""The source texts the canonicalisation gold points into, read from ../shared at run time.

The gold (``eval/entities/canon-gold.tsv``, docs/entities-canon-gold.md) stores only our
annotation: source, article key, character offsets into the source text *as it is in
../shared*, a digest of the span and the entity it names. This module rebuilds each
article from ../shared, maps the offsets of lagebild's analysis (into the cleaned text or
a caption) back to those source offsets, and checks that every gold span still lines up.

Sources and what their offsets count in:
- ``10kgnad``: ``data/stories/10kgnad/test.csv``, key = 0-based row; the text field.
- ``20min-xd``: ``data/stories/20min-xd/val_set.tsv``, key = ``de-<id_de>`` / ``fr-<id_fr>``;
  the ``content_de`` / ``content_fr`` field with its markup.
- ``spkatt``: ``data/quotes/spkatt2023-task2/train/``, key = the number the file name starts
  with; the tokens of each sentence joined by one space, sentences joined by a newline.
- ``seeds``: ``seeds/<key>_*.txt``, key = "000".."004"; the file as read (UTF-8).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import html
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lagebild.config import Config
from lagebild.model import Article, Mention, article_id

SOURCES = ("10kgnad", "20min-xd", "spkatt", "seeds")


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One annotated mention: where it is in the source and which entity it names."""

    source: str
    key: str
    start: int
    end: int
    check: str  # digest of the source span, so a changed source is noticed
    entity: str  # our key of the entity, unique across the gold ("Wien", "Flughafen Wien")
    type: str  # PER, ORG, LOC, OTH

    @property
    def doc(self) -> tuple[str, str]:
        return (self.source, self.key)


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One gold article: its source text, the article lagebild reads from it, offset maps."""

    source: str
    key: str
    raw: str  # the source text the gold offsets count in
    article: Article
    body_map: tuple[int, ...]  # article.text offset -> raw offset (len(text) + 1 entries)
    caption_maps: tuple[tuple[int, ...], ...] = ()  # the same per caption

    def to_source(self, m: Mention) -> tuple[int, int]:
        """The raw offsets of a mention of this article (body text or caption)."""
        cap = getattr(m, "caption", None)
        table = self.body_map if cap is None else self.caption_maps[cap]
        return table[m.start], table[max(m.start, m.end - 1)] + 1


def digest(span: str) -> str:
    """The check value stored beside a gold span: 8 hex digits of its SHA-1."""
    return hashlib.sha1(span.encode("utf-8")).hexdigest()[:8]


def read_gold(path: str | Path) -> list[GoldMention]:
    """Gold rows of a TSV file (``#`` comments and the header skipped)."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("source\t"):
            continue
        cols = line.split("\t")
        if len(cols) != 7:
            raise ValueError(f"{path}:{n}: expected 7 tab-separated columns, got {len(cols)}")
        source, key, start, end, check, entity, typ = cols
        if source not in SOURCES:
            raise ValueError(f"{path}:{n}: unknown source {source!r} (one of {SOURCES})")
        out.append(GoldMention(source, key, int(start), int(end), check, entity, typ))
    return out


def read_apart(path: str | Path) -> list[tuple[str, str]]:
    """Entity pairs the gold says must stay apart (``#apart<TAB>A<TAB>B`` lines)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#apart\t"):
            _, a, b = line.split("\t")
            out.append((a, b))
    return out


def split_of(source: str, key: str) -> str:
    """The half an article belongs to: "tune" or "test", fixed by a hash of its key."""
    h = int(hashlib.sha1(f"{source}:{key}".encode()).hexdigest(), 16)
    return "tune" if h % 2 == 0 else "test"


# ---------------------------------------------------------------------------- sources


@cache
def _gnad(path: Path) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as fh:
        return tuple(";".join(r[1:]) for r in csv.reader(fh, delimiter=";", quotechar="'"))


@cache
def _twenty(path: Path) -> dict[str, dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    out: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for lang in ("de", "fr"):
                out[f"{lang}-{row[f'id_{lang}']}"] = {
                    "lang": lang,
                    "title": row[f"head_{lang}"],
                    "content": row[f"content_{lang}"],
                    "outlet": row[f"medium_name_{lang}"],
                }
    return out


def _spkatt_text(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join(" ".join(s["Tokens"]) for s in data["Sentences"])


def _identity(n: int) -> tuple[int, ...]:
    return tuple(range(n + 1))


_TAG = re.compile(r"<(/?)(\w+)[^>]*>|&\w+;|&#\d+;")
_BREAKS = frozenset({"p", "ld", "zt", "br", "h2", "h3", "li"})


def strip_markup(raw: str) -> tuple[str, tuple[int, ...]]:
    """Text of a 20min-xd content field (tags dropped, paragraphs as blank lines, entities
    decoded) with the offset map text -> raw."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _TAG.finditer(raw):
        for i in range(pos, m.start()):
            out.append(raw[i])
            where.append(i)
        tok = m.group(0)
        if tok.startswith("&"):
            ch = html.unescape(tok)
            out.append(ch if len(ch) == 1 else " ")
            where.append(m.start())
        elif m.group(2).lower() in _BREAKS:
            out.extend("\n\n")
            where.extend((m.start(), m.start()))
        else:
            out.append(" ")
            where.append(m.start())
        pos = m.end()
    for i in range(pos, len(raw)):
        out.append(raw[i])
        where.append(i)
    where.append(len(raw))
    return "".join(out), tuple(where)


def align(text: str, raw: str) -> tuple[int, ...]:
    """An offset map text -> raw for a text made from ``raw`` by cleaning (difflib blocks;
    offsets between blocks go to the next matched raw offset)."""
    table = [-1] * (len(text) + 1)
    sm = difflib.SequenceMatcher(None, text, raw, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            table[a + k] = b + k
    nxt = len(raw)
    for i in range(len(text), -1, -1):
        if table[i] < 0:
            table[i] = nxt
        else:
            nxt = table[i]
    return tuple(table)


def load_source(shared: Path, source: str, key: str, config: Config | None = None) -> SourceDoc:
    """The gold article ``(source, key)`` rebuilt from ../shared."""
    config = config or Config()
    if source == "10kgnad":
        raw = _gnad(shared / "data/stories/10kgnad/test.csv")[int(key)]
        title = re.split(r"(?<=[.!?])\s+", raw, maxsplit=1)[0][:200]
        art = _article(source, key, title, raw, "de", outlet=f"10kgnad-{key}")
        return SourceDoc(source, key, raw, art, _identity(len(raw)))
    if source == "20min-xd":
        row = _twenty(shared / "data/stories/20min-xd/val_set.tsv")[key]
        raw = row["content"]
        text, table = strip_markup(raw)
        art = _article(source, key, row["title"], text, row["lang"], outlet=row["outlet"])
        return SourceDoc(source, key, raw, art, table)
    if source == "spkatt":
        folder = shared / "data/quotes/spkatt2023-task2/train"
        path = next(folder.glob(f"{key} - *.json"))
        raw = _spkatt_text(path)
        title = path.stem.split(" - ", 1)[1].rsplit(" (", 1)[0]
        art = _article(source, key, title, raw, "de", outlet="wikinews")
        return SourceDoc(source, key, raw, art, _identity(len(raw)))
    if source == "seeds":
        from lagebild.ingest.textdump import read_text_dump

        path = next((shared / "seeds").glob(f"{key}_*.txt"))
        data = path.read_bytes()
        raw = data.decode("utf-8")
        art = read_text_dump(data, str(path), config)
        return SourceDoc(
            source,
            key,
            raw,
            art,
            align(art.text, raw),
            tuple(align(c, raw) for c in art.captions),
        )
    raise ValueError(f"unknown gold source {source!r}")


def _article(source: str, key: str, title: str, text: str, lang: str, outlet: str) -> Article:
    text = text.replace("\r\n", "\n")
    return Article(
        id=article_id(f"{source}:{key}", text),
        title=title,
        text=text,
        source=f"{source}:{key}",
        format="jsonl",
        outlet=outlet,
        language=lang,
    )


def misaligned(gold: Iterable[GoldMention], docs: dict[tuple[str, str], SourceDoc]) -> list[str]:
    """Gold rows whose span no longer matches its digest (the source changed under them)."""
    bad = []
    for g in gold:
        doc = docs.get(g.doc)
        span = doc.raw[g.start : g.end] if doc else ""
        if doc is None or digest(span) != g.check:
            bad.append(f"{g.source}:{g.key} {g.start}-{g.end} ({g.entity}): span {span!r} changed")
    return bad


__all__ = [
    "SOURCES",
    "GoldMention",
    "SourceDoc",
    "align",
    "digest",
    "load_source",
    "misaligned",
    "read_apart",
    "read_gold",
    "split_of",
    "strip_markup",
]
