"""The dossier's "since …" section: what the story gained since a time, from its change log.

By default a dossier shows what its last update brought (the last tracking pass that changed
the story, unless that pass only created it); ``since`` picks another point in time. The
exports list the changes in words and mark the new articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lagebild.changes.log import Change

if TYPE_CHECKING:
    from lagebild.app import Lagebild
    from lagebild.model import Story


@dataclass(frozen=True, slots=True)
class Since:
    """The story's changes after ``since``."""

    since: datetime
    changes: tuple[Change, ...]

    @property
    def new_articles(self) -> frozenset[str]:
        return frozenset(c.item for c in self.changes if c.kind == "article")

    def lines(self) -> list[str]:
        from lagebild.changes import describe

        return describe(self.changes)

    def to_json(self) -> dict[str, object]:
        return {"since": self.since.isoformat(), "changes": [c.to_json() for c in self.changes]}


def since_of(app: Lagebild, story: Story, since: datetime | None = None) -> Since | None:
    """The section for ``story``: changes after ``since``, else those of its last update;
    None when there is nothing to show."""
    log = app.story_changes(story.id)
    if since is None:
        if not log or any(c.kind == "story" for c in log if c.at == log[-1].at):
            return None  # no update since the story appeared
        last = log[-1].at
        earlier = [c.at for c in log if c.at < last]
        since = earlier[-1] if earlier else last
        chosen = tuple(c for c in log if c.at == last)
    else:
        chosen = tuple(c for c in log if c.at > since)
    return Since(since, chosen) if chosen else None
