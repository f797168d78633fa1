"""One small function per dossier section, each calling the stage that computes it.

This is the only place the dossier reaches into other stages, so wiring a stage (or changing
its signature) touches one function here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from lagebild import entities as _entities
from lagebild import facts as _facts
from lagebild import quotes as _quotes
from lagebild import time as _time
from lagebild.config import Config
from lagebild.dossier.candidates import combined
from lagebild.facts import compare as _compare
from lagebild.facts import keys as _fact_keys
from lagebild.model import (
    Citation,
    DateWindow,
    Divergence,
    Doc,
    Entity,
    FactGroup,
    Sentence,
    Statement,
    Story,
    SummarySentence,
    TimelineEvent,
)

if TYPE_CHECKING:
    from lagebild.dossier.parts import Parts


def date_windows(docs: Sequence[Doc], parts: Parts | None = None) -> dict[str, DateWindow]:
    """Inferred publication windows of the undated articles, keyed by article id."""
    return _time.story_date_windows(docs, parts)


def timeline(
    docs: Sequence[Doc], windows: Mapping[str, DateWindow], parts: Parts | None = None
) -> tuple[TimelineEvent, ...]:
    by_id = {d.id: d for d in docs}
    return tuple(_told_alone(ev, by_id) for ev in _time.timeline(docs, windows, parts))


# A label told with the sentence before it may run this long (the time stage cuts one at 160).
_CONTEXT_LABEL_CHARS = 320


def _told_alone(ev: TimelineEvent, docs: Mapping[str, Doc]) -> TimelineEvent:
    """An event whose label needs the sentence before it ("Das teilte das Unternehmen am
    Dienstag mit.", "Er war am 23. März … zurückgekehrt") is labelled by another report's
    sentence that stands alone, else told with the sentence before, which its citation then
    covers too: a timeline line says what happened and who did it."""
    if not ev.citations:
        return ev
    first = ev.citations[0]
    sent, prev = _sentence_and_before(docs.get(first.article_id), first.start)
    if sent is None or not _points_back(sent, docs[first.article_id]):
        return ev
    for c in ev.citations[1:]:
        other, _ = _sentence_and_before(docs.get(c.article_id), c.start)
        if other is not None and not _points_back(other, docs[c.article_id]):
            rest = tuple(x for x in ev.citations if x != c)
            return dataclasses.replace(ev, label=_cut(other.text), citations=(c, *rest))
    if prev is None:
        return ev
    text = docs[first.article_id].article.text[prev.start : sent.end]
    wider = dataclasses.replace(first, start=prev.start, end=max(first.end, sent.end))
    label = _cut(" ".join(text.split()), _CONTEXT_LABEL_CHARS)
    return dataclasses.replace(ev, label=label, citations=(wider, *ev.citations[1:]))


def _sentence_and_before(doc: Doc | None, offset: int) -> tuple[Sentence | None, Sentence | None]:
    if doc is None:
        return None, None
    for i, s in enumerate(doc.sentences):
        if s.start <= offset < s.end:
            return s, (doc.sentences[i - 1] if i > 0 else None)
    return None, None


def _points_back(sent: Sentence, doc: Doc) -> bool:
    """The sentence hides who or what it tells of ("Er …", "Das teilte … mit"); a connective
    ("Zudem …") hides nothing unless a pronoun or demonstrative follows it."""
    from lagebild.dossier.candidates import connectives, points_back

    lang = doc.article.language or "de"
    if not points_back(sent, lang):
        return False
    toks = [t for t in sent.tokens if t.text[:1].isalnum()]
    if not toks or toks[0].text not in connectives(lang):
        return True
    rest = Sentence(toks[1].start, sent.end, "", tuple(toks[1:])) if len(toks) > 1 else None
    return rest is not None and toks[1].text not in connectives(lang) and points_back(rest, lang)


def _cut(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statements(
    docs: Sequence[Doc], entities: Sequence[Entity] = (), parts: Parts | None = None
) -> tuple[Statement, ...]:
    """Who said what, each speaker named as the story's entity for it ("Energieökonomin Ruth
    Albrecht" in one article is the entity "Ruth Albrecht" of the whole story)."""
    grouped = _without_nested(_quotes.group_statements(docs, parts))
    canon = _story_entities(docs, entities)
    out = []
    for st in grouped:
        entity = canon.get(st.speaker_entity or "")
        if entity is not None:
            st = dataclasses.replace(st, speaker=entity.name, speaker_entity=entity.id)
        out.append(st)
    return tuple(out)


def _without_nested(statements: Sequence[Statement]) -> list[Statement]:
    """Leave out a reported or indirect statement that lies wholly inside a longer one of the
    same speaker in the same article ("CrowdStrike has acknowledged the error and said, …" and
    its tail "the error and said, …"): one statement, listed once. A direct quotation inside
    an indirect statement stays a statement of its own (what was said word for word). Each
    statement meets only its speaker's statements in the same article, so a big story's
    thousand statements cost no pairwise comparison."""
    spans: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for i, st in enumerate(statements):
        if st.form != "direct":
            for c in st.citations:
                key = (st.speaker_entity or st.speaker, c.article_id)
                spans.setdefault(key, []).append((c.start, c.end, i))

    def inside(i: int, st: Statement, c: Citation) -> bool:
        return any(
            j != i and start <= c.start and c.end <= end and end - start > c.end - c.start
            for start, end, j in spans.get((st.speaker_entity or st.speaker, c.article_id), ())
        )

    return [
        st
        for i, st in enumerate(statements)
        if st.form == "direct"
        or not st.citations
        or not all(inside(i, st, c) for c in st.citations)
    ]


def _story_entities(docs: Sequence[Doc], entities: Sequence[Entity]) -> dict[str, Entity]:
    """Article-level entity ids -> the story's canonical entity holding their mentions (ids
    that land in two entities are left out)."""
    by_span = {
        (m.article_id, m.start, m.end): e for e in entities for m in e.mentions if m.caption is None
    }
    found: dict[str, set[str]] = {}
    owner: dict[str, Entity] = {}
    for d in docs:
        for m in d.mentions:
            e = by_span.get((d.id, m.start, m.end))
            if m.entity_id and e is not None:
                found.setdefault(m.entity_id, set()).add(e.id)
                owner[m.entity_id] = e
    return {k: owner[k] for k, ids in found.items() if len(ids) == 1}


def fact_items(docs: Sequence[Doc]) -> list[_fact_keys.Item]:
    """The story's facts with what grouping and comparing them needs, read once for both
    (``fact_groups`` and ``divergences``: ~0.04 s each for a 500-article story)."""
    return _fact_keys.items_of(docs)


def fact_groups(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow],
    items: Sequence[_fact_keys.Item] | None = None,
) -> tuple[FactGroup, ...]:
    return tuple(_facts.group_facts(docs, windows, items))


