"""``Lagebild``: the library object the CLI and the web app both drive.

It ties the pure stages to the store: read inputs, keep what is new, analyse it once,
cluster it into stories, and hand out docs for the story-level stages. Nothing here parses
text or scores anything; that is the stages' work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.model import Article, Doc, Story
from lagebild.pipeline import Pipeline, StageFailure
from lagebild.store import Store
from lagebild.store.story_counts import StoryCounts

if TYPE_CHECKING:
    from lagebild.changes import Change, StoryNews
    from lagebild.dossier.card import StoryCard
    from lagebild.entities.catalog import EntityDetail, EntityRow
    from lagebild.store.listing import ArticlePage, ArticleQuery, StoryPage, StoryQuery
    from lagebild.store.search import SearchPage
    from lagebild.stories.features import ArticleFeatures

Progress = Callable[[str, int], None]  # (what happened, how many) after each input item
Notify = Callable[[str], None]  # one line for the user: what lagebild waits for or finishes

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """Counts and names from one ingest run."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    failed: list[StageFailure] = field(default_factory=list)  # stages that raised on an article
    resumed: int = 0  # articles an interrupted run had left unanalysed, analysed now

    @property
    def ok(self) -> bool:
        """Whether anything at all could be read (new or already stored)."""
        return bool(self.added or self.duplicates)


@dataclass(slots=True)
class FinishReport:
    """What ``finish`` did: articles analysed, whether the stories were brought up to date,
    and the stages that failed; ``busy`` when another process was at it."""

    analysed: int = 0
    clustered: bool = False
    failed: list[StageFailure] = field(default_factory=list)
    busy: bool = False


@dataclass(slots=True)
class ReanalyseReport:
    """What ``reanalyse`` did: how many analyses were out of date, how many were made again,
    the stages that failed on an article; ``busy`` when another process held the store."""

    stale: int = 0
    analysed: int = 0
    failed: list[StageFailure] = field(default_factory=list)
    busy: bool = False


@dataclass(slots=True)
class RereadReport:
    """What one reread did: ids of changed articles (old -> new) and the counts of the rest."""

    changed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # formats that keep too little of their input (feed entries)
    failed: list[Rejection] = field(default_factory=list)  # no longer readable: kept as they are


