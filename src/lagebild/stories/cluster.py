"""Online story clustering: each article joins the story it most probably belongs to, or opens one.

Articles arrive in (estimated) publication order. An article's TF-IDF vector (online document
frequencies smoothed by a general-language prior, see ``prior``; title words, names and
numbers weighted up; words no earlier article had left out of the query) finds candidate
stories through an inverted index over their top terms: the cost per article follows the
number of stories sharing a term, not the size of the store. Each candidate is described by a
few numbers (``similarity.FEATURES``: word overlap with the story as a whole and with its
closest recent article, shared names and figures, the days between the article and the
story; for a story in other languages the embedding cosine) and a logistic model learned on
real news (``similarity``) turns them into the probability that both report one event; the
article joins the most probable story when that clears ``config.threshold``.

Time is a span, not a point: a date known to the day, to the month ("2019-04") or only to
the year covers that many days, an undated article covers the window the time stage reads
from its own text, and one without any covers nothing and is matched on its words alone. A
story goes dormant when the clock is ``quiet_days`` past its last day; dormant stories leave
the active index but stay findable (through an archive of their top terms) for articles
without a precise date, which may belong to any of them, and are scored on their whole
centroid (``ARCHIVE_TERMS``, the part past the top terms kept compact).

Near-duplicates join their original's story without moving its centroid. When an article
shows that two stories are one (it belongs to both with high probability and the two are
close to each other), or a story about to go dormant turns out, as a whole, to be one with
another story, the younger story is merged into the older and its id recorded, so links to
it still resolve (``merged``). Undated reports without a window join each other only when
nearly certain (``UNDATED_PAIR``); a dated story about to go dormant takes in the stories of
undated reports that clearly belong to it (``_adopt``). An undated report placed in a story
on its words alone is a provisional member: when a story near it goes dormant it moves to a
dated story that has since become clearly its own (``_rehome``). The whole index is plain
data (``to_json`` / ``from_json``): a store resumes where the last run stopped and gets
exactly what a from-scratch run over the same order gets.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import math
import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np

from lagebild.config import StoriesConfig
from lagebild.model import Story, headline
from lagebild.stories import similarity
from lagebild.stories.archive import Archive
from lagebild.stories.dedup import DedupIndex, signature
from lagebild.stories.features import NAMED_MARGIN, ArticleFeatures, title_terms
from lagebild.stories.prior import PRIOR_DOCS, prior_df
from lagebild.stories.titles import reads_as_headline, stands_for, takes_title
from lagebild.time.infer import YearlessDay, nearest_day

ARTICLE_TERMS = 80  # an article is represented by its top terms
STORY_TERMS = 150  # a story's centroid keeps this many terms
INDEX_TERMS = 30  # ... and is findable through its top terms
# A dormant story of several reports is scored on this many of its centroid terms (found
# through its top INDEX_TERMS): an undated report that comes after its event went quiet is
# compared with the story's detail, not with a sketch of its 30 commonest words. The terms
# after the top INDEX_TERMS are kept compact (``ActiveStory.tail``). A story of one report
# keeps the sketch: most dormant stories are such (memory), and the similarity model, learned
# on sketches, scores an undated report against one report's whole vector lower than against
# its sketch (the five seeds, one dated and four undated, split into five stories in
# real-dev's undated-last order when single reports kept their detail).
ARCHIVE_TERMS = 150
QUERY_TERMS = 15  # an article looks up stories through its top terms
MAX_POSTING = 300  # a term shared by more stories is too common to look up by
NOVEL_WEIGHT = 0.0  # weight of never-seen words in the query vector
COVERAGE_FULL = 0.3  # share of an article's vector weight that must be known to count fully
MIN_SHINGLES = 25  # bodies shorter than this (in 5-word shingles) are never called copies
OUTLET_MIN = 3  # articles of an outlet seen before its boilerplate words are weighed down
OUTLET_PRUNE = 500
CANDIDATES = 10  # stories scored in full per article
CROSS_CANDIDATES = 3  # stories in other languages scored per article (closest by embedding)
MEMBERS = 8  # a story keeps the vectors of its latest articles (closest-article similarity)
ARCHIVE_MAX = 20000  # dormant stories kept findable for undated articles (oldest go first)
WIDE_DAYS = 14  # an article whose date spans more days than this also searches dormant stories
YEARLESS_FAR = 10  # days an undated article's named days must lie off a story to keep it out
# A dated story about to go dormant takes in a story of undated reports whose clearest match it
# is (``_adopt``): probability at least ADOPT_MIN and ADOPT_RATIO times the runner-up's (the
# most cautious setting within a standard error of the best on real-dev's even family half)
ADOPT_MIN = 0.2
ADOPT_RATIO = 8.0
# ... and an undated report joins a story of undated reports only at this probability (the
# most cautious setting within a standard error of the best on the even family half)
UNDATED_PAIR = 0.95
# An undated report joins a dated story that is its clear winner (probability at least
# CLEAR_MIN and CLEAR_RATIO times the runner-up's) even below the threshold (the most
# cautious setting within a standard error of the best on the even family half, 20 orders)
CLEAR_MIN = 0.3
CLEAR_RATIO = 5.0
# An undated report in a story with other reports moves, when a story near it goes dormant,
# to a dated story it would join now (``config.threshold``) with REHOME_RATIO times the
# probability of any other story, its own without it included (the most cautious setting
# within a standard error of the best on real-dev's even family half, 20 orders)
REHOME_RATIO = 2.0
RECUR_POWER = 0.5  # a term seen in k separate weeks weighs 1 / k ** RECUR_POWER
# A term's counts packed into one int (``StoryIndex.vocab``): its document frequency in the low
# 32 bits, the last week it was seen in (an ordinal // 7 < 2**20) above, and the number of
# distinct weeks from bit 52 (0: never in an article dated to within WIDE_DAYS). One dict
# entry and one int per term instead of an int, a dict entry, a list and its week: 72 instead
# of ~190 bytes per term, ~200 MB less at the bench's 1.7 M terms of 50k articles.
DF_MASK = (1 << 32) - 1
WEEK_SHIFT = 32
WEEK_MASK = (1 << 20) - 1
RECUR_SHIFT = 52

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, d) L2-normalised vectors


def story_id(first_article_id: str) -> str:
    """Stable story id: a hash of the article that opened it."""
    return hashlib.sha256(f"story:{first_article_id}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class ActiveStory:
    """A story with what matching needs (active, or dormant in the archive)."""

    id: str
    article_ids: list[str]
    title: str
    centroid: dict[str, float]
    size: int = 1  # originals only
    duplicates: list[list[str]] = field(default_factory=list)
    first: str | None = None  # ISO datetimes of the stated publication dates (JSON-ready)
    last: str | None = None
    first_precision: str = "day"  # "month": ``first`` is the 1st of an article's "2019-04"
    last_precision: str = "day"
    outlets: list[str] = field(default_factory=list)  # one per article (repeats kept)
    languages: list[str] = field(default_factory=list)  # one per article
    emb: np.ndarray | None = None  # mean document vector (float64; a list in the JSON state)
    lo: int | None = None  # first and last day (ordinals) its articles' spans cover
    hi: int | None = None
    exact_lo: int | None = None  # ... the same over its articles dated to the day
    exact_hi: int | None = None
    # ... over its articles known to within WIDE_DAYS (a day, or a month narrowed by the
    # days its text names): one report dated only to the month must not make the story
    # "near" every other report of that month (two strikes of one union two weeks apart)
    narrow_lo: int | None = None
    narrow_hi: int | None = None
    members: list[dict[str, float]] = field(default_factory=list)  # latest MEMBERS vectors
    merged: list[str] = field(default_factory=list)  # ids of stories merged into this one
    # The story is no earlier than this year: the latest year its articles name (a dated
    # article's capped at its own year). It dates a story of undated articles, which a dated
    # article of an earlier year cannot belong to ("Galeria ... 2024" vs. a 2020 filing).
    year_floor: int | None = None
    lead_title: str = ""  # its first article's lead sentence, shown when no title is a headline
    # Undated reports with no window, placed on their words alone: their membership is
    # provisional (``_rehome``). Article id -> what moving it needs (vector, names, outlet,
    # language, year, yearless days, title; JSON-ready); ``fixed_floor``: the year floor of
    # the other articles.
    provisional: dict[str, dict] = field(default_factory=dict)
    fixed_floor: int | None = None
    fixed_title: str = ""  # ... and the title they give it
    # A dormant story's centroid terms after its top INDEX_TERMS (which stay in ``centroid``
    # and in the archive postings): tab-joined, their weights as float32, a fifth of a dict's
    # memory; scored, never looked up by (``_scored``). Empty while active.
    tail: str = ""
    tail_weights: array[float] | None = None

    def record(self, dormant: bool = False) -> Story:
        return Story(
            id=self.id,
            article_ids=tuple(self.article_ids),
            title=self.title if reads_as_headline(self.title) else self.lead_title or self.title,
            duplicates=tuple((c, o) for c, o in self.duplicates),
            first=datetime.fromisoformat(self.first) if self.first else None,
            last=datetime.fromisoformat(self.last) if self.last else None,
            first_precision=self.first_precision,  # type: ignore[arg-type]
            last_precision=self.last_precision,  # type: ignore[arg-type]
            outlets=tuple(dict.fromkeys(self.outlets)),
            languages=tuple(dict.fromkeys(self.languages)),
            dormant=dormant,
            merged_ids=tuple(self.merged),
        )


@dataclass(slots=True)
class Candidate:
    """A story an article may join, with the features the model scores."""

    story: ActiveStory
    features: list[float]
    p: float = 0.0
    cross: bool = False  # scored by the cross-language model


@dataclass(slots=True)
class Prepared:
    """An article made ready to be placed: its vectors and the scored candidates."""

    vec: dict[str, float]
    query: dict[str, float]
    candidates: list[Candidate]
    when: str | None
    emb: np.ndarray | None = None


@dataclass(slots=True)
class StoryIndex:
    """The clusterer's whole state; feed it articles in order with ``add``."""

    config: StoriesConfig = field(default_factory=StoriesConfig)
    # term -> document frequency, last week seen and number of distinct weeks, packed (see
    # DF_MASK): names of actors recur over months of news (GDL, Galeria), the details of one
    # event cluster in a week or two
    vocab: dict[str, int] = field(default_factory=dict)
    n_docs: int = 0
    clock: int | None = None  # latest day (ordinal) any article started on
    # outlet -> [articles seen, {term: articles of the outlet with it}]: a word in most of an
    # outlet's articles is its boilerplate ("Folgst du schon 20 Minuten auf Whatsapp?")
    outlets: dict[str, list] = field(default_factory=dict)
    active: dict[str, ActiveStory] = field(default_factory=dict)
    archive: Archive = field(default_factory=lambda: Archive(MAX_POSTING))  # dormant stories
    dedup: DedupIndex | None = None
    story_of: dict[str, str] = field(default_factory=dict)  # active article -> story
    merged_into: dict[str, str] = field(default_factory=dict)  # merged story -> survivor
    # looked up when an index is made, not when the class is (so a test can pin a model)
    model: similarity.Models = field(default_factory=lambda: similarity.load())
    # a story going dormant merges with another that is the same event (``_consolidate``);
    # off in a teacher-forced training replay, where the gold stories decide
    consolidate: bool = True
    _postings: dict[str, dict[str, None]] = field(default_factory=dict)
    _indexed: dict[str, list[str]] = field(default_factory=dict)  # story -> its index terms
    _heap: list[tuple[int, str]] = field(default_factory=list)  # (last day, story id)
    _norms: dict[str, float] = field(default_factory=dict)  # story -> centroid norm
    _retired: list[Story] = field(default_factory=list)  # records of stories gone since add
    _merged_from: dict[str, dict[str, None]] | None = None  # see ``_pointing_at``
    # Reads the stored counts of terms into ``vocab`` before they are used (a store's index
    # keeps its vocabulary in a table, ``stories.state``); None: ``vocab`` holds every term
    fetch: Callable[[Iterable[str]], None] | None = None

    def __post_init__(self) -> None:
        if self.dedup is None:
            self.dedup = DedupIndex(threshold=self.config.dedup_threshold)

    # ------------------------------------------------------------------ vectors

    def _vector(
        self, terms: dict[str, float], lang: str | None, outlet: str | None = None
    ) -> dict[str, float]:
        """Sublinear TF-IDF over the top terms, L2-normalised; IDF = online counts + prior;
        a term weighs less the larger the share of the outlet's articles it is in."""
        n = self.n_docs + PRIOR_DOCS + 1
        vocab = self.vocab
        w = {}
        for t, c in terms.items():
            if c > 0:
                v = vocab.get(t, 0)
                recur = v >> RECUR_SHIFT
                w[t] = ((1.0 + math.log(c)) * math.log((n + 1) / ((v & DF_MASK) + prior_df(t, lang) + 1))
                        / (recur**RECUR_POWER if recur else 1.0) + 1e-9)  # fmt: skip
        if OUTLET_MIN and outlet in self.outlets and self.outlets[outlet][0] >= OUTLET_MIN:
            seen, counts = self.outlets[outlet]
            w = {t: v * (1.0 - (counts.get(t, 1) - 1) / (seen - 1)) + 1e-9 for t, v in w.items()}
        top = heapq.nlargest(ARTICLE_TERMS, w.items(), key=lambda kv: (kv[1], kv[0]))
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        return {t: v / norm for t, v in top}

    def _seen_before(self, vec: dict[str, float]) -> tuple[dict[str, float], float]:
        """The vector without words no earlier article had, renormalised, and the share of
        the vector's weight those seen words carry.

        A word seen for the first time gets the highest IDF yet cannot match any story; left
        in, it would only dilute the similarity of articles rich in new names and details.
        Evidence from a small part of the article is weaker, though: when the seen words
        carry less than COVERAGE_FULL of the vector's weight, the query is scaled down in
        proportion to that share (an article in another language shares only a name or two
        with any story; one early in a stream may know little but its outlet's promo lines,
        which cannot be weighed down before the outlet has shown them three times: in
        20min-xd a Burgdorf tank joined the Starlink story through "Breaking News",
        "Whatsapp-Kanal" and "20 Minuten", a few per cent of its weight).
        """
        vocab = self.vocab
        seen = {t: (v if vocab.get(t, 0) & DF_MASK > 1 else v * NOVEL_WEIGHT)
                for t, v in vec.items()}  # fmt: skip
        mass = sum(v * v for v in seen.values())
        norm = math.sqrt(mass) or 1.0
        scale = min(1.0, mass / COVERAGE_FULL)
        return {t: v / norm * scale for t, v in seen.items()}, mass

    # ------------------------------------------------------------------ features

    def _features(
        self,
        query: dict[str, float],
        names: frozenset[str],
        span: tuple[int, int] | None,
        story: ActiveStory,
        lang: str | None,
        coverage: float,
        year: int | None = None,
        norm: float | None = None,
        dormant: bool | None = None,
    ) -> list[float]:
        """The numbers the model scores (in ``similarity.FEATURES`` order; ``norm`` and
        ``dormant`` for a story copy that is not in the index, see ``_without``).

        Vectors are not among them: they find and score stories in other languages
        (``_add_by_embedding``). Within one language the words say more: two reports of one
        actor pair's different summits, or of one company's different filings, lie as close by
        vector as two reports of one event (real-dev, family halves: with the cosine scored
        here the untuned half's precision fell from 0.939 to 0.924).
        """
        c = _scored(story)
        norm = norm or self._norms.get(story.id) or _norm(c)
        shared = [(t, v) for t, v in query.items() if t in c]  # members' terms are the centroid's
        lex = sum(v * c[t] for t, v in shared) / norm
        sims = [sum(v * m.get(t, 0.0) for t, v in shared) for m in story.members]
        lexmax = max(sims, default=lex)
        lexavg = sum(sims) / len(sims) if sims else lex
        qn = [(t, v) for t, v in query.items() if t in names]
        qnorm = math.sqrt(sum(v * v for _, v in qn))
        name = sum(v * c.get(t, 0.0) for t, v in qn) / (qnorm * norm) if qnorm else 0.0
        if lang and story.languages and lang not in story.languages:
            # another language: names and figures are the words both share, so their
            # overlap counts as the word overlap when it is the higher
            lex, lexmax, lexavg = max(lex, name), max(lexmax, name), max(lexavg, name)
        gap, timed = _gap(span, story)
        # Contradictions in years only: an article naming a year after the story ended, or
        # dated before a year the story's articles name. (An undated article naming only
        # years before the story's is no contradiction: a 2023 report recalls 2019.)
        late = early = 0.0
        if year is not None and story.hi is not None:
            late = max(0, year - date.fromordinal(story.hi).year)
        if span is not None and story.year_floor is not None:
            early = max(0, story.year_floor - date.fromordinal(span[1]).year)
        return similarity.features(
            lex=lex, lexmax=lexmax, lexavg=lexavg, names=name, gap=gap, timed=timed,
            coverage=coverage, size=story.size, years_late=late, years_early=early,
            dormant=story.id in self.archive if dormant is None else dormant,
        )  # fmt: skip

    def _asleep(self, story: ActiveStory, span: tuple[int, int] | None) -> bool:
        """Whether ``story`` is dormant for an article of ``span``: quiet for longer than
        quiet_days before the first day the article can be from; without a span, whether
        it is in the archive.

        The clock says when a story went quiet, not whether it was quiet when an article
        dated only to the month was written: two strikes of one union two weeks apart, the
        first strike's story archived when the second one's reports come, and a report of
        the first dated "2024-01" scored it as long quiet while the second strike's story
        was awake (real-dev, untuned half: its reports went to the second strike).
        """
        last = _last_day(story)
        if span is None or last is None:
            return story.id in self.archive
        return last < span[0] - self.config.quiet_days

    def _candidates(self, query: dict[str, float], archive: bool) -> list[ActiveStory]:
        acc: dict[str, float] = {}
        top = heapq.nlargest(QUERY_TERMS, query.items(), key=lambda kv: (kv[1], kv[0]))
        lookups = (
            (self._active_posting, self.archive.posting) if archive else (self._active_posting,)
        )
        for lookup in lookups:
            for t, v in top:
                posting = lookup(t)
                if not posting:
                    continue
                for sid in posting:
                    acc[sid] = acc.get(sid, 0.0) + v
        best = heapq.nsmallest(CANDIDATES, acc.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self.active.get(s) or self.archive[s] for s, _ in best]

    def _active_posting(self, term: str) -> dict[str, None] | None:
        posting = self._postings.get(term)
        return posting if posting and len(posting) <= MAX_POSTING else None

    # ------------------------------------------------------------------ the step

    def prepare(self, art: ArticleFeatures, emb: np.ndarray | None = None) -> Prepared:
        """Count the article's words and score the stories it may join (nothing placed yet)."""
        if emb is None and art.vector is not None:
            emb = np.asarray(art.vector, dtype=np.float32)
        span = _ordinals(art.span)
        when = art.published.isoformat() if art.published else None
        self._advance(span if art.published is not None else None)
        if self.fetch is not None:
            self.fetch(art.terms)
        vocab = self.vocab
        for t in art.terms:
            vocab[t] = vocab.get(t, 0) + 1
        self.n_docs += 1
        if span is not None and span[1] - span[0] <= WIDE_DAYS:
            week = (span[0] + span[1]) // 14
            for t in art.terms:
                v = vocab[t]
                recur = v >> RECUR_SHIFT
                # first seen in a dated week, or in another week than the last it was seen in
                if not recur or abs(week - ((v >> WEEK_SHIFT) & WEEK_MASK)) > 1:
                    vocab[t] = (v & DF_MASK) | week << WEEK_SHIFT | (recur + 1) << RECUR_SHIFT
        if OUTLET_MIN and art.outlet:
            o = self.outlets.setdefault(art.outlet, [0, {}])
            o[0] += 1
            for t in art.terms:
                o[1][t] = o[1].get(t, 0) + 1
            if o[0] % OUTLET_PRUNE == 0:  # memory: forget the outlet's rare words
                o[1] = {t: c for t, c in o[1].items() if c * 50 >= o[0]}
        vec = self._vector(art.terms, art.language, art.outlet)
        query, coverage = self._seen_before(vec)
        # an article from before the stories now active (a report dated "2024-01" that came
        # after one whose text dates it to the 28th) looks among the dormant ones, too
        wide = (
            span is None
            or span[1] - span[0] > WIDE_DAYS
            or (self.clock is not None and span[1] < self.clock - self.config.quiet_days)
        )
        cands = []
        for story in self._candidates(query, archive=wide):
            near = span if span is not None else _yearless_span(art.yearless, story)
            f = self._features(query, art.names, near, story, art.language, coverage,
                               art.latest_year, dormant=self._asleep(story, span))  # fmt: skip
            cands.append(Candidate(story, f, self.model.same.p(f)))
        if emb is not None:
            self._add_by_embedding(cands, query, art, span, emb)
        return Prepared(vec, query, cands, when, emb)

    def _add_by_embedding(
        self,
        cands: list[Candidate],
        query: dict[str, float],
        art: ArticleFeatures,
        span: tuple[int, int] | None,
        emb: np.ndarray,
    ) -> None:
        """Stories in other languages, scored by embedding (words rarely find them): the
        closest few, each against the runner-up."""
        pool = [s for s in self.active.values()
                if s.emb is not None and art.language not in s.languages]  # fmt: skip
        if not pool:
            return
        mat = np.asarray([s.emb for s in pool], dtype=np.float32)
        cos = (mat @ emb.astype(np.float32)) / (np.linalg.norm(mat, axis=1) + 1e-9)
        ranked = np.argsort(-cos, kind="stable")
        for k, i in enumerate(ranked[:CROSS_CANDIDATES]):
            story = pool[int(i)]
            other = cos[ranked[1]] if k == 0 and len(ranked) > 1 else cos[ranked[0]]
            if k == 0 and len(ranked) == 1:
                other = similarity.EMB_CENTRE
            near = span if span is not None else _yearless_span(art.yearless, story)
            f = self._cross_features(query, art.names, near, story, float(cos[i]), float(other))
            cands.append(Candidate(story, f, self.model.cross.p(f), cross=True))

    def _cross_features(
        self,
        query: dict[str, float],
        names: frozenset[str],
        span: tuple[int, int] | None,
        story: ActiveStory,
        cos: float,
        other: float,
    ) -> list[float]:
        c = story.centroid
        norm = self._norms.get(story.id) or _norm(c)
        qn = [(t, v) for t, v in query.items() if t in names]
        qnorm = math.sqrt(sum(v * v for _, v in qn))
        name = sum(v * c.get(t, 0.0) for t, v in qn) / (qnorm * norm) if qnorm else 0.0
        gap, timed = _gap(span, story)
        return similarity.cross_features(emb=cos, margin=cos - other, gap=gap, timed=timed,
                                         names=name)  # fmt: skip

    def add(self, art: ArticleFeatures, emb: np.ndarray | None = None) -> tuple[str, list[Story]]:
        """Place one article; returns its story id and the stories that went dormant or were
        merged away since the last call."""
        self._advance(_ordinals(art.span) if art.published is not None else None)
        sig = signature(art.shingles)
        # A body of a few lines ("full text no longer available") says nothing about copying.
        original = self.dedup.find(sig) if len(art.shingles) >= MIN_SHINGLES else None
        if original is not None and original in self.story_of:
            story = self.active[self.story_of[original]]
            story.duplicates.append([art.id, original])
            self._attach(story, art, art.published.isoformat() if art.published else None)
            self.dedup.add(art.id, sig, original)
            return story.id, self._take_retired()
        prep = self.prepare(art, emb)
        ranked = sorted(prep.candidates, key=lambda c: (-c.p, c.story.id))
        best = ranked[0] if ranked and ranked[0].p >= self._threshold(ranked[0], art) else None
        if best is None and ranked and art.published is None and art.span is None:
            best = self._clear_winner(ranked)
        story = self.commit(prep, art, best.story.id if best else None, emb)
        if best is not None:
            story = self._merge_related(story, ranked[1:])
        self.dedup.add(art.id, sig)
        return self.story_of.get(art.id, story.id), self._take_retired()

    def _clear_winner(self, ranked: list[Candidate]) -> Candidate | None:
        """An undated report's most probable dated story when it is a clear winner:
        probability at least CLEAR_MIN and CLEAR_RATIO times the runner-up's. Its
        membership stays provisional (``_rehome``), so a report that came before its own
        event's reports can still move there."""
        top = ranked[0]
        if top.cross or top.story.lo is None or top.p < CLEAR_MIN:
            return None
        if len(ranked) > 1 and top.p < CLEAR_RATIO * ranked[1].p:
            return None
        return top

    def _threshold(self, c: Candidate, art: ArticleFeatures) -> float:
        """The probability an article needs to join candidate ``c``: UNDATED_PAIR when
        neither the article nor the story has any date (two undated reports on words alone:
        three small quakes of one region, two Galeria filings), else ``config.threshold``.
        Such a report opens a story of its own instead, which a dated story of its event
        takes in when it goes dormant (``_adopt``)."""
        if art.span is None and c.story.lo is None and not c.cross:
            return max(self.config.threshold, UNDATED_PAIR)
        return self.config.threshold

    def commit(
        self, prep: Prepared, art: ArticleFeatures, sid: str | None, emb: np.ndarray | None
    ) -> ActiveStory:
        """Put the article into story ``sid`` (active or archived) or a new one."""
        vec = prep.vec
        emb = prep.emb if emb is None else emb
        if sid is not None:
            if sid in self.archive:
                self._revive(sid)
            story = self.active[sid]
            _materialize(story)
            self._unindex(story)
            for t, v in vec.items():
                story.centroid[t] = story.centroid.get(t, 0.0) + v
            if len(story.centroid) > STORY_TERMS:
                story.centroid = dict(heapq.nlargest(STORY_TERMS, story.centroid.items(),
                                                     key=lambda kv: (kv[1], kv[0])))  # fmt: skip
            story.size += 1
            if emb is not None:
                story.emb = _mean_update(story.emb, emb, story.size)
        else:
            story = ActiveStory(id=story_id(art.id), article_ids=[], title=art.title, centroid=dict(vec),
                                emb=np.array(emb, dtype=np.float64) if emb is not None else None,
                                lead_title=art.lead_title)  # fmt: skip
            self.active[story.id] = story
        story.members = [*story.members[-(MEMBERS - 1) :], dict(vec)]
        provisional = art.published is None and art.span is None
        self._attach(story, art, prep.when, provisional=provisional)
        if provisional:
            story.provisional[art.id] = {
                "names": sorted(art.names), "outlet": art.outlet, "language": art.language,
                "year": art.latest_year, "title": art.title, "lead_title": art.lead_title,
                "yearless": [list(d) for d in art.yearless],
            }  # fmt: skip
            if sid is not None:  # alone, its vectors are the story's own (``_materialize``)
                story.provisional[art.id] |= {
                    "vec": dict(vec),
                    "emb": [float(x) for x in emb] if emb is not None else None,
                }
        self._index(story)
        return story

    def _merge_related(self, story: ActiveStory, others: list[Candidate]) -> ActiveStory:
        """Merge into ``story`` the other stories the article showed to be the same one (the
        older of two survives); returns the story the article is in now."""
        for c in others:
            if c.p < self.config.merge_threshold:
                break
            other = c.story
            if other.id == story.id or other.id not in self.active:
                continue
            if self._story_p(story, other) < self.config.merge_threshold:
                continue
            keep, gone = (story, other) if _older(story, other) else (other, story)
            self._merge(keep, gone)
            story = keep
        return story

    def _consolidate(self, story: ActiveStory) -> ActiveStory:
        """Before a story goes dormant: is it one with another story (active or dormant)?

        An article merges two stories only when it is close to both; the reports of one
        event may never meet that way (a flood's month-dated reports, one dated four days
        after that month and short undated ones each opened a story of their own). When both
        stories, taken as a whole, are probably one event seen from either side (the model's
        probability with each centroid as the query, at least ``merge_threshold``), the
        younger is merged into the older and its id recorded, so links to it still resolve.
        Returns the story that holds ``story``'s articles now.
        """
        best: tuple[float, ActiveStory] | None = None
        query = self._centroid_query(story)
        candidates = self._candidates(query, archive=True)
        for other in candidates:
            if other.id == story.id:
                continue
            p = self._story_p(story, other, query)
            if p < self.config.merge_threshold:
                continue  # the lower of both ways decides: the other way need not be scored
            p = min(p, self._story_p(other, story))
            if p >= self.config.merge_threshold and (best is None or p > best[0]):
                best = (p, other)
        if best is None:
            story = self._adopt(story, candidates)
        else:
            other = best[1]
            if other.id in self.archive:
                self._revive(other.id)
            keep, gone = (story, other) if _older(story, other) else (other, story)
            self._merge(keep, gone)
            story = keep
        self._rehome_near(story, candidates)
        return story

    # ------------------------------------------------------------------ provisional members

    def _rehome_near(self, story: ActiveStory, candidates: list[ActiveStory]) -> None:
        """Before a story goes dormant, its undated reports placed on words alone and those
        of the stories near it (``candidates``) may move: the stories around them have
        formed since they came (an undated report that came before its event's reports
        joined a story of the same actors then)."""
        for src in [story, *candidates]:
            for aid in list(src.provisional):
                if src.id in self.active or src.id in self.archive:
                    self._rehome(aid, src)

    def _rehome(self, aid: str, src: ActiveStory) -> None:
        """Move provisional member ``aid`` of ``src`` to the dated story that is now its
        clear winner: probability at least the join threshold and REHOME_RATIO times that of
        every other story, ``src`` without it included."""
        e = src.provisional.get(aid)
        if e is None or any(orig == aid for _, orig in src.duplicates):
            return  # its copies stay with it
        ghost = self._without(src, aid)
        if ghost is None:
            return  # a story of its own: ``_adopt``'s, story to story
        if self.fetch is not None:
            self.fetch(e["vec"])
        query, coverage = self._seen_before(e["vec"])
        names = frozenset(e["names"])
        yearless = [tuple(d) for d in e["yearless"]]
        scored: list[tuple[float, ActiveStory]] = []
        found = self._candidates(query, archive=True)
        if all(o.id != src.id for o in found):
            found.append(src)
        for other in found:
            target = ghost if other.id == src.id else other
            near = _yearless_span(yearless, target)  # type: ignore[arg-type]
            f = self._features(
                query, names, near, target, e["language"], coverage, e["year"],
                norm=_norm(target.centroid) if target is ghost else None,
                dormant=src.id in self.archive if target is ghost else None,
            )  # fmt: skip
            scored.append((self.model.same.p(f), other))
        scored.sort(key=lambda x: (-x[0], x[1].id))
        if not scored or scored[0][1].id == src.id or scored[0][1].lo is None:
            return
        if scored[0][0] < self.config.threshold:
            return
        if len(scored) > 1 and scored[0][0] < REHOME_RATIO * scored[1][0]:
            return
        self._move(aid, src, scored[0][1])

    def _without(self, story: ActiveStory, aid: str) -> ActiveStory | None:
        """A copy of ``story`` without its provisional member ``aid`` (None: it is alone)."""
        if story.size <= 1:
            return None
        e = story.provisional[aid]
        vec = e["vec"]
        centroid = {t: v - vec.get(t, 0.0) for t, v in _scored(story).items()}
        centroid = {t: v for t, v in centroid.items() if v > 1e-9}
        members = list(story.members)
        if vec in members:
            members.remove(vec)
        years = [p["year"] for a, p in story.provisional.items() if a != aid]
        return replace(story, centroid=centroid, members=members, size=story.size - 1,
                       tail="", tail_weights=None,
                       article_ids=[a for a in story.article_ids if a != aid],
                       year_floor=max([y for y in [story.fixed_floor, *years] if y is not None],
                                      default=None))  # fmt: skip

    def _move(self, aid: str, src: ActiveStory, dst: ActiveStory) -> None:
        """Take provisional member ``aid`` out of ``src`` (which keeps its other reports and
        its id) into ``dst``; the changed record of ``src`` waits in ``_retired``."""
        ghost = self._without(src, aid)
        assert ghost is not None
        e = src.provisional.pop(aid)
        archived = src.id in self.archive
        if archived:
            self._drop_archived(src.id)
        else:
            self._unindex(src)
            self.story_of.pop(aid, None)
        src.centroid, src.members, src.size = ghost.centroid, ghost.members, ghost.size
        src.article_ids, src.year_floor = ghost.article_ids, ghost.year_floor
        if e["outlet"] in src.outlets:
            src.outlets.remove(e["outlet"])
        if e["language"] in src.languages:
            src.languages.remove(e["language"])
        if e["emb"] is not None and src.emb is not None:
            x = np.asarray(e["emb"], dtype=np.float64)
            src.emb = (src.emb * (src.size + 1) - x) / src.size
        if src.lead_title == e["lead_title"]:
            src.lead_title = ""
        if src.title == e["title"]:  # the best title of the reports it keeps
            src.title = src.fixed_title
            weigh = _weigh(src)
            for p in src.provisional.values():
                if takes_title(p["title"], src.title, earliest=False, weigh=weigh):
                    src.title = p["title"]
        if archived:
            self._to_archive(src)
            self._retired.append(src.record(dormant=True))
        else:
            self._index(src)
            self._retired.append(src.record())
        if dst.id in self.archive:
            self._revive(dst.id)
        _materialize(dst)
        self._unindex(dst)
        for t, v in e["vec"].items():
            dst.centroid[t] = dst.centroid.get(t, 0.0) + v
        if len(dst.centroid) > STORY_TERMS:
            dst.centroid = dict(heapq.nlargest(STORY_TERMS, dst.centroid.items(),
                                               key=lambda kv: (kv[1], kv[0])))  # fmt: skip
        dst.size += 1
        if e["emb"] is not None:
            dst.emb = _mean_update(dst.emb, np.asarray(e["emb"]), dst.size)
        dst.members = [*dst.members[-(MEMBERS - 1) :], dict(e["vec"])]
        dst.article_ids.append(aid)
        self.story_of[aid] = dst.id
        if takes_title(e["title"], dst.title, earliest=False, weigh=_weigh(dst)):
            dst.title = e["title"]
        if e["outlet"]:
            dst.outlets.append(e["outlet"])
        if e["language"]:
            dst.languages.append(e["language"])
        dst.year_floor = _max(dst.year_floor, e["year"])
        dst.provisional[aid] = e
        self._index(dst)

    def _adopt(self, story: ActiveStory, candidates: list[ActiveStory]) -> ActiveStory:
        """Before a dated story goes dormant: take in the stories of undated reports that
        belong to it more clearly than to any other story (``candidates``: the stories its
        centroid found).

        An undated report is matched on its words alone when it comes, often before the
        reports of its own event (a file in random order, a backlog): it then opens a story
        of its own, or its event's story is there but not yet close enough. By the time the
        dated story goes quiet, its event's reports and most of its rivals are in; a story
        with no dated report whose most probable match is this one, at least ADOPT_MIN and
        ADOPT_RATIO times its runner-up's (a report as close to two Galeria filings belongs
        to neither for sure), is merged into it, its id recorded. With UNDATED_PAIR, on
        real-dev's family halves over 20 orders: whole 0.883 -> 0.898 (P 0.935 -> 0.938),
        untuned half 0.879 -> 0.883 (P 0.924 -> 0.927), tuned 0.912 -> 0.940.
        """
        if story.lo is None:
            return story
        for other in candidates:
            if other.id == story.id or other.lo is not None or other.id not in self.active:
                continue
            own = self._centroid_query(other)
            ps = sorted(((self._story_p(other, o, own), o.id)
                         for o in self._candidates(own, archive=True) if o.id != other.id),
                        reverse=True)  # fmt: skip
            if not ps or ps[0][1] != story.id or ps[0][0] < ADOPT_MIN:
                continue
            if len(ps) > 1 and ps[0][0] < ADOPT_RATIO * ps[1][0]:
                continue
            self._merge(story, other)
        return story

    def _centroid_query(self, story: ActiveStory) -> dict[str, float]:
        """A story's centroid as a query vector (its top terms, L2-normalised)."""
        c = _scored(story)
        na = _norm(c)
        return {t: v / na for t, v in heapq.nlargest(ARTICLE_TERMS, c.items(),
                                                     key=lambda kv: (kv[1], kv[0]))}  # fmt: skip

    def _story_p(
        self, a: ActiveStory, b: ActiveStory, query: dict[str, float] | None = None
    ) -> float:
        """The probability that two stories report one event (``a``'s centroid as the query;
        ``query``: that query, when already made). A story of undated reports is timed by the
        days they name without a year, as each report is when it comes (``_yearless_span``):
        a report of "Mittwoch, 24. Januar" is kept from a strike of 10 January when a story
        takes in undated ones (``_adopt``) as when it arrives."""
        query = self._centroid_query(a) if query is None else query
        names = frozenset(t for t in query if prior_df(t, None) == 0.0)
        span = (a.lo, a.hi) if a.lo is not None and a.hi is not None else None
        if a.narrow_lo is not None and a.narrow_hi is not None:
            span = (a.narrow_lo, a.narrow_hi)  # its closest known days
        if span is None and a.provisional:
            days = [tuple(d) for e in a.provisional.values() for d in e["yearless"]]
            span = _yearless_span(days, b)  # type: ignore[arg-type]
        lang = a.languages[0] if a.languages else None
        return self.model.same.p(self._features(query, names, span, b, lang, 1.0))

    def _merge(self, keep: ActiveStory, gone: ActiveStory) -> None:
        _materialize(keep)
        _materialize(gone)
        self._unindex(keep)
        self._unindex(gone)
        del self.active[gone.id]
        for t, v in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + v
        if len(keep.centroid) > STORY_TERMS:
            keep.centroid = dict(heapq.nlargest(STORY_TERMS, keep.centroid.items(),
                                                key=lambda kv: (kv[1], kv[0])))  # fmt: skip
        if gone.emb is not None:
            total = keep.size + gone.size
            keep.emb = (
                gone.emb
                if keep.emb is None
                else (keep.emb * keep.size + gone.emb * gone.size) / total
            )
        keep.size += gone.size
        keep.article_ids.extend(gone.article_ids)
        keep.duplicates.extend(gone.duplicates)
        keep.members = [*keep.members, *gone.members][-MEMBERS:]
        for a in gone.article_ids:
            self.story_of[a] = keep.id
        keep.outlets.extend(gone.outlets)
        keep.languages.extend(gone.languages)
        if gone.first is not None and (keep.first is None or gone.first < keep.first):
            keep.first_precision = gone.first_precision
        keep.first = _min(keep.first, gone.first)
        earliest = gone.first is not None and gone.first == keep.first
        weigh = _weigh(keep)
        if takes_title(gone.title, keep.title, earliest=earliest, weigh=weigh):
            keep.title = gone.title
        if takes_title(gone.fixed_title, keep.fixed_title, earliest=earliest, weigh=weigh):
            keep.fixed_title = gone.fixed_title
        if gone.last is not None and (keep.last is None or gone.last > keep.last):
            keep.last_precision = gone.last_precision
        keep.last = _max(keep.last, gone.last)
        keep.lo, keep.hi = _min(keep.lo, gone.lo), _max(keep.hi, gone.hi)
        keep.exact_lo = _min(keep.exact_lo, gone.exact_lo)
        keep.exact_hi = _max(keep.exact_hi, gone.exact_hi)
        keep.narrow_lo = _min(keep.narrow_lo, gone.narrow_lo)
        keep.narrow_hi = _max(keep.narrow_hi, gone.narrow_hi)
        keep.year_floor = _max(keep.year_floor, gone.year_floor)
        keep.fixed_floor = _max(keep.fixed_floor, gone.fixed_floor)
        keep.provisional.update(gone.provisional)
        keep.merged.extend([gone.id, *gone.merged])
        for old in (gone.id, *gone.merged):
            self._point(old, keep.id)
        for old in self._pointing_at().pop(gone.id, {}):  # ids that pointed to gone, not
            self._point(old, keep.id)  # by a scan of every merge there ever was
        if keep.hi is not None:
            heapq.heappush(self._heap, (_last_day(keep), keep.id))
        self._index(keep)

    def _pointing_at(self) -> dict[str, dict[str, None]]:
        """Survivor -> the merged ids ``merged_into`` points at it (made on first use)."""
        if self._merged_from is None:
            self._merged_from = {}
            for old, into in self.merged_into.items():
                self._merged_from.setdefault(into, {})[old] = None
        return self._merged_from

    def _point(self, old: str, into: str) -> None:
        """``merged_into[old] = into``, keeping ``_pointing_at`` in step."""
        pointing = self._pointing_at()
        before = self.merged_into.get(old)
        if before is not None and before != into and before in pointing:
            pointing[before].pop(old, None)
        self.merged_into[old] = into
        pointing.setdefault(into, {})[old] = None

    def _take_retired(self) -> list[Story]:
        out, self._retired = self._retired, []
        return out

    def _attach(
        self, story: ActiveStory, art: ArticleFeatures, when: str | None, provisional: bool = False
    ) -> None:
        story.article_ids.append(art.id)
        self.story_of[art.id] = story.id
        earliest = when is not None and (story.first is None or when < story.first)
        weigh = _weigh(story, art.language)
        if takes_title(art.title, story.title, earliest=earliest, weigh=weigh):
            story.title = art.title  # a better kind, the one that stands for it, the earliest
        if not provisional and takes_title(
            art.title, story.fixed_title, earliest=earliest, weigh=weigh
        ):
            story.fixed_title = art.title
        if when is not None:
            precision = art.published_precision
            if story.first is None or when < story.first:
                story.first, story.first_precision = when, precision
            elif when == story.first and precision == "day":
                story.first_precision = "day"  # the 1st itself is stated
            if story.last is None or when > story.last:
                story.last, story.last_precision = when, precision
            elif when == story.last and precision == "day":
                story.last_precision = "day"
        span = _ordinals(art.span)
        if span is not None:
            before = _last_day(story)
            story.lo = _min(story.lo, span[0])
            story.hi = _max(story.hi, span[1])
            if span[1] - span[0] <= 1:
                story.exact_lo = _min(story.exact_lo, span[0])
                story.exact_hi = _max(story.exact_hi, span[1])
            if span[1] - span[0] <= WIDE_DAYS:
                story.narrow_lo = _min(story.narrow_lo, span[0])
                story.narrow_hi = _max(story.narrow_hi, span[1])
            if (last := _last_day(story)) != before and last is not None:
                heapq.heappush(self._heap, (last, story.id))
        if art.latest_year is not None:
            floor = art.latest_year if span is None else min(art.latest_year,
                                                             date.fromordinal(span[1]).year)  # fmt: skip
            story.year_floor = _max(story.year_floor, floor)
            if not provisional:
                story.fixed_floor = _max(story.fixed_floor, floor)
        if art.outlet:
            story.outlets.append(art.outlet)
        if art.language:
            story.languages.append(art.language)

    def _index(self, story: ActiveStory) -> None:
        terms = [t for t, _ in heapq.nlargest(INDEX_TERMS, story.centroid.items(),
                                              key=lambda kv: (kv[1], kv[0]))]  # fmt: skip
        self._indexed[story.id] = terms
        self._norms[story.id] = _norm(story.centroid)
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

    def _advance(self, span: tuple[int, int] | None) -> None:
        """Move the clock to a dated article's first day and retire stories quiet for longer
        than quiet_days (their records wait in ``_retired``). Only stated dates move the clock:
        a window read from an undated article's text may be far off."""
        if span is None:
            return
        if self.clock is None or span[0] > self.clock:
            self.clock = span[0]
        limit = self.clock - self.config.quiet_days
        while self._heap and self._heap[0][0] < limit:
            hi, sid = heapq.heappop(self._heap)
            story = self.active.get(sid)
            if story is None or _last_day(story) != hi:
                continue  # stale heap entry: the story got newer articles since
            story = self._consolidate(story) if self.consolidate else story
            if story.id != sid or _last_day(story) != hi:
                continue  # merged into another story, or took one with later articles
            self._retired.append(self.retire(sid))

    def retire(self, sid: str) -> Story:
        """Take a story out of the active index into the archive and return its record."""
        story = self.active.pop(sid)
        self._unindex(story)
        self.dedup.drop(story.article_ids)
        for a in story.article_ids:
            self.story_of.pop(a, None)
        self._to_archive(story)
        return story.record(dormant=True)

    def _to_archive(self, story: ActiveStory) -> None:
        dormant_form(story)
        self.archive.add(story)
        self._norms[story.id] = _norm(_scored(story))
        while len(self.archive) > ARCHIVE_MAX:
            old = self.archive.evict_oldest()
            if old is not None:
                self._norms.pop(old.id, None)
                _whole(old)

    def _drop_archived(self, sid: str) -> ActiveStory:
        """Take a story out of the archive, its centroid whole again."""
        story = self.archive.pop(sid)
        self._norms.pop(sid, None)
        _whole(story)
        return story

    def _revive(self, sid: str) -> None:
        """An archived story takes a new article: it is active again."""
        story = self._drop_archived(sid)
        self.active[sid] = story
        for a in story.article_ids:
            self.story_of[a] = sid
        if story.hi is not None:
            heapq.heappush(self._heap, (_last_day(story), sid))
        self._index(story)

    # ------------------------------------------------------------------ persistence

    def head_json(self) -> dict:
        """The index without its vocabulary and archive, which a store keeps in tables
        (version 7, ``stories.state``): what every run reads whole."""
        return {
            "version": 7,
            "n_docs": self.n_docs,
            "outlets": self.outlets,
            "clock": self.clock,
            "active": [dumped(s) for s in self.active.values()],
            "merged_into": self.merged_into,
            "dedup": self.dedup.to_json(),
        }

    def to_json(self) -> dict:
        """The whole index as plain data (version 6)."""
        return self.head_json() | {
            "version": 6,
            "vocab": self.vocab,
            "archive": [dumped(s) for s in self.archive.values()],
        }

    @classmethod
    def from_json(
        cls,
        data: dict,
        config: StoriesConfig,
        *,
        own: bool = False,
        archive: Archive | None = None,
    ) -> StoryIndex:
        """The index ``to_json`` gave. ``own``: the caller gives ``data`` up (decoded from the
        store): its vocabulary is taken instead of copied and its stories dropped as
        they are loaded (at 50k articles the copies held ~400 MB beside the decoded state).
        A version-7 head (``head_json``) needs the ``archive`` its store keeps and starts
        with an empty vocabulary, which the caller fills as terms come (``fetch``)."""
        version = data.get("version")
        if version == 4:  # df and weeks apart
            vocab = packed_vocab(data.pop("df") if own else data["df"], data["weeks"])
        elif version in (5, 6):  # 5: dormant stories kept only their top INDEX_TERMS
            vocab = data["vocab"] if own else dict(data["vocab"])
        elif version == 7 and archive is not None:
            vocab = {}
        else:
            raise ValueError("story index from an older version")
        idx = cls(config=config, vocab=vocab, n_docs=data["n_docs"], clock=data["clock"],
                  outlets={o: [v[0], dict(v[1])] for o, v in data.get("outlets", {}).items()},
                  dedup=DedupIndex.from_json(data["dedup"]),
                  merged_into=dict(data.get("merged_into", {})),
                  **({"archive": archive} if archive is not None else {}))  # fmt: skip
        idx.dedup.threshold = config.dedup_threshold
        for raw in data["active"]:
            story = loaded(raw)
            idx.active[story.id] = story
            for a in story.article_ids:
                idx.story_of[a] = story.id
            idx._index(story)
            if story.hi is not None:
                heapq.heappush(idx._heap, (_last_day(story), story.id))
        archive = data.get("archive", [])
        if own:  # oldest first, each raw story let go once loaded
            data["archive"] = []
            archive.reverse()
            while archive:
                idx._to_archive(loaded(archive.pop()))
        else:
            for raw in archive:
                idx._to_archive(loaded(raw))
        return idx


