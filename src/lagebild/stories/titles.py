"""Which article title can stand for a story: a headline, not a photo credit.

A story is named after the headline of its earliest dated report. Some inputs give a photo
credit or nothing as an article's title (a scraped page whose title tag held the picture's
credit, "Alberto Saiz/AP"); such a title is replaced by the first real headline that joins.
"""

from __future__ import annotations

import re
from functools import cache

from lagebild.ingest import rules
from lagebild.ingest.boilerplate import caption_credit

_NAME_PART = re.compile(r"^[A-ZÄÖÜ][\w.'’-]*$")


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


__all__ = ["reads_as_headline"]
