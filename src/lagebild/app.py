"""``Lagebild``: the library object the CLI and the web app both drive.

It ties the pure stages to the store: read inputs, keep what is new, analyse it once,
cluster it into stories, and hand out docs for the story-level stages. Nothing here parses
text or scores anything; that is the stages' work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest import read_sources
from lagebild.model import Article, Doc, Story
from lagebild.pipeline import Pipeline
from lagebild.store import Store

if TYPE_CHECKING:
    from lagebild.changes import Change, StoryNews
    from lagebild.dossier.card import StoryCard
    from lagebild.entities.catalog import EntityDetail, EntityRow
    from lagebild.store.listing import ArticlePage, ArticleQuery, StoryPage, StoryQuery
    from lagebild.store.search import SearchPage
    from lagebild.stories.features import ArticleFeatures

Progress = Callable[[str, int], None]  # (what happened, how many) after each input item


@dataclass(slots=True)
class IngestReport:
    """Counts and names from one ingest run."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether anything at all could be read (new or already stored)."""
        return bool(self.added or self.duplicates)


@dataclass(slots=True)
class RereadReport:
    """What one reread did: ids of changed articles (old -> new) and the counts of the rest."""

    changed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # formats that keep too little of their input (feed entries)
    failed: list[Rejection] = field(default_factory=list)  # no longer readable: kept as they are