def packed_vocab(df: dict[str, int], weeks: dict[str, list[int]]) -> dict[str, int]:
    """A version-4 state's df and weeks as one vocabulary (see DF_MASK)."""
    out = {}
    for t, d in df.items():
        w = weeks.get(t)
        out[t] = d | (w[0] << WEEK_SHIFT | w[1] << RECUR_SHIFT if w else 0)
    return out


def dumped(s: ActiveStory) -> dict:
    """A story as plain data (``loaded`` reads it back)."""
    out = {k: getattr(s, k) for k in ActiveStory.__slots__}
    out["emb"] = s.emb.tolist() if s.emb is not None else None
    out["tail_weights"] = _packed_weights(s.tail_weights)
    return out


def loaded(raw: dict) -> ActiveStory:
    emb, tail = raw.get("emb"), raw.get("tail_weights")
    return ActiveStory(**(raw | {"emb": np.asarray(emb, dtype=np.float64) if emb else None,
                                 "tail_weights": _unpacked_weights(tail)}))  # fmt: skip


def _packed_weights(weights: array[float] | None) -> str | None:
    """float32 weights as base64 of their little-endian bytes: exact, and a quarter of the
    state a JSON list of the same numbers takes."""
    if weights is None:
        return None
    if sys.byteorder == "big":
        weights = array("f", weights)
        weights.byteswap()
    return base64.b64encode(weights.tobytes()).decode("ascii")


