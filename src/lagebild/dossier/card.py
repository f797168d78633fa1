"""A story's card: what a list of stories shows and filters on, derived once per change.

The card is a small dossier: outlets and languages of its articles, its entities (most
mentioned first) and how many divergences its outlets show. It is computed when a story
changes and stored beside it, so a page of stories never reads an analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lagebild.dossier import sections
from lagebild.dossier.summary import originals
from lagebild.model import Doc, Story


@dataclass(frozen=True, slots=True)
class StoryCard:
    story: Story
    outlets: tuple[str, ...]  # as a reader recognises them, most articles first
    languages: tuple[str, ...]
    entities: tuple[tuple[str, str, int], ...]  # (name, type, mentions), most mentioned first
    divergences: int  # slots whose values differ across outlets (updates not counted)


def story_card(story: Story, docs: Sequence[Doc], max_entities: int = 30) -> StoryCard:
    """The card of ``story`` from the docs of its articles (copies left out of the counts)."""
    core = originals(story, docs)
    outlet_counts: dict[str, int] = {}
    for d in docs:
        label = d.article.outlet_label
        outlet_counts[label] = outlet_counts.get(label, 0) + 1
    outlets = tuple(sorted(outlet_counts, key=lambda o: (-outlet_counts[o], o)))
    languages = tuple(dict.fromkeys(d.article.language for d in docs if d.article.language))
    ents = sorted(sections.entities(core), key=lambda e: (-len(e.mentions), e.name))
    entities = tuple((e.name, e.type, len(e.mentions)) for e in ents[:max_entities])
    divergences = 0
    if len({d.article.outlet_label for d in core}) > 1:
        windows = sections.date_windows(docs)
        divergences = sum(1 for v in sections.divergences(core, windows) if v.kind == "divergence")
    return StoryCard(
        story, outlets or story.outlets, languages or story.languages, entities, divergences
    )


__all__ = ["StoryCard", "story_card"]
