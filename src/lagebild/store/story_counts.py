"""Totals and facet counts of a filtered story list, from arrays held in memory.

Counting in SQL costs a pass over every term of every matching story: on 10,000 stories a
filter that keeps most of them ("language: de", a year) took 80-160 ms CPU, mostly the
entity facet. The story rows and their terms change only when ``listing.refresh`` rewrites
them, which bumps a generation number in the store; between two refreshes the rows are read
once into numpy arrays, and a filter is a boolean mask over them: the total is its sum, a
facet one ``bincount`` over the terms of the masked stories (about 1 ms at 10,000 stories).

The arrays follow the SQL of ``listing._filters`` exactly (the same string comparisons on
the same ISO texts, the same keys); tests/store/test_story_counts.py checks them against it.
One ``StoryCounts`` is shared by the threads of a server (``Lagebild.story_counts``): it is
built by whichever thread first sees a new generation, under a lock, and never changed after.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    import numpy as np

    from lagebild.store.listing import StoryQuery

GENERATION_KEY = "story_list_generation"


def generation(db: sqlite3.Connection) -> str | None:
    """The store's story-list generation (None for a store whose list was never refreshed)."""
    row = db.execute("SELECT value FROM state WHERE key=?", (GENERATION_KEY,)).fetchone()
    return None if row is None else str(row[0])


def bump(db: sqlite3.Connection) -> None:
    """Mark the story rows as changed (called in the transaction that changed them)."""
    db.execute(
        "INSERT INTO state (key, value) VALUES (?, '1') ON CONFLICT (key)"
        " DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
        (GENERATION_KEY,),
    )


@dataclass(frozen=True, slots=True)
class _Facet:
    keys: dict[str, int]  # stored key -> index
    size: int  # number of keys
    values: tuple[str, ...]  # the stored values (spellings) of all keys
    story: np.ndarray  # per term: index of its story
    key: np.ndarray  # per term: index of its key
    value: np.ndarray  # per term: index of its value
    order: np.ndarray  # term indexes sorted by key (for a key's stories)
    starts: np.ndarray  # key index -> first position in ``order`` (and one past the end)


