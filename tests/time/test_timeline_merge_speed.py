"""The indexed event merging must join exactly what comparing every pair would join."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import msgspec

from lagebild import time as time_stage
from lagebild.model import Citation
from lagebild.time.infer import infer_date_window
from lagebild.time.timeline import (
    _Event,
    _join_coarser,
    _related,
    _same_event_roots,
)
from lagebild.time.value import parse

# "2024-W23-WE" (month) and "2024-W23-WET20:00" (time) share a key: mixed granularities
_DATES = ["2024-06-03", "2024-06-03T10:00", "2024-06", "2024", "2024-W23", "202", "2019-04",
          "2024-W23-WE", "2024-W23-WET20:00"]  # fmt: skip
_WORDS = ["putin", "kim", "gipfel", "wladiwostok", "donau", "passau", "thw", "pegel", "regen"]


def _events(rnd: random.Random, n: int, merged: bool = False) -> list[_Event]:
    """Random events; ``merged`` ones may carry several word sets (already merged groups)."""
    out = []
    for i in range(n):
        value = rnd.choice(_DATES)
        end = "2024-06-05" if rnd.random() < 0.1 else None
        gran = "range" if end else parse(value).granularity
        words = set(rnd.sample(_WORDS, rnd.randint(0, 4)))
        cite = Citation(f"a{i % 7}", i, i + 10, None)
        sets = [words] + [set(rnd.sample(_WORDS, 2)) for _ in range(merged * rnd.randint(0, 2))]
        out.append(_Event(value, end, gran, f"e{i}", sets, [cite], rnd.random() < 0.2))
    return out


def _pairwise_roots(events: list[_Event]) -> list[int]:
    """The former quadratic merge: every pair of events of different articles with the same
    key and enough shared words, and of one article with two shared words (no lead)."""
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(events):
        for j in range(i):
            b = events[j]
            other = a.citations[0].article_id != b.citations[0].article_id
            twice = not (other or a.lead or b.lead) and len(a.words[0] & b.words[0]) >= 2
            if a.key == b.key and ((other and _related(a, b)) or twice):
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(events))]


def _partition(roots: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, r in enumerate(roots):
        groups.setdefault(r, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_indexed_merge_joins_the_same_events_as_every_pair() -> None:
    rnd = random.Random(11)
    for _ in range(200):
        events = _events(rnd, rnd.randint(0, 40))
        assert _partition(_same_event_roots(events)) == _partition(_pairwise_roots(events))


def test_coarser_dates_join_the_first_related_finer_event() -> None:
    rnd = random.Random(12)
    for _ in range(200):
        merged = _events(rnd, rnd.randint(0, 25), merged=True)
        # the plain loop, on copies: coarsest first, the first finer related event (in list
        # order) whose days it contains
        copies = [_Event(e.date, e.date_end, e.granularity, e.label, list(e.words), list(e.citations), e.inferred) for e in merged]  # fmt: skip
        alive = list(copies)
        for ev in sorted(copies, key=lambda e: parse(e.date).rank):
            if ev.date_end is not None:
                continue
            finer = next(
                (m for m in alive if m is not ev and m.date_end is None
                 and parse(ev.date).contains(parse(m.date))
                 and _related(m, ev)),
                None,
            )  # fmt: skip
            if finer is not None:
                finer.words.extend(ev.words)
                finer.citations.extend(c for c in ev.citations if c not in finer.citations)
                finer.inferred = finer.inferred and ev.inferred
                alive = [m for m in alive if m is not ev]
        seen = {id(m): set(m.citations) for m in merged}
        got = _join_coarser(merged, seen)
        assert [(e.label, e.citations, e.inferred) for e in got] == [
            (e.label, e.citations, e.inferred) for e in alive
        ]


def _story(doc_of, third: str) -> tuple[list, list]:
    """(dated, undated) docs of one story; ``third`` is the text of the third undated one."""
    dated = [
        doc_of("Der Gipfel begann heute in Wien.", doc_id="d1"),
        doc_of("Am Montag traf der Minister ein.", published="2023-09-15", doc_id="d2"),
    ]
    undated = [
        doc_of("Der Minister traf am Montag in Wien ein.", published=None, doc_id="u1"),
        doc_of(
            "Am Dienstag sprach er, am 12. September reiste er ab.", published=None, doc_id="u2"
        ),
        doc_of(third, published=None, doc_id="u3"),
    ]
    return dated, undated


def test_shared_memo_gives_the_same_windows(doc_of) -> None:
    dated, undated = _story(doc_of, "Im September soll es weitergehen.")
    docs = dated + undated
    memo: dict = {}
    for d in undated:
        assert infer_date_window(d, docs, memo) == infer_date_window(d, docs)
    assert memo
    windows = time_stage.story_date_windows(docs)
    assert windows == {d.id: infer_date_window(d, docs) for d in undated}


def _month_only(doc):
    """The doc with its date known to the month only ("2023-09")."""
    when = doc.article.published.replace(day=1)
    return replace(doc, article=replace(doc.article, published=when, published_precision="month"))


class _Kept:
    """A ``Kept`` that stores each value as ``dossier.parts`` does (MessagePack)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], bytes] = {}

    def get(self, doc, kind):
        data = self.rows.get((doc.id, kind))
        return None if data is None else msgspec.msgpack.decode(data)

    def put(self, doc, kind, value) -> None:
        self.rows[(doc.id, kind)] = msgspec.msgpack.encode(value)