def _unpacked_weights(text: str | None) -> array[float] | None:
    if text is None:
        return None
    weights = array("f", base64.b64decode(text))
    if sys.byteorder == "big":
        weights.byteswap()
    return weights


def dormant_form(story: ActiveStory) -> None:
    """What a story keeps while dormant: its top INDEX_TERMS in ``centroid`` and the rest
    of ARCHIVE_TERMS compact in ``tail`` (a story of one report: the top terms alone), its
    last two members, no provisional records when alone. A story loaded from the state is
    in that form already."""
    if story.size <= 1:  # a report alone is never moved, only adopted story to story:
        story.provisional = {}  # what moving it needs would only weigh on the state
    story.members = story.members[-2:]
    if story.tail_weights is None:
        keep = ARCHIVE_TERMS if story.size > 1 else INDEX_TERMS
        top = heapq.nlargest(keep, story.centroid.items(),
                             key=lambda kv: (kv[1], kv[0]))  # fmt: skip
        story.centroid = dict(top[:INDEX_TERMS])
        story.tail = "\t".join(t for t, _ in top[INDEX_TERMS:])
        story.tail_weights = array("f", (v for _, v in top[INDEX_TERMS:]))


def _whole(story: ActiveStory) -> None:
    """A story out of the archive: its centroid whole again."""
    story.centroid = _scored(story)
    story.tail, story.tail_weights = "", None