class Snapshot:
    """The story rows of one generation, as arrays."""

    def __init__(self, db: sqlite3.Connection, gen: str | None) -> None:
        import numpy as np  # here, not at import: the CLI starts without it

        from lagebild.store.listing import KIND_NAME, term_story

        self.generation = gen
        rows = db.execute(
            "SELECT story_id, first, last, divergences, changed FROM story_index"
        ).fetchall()
        self.index = {r[0]: i for i, r in enumerate(rows)}
        by_term = {term_story(r[0]): i for i, r in enumerate(rows)}  # as terms name them
        self.size = len(rows)
        # NULL never passes a comparison in SQL: '' is below every date, b'\xff' above
        self.first = np.array([(r[1] or "\uffff").encode() for r in rows], dtype=bytes)
        self.last = np.array([(r[2] or "").encode() for r in rows], dtype=bytes)
        self.divergent = np.array([r[3] > 0 for r in rows], dtype=bool)
        self.changed = np.array([(r[4] or "").encode() for r in rows], dtype=bytes)
        self.facets: dict[str, _Facet] = {}
        self._names: dict[str, list[str]] = {}  # per kind: key index -> stored key (as needed)
        self._shown: dict[str, dict[int, str]] = {}  # per kind: a facet's shown value, as read
        Terms = tuple[dict[str, int], dict[str, int], list[int], list[int], list[int]]
        terms: dict[str, Terms] = {}
        for kind, key, story, value in db.execute(
            "SELECT kind, key, story_id, value FROM story_terms"
        ):
            at = by_term.get(story)  # value '': the facet's shown one (schema 51; see facet)
            if at is None:
                continue
            keys, values, stories, kidx, vidx = terms.setdefault(kind, ({}, {}, [], [], []))
            stories.append(at)
            kidx.append(keys.setdefault(key, len(keys)))
            vidx.append(values.setdefault(value, len(values)))
        for kind, (keys, values, stories, kidx, vidx) in terms.items():
            key_arr = np.array(kidx, dtype=np.int32)
            order = np.argsort(key_arr, kind="stable")
            starts = np.searchsorted(key_arr[order], np.arange(len(keys) + 1))
            self.facets[KIND_NAME.get(kind, kind)] = _Facet(
                keys,
                len(keys),
                tuple(values),
                np.array(stories, dtype=np.int32),
                key_arr,
                np.array(vidx, dtype=np.int32),
                order,
                starts,
            )

    def _having(self, kind: str, keys: list[str]) -> np.ndarray:
        """Stories with a term of ``kind`` under any of ``keys``."""
        import numpy as np

        out = np.zeros(self.size, dtype=bool)
        facet = self.facets.get(kind)
        if facet is None:
            return out
        for key in keys:
            k = facet.keys.get(key)
            if k is not None:
                out[facet.story[facet.order[facet.starts[k] : facet.starts[k + 1]]]] = True
        return out

    def mask(self, q: StoryQuery) -> np.ndarray:
        """The stories ``q``'s filters keep (as ``listing._filters`` does in SQL)."""
        import numpy as np

        from lagebild.store.listing import _keys

        keep = np.ones(self.size, dtype=bool)
        if q.date_from:
            keep &= self.last >= q.date_from.isoformat().encode()
        if q.date_to:
            keep &= self.first < (q.date_to + timedelta(days=1)).isoformat().encode()
        if q.divergent:
            keep &= self.divergent
        if q.changed_since:
            keep &= self.changed > q.changed_since.isoformat().encode()
        for kind, values in (("outlet", q.outlets), ("language", q.languages)):
            keys = sorted({k for v in values for k in _keys(kind, v)})
            if keys:
                keep &= self._having(kind, keys)
        for value in q.entities:
            keep &= self._having("entity", _keys("entity", value))
        return keep

    def facet(
        self, db: sqlite3.Connection, kind: str, keep: np.ndarray, size: int
    ) -> tuple[tuple[str, int], ...]:
        """The ``size`` most frequent values of ``kind`` among the kept stories (count
        descending, then value), as the SQL facet orders them. A candidate whose smallest
        kept value is '' (a term of the shown spelling, schema 51) shows its facet's value,
        read from ``db`` for those candidates only."""
        import numpy as np

        from lagebild.store.listing import KIND_CODE

        facet = self.facets.get(kind)
        if facet is None or not facet.size:
            return ()
        counts = np.bincount(facet.key[keep[facet.story]], minlength=facet.size)
        nonzero = int(np.count_nonzero(counts))
        if not nonzero:
            return ()
        if nonzero > size:  # every key that ties with the size-th count is a candidate
            floor = np.partition(counts, len(counts) - size)[len(counts) - size]
            cand = np.flatnonzero(counts >= max(floor, 1))
        else:
            cand = np.flatnonzero(counts)
        labels = {int(k): self._label(facet, int(k), keep) for k in cand}
        shown = self._shown.setdefault(kind, {})  # key index -> shown value, as read
        blank = [k for k, v in labels.items() if not v and k not in shown]
        if blank:
            names = self._names.get(kind) or self._names.setdefault(kind, list(facet.keys))
            for start in range(0, len(blank), 500):
                chunk = blank[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = dict(
                    db.execute(
                        f"SELECT key, value FROM story_facets WHERE kind=? AND key IN ({marks})",
                        [KIND_CODE.get(kind, kind), *(names[k] for k in chunk)],
                    ).fetchall()
                )
                shown.update((k, found[names[k]]) for k in chunk)
        best = sorted((-int(counts[k]), labels[k] or shown[k]) for k in labels)[:size]
        return tuple((value, -n) for n, value in best)

    @staticmethod
    def _label(facet: _Facet, k: int, keep: np.ndarray) -> str:
        """The smallest spelling of key ``k`` among the kept stories (SQL's ``MIN(value)``)."""
        terms = facet.order[facet.starts[k] : facet.starts[k + 1]]
        kept = terms[keep[facet.story[terms]]]
        return min(facet.values[v] for v in set(facet.value[kept].tolist()))


class StoryCounts:
    """The current ``Snapshot`` of a store, rebuilt when the story rows' generation moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    def snapshot(self, db: sqlite3.Connection) -> Snapshot:
        gen = generation(db)
        snap = self._snap
        if snap is not None and snap.generation == gen:
            return snap
        with self._lock:  # one build per generation, whichever thread asks first
            snap = self._snap
            if snap is None or snap.generation != gen:
                snap = self._snap = Snapshot(db, gen)
            return snap
