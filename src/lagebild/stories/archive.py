"""The dormant stories of a story index, oldest first, findable through their top terms.

``Archive`` holds them in memory (a clustering from scratch, training, evaluation);
``stories.state.StoredArchive`` reads them from the store as they are asked for and keeps
in memory only what one run touches, so an ingest into a big store does not read or write
the whole archive (20,000 stories, ~23 MB compressed at 80k articles).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lagebild.stories.cluster import ActiveStory


class Archive:
    """Dormant stories in the order they went dormant, and term -> stories postings over
    each one's ``centroid`` (its top terms; the tail is scored, never looked up by)."""

    def __init__(self, max_posting: int) -> None:
        self.max_posting = max_posting  # a term shared by more stories is not looked up by
        self.stories: dict[str, ActiveStory] = {}
        self.postings: dict[str, dict[str, None]] = {}

    def __contains__(self, sid: object) -> bool:
        return sid in self.stories

    def __getitem__(self, sid: str) -> ActiveStory:
        return self.stories[sid]

    def __len__(self) -> int:
        return len(self.stories)

    def __iter__(self) -> Iterator[str]:
        return iter(self.stories)

    def values(self) -> Iterator[ActiveStory]:
        """The stories, oldest first."""
        return iter(self.stories.values())

    def posting(self, term: str) -> list[str] | dict[str, None] | None:
        """The stories findable through ``term``; None when none or more than max_posting."""
        posting = self.postings.get(term)
        return posting if posting and len(posting) <= self.max_posting else None

    def add(self, story: ActiveStory) -> None:
        """Put a story in as the newest (its centroid already cut to its top terms)."""
        self.stories[story.id] = story
        for t in story.centroid:
            self.postings.setdefault(t, {})[story.id] = None

    def pop(self, sid: str) -> ActiveStory:
        """Take a story out (it is revived, moved or dropped)."""
        story = self.stories.pop(sid)
        for t in story.centroid:
            posting = self.postings.get(t)
            if posting is not None:
                posting.pop(sid, None)
                if not posting:
                    del self.postings[t]
        return story

    def evict_oldest(self) -> ActiveStory | None:
        """Drop the oldest story; it is handed back when it is in memory (it may be held by
        a caller), None otherwise."""
        return self.pop(next(iter(self.stories)))


__all__ = ["Archive"]
