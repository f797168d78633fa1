"""A tracking pass: compare the stories with what the last pass saw and log what is new.

An article is new to the log the first time it is seen in any story, so a story that takes in
another (a merge) or a recluster that moves articles around logs no articles twice; the older
story's changes move to the story that took it in. For a story that grew, the facts, the
divergences and the statements of its earlier articles are compared with those of all of them:
what only the new articles bring is logged too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lagebild.changes.log import BASELINE_KEY, ChangeLog, Digest, NewRow
from lagebild.model import Article, Doc, Story

if TYPE_CHECKING:
    from lagebild.app import Lagebild


def track(app: Lagebild, at: datetime | None = None, *, content: bool = True) -> int:
    """Log what changed in the stories since the last pass; returns how many changes.

    ``content`` also compares facts, divergences and statements of stories that grew (it
    reads their analyses). A corpus stored before the change log existed is taken as known.
    """
    log = ChangeLog(app.store)
    at = at or datetime.now(UTC)
    quiet = bool(app.store.get_state(BASELINE_KEY))
    # a corpus from before the log is looked at whole once; then what was written since
    dirty = None if quiet else log.dirty()
    moved = log.memberships(dirty)
    touched = sorted(set(moved) | log.redated(dirty))
    rows: list[NewRow] = []
    digests: list[tuple[str, Digest]] = []
    tracked: list[tuple[str, str, str | None]] = []
    merged: list[tuple[str, str]] = []
    contents: list[tuple[str, Seen]] = []
    for sid in touched:
        story = app.store.story(sid)
        entries = moved.get(sid, [])
        new_ids = [a for a, before in entries if before is None]
        came = sorted({b for _, b in entries if b is not None and b != sid})
        new_articles = list(app.store.articles(new_ids))
        outlets = {a.id: _outlet(a) for a in new_articles}
        before = log.digest(sid)
        known = log.tracked_outlets(sid)
        if before is None and not came:
            rows.append(_story_row(story, new_articles))
        else:
            rows.extend(_merged_rows(sid, came, log))
            merged.extend((old, sid) for old in came if not log.story_exists(old))
            rows.extend(
                NewRow(sid, "outlet", o, {"articles": [a for a, x in outlets.items() if x == o]})
                for o in dict.fromkeys(o for o in outlets.values() if o and o not in known)
            )
            if before is not None and (not new_ids or _first(story) != before.first):
                rows.extend(_date_rows(sid, before, story))  # a later last day goes unsaid
            if content and new_ids and len(new_ids) < len(story.article_ids):
                found, seen = _content_rows(app, story, set(new_ids))
                rows.extend(found)
                contents.append((sid, seen))
        rows.extend(_article_row(sid, a) for a in new_articles)
        digests.append((sid, _digest(story)))
        tracked.extend((aid, sid, _outlet_of(app, aid, outlets)) for aid, _ in entries)
    gone = log.vanished(dirty) - {old for old, _ in merged}
    log.write(at, [] if quiet else rows, digests, tracked, merged, gone, dirty)
    _remember(app, contents, [*gone, *(old for old, _ in merged)])
    return 0 if quiet else len(rows)


def _outlet(article: Article) -> str | None:
    """The outlet a reader recognises; None when only a file name would stand for it."""
    return article.outlet or (article.outlet_label if article.url else None)


def _outlet_of(app: Lagebild, article_id: str, known: dict[str, str | None]) -> str | None:
    if article_id in known:
        return known[article_id]
    row = app.store.db.execute(
        "SELECT outlet FROM tracked_articles WHERE article_id=?", (article_id,)
    ).fetchone()
    return row[0] if row else None


def _first(story: Story) -> str | None:
    return story.first.isoformat() if story.first else None


def _digest(story: Story) -> Digest:
    first = _first(story)
    last = story.last.isoformat() if story.last else None
    return Digest(tuple(story.outlets), first, last, len(story.article_ids))


def _story_row(story: Story, articles: Sequence[Article]) -> NewRow:
    return NewRow(
        story.id,
        "story",
        story.id,
        {
            "title": story.title,
            "articles": len(story.original_ids),
            "outlets": list(story.outlets),
            "first": story.first.isoformat() if story.first else None,
        },
    )


def _article_row(story_id: str, a: Article) -> NewRow:
    return NewRow(
        story_id,
        "article",
        a.id,
        {
            "title": a.title,
            "outlet": a.outlet_label,
            "published": a.published.isoformat() if a.published else None,
            "published_label": a.published_label if a.published else None,
            "url": a.url,
            "language": a.language,
        },
    )


def _merged_rows(sid: str, came: Sequence[str], log: ChangeLog) -> list[NewRow]:
    return [NewRow(sid, "merged", old, {}) for old in came if not log.story_exists(old)]


def _date_rows(sid: str, before: Digest, story: Story) -> list[NewRow]:
    first = story.first.isoformat() if story.first else None
    last = story.last.isoformat() if story.last else None
    if (first, last) == (before.first, before.last):
        return []
    detail = {"first": [before.first, first], "last": [before.last, last]}
    return [NewRow(sid, "dates", f"{first}..{last}", detail)]


# what a story's facts, divergences and statements were at the last pass that compared
# them: fact key -> text; divergence and statement keys as digests
Seen = dict[str, Any]


def _content_rows(app: Lagebild, story: Story, new_ids: set[str]) -> tuple[list[NewRow], Seen]:
    """Facts, divergences and statements that appear only once the new articles are in, and
    what the story has now (remembered, so the next pass need not work out the old state
    again from the earlier articles)."""
    from lagebild.dossier.summary import originals

    docs = originals(story, list(app.docs(story.article_ids)))
    old_ids = sorted(d.id for d in docs if d.id not in new_ids)
    now = _content(docs)
    then = _remembered(app, story.id, old_ids)
    if then is None:
        then = _seen(_content([d for d in docs if d.id not in new_ids]), old_ids)
    rows: list[NewRow] = []
    then_facts: dict[str, str] = then["fact"]
    slots: dict[str, set[str]] = {}
    for k, text in then_facts.items():
        slots.setdefault(_key(json.loads(k)[:2]), set()).add(text)
    for key, detail in now["fact"].items():
        if _key(key) not in then_facts:
            was = slots.get(_key(key[:2]))
            extra = {"was": sorted(was)} if was else {}
            rows.append(NewRow(story.id, "fact", "|".join(map(str, key)), {**detail, **extra}))
    for kind in ("divergence", "statement"):
        known = set(then[kind])
        rows.extend(
            NewRow(story.id, kind, "|".join(map(str, key)), detail)
            for key, detail in now[kind].items()
            if _digest_key(key) not in known
        )
    return rows, _seen(now, sorted(d.id for d in docs))


def _key(key: Sequence[Any]) -> str:
    return json.dumps(list(key), ensure_ascii=False, default=str)


def _digest_key(key: Sequence[Any]) -> str:
    return hashlib.sha1(_key(key).encode()).hexdigest()[:16]


def _seen(content: dict[str, dict[tuple[Any, ...], dict[str, Any]]], ids: Sequence[str]) -> Seen:
    return {
        "articles": _digest_key(ids),
        "fact": {_key(k): d["text"] for k, d in content["fact"].items()},
        "divergence": sorted(_digest_key(k) for k in content["divergence"]),
        "statement": sorted(_digest_key(k) for k in content["statement"]),
    }


def _remembered(app: Lagebild, story_id: str, old_ids: Sequence[str]) -> Seen | None:
    """The story's content at the last pass, when it was made of exactly ``old_ids``."""
    row = app.store.db.execute(
        "SELECT data FROM story_content WHERE story_id=?", (story_id,)
    ).fetchone()
    if row is None:
        return None
    seen: Seen = json.loads(row[0])
    return seen if seen.get("articles") == _digest_key(old_ids) else None