class Lagebild:
    """One corpus: its database, its configuration and its pipeline."""

    def __init__(self, db: str | Path = "lagebild.db", config: Config | None = None) -> None:
        self.config = config or Config()
        self.store = Store(db)
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.config)
        return self._pipeline

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
        items = read_sources(sources, self.config)
        return self.add(
            items, analyze=analyze, progress=progress, batch_size=batch_size, outlet=outlet
        )

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
        if analyze and report.added:
            self._analyse_and_cluster(report.added, progress)
        return report

    def load_analysed(self, folder: str | Path, *, batch_size: int = 200) -> IngestReport:
        """Store the articles and analyses a Spark job wrote (``lagebild scale run``), then
        cluster. Counted like an ingest: what the store has already is a duplicate. An
        analysis made by other stage versions is redone here when a doc is asked for."""
        from lagebild.scale.job import output_docs, output_rejections

        report = IngestReport(rejected=output_rejections(folder))
        self.store.add_rejections(report.rejected)
        batch: list[Doc] = []

        def flush() -> None:
            result = self.store.add_articles([d.article for d in batch])
            added = set(result.added)
            self.store.put_docs(d for d in batch if d.id in added)
            report.added.extend(result.added)
            report.duplicates.extend(result.duplicates)
            batch.clear()

        for doc in output_docs(folder):
            batch.append(doc)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        if report.added:
            self._analyse_and_cluster(report.added)  # analyses only what other versions made
        return report

    # ------------------------------------------------------------------ analysis

    def analyze(
        self, ids: Sequence[str] | None = None, *, progress: Progress | None = None
    ) -> None:
        """Run the per-article stages on articles whose stored analysis is missing or stale."""
        for _ in self._analyse(ids, progress):
            pass

    def _analyse(self, ids: Sequence[str] | None, progress: Progress | None) -> Iterator[Doc]:
        """Analyse and store what needs it, yielding each doc once it is stored (so callers
        use the docs in memory instead of reading them back)."""
        versions = self.pipeline.versions
        known = self.store.analysed(ids if ids is not None else self._ids(), versions)
        todo = (a for a in self.store.articles(ids) if a.id not in known)
        batch: list[Doc] = []
        for doc in self.pipeline.pipe(todo):
            batch.append(doc)
            if progress:
                progress("analysed", 1)
            if len(batch) >= 100:
                self.store.put_docs(batch)
                yield from batch
                batch.clear()
        if batch:
            self.store.put_docs(batch)
            yield from batch

    def _ids(self) -> Iterator[str]:
        return (aid for aid, _ in self.store.article_dates())

    def reread(self, *, dry_run: bool = False, progress: Progress | None = None) -> RereadReport:
        """Read every stored article again from its raw input with the current rules.

        A changed article replaces its old version (kept in the store's ``rereads`` table),
        is analysed again, and the stories are clustered from scratch. An input the current
        rules reject keeps its stored article and is reported.
        """
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

    def docs(self, ids: Iterable[str]) -> Iterator[Doc]:
        """Analysed docs for ``ids`` (analysed now when missing or stale)."""
        versions = self.pipeline.versions
        for article_id in ids:
            doc = self.store.doc(article_id, versions)
            if doc is None:
                doc = self.pipeline(self.store.article(article_id))
                self.store.put_docs([doc])
            yield doc

    def _analyse_and_cluster(
        self, ids: Sequence[str], progress: Progress | None = None, *, from_scratch: bool = False
    ) -> None:
        """Analyse ``ids`` and cluster them with the features taken from the docs in memory."""
        from lagebild.stories.features import from_doc

        feats = {d.id: from_doc(d) for d in self._analyse(ids, progress)}
        self.cluster(from_scratch=from_scratch, features=feats)

    def cluster(
        self, *, from_scratch: bool = False, features: dict[str, ArticleFeatures] | None = None
    ) -> list[Story]:
        """Group the stored articles into stories (incrementally unless ``from_scratch``).

        ``features`` are those of articles just analysed (taken, not read back from the
        store); the other articles' are made from their stored analyses."""
        from lagebild.alerts import check_alerts
        from lagebild.changes import track
        from lagebild.entities.index import refresh
        from lagebild.stories import cluster_store

        stories = cluster_store(self, from_scratch=from_scratch, features=features)
        if track(self):  # what the stories gained is logged (``news``) and alerted
            check_alerts(self)
        refresh(self)  # entity lists and pages read precomputed rows
        self.refresh_listing()
        return stories

    # ------------------------------------------------------------------ lists of stories

    def refresh_listing(self) -> int:
        """Rewrite the list rows (card, facet terms) of stories that changed; returns how many."""
        from lagebild.dossier.card import story_card
        from lagebild.store.listing import refresh

        def card(story: Story) -> StoryCard:
            docs = [d for a in story.article_ids if (d := self.store.doc(a)) is not None]
            return story_card(story, docs)

        return refresh(self.store, card)

    def list_stories(self, query: StoryQuery | None = None) -> StoryPage:
        """One page of stories: filtered, sorted, with the total and facet counts."""
        from lagebild.store.listing import StoryQuery, query_stories

        self.refresh_listing()
        return query_stories(self.store, query or StoryQuery())

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
        return self.store.stories()

    def story(self, ref: str) -> Story:
        return self.store.story(ref)

    def entities(self, *, types: Sequence[str] = (), limit: int | None = None) -> list[EntityRow]:
        """The store's canonical entities, most mentioned first (precomputed; counts only)."""
        from lagebild.entities.catalog import all_entities

        return all_entities(self, types, limit)

    def entity_count(self, types: Sequence[str] = ()) -> int:
        from lagebild.entities.index import count

        return count(self, types)

    def entity(self, ref: str) -> EntityDetail | None:
        """One entity by id, name or any spelling: its mentions with citations, stories,
        the entities named beside it, mentions per day (None when nothing matches)."""
        from lagebild.entities.catalog import find_entity

        return find_entity(self, ref)

    def story_of(self, article_id: str) -> Story | None:
        """The story holding an article (copies included); None before the article is clustered."""
        return self.store.story_of(article_id)

    # ------------------------------------------------------------------ what is new

    def news(self, since: datetime | None = None, *, since_last: bool = False) -> list[StoryNews]:
        """Stories that changed after ``since`` (or since the last ``since_last`` call)."""
        from lagebild.changes import news

        return news(self, since, since_last=since_last)

    def story_changes(self, ref: str, since: datetime | None = None) -> list[Change]:
        """What one story gained, oldest first (``since`` only later changes)."""
        from lagebild.changes import story_changes

        return story_changes(self, self.story(ref), since)