class Lagebild:
    """One corpus: its database, its configuration and its pipeline."""

    analysis_batch = 100  # analyses stored per transaction (what a crash can cost to redo)
    # docs an ingest analysed, kept for the steps after clustering instead of decoded again
    # (~1 ms each); ~125 KB each for a 10kGNAD article, so the newest this many (``_fresh``)
    fresh_docs = 1_000
    # an ingest that analysed at least this many articles lets the stages' models and per-word
    # tables go before clustering (``Pipeline.release``, ~250 MB at 10k articles): loading them
    # again costs ~0.6 s, < 2 % of analysing this many. One given this many to analyse keeps
    # no fresh docs (~125 MB): its entity lists read every analysis anyway (~1 s more decoding)
    release_after = 2_000
    MODE_KEY = "analysis.mode"  # "fast" or "encoder": the mode the stored analyses were made in

    def __init__(
        self,
        db: str | Path = "lagebild.db",
        config: Config | None = None,
        *,
        notify: Notify | None = None,
        finish_first: bool = True,
    ) -> None:
        """``finish_first``: the first call that shows stories finishes what an interrupted
        run left (``finish_interrupted``); off for a server's request threads, where the
        server did that once before it served, so that no request pays for it."""
        self.config = config or Config()
        self.notify: Notify = notify or log.warning
        self.store = Store(db, notify=self.notify)
        self._pipeline: Pipeline | None = None
        # whether unfinished work was looked for (once per object)
        self._current = not finish_first
        # filtered story lists count in memory; a server's threads share one (web/app.py)
        self.story_counts = StoryCounts()
        # article id -> doc of the running ingest (``_analyse_and_cluster``), oldest first;
        # None outside one
        self._fresh: dict[str, Doc] | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.config)
        return self._pipeline

    @property
    def mode(self) -> str:
        """ "fast" or "encoder": the mode this object analyses in."""
        return "fast" if self.config.fast else "encoder"

    def stored_mode(self) -> str | None:
        """The mode the corpus was last analysed in, None before any analysis. A command
        that is not told a mode works in this one, so that looking at a corpus ingested with
        ``--encoder`` does not redo its analyses in fast mode (README, "Two modes")."""
        mode = self.store.get_state(self.MODE_KEY)
        if mode in ("fast", "encoder"):
            return mode
        # a corpus analysed before the mode was recorded: its last analysis tells
        encode = next((s for s in self.store.latest_stages() if s.startswith("encode@")), None)
        return None if encode is None else ("fast" if encode.endswith("-fast") else "encoder")

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------ ingest

    def ingest(
        self,
        sources: Sequence[str | Path],
        *,
        analyze: bool = True,
        progress: Progress | None = None,
        batch_size: int = 200,
        outlet: str | None = None,
    ) -> IngestReport:
        """Read every source, store the new articles, then analyse and cluster them.

        A bad input is recorded as a rejection and the batch goes on; articles are stored in
        transactions of ``batch_size``. ``outlet`` names the outlet of articles whose source
        names none (a text dump without a copyright footer); an outlet the source names wins.
        """
        from lagebild.ingest import read_sources  # here: readers load http, ssl, email

        items = read_sources(sources, self.config)
        return self.add(
            items, analyze=analyze, progress=progress, batch_size=batch_size, outlet=outlet
        )

    def _without_outlet_lines(self, batch: list[Article]) -> list[Article]:
        """The batch without the lines each outlet prints under many different articles
        (``ingest/boilerplate.py``); what the outlets print is remembered in the store."""
        from lagebild.ingest.boilerplate import STATE_KEY, OutletLines

        if not any(a.outlet for a in batch):
            return batch
        lines = OutletLines.from_state(self.store.get_state(STATE_KEY))
        lines.learn(batch)
        self.store.put_state(STATE_KEY, lines.to_state())
        return [lines.strip(a) for a in batch]

    def add(
        self,
        items: Iterable[Article | Rejection],
        *,
        analyze: bool = True,
        progress: Progress | None = None,
        batch_size: int = 200,
        outlet: str | None = None,
    ) -> IngestReport:
        """Store articles read already (``ingest`` without the reading; ``watch`` reads its
        own sources), record the rejections, then analyse and cluster what is new."""
        report = IngestReport()
        batch: list[Article] = []

        def flush() -> None:
            batch[:] = self._without_outlet_lines(batch)
            result = self.store.add_articles(batch)
            report.added.extend(result.added)
            report.duplicates.extend(result.duplicates)
            batch.clear()

        for item in items:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                self.store.add_rejections([item])
                if progress:
                    progress("rejected", 1)
                continue
            if outlet and not item.outlet:
                item = replace(item, outlet=outlet)
            batch.append(item)
            if progress:
                progress("read", 1)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        self.store.compact_search(len(report.added))
        if analyze:
            # what this run added, and what an interrupted run left behind
            done = self.finish(progress, added=report.added)
            report.failed.extend(done.failed)
            report.resumed = max(0, done.analysed - len(report.added))
        return report

    def load_analysed(self, folder: str | Path, *, batch_size: int = 200) -> IngestReport:
        """Store the articles and analyses a Spark job wrote (``lagebild scale run``), then
        cluster. Counted like an ingest: what the store has already is a duplicate. An
        analysis made by other stage versions is redone here when a doc is asked for."""
        from lagebild.pipeline import settle_collector
        from lagebild.scale.job import output_records, output_rejections
        from lagebild.store.spill import Spill
        from lagebild.stories.features import from_doc

        report = IngestReport(rejected=output_rejections(folder))
        self.store.add_rejections(report.rejected)
        batch: list[Doc] = []
        encoded: dict[str, bytes] = {}  # each analysis as the job wrote it: stored as it is
        versions = self.pipeline.versions
        # the collector as an ingest has it after its first analysed doc (here none is):
        # with CPython's default, 12 % of a 2,000-article load was spent in it, 4 % now
        settle_collector()
        feats: Spill[ArticleFeatures] = Spill()  # clustered from the docs read, not read back

        def flush() -> None:
            result = self.store.add_articles([d.article for d in batch])
            added = set(result.added)
            self.store.put_docs((d for d in batch if d.id in added), encoded)
            feats.update(
                (d.id, from_doc(d)) for d in batch if d.id in added and d.stages == versions
            )
            report.added.extend(result.added)
            report.duplicates.extend(result.duplicates)
            batch.clear()
            encoded.clear()

        for doc, data in output_records(folder):
            batch.append(doc)
            if data is not None:
                encoded[doc.id] = data
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        self.store.compact_search(len(report.added))
        if report.added:
            with self.store.lock.hold("analysing and clustering", notify=self.notify):
                # analyses only what other versions made
                report.failed.extend(self._analyse_and_cluster(report.added, features=feats))
        return report

    # ------------------------------------------------------------------ analysis

    def analyze(
        self, ids: Sequence[str] | None = None, *, progress: Progress | None = None
    ) -> list[StageFailure]:
        """Run the per-article stages on articles whose stored analysis is missing or stale;
        the stages that failed on an article (each logged, recorded, and left out)."""
        failures: list[StageFailure] = []
        for _ in self._analyse(ids, progress, failures):
            pass
        return failures

    def _analyse(
        self,
        ids: Sequence[str] | None,
        progress: Progress | None,
        failures: list[StageFailure] | None = None,
    ) -> Iterator[Doc]:
        """Analyse and store what needs it, yielding each doc once it is stored (so callers
        use the docs in memory instead of reading them back). A stage that fails on an
        article is recorded (``failures``, and the store's rejection log) and left out."""
        versions = self.pipeline.versions
        wanted = list(ids if ids is not None else self._ids())
        known = self.store.analysed(wanted, versions)
        # only the articles to analyse are read: ``scale load`` asks about 10k analysed ones
        todo = self.store.articles([i for i in wanted if i not in known])
        batch: list[Doc] = []
        failed: list[StageFailure] = []
        for article in todo:
            doc, failed_here = self.pipeline.run(article)
            failed.extend(failed_here)
            batch.append(doc)
            if progress:
                progress("analysed", 1)
            if len(batch) >= self.analysis_batch:
                self._put(batch, failed, failures)
                yield from batch
                batch.clear()
        if batch:
            self._put(batch, failed, failures)
            yield from batch

    def _put(
        self, docs: list[Doc], failed: list[StageFailure], into: list[StageFailure] | None
    ) -> None:
        """Store docs with the failures made on them (as rejections naming stage and article)."""
        with self.store.transaction():
            self.store.put_docs(docs)
            if docs and self.store.get_state(self.MODE_KEY) != self.mode:
                self.store.put_state(self.MODE_KEY, self.mode)
            if failed:
                self.store.add_rejections(Rejection(f.article_id, f.stage, str(f)) for f in failed)
        self._keep_fresh(docs)
        if into is not None:
            into.extend(failed)
        failed.clear()

    def reanalyse(
        self, *, dry_run: bool = False, progress: Progress | None = None, wait: bool = True
    ) -> ReanalyseReport:
        """Analyse again every article whose stored analysis was made by other stage
        versions (after an upgrade, a retrained model or a switch of NER mode).

        Otherwise each is redone on first view, and the first entity list or dossier after
        an upgrade pays for all of them. The stories stay as they are (``cluster(from_scratch
        =True)`` regroups them with the new analyses); their cards, entity lists and cached
        dossiers are brought up to date."""
        from lagebild.dossier.cache import precompute
        from lagebild.entities.index import refresh
        from lagebild.store.listing import mark_articles

        report = ReanalyseReport()
        with self.store.lock.hold("re-analysing", wait=wait, notify=self.notify) as got:
            if not got:
                report.busy = True
                return report
            stale = self.store.stale(self.pipeline.versions)
            report.stale = len(stale)
            if dry_run or not stale:
                return report
            for start in range(0, len(stale), self.analysis_batch):
                chunk = stale[start : start + self.analysis_batch]
                for _ in self._analyse(chunk, progress, report.failed):
                    report.analysed += 1
                with self.store.transaction():
                    mark_articles(self.store, chunk)
            refresh(self)
            self.refresh_listing()
            precompute(self)
        return report

    def _ids(self) -> Iterator[str]:
        return (aid for aid, _ in self.store.article_dates())

    def reread(self, *, dry_run: bool = False, progress: Progress | None = None) -> RereadReport:
        """Read every stored article again from its raw input with the current rules.

        A changed article replaces its old version (kept in the store's ``rereads`` table),
        is analysed again, and the stories are clustered from scratch. An input the current
        rules reject keeps its stored article and is reported.
        """

        with self.store.lock.hold("rereading", notify=self.notify):
            return self._reread(dry_run, progress)

    def _reread(self, dry_run: bool, progress: Progress | None) -> RereadReport:
        from lagebild.ingest.reread import reread
        from lagebild.model import to_dict

        report = RereadReport()
        for old in list(self.store.articles()):
            new = reread(old, self.config)
            if progress:
                progress("reread", 1)
            if new is None:
                report.skipped += 1
            elif isinstance(new, Rejection):
                report.failed.append(new)
            elif to_dict(new) == to_dict(old):
                report.unchanged += 1
            else:
                report.changed.append((old.id, new.id))
                if not dry_run:
                    self.store.replace_article(old, new)
        if report.changed and not dry_run:
            from lagebild.changes.log import ChangeLog

            ChangeLog(self.store).rename(report.changed)  # the same articles, not news
            self._analyse_and_cluster([n for _, n in report.changed], progress, from_scratch=True)
        return report

    def _keep_fresh(self, docs: Iterable[Doc]) -> None:
        """During an ingest, keep the docs just stored (the newest ``fresh_docs``) for what
        follows clustering: the change log, entity lists, story lists and dossiers read them
        here instead of decoding what was just encoded. Only complete analyses: one a stage
        failed on is stale to ``docs``, which tries it again."""
        if self._fresh is None:
            return
        versions = self.pipeline.versions
        for doc in docs:
            self._fresh.pop(doc.id, None)
            if doc.stages == versions:
                self._fresh[doc.id] = doc
        while len(self._fresh) > self.fresh_docs:
            del self._fresh[next(iter(self._fresh))]

    def _stored_doc(self, article_id: str) -> Doc | None:
        """The stored analysis of ``article_id`` whatever made it (as the story list's cards
        take it), from the running ingest's docs when it has it."""
        if self._fresh is not None and (doc := self._fresh.get(article_id)) is not None:
            return doc
        return self.store.doc(article_id)

    def docs(self, ids: Iterable[str]) -> Iterator[Doc]:
        """Analysed docs for ``ids`` (analysed now when missing or stale)."""
        versions = self.pipeline.versions
        fresh = self._fresh
        for article_id in ids:
            if fresh is not None and (doc := fresh.get(article_id)) is not None:
                yield doc
                continue
            doc = self.store.doc(article_id, versions)
            if doc is None:
                from lagebild.store.listing import mark_articles

                doc, failed = self.pipeline.run(self.store.article(article_id))
                with self.store.transaction():
                    self._put([doc], list(failed), None)
                    mark_articles(self.store, [article_id])  # the story's card is made from it
            yield doc

    def _analyse_and_cluster(
        self,
        ids: Sequence[str],
        progress: Progress | None = None,
        *,
        from_scratch: bool = False,
        features: MutableMapping[str, ArticleFeatures] | None = None,
    ) -> list[StageFailure]:
        """Analyse ``ids`` and cluster them with the features taken from the docs in memory
        (and ``features`` of docs the caller has in memory already). The features wait for
        clustering on disk (``Spill``), so memory does not grow with the batch."""
        from lagebild.store.spill import Spill
        from lagebild.stories.features import from_doc

        failures: list[StageFailure] = []
        feats = features if features is not None else Spill()
        self._fresh = {} if len(ids) < self.release_after else None
        analysed = 0
        try:
            for doc in self._analyse(ids, progress, failures):
                feats[doc.id] = from_doc(doc)
                analysed += 1
            if analysed >= self.release_after:
                self.pipeline.release()  # clustering and what follows analyse next to nothing
                self._fresh = None
            self._cluster(from_scratch, feats, failures)
        finally:
            self._fresh = None
        return failures

    # ------------------------------------------------------------------ unfinished work

    def pending(self) -> tuple[int, int]:
        """(articles without analysis, articles in no story): what an interrupted ingest (or
        ``--no-analyze``) left. Two counting queries, cheap enough for every command."""
        return len(self.store.unanalysed()), self.store.unclustered()

    def finish(
        self, progress: Progress | None = None, *, added: Sequence[str] = (), wait: bool = True
    ) -> FinishReport:
        """Analyse every article without analysis and bring the stories up to date.

        An ingest ends with this, so a run killed at any point (reading, analysing,
        clustering) is finished by the next one, and the database ends as one clean run
        would have left it. The work holds the writer lock: a second process waits and is
        told for whom (or, with ``wait`` off, leaves it to the one at it: ``busy``).
        """
        report = FinishReport()
        self._current = True
        with self.store.lock.hold("analysing and clustering", wait=wait, notify=self.notify) as got:
            if not got:
                report.busy = True
                return report
            todo = self.store.unanalysed()
            if todo or added or self.store.unclustered():
                report.failed = self._analyse_and_cluster(todo, progress)
                report.analysed = len(todo)
                report.clustered = True
        return report

    def _ensure_current(self) -> None:
        """Before stories are shown: finish what an interrupted run left (once per object)."""
        if not self._current:
            self.finish_interrupted()

    def finish_interrupted(self) -> FinishReport:
        """Finish what an interrupted run left, saying so (``notify``), or say who is at it
        when another process holds the writer lock (then the stories are as they are now).
        Nothing to do costs two counting queries."""
        self._current = True
        unanalysed, unclustered = self.pending()
        if not (unanalysed or unclustered):
            return FinishReport()
        self.notify(
            f"{unanalysed} articles without analysis, {unclustered} in no story "
            "(an interrupted or --no-analyze ingest): finishing that first …"
        )
        done = self.finish(wait=False)
        if done.busy:
            self.notify(
                f"{self.store.lock.holder()} is at it; stories are shown as they are now "
                "(`lagebild resume` finishes the work)"
            )
        for failure in done.failed:
            self.notify(str(failure))
        return done

    def cluster(
        self,
        *,
        from_scratch: bool = False,
        features: MutableMapping[str, ArticleFeatures] | None = None,
        failures: list[StageFailure] | None = None,
    ) -> list[Story]:
        """Group the stored articles into stories (incrementally unless ``from_scratch``);
        every story afterwards.

        ``features`` are those of articles just analysed (taken, not read back from the
        store); the other articles' are made from their stored analyses. The work on the
        stories that follows (change log and alerts, entity lists, story lists) is done
        step by step: a step that fails is named, recorded (and added to ``failures``) and
        the others go on, so the stories are never lost to it."""
        self._cluster(from_scratch, features, failures)
        return self.store.stories()

    def _cluster(
        self,
        from_scratch: bool,
        features: MutableMapping[str, ArticleFeatures] | None,
        failures: list[StageFailure] | None,
    ) -> None:
        """``cluster`` without reading every story back (an ingest does not show them)."""
        from lagebild.alerts import check_alerts
        from lagebild.changes import track
        from lagebild.dossier.cache import precompute
        from lagebild.entities.index import refresh
        from lagebild.stories import cluster_store

        def tracked() -> None:
            if track(self):  # what the stories gained is logged (``news``) and alerted
                check_alerts(self)

        self._current = True  # clustering analyses what it needs and clusters everything
        with self.store.lock.hold("clustering stories", notify=self.notify):
            cluster_store(self, from_scratch=from_scratch, features=features)
            for name, step in (
                ("changes", tracked),
                ("entity lists", lambda: refresh(self)),  # entity pages read precomputed rows
                ("story lists", self.refresh_listing),
                ("dossiers", lambda: precompute(self)),  # a big story's first view is a read
            ):
                try:
                    step()
                except Exception as exc:
                    failure = StageFailure(name, "corpus", f"{type(exc).__name__}: {exc}", "the")
                    log.warning("%s", failure, exc_info=True)
                    self.store.add_rejections([Rejection("corpus", name, str(failure))])
                    if failures is not None:
                        failures.append(failure)

    # ------------------------------------------------------------------ lists of stories

    def refresh_listing(self) -> int:
        """Rewrite the list rows (card, facet terms) of stories that changed; returns how many."""
        from lagebild.dossier.cache import code_fingerprint
        from lagebild.dossier.card import story_card
        from lagebild.store.listing import refresh

        def card(story: Story) -> StoryCard:
            docs = [d for a in story.article_ids if (d := self._stored_doc(a)) is not None]
            return story_card(story, docs)

        # a card made by other code is made again when its story changes
        return refresh(self.store, card, code_fingerprint())

    def list_stories(self, query: StoryQuery | None = None) -> StoryPage:
        """One page of stories: filtered, sorted, with the total and facet counts."""
        from lagebild.store.listing import StoryQuery, query_stories

        self._ensure_current()
        self.refresh_listing()
        return query_stories(self.store, query or StoryQuery(), counts=self.story_counts)

    def list_articles(self, query: ArticleQuery | None = None) -> ArticlePage:
        """One page of articles, latest first, with the total and outlet/language counts."""
        from lagebild.store.listing import ArticleQuery, query_articles

        return query_articles(self.store, query or ArticleQuery())

    # ------------------------------------------------------------------ reading

    def articles(self) -> Iterator[Article]:
        return self.store.articles()

    def article(self, ref: str) -> Article:
        return self.store.article(ref)

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """The best ``limit`` hits with a snippet each, matched words in [brackets]."""
        page = self.find(query, limit=limit)
        return [(h.article, h.snippet.bracketed()) for h in page.hits]

    def find(
        self,
        query: str,
        *,
        limit: int = 20,
        cursor: str | None = None,
        story: str | None = None,
        sort: str = "relevance",
    ) -> SearchPage:
        """Full-text search (see ``store.search``): the true total, one page of hits with
        snippets, the cursor of the next page; ``story`` searches within one story."""
        from lagebild.store.search import search

        story_id = self.story(story).id if story else None
        return search(self.store, query, limit=limit, cursor=cursor, story_id=story_id, sort=sort)

    def stories(self) -> list[Story]:
        self._ensure_current()
        return self.store.stories()

    def story(self, ref: str) -> Story:
        self._ensure_current()
        return self.store.story(ref)

    def entities(
        self, *, types: Sequence[str] = (), limit: int | None = None, doubtful: bool = False
    ) -> list[EntityRow]:
        """The store's canonical entities, most mentioned first (precomputed; counts only).
        Names only the tagger found, each time below its confidence floor (more often wrong
        than right), are left out unless ``doubtful``."""
        from lagebild.entities.catalog import all_entities

        self._ensure_current()
        return all_entities(self, types, limit, doubtful)

    def entity_count(self, types: Sequence[str] = (), doubtful: bool = False) -> int:
        from lagebild.entities.index import count

        return count(self, types, doubtful=doubtful)

    def entity(self, ref: str) -> EntityDetail | None:
        """One entity by id, name or any spelling: its mentions with citations, stories,
        the entities named beside it, mentions per day (None when nothing matches)."""
        from lagebild.entities.catalog import find_entity

        self._ensure_current()
        return find_entity(self, ref)

    def dossier(self, story: str | Story, fmt: str = "html", since: datetime | None = None) -> str:
        """A story's dossier as text (``html``, ``json``, ``md``) with what its last update
        brought (or what it gained after ``since``); kept per story version in the store, so
        only the first call after a change builds it (``dossier.cache``)."""
        from lagebild.dossier.cache import dossier_text

        return dossier_text(
            self, self.story(story) if isinstance(story, str) else story, fmt, since
        )

    def story_of(self, article_id: str) -> Story | None:
        """The story holding an article (copies included); None before the article is clustered."""
        return self.store.story_of(article_id)

    # ------------------------------------------------------------------ what is new

    def news(self, since: datetime | None = None, *, since_last: bool = False) -> list[StoryNews]:
        """Stories that changed after ``since`` (or since the last ``since_last`` call)."""
        from lagebild.changes import news

        self._ensure_current()
        return news(self, since, since_last=since_last)

    def story_changes(self, ref: str, since: datetime | None = None) -> list[Change]:
        """What one story gained, oldest first (``since`` only later changes)."""
        from lagebild.changes import story_changes

        return story_changes(self, self.story(ref), since)
