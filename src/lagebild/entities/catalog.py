"""Entities of a stored corpus: per story, for the whole store, and one looked up by name.

What ``lagebild entities`` and ``lagebild entity`` (and the web app) show. Syndicated copies
are left out so a wire story printed by ten outlets is not ten times the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lagebild.model import Article, Doc, Entity, Mention, Story

if TYPE_CHECKING:
    import sqlite3

    from lagebild.app import Lagebild


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity with where it was seen."""

    entity: Entity
    outlets: tuple[str, ...]  # distinct known outlets of the articles mentioning it
    unknown_outlet: int  # articles mentioning it whose outlet is not known
    n_mentions: int | None = None  # when read from the index without the mentions
    article_ids: tuple[str, ...] | None = None

    @property
    def mention_count(self) -> int:
        return len(self.entity.mentions) if self.n_mentions is None else self.n_mentions

    @property
    def articles(self) -> tuple[str, ...]:
        return self.entity.article_ids if self.article_ids is None else self.article_ids

    def to_json(self) -> dict[str, Any]:
        """The one JSON shape of an entity, for `lagebild entities --json` and the web API."""
        e = self.entity
        return {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "variants": [list(v) for v in e.variants],
            "mentions": self.mention_count,
            "articles": len(self.articles),
            "article_ids": list(self.articles),
            "outlets": list(self.outlets),
            "unknown_outlet_articles": self.unknown_outlet,
        }


@dataclass(frozen=True, slots=True)
class StoryHit:
    story: Story
    articles: int  # articles of the story that mention the entity
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityDetail:
    row: EntityRow
    stories: tuple[StoryHit, ...]
    titles: dict[str, str]  # article id -> title, of every mentioning article
    texts: dict[str, str]  # article id -> cleaned text, for the contexts of the first mentions
    others: tuple[Entity, ...] = ()  # further entities the name also matches
    cooccurring: tuple[tuple[str, str, str, int], ...] = ()  # (id, name, type, shared articles)
    per_day: tuple[tuple[str, int], ...] = ()  # ("2023-09-13" or "undated", mentions)
    outlets: dict[str, str] = field(default_factory=dict)  # article id -> outlet label
    captions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id -> captions

    def context(self, m: Mention, width: int = 40) -> tuple[str, str, str]:
        """(left, the mention as written, right) around a mention, caption or body."""
        text = self.texts.get(m.article_id, "")
        if m.caption is not None:
            caps = self.captions.get(m.article_id, ())
            text = caps[m.caption] if m.caption < len(caps) else ""
        left = text[max(0, m.start - width) : m.start].replace("\n", " ")
        return left, text[m.start : m.end] or m.text, text[m.end : m.end + width].replace("\n", " ")

    def to_json(self) -> dict[str, Any]:
        """The entity page as data: the row, its stories, mentions with citations, the
        entities named beside it and mentions per day."""
        data = self.row.to_json()
        data["stories"] = [
            {
                "id": h.story.id,
                "title": h.story.title,
                "articles": h.articles,
                "mentions": h.mentions,
            }
            for h in self.stories
        ]
        data["mention_list"] = [
            {
                "article_id": m.article_id,
                "outlet": self.outlets.get(m.article_id),
                "title": self.titles.get(m.article_id, ""),
                "start": m.start,
                "end": m.end,
                "caption": m.caption,
                "text": m.text,
                "source": m.source,
            }
            for m in self.row.entity.mentions
        ]
        data["cooccurring"] = [
            {"id": i, "name": n, "type": t, "articles": k} for i, n, t, k in self.cooccurring
        ]
        data["per_day"] = [list(x) for x in self.per_day]
        data["also_matching"] = [{"id": o.id, "name": o.name, "type": o.type} for o in self.others]
        return data


def _rows(entities: list[Entity], docs: Sequence[Doc]) -> list[EntityRow]:
    outlet = {d.id: d.article.outlet for d in docs}
    rows = []
    for e in entities:
        ids = e.article_ids
        known = tuple(sorted({o for a in ids if (o := outlet.get(a))}))
        rows.append(EntityRow(e, known, sum(1 for a in ids if not outlet.get(a))))
    return rows


