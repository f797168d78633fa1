"""Boilerplate in article bodies of every format, not only text dumps.

Three kinds, all kept in ``Article.removed`` with their reason, so nothing ingested is lost:

- lines a rule of ``resources/ingest/<lang>/boilerplate.tsv`` names (comment prompts, share
  buttons, calls to follow or subscribe: "Abonniere den Whatsapp-Kanal …", "Suivez-nous sur
  Instagram"), for JSONL and HTML bodies as the text-dump reader does for dumps;
- a caption left in the body with its photo credit at the end ("Blick auf den Fluss …
  Foto: JOSE JORDAN / AFP", "… © Imago", "… Instagram/handle"): ``caption``, so "Valencia
  Foto" never reads as a place; a line of nothing but a credit ("© dpa"): ``photo-credit``;
- sentences that stand in for text that is gone ("Der Volltext dieses Artikels steht nicht
  mehr zur Verfügung", "This article is no longer available"): ``placeholder``;
- a bare name on the same early line of many of one outlet's articles, a different name each
  time ("Fabian Pöschl" under the lead): the outlet's byline, removed as ``byline``;
- lines one outlet prints under many different articles ("Folgst du schon 20 Minuten auf
  Whatsapp?", "Darum gehts"): ``OutletLines`` counts them per outlet across what was ingested
  (the counts live in the store's state) and removes a line once it stands under
  ``MIN_ARTICLES`` articles of the outlet that share nothing else. Updates of one story repeat
  whole paragraphs too, so articles are only counted as different when their other lines
  differ.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lagebild.ingest import rules
from lagebild.model import Article, Removed

MIN_ARTICLES = 3  # an outlet's line under this many different articles is the outlet's, not news
MAX_LINE = 400  # longer lines are paragraphs of news, whatever repeats them
KEEP_PER_OUTLET = 3000  # fingerprints remembered per outlet (the most recent)
_SENTENCE_END = (".", "!", "?", ":", "…", '"', "“", "”", "»", "«")


PLACEHOLDER_WORDS = 30  # a longer sentence that says something is gone is news about it
_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def without_placeholders(line: str) -> tuple[str, list[Removed]]:
    """``line`` without the sentences that stand in for text that is gone ("Der Volltext
    dieses … Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung"): they name the
    page's own content and say it is unavailable (``resources/ingest/<lang>/unavailable.tsv``).
    An archive prints one after the teaser it kept, so the teaser stays and the rest goes;
    a line of nothing else goes whole."""
    own, gone = rules.unavailable()
    if not gone.search(line) or not own.search(line):  # the cheap test first
        return line, []
    kept: list[str] = []
    removed: list[Removed] = []
    for sentence in _SENTENCES.split(line.strip()):
        if (
            len(sentence.split()) <= PLACEHOLDER_WORDS
            and own.search(sentence)
            and gone.search(sentence)
        ):
            removed.append(Removed(sentence, "placeholder"))
        else:
            kept.append(sentence)
    return (" ".join(kept) if removed else line), removed


# "… ein Abdriften in einen Konflikt zu vermeiden./jac/DP/he": the editors' codes a dpa-AFX
# (DP) or dpa report ends with, straight after its last sentence
_EDITOR_CODES = re.compile(r"(?<=[.!?…\"“”»«)])\s*/[a-z]{2,4}(?:/[A-Z]{2,3})?(?:/[a-z]{2,4})+\s*$")


def without_editor_codes(line: str) -> tuple[str, list[Removed]]:
    """``line`` without the agency editors' codes it ends with ("/jac/DP/he")."""
    m = _EDITOR_CODES.search(line) if "/" in line else None
    if m is None:
        return line, []
    return line[: m.start()].rstrip(), [Removed(m.group().strip(), "editor-codes")]


MAX_CAPTION = 300  # a longer line that ends in a credit is a paragraph of news, kept
_CREDIT_SEP = re.compile(r"\s*[/|,]\s*|\s+[-–]\s+|\s+")
_PARTICLES = frozenset({"von", "van", "de", "del", "der", "da", "di", "du", "la", "le", "images"})
# "… in den Armen. Instagram/bscyb_offiziell", "…TV-Spot.Youtube/@MigrosTVSpots"
_PLATFORM_CREDIT = re.compile(
    rf"^(?P<cap>.{{2,{MAX_CAPTION}}}?[.!?…\"“”»)])\s*(?P<credit>(?i:instagram|youtube|twitter|"
    r"tiktok|facebook|telegram|screenshot)\s*/\s*@?[\w.-]{2,40})$"
)
_COPYRIGHT_CREDIT = re.compile(rf"^(?P<cap>.{{0,{MAX_CAPTION}}}?)\s*©\s*(?P<credit>[^©]{{2,60}})$")


@lru_cache(maxsize=1)
def _photo_credit() -> re.Pattern[str]:
    """A line that ends in "<photo word>: <credit>" (``photo-word`` of the markers files)."""
    words = rules.markers().photo_words or "foto|photo"
    return re.compile(
        rf"^(?P<cap>.{{0,{MAX_CAPTION}}}?)[\s(\[−–-]*(?<!\w)(?:(?:{words})\s*:\s*)+"
        r"(?P<credit>[^:;!?()\[\]]{2,60}?)[)\]]?$",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _labelled_credit() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A credit after a label that introduces nothing else ("Bildrechte: …", ``credit-label``
    of the markers files): at the end of a line (a caption), or glued to the start of the next
    sentence, where it ends with its run of capitals ("Bildrechte: MDR Die Läuferin …")."""
    labels = rules.markers().credit_labels or r"(?!x)x"
    label = rf"(?<!\w)(?i:{labels})\s*:\s*"
    caps = r"(?:[A-ZÄÖÜ0-9][A-ZÄÖÜ0-9&.'-]+|[/|])"
    return (
        re.compile(
            rf"^(?P<cap>.{{0,{MAX_CAPTION}}}?)[\s(\[−–-]*{label}(?P<credit>[^:;!?()\[\]]{{2,80}}?)[)\]]?$",
            re.IGNORECASE,
        ),
        re.compile(rf"^{label}(?P<credit>{caps}(?:\s+{caps})*)\s+(?P<rest>[A-ZÄÖÜ][a-zäöüß].*)$"),
    )


def leading_credit(line: str) -> tuple[str, str] | None:
    """``(credit, rest)`` of a line that starts with a labelled credit run into its sentence."""
    m = _labelled_credit()[1].match(line.strip())
    return (m["credit"], m["rest"]) if m else None


def _credit_like(credit: str) -> bool:
    """A photographer or agency, not words of a sentence: at most six parts, each capitalised,
    a known agency, a handle or web address ("stock.adobe.com"), or a name particle."""
    if credit.rstrip().endswith((".", "!", "?", "…", ":", '"', "“", "”")):
        return False
    parts = [p for p in _CREDIT_SEP.split(credit.strip()) if p]
    agencies = {a.casefold() for a in rules.agencies()}
    return 0 < len(parts) <= 6 and all(
        p[0].isupper()
        or p[0].isdigit()
        or p[0] in "©@"
        or re.search(r"[/.@_]", p)
        or p.casefold() in agencies
        or p.casefold() in _PARTICLES
        for p in parts
    )


def caption_credit(line: str) -> tuple[str, str] | None:
    """``(caption, credit)`` of a line that ends in a photo credit (the caption may be empty:
    a line of nothing but the credit), else None."""
    text = line.strip()
    if len(text) > MAX_CAPTION + 70:
        return None
    for pattern in (_photo_credit(), _COPYRIGHT_CREDIT, _PLATFORM_CREDIT):
        m = pattern.match(text)
        if m and _credit_like(m.group("credit")):
            return m.group("cap").strip(" ,;-–−"), m.group("credit").strip()
    m = _labelled_credit()[0].match(text)
    if m and not m["credit"].rstrip().endswith((".", "!", "?", "…")):
        return m.group("cap").strip(" ,;-–−"), m.group("credit").strip()
    return None


def strip_rule_lines(lines: Sequence[str]) -> tuple[list[str], list[Removed]]:
    """``lines`` without those a boilerplate rule names (drop, drop+next, drop+rest)."""
    line_rules = rules.line_rules()
    kept: list[str] = []
    removed: list[Removed] = []
    skip_next: str | None = None
    rest: str | None = None
    for line in lines:
        text = line.strip()
        if not text:
            kept.append(line)
            continue
        if rest is not None:
            if len(text.split()) <= 5 and not text.endswith(_SENTENCE_END):
                removed.append(Removed(text, rest))
                continue
            rest = None
        if skip_next is not None:
            removed.append(Removed(text, skip_next))
            skip_next = None
            continue
        rule = next((r for r in line_rules if r.pattern.fullmatch(text)), None)
        if rule is None and (cap := caption_credit(text)) is not None:
            removed.append(Removed(text, "caption" if cap[0] else "photo-credit"))
            continue
        if rule is None and (lead := leading_credit(text)) is not None:
            removed.append(Removed(lead[0], "photo-credit"))
            line = text = lead[1]
        if rule is None:
            line, codes = without_editor_codes(line)
            line, gone = without_placeholders(line)
            removed.extend(codes + gone)
            if line.strip():
                kept.append(line)
            continue
        removed.append(Removed(text, rule.reason))
        if rule.action == "drop+next":
            skip_next = rule.reason
        elif rule.action == "drop+rest":
            rest = rule.reason
    return kept, removed


def clean_body(text: str) -> tuple[str, tuple[Removed, ...]]:
    """A body's text without rule-named boilerplate lines, and what was removed."""
    lines = text.split("\n")
    kept, removed = strip_rule_lines(lines)
    if not removed:
        return text, ()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), tuple(removed)


def fingerprint(line: str) -> str:
    """A line's identity across articles: case, digits and spacing ignored."""
    norm = re.sub(r"\d+", "0", re.sub(r"\W+", " ", line.casefold())).strip()
    return hashlib.sha1(norm.encode()).hexdigest()[:16]


def _lines(article: Article) -> list[str]:
    return [line.strip() for line in article.text.split("\n") if line.strip()]


def _signature(lines: Sequence[str], but: str) -> str:
    """What makes an article different from another: its other lines."""
    return _signatures(sorted(fingerprint(x) for x in lines), [but])[but]


def _signatures(ordered: Sequence[str], buts: Iterable[str]) -> dict[str, str]:
    """``_signature`` for each of ``buts`` from the article's sorted fingerprints, made once
    (a page of 300 lines took 90,000 fingerprints when each line made them all again)."""
    out = {}
    for but in buts:
        rest = []
        for fp in ordered:
            if fp != but:
                rest.append(fp)
                if len(rest) == 6:
                    break
        out[but] = hashlib.sha1(" ".join(rest).encode()).hexdigest()[:12]
    return out


NAME_SLOTS = 3  # the first lines of a body, where an outlet may print its byline
_SLOT = "@name-line-"  # OutletLines key: the different names seen on body line k
MAX_TOPIC_WORDS = 6  # "<topic>: <outlet line>": a topic longer than this is a sentence
_NAME_WORD = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß]+)?|[A-ZÀ-ÖØ-Þ]\.)")
_NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "da", "di", "du", "le", "la", "zu"})


