"""Which article title can stand for a story: a headline, not a photo credit.

A story is named after the headline that stands for it best: of its reports' titles of the
best kind, the one made most of the words its reports share (``stands_for``), the earliest
dated report's when they weigh the same. Some inputs give a photo credit, a byline or
nothing as an article's title (a scraped page whose title tag held the picture's credit,
"Alberto Saiz/AP"); such a title is replaced by the first real headline that joins. Others give a sentence of the text (a search snippet, a lead: "Das teilte das
Unternehmen am Dienstag in Essen mit."): a headline set as one, from any report, names the
story before such a sentence does, unless none of its words is in another report (a
caption or a subheading given as the page's title: "Filialen auch in Berlin und Brandenburg"
for an insolvency).
Others give a kicker, a section or a page label ("Politik", "Anzeige", "+", "World News")
while the headline is the first line of the text: a story takes that line (or the lead's
first sentence) instead, so a single-article story is not listed as "+".
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache

from lagebild.ingest import rules
from lagebild.ingest.boilerplate import caption_credit
from lagebild.ingest.html_dates import month_names, text_dates_at
from lagebild.ingest.textdump import byline_names
from lagebild.model import headline

_NAME_PART = re.compile(r"^[A-ZÄÖÜ][\w.'’-]*$")
# A line set as a headline: no sentence end of its own, at most a question or exclamation.
_HEADLINE_LINE = re.compile(r"[^.;,…]$")


@cache
def _agencies() -> frozenset[str]:
    """Agencies and picture services a credit names after its slash."""
    return frozenset(a.casefold() for a in rules.agencies()) | {"getty images", "imago"}


def _credit(title: str) -> bool:
    """ "Alberto Saiz/AP", "Michael Kappeler/dpa", "AFP/Getty Images", "Foto: dpa"."""
    if caption_credit(title) is not None:
        return True
    parts = [p.strip() for p in title.split("/")]
    if len(parts) < 2 or parts[-1].casefold() not in _agencies():
        return False
    names = " ".join(parts[:-1]).split()
    return 0 < len(names) <= 5 and all(_NAME_PART.match(w) for w in names)


_WORD = re.compile(r"[^\W\d_]{3,}")


def _dateline(text: str) -> bool:
    """A page's date line given as its title: "Nov 15, 2023", "München, 30.12.2020 | 08:49 |
    soe" (a date and at most two other words: a place, an editor's initials)."""
    if not text_dates_at(text):
        return False
    months = month_names()
    return sum(w.casefold() not in months for w in _WORD.findall(text)) <= 2


# A page title's separators left over at its end when the site's name was cut off: "… |".
_TRAILING_SEPARATORS = " |–—·•:"


@lru_cache(maxsize=8192)
def reads_as_headline(title: str) -> bool:
    """Whether ``title`` can name a story: some words, and not a photo credit (a caption with
    its credit: "Soldaten bei der Aufräumarbeit. (Foto: Independent) |"), a byline, a date
    line or a line the cleaner drops as boilerplate ("per Mail teilen")."""
    text = " ".join(title.split()).rstrip(_TRAILING_SEPARATORS)
    return (
        len(text.split()) >= 2
        and not _credit(text)
        and not byline_names(text)
        and not _dateline(text)
        and not any(r.pattern.fullmatch(text) for r in rules.line_rules())
    )


# A full stop after a word of three letters or more, then the next sentence: "Magdeburg. Die
# lebenslange Haftstrafe …" (not "Nr. 1", "3. Liga", "U.S. Army").
_SENTENCE_INSIDE = re.compile(r"\w{3,}[.!?]\s+[\"„“«(]?[A-ZÄÖÜ]")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def _credited(text: str) -> bool:
    """A picture credit inside a title: "… jede Spur. REUTERS/YULIA MOROZOVA", "(AP / Martin
    Meissner)", a link to the picture."""
    if _URL.search(text):
        return True
    parts = text.split("/")
    for left, right in itertools.pairwise(parts):
        beside = (left.split() or [""])[-1], (right.split() or [""])[0]
        if any(w.strip("()[],.:;").casefold() in _agencies() for w in beside):
            return True
    return False


@lru_cache(maxsize=8192)
def title_rank(title: str) -> int:
    """How well ``title`` names a story: 2 set as a headline; 1 a title that reads like text
    (a sentence or a cut teaser ending in a full stop or "…", a lead paragraph of several
    sentences or over 20 words, a lower-case start such as a share button's "per Mail
    teilen", a picture credit or a link inside); 0 no headline at all (a credit, a byline,
    one word)."""
    text = " ".join(title.split())
    if not reads_as_headline(text):
        return 0
    if (
        not _HEADLINE_LINE.search(text)
        or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"„“«'")
        or len(text.split()) > 20
        or _SENTENCE_INSIDE.search(text)
        or _credited(text)
    ):
        return 1
    return 2


def takes_title(
    new: str, old: str, *, earliest: bool, weigh: Callable[[str], float] | None = None
) -> bool:
    """Whether a story named ``old`` is named ``new`` instead: a better kind of title from any
    report, an equal one from the earliest dated report (``earliest``).

    With ``weigh`` (how much of the story a title carries, ``stands_for``), of two titles of
    one kind the one that weighs more, and a headline that weighs nothing (no word of it in
    another report: a photo caption, a subheading) counts as no more than a lead sentence.
    Picking the earliest report's headline named real-dev's stories "Berichte über
    Verschüttete" (a quake), "Der Angeklagte bei Gericht" (a trial) or "Filialen auch in
    Berlin und Brandenburg" (an insolvency) where that page gave a caption as its title and
    the others their leads."""
    a, b = title_rank(new), title_rank(old)
    if weigh is not None and new != old and a > 0 and b > 0:
        wn, wo = weigh(new), weigh(old)
        ka, kb = (1 if a == 2 and wn <= 0.0 else a), (1 if b == 2 and wo <= 0.0 else b)
        if ka != kb:
            return ka > kb
        if abs(wn - wo) > 1e-9 * max(wn, wo):
            return wn > wo
    return a > b or (a == b and earliest)


def stands_for(terms: Iterable[str], weights: Mapping[str, float]) -> float:
    """How well a title of these ``terms`` stands for a story whose words weigh ``weights``:
    their sum over the title's terms divided by the root of their number (a cosine up to the
    story's norm, which all of one story's titles share): a title of the words the story's
    reports share, not one of a caption's own words or a long lead's many."""
    ts = set(terms)
    return sum(weights.get(t, 0.0) for t in ts) / math.sqrt(len(ts)) if ts else 0.0


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return " ".join(line.split())
    return ""


def story_title(title: str, text: str) -> str:
    """The title that names a story for an article: its own when that reads as a headline
    and is more than a two-word label, else the first line of its text when that is set as
    a headline (4-25 words, no full stop of its own). The article keeps its own title."""
    if reads_as_headline(title) and len(title.split()) >= 3:
        return title
    line = _first_line(text)
    if 4 <= len(line.split()) <= 25 and _HEADLINE_LINE.search(line):
        return line
    return title


def lead_title(title: str, text: str) -> str:
    """What names a story when none of its titles reads as a headline: the lead's first
    sentence, cut for a heading ("" when ``title`` is a headline or there is no text)."""
    if reads_as_headline(title):
        return ""
    return headline(_first_line(text), sentence=True)


__all__ = [
    "lead_title",
    "reads_as_headline",
    "stands_for",
    "story_title",
    "takes_title",
    "title_rank",
]
