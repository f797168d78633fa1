"""Undated reports of a dated event: the timeline cites every article that names the event.

A timeline event is a sentence with a date. Another article may name the same scheduled event
without a date, in another language or with another name: "nach dem Eastern Economic Forum, an
dem der russische Präsident in … Wladiwostok teilnehme" beside "In der Stadt an der russischen
Pazifikküste findet von 10. bis 13. September ein Wirtschaftsforum statt". Both name an event of
one class (``resources/time/event_nouns.tsv``: forum, summit, election, …; a German compound by
its tail, a multi-word name by its last word) and both stand near the same place (entity
mentions compared by their transliteration key, so "Wladiwostok" = "Vladivostok"). Such a
sentence, without a date or time of its own, is cited by the event too.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from lagebild.model import Citation, Doc, Sentence

MIN_PREFIX = 4  # "Wirtschafts|forum" is a forum, "Aus|wahl" no election
CONTEXT_BEFORE = 4  # sentences before an event's sentence that still tell its place
_PLACES = frozenset({"LOC"})


@cache
def _nouns() -> dict[str, str]:
    path = resources.files("lagebild").joinpath("resources", "time", "event_nouns.tsv")
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, cls = line.split("\t")
            out[word.strip().casefold()] = cls.strip()
    return out


def event_classes(text: str) -> set[str]:
    """The event classes the words of ``text`` name."""
    out: set[str] = set()
    for raw in text.replace("-", " - ").split():
        out.update(_word_classes(raw))
    return out


@lru_cache(maxsize=1 << 16)
def _word_classes(raw: str) -> tuple[str, ...]:
    """The event classes one word names: by the word, else by each tail of a compound (looked
    up once per word: a big story's timeline reads its words over and over)."""
    nouns = _nouns()
    w = raw.strip(".,;:!?()«»„“”\"'").casefold()
    if w in nouns:
        return (nouns[w],)
    # a compound by its tail: every tail of at least 4 letters after a head of MIN_PREFIX
    return tuple(
        cls for k in range(MIN_PREFIX, len(w) - 3) if (cls := nouns.get(w[k:])) is not None
    )


def event_sentences(docs: Sequence[Doc]) -> dict[str, list[tuple[int, frozenset[str]]]]:
    """Per article, the sentences that name a scheduled event and the classes they name.
    Found once per timeline and handed to ``undated_reports`` for each of its events: a big
    story has thousands of events and tens of thousands of sentences."""
    out: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for doc in docs:
        out[doc.id] = [
            (i, found)
            for i, s in enumerate(doc.sentences)
            if (found := frozenset(event_classes(s.text)))
        ]
    return out


def _sentence_at(doc: Doc, start: int) -> int | None:
    for i, s in enumerate(doc.sentences):
        if s.start <= start < s.end:
            return i
    return None


def _places(doc: Doc, sents: Iterable[Sentence]) -> set[str]:
    from lagebild.entities.translit import name_key

    lang = doc.article.language or "de"
    spans = [(s.start, s.end) for s in sents]
    return {
        name_key(w, lang)  # by word: "Wladiwostok an der Pazifikküste" is at "Wladiwostok"
        for m in doc.mentions
        if m.label in _PLACES and m.caption is None and any(a <= m.start < b for a, b in spans)
        for w in m.text.split()
        if _placeword(w)
    }


@dataclass(slots=True)
class Lookups:
    """What the ``undated_reports`` calls of one timeline share: the docs by id and the places
    of the sentence ranges asked about (the same few per article, asked again per event: a
    big story has hundreds of events)."""

    by_id: dict[str, Doc]
    places: dict[tuple[str, int, int], frozenset[str]] = field(default_factory=dict)
    # per doc: the place mentions by start (starts, and each one's start and word keys)
    _mentions: dict[str, tuple[list[int], list[tuple[int, tuple[str, ...]]]]] = field(
        default_factory=dict
    )
    _classes: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)

    def classes_of(
        self, doc_id: str, named: dict[str, list[tuple[int, frozenset[str]]]]
    ) -> dict[int, frozenset[str]]:
        """The doc's sentences that name a scheduled event (``event_sentences``), by index."""
        found = self._classes.get(doc_id)
        if found is None:
            found = self._classes[doc_id] = dict(named[doc_id])
        return found

    def places_of(self, doc: Doc, lo: int, hi: int) -> frozenset[str]:
        """``_places`` of ``doc.sentences[lo:hi]``, reading only the place mentions that
        start within those sentences' bounds."""
        key = (doc.id, lo, hi)
        found = self.places.get(key)
        if found is None:
            sents = doc.sentences[lo:hi]
            spans = [(x.start, x.end) for x in sents]
            starts, mentions = self._place_mentions(doc)
            first = bisect.bisect_left(starts, min((a for a, _ in spans), default=0))
            last = bisect.bisect_left(starts, max((b for _, b in spans), default=0))
            found = self.places[key] = frozenset(
                k
                for start, keys in mentions[first:last]
                if any(a <= start < b for a, b in spans)
                for k in keys
            )
        return found

    def _place_mentions(self, doc: Doc) -> tuple[list[int], list[tuple[int, tuple[str, ...]]]]:
        found = self._mentions.get(doc.id)
        if found is None:
            from lagebild.entities.translit import name_key

            lang = doc.article.language or "de"
            mentions = sorted(
                (
                    (m.start, tuple(name_key(w, lang) for w in m.text.split() if _placeword(w)))
                    for m in doc.mentions
                    if m.label in _PLACES and m.caption is None
                ),
                key=lambda x: x[0],
            )
            found = self._mentions[doc.id] = ([x[0] for x in mentions], mentions)
        return found