def story_entities(app: Lagebild, ref: str) -> list[EntityRow]:
    """Canonical entities of one story (id or unique prefix)."""
    from lagebild.entities.canon import canonical_entities

    story = app.story(ref)
    docs = list(app.docs(story.original_ids))
    return _rows(canonical_entities(docs), docs)


def _entity_docs(app: Lagebild) -> dict[str, Doc]:
    """Every stored article's analysis (made again when made by other stage versions)."""
    return {d.id: d for d in app.docs([a.id for a in app.articles()])}


def _story_docs(app: Lagebild) -> tuple[list[list[Doc]], list[Story]]:
    stories = app.stories()
    docs = _entity_docs(app)
    grouped: list[list[Doc]] = []
    seen: set[str] = set()
    copies = {c for s in stories for c, _ in s.duplicates}
    for s in stories:
        grouped.append([docs[a] for a in s.original_ids if a in docs])
        seen.update(s.article_ids)
    grouped.extend([d] for a, d in docs.items() if a not in seen and a not in copies)
    return grouped, stories


def compute_all_entities(app: Lagebild) -> list[EntityRow]:
    """Canonical entities of the whole store merged now, each story resolved on its own
    first (what ``entities.index`` stores)."""
    from lagebild.entities.canon import store_entities

    grouped, _ = _story_docs(app)
    return _rows(store_entities(grouped), [d for g in grouped for d in g])


def all_entities(
    app: Lagebild, types: Sequence[str] = (), limit: int | None = None, doubtful: bool = False
) -> list[EntityRow]:
    """Canonical entities of the whole store, most mentioned first (from the index: the
    rows carry counts, not mentions); ``doubtful``: also those the tagger named unsure."""
    from lagebild.entities import index

    return index.rows(app, types, limit, doubtful=doubtful)


def find_entity(app: Lagebild, name: str, texts_for: int = 200) -> EntityDetail | None:
    """The store entity called ``name`` (any spelling, a variant or its id), with its
    mentions, stories, the entities named beside it and its mentions per day.

    Read from the index tables without decoding what the page does not show: the names
    first (variants only when no name or id matches), the stories and articles by the
    articles that mention it, and full texts only for the first ``texts_for`` mentions (the
    contexts a page shows). On 10,000 articles "Wien" (4,390 mentions) took 0.93 s CPU when
    every entity, story and mentioning article was decoded."""
    from datetime import datetime

    from lagebild.entities import index
    from lagebild.store.codec import decode_story

    index.ensure(app)
    db = app.store.db
    q = name.strip()
    heads = db.execute("SELECT id, name FROM entity_index ORDER BY rank, name").fetchall()
    exact = [r[0] for r in heads if r[0] == q or r[1].casefold() == q.casefold()]
    if exact:
        matches = [_entity(db, i) for i in exact]
    else:
        everyone = [
            Entity(r[0], r[1], r[2], index.unpack_data(r[3])[0])
            for r in db.execute("SELECT id, name, type, data FROM entity_index ORDER BY rank, name")
        ]
        matches = match(q, everyone) or _by_mention_words(db, q)
    if not matches:
        return None
    best_row = _row(db, matches[0].id)
    entity = replace(best_row.entity, mentions=index.mentions(app, best_row.entity.id))
    best = replace(best_row, entity=entity, n_mentions=None, article_ids=None)
    per_article: dict[str, int] = {}
    for m in entity.mentions:
        per_article[m.article_id] = per_article.get(m.article_id, 0) + 1
    ids = list(per_article)
    stories: dict[str, tuple[int, str, Story]] = {}  # id -> (sort key of store.stories, …)
    light: dict[str, tuple[str, str, str | None]] = {}  # id -> (title, outlet label, published)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.execute(
            "SELECT s.id, s.title, s.data, s.size, COALESCE(s.first, '') FROM stories s"
            f" WHERE s.id IN (SELECT story_id FROM story_articles WHERE article_id IN ({marks}))",
            chunk,
        ):
            if r[0] not in stories:
                full = decode_story(r[0], r[1], r[2])
                story = Story(r[0], full.article_ids, r[1], full.duplicates)
                stories[r[0]] = (-r[3], r[4], story)
        for r in db.execute(
            "SELECT id, title, outlet, url, source, format, published FROM articles"
            f" WHERE id IN ({marks})",
            chunk,
        ):
            label = Article(r[0], r[1], "", r[4], r[5], url=r[3], outlet=r[2]).outlet_label
            light[r[0]] = (r[1], label, r[6])
    hits = []
    for *_, s in sorted(stories.values(), key=lambda x: x[:2]):  # as ``Store.stories``
        found = [a for a in s.original_ids if a in per_article]
        if found:
            hits.append(StoryHit(s, len(found), sum(per_article[a] for a in found)))
    days: dict[str, int] = {}
    for aid, n in per_article.items():
        published = light[aid][2] if aid in light else None
        day = datetime.fromisoformat(published).date().isoformat() if published else "undated"
        days[day] = days.get(day, 0) + n
    wanted = list(dict.fromkeys(m.article_id for m in entity.mentions[:texts_for]))
    shown = {a.id: a for a in app.store.articles(wanted)}
    return EntityDetail(
        best,
        tuple(sorted(hits, key=lambda h: -h.mentions)),
        {a: t for a, (t, _, _) in light.items()},
        {a: art.text for a, art in shown.items()},
        tuple(matches[1:]),
        tuple(index.cooccurring(app, entity.id)),
        tuple(sorted(days.items())),
        {a: label for a, (_, label, _) in light.items()},
        {a: art.captions for a, art in shown.items()},
    )


