"""Online story clustering: each article joins the best-matching active story or opens one.

Articles arrive in publication order. An article's TF-IDF vector (online document
frequencies smoothed by a general-language prior, see ``prior``; title words, names and
numbers weighted up; words no earlier article had left out of the query) is compared with
the centroids of
the *active* stories that share one of its top terms, found through an inverted index: the
cost per article follows the number of active stories sharing a term, not the size of the
store. A story goes dormant when the newest article seen is ``quiet_days`` past its last
one (scores also decay with the time gap); dormant stories leave the index. Near-duplicates join their original's story without
moving its centroid. With embeddings on, a multilingual title+lead vector adds a second,
cross-language route into a story.

The whole index is plain data (``to_json``/``from_json``), so a store can resume where the
last run stopped and get exactly what a from-scratch run over the same order gets.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from lagebild.config import StoriesConfig
from lagebild.model import Story
from lagebild.stories.dedup import DedupIndex, signature
from lagebild.stories.features import ArticleFeatures
from lagebild.stories.prior import PRIOR_DOCS, prior_df

ARTICLE_TERMS = 40  # an article is represented by its top terms
STORY_TERMS = 150  # a story's centroid keeps this many terms
INDEX_TERMS = 30  # ... and is findable through its top terms
QUERY_TERMS = 15  # an article looks up stories through its top terms
MAX_POSTING = 300  # a term shared by more active stories is too common to look up by
SAME_DAYS_BOOST = 1.0  # >1 lifts same-day matches: helps short texts, costs precision on busy days
NOVEL_WEIGHT = 0.0  # weight of never-seen words in the query vector
COVERAGE_FULL = 0.1  # share of an article's vector weight that must be known to count fully
MIN_SHINGLES = 25  # bodies shorter than this (in 5-word shingles) are never called copies
CANDIDATES = 25  # stories scored in full per article
EMB_FLOOR = 0.835  # e5 cosine (title + lead) below which two articles are unrelated
EMB_SPAN = 0.05  # ... above the floor by this much doubles the join threshold
EMB_MARGIN = 0.02  # the best story must beat the runner-up by this much
EMB_LEXICAL = 0.05  # ... and share some names or numbers (lexical similarity) with it

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, d) L2-normalised vectors


def story_id(first_article_id: str) -> str:
    """Stable story id: a hash of the article that opened it."""
    return hashlib.sha256(f"story:{first_article_id}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class ActiveStory:
    """A story still taking articles, with what matching needs."""

    id: str
    article_ids: list[str]
    title: str
    centroid: dict[str, float]
    size: int = 1  # originals only
    duplicates: list[list[str]] = field(default_factory=list)
    first: str | None = None  # ISO datetimes (JSON-ready)
    last: str | None = None
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    emb: list[float] | None = None

    def record(self, dormant: bool = False) -> Story:
        return Story(
            id=self.id,
            article_ids=tuple(self.article_ids),
            title=self.title,
            duplicates=tuple((c, o) for c, o in self.duplicates),
            first=datetime.fromisoformat(self.first) if self.first else None,
            last=datetime.fromisoformat(self.last) if self.last else None,
            outlets=tuple(self.outlets),
            languages=tuple(self.languages),
            dormant=dormant,
        )


@dataclass(slots=True)
class StoryIndex:
    """The clusterer's whole state; feed it articles in order with ``add``."""

    config: StoriesConfig = field(default_factory=StoriesConfig)
    df: dict[str, int] = field(default_factory=dict)
    n_docs: int = 0
    clock: str | None = None  # newest publication time seen (ISO)
    active: dict[str, ActiveStory] = field(default_factory=dict)
    dedup: DedupIndex | None = None
    story_of: dict[str, str] = field(default_factory=dict)  # active article -> story
    _postings: dict[str, dict[str, None]] = field(default_factory=dict)
    _indexed: dict[str, list[str]] = field(default_factory=dict)  # story -> its index terms
    _heap: list[tuple[str, str]] = field(default_factory=list)  # (last, story id)
    _norms: dict[str, float] = field(default_factory=dict)  # story -> centroid norm

    def __post_init__(self) -> None:
        if self.dedup is None:
            self.dedup = DedupIndex(threshold=self.config.dedup_threshold)

    # ------------------------------------------------------------------ vectors

    def _vector(self, terms: dict[str, float], lang: str | None) -> dict[str, float]:
        """Sublinear TF-IDF over the top terms, L2-normalised; IDF = online counts + prior."""
        n = self.n_docs + PRIOR_DOCS + 1
        w = {t: (1.0 + math.log(c)) * math.log((n + 1) / (self.df.get(t, 0) + prior_df(t, lang) + 1)) + 1e-9
             for t, c in terms.items() if c > 0}  # fmt: skip
        top = sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:ARTICLE_TERMS]
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        return {t: v / norm for t, v in top}

    def _seen_before(self, vec: dict[str, float]) -> dict[str, float]:
        """The vector without words no earlier article had, renormalised.

        A word seen for the first time gets the highest IDF yet cannot match any story; left
        in, it would only dilute the similarity of articles rich in new names and details.
        Evidence from a small part of the article is weaker, though: when the seen words
        carry less than COVERAGE_FULL of the vector's weight, the query is scaled down (an
        article in another language shares only a name or two with any story).
        """
        seen = {t: (v if self.df.get(t, 0) > 1 else v * NOVEL_WEIGHT) for t, v in vec.items()}
        mass = sum(v * v for v in seen.values())
        norm = math.sqrt(mass) or 1.0
        scale = min(1.0, math.sqrt(mass / COVERAGE_FULL))
        return {t: v / norm * scale for t, v in seen.items()}

    def _similarity(self, vec: dict[str, float], story: ActiveStory, when: str | None) -> float:
        c = story.centroid
        dot = sum(v * c.get(t, 0.0) for t, v in vec.items())
        return dot / self._norms[story.id] * self._time_factor(story, when)

    def _time_factor(self, story: ActiveStory, when: str | None) -> float:
        """How time distance changes the evidence: same days count up, weeks apart count down.

        Coverage of one event clusters within a few days, so words shared with a story that
        is in the news *now* are stronger evidence than the same words a week later; an
        undated article is judged on its words alone (factor 1).
        """
        if when is None or story.last is None:
            return 1.0
        gap = (
            abs((datetime.fromisoformat(when) - datetime.fromisoformat(story.last)).total_seconds())
            / 86400
        )
        if gap <= 1.5:
            return SAME_DAYS_BOOST
        quiet = max(self.config.quiet_days, 2.0)
        return max(0.6, SAME_DAYS_BOOST - (SAME_DAYS_BOOST - 0.6) * (gap - 1.5) / (quiet - 1.5))

    def _candidates(self, vec: dict[str, float]) -> list[str]:
        acc: dict[str, float] = {}
        for t, v in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS]:
            posting = self._postings.get(t)
            if not posting or len(posting) > MAX_POSTING:
                continue
            for sid in posting:
                acc[sid] = acc.get(sid, 0.0) + v
        return [s for s, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES]]

    # ------------------------------------------------------------------ the step

    def add(self, art: ArticleFeatures, emb: np.ndarray | None = None) -> tuple[str, list[Story]]:
        """Place one article; returns its story id and the stories that went dormant."""
        when = art.published.isoformat() if art.published else None
        dormant = self._advance(when)
        sig = signature(art.shingles)
        # A body of a few lines ("full text no longer available") says nothing about copying.
        original = self.dedup.find(sig) if len(art.shingles) >= MIN_SHINGLES else None
        if original is not None and original in self.story_of:
            story = self.active[self.story_of[original]]
            story.duplicates.append([art.id, original])
            self._attach(story, art, when)
            self.dedup.add(art.id, sig, original)
            return story.id, dormant
        for t in art.terms:
            self.df[t] = self.df.get(t, 0) + 1
        self.n_docs += 1
        vec = self._vector(art.terms, art.language)
        query = self._seen_before(vec)
        best, best_score = None, 0.0
        for sid in self._candidates(query):
            score = self._similarity(query, self.active[sid], when)
            if score > best_score or (score == best_score and best is not None and sid < best):
                best, best_score = sid, score
        if emb is not None:
            sid, score = self._best_by_embedding(emb, art, vec, when)
            if sid is not None and score > best_score:
                best, best_score = sid, score
        if best is not None and best_score >= self.config.threshold:
            story = self.active[best]
            self._unindex(story)
            for t, v in vec.items():
                story.centroid[t] = story.centroid.get(t, 0.0) + v
            if len(story.centroid) > STORY_TERMS:
                keep = sorted(story.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_TERMS]
                story.centroid = dict(keep)
            story.size += 1
            if emb is not None:
                story.emb = _mean_update(story.emb, emb, story.size)
        else:
            story = ActiveStory(id=story_id(art.id), article_ids=[], title=art.title, centroid=dict(vec),
                                emb=[float(x) for x in emb] if emb is not None else None)  # fmt: skip
            self.active[story.id] = story
        self._attach(story, art, when)
        self._index(story)
        self.dedup.add(art.id, sig)
        return story.id, dormant

    def _best_by_embedding(
        self, emb: np.ndarray, art: ArticleFeatures, vec: dict[str, float], when: str | None
    ) -> tuple[str | None, float]:
        """The closest active story in *other* languages by mean embedding, or None.

        A cross-language route only: within a language, words are the sharper signal and
        e5 cosines of unrelated same-language news overlap those of one event. The match
        must clear an absolute floor, beat the runner-up by a margin and share some names or
        numbers with the story (a lexical similarity across languages), as an editor would
        check that the names match before calling two foreign-language reports one story.
        """
        ids = [s.id for s in self.active.values()
               if s.emb is not None and art.language not in s.languages]  # fmt: skip
        if not ids:
            return None, 0.0
        mat = np.asarray([self.active[s].emb for s in ids], dtype=np.float32)
        mat /= np.linalg.norm(mat, axis=1, keepdims=True) + 1e-9
        cos = mat @ emb.astype(np.float32)
        order = np.argsort(-cos, kind="stable")
        best = float(cos[order[0]])
        second = float(cos[order[1]]) if len(order) > 1 else EMB_FLOOR - EMB_SPAN
        if best < EMB_FLOOR or best - second < EMB_MARGIN:
            return None, 0.0
        story = self.active[ids[int(order[0])]]
        lexical = self._similarity(vec, story, when)
        if lexical < EMB_LEXICAL:
            return None, 0.0
        score = self.config.threshold * (1.0 + (best - EMB_FLOOR) / EMB_SPAN) + lexical
        return story.id, score * self._time_factor(story, when)

    def _attach(self, story: ActiveStory, art: ArticleFeatures, when: str | None) -> None:
        story.article_ids.append(art.id)
        self.story_of[art.id] = story.id
        if when is not None:
            if story.first is None or when < story.first:
                story.title = art.title  # the headline of the earliest dated report
            story.first = min(story.first or when, when)
            if story.last is None or when > story.last:
                story.last = when
                heapq.heappush(self._heap, (when, story.id))
        if art.outlet and art.outlet not in story.outlets:
            story.outlets.append(art.outlet)
        if art.language and art.language not in story.languages:
            story.languages.append(art.language)

    def _index(self, story: ActiveStory) -> None:
        terms = [
            t
            for t, _ in sorted(story.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:INDEX_TERMS]
        ]
        self._indexed[story.id] = terms
        self._norms[story.id] = math.sqrt(sum(v * v for v in story.centroid.values())) or 1.0
        for t in terms:
            self._postings.setdefault(t, {})[story.id] = None

    def _unindex(self, story: ActiveStory) -> None:
        self._norms.pop(story.id, None)
        for t in self._indexed.pop(story.id, ()):
            posting = self._postings.get(t)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self._postings[t]

    def _advance(self, when: str | None) -> list[Story]:
        """Move the clock to ``when`` and retire stories quiet for longer than quiet_days."""
        if when is None:
            return []
        if self.clock is None or when > self.clock:
            self.clock = when
        limit = datetime.fromisoformat(self.clock).timestamp() - self.config.quiet_days * 86400
        out = []
        while self._heap and datetime.fromisoformat(self._heap[0][0]).timestamp() < limit:
            last, sid = heapq.heappop(self._heap)
            story = self.active.get(sid)
            if story is None or story.last != last:
                continue  # stale heap entry: the story got newer articles since
            out.append(self.retire(sid))
        return out

    def retire(self, sid: str) -> Story:
        """Take a story out of the index (dormant) and return its record."""
        story = self.active.pop(sid)
        self._unindex(story)
        self.dedup.drop(story.article_ids)
        for a in story.article_ids:
            self.story_of.pop(a, None)
        return story.record(dormant=True)

    # ------------------------------------------------------------------ persistence

    def to_json(self) -> dict:
        return {
            "version": 1,
            "df": self.df,
            "n_docs": self.n_docs,
            "clock": self.clock,
            "active": [
                {k: getattr(s, k) for k in ActiveStory.__slots__} for s in self.active.values()
            ],
            "dedup": self.dedup.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict, config: StoriesConfig) -> StoryIndex:
        idx = cls(config=config, df=dict(data["df"]), n_docs=data["n_docs"], clock=data["clock"],
                  dedup=DedupIndex.from_json(data["dedup"]))  # fmt: skip
        idx.dedup.threshold = config.dedup_threshold
        for raw in data["active"]:
            story = ActiveStory(**raw)
            idx.active[story.id] = story
            for a in story.article_ids:
                idx.story_of[a] = story.id
            idx._index(story)
            if story.last is not None:
                heapq.heappush(idx._heap, (story.last, story.id))
        return idx


def _mean_update(mean: list[float] | None, x: np.ndarray, n: int) -> list[float]:
    if mean is None:
        return [float(v) for v in x]
    m = np.asarray(mean, dtype=np.float64)
    return [float(v) for v in m + (x.astype(np.float64) - m) / n]


__all__ = ["ActiveStory", "StoryIndex", "story_id"]