def test_kept_readings_give_the_same_windows_and_a_grown_story_tries_only_new_days(
    doc_of, monkeypatch
) -> None:
    from lagebild.time import infer

    dated, undated = _story(doc_of, "Die Gespräche dauern an.")  # u3: nothing to read
    undated.append(_month_only(doc_of("Am Dienstag soll es weitergehen.", doc_id="m")))
    docs = dated + undated
    kept = _Kept()
    want = time_stage.story_date_windows(docs)
    assert len(want) == 4
    assert time_stage.story_date_windows(docs, kept) == want
    assert {d for d, _ in kept.rows} == {d.id for d in undated}
    tried: list[date] = []
    readings: list[str] = []
    real_values, real_reading = infer._values, infer._reading

    def values(evidence, rs, anchor, memo):
        tried.append(anchor)
        return real_values(evidence, rs, anchor, memo)

    def reading(doc, rs):
        readings.append(doc.id)
        return real_reading(doc, rs)

    monkeypatch.setattr(infer, "_values", values)
    monkeypatch.setattr(infer, "_reading", reading)
    assert time_stage.story_date_windows(docs, kept) == want
    assert tried == [] and readings == []  # every article's reading and days read back
    later = doc_of("Die Gespräche gingen heute weiter.", published="2023-09-19", doc_id="d3")
    grown = [*dated, later, *undated]
    fresh = {d.id: infer.infer_date_window(d, grown) for d in undated}
    tried.clear()
    readings.clear()
    assert time_stage.story_date_windows(grown, kept) == fresh != want
    # the story's last day moved 4 days on: only those days are tried, for the articles
    # with evidence (u3 has none, and its reading says so)
    assert sorted(set(tried)) == [date(2023, 9, d) for d in range(23, 27)]
    assert sorted(set(readings)) == ["m", "u1", "u2"]


def test_an_undated_articles_kept_events_are_read_only_in_the_window_they_were_read_in(
    doc_of, monkeypatch
) -> None:
    from importlib import import_module

    from lagebild.model import DateWindow

    timeline_module = import_module("lagebild.time.timeline")  # the module, not the function

    dated = doc_of("Der Gipfel begann heute in Wien.", doc_id="d1")
    undated = doc_of(
        "Der Minister traf am Montag in Wien ein. Am Dienstag sprach er vor der Presse.",
        published=None,
        doc_id="u1",
    )
    docs = [dated, undated]
    monday = DateWindow(date(2023, 9, 11), date(2023, 9, 13), 0.6, ("note",), date(2023, 9, 12))
    later = DateWindow(date(2023, 9, 18), date(2023, 9, 20), 0.6, ("other",), date(2023, 9, 19))
    kept = _Kept()
    want = time_stage.timeline(docs, {undated.id: monday})
    assert time_stage.timeline(docs, {undated.id: monday}, kept) == want
    worked: list[str] = []
    real = timeline_module._doc_events

    def counting(doc, windows):
        worked.append(doc.id)
        return real(doc, windows)

    monkeypatch.setattr(timeline_module, "_doc_events", counting)
    # another confidence and notes: the same days, so the same events, read back
    same_days = DateWindow(monday.earliest, monday.latest, 0.9, ("more",), monday.likely)
    assert time_stage.timeline(docs, {undated.id: same_days}, kept) == want
    assert worked == []
    fresh = time_stage.timeline(docs, {undated.id: later})
    assert fresh != want  # the events of the undated article move with its window
    worked.clear()
    assert time_stage.timeline(docs, {undated.id: later}, kept) == fresh
    assert worked == [undated.id]  # worked out again, the dated article's read back
