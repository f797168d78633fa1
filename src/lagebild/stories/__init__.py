"""Stories: near-duplicate detection and online clustering of articles into stories.

``cluster_store(app)`` brings a store's stories up to date (the app calls it after ingest);
``cluster_features`` clusters features in memory (evaluation, benchmark). See ``cluster``
for how an article finds its story and ``dedup`` for syndicated copies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lagebild.lazy import exports

if TYPE_CHECKING:
    from lagebild.stories.build import cluster_features, cluster_store, order
    from lagebild.stories.cluster import StoryIndex, story_id
    from lagebild.stories.dedup import DedupIndex, signature
    from lagebild.stories.features import ArticleFeatures, from_doc, from_text

NAME = "stories"
VERSION = 1

# imported on first use: listing stories needs none of numpy, datasketch or simplemma
__getattr__ = exports(
    __name__,
    {
        **dict.fromkeys(("cluster_features", "cluster_store", "order"), "build"),
        **dict.fromkeys(("StoryIndex", "story_id"), "cluster"),
        **dict.fromkeys(("DedupIndex", "signature"), "dedup"),
        **dict.fromkeys(("ArticleFeatures", "from_doc", "from_text"), "features"),
    },
)

__all__ = [
    "ArticleFeatures",
    "DedupIndex",
    "StoryIndex",
    "cluster_features",
    "cluster_store",
    "from_doc",
    "from_text",
    "order",
    "signature",
    "story_id",
]