def _remember(app: Lagebild, contents: Sequence[tuple[str, Seen]], gone: Sequence[str]) -> None:
    with app.store.transaction() as db:
        db.executemany("DELETE FROM story_content WHERE story_id=?", [(g,) for g in gone])
        db.executemany(
            "INSERT OR REPLACE INTO story_content (story_id, data) VALUES (?,?)",
            [(sid, json.dumps(seen, ensure_ascii=False)) for sid, seen in contents],
        )


def _content(docs: Sequence[Doc]) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    from lagebild.dossier import sections

    windows = sections.date_windows(docs)
    facts = {
        (g.kind, g.measures, g.value, g.unit): {
            "text": g.text,
            "kind": g.kind,
            "measures": g.measures,
            "outlets": list(g.outlets),
            "articles": list(dict.fromkeys(c.article_id for c in g.citations)),
        }
        for g in sections.fact_groups(docs, windows)
    }
    divergences = {
        (d.slot, *sorted(v for v, _ in d.values)): {
            "slot": d.slot,
            "kind": d.kind,
            "values": [v for v, _ in d.values],
            "note": d.note,
        }
        for d in sections.divergences(docs, windows)
    }
    statements = {
        (s.speaker, s.text): {
            "speaker": s.speaker,
            "form": s.form,
            "text": s.text,
            "articles": list(dict.fromkeys(c.article_id for c in s.citations)),
        }
        for s in sections.statements(docs)
    }
    return {"fact": facts, "divergence": divergences, "statement": statements}