def divergences(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow],
    items: Sequence[_fact_keys.Item] | None = None,
) -> tuple[Divergence, ...]:
    return tuple(_compare.divergences(docs, windows, told_before, items))


def told_before(sentence: str, lang: str) -> bool:
    """A sentence the language's background rules read as told of an earlier time
    (``resources/dossier/<lang>/background.txt``: "damals", "im vergangenen Jahr", "zuvor")."""
    return combined(lang, "background.txt").hit(sentence)


def corroborated(groups: Sequence[FactGroup]) -> tuple[FactGroup, ...]:
    """Fact groups that more than one outlet reports, most widely reported first."""
    many = [g for g in groups if not g.single_source]
    return tuple(sorted(many, key=lambda g: -len(set(g.outlets))))


def coverage_matrix(
    docs: Sequence[Doc], groups: Sequence[FactGroup], windows: Mapping[str, DateWindow]
) -> _compare.CoverageMatrix:
    """Outlets × key facts, as the facts stage builds it."""
    return _compare.coverage_matrix(docs, groups, windows=windows)


def entities(docs: Sequence[Doc]) -> tuple[Entity, ...]:
    """The story's entities, less currencies: GermEval's convention tags "Euro" as a name
    (OTH), and the NER keeps it to be measured on that gold, but no reader looks for it."""
    return tuple(e for e in _entities.canonical_entities(docs) if not _currency(e))


def _currency(entity: Entity) -> bool:
    return entity.type == "OTH" and all(v.casefold() in _money() for v, _ in entity.variants)


@cache
def _money() -> frozenset[str]:
    """Currency words of every language (the facts stage's unit lists)."""
    from lagebild.facts.lexicon import languages, lexicon

    return frozenset(
        u.surface.casefold()
        for lang in languages()
        for u in lexicon(lang).units.values()
        if u.kind == "money"
    )


def summary(
    story: Story,
    docs: Sequence[Doc],
    config: Config,
    windows: Mapping[str, DateWindow],
    confirmed: Sequence[FactGroup],
    parts: Parts | None = None,
) -> tuple[SummarySentence, ...]:
    from lagebild.dossier.summary import summarize

    return summarize(story, docs, config, windows, confirmed, parts)


__all__ = [
    "corroborated",
    "coverage_matrix",
    "date_windows",
    "divergences",
    "entities",
    "fact_groups",
    "fact_items",
    "statements",
    "summary",
    "timeline",
]
