"""Checking alerts against the change log: each change fires an alert once, and is recorded.

An alert looks at the changes logged since it last looked. A query matches an article the
full-text index finds for it; an entity matches an article that mentions it in any of its
variants (as the story's entity list merges them); a story matches its own changes (and, after a
merge, those of the story that took it in). Firings are claimed in the database before they
are sent, so two processes checking at once still fire each change once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from lagebild.alerts.book import Alert, AlertBook, count_condition
from lagebild.alerts.sinks import deliver
from lagebild.changes.log import Change, ChangeLog
from lagebild.errors import NotFound, StoreError
from lagebild.model import Story
from lagebild.store.search import search

if TYPE_CHECKING:
    from lagebild.app import Lagebild

PAYLOAD_VERSION = 1
RETRY_HOURS = 24.0  # a failed delivery is tried again at later checks for this long


@dataclass(frozen=True, slots=True)
class Fired:
    alert: str
    key: str
    payload: dict[str, Any]
    delivered: dict[str, str]


def check_alerts(app: Lagebild, now: datetime | None = None) -> list[Fired]:
    """Fire every alert whose conditions the changes logged since its last check meet."""
    book = AlertBook(app.store)
    alerts = book.all()
    if not alerts:
        return []
    log = ChangeLog(app.store)
    last = log.last_id()
    now = now or datetime.now(UTC)
    fired: list[Fired] = retry(app, now)
    for alert in alerts:
        if alert.checked_through >= last:
            continue
        matcher = _Matcher(app, alert)
        changes = log.changes(after=alert.checked_through)
        for key, message, change, article_ids in _candidates(alert, changes, matcher, log, now):
            payload = payload_of(app, alert, key, message, change, article_ids, now)
            if book.claim(alert, key, now, payload):
                results = deliver(payload, alert.sinks, app.config.alerts)
                book.delivered(alert, key, results)
                fired.append(Fired(alert.name, key, payload, results))
        book.checked(alert, last)
    return fired


def retry(app: Lagebild, now: datetime | None = None) -> list[Fired]:
    """Send firings again to the sinks that failed them, for ``RETRY_HOURS`` after firing
    (a webhook that was down gets what it missed; sinks that took it get nothing twice)."""
    book = AlertBook(app.store)
    now = now or datetime.now(UTC)
    done = []
    for alert, f in book.undelivered(now - timedelta(hours=RETRY_HOURS)):
        failed = [s for s, r in f.delivered.items() if r != "ok" and s in alert.sinks]
        results = {**f.delivered, **deliver(f.payload, failed, app.config.alerts)}
        book.delivered(alert, f.key, results)
        done.append(Fired(alert.name, f.key, f.payload, results))
    return done


def _candidates(
    alert: Alert, changes: Sequence[Change], m: _Matcher, log: ChangeLog, now: datetime
) -> Iterator[tuple[str, str, Change | None, list[str]]]:
    for cond in alert.conditions:
        if cond == "new-article":
            for c in changes:
                if c.kind == "article" and m.article(c.item, c.story_id):
                    title, outlet = c.detail.get("title"), c.detail.get("outlet")
                    yield f"article:{c.item}", f"new article: {title} ({outlet})", c, [c.item]
        elif cond == "new-outlet":
            for c in changes:
                ids = list(c.detail.get("articles", [])) if c.kind == "outlet" else []
                if ids and any(m.article(a, c.story_id) for a in ids):
                    story = m.story_title(c.story_id)
                    yield f"outlet:{c.story_id}:{c.item}", f"{c.item} now reports: {story}", c, ids
        elif cond == "new-divergence":
            for c in changes:
                if c.kind == "divergence" and m.story(c.story_id):
                    values = " | ".join(c.detail.get("values", []))
                    message = f"outlets diverge on {c.detail.get('slot')}: {values}"
                    yield f"divergence:{c.story_id}:{c.item}", message, c, []
        elif (count := count_condition(cond)) is not None:
            yield from _count(alert, count, m, log, now)


def _count(
    alert: Alert, count: tuple[int, float], m: _Matcher, log: ChangeLog, now: datetime
) -> Iterator[tuple[str, str, Change | None, list[str]]]:
    """N matching articles arrived within T hours: fire once, then not again for T hours."""
    n, hours = count
    since = now - timedelta(hours=hours)
    recent = [
        c for c in log.changes(since=since) if c.kind == "article" and m.article(c.item, c.story_id)
    ]
    if len(recent) >= n and not AlertBook(m.app.store).fired_since(alert, "count:", since):
        ids = [c.item for c in recent]
        message = f"{len(ids)} articles within {hours:g} h"
        yield f"count:{ids[-1]}", message, recent[-1], ids


class _Matcher:
    """Whether an article or a story is what an alert watches (answers cached per check)."""

    def __init__(self, app: Lagebild, alert: Alert) -> None:
        self.app = app
        self.alert = alert
        self._stories: dict[str, Story | None] = {}
        self._entity_articles: dict[str, set[str]] = {}
        self.target_story: str | None = None
        if alert.target_kind == "story":
            found = self._story(alert.target)
            self.target_story = found.id if found else alert.target

    def _story(self, ref: str) -> Story | None:
        if ref not in self._stories:
            try:
                self._stories[ref] = self.app.store.story(ref)
            except (NotFound, StoreError):  # gone, or an ambiguous prefix
                self._stories[ref] = None
        return self._stories[ref]

    def story_title(self, story_id: str) -> str:
        s = self._story(story_id)
        return s.title if s else story_id

    def article(self, article_id: str, story_id: str) -> bool:
        kind = self.alert.target_kind
        if kind == "story":
            return self._current(story_id) == self.target_story
        if kind == "query":
            return self._query_hit(article_id)
        return article_id in self._entity_hits(story_id)

    def story(self, story_id: str) -> bool:
        kind = self.alert.target_kind
        if kind == "story":
            return self._current(story_id) == self.target_story
        s = self._story(story_id)
        if s is None:
            return False
        if kind == "query":
            return self._query_hit(story_id=s.id)
        return bool(self._entity_hits(story_id))

    def _current(self, story_id: str) -> str:
        s = self._story(story_id)
        return s.id if s else story_id

    def _query_hit(self, article_id: str | None = None, story_id: str | None = None) -> bool:
        """Whether a search for the alert's query finds the article (or an article of the
        story): the search function itself (``store.search.search``), so an alert means what
        a search means (Erdogan = Erdoğan, phrases, OR, -word). A query stored before queries
        were checked, that the search refuses, matches nothing."""
        ids = None if article_id is None else [article_id]
        try:
            found = search(
                self.app.store, self.alert.target, limit=0, story_id=story_id, article_ids=ids
            )
        except StoreError:
            return False
        return found.total > 0

    def _entity_hits(self, story_id: str) -> set[str]:
        """Articles of the story that mention the entity in any of its variants."""
        if story_id in self._entity_articles:
            return self._entity_articles[story_id]
        from lagebild.dossier import sections
        from lagebild.dossier.summary import originals

        hits: set[str] = set()
        s = self._story(story_id)
        if s is not None:
            docs = list(self.app.docs(s.article_ids))
            wanted = self.alert.target.casefold()
            for e in sections.entities(originals(s, docs)):
                names = {e.name.casefold(), *(v.casefold() for v, _ in e.variants)}
                if wanted in names:
                    hits.update(e.article_ids)
            for d in docs:  # copies, and mentions the story's entity list left out
                if any(m.text.casefold() == wanted for m in d.mentions):
                    hits.add(d.id)
        self._entity_articles[story_id] = hits
        return hits


def payload_of(
    app: Lagebild,
    alert: Alert,
    key: str,
    message: str,
    change: Change | None,
    article_ids: Sequence[str],
    now: datetime,
    *,
    test: bool = False,
) -> dict[str, Any]:
    """The JSON body every sink gets (documented in docs/alerts.md)."""
    story = None
    if change is not None:
        try:
            s = app.store.story(change.story_id)
            story = {
                "id": s.id,
                "title": s.title,
                "outlets": list(s.outlets),
                "articles": len(s.original_ids),
            }
        except NotFound:
            story = {"id": change.story_id, "title": "", "outlets": [], "articles": 0}
    articles = []
    for a in app.store.articles(list(article_ids)):
        articles.append(
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet_label,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "language": a.language,
            }
        )
    return {
        "lagebild": "alert",
        "version": PAYLOAD_VERSION,
        "test": test,
        "alert": alert.to_json(),
        "condition": key.split(":", 1)[0],
        "key": key,
        "fired_at": now.isoformat(),
        "message": message,
        "story": story,
        "change": change.to_json() if change is not None else None,
        "articles": articles,
    }
