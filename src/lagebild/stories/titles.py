"""Which article title can stand for a story: a headline, not a photo credit.

A story is named after the headline of its earliest dated report. Some inputs give a photo
credit or nothing as an article's title (a scraped page whose title tag held the picture's
credit, "Alberto Saiz/AP"); such a title is replaced by the first real headline that joins.
Others give a kicker, a section or a page label ("Politik", "Anzeige", "+", "World News")
while the headline is the first line of the text: a story takes that line (or the lead's
first sentence) instead, so a single-article story is not listed as "+".
"""

from __future__ import annotations

import re
from functools import cache

from lagebild.ingest import rules
from lagebild.ingest.boilerplate import caption_credit
from lagebild.model import headline

_NAME_PART = re.compile(r"^[A-ZÄÖÜ][\w.'’-]*$")
# A line set as a headline: no sentence end of its own, at most a question or exclamation.
_HEADLINE_LINE = re.compile(r"[^.;,]$")


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


def reads_as_headline(title: str) -> bool:
    """Whether ``title`` can name a story: some words, and not a photo credit."""
    text = " ".join(title.split())
    return len(text.split()) >= 2 and not _credit(text)


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


__all__ = ["lead_title", "reads_as_headline", "story_title"]