def _scored(story: ActiveStory) -> dict[str, float]:
    """The centroid a story is scored on: a dormant story's top terms and its tail."""
    if not story.tail or story.tail_weights is None:
        return story.centroid
    return story.centroid | dict(zip(story.tail.split("\t"), story.tail_weights, strict=True))


def _materialize(story: ActiveStory) -> None:
    """Before a story of one report takes another: its provisional report's vectors, which
    are the story's own while it is alone (kept once: a stream of undated reports is mostly
    such stories, and the copies made a third of the index state on 10kGNAD)."""
    if story.size == 1 and story.members:
        for e in story.provisional.values():
            if "vec" not in e:
                e["vec"] = dict(story.members[-1])
                e["emb"] = story.emb.tolist() if story.emb is not None else None


def _weigh(story: ActiveStory, lang: str | None = None) -> Callable[[str], float]:
    """How well a title stands for ``story`` (``titles.stands_for``): the words of its shown
    part (``headline``) that at least two of the story's latest reports (``members``) have,
    weighed by the centroid. A word only the title's own report has (its title words weigh
    TITLE_WEIGHT there) counts for nothing: a caption's words are its own. Titles are read in
    the language of the story's first report (else ``lang``)."""
    centroid = _scored(story)
    members = story.members
    lang = (story.languages[0] if story.languages else lang) or "de"

    def weigh(title: str) -> float:
        terms = title_terms(headline(title), lang)
        shared = {t: centroid.get(t, 0.0) for t in terms if sum(t in m for m in members) >= 2}
        return stands_for(terms, shared)

    return weigh