def _placeword(w: str) -> bool:
    """A word of a place's name that ``_places`` keys ("Wladiwostok", not "an" or "der")."""
    return w[:1].isupper() and len(w) >= 4


def _dated(doc: Doc, sent: Sentence) -> bool:
    """The sentence has a date or time of its own ("am Sonntag", even unresolved): it tells
    its own moment, not the event's."""
    return any(t.type in ("DATE", "TIME") and sent.start <= t.start < sent.end for t in doc.times)


def undated_reports(
    citations: Sequence[Citation],
    docs: Sequence[Doc],
    named: dict[str, list[tuple[int, frozenset[str]]]] | None = None,
    lookups: Lookups | None = None,
) -> list[Citation]:
    """Sentences of the articles an event does not cite yet that name the same scheduled event
    near the same place, without a date of their own (one per article, the first). ``named``:
    ``event_sentences(docs)``, and ``lookups`` one ``Lookups`` of ``docs``, when the caller asks
    for several events."""
    lookups = lookups or Lookups({d.id: d for d in docs})
    by_id = lookups.by_id
    classes: set[str] = set()
    cited_at: list[tuple[Doc, int]] = []
    for c in citations:
        doc = by_id.get(c.article_id)
        i = _sentence_at(doc, c.start) if doc else None
        if doc is None or i is None:
            continue
        if named is not None and doc.id in named:  # the classes found once per timeline
            classes |= lookups.classes_of(doc.id, named).get(i, frozenset())
        else:
            classes |= event_classes(doc.sentences[i].text)
        cited_at.append((doc, i))
    if not classes:  # most events name no scheduled event: their places are not looked at
        return []
    places: set[str] = set()
    for doc, i in cited_at:
        places |= lookups.places_of(doc, max(0, i - CONTEXT_BEFORE), i + 1)
    if not places:
        return []
    if named is None:
        named = event_sentences(docs)
    cited = {c.article_id for c in citations}
    out = []
    for doc in docs:
        if doc.id in cited:
            continue
        for i, found in named.get(doc.id, ()):
            s = doc.sentences[i]
            if not (found & classes) or _dated(doc, s):
                continue
            if lookups.places_of(doc, max(0, i - 1), i + 1) & places:
                out.append(Citation(doc.id, s.start, s.end, doc.article.outlet))
                break
    return out


__all__ = ["Lookups", "event_classes", "event_sentences", "undated_reports"]
