"""One small function per dossier section, each calling the stage that computes it.

This is the only place the dossier reaches into other stages, so wiring a stage (or changing
its signature) touches one function here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lagebild import entities as _entities
from lagebild import facts as _facts
from lagebild import quotes as _quotes
from lagebild import time as _time
from lagebild.config import Config
from lagebild.facts import compare as _compare
from lagebild.model import (
    DateWindow,
    Divergence,
    Doc,
    Entity,
    FactGroup,
    Statement,
    Story,
    SummarySentence,
    TimelineEvent,
)


def date_windows(docs: Sequence[Doc]) -> dict[str, DateWindow]:
    """Inferred publication windows of the undated articles, keyed by article id."""
    return _time.story_date_windows(docs)


def timeline(docs: Sequence[Doc], windows: Mapping[str, DateWindow]) -> tuple[TimelineEvent, ...]:
    return tuple(_time.timeline(docs, windows))


def statements(docs: Sequence[Doc]) -> tuple[Statement, ...]:
    return tuple(_quotes.group_statements(docs))


def fact_groups(docs: Sequence[Doc], windows: Mapping[str, DateWindow]) -> tuple[FactGroup, ...]:
    return tuple(_facts.group_facts(docs, windows))


def divergences(docs: Sequence[Doc], windows: Mapping[str, DateWindow]) -> tuple[Divergence, ...]:
    return tuple(_compare.divergences(docs, windows))


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
    return tuple(_entities.canonical_entities(docs))


def summary(
    story: Story,
    docs: Sequence[Doc],
    config: Config,
    windows: Mapping[str, DateWindow],
    confirmed: Sequence[FactGroup],
) -> tuple[SummarySentence, ...]:
    from lagebild.dossier.summary import summarize

    return summarize(story, docs, config, windows, confirmed)


__all__ = [
    "corroborated",
    "coverage_matrix",
    "date_windows",
    "divergences",
    "entities",
    "fact_groups",
    "statements",
    "summary",
    "timeline",
]