def _ordinals(span: tuple[date, date] | None) -> tuple[int, int] | None:
    return (span[0].toordinal(), span[1].toordinal()) if span is not None else None


def _yearless_span(days: Sequence[YearlessDay], story: ActiveStory) -> tuple[int, int] | None:
    """An undated article that names days without a year, none of them within
    ``YEARLESS_FAR`` days of a dated story, is compared with it as if published on the
    nearest of them ("Mittwoch, 24. Januar" beside a story of 10–12 January 2024: a report of
    24 January 2024, another strike). A day near the story is evidence for it only when its
    weekday is named and fits (a weekday pins a day and month to one year in five to eleven:
    "Mittwoch, 24. Januar" beside a story of 23–31 January 2024 is a report of that week);
    without one it may be told of any year (the insolvency filed "am 1. April" 2020 and the
    court that opened "zum 1. April" 2024), so then the article stays untimed. None without
    such days or a dated story."""
    lo, hi = story.narrow_lo, story.narrow_hi
    if lo is None or hi is None:
        lo, hi = story.lo, story.hi
    if not days or lo is None or hi is None:
        return None
    d = nearest_day(days, date.fromordinal(lo), date.fromordinal(hi))
    if d is None:
        return None
    if max(lo - d.toordinal(), d.toordinal() - hi) <= YEARLESS_FAR and not any(
        (m, day) == (d.month, d.day) and wd is not None for m, day, wd in days
    ):
        return None
    return d.toordinal() - NAMED_MARGIN, d.toordinal() + NAMED_MARGIN


