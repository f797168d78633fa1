"""Scraped text dumps: title on the first line, then body mixed with page furniture.

The cleaner classifies every line (boilerplate, byline, author box, caption, agency credit,
aggregator tag, body) with general rules from ``resources/ingest/<lang>/``; everything that is
not body is kept in ``Article.removed`` (or ``captions``), so nothing read is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest import rules
from lagebild.ingest.boilerplate import without_editor_codes, without_placeholders
from lagebild.ingest.decode import decode_text
from lagebild.ingest.lang import detect
from lagebild.model import Article, Removed, article_id

_UNIX_SLUG = re.compile(r"^(?P<ts>\d{9,11})(?:\s+(?P<slug>\S.*))?$")
_AGGREGATOR_TAG = re.compile(r"^[a-z]{2,8}(?:-[a-z]{2,8})*-\d{1,6}$")
_FOOTER = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}\s+)?(?P<name>[^©\d|]{3,60}?)"
    r"(?:,?\s+(?:19|20)\d{2})?(?:[.,]?\s*(?:alle rechte vorbehalten|all rights reserved)\.?)?$",
    re.IGNORECASE,
)
_TRAILING_CREDIT = re.compile(r"\s*\((?P<credit>[^()]{2,40})\)\s*$")
_DATELINE_CREDIT = re.compile(r"^[A-ZÄÖÜ][\w .'/-]{1,40}?\s*\((?P<credit>[^()]{2,40})\)\s*[-–—]\s")
_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜÉ][\w'’.-]*$")
_CREDIT_TOKEN = (
    r"[A-ZÄÖÜa-zäöü][\w.&'-]*"  # lower case for agencies ("dpa"), checked by _credit_like
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = (".", "!", "?", "…", "“", '"', "»", ")")


@dataclass(slots=True)
class _Caption:
    text: str  # caption without its credit
    credit: str
    alt: bool = False


@dataclass(slots=True)
class _State:
    body: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outlet: str | None = None

    def drop(self, line: str, reason: str) -> None:
        self.removed.append(Removed(line, reason))

    def add_agencies(self, names: list[str]) -> None:
        for name in names:
            if name not in self.agencies:
                self.agencies.append(name)


def read_text_dump(data: bytes, source: str, config: Config | None = None) -> Article | Rejection:
    """The article in one text dump, or a Rejection saying why there is none."""
    config = config or Config()
    raw = decode_text(data)
    lines = [ln.strip() for ln in raw.split("\n")]
    nonempty = [i for i, ln in enumerate(lines) if ln]
    if not nonempty:
        return Rejection(source, "ingest", "empty file")
    title = lines[nonempty[0]]
    state = _State()
    published, rest = _published(lines[nonempty[0] + 1 :], state)
    _clean(rest, state)
    text = "\n\n".join(state.body)
    if len(text) < config.ingest.min_body_chars:
        return Rejection(
            source,
            "ingest",
            f"only {len(text)} characters of article text after cleaning "
            f"(minimum {config.ingest.min_body_chars})",
        )
    return Article(
        id=article_id(title, text),
        title=title,
        text=text,
        source=source,
        format="text",
        outlet=state.outlet,
        authors=tuple(state.authors),
        agencies=tuple(state.agencies),
        published=published,
        published_source="unix-slug" if published else None,
        language=detect(f"{title}\n{text}", config),
        captions=tuple(state.captions),
        removed=tuple(state.removed),
        raw=raw,
    )


def _published(lines: list[str], state: _State) -> tuple[datetime | None, list[str]]:
    """A leading ``<unix timestamp> <url slug>`` line (within the first three) as the date."""
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        m = _UNIX_SLUG.match(line)
        if m:
            ts = int(m.group("ts"))
            if 946_684_800 <= ts <= 4_102_444_800:  # 2000-01-01 .. 2100-01-01
                state.drop(line, "timestamp-slug")
                return datetime.fromtimestamp(ts, UTC), lines[:i] + lines[i + 1 :]
        if seen >= 3:
            break
    return None, lines


def _clean(lines: list[str], state: _State) -> None:
    captions = _find_captions(lines)
    line_rules = rules.line_rules()
    markers = rules.markers()
    known_agencies = rules.agencies()
    seen_captions: set[str] = set()
    body_lines_seen = 0
    skip_next = False
    drop_rest_reason: str | None = None
    author_box = False
    for i, line in enumerate(lines):
        if not line:
            continue
        if drop_rest_reason:
            if _tag_like(line) and not _footer_outlet(line):
                state.drop(line, drop_rest_reason)
                continue
            drop_rest_reason = None
        if skip_next:
            state.drop(line, "browser-notice")
            skip_next = False
            continue
        if author_box:
            author_box = False
            state.drop(line, "author-box")
            name = _leading_name(line)
            if name and name not in state.authors:
                state.authors.append(name)
            found = next((m for p in markers.works_for if (m := p.search(line))), None)
            if found and not state.outlet:  # "… berichtet für die Elbe-Zeitung …"
                state.outlet = found.group("outlet").rstrip(".")
            continue
        if i in captions:
            cap = captions[i]
            key = _norm(cap.text)
            if key not in seen_captions:
                seen_captions.add(key)
                state.captions.append(f"{cap.text} ({cap.credit})" if cap.credit else cap.text)
            state.drop(line, "image-alt" if cap.alt else "caption")
            continue
        rule = next((r for r in line_rules if r.pattern.fullmatch(line)), None)
        if rule is not None:
            state.drop(line, rule.reason)
            skip_next = rule.action == "drop+next"
            if rule.action == "drop+rest":
                drop_rest_reason = rule.reason
            continue
        footer = _footer_outlet(line)
        if footer:
            state.drop(line, "copyright-footer")
            state.outlet = state.outlet or footer
            continue
        if _AGGREGATOR_TAG.match(line):
            state.drop(line, "aggregator-tag")
            continue
        if any(p.match(line) for p in markers.author_box):
            state.drop(line, "author-box")
            author_box = True
            continue
        if body_lines_seen < 4:
            names = _byline(line, markers.byline)
            if names:
                state.drop(line, "byline")
                state.authors.extend(n for n in names if n not in state.authors)
                continue
        credit = agency_credit(line, known_agencies)
        if credit is not None:
            agencies, rest = credit
            state.add_agencies(agencies)
            state.drop(line[len(rest) :].strip(), "agency-credit")
            line = rest
            if not line:
                continue
        line, codes = without_editor_codes(line)
        line, gone = without_placeholders(line)
        state.removed.extend(codes + gone)
        if not line:
            continue
        m = _DATELINE_CREDIT.match(line)
        if m:
            state.add_agencies(_agencies_in(m.group("credit"), known_agencies))
        state.body.append(_typography(line))
        body_lines_seen += 1


def _find_captions(lines: list[str]) -> dict[int, _Caption]:
    """Caption lines by index: lines ending in a photo credit, their alt text and doubles."""
    credit_words = rules.markers().credit_words
    agencies = rules.agencies()
    found: dict[int, _Caption] = {}
    for i, line in enumerate(lines):
        if _footer_outlet(line):
            continue
        cap = _split_credit(line, credit_words, agencies)
        if cap is not None:
            found[i] = cap
    # a caption printed again elsewhere without its credit is still the caption
    texts = {_norm(c.text): c for c in found.values() if c.text}
    for i, line in enumerate(lines):
        if i not in found and line and _norm(line) in texts:
            found[i] = texts[_norm(line)]
    for i in sorted(found):
        j = _prev_nonempty(lines, i)
        if j is None or j in found:
            continue
        prev = lines[j]
        if _norm(prev) == _norm(found[i].text):
            found[j] = found[i]  # the same caption printed twice, once without its credit
        elif _alt_text_like(prev):
            found[j] = _Caption(prev, "", alt=True)  # image description above its caption
    return found


def _split_credit(line: str, credit_words: str, agencies: frozenset[str]) -> _Caption | None:
    """The caption and credit of a line that ends in a photo credit, else None."""
    tail = line[-80:]
    if (
        "©" not in tail
        and "/" not in tail
        and not re.search(credit_words, tail, re.IGNORECASE)
        and not any(tail.endswith(a) for a in agencies)
    ):
        return None
    m = re.match(r"^(?P<cap>.*?)\s*©\s*(?P<credit>[^©]{2,80})$", line)
    if m:
        return _Caption(m.group("cap").strip(), m.group("credit").strip())
    credit = rf"{_CREDIT_TOKEN}(?:\s*[/,]\s*{_CREDIT_TOKEN})*(?:\s+{_CREDIT_TOKEN})?"
    m = re.match(rf"^(?P<cap>.*?[.!?…]?)\s*(?i:{credit_words})\s*:?\s+(?P<credit>{credit})$", line)
    if (
        m
        and len(m.group("credit")) <= 50
        and _credit_like(m.group("credit"), agencies)
        and (not m.group("cap") or m.group("cap").endswith((".", "!", "?", "…")))
    ):
        return _Caption(m.group("cap").strip(), m.group("credit").strip())
    m = re.match(rf"^(?P<cap>.+[.!?])(?P<credit>{credit})$", line)
    if m and ("/" in m.group("credit") or m.group("credit") in agencies):
        return _Caption(m.group("cap").strip(), m.group("credit").strip())
    return None


def _footer_outlet(line: str) -> str | None:
    """The publisher in a copyright footer ("© 2026 Rheinischer Kurier"), which needs a year
    or a rights notice to be told apart from a photo credit ("© Reuters")."""
    m = _FOOTER.match(line)
    if not m or not re.search(r"(?:19|20)\d{2}|rechte|rights", line, re.IGNORECASE):
        return None
    return m.group("name").strip(" .,-–")


def _alt_text_like(line: str) -> bool:
    """An image description printed above its caption: short, unpunctuated, not furniture."""
    if line.endswith(_SENTENCE_END) or len(line) >= 200 or _tag_like(line):
        return False
    m = rules.markers()
    if any(p.match(line) for p in (*m.byline, *m.author_box)):
        return False
    return not any(r.pattern.fullmatch(line) for r in rules.line_rules())


def _credit_like(credit: str, agencies: frozenset[str]) -> bool:
    parts = [p.strip() for p in re.split(r"[/,]|\s+", credit) if p.strip()]
    return (
        all(p in agencies or p.isupper() or _NAME_TOKEN.match(p) for p in parts) and len(parts) <= 5
    )


def agency_credit(line: str, agencies: frozenset[str]) -> tuple[list[str], str] | None:
    """``(agencies, rest of line)`` for a trailing credit like ``(APA/Reuters)``, else None."""
    m = _TRAILING_CREDIT.search(line)
    if not m:
        return None
    found = _agencies_in(m.group("credit"), agencies)
    if not found:
        return None
    return found, line[: m.start()].rstrip()


def _agencies_in(credit: str, agencies: frozenset[str]) -> list[str]:
    parts = [p.strip() for p in re.split(r"[/,;]|\s+und\s+|\s+and\s+", credit) if p.strip()]
    return [p for p in parts if p in agencies]


def byline_names(line: str) -> list[str]:
    """The names of a byline ("Von Michael Kläsgen und Uwe Ritzer", "By Jane Doe"), in any
    language the marker files know; [] when ``line`` is no byline."""
    return _byline(" ".join(line.split()), rules.markers().byline)


def _byline(line: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    for pattern in patterns:
        m = pattern.match(line)
        if not m:
            continue
        names = [n.strip() for n in re.split(r",|\s+und\s+|\s+and\s+|&", m.group("names"))]
        if names and all(_is_name(n) for n in names):
            return names
    return []


def _is_name(text: str) -> bool:
    tokens = text.split()
    return 2 <= len(tokens) <= 4 and all(_NAME_TOKEN.match(t) and len(t) <= 25 for t in tokens)


def _leading_name(line: str) -> str | None:
    """The capitalised words a bio starts with: "Tom Vennink schreibt …" -> "Tom Vennink"."""
    tokens = []
    for tok in line.split():
        if _NAME_TOKEN.match(tok) and not tok.endswith((".", ",")):
            tokens.append(tok)
        else:
            break
    if 2 <= len(tokens) <= 4:
        return " ".join(tokens)
    return None


def _tag_like(line: str) -> bool:
    """A short line without sentence punctuation (topic tags, link lists)."""
    return len(line.split()) <= 5 and not line.endswith(_SENTENCE_END)


def _prev_nonempty(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 3), -1):
        if lines[j]:
            return j
    return None


def _typography(line: str) -> str:
    """No-break spaces as spaces, zero-width characters gone: rules and search see plain text."""
    return _INVISIBLE.sub("", line.replace("\xa0", " ").replace("\u202f", " "))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()