def _row(db: sqlite3.Connection, entity_id: str) -> EntityRow:
    """One row of the entity index (as ``index.rows`` reads them)."""
    from lagebild.entities.index import article_ids, unpack_data

    r = db.execute(
        "SELECT e.id, e.name, e.type, e.mentions, e.data, t.articles FROM entity_index e"
        " LEFT JOIN entity_tally t ON t.entity = e.n WHERE e.id=?",
        (entity_id,),
    ).fetchone()
    variants, outlets, unknown = unpack_data(r[4])
    e = Entity(r[0], r[1], r[2], variants)
    return EntityRow(
        e,
        outlets,
        unknown,
        n_mentions=r[3],
        article_ids=article_ids(r[5]),
    )


def _entity(db: sqlite3.Connection, entity_id: str) -> Entity:
    return _row(db, entity_id).entity


def _by_mention_words(db: sqlite3.Connection, words: str) -> list[Entity]:
    """The entity whose mentions most often use exactly these words: a story page links an
    entity by its articles' words, and a form the corpus entity does not list as a variant
    (the genitive "Russlands") must still open its page. One scan of the mentions, paid only
    when no name, id or variant matched."""
    row = db.execute(
        "SELECT i.id FROM entity_mentions m JOIN entity_index i ON i.n = m.entity"
        " WHERE m.text = ? GROUP BY m.entity ORDER BY count(*) DESC, min(i.rank) LIMIT 1",
        (words,),
    ).fetchone()
    return [_entity(db, row[0])] if row else []


def match(name: str, entities: Sequence[Entity]) -> list[Entity]:
    """Entities ``name`` refers to, best first: id, exact name, a variant's key, a surname."""
    from lagebild.entities.names import name_form

    q = name.strip()
    exact = [e for e in entities if e.id == q or e.name.casefold() == q.casefold()]
    if exact:
        return exact
    by_key = []
    by_word = []
    for e in entities:
        form = name_form(q, e.type)
        variants = [name_form(v, e.type) for v, _ in e.variants]
        if any(form.key in (v.key, v.core) for v in variants):
            by_key.append(e)
        elif not form.full and any(form.key in (v.first, v.last) for v in variants if v.full):
            by_word.append(e)
    ranked = sorted(by_key, key=lambda e: -len(e.mentions)) + sorted(
        by_word, key=lambda e: -len(e.mentions)
    )
    return ranked


__all__ = [
    "EntityDetail",
    "EntityRow",
    "StoryHit",
    "all_entities",
    "compute_all_entities",
    "find_entity",
    "match",
    "story_entities",
]
