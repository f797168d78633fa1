"""Comparison across outlets: which facts say the same thing, which outlets report them and
which was first, corroborated vs single-source facts, and the outlets × facts coverage matrix.

Pure functions over a story's analysed docs. Two facts say the same thing when they have the
same kind, measure the same slot and agree in value after unit conversion and within the
precision the numbers were given in ("rund 900 km" = "900 Kilometer", not "knapp 1000 km");
the keys live in ``keys``, divergence vs update in ``diverge`` (re-exported here).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lagebild.facts.diverge import TextRule, divergences
from lagebild.facts.keys import (
    Item,
    clusters,
    date_range,
    items_of,
    order_key,
    outlet_of,
    place_key,
)
from lagebild.model import Citation, DateWindow, Divergence, Doc, FactGroup


def _group(members: list[Item], windows: Mapping[str, DateWindow] | None) -> FactGroup:
    members = sorted(members, key=lambda it: order_key(it, windows))
    first = members[0].fact
    measures = Counter(it.fact.measures for it in members).most_common(1)[0][0]
    if first.kind == "claim":
        text = Counter(it.fact.value_text for it in members).most_common(1)[0][0]
    else:
        text = first.text
    # the earliest report by the first day its date can be ("2019-09" counts from the 1st)
    dated = [it.doc.article for it in members if it.doc.article.published_span]
    earliest = min(dated, key=lambda a: a.published_span[0]) if dated else None  # type: ignore[index]
    return FactGroup(
        kind=first.kind,
        measures=measures,
        value=first.value,
        unit=first.unit,
        text=text,
        citations=tuple(
            Citation(it.doc.id, it.fact.start, it.fact.end, it.outlet) for it in members
        ),
        outlets=tuple(dict.fromkeys(it.outlet for it in members)),
        first_seen=earliest.published if earliest else None,
        first_seen_precision=earliest.published_precision if earliest else "day",
        value_max=first.value_max,
        approx=first.approx,
    )


def group_facts(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow] | None = None,
    items: Sequence[Item] | None = None,
) -> list[FactGroup]:
    """Facts of a story grouped by what they say; most widely reported first, then earliest.

    Citations within a group are in date order (published date, else the inferred window),
    so the first citation is the outlet that reported it first. ``items``: ``items_of(docs)``
    when the caller has it already (a dossier reads them for the divergences too).
    """
    items = list(items_of(docs) if items is None else items)
    groups = [_group(c, windows) for c in clusters(items)]
    starts = {}
    for d in docs:
        r = date_range(d, windows)
        starts[d.id] = r[0] if r else date.max
    dated = {
        id(g): min((starts[c.article_id] for c in g.citations), default=date.max) for g in groups
    }
    return sorted(groups, key=lambda g: (-len(g.outlets), dated[id(g)], g.kind, g.measures))


def corroborated(groups: Sequence[FactGroup]) -> list[FactGroup]:
    """Groups reported by two or more outlets, most widely reported first."""
    return sorted((g for g in groups if not g.single_source), key=lambda g: -len(set(g.outlets)))


def single_source(groups: Sequence[FactGroup]) -> list[FactGroup]:
    """Groups only one outlet reports: to be shown as such."""
    return [g for g in groups if g.single_source]


# --------------------------------------------------------------------------- coverage matrix


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One key fact and, per outlet (in ``CoverageMatrix.outlets`` order), its citations."""

    label: str
    kind: str
    cells: tuple[tuple[Citation, ...], ...]

    def has(self, column: int) -> bool:
        return bool(self.cells[column])


@dataclass(frozen=True, slots=True)
class CoverageMatrix:
    """Outlets × key facts: which outlet reports which fact, with the citations."""

    outlets: tuple[str, ...] = ()
    rows: tuple[CoverageRow, ...] = ()

    def as_bools(self) -> list[list[bool]]:
        return [[bool(c) for c in r.cells] for r in self.rows]


def _label(g: FactGroup) -> str:
    return f"{g.measures}: {g.text}" if g.kind == "claim" else f"{g.text} ({g.measures})"


def coverage_matrix(
    docs: Sequence[Doc], groups: Sequence[FactGroup], limit: int = 20,
    windows: Mapping[str, DateWindow] | None = None,
) -> CoverageMatrix:  # fmt: skip
    """The ``limit`` most widely reported facts against every outlet of the story."""

    def doc_date(d: Doc) -> date:
        r = date_range(d, windows)
        return r[0] if r else date.max

    outlets = tuple(dict.fromkeys(outlet_of(d.article) for d in sorted(docs, key=doc_date)))
    key = sorted(groups, key=lambda g: (-len(set(g.outlets)), g.kind == "count"))[: max(0, limit)]
    rows = []
    for g in key:
        cells = tuple(tuple(c for c in g.citations if c.outlet == o) for o in outlets)
        rows.append(CoverageRow(_label(g), g.kind, cells))
    return CoverageMatrix(outlets, tuple(rows))


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Everything the comparison finds for one story, for the CLI and the dossier."""

    groups: tuple[FactGroup, ...]
    corroborated: tuple[FactGroup, ...]
    single_source: tuple[FactGroup, ...]
    divergences: tuple[Divergence, ...]
    coverage: CoverageMatrix


def compare_story(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow] | None = None,
    told_before: TextRule | None = None,
) -> StoryFacts:
    """Groups, corroborated and single-source facts, divergences and coverage of a story."""
    items = items_of(docs)
    groups = group_facts(docs, windows, items)
    return StoryFacts(
        groups=tuple(groups),
        corroborated=tuple(corroborated(groups)),
        single_source=tuple(single_source(groups)),
        divergences=tuple(divergences(docs, windows, told_before, items)),
        coverage=coverage_matrix(docs, groups, windows=windows),
    )


__all__ = [
    "CoverageMatrix",
    "CoverageRow",
    "StoryFacts",
    "compare_story",
    "corroborated",
    "coverage_matrix",
    "divergences",
    "group_facts",
    "outlet_of",
    "place_key",
    "single_source",
]
