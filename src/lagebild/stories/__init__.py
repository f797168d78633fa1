"""Stories stage. Placeholder until clustering lands: one story per article."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lagebild.model import Story

if TYPE_CHECKING:
    from lagebild.app import Lagebild


def cluster_store(app: Lagebild, *, from_scratch: bool = False) -> list[Story]:
    stories = [
        Story(id=a.id, article_ids=(a.id,), title=a.title, first=a.published, last=a.published,
              outlets=tuple(x for x in [a.outlet] if x), languages=tuple(x for x in [a.language] if x))
        for a in app.articles()
    ]
    app.store.put_stories(stories, replace_all=True)
    return stories