def _gap(span: tuple[int, int] | None, story: ActiveStory) -> tuple[float, float]:
    """Days between an article's span and the story's, and 1.0 when both are dated (else
    0.0, 0.0). The story's span is the closest it is known: over its articles dated to the
    day when the article is one too, else over its articles known to within WIDE_DAYS when
    the article is, else over all of them."""
    if span is None:
        return 0.0, 0.0
    width = span[1] - span[0]
    if story.exact_lo is not None and width <= 1:
        lo, hi = story.exact_lo, story.exact_hi
    elif story.narrow_lo is not None and width <= WIDE_DAYS:
        lo, hi = story.narrow_lo, story.narrow_hi
    else:
        lo, hi = story.lo, story.hi
    if lo is None or hi is None:
        return 0.0, 0.0
    return float(max(0, span[0] - hi, lo - span[1])), 1.0


def _last_day(story: ActiveStory) -> int | None:
    """The last day a story is known to have news on: over its articles known to within
    WIDE_DAYS when it has such (a report dated only "2024-01" does not show that a strike
    of the 10th still made news on the 31st), else over all. It goes dormant from there."""
    return story.narrow_hi if story.narrow_hi is not None else story.hi


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values())) or 1.0


def _min(a, b):  # type: ignore[no-untyped-def]
    return b if a is None else a if b is None else min(a, b)


def _max(a, b):  # type: ignore[no-untyped-def]
    return b if a is None else a if b is None else max(a, b)


def _older(a: ActiveStory, b: ActiveStory) -> bool:
    """Whether ``a`` is the story to keep in a merge: the one with the earlier start."""
    ka = (a.lo if a.lo is not None else math.inf, -a.size, a.id)
    kb = (b.lo if b.lo is not None else math.inf, -b.size, b.id)
    return ka <= kb


def _mean_update(mean: np.ndarray | None, x: np.ndarray, n: int) -> np.ndarray:
    if mean is None:
        return np.array(x, dtype=np.float64)
    return mean + (x.astype(np.float64) - mean) / n


__all__ = [
    "ActiveStory",
    "Candidate",
    "Prepared",
    "StoryIndex",
    "dormant_form",
    "dumped",
    "loaded",
    "packed_vocab",
    "story_id",
]
