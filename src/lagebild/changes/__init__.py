"""What is new: every story keeps a log of what each ingest brought it.

``track(app)`` runs after every clustering (the app calls it) and logs new stories, new
articles, new outlets, new or changed facts, new divergences, new statements, date updates and
merges. ``news(app, …)`` reads the log back per story, since a time or since the last call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lagebild.changes.describe import describe
from lagebild.changes.log import Change, ChangeLog
from lagebild.changes.track import track
from lagebild.errors import NotFound
from lagebild.model import Story

if TYPE_CHECKING:
    from lagebild.app import Lagebild

LAST_SEEN_KEY = "news.last_seen"


@dataclass(frozen=True, slots=True)
class StoryNews:
    """One story and what changed in it."""

    story: Story
    changes: tuple[Change, ...]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def new_story(self) -> bool:
        return any(c.kind == "story" for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "story": {"id": self.story.id, "title": self.story.title},
            "new_story": self.new_story,
            "articles": [c.item for c in self.of("article")],
            "outlets": [c.item for c in self.of("outlet")],
            "changes": [c.to_json() for c in self.changes],
        }


def news(
    app: Lagebild, since: datetime | None = None, *, since_last: bool = False
) -> list[StoryNews]:
    """Stories with changes later than ``since`` (or since the last ``since_last`` call, which
    then moves its mark on), most recently changed first. Changes logged under a story id that
    now resolves to another story (a merge) are shown under that story."""
    log = ChangeLog(app.store)
    after = None
    if since_last:
        after = int(app.store.get_state(LAST_SEEN_KEY) or 0)
    changes = log.changes(since=since, after=after)
    if since_last:
        app.store.put_state(LAST_SEEN_KEY, max([after or 0, *(c.id for c in changes)]))
    return group(app, changes)


def story_changes(app: Lagebild, story: Story, since: datetime | None = None) -> list[Change]:
    """The changes of one story (and of stories merged into it), oldest first."""
    return ChangeLog(app.store).changes(since=since, story_ids=[story.id])


def group(app: Lagebild, changes: Sequence[Change]) -> list[StoryNews]:
    by_story: dict[str, list[Change]] = {}
    stories: dict[str, Story] = {}
    for c in changes:
        story = stories.get(c.story_id) or _resolve(app, c.story_id)
        if story is None:
            continue
        stories[c.story_id] = story
        by_story.setdefault(story.id, []).append(c)
    found = [StoryNews(stories_by_id(stories)[sid], tuple(cs)) for sid, cs in by_story.items()]
    return sorted(found, key=_newest_and_biggest)


def _newest_and_biggest(n: StoryNews) -> tuple[float, int, int, int]:
    """Most recently changed first; among the stories one ingest changed (their changes are
    logged within the same minute), the one with the most new articles and outlets first,
    not the one whose id sorts last."""
    minute = n.changes[-1].at.timestamp() // 60
    return (-minute, -len(n.of("article")), -len(n.of("outlet")), -n.changes[-1].id)


def stories_by_id(stories: dict[str, Story]) -> dict[str, Story]:
    return {s.id: s for s in stories.values()}


def _resolve(app: Lagebild, story_id: str) -> Story | None:
    try:
        return app.store.story(story_id)
    except NotFound:
        return None


__all__ = ["Change", "StoryNews", "describe", "news", "story_changes", "track"]