def bare_name(line: str) -> bool:
    """A line that is only a person's name ("Fabian Pöschl"): two to four capitalised words,
    no digits or punctuation. Alone it may be a heading ("Neue Regeln"); only a line right
    above one of the outlet's box lines is taken as the box's byline."""
    words = line.strip().split()
    if not 2 <= len(words) <= 4:
        return False
    named = [w for w in words if w not in _NAME_PARTICLES]
    return len(named) >= 2 and all(_NAME_WORD.fullmatch(w) for w in named) and words[0] in named


@dataclass
class OutletLines:
    """Per outlet: fingerprint -> the signatures of the different articles that carried it."""

    seen: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def from_state(cls, data: Mapping[str, Any] | None) -> OutletLines:
        if not isinstance(data, Mapping):
            return cls()
        seen: dict[str, dict[str, list[str]]] = {}
        for outlet, lines in data.items():
            if isinstance(lines, Mapping):
                seen[str(outlet)] = {
                    str(k): [str(s) for s in v][:MIN_ARTICLES]
                    for k, v in lines.items()
                    if isinstance(v, list)
                }
        return cls(seen)

    def to_state(self) -> dict[str, dict[str, list[str]]]:
        return {
            outlet: dict(list(lines.items())[-KEEP_PER_OUTLET:])
            for outlet, lines in self.seen.items()
        }

    def learn(self, articles: Iterable[Article]) -> None:
        """Count the short lines of ``articles`` under their outlets."""
        for a in articles:
            if not a.outlet:
                continue
            lines = _lines(a)
            fps = [fingerprint(x) for x in lines]
            counted = {
                fp: None
                for line, fp in zip(lines, fps, strict=True)
                if len(line) <= MAX_LINE and len(line.split()) >= 2
            }
            table = self.seen.setdefault(a.outlet, {})
            for fp, sig in _signatures(sorted(fps), counted).items():
                sigs = table.setdefault(fp, [])
                if sig not in sigs and len(sigs) < MIN_ARTICLES:
                    sigs.append(sig)
            for k, line in enumerate(lines[:NAME_SLOTS]):
                if bare_name(line):  # a different name in one place of many articles: a byline
                    names = table.setdefault(f"{_SLOT}{k}", [])
                    if fingerprint(line) not in names and len(names) < MIN_ARTICLES:
                        names.append(fingerprint(line))

    def outlet_line(self, outlet: str | None, line: str) -> bool:
        """The outlet prints ``line`` under many articles, alone or after a short topic
        ("Swiss in den Sommerferien: Darum gehts" is the box heading "Darum gehts")."""
        if not outlet:
            return False
        table = self.seen.get(outlet, {})
        if len(table.get(fingerprint(line), ())) >= MIN_ARTICLES:
            return True
        head, sep, tail = line.strip().rpartition(": ")
        return (
            bool(sep)
            and 0 < len(head.split()) <= MAX_TOPIC_WORDS
            and len(table.get(fingerprint(tail), ())) >= MIN_ARTICLES
        )

    def strip(self, article: Article) -> Article:
        """``article`` without the lines its outlet prints under many articles (kept in
        ``removed``), nor a bare name line right above one (the box's byline); an article is
        never emptied by it."""
        lines = article.text.split("\n")
        drop = [i for i, x in enumerate(lines) if x.strip() and self.outlet_line(article.outlet, x)]
        reasons = dict.fromkeys(drop, "outlet-repeated")
        table = self.seen.get(article.outlet or "", {})
        filled = [i for i, x in enumerate(lines) if x.strip()][:NAME_SLOTS]
        for k, i in enumerate(filled):
            if len(table.get(f"{_SLOT}{k}", ())) >= MIN_ARTICLES and bare_name(lines[i]):
                reasons[i] = "byline"
        if not reasons or len(reasons) >= len([x for x in lines if x.strip()]):
            return article
        for i in drop:
            above = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
            if above is not None and above not in reasons and bare_name(lines[above]):
                reasons[above] = "byline"
        if len(reasons) >= len([x for x in lines if x.strip()]):
            return article
        text = "\n".join(x for i, x in enumerate(lines) if i not in reasons)
        removed = tuple(Removed(lines[i].strip(), reasons[i]) for i in sorted(reasons))
        return dataclasses.replace(
            article,
            text=re.sub(r"\n{3,}", "\n\n", text).strip(),
            removed=(*article.removed, *removed),
        )


STATE_KEY = "ingest.outlet_lines"

__all__ = [
    "MIN_ARTICLES",
    "STATE_KEY",
    "OutletLines",
    "bare_name",
    "caption_credit",
    "clean_body",
    "fingerprint",
    "strip_rule_lines",
    "without_editor_codes",
    "without_placeholders",
]
